package dev.blinkchroot.emulator.x87;

/**
 * x87 comparisons and classification (SDM Vol. 2 FCOM/FCOMP/FCOMPP, FUCOM*, FCOMI/FUCOMI*,
 * FICOM, FTST, FXAM). The "P" forms only differ in the pops the interpreter does afterwards.
 */
public final class X87Compare {
  /** Condition codes of a comparison result (C3 C2 C0, SDM FCOM table). */
  public static final int GREATER = 0;
  public static final int LESS = X87State.C0;
  public static final int EQUAL = X87State.C3;
  public static final int UNORDERED = X87State.C3 | X87State.C2 | X87State.C0;

  /** EFLAGS bits written by FCOMI/FUCOMI (ZF, PF, CF; OF, SF and AF are cleared). */
  public static final int EFLAGS_CF = 0x01;
  public static final int EFLAGS_PF = 0x04;
  public static final int EFLAGS_ZF = 0x40;

  private X87Compare() {}

  /**
   * Compares {@code a} (ST(0)) with {@code b}; returns one of {@link #GREATER}, {@link #LESS},
   * {@link #EQUAL}, {@link #UNORDERED}. IE for unsupported encodings, for SNaNs, and (unless
   * {@code quiet}, the FUCOM family) for QNaNs too; DE for denormal operands.
   */
  public static int compare(X87State st, F80 a, F80 b, boolean quiet) {
    F80.Kind ka = a.kind();
    F80.Kind kb = b.kind();
    if (ka == F80.Kind.UNSUPPORTED || kb == F80.Kind.UNSUPPORTED
        || ka == F80.Kind.SNAN || kb == F80.Kind.SNAN) {
      st.raise(X87State.IE);
      return UNORDERED;
    }
    if (ka == F80.Kind.QNAN || kb == F80.Kind.QNAN) {
      if (!quiet) {
        st.raise(X87State.IE);
      }
      return UNORDERED;
    }
    Round.denormals(st, a, b);
    int c = compareValues(a, b);
    return c > 0 ? GREATER : c < 0 ? LESS : EQUAL;
  }

  /** Orders two non-NaN values numerically (-0 == +0). */
  static int compareValues(F80 a, F80 b) {
    if (a.isZero() && b.isZero()) {
      return 0;
    }
    boolean na = a.isNegative();
    boolean nb = b.isNegative();
    if (na != nb) {
      return na ? -1 : 1;
    }
    int mag = compareMagnitudes(a, b);
    return na ? -mag : mag;
  }

  private static int compareMagnitudes(F80 a, F80 b) {
    if (a.isZero() || b.isZero()) {
      return a.isZero() ? (b.isZero() ? 0 : -1) : 1;
    }
    boolean ia = a.kind() == F80.Kind.INFINITY;
    boolean ib = b.kind() == F80.Kind.INFINITY;
    if (ia || ib) {
      return ia == ib ? 0 : ia ? 1 : -1;
    }
    int ea = a.normExp();
    int eb = b.normExp();
    if (ea != eb) {
      return ea < eb ? -1 : 1;
    }
    return Long.compareUnsigned(a.normSig(), b.normSig());
  }

  /** FCOM/FUCOM: sets C3, C2, C0 and clears C1. */
  public static void fcom(X87State st, F80 a, F80 b, boolean quiet) {
    int r = compare(st, a, b, quiet);
    st.setConditions(r);
  }

  /** FTST: compares ST(0) with +0.0. */
  public static void ftst(X87State st, F80 a) {
    fcom(st, a, F80.POS_ZERO, false);
  }

  /**
   * FCOMI/FUCOMI: returns the ZF/PF/CF bits for EFLAGS (the interpreter clears OF, SF, AF) and
   * clears C1. An unordered result with IE unmasked leaves EFLAGS unchanged on hardware; the
   * interpreter checks {@link X87State#unmaskedPending()} before writing them.
   */
  public static int fcomi(X87State st, F80 a, F80 b, boolean quiet) {
    int r = compare(st, a, b, quiet);
    st.sw &= ~X87State.C1;
    int f = 0;
    if ((r & X87State.C3) != 0) {
      f |= EFLAGS_ZF;
    }
    if ((r & X87State.C2) != 0) {
      f |= EFLAGS_PF;
    }
    if ((r & X87State.C0) != 0) {
      f |= EFLAGS_CF;
    }
    return f;
  }

  /**
   * FXAM: classifies {@code a} into C3, C2, C0 and puts its sign in C1 (SDM FXAM table);
   * {@code empty} when ST(0)'s tag is empty.
   */
  public static void fxam(X87State st, F80 a, boolean empty) {
    int c;
    if (empty) {
      c = X87State.C3 | X87State.C0;
    } else {
      switch (a.kind()) {
        case UNSUPPORTED:
          c = 0;
          break;
        case QNAN:
        case SNAN:
          c = X87State.C0;
          break;
        case NORMAL:
          c = X87State.C2;
          break;
        case INFINITY:
          c = X87State.C2 | X87State.C0;
          break;
        case ZERO:
          c = X87State.C3;
          break;
        default: // denormal, pseudo-denormal
          c = X87State.C3 | X87State.C2;
          break;
      }
    }
    st.setConditions(c | (a.isNegative() ? X87State.C1 : 0));
  }
}
