package dev.blinkchroot.emulator.cpu;

/**
 * RFLAGS, evaluated lazily (ARCHITECTURE.md: "keep operands, result and operation; compute a
 * flag only when read"). An arithmetic instruction records its operation, operand width,
 * operands and result; CF, PF, AF, ZF, SF and OF are derived from them only when a Jcc, SETcc,
 * CMOVcc, PUSHF, ADC or LAHF reads them. The definitions are the Intel SDM's (Vol. 1, 3.4.3.1
 * and the instruction pages). The other bits (DF, TF, ID, AC...) are kept materialised.
 *
 * <p>Widths are in bits: 8, 16, 32 or 64. Operands and results are kept unmasked in longs; each
 * derivation masks to the width.
 */
public final class Flags {
  public static final long CF = 1L;
  public static final long PF = 1L << 2;
  public static final long AF = 1L << 4;
  public static final long ZF = 1L << 6;
  public static final long SF = 1L << 7;
  public static final long TF = 1L << 8;
  public static final long IF = 1L << 9;
  public static final long DF = 1L << 10;
  public static final long OF = 1L << 11;
  public static final long AC = 1L << 18;
  public static final long ID = 1L << 21;
  /** The six status flags lazy evaluation covers. */
  public static final long STATUS = CF | PF | AF | ZF | SF | OF;
  /** The bits POPF may change in user mode (IOPL, IF, VM, RF... are not writable there). */
  public static final long USER_WRITABLE = STATUS | TF | DF | AC | ID;
  /** Bit 1 of RFLAGS always reads as 1. */
  public static final long RESERVED_ONE = 1L << 1;

  // The operation whose result the status flags describe. Public with the lazy state below so
  // that compiled code can keep that state in its own locals and hand it back exactly.
  /** Flags are materialised in {@code materialised}. */
  public static final int OP_NONE = 0;
  public static final int OP_ADD = 1;
  public static final int OP_ADC = 2;
  public static final int OP_SUB = 3;
  public static final int OP_SBB = 4;
  /** AND OR XOR TEST: CF=OF=0, AF undefined (0 here). */
  public static final int OP_LOGIC = 5;
  /** CF kept from before (in aux). */
  public static final int OP_INC = 6;
  /** CF kept from before (in aux). */
  public static final int OP_DEC = 7;
  public static final int OP_NEG = 8;
  /** ZF/SF/PF from the result; CF, OF (and AF) given explicitly (shifts, multiplies, BMI). */
  public static final int OP_RESULT = 9;

  private int op = OP_NONE;
  private int width;
  private long dst;
  private long src;
  private long res;
  /** CF/OF/AF bits as given (OP_RESULT), or the carry in (ADC/SBB, and INC/DEC's kept CF). */
  private long aux;
  /** Status bits when op is OP_NONE, and always the non-status bits. */
  private long materialised = RESERVED_ONE | IF;

  // ---------------------------------------------------------------- recording

  void set(int op, int width, long dst, long src, long res) {
    this.op = op;
    this.width = width;
    this.dst = dst;
    this.src = src;
    this.res = res;
  }

  /** ADC/SBB: the carry that went in is part of the flag definitions. */
  void setWithCarry(int op, int width, long dst, long src, long res, boolean carryIn) {
    set(op, width, dst, src, res);
    aux = carryIn ? CF : 0;
  }

  /** INC/DEC leave CF as it was: capture it before recording. */
  void setKeepingCarry(int op, int width, long dst, long res) {
    long carry = get(CF);
    set(op, width, dst, 1, res);
    aux = carry;
  }

  /** ZF, SF and PF from {@code res}; CF, OF and AF exactly as in {@code cfOfAf}. */
  void setResult(int width, long res, long cfOfAf) {
    set(OP_RESULT, width, 0, 0, res);
    aux = cfOfAf & (CF | OF | AF);
  }

  // ---------------------------------------------------------------- reading

  /** True if status flag {@code flag} (one of CF PF AF ZF SF OF) is set. */
  public boolean isSet(long flag) {
    return get(flag) != 0;
  }

