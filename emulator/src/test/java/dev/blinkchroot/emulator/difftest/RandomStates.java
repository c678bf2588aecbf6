package dev.blinkchroot.emulator.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded, reproducible initial states with interesting values: 0, ±1, MIN, MAX, powers of two
 * and their neighbours, 8/16/32-bit boundaries (also under random upper bits), random values;
 * for XMM NaNs (quiet, signalling), infinities, denormals, -0.0 and random doubles and floats;
 * random status flags (DF always 0); random MXCSR rounding/FTZ/DAZ and x87 precision/rounding
 * (exceptions stay masked); all eight x87 registers filled, some tagged valid; random data.
 *
 * <p>The sequence depends only on the seed and the settings. {@code -Ddifftest.seed=N} changes
 * the base seed of every form, {@code -Ddifftest.cases=N} the number of cases {@link #batch()}
 * gives (default {@value #DEFAULT_CASES}).
 */
public final class RandomStates {
  public static final String CASES_PROPERTY = "difftest.cases";
  public static final String SEED_PROPERTY = "difftest.seed";
  public static final int DEFAULT_CASES = 20;
  public static final long DEFAULT_SEED = 0x5eed_d1ffL;

  private final long seed;
  private final String form;
  private final Random rnd;
  private Reg[] pointers = {};
  private int pointerAlign = 1;
  private int pointerSpan = MachineState.DATA_SIZE / 2;
  private int x87Min = 0;
  private int x87Max = 2;
  private boolean randomControl = true;
  private int produced;

  private RandomStates(long seed, String form) {
    this.seed = seed;
    this.form = form;
    this.rnd = new Random(seed);
  }

  /** Cases per instruction form: {@code -Ddifftest.cases}, default {@value #DEFAULT_CASES}. */
  public static int cases() {
    String v = System.getProperty(CASES_PROPERTY);
    return v == null || v.isBlank() ? DEFAULT_CASES : Integer.parseInt(v.trim());
  }

  /** {@code -Ddifftest.seed} (decimal or 0x hex), default {@value #DEFAULT_SEED}. */
  public static long baseSeed() {
    String v = System.getProperty(SEED_PROPERTY);
    if (v == null || v.isBlank()) {
      return DEFAULT_SEED;
    }
    v = v.trim();
    return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
  }

  /** States for one instruction form: the seed mixes the base seed with the form's name. */
  public static RandomStates forForm(String form) {
    long h = baseSeed();
    for (char c : form.toCharArray()) {
      h = (h ^ c) * 0x100000001b3L;
    }
    return new RandomStates(mix(h), form);
  }

  /** States from exactly this seed. */
  public static RandomStates seeded(long seed) {
    return new RandomStates(seed, null);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * These registers point into the first {@code span} bytes of the data region (default half
   * of it), at multiples of {@code align}.
   */
  public RandomStates pointers(int align, int span, Reg... regs) {
    this.pointers = regs.clone();
    this.pointerAlign = align;
    this.pointerSpan = span;
    return this;
  }

  /** These registers point into the lower half of the data region, at any byte. */
  public RandomStates pointers(Reg... regs) {
    return pointers(1, MachineState.DATA_SIZE / 2, regs);
  }

  /** Between {@code min} and {@code max} x87 registers are tagged valid (default 0..2). */
  public RandomStates x87Depth(int min, int max) {
    this.x87Min = min;
    this.x87Max = max;
    return this;
  }

  /** Keeps MXCSR = 0x1F80 and FCW = 0x037F instead of random rounding and precision. */
  public RandomStates defaultControl() {
    this.randomControl = false;
    return this;
  }

  public long seed() {
    return seed;
  }

  /** How many states this generator has produced. */
  public int produced() {
    return produced;
  }

  /** For reports: the form, the seed and how to rerun. */
  public String describe() {
    return (form != null ? "form '" + form + "', " : "") + String.format("seed %#x (base seed"
        + " -D%s=%#x, cases -D%s=%d)", seed, SEED_PROPERTY, baseSeed(), CASES_PROPERTY, cases());
  }

  /** {@link #cases()} states. */
  public List<MachineState> batch() {
    return next(cases());
  }

  public List<MachineState> next(int n) {
    List<MachineState> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  public MachineState next() {
    produced++;
    MachineState s = MachineState.initial();
    for (Reg r : Reg.values()) {
      if (r != Reg.RSP) {
        s.set(r, int64());
      }
    }
    for (Reg r : pointers) {
      int slots = Math.max(1, pointerSpan / pointerAlign);
      s.set(r, MachineState.DATA_BASE + (long) rnd.nextInt(slots) * pointerAlign);
    }
    s.setFlags(rnd.nextLong() & RFlags.STATUS);
    if (randomControl && rnd.nextBoolean()) {
      int mx = MachineState.DEFAULT_MXCSR | rnd.nextInt(4) << 13 | rnd.nextInt(0x40);
      if (rnd.nextInt(4) == 0) {
        mx |= 1 << 15; // FTZ
      }
      if (rnd.nextInt(4) == 0) {
        mx |= 1 << 6; // DAZ
      }
      s.setMxcsr(mx);
    }
    for (int i = 0; i < 16; i++) {
      int kind = rnd.nextInt(3);
      s.setXmm(i, xmmHalf(kind), xmmHalf(kind));
    }
    fillX87(s);
    fillData(s.data());
    return s;
  }

  private void fillX87(MachineState s) {
    if (randomControl && rnd.nextBoolean()) {
      int[] pcs = {0, 2, 3};
      s.setFcw(0x7f | pcs[rnd.nextInt(3)] << 8 | rnd.nextInt(4) << 10);
    }
    int top = rnd.nextBoolean() ? 0 : rnd.nextInt(8);
    s.setFsw(top << 11);
    for (int i = 0; i < 8; i++) {
      long[] v = x87Value();
      s.setSt(i, (int) v[0], v[1]);
    }
    int depth = x87Min + rnd.nextInt(x87Max - x87Min + 1);
    int tags = 0;
    for (int i = 0; i < depth; i++) {
      tags |= 1 << ((top + i) & 7);
    }
    s.setFtw(tags);
  }

  private void fillData(byte[] data) {
    rnd.nextBytes(data);
    for (int off = 0; off + 8 <= data.length; off += 8) {
      if (rnd.nextInt(4) == 0) {
        MachineState.putLong(data, off, int64());
      }
    }
  }

  // ---- value sources ---------------------------------------------------------------------------

  private static final long[] SMALL_BOUNDARIES = {
    0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fff_ffffL, 0x8000_0000L,
    0xffff_ffffL, 0x1_0000_0000L
  };

  /** An interesting 64-bit integer. */
  public long int64() {
    int k = rnd.nextInt(64);
    switch (rnd.nextInt(16)) {
      case 0: return 0;
      case 1: return 1;
      case 2: return -1;
      case 3: return Long.MIN_VALUE;
      case 4: return Long.MAX_VALUE;
      case 5: return 1L << k;
      case 6: return (1L << k) - 1;
      case 7: return (1L << k) + 1;
      case 8: return -(1L << k);
      case 9: return rnd.nextInt(513) - 256;
      case 10: {
        long b = SMALL_BOUNDARIES[rnd.nextInt(SMALL_BOUNDARIES.length)] + rnd.nextInt(3) - 1;
        return rnd.nextBoolean() ? b : -b;
      }
      case 11: { // boundary in the low bits under random upper bits (partial registers)
        long b = SMALL_BOUNDARIES[rnd.nextInt(8)];
        long low = Long.highestOneBit(b) * 2 - 1;
        return rnd.nextLong() & ~low | b;
      }
      default: return rnd.nextLong();
    }
  }

  /** An interesting 32-bit integer. */
  public int int32() {
    return (int) int64();
  }

  private static final long[] DOUBLES = {
    0x7ff8_0000_0000_0000L, 0xfff8_0000_0000_0000L, 0x7ff0_0000_0000_0001L,
    0x7ff4_0000_0000_1234L, 0xfff0_0000_0000_0001L, 0x7ff0_0000_0000_0000L,
    0xfff0_0000_0000_0000L, 0, 0x8000_0000_0000_0000L, 1, 0x800f_ffff_ffff_ffffL,
    0x000f_ffff_ffff_ffffL, 0x0010_0000_0000_0000L, 0x3ff0_0000_0000_0000L,
    0xbff0_0000_0000_0000L, 0x7fef_ffff_ffff_ffffL, 0x3fe0_0000_0000_0000L,
    0x43e0_0000_0000_0000L, 0xc3e0_0000_0000_0000L, 0x41e0_0000_0000_0000L
  };
  private static final int[] FLOATS = {
    0x7fc0_0000, 0xffc0_0000, 0x7f80_0001, 0x7fa0_1234, 0x7f80_0000, 0xff80_0000, 0, 0x8000_0000,
    1, 0x807f_ffff, 0x0080_0000, 0x3f80_0000, 0xbf80_0000, 0x7f7f_ffff, 0x3f00_0000, 0x4f00_0000,
    0xcf00_0000
  };

  /** 64 bits of an XMM register: {@code kind} 0 = a double, 1 = two floats, 2 = integers. */
  public long xmmHalf(int kind) {
    switch (kind) {
      case 0:
        if (rnd.nextInt(3) == 0) {
          return Double.doubleToRawLongBits((rnd.nextDouble() - 0.5)
              * Math.scalb(1.0, rnd.nextInt(200) - 100));
        }
        return rnd.nextInt(4) == 0 ? rnd.nextLong() : DOUBLES[rnd.nextInt(DOUBLES.length)];
      case 1:
        return (floatBits() & 0xffff_ffffL) | (long) floatBits() << 32;
      default:
        return int64();
    }
  }

  private int floatBits() {
    if (rnd.nextInt(3) == 0) {
      return Float.floatToRawIntBits((float) ((rnd.nextDouble() - 0.5)
          * Math.scalb(1.0, rnd.nextInt(60) - 30)));
    }
    return rnd.nextInt(4) == 0 ? rnd.nextInt() : FLOATS[rnd.nextInt(FLOATS.length)];
  }

  /** An 80-bit value as {sign+exponent, significand}. */
  public long[] x87Value() {
    int sign = rnd.nextBoolean() ? 0x8000 : 0;
    switch (rnd.nextInt(10)) {
      case 0: return new long[] {sign, 0};
      case 1: return new long[] {sign | 0x3fff, 1L << 63};
      case 2: return new long[] {sign | 0x7fff, 1L << 63}; // infinity
      case 3: return new long[] {sign | 0x7fff, 0xc000_0000_0000_0000L}; // QNaN
      case 4: return new long[] {sign | 0x7fff, 0x8000_0000_0000_0001L}; // SNaN
      case 5: return new long[] {sign, rnd.nextLong() >>> 1}; // denormal
      case 6: return new long[] {sign | 0x4000, 0xc90f_daa2_2168_c235L}; // pi
      default:
        return new long[] {sign | (0x3fff + rnd.nextInt(129) - 64), rnd.nextLong() | 1L << 63};
    }
  }
}
