package dev.blinkchroot.emulator.sse;

/**
 * The packed SSE floating-point operations on whole 128-bit values: {@code long[2]} with the
 * low quadword first (XMM layout). Each returns a new value and leaves its inputs alone, so the
 * caller can drop the result when the instruction raises #XM (the destination must not be
 * written then). Elements are processed in order and every element's flags go to {@code mx}.
 */
public final class SseFloatPacked {
  private SseFloatPacked() {}

  /** Single element {@code i} (0-3) of {@code v}. */
  public static int lane(long[] v, int i) {
    return (int) (v[i >> 1] >>> ((i & 1) << 5));
  }

  /** Sets single element {@code i} of {@code v} to {@code x}. */
  public static void setLane(long[] v, int i, int x) {
    int shift = (i & 1) << 5;
    v[i >> 1] = v[i >> 1] & ~(0xffff_ffffL << shift) | (x & 0xffff_ffffL) << shift;
  }

  /** A value from four singles, element 0 first. */
  public static long[] of(int x0, int x1, int x2, int x3) {
    return new long[] {pair(x0, x1), pair(x2, x3)};
  }

  /** A quadword from two singles, the low one first. */
  public static long pair(int lo, int hi) {
    return (lo & 0xffff_ffffL) | (long) hi << 32;
  }

  // ---- arithmetic ------------------------------------------------------------------------------

