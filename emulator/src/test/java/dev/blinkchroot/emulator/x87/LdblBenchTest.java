package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The computations of {@code ../shared/bench/ldbl.c} done with the library: the 80-bit patterns
 * must equal the host's (via {@code ldbl_bits.c}), and printed like {@code %.21Lg} they must be
 * the benchmark's documented native output (bench/README.md).
 */
class LdblBenchTest {
  private static Map<String, String[]> host() {
    Map<String, String[]> m = new HashMap<>();
    for (String line : HostX87.runProgram("ldbl_bits").split("\n")) {
      String[] f = line.trim().split(" ");
      m.put(f[0], new String[] {f[1], f[2]});
    }
    return m;
  }

  /** What printf("%.21Lg") prints for a finite value in these ranges. */
  static String g21(F80 v) {
    BigDecimal sig = new BigDecimal(X87Arith.unsigned(v.normSig()));
    int k = v.normExp() - 63; // v = sig * 2^k, exactly representable in decimal
    BigDecimal exact = k >= 0 ? sig.multiply(new BigDecimal(2).pow(k))
        : sig.divide(new BigDecimal(2).pow(-k)); // terminating: exact
    String s = exact.round(new MathContext(21, RoundingMode.HALF_EVEN)).stripTrailingZeros()
        .toPlainString();
    return v.isNegative() ? "-" + s : s;
  }

  private static X87State defaultState() {
    return new X87State(); // FNINIT: 64-bit precision, round to nearest (what the C ABI uses)
  }

  @Test
  void oneThird_inExtendedPrecision_matchesHostBitsAndPrints0_333333333333333333342() {
    X87State st = defaultState();
    F80 third = X87Arith.div(st, F80.ONE, X87Convert.fromInt64(3));
    assertEquals(host().get("third")[0], third.toString());
    assertEquals("0.333333333333333333342", g21(third));
  }

  @Test
  void tenToThe18PlusOne_minusTenToThe18_isOne() {
    X87State st = defaultState();
    F80 e18 = X87Convert.fromInt64(1_000_000_000_000_000_000L);
    F80 diff = X87Arith.sub(st, X87Arith.add(st, e18, F80.ONE), e18);
    assertEquals(host().get("bigdiff")[0], diff.toString());
    assertEquals("1", g21(diff));
  }

  @Test
  void harmonicSum1000_matchesHostBitsAndPrints7_48547086055034491432() {
    X87State st = defaultState();
    F80 s = F80.POS_ZERO;
    for (int i = 1; i <= 1000; i++) {
      s = X87Arith.add(st, s, X87Arith.div(st, F80.ONE, X87Convert.fromInt64(i)));
    }
    assertEquals(host().get("harmonic")[0], s.toString());
    assertEquals("7.48547086055034491432", g21(s));
  }

  @Test
  void sqrtTwo_matchesHostBitsAndPrints1_41421356237309504876() {
    F80 r = X87Arith.sqrt(defaultState(), X87Convert.fromInt64(2));
    assertEquals(host().get("sqrt2")[0], r.toString());
    assertEquals("1.41421356237309504876", g21(r));
  }

  @Test
  void hostPrintsTheDocumentedNativeOutput() {
    Map<String, String[]> h = host();
    assertEquals("0.333333333333333333342", h.get("third")[1]);
    assertEquals("1", h.get("bigdiff")[1]);
    assertEquals("7.48547086055034491432", h.get("harmonic")[1]);
    assertEquals("1.41421356237309504876", h.get("sqrt2")[1]);
  }
}
