package dev.blinkchroot.emulator.x87;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Operand generators for the differential test: edge values and seeded random values. */
final class X87Cases {
  private X87Cases() {}

  /** Fixed seed for the default run; -Dx87.seed overrides it. */
  static final long SEED = Long.getLong("x87.seed", 0x8087_2024L);
  /** Random cases per operation; -Dx87.cases raises it. */
  static final int RANDOM = Integer.getInteger("x87.cases", 300);

  /** All exceptions masked, every precision (24, 53, 64 bits) and rounding mode. */
  static final int[] CONTROL_WORDS;

  static {
    int[] pcs = {0, 2, 3};
    CONTROL_WORDS = new int[12];
    int i = 0;
    for (int rc = 0; rc < 4; rc++) {
      for (int pc : pcs) {
        CONTROL_WORDS[i++] = 0x7f | pc << 8 | rc << 10;
      }
    }
  }

  static final List<F80> EDGES = new ArrayList<>();

  static {
    String[] hex = {
      "0000:0000000000000000", "8000:0000000000000000",
      "0000:0000000000000001", "8000:0000000000000001", // smallest denormal
      "0000:7fffffffffffffff", "8000:4000000000000000", // largest denormal, a middle one
      "0000:8000000000000000", "8000:c000000000000001", // pseudo-denormals
      "0001:8000000000000000", "8001:8000000000000000", "0001:ffffffffffffffff", // smallest normals
      "7ffe:ffffffffffffffff", "fffe:ffffffffffffffff", "7ffe:8000000000000000", // largest
      "7fff:8000000000000000", "ffff:8000000000000000", // infinities
      "7fff:c000000000000000", "ffff:c000000000000000", // QNaNs (the second: indefinite)
      "7fff:c000000000000123", "ffff:e000000000000000",
      "7fff:8000000000000001", "ffff:8000000000000456", "7fff:a000000000000000", // SNaNs
      "3fff:4000000000000000", "7fff:0000000000000000", "7fff:4000000000000000", // unsupported
      "3fff:8000000000000000", "bfff:8000000000000000", "4000:8000000000000000", // 1 -1 2
      "4000:c000000000000000", "3ffe:8000000000000000", "c000:c90fdaa22168c235", // 3 .5 -pi
      "3fff:8000008000000000", "3fff:8000018000000000", // halfway at 24 bits (even, odd)
      "3fff:8000000000000400", "bfff:8000000000000c00", // halfway at 53 bits
      "3fff:ffffffffffffffff", "3fff:ffffff8000000000", "3fff:fffffffffffff800",
      "403e:8000000000000000", "c03d:ffffffffffffffff", "400e:8000000000000000",
      "3fbe:8000000000000000", "0040:8000000000000000", "3c01:8000000000000000",
      "3f81:8000000000000000", "3f6a:8000000000000000", "3f69:c000000000000000",
      "43fe:ffffffffffffffff", "407e:ffffff8000000000", "43fe:fffffffffffff800",
      "3ffd:aaaaaaaaaaaaaaab", "4002:a000000000000000", "bffe:c000000000000000",
    };
    for (String h : hex) {
      EDGES.add(F80.parse(h));
    }
  }

  /** Every pair of edge values, cycling through the control words. */
  static List<HostX87.Case> edgePairs(String op) {
    List<HostX87.Case> cases = new ArrayList<>();
    int i = 0;
    for (F80 a : EDGES) {
      for (F80 b : EDGES) {
        cases.add(new HostX87.Case(op, CONTROL_WORDS[i++ % CONTROL_WORDS.length], a, b));
      }
    }
    return cases;
  }

  /** Every edge value as ST(0) under every control word (ST(1) = 1). */
  static List<HostX87.Case> edgeSingles(String op) {
    List<HostX87.Case> cases = new ArrayList<>();
    for (F80 a : EDGES) {
      for (int cw : CONTROL_WORDS) {
        cases.add(new HostX87.Case(op, cw, a, F80.ONE));
      }
    }
    return cases;
  }

  static int cw(Random r) {
    return CONTROL_WORDS[r.nextInt(CONTROL_WORDS.length)];
  }

  /** A significand with the integer bit, biased toward patterns that round at 24/53/64 bits. */
  static long significand(Random r) {
    long s = r.nextLong();
    switch (r.nextInt(8)) {
      case 0: { // exactly halfway (or just off) at a precision boundary
        int p = new int[] {24, 53, 64}[r.nextInt(3)];
        int k = 64 - p;
        if (k > 0) {
          s &= -1L << k;
          s |= 1L << (k - 1);
          if (r.nextBoolean()) {
            s += r.nextInt(3) - 1;
          }
        }
        break;
      }
      case 1: // sparse bits
        s = 0;
        for (int i = r.nextInt(4); i >= 0; i--) {
          s |= 1L << r.nextInt(64);
        }
        break;
      case 2: // long runs of ones
        s |= -1L >>> r.nextInt(64);
        break;
      default:
        break;
    }
    return s | F80.J_BIT;
  }

  /** A finite value with biased exponent in [lo, hi] (exponent 0 gives a denormal). */
  static F80 finite(Random r, int lo, int hi) {
    int e = lo + r.nextInt(hi - lo + 1);
    long s = significand(r);
    if (e <= 0) {
      e = 0;
      s &= ~F80.J_BIT;
      s >>>= r.nextInt(64);
      if (s == 0) {
        s = 1;
      }
    }
    return F80.of((r.nextBoolean() ? 0x8000 : 0) | e, s);
  }

  /** A value from anywhere: edges, around 1, the whole range, near both ends. */
  static F80 any(Random r) {
    switch (r.nextInt(10)) {
      case 0:
        return EDGES.get(r.nextInt(EDGES.size()));
      case 1:
      case 2:
        return finite(r, 1, 0x7ffe);
      case 3:
        return finite(r, 0, 80);
      case 4:
        return finite(r, 0x7ffe - 80, 0x7ffe);
      default:
        return finite(r, 0x3fff - 64, 0x3fff + 64);
    }
  }

  /** A value whose exponent is within a few of {@code near}'s (cancellation, close ratios). */
  static F80 close(Random r, F80 near) {
    if (near.biasedExponent() == 0 || near.biasedExponent() == 0x7fff) {
      return any(r);
    }
    int e = near.biasedExponent() + r.nextInt(5) - 2;
    e = Math.max(1, Math.min(0x7ffe, e));
    long s = r.nextInt(3) == 0 ? near.significand() ^ (1L << r.nextInt(64)) | F80.J_BIT
        : significand(r);
    return F80.of((r.nextBoolean() ? 0x8000 : 0) | e, s);
  }

  /** Random pairs: independent operands, and operands of close magnitude. */
  static List<HostX87.Case> randomPairs(String op, Random r, int n) {
    List<HostX87.Case> cases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      F80 a = any(r);
      F80 b = r.nextBoolean() ? any(r) : close(r, a);
      cases.add(new HostX87.Case(op, cw(r), a, b));
    }
    return cases;
  }
}