  /** The bit {@code flag} (a single status flag) as it would read in RFLAGS. */
  long get(long flag) {
    return get(flag, op, width, dst, src, res, aux, materialised);
  }

  /**
   * Status flag {@code flag} (CF PF AF ZF SF OF) of the lazy state (op, width, dst, src, res,
   * aux, materialised), as RFLAGS would hold it: the one definition the interpreter's flags and
   * compiled code's flag locals share.
   */
  public static long get(long flag, int op, int width, long dst, long src, long res, long aux,
      long materialised) {
    if (op == OP_NONE) {
      return materialised & flag;
    }
    if (flag == ZF) {
      return (res & mask(width)) == 0 ? ZF : 0;
    }
    if (flag == SF) {
      return signBit(res, width) ? SF : 0;
    }
    if (flag == PF) {
      return (Long.bitCount(res & 0xff) & 1) == 0 ? PF : 0;
    }
    if (flag == CF) {
      return carry(op, width, dst, src, res, aux) ? CF : 0;
    }
    if (flag == OF) {
      return overflow(op, width, dst, src, res, aux) ? OF : 0;
    }
    if (flag == AF) {
      return adjust(op, dst, src, res, aux) ? AF : 0;
    }
    throw new IllegalArgumentException("not a status flag: " + flag);
  }

  private static boolean carry(int op, int width, long dst, long src, long res, long aux) {
    long m = mask(width);
    long d = dst & m;
    long s = src & m;
    long r = res & m;
    switch (op) {
      case OP_ADD:
        return Long.compareUnsigned(r, d) < 0;
      case OP_ADC:
        return aux != 0 ? Long.compareUnsigned(r, d) <= 0 : Long.compareUnsigned(r, d) < 0;
      case OP_SUB:
        return Long.compareUnsigned(d, s) < 0;
      case OP_SBB:
        return aux != 0 ? Long.compareUnsigned(d, s) <= 0 : Long.compareUnsigned(d, s) < 0;
      case OP_NEG:
        return r != 0;
      case OP_INC:
      case OP_DEC:
        return aux != 0;
      case OP_RESULT:
        return (aux & CF) != 0;
      default: // OP_LOGIC
        return false;
    }
  }

  private static boolean overflow(int op, int width, long dst, long src, long res, long aux) {
    switch (op) {
      case OP_ADD:
      case OP_ADC:
        return signBit((dst ^ res) & (src ^ res), width);
      case OP_SUB:
      case OP_SBB:
        return signBit((dst ^ src) & (dst ^ res), width);
      case OP_INC:
        return (res & mask(width)) == signMin(width);
      case OP_DEC:
        return (res & mask(width)) == signMin(width) - 1;
      case OP_NEG:
        return (res & mask(width)) == signMin(width);
      case OP_RESULT:
        return (aux & OF) != 0;
      default:
        return false;
    }
  }

  private static boolean adjust(int op, long dst, long src, long res, long aux) {
    switch (op) {
      case OP_ADD:
      case OP_ADC:
      case OP_SUB:
      case OP_SBB:
        return ((dst ^ src ^ res) & 0x10) != 0;
      case OP_INC:
        return (res & 0xf) == 0;
      case OP_DEC:
        return (res & 0xf) == 0xf;
      case OP_NEG:
        return ((src ^ res) & 0x10) != 0;
      case OP_RESULT:
        return (aux & AF) != 0;
      default:
        return false;
    }
  }

  /** TF: a single-step trap follows the instruction that starts with it set. */
  public boolean trapFlag() {
    return (materialised & TF) != 0;
  }

  /** All of RFLAGS as PUSHF would store it. */
  public long rflags() {
    return rflags(op, width, dst, src, res, aux, materialised);
  }

  /** All of RFLAGS from a lazy state (see {@link #get(long, int, int, long, long, long, long, long)}). */
  public static long rflags(int op, int width, long dst, long src, long res, long aux,
      long materialised) {
    if (op == OP_NONE) {
      return materialised;
    }
    long status = get(CF, op, width, dst, src, res, aux, materialised)
        | get(PF, op, width, dst, src, res, aux, materialised)
        | get(AF, op, width, dst, src, res, aux, materialised)
        | get(ZF, op, width, dst, src, res, aux, materialised)
        | get(SF, op, width, dst, src, res, aux, materialised)
        | get(OF, op, width, dst, src, res, aux, materialised);
    return (materialised & ~STATUS) | status;
  }

