package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.decode.Insn;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The emission context of one region's {@code run} method: the JVM local variables that hold the
 * guest state, constants, temporaries, and the exits. Guest registers live in locals for the
 * whole method: loaded once on entry (those the region uses), written back at every exit and
 * before anything that reads the {@code Cpu} (an executor call, a fault).
 *
 * <pre>
 * slot  0 this   1 cpu   2 runner   3 memory   4 generation on entry
 *       5 pc (-(index+1) of the instruction whose executor is running)   6-7 instructions executed
 *       8-9 next RIP   10 cpu.gpr  11 cpu.xmm  12 cpu.flags  13 MXCSR
 *      14-15 instruction budget
 *      16.. GPR r at 16 + 2r;  48 flag op, 49 width, 50 dst, 52 src, 54 res, 56 aux, 58 materialised
 *      60.. XMM i low at 60 + 4i, high at 62 + 4i;  124.. temporaries of the current instruction
 * </pre>
 *
 * Retired instructions are counted at compile time and added to the counter once per path
 * segment (before a jump, a merge point, an exit or an executor call), not per instruction.
 */
final class Gen implements Opcodes {
  static final String CPU = "dev/blinkchroot/emulator/cpu/Cpu";
  static final String FLAGS = "dev/blinkchroot/emulator/cpu/Flags";
  static final String RUNNER = "dev/blinkchroot/emulator/cpu/Interpreter";
  static final String MEMORY = "dev/blinkchroot/emulator/memory/GuestMemory";
  static final String CODE_CACHE = "dev/blinkchroot/emulator/cpu/CodeCache";
  static final String INSN = "dev/blinkchroot/emulator/decode/Insn";
  static final String RUNTIME = "dev/blinkchroot/emulator/jit/JitRuntime";

  static final int S_THIS = 0;
  static final int S_CPU = 1;
  static final int S_RUNNER = 2;
  static final int S_MEMORY = 3;
  static final int S_GENERATION = 4;
  static final int S_PC = 5;
  static final int S_EXECUTED = 6;
  static final int S_NEXT = 8;
  static final int S_GPRS = 10;
  static final int S_XMMS = 11;
  static final int S_FLAGS = 12;
  /** MXCSR: read on entry and after every executor call (compiled code never changes it). */
  static final int S_MXCSR = 13;
  static final int S_BUDGET = 14;
  static final int S_FOP = 48;
  static final int S_FWIDTH = 49;
  static final int S_FDST = 50;
  static final int S_FSRC = 52;
  static final int S_FRES = 54;
  static final int S_FAUX = 56;
  static final int S_FMAT = 58;
  private static final int S_TEMPS = 124;