  /** ADDPS SUBPS MULPS DIVPS MINPS MAXPS ({@link SseFloatArith} op codes). */
  public static long[] binaryPs(Mxcsr mx, int op, long[] a, long[] b) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatArith.binary(mx, op, lane(a, i), lane(b, i)));
    }
    return r;
  }

  public static long[] binaryPd(Mxcsr mx, int op, long[] a, long[] b) {
    return new long[] {SseFloatArith.binary(mx, op, a[0], b[0]),
        SseFloatArith.binary(mx, op, a[1], b[1])};
  }

  public static long[] sqrtPs(Mxcsr mx, long[] a) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatArith.sqrt(mx, lane(a, i)));
    }
    return r;
  }

  public static long[] sqrtPd(Mxcsr mx, long[] a) {
    return new long[] {SseFloatArith.sqrt(mx, a[0]), SseFloatArith.sqrt(mx, a[1])};
  }

  /** RCPPS ({@code sqrt} false) or RSQRTPS. */
  public static long[] approxPs(boolean sqrt, long[] a) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      int x = lane(a, i);
      setLane(r, i, sqrt ? SseFloatApprox.reciprocalSqrt(x) : SseFloatApprox.reciprocal(x));
    }
    return r;
  }

  /** CMPPS: all ones where predicate {@code pred} holds. */
  public static long[] comparePs(Mxcsr mx, int pred, long[] a, long[] b) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatArith.compare(mx, pred, lane(a, i), lane(b, i)) ? -1 : 0);
    }
    return r;
  }

  public static long[] comparePd(Mxcsr mx, int pred, long[] a, long[] b) {
    return new long[] {SseFloatArith.compare(mx, pred, a[0], b[0]) ? -1L : 0,
        SseFloatArith.compare(mx, pred, a[1], b[1]) ? -1L : 0};
  }

  /** ADDSUBPS: subtract in the even elements, add in the odd ones. */
  public static long[] addSubPs(Mxcsr mx, long[] a, long[] b) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      int op = (i & 1) == 0 ? SseFloatArith.SUB : SseFloatArith.ADD;
      setLane(r, i, SseFloatArith.binary(mx, op, lane(a, i), lane(b, i)));
    }
    return r;
  }

  public static long[] addSubPd(Mxcsr mx, long[] a, long[] b) {
    return new long[] {SseFloatArith.binary(mx, SseFloatArith.SUB, a[0], b[0]),
        SseFloatArith.binary(mx, SseFloatArith.ADD, a[1], b[1])};
  }

  /** HADDPS/HSUBPS: pairs of adjacent elements, a's pairs to the low half, b's to the high. */
  public static long[] horizontalPs(Mxcsr mx, int op, long[] a, long[] b) {
    return of(SseFloatArith.binary(mx, op, lane(a, 0), lane(a, 1)),
        SseFloatArith.binary(mx, op, lane(a, 2), lane(a, 3)),
        SseFloatArith.binary(mx, op, lane(b, 0), lane(b, 1)),
        SseFloatArith.binary(mx, op, lane(b, 2), lane(b, 3)));
  }

  public static long[] horizontalPd(Mxcsr mx, int op, long[] a, long[] b) {
    return new long[] {SseFloatArith.binary(mx, op, a[0], a[1]),
        SseFloatArith.binary(mx, op, b[0], b[1])};
  }

  /** ROUNDPS with ROUNDSS's imm8. */
  public static long[] roundPs(Mxcsr mx, int imm8, long[] a) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatConvert.roundSingle(mx, imm8, lane(a, i)));
    }
    return r;
  }

  public static long[] roundPd(Mxcsr mx, int imm8, long[] a) {
    return new long[] {SseFloatConvert.roundDouble(mx, imm8, a[0]),
        SseFloatConvert.roundDouble(mx, imm8, a[1])};
  }

  /**
   * DPPS as the emulated Intel model computes it: the products selected by imm8[7:4] (others
   * +0.0), then for every lane i the pair sum {@code s_i = p[i^1] + p[i]} and the final sum
   * {@code s_i + s[i^2]}, each step rounded. All four lanes are summed, in these orders, even
   * when imm8[3:0] writes fewer: the order decides which NaN a lane gets and the unused lanes
   * still raise flags (the recorded CPU does both). The sum goes to the lanes imm8[3:0]
   * selects, +0.0 to the rest. Each of the three steps gets its own exception decision
   * ({@link Mxcsr#endStep}); a step that raises an unmasked exception ends the instruction.
   */
  public static long[] dotPs(Mxcsr mx, int imm8, long[] a, long[] b) {
    int[] p = new int[4];
    for (int i = 0; i < 4; i++) {
      if ((imm8 >> (4 + i) & 1) != 0) {
        p[i] = SseFloatArith.binary(mx, SseFloatArith.MUL, lane(a, i), lane(b, i));
      }
    }
    long[] r = new long[2];
    mx.endStep();
    if (mx.faults()) {
      return r;
    }
    int[] pairs = new int[4];
    for (int i = 0; i < 4; i++) {
      pairs[i] = SseFloatArith.binary(mx, SseFloatArith.ADD, p[i ^ 1], p[i]);
    }
    mx.endStep();
    if (mx.faults()) {
      return r;
    }
    for (int i = 0; i < 4; i++) {
      int sum = SseFloatArith.binary(mx, SseFloatArith.ADD, pairs[i], pairs[i ^ 2]);
      setLane(r, i, (imm8 >> i & 1) != 0 ? sum : 0);
    }
    return r;
  }

  /**
   * DPPD: the products selected by imm8[5:4], then lane i gets {@code p[i] + p[i^1]} (the
   * recorded CPU sums each lane with its own product first) when imm8 bit i is set.
   */
  public static long[] dotPd(Mxcsr mx, int imm8, long[] a, long[] b) {
    long[] p = new long[2];
    for (int i = 0; i < 2; i++) {
      if ((imm8 >> (4 + i) & 1) != 0) {
        p[i] = SseFloatArith.binary(mx, SseFloatArith.MUL, a[i], b[i]);
      }
    }
    mx.endStep();
    if (mx.faults()) {
      return new long[2];
    }
    long[] r = new long[2];
    for (int i = 0; i < 2; i++) {
      long sum = SseFloatArith.binary(mx, SseFloatArith.ADD, p[i], p[i ^ 1]);
      r[i] = (imm8 >> i & 1) != 0 ? sum : 0;
    }
    return r;
  }

  // ---- conversions -----------------------------------------------------------------------------

  /** CVTDQ2PS. */
  public static long[] intsToSingles(Mxcsr mx, long[] a) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatConvert.fromInt64ToSingle(mx, lane(a, i)));
    }
    return r;
  }

  /** CVTPS2DQ / CVTTPS2DQ (the caller sets RZ for truncation). */
  public static long[] singlesToInts(Mxcsr mx, long[] a) {
    long[] r = new long[2];
    for (int i = 0; i < 4; i++) {
      setLane(r, i, SseFloatConvert.toInt32(mx, lane(a, i)));
    }
    return r;
  }

  /** CVTPD2DQ / CVTTPD2DQ / CVTPD2PI: two int32 in one quadword. */
  public static long doublesToInts(Mxcsr mx, long[] a) {
    return pair(SseFloatConvert.toInt32(mx, a[0]), SseFloatConvert.toInt32(mx, a[1]));
  }

  /** CVTPS2PI / CVTTPS2PI: the two singles of a quadword to two int32. */
  public static long singlesToInts(Mxcsr mx, long a) {
    return pair(SseFloatConvert.toInt32(mx, (int) a), SseFloatConvert.toInt32(mx, (int) (a >>> 32)));
  }

  /** CVTPI2PS: two int32 of a quadword to two singles. */
  public static long intsToSingles(Mxcsr mx, long a) {
    return pair(SseFloatConvert.fromInt64ToSingle(mx, (int) a),
        SseFloatConvert.fromInt64ToSingle(mx, (int) (a >>> 32)));
  }

  /** CVTDQ2PD / CVTPI2PD: two int32 of a quadword to two doubles (exact). */
  public static long[] intsToDoubles(Mxcsr mx, long a) {
    return new long[] {SseFloatConvert.fromInt64ToDouble(mx, (int) a),
        SseFloatConvert.fromInt64ToDouble(mx, (int) (a >>> 32))};
  }

  /** CVTPS2PD: the two singles of a quadword to doubles. */
  public static long[] singlesToDoubles(Mxcsr mx, long a) {
    return new long[] {SseFloatConvert.singleToDouble(mx, (int) a),
        SseFloatConvert.singleToDouble(mx, (int) (a >>> 32))};
  }

  /** CVTPD2PS: two doubles to two singles in the low quadword. */
  public static long doublesToSingles(Mxcsr mx, long[] a) {
    return pair(SseFloatConvert.doubleToSingle(mx, a[0]), SseFloatConvert.doubleToSingle(mx, a[1]));
  }
}
