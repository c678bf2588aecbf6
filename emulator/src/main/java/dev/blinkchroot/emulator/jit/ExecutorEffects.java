package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.OpTable;
import dev.blinkchroot.emulator.decode.Insn;

/**
 * Which guest registers an instruction's executor may write, so that compiled code reads back
 * into its locals only those after calling it (everything else the locals still hold). Exact for
 * the SSE and x87 families, whose executors touch the operands the decoder lists plus a few
 * implicit ones named here; every other executor is assumed to write every register and flag.
 */
final class ExecutorEffects {
  static final int ALL = 0xffff;

  private ExecutorEffects() {}

  /** The general registers (bit r) the executor of {@code insn} may write. */
  static int gprsWritten(Insn insn) {
    switch (family(insn)) {
      case SSE:
        int written = explicitGprs(insn);
        switch (insn.op) {
          case PCMPESTRI: case PCMPISTRI:
            return written | 1 << 1; // ECX
          default:
            return written;
        }
      case X87:
        return explicitGprs(insn) | 1; // FNSTSW AX
      case STRING:
        return 1 << 0 | 1 << 1 | 1 << 6 | 1 << 7; // RAX (LODS) RCX (REP) RSI RDI
      default:
        return ALL;
    }
  }

  /** The XMM registers (bit i) the executor of {@code insn} may write. */
  static int xmmsWritten(Insn insn) {
    switch (family(insn)) {
      case SSE:
        int written = explicitXmms(insn);
        switch (insn.op) {
          case PCMPESTRM: case PCMPISTRM:
            return written | 1; // XMM0
          default:
            return written;
        }
      case X87:
        switch (insn.op) {
          case FXRSTOR: case XRSTOR: case XRSTORS:
            return ALL;
          default:
            return 0;
        }
      case STRING:
        return 0;
      default:
        return ALL;
    }
  }

  /** Whether the executor of {@code insn} may change the status flags. */
  static boolean flagsWritten(Insn insn) {
    Family f = family(insn);
    return f == Family.OTHER || (insn.flagsWritten & Insn.F_STATUS) != 0;
  }

  private enum Family { SSE, X87, STRING, OTHER }

  private static Family family(Insn insn) {
    if (insn.raisesSigill() || insn.privileged) {
      return Family.SSE; // raises before touching anything
    }
    String name = OpTable.familyName(insn.op);
    switch (name) {
      case "SSE_INTEGER": case "SSE_FLOAT":
        return Family.SSE;
      case "X87":
        return Family.X87;
      case "STRING":
        return Family.STRING;
      default:
        return Family.OTHER;
    }
  }

  private static int explicitGprs(Insn insn) {
    int mask = 0;
    for (int i = 0; i < insn.nOperands; i++) {
      int k = insn.kind(i);
      if (k == Insn.K_GPR || k == Insn.K_GPR8H) {
        mask |= 1 << insn.reg(i);
      }
    }
    return mask;
  }

  private static int explicitXmms(Insn insn) {
    int mask = 0;
    for (int i = 0; i < insn.nOperands; i++) {
      if (insn.kind(i) == Insn.K_XMM) {
        mask |= 1 << (insn.reg(i) & 15);
      }
    }
    return mask;
  }
}