  private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC,
      "java/lang/invoke/MethodHandles", "classDataAt",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
          + "Ljava/lang/Object;", false);

  final MethodVisitor mv;
  final Region region;
  /** The objects the generated class reads as constants (its class data). */
  final List<Object> classData = new ArrayList<>();
  /** Guest registers the region reads or writes (loaded on entry) and writes (stored back). */
  final boolean[] gprUsed = new boolean[16];
  final boolean[] gprWritten = new boolean[16];
  final boolean[] xmmUsed = new boolean[16];
  final boolean[] xmmWritten = new boolean[16];
  /** Whether inline code changes the flag locals (they are then stored back). */
  boolean flagsWritten;
  /** Whether inline code reads the flag locals (they are then loaded on entry). */
  boolean flagsRead;
  /**
   * Locals that may differ from the Cpu's copy here (written since the last executor call, as
   * far as straight-line emission can tell; at a merge point, everything the region writes).
   * An executor call saves exactly these first.
   */
  final boolean[] gprDirty = new boolean[16];
  final boolean[] xmmDirty = new boolean[16];
  boolean flagsDirty;
  /** Where an executor call's throwable goes (see {@link Fallback}); emitted if used. */
  final Label executorFault = new Label();
  boolean executorFaultUsed;
  /** The common exit: writes the state back and returns; expects {@link #S_NEXT} set. */
  final Label exit = new Label();
  private int nextTemp = S_TEMPS;
  private final List<Runnable> deferred = new ArrayList<>();

  Gen(MethodVisitor mv, Region region) {
    this.mv = mv;
    this.region = region;
  }

  static int gprSlot(int r) {
    return 16 + 2 * r;
  }

  static int xmmLowSlot(int i) {
    return 60 + 4 * i;
  }

  static int xmmHighSlot(int i) {
    return 62 + 4 * i;
  }

  // ---------------------------------------------------------------- temporaries and constants

  /** Temporaries live within one instruction's code; each instruction starts afresh. */
  void resetTemps() {
    nextTemp = S_TEMPS;
  }

  /** A fresh long (two-slot) local. */
  int longTemp() {
    int t = nextTemp;
    nextTemp += 2;
    return t;
  }

  /** A fresh int local. */
  int intTemp() {
    return nextTemp++;
  }

  /** Sign-extends the long in {@code slot} from {@code width} bits, in place. */
  void signExtend(int slot, int width) {
    if (width == 64) {
      return;
    }
    mv.visitVarInsn(LLOAD, slot);
    iconst(64 - width);
    mv.visitInsn(LSHL);
    iconst(64 - width);
    mv.visitInsn(LSHR);
    mv.visitVarInsn(LSTORE, slot);
  }

  void lconst(long v) {
    if (v == 0) {
      mv.visitInsn(LCONST_0);
    } else if (v == 1) {
      mv.visitInsn(LCONST_1);
    } else {
      mv.visitLdcInsn(v);
    }
  }

  void iconst(int v) {
    if (v >= -1 && v <= 5) {
      mv.visitInsn(ICONST_0 + v);
    } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
      mv.visitIntInsn(BIPUSH, v);
    } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
      mv.visitIntInsn(SIPUSH, v);
    } else {
      mv.visitLdcInsn(v);
    }
  }

  /** Pushes {@code value} as a constant of class {@code type} taken from the class data. */
  void constant(Object value, String type) {
    constantWithDescriptor(value, "L" + type + ";");
  }

  /**
   * Pushes {@code value} (of the type {@code descriptor} names) as a dynamic constant: HotSpot
   * treats it as a true constant, so a call on it can be inlined.
   */
  void constantWithDescriptor(Object value, String descriptor) {
    int index = -1;
    for (int i = 0; i < classData.size(); i++) {
      if (classData.get(i) == value) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      index = classData.size();
      classData.add(value);
    }
    mv.visitLdcInsn(dynamicConstant(index, descriptor));
    constantDescriptors.put(index, descriptor);
  }

  /** The descriptors of the dynamic constants by class-data index. */
  final java.util.Map<Integer, String> constantDescriptors = new java.util.TreeMap<>();

  static ConstantDynamic dynamicConstant(int index, String descriptor) {
    return new ConstantDynamic("_", descriptor, CLASS_DATA_AT, index);
  }

  void insnConstant(Insn insn) {
    constant(insn, INSN);
  }

  /** Code emitted after the body (exit stubs), out of the hot path. */
  void defer(Runnable code) {
    deferred.add(code);
  }

  void emitDeferred() {
    for (int i = 0; i < deferred.size(); i++) {
      deferred.get(i).run();
    }
    deferred.clear();
  }

  // ---------------------------------------------------------------- guest registers

  void loadGpr(int r) {
    gprUsed[r] = true;
    mv.visitVarInsn(LLOAD, gprSlot(r));
  }

  /** Stores the long on the stack as the whole 64-bit register. */
  void storeGpr64(int r) {
    gprUsed[r] = true;
    gprWritten[r] = true;
    gprDirty[r] = true;
    mv.visitVarInsn(LSTORE, gprSlot(r));
  }

  /**
   * Stores the long on the stack into register {@code r} at {@code size} bytes with x86's rules:
   * 4 zero-extends, 1 and 2 keep the bits above.
   */
  void storeGpr(int r, int size) {
    switch (size) {
      case 8 -> storeGpr64(r);
      case 4 -> {
        lconst(0xffff_ffffL);
        mv.visitInsn(LAND);
        storeGpr64(r);
      }
      default -> {
        long mask = size == 2 ? 0xffffL : 0xffL;
        lconst(mask);
        mv.visitInsn(LAND);
        loadGpr(r);
        lconst(~mask);
        mv.visitInsn(LAND);
        mv.visitInsn(LOR);
        storeGpr64(r);
      }
    }
  }

  /** Pushes register {@code r} read at {@code size} bytes, zero-extended. */
  void pushGpr(int r, int size) {
    loadGpr(r);
    if (size < 8) {
      lconst(dev.blinkchroot.emulator.cpu.Flags.mask(size * 8));
      mv.visitInsn(LAND);
    }
  }

  /** Pushes AH/CH/DH/BH (bits 15..8 of register {@code r}). */
  void pushHigh8(int r) {
    loadGpr(r);
    iconst(8);
    mv.visitInsn(LUSHR);
    lconst(0xff);
    mv.visitInsn(LAND);
  }

  /** Stores the long on the stack into AH/CH/DH/BH. */
  void storeHigh8(int r) {
    lconst(0xff);
    mv.visitInsn(LAND);
    iconst(8);
    mv.visitInsn(LSHL);
    loadGpr(r);
    lconst(~0xff00L);
    mv.visitInsn(LAND);
    mv.visitInsn(LOR);
    storeGpr64(r);
  }

  void loadXmm(int i, boolean high) {
    xmmUsed[i] = true;
    mv.visitVarInsn(LLOAD, high ? xmmHighSlot(i) : xmmLowSlot(i));
  }

  void storeXmm(int i, boolean high) {
    xmmUsed[i] = true;
    xmmWritten[i] = true;
    xmmDirty[i] = true;
    if (!high) {
      xmmLowOrdinary[i] = false; // unless the writer says so after the store
    }
    mv.visitVarInsn(LSTORE, high ? xmmHighSlot(i) : xmmLowSlot(i));
  }

  // ---------------------------------------------------------------- moving state to and from Cpu

  /** Loads every used register from the Cpu (method entry, and after an executor call). */
  void loadState(boolean[] gprs, boolean[] xmms, boolean flags) {
    for (int r = 0; r < 16; r++) {
      if (gprs[r]) {
        mv.visitVarInsn(ALOAD, S_GPRS);
        iconst(r);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(LSTORE, gprSlot(r));
      }
    }
    for (int i = 0; i < 16; i++) {
      if (xmms[i]) {
        for (int half = 0; half < 2; half++) {
          mv.visitVarInsn(ALOAD, S_XMMS);
          iconst(2 * i + half);
          mv.visitInsn(LALOAD);
          mv.visitVarInsn(LSTORE, half == 0 ? xmmLowSlot(i) : xmmHighSlot(i));
        }
      }
    }
    if (flags) {
      loadFlag("lazyOp", "()I", ISTORE, S_FOP);
      loadFlag("lazyWidth", "()I", ISTORE, S_FWIDTH);
      loadFlag("lazyDst", "()J", LSTORE, S_FDST);
      loadFlag("lazySrc", "()J", LSTORE, S_FSRC);
      loadFlag("lazyRes", "()J", LSTORE, S_FRES);
      loadFlag("lazyAux", "()J", LSTORE, S_FAUX);
      loadFlag("materialised", "()J", LSTORE, S_FMAT);
    }
  }

  private void loadFlag(String getter, String descriptor, int store, int slot) {
    mv.visitVarInsn(ALOAD, S_FLAGS);
    mv.visitMethodInsn(INVOKEVIRTUAL, FLAGS, getter, descriptor, false);
    mv.visitVarInsn(store, slot);
  }

  /** Stores the written registers and flags back into the Cpu. */
  void storeState(boolean[] gprs, boolean[] xmms, boolean flags) {
    for (int r = 0; r < 16; r++) {
      if (gprs[r]) {
        mv.visitVarInsn(ALOAD, S_GPRS);
        iconst(r);
        mv.visitVarInsn(LLOAD, gprSlot(r));
        mv.visitInsn(LASTORE);
      }
    }
    for (int i = 0; i < 16; i++) {
      if (xmms[i]) {
        for (int half = 0; half < 2; half++) {
          mv.visitVarInsn(ALOAD, S_XMMS);
          iconst(2 * i + half);
          mv.visitVarInsn(LLOAD, half == 0 ? xmmLowSlot(i) : xmmHighSlot(i));
          mv.visitInsn(LASTORE);
        }
      }
    }
    if (flags) {
      mv.visitVarInsn(ALOAD, S_FLAGS);
      mv.visitVarInsn(ILOAD, S_FOP);
      mv.visitVarInsn(ILOAD, S_FWIDTH);
      mv.visitVarInsn(LLOAD, S_FDST);
      mv.visitVarInsn(LLOAD, S_FSRC);
      mv.visitVarInsn(LLOAD, S_FRES);
      mv.visitVarInsn(LLOAD, S_FAUX);
      mv.visitVarInsn(LLOAD, S_FMAT);
      mv.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "setLazy", "(IIJJJJJ)V", false);
    }
  }

  /**
   * XMM registers whose low quadword is known, here in straight-line code, to be a double that
   * a scalar fast path produced: normal by a margin, or an exact zero. Operations on such a
   * value skip the operand checks. Forgotten at merge points and after executor calls.
   */
  final boolean[] xmmLowOrdinary = new boolean[16];

  void forgetXmmKnowledge() {
    java.util.Arrays.fill(xmmLowOrdinary, false);
  }

  /** At a merge point: any register the region writes may be dirty. */
  void markAllDirty(RegionShape shape) {
    forgetXmmKnowledge();
    System.arraycopy(shape.gprWritten(), 0, gprDirty, 0, 16);
    System.arraycopy(shape.xmmWritten(), 0, xmmDirty, 0, 16);
    flagsDirty = shape.flagsWritten();
  }

  /** Saves the dirty locals into the Cpu (before an executor call); they are clean after. */
  void spillDirty() {
    storeState(gprDirty, xmmDirty, flagsDirty);
    java.util.Arrays.fill(gprDirty, false);
    java.util.Arrays.fill(xmmDirty, false);
    flagsDirty = false;
  }

  // ---------------------------------------------------------------- control

  /** The instruction index a fault is reported for from here on. */
  void setPc(int pc) {
    iconst(pc);
    mv.visitVarInsn(ISTORE, S_PC);
  }

  /** Counts one retired instruction (added to the counter at the next flush). */
  void retire() {
    pendingRetired++;
  }

  /** Instructions retired since the counter was last brought up to date on this path. */
  private int pendingRetired;

  int pendingRetired() {
    return pendingRetired;
  }

  /** Adds {@code count} to the counter (code on a side path: the main path keeps its count). */
  void addRetired(int count) {
    if (count > 0) {
      mv.visitVarInsn(LLOAD, S_EXECUTED);
      lconst(count);
      mv.visitInsn(LADD);
      mv.visitVarInsn(LSTORE, S_EXECUTED);
    }
  }

  /** Brings the counter up to date before a jump, a merge point, an exit or a call. */
  void flushRetired() {
    addRetired(pendingRetired);
    pendingRetired = 0;
  }

  /** Leaves through the common exit with RIP = {@code address} (the count is the caller's). */
  void exitTo(long address) {
    lconst(address);
    mv.visitVarInsn(LSTORE, S_NEXT);
    mv.visitJumpInsn(GOTO, exit);
  }

  /**
   * A label that, reached by a jump from here, leaves with RIP = {@code address} (emitted later,
   * adding the instructions retired here and not yet counted).
   */
  Label exitStub(long address) {
    Label stub = new Label();
    int retired = pendingRetired;
    defer(() -> {
      mv.visitLabel(stub);
      addRetired(retired);
      exitTo(address);
    });
    return stub;
  }

  /**
   * The slow path of an inline instruction: leave with the state before it and RIP on it, for
   * the interpreter to run it (its executor then handles whatever the fast path did not).
   */
  void resumeInInterpreter(Insn insn) {
    resumeInInterpreter(insn, pendingRetired);
  }

  /** As {@link #resumeInInterpreter(Insn)}, in deferred code: {@code retired} not yet counted. */
  void resumeInInterpreter(Insn insn, int retired) {
    addRetired(retired);
    mv.visitVarInsn(ALOAD, S_RUNNER);
    mv.visitMethodInsn(INVOKEVIRTUAL, RUNNER, "resumeInInterpreter", "()V", false);
    exitTo(insn.address);
  }

  /**
   * The label of the current instruction's slow path: leave with the state before it for the
   * interpreter to run it (one stub per instruction, emitted after the body).
   */
  Label leaveForInterpreter() {
    if (leaveStub == null || leaveStubInsn != currentInsn) {
      Label stub = new Label();
      Insn insn = currentInsn;
      int retired = pendingRetired;
      defer(() -> {
        mv.visitLabel(stub);
        resumeInInterpreter(insn, retired);
      });
      leaveStub = stub;
      leaveStubInsn = currentInsn;
    }
    return leaveStub;
  }

  private Label leaveStub;
  private Insn leaveStubInsn;

  /** Leaves at once if decoded code changed (a store or a call may have rewritten this code). */
  void checkCodeUnchanged(long nextAddress) {
    constant(codeCache, CODE_CACHE);
    mv.visitMethodInsn(INVOKEVIRTUAL, CODE_CACHE, "version", "()I", false);
    mv.visitVarInsn(ILOAD, S_GENERATION);
    mv.visitJumpInsn(IF_ICMPNE, exitStub(nextAddress));
  }

  /** The instruction being emitted (where an inline slow path resumes in the interpreter). */
  Insn currentInsn;
  /** Set by the compiler: the code cache whose generation is checked. */
  Object codeCache;

  /** The registers and flags this emission used, for the next pass's spills and reloads. */
  RegionShape shape() {
    return new RegionShape(gprUsed.clone(), gprWritten.clone(), xmmUsed.clone(),
        xmmWritten.clone(), flagsRead || flagsWritten, flagsWritten);
  }

  static String descriptor(Class<?> c) {
    return Type.getDescriptor(c);
  }
}
