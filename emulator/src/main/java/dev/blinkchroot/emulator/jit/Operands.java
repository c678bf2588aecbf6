package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.CompiledAccess;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Operand access in generated code, with the interpreter's rules ({@code OperandAccess}):
 * registers from their locals with x86's partial-register rules, immediates as constants, memory
 * through the effective address and {@code GuestMemory}'s accessors, whose TLB-hit path HotSpot
 * inlines into the region's method. Every value is a long on the operand stack, zero-extended
 * from its size.
 */
final class Operands implements Opcodes {
  private static final String ACCESS = "dev/blinkchroot/emulator/memory/CompiledAccess";
  private static final String PAGE = "dev/blinkchroot/emulator/memory/Page";
  private final Gen g;
  private final MethodVisitor mv;

  Operands(Gen g) {
    this.g = g;
    this.mv = g.mv;
  }

  /**
   * Pushes the effective address of {@code insn}'s memory operand: base + index * scale + disp
   * (RIP-relative to the next instruction), truncated under a 67 prefix, plus the FS or GS base.
   */
  void pushAddress(Insn insn) {
    pushAddress(insn, true);
  }

  /** As {@link #pushAddress(Insn)}; without the FS/GS base for LEA, which does not add it. */
  void pushAddress(Insn insn, boolean withSegmentBase) {
    boolean any = false;
    if (insn.base == Insn.REG_RIP) {
      g.lconst(insn.nextAddress() + insn.disp);
      any = true;
    } else if (insn.base >= 0) {
      g.loadGpr(insn.base);
      any = true;
      if (insn.disp != 0) {
        g.lconst(insn.disp);
        mv.visitInsn(LADD);
      }
    }
    if (insn.index >= 0) {
      g.loadGpr(insn.index);
      if (insn.scale > 1) {
        g.iconst(Integer.numberOfTrailingZeros(insn.scale));
        mv.visitInsn(LSHL);
      }
      if (any) {
        mv.visitInsn(LADD);
      }
      any = true;
    }
    if (!any) {
      g.lconst(insn.disp);
    } else if (insn.base < 0 && insn.disp != 0) {
      g.lconst(insn.disp);
      mv.visitInsn(LADD);
    }
    if (insn.addrSize == 4) {
      g.lconst(0xffff_ffffL);
      mv.visitInsn(LAND);
    }
    if (withSegmentBase && (insn.seg == Insn.SEG_FS || insn.seg == Insn.SEG_GS)) {
      mv.visitVarInsn(ALOAD, Gen.S_CPU);
      mv.visitFieldInsn(GETFIELD, Gen.CPU, insn.seg == Insn.SEG_FS ? "fsBase" : "gsBase", "J");
      mv.visitInsn(LADD);
    }
  }

  /** Computes the effective address into a new temporary and returns its slot. */
  int addressTemp(Insn insn) {
    int t = g.longTemp();
    pushAddress(insn);
    mv.visitVarInsn(LSTORE, t);
    return t;
  }

  /**
   * Pushes a load of {@code size} bytes (1, 2, 4, 8) from the address in {@code addrSlot}, as a
   * zero-extended long, from the page {@link CompiledAccess#readPage} gives when the access stays
   * in it. Otherwise (a fault to raise, an access crossing pages) the instruction leaves for the
   * interpreter, which does it: compiled code itself never throws a guest fault.
   */
  void load(int addrSlot, int size) {
    int page = page("readPage", addrSlot, size);
    mv.visitVarInsn(ALOAD, page);
    mv.visitVarInsn(LLOAD, addrSlot);
    mv.visitMethodInsn(INVOKESTATIC, ACCESS, "load" + size * 8, "(L" + PAGE + ";J)J", false);
  }

  /**
   * Stores the long in {@code valueSlot} ({@code size} bytes) at the address in {@code addrSlot}
   * in the page {@link CompiledAccess#writePage} gives (never one holding decoded code), or
   * leaves for the interpreter as {@link #load} does.
   */
  void store(int addrSlot, int size, int valueSlot) {
    int page = page("writePage", addrSlot, size);
    mv.visitVarInsn(ALOAD, page);
    mv.visitVarInsn(LLOAD, addrSlot);
    mv.visitVarInsn(LLOAD, valueSlot);
    mv.visitMethodInsn(INVOKESTATIC, ACCESS, "store" + size * 8, "(L" + PAGE + ";JJ)V", false);
  }

