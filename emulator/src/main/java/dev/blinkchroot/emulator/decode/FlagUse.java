package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Op.*;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which RFLAGS bits an instruction reads, writes and leaves undefined, as the Intel SDM's
 * instruction pages ("Flags Affected") and Appendix A of Vol. 1 give them, refined by the operand
 * forms where those decide (a shift by an immediate 0 changes nothing). Carried by every {@link
 * Insn} so that a compiler can run a liveness pass and drop flag work nobody reads.
 *
 * <p>The three masks (RFLAGS bit positions):
 *
 * <ul>
 *   <li>read: flags whose value before the instruction can change what it does or the flags it
 *       leaves. A flag an instruction writes only on some executions (a shift by CL, which a
 *       count of 0 leaves alone; REPE CMPS with RCX 0) is read too: it may pass through.
 *   <li>written: flags the instruction may change, the undefined ones included.
 *   <li>undefined: the written flags whose value the SDM does not define. The emulator gives them
 *       a deterministic value (or keeps them); a liveness pass must not assume either, so it
 *       kills only {@link Insn#flagsKilled()}: written, not read, not undefined.
 * </ul>
 *
 * Operations not listed here neither read nor write flags.
 */
final class FlagUse {
  static final int CF = 1;
  static final int PF = 1 << 2;
  static final int AF = 1 << 4;
  static final int ZF = 1 << 6;
  static final int SF = 1 << 7;
  static final int DF = 1 << 10;
  static final int OF = 1 << 11;
  /** The six status flags. */
  static final int STATUS = CF | PF | AF | ZF | SF | OF;
  /** Every bit PUSHF can observe and POPF can change (user-mode view of the low 22 bits). */
  static final int ALL = 0x3f_ffff;

  /** Read, written and undefined masks of one operation. */
  record Use(int read, int written, int undefined) {}

  private static final Use NONE = new Use(0, 0, 0);
  /** By condition code >> 1: O, B, E, BE, S, P, L, LE. */
  private static final int[] CONDITION_READS = {OF, CF, ZF, CF | ZF, SF, PF, SF | OF,
      ZF | SF | OF};

  private static final Map<Op, Use> FIXED = new EnumMap<>(Op.class);

  private static void put(Use use, Op... ops) {
    for (Op op : ops) {
      FIXED.put(op, use);
    }
  }

  static {
    put(new Use(0, STATUS, 0), ADD, SUB, CMP, NEG, XADD, CMPXCHG, POPCNT, COMISS, COMISD,
        UCOMISS, UCOMISD, PTEST, PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM, RDRAND, RDSEED,
        FCOMI, FCOMIP, FUCOMI, FUCOMIP);
    put(new Use(CF, STATUS, 0), ADC, SBB);
    put(new Use(0, STATUS, AF), AND, OR, XOR, TEST);
    put(new Use(0, STATUS & ~CF, 0), INC, DEC);
    put(new Use(0, STATUS, SF | ZF | AF | PF), MUL, IMUL);
    put(new Use(0, 0, STATUS), DIV, IDIV);
    put(new Use(0, CF, OF | SF | AF | PF), BT, BTS, BTR, BTC);
    put(new Use(0, STATUS, CF | OF | SF | AF | PF), BSF, BSR);
    put(new Use(0, STATUS, OF | SF | AF | PF), LZCNT, TZCNT);
    put(new Use(CF, CF, 0), ADCX);
    put(new Use(OF, OF, 0), ADOX);
    put(new Use(0, STATUS, AF | PF), ANDN, BLSI, BLSMSK, BLSR, BZHI);
    put(new Use(0, STATUS, SF | AF | PF), BEXTR);
    put(new Use(0, ZF, 0), CMPXCHG8B, CMPXCHG16B);
    put(new Use(ZF, 0, 0), LOOPE, LOOPNE);
    put(new Use(ALL, 0, 0), PUSHF, SYSCALL);
    put(new Use(0, ALL, 0), POPF);
    put(new Use(0, SF | ZF | AF | PF | CF, 0), SAHF);
    put(new Use(SF | ZF | AF | PF | CF, 0, 0), LAHF);
    put(new Use(0, CF, 0), CLC, STC);
    put(new Use(CF, CF, 0), CMC);
    put(new Use(0, DF, 0), CLD, STD);
    put(new Use(DF, 0, 0), MOVS, LODS, STOS);
  }

  private FlagUse() {}

  /** The flags {@code insn} reads, writes and leaves undefined. */
  static Use of(Insn insn) {
    switch (insn.op) {
      case JCC: case SETCC: case CMOVCC: case FCMOV:
        return insn.cond < 0 ? NONE : new Use(CONDITION_READS[insn.cond >> 1], 0, 0);
      case SHL: case SHR: case SAR:
        return shift(insn, STATUS, AF);
      case SHLD: case SHRD:
        return shift(insn, STATUS, AF);
      case ROL: case ROR:
        return rotate(insn, false);
      case RCL: case RCR:
        return rotate(insn, true);
      case SCAS: case CMPS:
        return (insn.prefixes & (Insn.P_REP | Insn.P_REPNE)) != 0
            ? new Use(DF | STATUS, STATUS, 0) : new Use(DF, STATUS, 0);
      default:
        return FIXED.getOrDefault(insn.op, NONE);
    }
  }

  /**
   * SHL/SHR/SAR/SHLD/SHRD: an immediate count of 0 (after masking) changes nothing; OF is
   * defined for a count of 1 only. A count in CL may be 0, so the flags may pass through.
   */
  private static Use shift(Insn insn, int written, int undefined) {
    int countOperand = insn.nOperands - 1;
    if (insn.kind(countOperand) != Insn.K_IMM) {
      return new Use(written, written, undefined | OF);
    }
    int count = maskedCount(insn, insn.imm);
    if (count == 0) {
      return NONE;
    }
    return new Use(0, written, count == 1 ? undefined : undefined | OF);
  }

  /**
   * ROL/ROR/RCL/RCR change only CF and OF (OF defined for a count of 1); RCL/RCR read CF and
   * take 8- and 16-bit counts modulo 9 and 17.
   */
  private static Use rotate(Insn insn, boolean throughCarry) {
    int read = throughCarry ? CF : 0;
    if (insn.kind1 != Insn.K_IMM) {
      return new Use(CF | OF, CF | OF, OF);
    }
    int count = maskedCount(insn, insn.imm);
    if (throughCarry && insn.opSize < 4) {
      count %= insn.opSize * 8 + 1;
    }
    if (count == 0) {
      return NONE;
    }
    return new Use(read, CF | OF, count == 1 ? 0 : OF);
  }

  private static int maskedCount(Insn insn, long count) {
    return (int) (count & (insn.opSize == 8 ? 0x3f : 0x1f));
  }
}
