package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.decode.Insn;

/**
 * Chooses how each instruction is compiled: inline by the emitter of its kind, or through the
 * executor ({@link Fallback}). The static questions (which instructions are inline, which may
 * fault, store, or overwrite flags) are answered here once, for the emitters and for the flag
 * liveness pass alike.
 */
final class InsnEmitter {
  final FlagEmitter flags;
  final Fallback fallback;
  private final Gen g;
  private final IntegerEmitter integer;
  private final ControlEmitter control;
  private final SseEmitter sse;
  private final StringEmitter strings;

  InsnEmitter(Gen g, RegionShape shape, ControlEmitter.Targets targets) {
    this.g = g;
    Operands operands = new Operands(g);
    flags = new FlagEmitter(g);
    fallback = new Fallback(g, flags, shape);
    integer = new IntegerEmitter(g, operands, flags);
    control = new ControlEmitter(g, operands, flags, targets);
    sse = new SseEmitter(g, operands, flags);
    strings = new StringEmitter(g, operands);
  }

  /** Whether {@code insn} is compiled inline (possibly with an executor slow path). */
  static boolean handles(Insn insn) {
    if (insn.raisesSigill() || insn.privileged || insn.vexKind != Insn.VEX_NONE) {
      return false;
    }
    return IntegerEmitter.handles(insn) || ControlEmitter.handles(insn)
        || SseEmitter.handles(insn) || StringEmitter.handles(insn);
  }

  /** Whether inline code for {@code insn} may fault or call its executor. */
  static boolean mayFault(Insn insn) {
    if (ControlEmitter.handles(insn)) {
      return ControlEmitter.touchesMemory(insn);
    }
    if (SseEmitter.handles(insn)) {
      return SseEmitter.mayFault(insn);
    }
    return (insn.memOperand() >= 0 && insn.op != dev.blinkchroot.emulator.decode.Op.LEA)
        || IntegerEmitter.hasSlowPath(insn) || StringEmitter.handles(insn);
  }

  /** Whether inline code for {@code insn} stores to memory (and then checks for changed code). */
  static boolean stores(Insn insn) {
    if (ControlEmitter.handles(insn)) {
      return ControlEmitter.stores(insn);
    }
    if (SseEmitter.handles(insn)) {
      return SseEmitter.stores(insn);
    }
    if (StringEmitter.handles(insn)) {
      return insn.op != dev.blinkchroot.emulator.decode.Op.LODS;
    }
    return IntegerEmitter.stores(insn);
  }

  /** Status flags the inline code overwrites whatever they were. */
  static int kills(Insn insn) {
    if (SseEmitter.handles(insn)) {
      return SseEmitter.kills(insn);
    }
    return IntegerEmitter.kills(insn);
  }

  /** Status flags the inline code may change (it records them only if one is live after it). */
  static int flagsTouched(Insn insn) {
    return kills(insn) | (insn.flagsWritten & Insn.F_STATUS);
  }

  void emit(int index, Insn insn, boolean flagsLive) {
    if (ControlEmitter.handles(insn)) {
      control.emit(index, insn); // counts the instruction itself: it may jump away
      return;
    }
    Runnable slowPath = () -> g.resumeInInterpreter(insn);
    if (SseEmitter.handles(insn)) {
      sse.emit(insn, slowPath);
    } else if (StringEmitter.handles(insn)) {
      strings.emit(insn);
    } else {
      integer.emit(insn, flagsLive, slowPath);
    }
    g.retire(); // (a store never changes decoded code: the interpreter does those)
  }
}
