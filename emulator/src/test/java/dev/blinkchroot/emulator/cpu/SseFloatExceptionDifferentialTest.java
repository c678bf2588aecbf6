package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.difftest.Case;
import dev.blinkchroot.emulator.difftest.Differential;
import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.NativeCpu;
import dev.blinkchroot.emulator.difftest.Outcome;
import dev.blinkchroot.emulator.difftest.Undefined;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SSE floating-point exceptions against the host CPU with exceptions unmasked: the host
 * delivers SIGFPE (si_code from MXCSR, si_addr the instruction) with the destination untouched
 * and the flags set, and the emulator must agree, including which flags a pre-computation
 * exception leaves out. Also RCPPS/RSQRTPS, whose bits are processor-specific: everything must
 * match except the approximations, which must be within the SDM's 1.5 * 2^-12 of the host's.
 */
class SseFloatExceptionDifferentialTest {
  private static final InterpreterCpu EMULATOR = new InterpreterCpu();

  private static final String[] FORMS = {
    "addps xmm1, xmm2", "subsd xmm1, xmm2", "mulps xmm1, xmmword ptr [rdi]", "mulsd xmm1, xmm2",
    "divss xmm1, dword ptr [rdi]", "divpd xmm1, xmm2", "sqrtps xmm1, xmm2", "sqrtsd xmm1, xmm2",
    "maxps xmm1, xmm2", "minsd xmm1, xmm2", "cmpps xmm1, xmm2, 1", "cmpsd xmm1, xmm2, 0",
    "comiss xmm1, xmm2", "ucomisd xmm1, xmm2", "haddpd xmm1, xmm2", "addsubps xmm1, xmm2",
    "roundps xmm1, xmm2, 4", "roundsd xmm1, xmm2, 9", "dpps xmm1, xmm2, 0xff",
    "dppd xmm1, xmm2, 0x33", "cvtsd2ss xmm1, xmm2", "cvtpd2ps xmm1, xmm2", "cvtss2sd xmm1, xmm2",
    "cvtps2pd xmm1, xmm2", "cvtps2dq xmm1, xmm2", "cvttpd2dq xmm1, xmm2", "cvtsd2si rax, xmm2",
    "cvttss2si eax, xmm2", "cvtsi2ss xmm1, rax", "cvtsi2sd xmm1, rax", "cvtdq2ps xmm1, xmm2",
    "cvtpi2ps xmm1, mm2", "cvtps2pi mm1, xmm2", "cvtpd2pi mm1, xmm2"
  };

  /** MXCSR mask settings: each exception alone unmasked, all unmasked, the post-computation ones. */
  private static final int[] MASKS = {
    0x1f80 & ~(1 << 7), 0x1f80 & ~(1 << 8), 0x1f80 & ~(1 << 9), 0x1f80 & ~(1 << 10),
    0x1f80 & ~(1 << 11), 0x1f80 & ~(1 << 12), 0, 0x0380
  };

  @TestFactory
  Stream<DynamicTest> unmaskedExceptions_matchTheHostCpu() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int masks : MASKS) {
      for (String asm : FORMS) {
        tests.add(DynamicTest.dynamicTest(asm + String.format(" [masks %#x]", masks),
            () -> SseFloatDifferentialTest.DIFF.check(asm, Undefined.NONE,
                SseFloatStates.of(asm + masks, masks))));
      }
    }
    return tests.stream();
  }

  // ---- approximations ---------------------------------------------------------------------------

  private static final String[] APPROX = {
    "rcpps xmm1, xmm2", "rcpps xmm1, xmmword ptr [rdi]", "rcpss xmm1, xmm2",
    "rcpss xmm1, dword ptr [rdi+4]", "rsqrtps xmm1, xmm2", "rsqrtps xmm1, xmmword ptr [rdi]",
    "rsqrtss xmm1, xmm2", "rsqrtss xmm1, dword ptr [rdi+8]"
  };

  @TestFactory
  Stream<DynamicTest> approximations_withinTheSdmBoundOfTheHost() {
    return Stream.of(APPROX).map(asm -> DynamicTest.dynamicTest(asm, () -> checkApprox(asm)));
  }

  private static void checkApprox(String asm) {
    List<Case> cases = Case.each(asm, SseFloatStates.of(asm, MachineState.DEFAULT_MXCSR));
    List<Outcome> host = NativeCpu.get().run(cases);
    Undefined skipXmm1 = Undefined.NONE.andXmm(1);
    boolean scalar = asm.contains("ss ");
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Outcome h = host.get(i);
      Outcome e = EMULATOR.run(c.code().clone(), c.initial().copy());
      List<String> d = new ArrayList<>(Differential.compare(h, e, skipXmm1));
      if (h.completed() && e.completed()) {
        for (int lane = 0; lane < 4; lane++) {
          int hv = lane(h.state(), lane);
          int ev = lane(e.state(), lane);
          boolean ok = scalar && lane > 0 ? hv == ev : close(hv, ev);
          if (!ok) {
            d.add(String.format("XMM1 lane %d: host=%08x emulator=%08x", lane, hv, ev));
          }
        }
      }
      assertTrue(d.isEmpty(), () -> asm + ", case " + c.initial() + "\n" + String.join("\n", d));
    }
  }

  private static int lane(MachineState s, int i) {
    long q = i < 2 ? s.xmmLo(1) : s.xmmHi(1);
    return (int) (q >>> (32 * (i & 1)));
  }

  /**
   * Equal bits, or two finite nonzero results of one sign within 3 * 2^-12 of each other (both
   * are within 1.5 * 2^-12 of the exact value), or a result at the edge of the range where the
   * SDM lets the processor choose between flushing to zero and a tiny normal.
   */
  private static boolean close(int h, int e) {
    if (h == e) {
      return true;
    }
    float hf = Float.intBitsToFloat(h);
    float ef = Float.intBitsToFloat(e);
    if ((h ^ e) < 0 || Float.isNaN(hf) || Float.isNaN(ef) || Float.isInfinite(hf)
        || Float.isInfinite(ef)) {
      return false;
    }
    if (hf == 0 || ef == 0) {
      return Math.abs(hf + ef) < 0x1p-125f;
    }
    return Math.abs((double) ef / hf - 1) <= 3 * 0x1p-12;
  }
}
