package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.decode.Insn;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Compiles a {@link Region} into one class whose {@code run} method executes its instructions
 * with the guest registers in locals: one JVM method per region, so that HotSpot compiles the
 * guest's loops as loops. The method is emitted twice: a first pass finds which registers and
 * flags the inline code uses (the second pass then knows what to save around executor calls).
 */
final class RegionCompiler implements Opcodes {
  /** HotSpot does not JIT-compile methods above 8000 bytes of bytecode; stay well under. */
  static final int MAX_METHOD_BYTES = 7900;
  private static final String SUPER = "dev/blinkchroot/emulator/jit/RegionCode";
  private static final String RUN_DESCRIPTOR =
      "(L" + Gen.CPU + ";L" + Gen.RUNNER + ";I)V";

  /**
   * A compiled region: the class file, its constants, and the method's bytecode size; or, when
   * the region is too big for one method, no class file and the first pass's size estimate.
   */
  record Output(byte[] classFile, List<Object> classData, int methodBytes) {
    boolean tooBig() {
      return classFile == null;
    }
  }

  private final Region region;
  private final CodeCache code;
  private final int[] liveOut;
  private final boolean[] inline;

  private RegionCompiler(Region region, CodeCache code) {
    this.region = region;
    this.code = code;
    int n = region.size();
    inline = new boolean[n];
    for (int i = 0; i < n; i++) {
      inline[i] = InsnEmitter.handles(region.insns[i]);
    }
    liveOut = FlagLiveness.liveOut(region, new FlagLiveness.Facts() {
      @Override
      public boolean mayFault(int i) {
        return !inline[i] || InsnEmitter.mayFault(region.insns[i]);
      }

      @Override
      public boolean mayExitAfter(int i) {
        return !inline[i]; // an executor call, after which decoded code may have changed
      }

      @Override
      public int kills(int i) {
        return inline[i] ? InsnEmitter.kills(region.insns[i]) : 0;
      }
    });
  }