  // ---------------------------------------------------------------- the lazy state itself

  /** The operation the status flags describe (OP_*). */
  public int lazyOp() {
    return op;
  }

  public int lazyWidth() {
    return width;
  }

  public long lazyDst() {
    return dst;
  }

  public long lazySrc() {
    return src;
  }

  public long lazyRes() {
    return res;
  }

  public long lazyAux() {
    return aux;
  }

  /** The status bits when the op is OP_NONE, and always the other bits (DF, IF, ...). */
  public long materialised() {
    return materialised;
  }

  /** Installs a lazy state read with the accessors above (and maybe changed by compiled code). */
  public void setLazy(int op, int width, long dst, long src, long res, long aux,
      long materialised) {
    this.op = op;
    this.width = width;
    this.dst = dst;
    this.src = src;
    this.res = res;
    this.aux = aux;
    this.materialised = materialised;
  }

  /** Sets RFLAGS bits selected by {@code writable} (POPF, SAHF, CLC...); bit 1 stays 1. */
  public void setRflags(long value, long writable) {
    long current = rflags();
    materialised = ((current & ~writable) | (value & writable)) | RESERVED_ONE;
    op = OP_NONE;
  }

  /** Sets or clears one status flag, materialising the others (CLC, STC, CMC, BT...). */
  void put(long flag, boolean on) {
    setRflags(on ? flag : 0, flag);
  }

  /** DF, read by string instructions on every iteration: kept materialised. */
  public boolean direction() {
    return (materialised & DF) != 0;
  }

  public void setDirection(boolean down) {
    if (down) {
      materialised |= DF;
    } else {
      materialised &= ~DF;
    }
  }

  // ---------------------------------------------------------------- conditions

  /**
   * Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc opcodes):
   * 0 O, 1 NO, 2 B, 3 AE, 4 E, 5 NE, 6 BE, 7 A, 8 S, 9 NS, A P, B NP, C L, D GE, E LE, F G.
   */
  public boolean condition(int cc) {
    return condition(cc, op, width, dst, src, res, aux, materialised);
  }

  /** Condition code {@code cc} of a lazy state. */
  public static boolean condition(int cc, int op, int width, long dst, long src, long res,
      long aux, long materialised) {
    boolean r;
    switch (cc >> 1) {
      case 0: r = get(OF, op, width, dst, src, res, aux, materialised) != 0; break;
      case 1: r = get(CF, op, width, dst, src, res, aux, materialised) != 0; break;
      case 2: r = get(ZF, op, width, dst, src, res, aux, materialised) != 0; break;
      case 3:
        r = (get(CF, op, width, dst, src, res, aux, materialised)
            | get(ZF, op, width, dst, src, res, aux, materialised)) != 0;
        break;
      case 4: r = get(SF, op, width, dst, src, res, aux, materialised) != 0; break;
      case 5: r = get(PF, op, width, dst, src, res, aux, materialised) != 0; break;
      case 6:
        r = (get(SF, op, width, dst, src, res, aux, materialised) != 0)
            != (get(OF, op, width, dst, src, res, aux, materialised) != 0);
        break;
      default:
        r = get(ZF, op, width, dst, src, res, aux, materialised) != 0
            || (get(SF, op, width, dst, src, res, aux, materialised) != 0)
                != (get(OF, op, width, dst, src, res, aux, materialised) != 0);
        break;
    }
    return (cc & 1) == 0 ? r : !r;
  }

  // ---------------------------------------------------------------- width helpers

  /** The all-ones mask of a width in bits. */
  public static long mask(int width) {
    return width == 64 ? -1L : (1L << width) - 1;
  }

  static long signMin(int width) {
    return 1L << (width - 1) & mask(width);
  }

  static boolean signBit(long value, int width) {
    return ((value >>> (width - 1)) & 1) != 0;
  }
}
