package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * MOVS, STOS, LODS, SCAS and CMPS, with REP/REPE/REPNE and the direction flag. The source is
 * {@code seg:rSI} (FS/GS overrides honoured), the destination {@code rDI}. A 67 prefix makes
 * rSI, rDI and rCX 32-bit. Forward REP MOVS and REP STOS move page-bounded chunks in bulk; a
 * fault leaves RSI, RDI and RCX describing exactly the elements done, as hardware does.
 */
final class StringExec {
  private static final int CHUNK = 4096;

  private StringExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn) {
    boolean rep = (insn.prefixes & (Insn.P_REP | Insn.P_REPNE)) != 0;
    if (!rep) {
      once(cpu, insn);
      return;
    }
    int a = insn.addrSize;
    boolean conditional = insn.op == dev.blinkchroot.emulator.decode.Op.SCAS
        || insn.op == dev.blinkchroot.emulator.decode.Op.CMPS;
    boolean whileEqual = (insn.prefixes & Insn.P_REP) != 0;
    while (cpu.read(Cpu.RCX, a) != 0) {
      if (!conditional && !cpu.flags.direction() && a == 8 && bulk(cpu, insn)) {
        continue;
      }
      once(cpu, insn);
      cpu.write(Cpu.RCX, a, cpu.read(Cpu.RCX, a) - 1);
      if (conditional && cpu.flags.isSet(Flags.ZF) != whileEqual) {
        break;
      }
    }
  }

  /** One element, then rSI/rDI move by the element size (backwards when DF is set). */
  private static void once(Cpu cpu, Insn insn) {
    int size = insn.opSize;
    int a = insn.addrSize;
    long step = cpu.flags.direction() ? -size : size;
    long src = cpu.read(Cpu.RSI, a) + OperandAccess.segmentBase(cpu, insn.seg);
    long dst = cpu.read(Cpu.RDI, a);
    GuestMemory m = cpu.memory;
    switch (insn.op) {
      case MOVS:
        OperandAccess.store(m, dst, size, OperandAccess.load(m, src, size));
        advance(cpu, Cpu.RSI, a, step);
        advance(cpu, Cpu.RDI, a, step);
        break;
      case STOS:
        OperandAccess.store(m, dst, size, cpu.read(Cpu.RAX, size));
        advance(cpu, Cpu.RDI, a, step);
        break;
      case LODS:
        cpu.write(Cpu.RAX, size, OperandAccess.load(m, src, size));
        advance(cpu, Cpu.RSI, a, step);
        break;
      case SCAS:
        Alu.sub(cpu.flags, size * 8, cpu.read(Cpu.RAX, size), OperandAccess.load(m, dst, size));
        advance(cpu, Cpu.RDI, a, step);
        break;
      default: // CMPS compares [rSI] with [rDI], flags as CMP [rSI], [rDI]
        Alu.sub(cpu.flags, size * 8, OperandAccess.load(m, src, size),
            OperandAccess.load(m, dst, size));
        advance(cpu, Cpu.RSI, a, step);
        advance(cpu, Cpu.RDI, a, step);
        break;
    }
  }

  private static void advance(Cpu cpu, int reg, int addrSize, long step) {
    cpu.write(reg, addrSize, cpu.read(reg, addrSize) + step);
  }

  /**
   * Moves as many whole elements as fit in the current source and destination pages at once.
   * Returns false (do one element instead) for LODS, for overlapping MOVS where a forward bulk
   * copy would differ from element order, or when less than one element fits.
   */
  private static boolean bulk(Cpu cpu, Insn insn) {
    int size = insn.opSize;
    long count = cpu.gpr[Cpu.RCX];
    long dst = cpu.gpr[Cpu.RDI];
    long room = Math.min(CHUNK, GuestMemory.PAGE_SIZE - (dst & (GuestMemory.PAGE_SIZE - 1)));
    byte[] buf;
    long elements;
    switch (insn.op) {
      case MOVS: {
        long src = cpu.gpr[Cpu.RSI] + OperandAccess.segmentBase(cpu, insn.seg);
        room = Math.min(room, GuestMemory.PAGE_SIZE - (src & (GuestMemory.PAGE_SIZE - 1)));
        elements = Long.compareUnsigned(count, room / size) < 0 ? count : room / size;
        int bytes = (int) (elements * size);
        if (elements == 0 || (dst > src && dst - src < bytes)) {
          return false;
        }
        buf = new byte[bytes];
        cpu.memory.readBytes(src, buf, 0, bytes);
        cpu.memory.writeBytes(dst, buf, 0, bytes);
        cpu.gpr[Cpu.RSI] += bytes;
        break;
      }
      case STOS: {
        elements = Long.compareUnsigned(count, room / size) < 0 ? count : room / size;
        int bytes = (int) (elements * size);
        if (elements == 0) {
          return false;
        }
        buf = new byte[bytes];
        long value = cpu.gpr[Cpu.RAX];
        for (int i = 0; i < bytes; i++) {
          buf[i] = (byte) (value >>> (8 * (i % size)));
        }
        cpu.memory.writeBytes(dst, buf, 0, bytes);
        break;
      }
      default:
        return false;
    }
    cpu.gpr[Cpu.RDI] += elements * size;
    cpu.gpr[Cpu.RCX] -= elements;
    return true;
  }
}