  static Output compile(Region region, CodeCache code) {
    RegionCompiler c = new RegionCompiler(region, code);
    SizeEstimate estimate = new SizeEstimate();
    Gen first = c.emitRun(estimate, RegionShape.empty());
    if (estimate.bytes() > MAX_METHOD_BYTES) {
      return new Output(null, List.of(), estimate.bytes());
    }
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String a, String b) {
        return "java/lang/Object"; // only Throwables meet here; no class loading while compiling
      }
    };
    String name = "dev/blinkchroot/emulator/jit/Region_" + Long.toHexString(region.entry);
    cw.visit(V17, ACC_FINAL | ACC_SUPER, name, null, SUPER, null);
    MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, SUPER, "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor run = cw.visitMethod(ACC_FINAL, "run", RUN_DESCRIPTOR, null, null);
    run.visitCode();
    Gen second = c.emitRun(run, first.shape());
    Label end = new Label();
    run.visitLabel(end); // its offset is the method's bytecode length
    run.visitMaxs(0, 0);
    run.visitEnd();
    resolveConstants(cw, second);
    cw.visitEnd();
    return new Output(cw.toByteArray(), second.classData, end.getOffset());
  }

  /**
   * A static initializer that loads every dynamic constant once. C1 and C2 refuse to compile a
   * method holding a dynamic constant that was never resolved ("could not resolve a constant"),
   * and constants on paths not yet taken (an exit stub, a slow path) would otherwise stay so.
   */
  private static void resolveConstants(ClassWriter cw, Gen g) {
    MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
    clinit.visitCode();
    g.constantDescriptors.forEach((index, descriptor) -> {
      clinit.visitLdcInsn(Gen.dynamicConstant(index, descriptor));
      clinit.visitInsn(POP);
    });
    clinit.visitInsn(RETURN);
    clinit.visitMaxs(0, 0);
    clinit.visitEnd();
  }

  /** Emits the whole {@code run} method into {@code mv}; returns its context. */
  private Gen emitRun(MethodVisitor mv, RegionShape shape) {
    Gen g = new Gen(mv, region);
    g.codeCache = code;
    prologue(g, shape);
    Label[] labels = new Label[region.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = new Label();
    }
    // The entry number came in slot 3, parked in the pc slot by the prologue.
    Label[] entryLabels = new Label[region.entries.length];
    for (int e = 0; e < entryLabels.length; e++) {
      entryLabels[e] = labels[region.entries[e]];
    }
    mv.visitVarInsn(ILOAD, Gen.S_PC);
    mv.visitTableSwitchInsn(0, entryLabels.length - 1, entryLabels[0], entryLabels);
    InsnEmitter emitter = new InsnEmitter(g, shape, (from, address) -> target(g, labels, from,
        address));
    for (int i = 0; i < region.size(); i++) {
      Insn insn = region.insns[i];
      if (region.jumpTarget[i]) {
        g.flushRetired(); // on the fall-through path into this merge point
      }
      mv.visitLabel(labels[i]);
      // Line i + 1 is guest instruction i: profilers and stack traces name the instruction.
      mv.visitLineNumber(i + 1, labels[i]);
      if (region.jumpTarget[i]) {
        emitter.flags.forget();
        g.markAllDirty(shape);
      }
      g.resetTemps();
      g.currentInsn = insn;
      if (inline[i]) {
        emitter.emit(i, insn, (liveOut[i] & InsnEmitter.flagsTouched(insn)) != 0);
      } else {
        emitter.fallback.emit(i, insn);
      }
      if (Region.fallsThrough(insn) && (i + 1 >= region.size()
          || region.insns[i + 1].address != insn.nextAddress())) {
        g.flushRetired();
        mv.visitJumpInsn(GOTO, target(g, labels, i, insn.nextAddress()));
      }
    }
    exit(g);
    g.emitDeferred();
    if (g.executorFaultUsed) {
      executorFaultHandler(g);
    }
    return g;
  }

  /** Loads the Cpu's state into locals; sets up the counters. */
  private void prologue(Gen g, RegionShape shape) {
    MethodVisitor mv = g.mv;
    mv.visitVarInsn(ILOAD, 3); // the entry, which arrives where the memory local will live
    mv.visitVarInsn(ISTORE, Gen.S_PC);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "memory", "L" + Gen.MEMORY + ";");
    mv.visitVarInsn(ASTORE, Gen.S_MEMORY);
    g.constant(code, Gen.CODE_CACHE);
    mv.visitMethodInsn(INVOKEVIRTUAL, Gen.CODE_CACHE, "generation", "()I", false);
    mv.visitVarInsn(ISTORE, Gen.S_GENERATION);
    mv.visitInsn(LCONST_0);
    mv.visitVarInsn(LSTORE, Gen.S_EXECUTED);
    mv.visitVarInsn(ALOAD, Gen.S_RUNNER);
    mv.visitMethodInsn(INVOKEVIRTUAL, Gen.RUNNER, "budgetLeft", "()J", false);
    mv.visitVarInsn(LSTORE, Gen.S_BUDGET);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "mxcsr", "I");
    mv.visitVarInsn(ISTORE, Gen.S_MXCSR);
    mv.visitInsn(LCONST_0);
    mv.visitVarInsn(LSTORE, Gen.S_NEXT);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "gpr", "[J");
    mv.visitVarInsn(ASTORE, Gen.S_GPRS);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "xmm", "[J");
    mv.visitVarInsn(ASTORE, Gen.S_XMMS);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitFieldInsn(GETFIELD, Gen.CPU, "flags", "L" + Gen.FLAGS + ";");
    mv.visitVarInsn(ASTORE, Gen.S_FLAGS);
    g.loadState(shape.gprUsed(), shape.xmmUsed(), shape.flagsUsed());
  }

  /**
   * The label a branch from instruction {@code from} to {@code address} takes: the
   * instruction's own label when it is ahead in the region, a check for interrupts and the
   * budget first when it is a back-edge, an exit stub when it is outside the region.
   */
  private Label target(Gen g, Label[] labels, int from, long address) {
    int t = region.index(address);
    if (t < 0) {
      return g.exitStub(address);
    }
    if (t > from) {
      return labels[t];
    }
    Label check = new Label();
    Label leave = g.exitStub(address);
    g.defer(() -> {
      MethodVisitor mv = g.mv;
      mv.visitLabel(check);
      mv.visitVarInsn(LLOAD, Gen.S_EXECUTED);
      mv.visitVarInsn(LLOAD, Gen.S_BUDGET);
      mv.visitInsn(LCMP);
      mv.visitJumpInsn(IFGE, leave);
      mv.visitVarInsn(ALOAD, Gen.S_CPU);
      mv.visitMethodInsn(INVOKEVIRTUAL, Gen.CPU, "interruptPending", "()Z", false);
      mv.visitJumpInsn(IFNE, leave);
      mv.visitJumpInsn(GOTO, labels[t]);
    });
    return check;
  }

  /** The common exit: the state back into the Cpu, RIP = next, the count reported. */
  private void exit(Gen g) {
    MethodVisitor mv = g.mv;
    mv.visitLabel(g.exit);
    RegionShape s = g.shape();
    g.storeState(s.gprWritten(), s.xmmWritten(), s.flagsWritten());
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    mv.visitVarInsn(LLOAD, Gen.S_NEXT);
    mv.visitFieldInsn(PUTFIELD, Gen.CPU, "rip", "J");
    reportRetired(g);
    mv.visitInsn(RETURN);
  }

  /**
   * A throwable from an executor call: the Cpu holds the state (the call saved every changed
   * local first, and the executor left what it left), so only RIP and the count are settled,
   * as the interpreter settles them. Inline code never throws a guest fault: its slow paths
   * leave for the interpreter instead, so no handler needs the register locals (which keeps
   * HotSpot's work on these methods small).
   */
  private void executorFaultHandler(Gen g) {
    MethodVisitor mv = g.mv;
    mv.visitLabel(g.executorFault);
    int thrown = Gen.S_NEXT; // NEXT is dead here: reuse its first slot for the throwable
    mv.visitVarInsn(ASTORE, thrown);
    reportRetired(g);
    mv.visitVarInsn(ALOAD, Gen.S_CPU);
    g.constantWithDescriptor(region.insns, "[L" + Gen.INSN + ";");
    mv.visitVarInsn(ILOAD, Gen.S_PC);
    mv.visitVarInsn(ALOAD, thrown);
    mv.visitMethodInsn(INVOKESTATIC, Gen.RUNTIME, "fault",
        "(L" + Gen.CPU + ";[L" + Gen.INSN + ";ILjava/lang/Throwable;)Ljava/lang/Throwable;",
        false);
    mv.visitInsn(ATHROW);
  }

  private static void reportRetired(Gen g) {
    MethodVisitor mv = g.mv;
    mv.visitVarInsn(ALOAD, Gen.S_RUNNER);
    mv.visitVarInsn(LLOAD, Gen.S_EXECUTED);
    mv.visitMethodInsn(INVOKEVIRTUAL, Gen.RUNNER, "addRetired", "(J)V", false);
  }
}