  /** Loads 16 bytes into {@code loSlot} and {@code hiSlot}, inline only within one page. */
  void load128(int addrSlot, int loSlot, int hiSlot) {
    int page = page("readPage", addrSlot, 16);
    for (int half = 0; half < 2; half++) {
      mv.visitVarInsn(ALOAD, page);
      mv.visitVarInsn(LLOAD, addrSlot);
      if (half == 1) {
        g.lconst(8);
        mv.visitInsn(LADD);
      }
      mv.visitMethodInsn(INVOKESTATIC, ACCESS, "load64", "(L" + PAGE + ";J)J", false);
      mv.visitVarInsn(LSTORE, half == 0 ? loSlot : hiSlot);
    }
  }

  /**
   * Stores 16 bytes, inline only within one page (so a store is never partial: the interpreter
   * does the page-crossing case).
   */
  void store128(int addrSlot, int loSlot, int hiSlot) {
    int page = page("writePage", addrSlot, 16);
    for (int half = 0; half < 2; half++) {
      mv.visitVarInsn(ALOAD, page);
      mv.visitVarInsn(LLOAD, addrSlot);
      if (half == 1) {
        g.lconst(8);
        mv.visitInsn(LADD);
      }
      mv.visitVarInsn(LLOAD, half == 0 ? loSlot : hiSlot);
      mv.visitMethodInsn(INVOKESTATIC, ACCESS, "store64", "(L" + PAGE + ";JJ)V", false);
    }
  }

  /**
   * The slot of the page ({@code method}: readPage or writePage) for the {@code size}-byte access
   * at {@code addrSlot}; leaves for the interpreter when there is none or the access crosses into
   * the next page.
   */
  private int page(String method, int addrSlot, int size) {
    int page = g.intTemp();
    mv.visitVarInsn(ALOAD, Gen.S_MEMORY);
    mv.visitVarInsn(LLOAD, addrSlot);
    mv.visitMethodInsn(INVOKESTATIC, ACCESS, method, "(L" + Gen.MEMORY + ";J)L" + PAGE + ";",
        false);
    mv.visitVarInsn(ASTORE, page);
    Label leave = g.leaveForInterpreter();
    mv.visitVarInsn(ALOAD, page);
    mv.visitJumpInsn(IFNULL, leave);
    if (size > 1) {
      mv.visitVarInsn(LLOAD, addrSlot);
      mv.visitInsn(L2I);
      g.iconst(CompiledAccess.OFFSET_MASK);
      mv.visitInsn(IAND);
      g.iconst(CompiledAccess.PAGE_SIZE - size);
      mv.visitJumpInsn(IF_ICMPGT, leave);
    }
    return page;
  }

  /**
   * Pushes operand {@code i} read at {@code size} bytes, zero-extended; a memory operand is read
   * through {@code addrSlot} (an {@link #addressTemp}).
   */
  void read(Insn insn, int i, int size, int addrSlot) {
    switch (insn.kind(i)) {
      case Insn.K_GPR -> g.pushGpr(insn.reg(i), size);
      case Insn.K_GPR8H -> g.pushHigh8(insn.reg(i));
      case Insn.K_IMM -> g.lconst(size == 8 ? insn.imm : insn.imm & Flags.mask(size * 8));
      case Insn.K_MEM -> load(addrSlot, size);
      default -> throw new IllegalArgumentException("operand kind " + insn.kind(i));
    }
  }

  /** Reads operand {@code i} into a new temporary; returns its slot. */
  int readTemp(Insn insn, int i, int size, int addrSlot) {
    int t = g.longTemp();
    read(insn, i, size, addrSlot);
    mv.visitVarInsn(LSTORE, t);
    return t;
  }

  /** Writes the long in {@code valueSlot} to register operand {@code i} (not memory). */
  void writeRegister(Insn insn, int i, int size, int valueSlot) {
    mv.visitVarInsn(LLOAD, valueSlot);
    if (insn.kind(i) == Insn.K_GPR8H) {
      g.storeHigh8(insn.reg(i));
    } else {
      g.storeGpr(insn.reg(i), size);
    }
  }

  /** Whether operand {@code i} is one this class can read or write inline. */
  static boolean simple(Insn insn, int i) {
    int k = insn.kind(i);
    return k == Insn.K_GPR || k == Insn.K_GPR8H || k == Insn.K_IMM || k == Insn.K_MEM;
  }
}
