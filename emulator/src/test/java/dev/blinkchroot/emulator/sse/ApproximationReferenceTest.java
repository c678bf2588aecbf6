package dev.blinkchroot.emulator.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.difftest.CpuReference;
import dev.blinkchroot.emulator.difftest.ReferenceTally;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * RCPSS/RCPPS and RSQRTSS/RSQRTPS against the Intel recording: every sampled line (74 special
 * inputs and 4096 random bit patterns, under MXCSR 1F80 and under DAZ|FTZ), and the FNV-1a hash
 * of the results over all 2^32 inputs, which pins the whole table. The packed forms hash the
 * same as the scalar ones on the recorded CPU, and here they share one function per element;
 * {@code ApproximationFormsTest} runs the instruction forms themselves.
 */
class ApproximationReferenceTest {
  private static IntUnaryOperator function(String name) {
    return name.startsWith("rcp") ? SseFloatApprox::reciprocal : SseFloatApprox::reciprocalSqrt;
  }

  @Test
  void sampledInputs_matchTheIntelRecording() {
    for (String section : new String[] {"rcp-sample", "rcp-sample-dazftz"}) {
      ReferenceTally tally = new ReferenceTally(section);
      for (CpuReference.Line l : CpuReference.intel().section(section)) {
        int in = (int) l.hex(1);
        int out = function(l.field(0)).applyAsInt(in);
        // MXCSR_OUT: no flags raised, the MXCSR loaded before the op comes back unchanged.
        String mxcsr = section.equals("rcp-sample") ? "00001f80" : "00009fc0";
        tally.check(l, l.field(2) + " " + l.field(3), String.format("%08x %s", out, mxcsr));
      }
      tally.assertAllMatched();
    }
  }

  @Test
  void wholeInputSpaceHashes_matchTheIntelRecording() {
    Map<String, String> expected = new HashMap<>();
    for (CpuReference.Line l : CpuReference.intel().section("rcp-hash")) {
      if (l.field(0).equals("hash")) {
        expected.put(l.field(1), l.field(2));
      }
    }
    assertEquals(4, expected.size(), "hash lines in the recording");
    assertEquals(expected.get("rcpss"), expected.get("rcpps"));
    assertEquals(expected.get("rsqrtss"), expected.get("rsqrtps"));
    long[] hashes = hashAll();
    assertEquals(expected.get("rcpss"), String.format("%016x", hashes[0]), "rcp over 2^32 inputs");
    assertEquals(expected.get("rsqrtss"), String.format("%016x", hashes[1]),
        "rsqrt over 2^32 inputs");
  }

  /** The recorder's rule: FNV-1a 64 over the little-endian result bytes, inputs 0..2^32-1. */
  private static long[] hashAll() {
    long prime = 0x100000001b3L;
    long rcp = 0xcbf29ce484222325L;
    long rsqrt = rcp;
    for (long x = 0; x <= 0xffff_ffffL; x++) {
      int r1 = SseFloatApprox.reciprocal((int) x);
      int r2 = SseFloatApprox.reciprocalSqrt((int) x);
      for (int k = 0; k < 32; k += 8) {
        rcp = (rcp ^ (r1 >>> k & 0xff)) * prime;
        rsqrt = (rsqrt ^ (r2 >>> k & 0xff)) * prime;
      }
    }
    return new long[] {rcp, rsqrt};
  }
}
