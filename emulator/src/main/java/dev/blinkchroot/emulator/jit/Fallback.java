package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Executor;
import dev.blinkchroot.emulator.cpu.OpTable;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An instruction the compiler does not emit inline runs through the interpreter's own executor
 * ({@link OpTable}): the registers the region keeps in locals and changed since the last call
 * are written to the {@code Cpu}, RIP is set past the instruction, the executor runs, and the
 * locals it may have changed are read back. (The slow path of an inline instruction instead
 * leaves the region for the interpreter: {@link Gen#resumeInInterpreter}.)
 *
 * <p>While the executor runs, the fault index is {@code -(index + 1)}: a fault then leaves the
 * {@code Cpu} as the executor left it, exactly as in the interpreter.
 */
final class Fallback implements Opcodes {
  private static final String EXECUTOR = "dev/blinkchroot/emulator/cpu/Executor";
  private final Gen g;
  private final MethodVisitor mv;
  private final FlagEmitter flags;
  /** The register sets of the whole region (from the first emission pass). */
  private final RegionShape shape;

  Fallback(Gen g, FlagEmitter flags, RegionShape shape) {
    this.g = g;
    this.mv = g.mv;
    this.flags = flags;
    this.shape = shape;
  }

  /**
   * Calls the executor of instruction {@code index}; afterwards the locals hold the state it
   * left. A control transfer (or a trap) leaves the region with the Cpu's RIP; otherwise code
   * continues with the next instruction, unless decoded code changed.
   */
  void emit(int index, Insn insn) {
    g.flushRetired(); // a fault in the call reports the count so far
    g.iconst(-(index + 1));
    mv.visitVarInsn(ISTORE, Gen.S_PC);
    g.spillDirty();
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    g.lconst(insn.nextAddress());
    mv.visitFieldInsn(PUTFIELD, Gen.CPU, "rip", "J");
    Label callStart = new Label();
    Label callEnd = new Label();
    mv.visitTryCatchBlock(callStart, callEnd, g.executorFault, "java/lang/Throwable");
    g.executorFaultUsed = true;
    mv.visitLabel(callStart);
    if (insn.raisesSigill() || insn.privileged) {
      mv.visitVarInsn(ALOAD, Gen.S_CPU);
      g.insnConstant(insn);
      pushSyscalls();
      mv.visitMethodInsn(INVOKESTATIC, Gen.RUNNER, "executeOne",
          "(L" + Gen.CPU + ";L" + Gen.INSN + ";Ldev/blinkchroot/emulator/cpu/SyscallHandler;)V",
          false);
    } else {
      Executor executor = OpTable.executor(insn.op);
      g.constant(executor, EXECUTOR);
      mv.visitVarInsn(ALOAD, Gen.S_CPU);
      g.insnConstant(insn);
      pushSyscalls();
      mv.visitMethodInsn(INVOKEINTERFACE, EXECUTOR, "execute",
          "(L" + Gen.CPU + ";L" + Gen.INSN + ";Ldev/blinkchroot/emulator/cpu/SyscallHandler;)V",
          true);
    }
    mv.visitLabel(callEnd);
    g.retire();
    if (insn.branch || insn.op == Op.POPF) {
      // RIP is the executor's; the Cpu holds everything: report and return. (POPF may set TF,
      // and single steps are the interpreter's.)
      g.flushRetired();
      mv.visitVarInsn(ALOAD, Gen.S_RUNNER);
      mv.visitVarInsn(LLOAD, Gen.S_EXECUTED);
      mv.visitMethodInsn(INVOKEVIRTUAL, Gen.RUNNER, "addRetired", "(J)V", false);
      mv.visitInsn(RETURN);
      return;
    }
    mv.visitVarInsn(ALOAD, Gen.S_CPU); // an executor may have changed MXCSR
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "mxcsr", "I");
    mv.visitVarInsn(ISTORE, Gen.S_MXCSR);
    g.forgetXmmKnowledge();
    boolean reloadFlags = shape.flagsUsed() && ExecutorEffects.flagsWritten(insn);
    g.loadState(select(shape.gprUsed(), ExecutorEffects.gprsWritten(insn)),
        select(shape.xmmUsed(), ExecutorEffects.xmmsWritten(insn)), reloadFlags);
    if (reloadFlags) {
      flags.forget();
    }
    g.checkCodeUnchanged(insn.nextAddress());
  }

  private static boolean[] select(boolean[] used, int mask) {
    boolean[] out = new boolean[16];
    for (int i = 0; i < 16; i++) {
      out[i] = used[i] && (mask >> i & 1) != 0;
    }
    return out;
  }

  private void pushSyscalls() {
    mv.visitVarInsn(ALOAD, Gen.S_RUNNER);
    mv.visitMethodInsn(INVOKEVIRTUAL, Gen.RUNNER, "syscalls",
        "()Ldev/blinkchroot/emulator/cpu/SyscallHandler;", false);
  }
}
