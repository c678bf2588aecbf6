package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.HostVendor;
import dev.blinkchroot.emulator.difftest.MachineState;
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
 * exception leaves out. DPPS/DPPD and RCPPS/RSQRTPS compute implementation-specific results:
 * they are compared with the host, bit for bit, only when it is of the emulated vendor
 * ({@link HostVendor}); otherwise the forms run on the recorded Intel inputs instead
 * ({@link IntelReferenceForms}). The recording has DPPS/DPPD with masked exceptions only, so on
 * such a host their unmasked behaviour is not checked, and the test says so.
 */
class SseFloatExceptionDifferentialTest {
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
        String name = asm + String.format(" [masks %#x]", masks);
        tests.add(DynamicTest.dynamicTest(name, () -> {
          if (asm.startsWith("dpp") && !HostVendor.matchesEmulatedModel()) {
            HostVendor.noteReferencePath(name + " (unmasked exceptions not checked: the"
                + " recording has masked ones only)");
            IntelReferenceForms.checkDotProduct(asm);
            return;
          }
          SseFloatDifferentialTest.DIFF.check(asm, Undefined.NONE,
              SseFloatStates.of(asm + masks, masks));
        }));
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
  Stream<DynamicTest> approximations_matchTheHostOrTheIntelRecording() {
    return Stream.of(APPROX).map(asm -> DynamicTest.dynamicTest(asm, () -> {
      if (HostVendor.matchesEmulatedModel()) {
        checkApprox(asm);
      } else {
        HostVendor.noteReferencePath(asm);
        IntelReferenceForms.checkApproximation(asm);
      }
    }));
  }

  private static void checkApprox(String asm) {
    SseFloatDifferentialTest.DIFF.check(asm, Undefined.NONE,
        SseFloatStates.of(asm, MachineState.DEFAULT_MXCSR));
  }
}
