package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.Differential;
import dev.blinkchroot.emulator.difftest.HostVendor;
import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.Undefined;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The SSE/SSE2/SSE3/SSE4.1 floating-point instructions against the host CPU: every form, in
 * register and memory variants, from {@link SseFloatStates} (all rounding modes, FTZ and DAZ on
 * and off, values at the edges). XMM registers, MXCSR flags, RFLAGS, memory and the x87/MMX
 * state must match exactly; faults (#GP for misaligned operands, #XM) must match in signal,
 * si_code and address. RCPPS/RSQRTPS are compared within the SDM's error bound in
 * {@link SseFloatExceptionDifferentialTest}.
 */
class SseFloatDifferentialTest {
  static final Differential DIFF = Differential.of(new InterpreterCpu());

  static final List<String> FORMS = new ArrayList<>();

  private static void forms(String... asm) {
    FORMS.addAll(List.of(asm));
  }

  /** Register and memory forms of a packed operation: "op xmm1, xmm2" and "op xmm1, [rdi]". */
  private static void packed(String op, String suffix) {
    forms(op + " xmm1, xmm2" + suffix, op + " xmm9, xmmword ptr [rdi]" + suffix);
  }

  private static void scalar(String op, int size, String suffix) {
    String mem = size == 4 ? "dword ptr [rdi+4]" : "qword ptr [rdi+8]";
    forms(op + " xmm1, xmm2" + suffix, op + " xmm14, " + mem + suffix);
  }

  static {
    // ---- moves (16-byte aligned RDI; +n offsets are deliberately misaligned)
    forms("movups xmm1, xmm2", "movups xmm1, xmmword ptr [rdi+3]",
        "movups xmmword ptr [rdi+5], xmm9", "movupd xmm3, xmmword ptr [rdi+1]",
        "movupd xmmword ptr [rdi], xmm4", "movaps xmm1, xmm2", "movaps xmm1, xmmword ptr [rdi]",
        "movaps xmmword ptr [rdi+16], xmm10", "movapd xmm5, xmmword ptr [rdi]",
        "movapd xmmword ptr [rdi], xmm5", "movapd xmm5, xmm13",
        "movaps xmm1, xmmword ptr [rdi+4]", "movapd xmmword ptr [rdi+8], xmm1",
        "movntps xmmword ptr [rdi], xmm1", "movntpd xmmword ptr [rdi+32], xmm2",
        "movntps xmmword ptr [rdi+1], xmm1", "addps xmm1, xmmword ptr [rdi+8]",
        "cvtps2dq xmm1, xmmword ptr [rdi+12]");
    forms("movss xmm1, xmm2", "movss xmm1, dword ptr [rdi+1]", "movss dword ptr [rdi+2], xmm3",
        "movsd xmm1, xmm2", "movsd xmm11, qword ptr [rdi+3]", "movsd qword ptr [rdi], xmm12",
        "movlps xmm1, qword ptr [rdi+4]", "movlps qword ptr [rdi], xmm1",
        "movlpd xmm1, qword ptr [rdi]", "movlpd qword ptr [rdi+8], xmm2",
        "movhps xmm1, qword ptr [rdi+4]", "movhps qword ptr [rdi+1], xmm2",
        "movhpd xmm1, qword ptr [rdi]", "movhpd qword ptr [rdi], xmm2", "movhlps xmm1, xmm2",
        "movlhps xmm1, xmm2", "movlhps xmm3, xmm3", "movsldup xmm1, xmm2",
        "movsldup xmm1, xmmword ptr [rdi]", "movshdup xmm1, xmm2",
        "movshdup xmm1, xmmword ptr [rdi]", "movddup xmm1, xmm2", "movddup xmm1, qword ptr [rdi+8]",
        "movddup xmm1, qword ptr [rdi+4]", "movmskps eax, xmm2", "movmskps rax, xmm9",
        "movmskpd ecx, xmm2", "movmskpd r8d, xmm15");
    forms("unpcklps xmm1, xmm2", "unpcklps xmm1, xmmword ptr [rdi]", "unpckhps xmm1, xmm2",
        "unpckhps xmm1, xmmword ptr [rdi]", "unpcklpd xmm1, xmm2", "unpcklpd xmm1, xmmword ptr [rdi]",
        "unpckhpd xmm1, xmm2", "unpckhpd xmm1, xmmword ptr [rdi]", "shufps xmm1, xmm2, 0x1b",
        "shufps xmm1, xmm2, 0xc6", "shufps xmm1, xmm1, 0x4e", "shufps xmm1, xmmword ptr [rdi], 0x93",
        "shufpd xmm1, xmm2, 0", "shufpd xmm1, xmm2, 1", "shufpd xmm1, xmm2, 2",
        "shufpd xmm1, xmmword ptr [rdi], 3");
    for (String op : new String[] {"andps", "andpd", "andnps", "andnpd", "orps", "orpd", "xorps",
        "xorpd"}) {
      packed(op, "");
    }
    forms("blendps xmm1, xmm2, 5", "blendps xmm1, xmmword ptr [rdi], 0xa",
        "blendpd xmm1, xmm2, 1", "blendpd xmm1, xmmword ptr [rdi], 2",
        "blendvps xmm1, xmm2, xmm0", "blendvps xmm1, xmmword ptr [rdi], xmm0",
        "blendvpd xmm1, xmm2, xmm0", "blendvpd xmm3, xmmword ptr [rdi], xmm0",
        "insertps xmm1, xmm2, 0x00", "insertps xmm1, xmm2, 0x5a", "insertps xmm1, xmm2, 0xc5",
        "insertps xmm1, xmm2, 0xef", "insertps xmm1, dword ptr [rdi+2], 0x31",
        "insertps xmm1, dword ptr [rdi], 0xd0", "extractps eax, xmm2, 1",
        "extractps ecx, xmm2, 3", "extractps dword ptr [rdi+1], xmm2, 2");
    forms("stmxcsr dword ptr [rdi+4]", "stmxcsr dword ptr [rdi]; ldmxcsr dword ptr [rdi]",
        "and dword ptr [rdi], 0xffff; ldmxcsr dword ptr [rdi]; stmxcsr dword ptr [rdi+8]",
        "mov dword ptr [rdi], 0x10000; ldmxcsr dword ptr [rdi]",
        "mov dword ptr [rdi], 0x81f80; ldmxcsr dword ptr [rdi]",
        "mov dword ptr [rdi], 0xff80; ldmxcsr dword ptr [rdi]; addps xmm1, xmm2");

    // ---- arithmetic
    for (String op : new String[] {"add", "sub", "mul", "div", "min", "max"}) {
      packed(op + "ps", "");
      packed(op + "pd", "");
      scalar(op + "ss", 4, "");
      scalar(op + "sd", 8, "");
    }
    forms("addps xmm3, xmm3", "mulsd xmm5, xmm5", "subpd xmm4, xmm4", "divss xmm6, xmm6",
        "maxps xmm1, xmm1", "minsd xmm2, xmm2");
    packed("sqrtps", "");
    packed("sqrtpd", "");
    scalar("sqrtss", 4, "");
    scalar("sqrtsd", 8, "");
    for (int pred = 0; pred < 8; pred++) {
      forms("cmpps xmm1, xmm2, " + pred, "cmppd xmm1, xmm2, " + pred, "cmpss xmm1, xmm2, " + pred,
          "cmpsd xmm1, xmm2, " + pred);
    }
    forms("cmpps xmm9, xmmword ptr [rdi], 1", "cmppd xmm9, xmmword ptr [rdi], 4",
        "cmpss xmm9, dword ptr [rdi+4], 6", "cmpsd xmm9, qword ptr [rdi+8], 3",
        "cmpps xmm1, xmm2, 13", "cmpsd xmm1, xmm2, 0xfa");
    scalar("comiss", 4, "");
    scalar("comisd", 8, "");
    scalar("ucomiss", 4, "");
    scalar("ucomisd", 8, "");
    for (String op : new String[] {"addsubps", "addsubpd", "haddps", "haddpd", "hsubps",
        "hsubpd"}) {
      packed(op, "");
    }
    forms("haddps xmm1, xmm1", "hsubpd xmm2, xmm2");
    for (int imm : new int[] {0, 1, 2, 3, 4, 8, 9, 10, 11, 12}) {
      forms("roundps xmm1, xmm2, " + imm, "roundpd xmm1, xmm2, " + imm,
          "roundss xmm1, xmm2, " + imm, "roundsd xmm1, xmm2, " + imm);
    }
    forms("roundps xmm1, xmmword ptr [rdi], 4", "roundpd xmm1, xmmword ptr [rdi], 1",
        "roundss xmm1, dword ptr [rdi+4], 2", "roundsd xmm1, qword ptr [rdi+8], 12");
    for (int imm : new int[] {0xff, 0xf1, 0x31, 0x7c, 0x00, 0x8e, 0x5f}) {
      forms("dpps xmm1, xmm2, " + imm);
    }
    for (int imm : new int[] {0x33, 0x31, 0x12, 0x23, 0x03}) {
      forms("dppd xmm1, xmm2, " + imm);
    }
    forms("dpps xmm1, xmmword ptr [rdi], 0xf3", "dppd xmm1, xmmword ptr [rdi], 0x31");

    // ---- conversions
    forms("cvtpi2ps xmm1, mm2", "cvtpi2ps xmm1, qword ptr [rdi+4]", "cvtpi2pd xmm1, mm3",
        "cvtpi2pd xmm1, qword ptr [rdi]", "cvtsi2ss xmm1, eax", "cvtsi2ss xmm1, rax",
        "cvtsi2ss xmm1, dword ptr [rdi+4]", "cvtsi2ss xmm1, qword ptr [rdi]", "cvtsi2sd xmm1, eax",
        "cvtsi2sd xmm1, rax", "cvtsi2sd xmm1, dword ptr [rdi]", "cvtsi2sd xmm1, qword ptr [rdi+8]",
        "cvttps2pi mm1, xmm2", "cvttps2pi mm1, qword ptr [rdi]", "cvttpd2pi mm1, xmm2",
        "cvttpd2pi mm1, xmmword ptr [rdi]", "cvtps2pi mm1, xmm2", "cvtps2pi mm7, qword ptr [rdi+8]",
        "cvtpd2pi mm1, xmm2", "cvtpd2pi mm1, xmmword ptr [rdi]", "cvtpd2pi mm1, xmmword ptr [rdi+8]");
    forms("cvttss2si eax, xmm2", "cvttss2si rax, xmm2", "cvttss2si eax, dword ptr [rdi]",
        "cvttsd2si eax, xmm2", "cvttsd2si rax, xmm2", "cvttsd2si rax, qword ptr [rdi+8]",
        "cvtss2si eax, xmm2", "cvtss2si rax, xmm2", "cvtss2si rcx, dword ptr [rdi+4]",
        "cvtsd2si eax, xmm2", "cvtsd2si rax, xmm2", "cvtsd2si r9d, qword ptr [rdi]",
        "cvtps2pd xmm1, xmm2", "cvtps2pd xmm1, qword ptr [rdi+4]", "cvtpd2ps xmm1, xmm2",
        "cvtpd2ps xmm1, xmmword ptr [rdi]", "cvtss2sd xmm1, xmm2", "cvtss2sd xmm1, dword ptr [rdi]",
        "cvtsd2ss xmm1, xmm2", "cvtsd2ss xmm1, qword ptr [rdi+8]", "cvtdq2ps xmm1, xmm2",
        "cvtdq2ps xmm1, xmmword ptr [rdi]", "cvtps2dq xmm1, xmm2", "cvtps2dq xmm1, xmmword ptr [rdi]",
        "cvttps2dq xmm1, xmm2", "cvttps2dq xmm1, xmmword ptr [rdi]", "cvttpd2dq xmm1, xmm2",
        "cvttpd2dq xmm1, xmmword ptr [rdi]", "cvtdq2pd xmm1, xmm2", "cvtdq2pd xmm1, qword ptr [rdi]",
        "cvtpd2dq xmm1, xmm2", "cvtpd2dq xmm1, xmmword ptr [rdi]");
  }

  @TestFactory
  Stream<DynamicTest> sseFloatForms_matchTheHostCpu() {
    return FORMS.stream().map(asm -> DynamicTest.dynamicTest(asm, () -> check(asm)));
  }

  private static void check(String asm) {
    if (asm.startsWith("dpp") && !HostVendor.matchesEmulatedModel()) {
      HostVendor.noteReferencePath(asm);
      IntelReferenceForms.checkDotProduct(asm);
      return;
    }
    DIFF.check(asm, Undefined.NONE, SseFloatStates.of(asm, MachineState.DEFAULT_MXCSR));
  }
}
