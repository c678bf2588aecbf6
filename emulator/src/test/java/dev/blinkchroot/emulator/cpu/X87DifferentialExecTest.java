package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.difftest.HostVendor;
import dev.blinkchroot.emulator.difftest.MachineState;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every x87 instruction and the x87/SSE state images against the host CPU (see
 * {@link X87DiffCheck} for how a form is run and compared).
 *
 * <ul>
 *   <li>Register forms: every defined D8-DF register encoding with st(i) for i = 0, 1, 2, 7 (the
 *       decoder's table says which encodings exist), from 0 to 8 valid registers (empty and full
 *       stack edges), random precision and rounding control. Operand order, including the DC/DE
 *       FSUB/FSUBR and FDIV/FDIVR reversal, is whatever the bytes mean to both CPUs.
 *   <li>Memory forms: every D8-DF memory encoding through [rdi] with random data (NaNs,
 *       denormals, random FCW/FSW/tag images for FLDCW/FLDENV/FRSTOR included).
 *   <li>Transcendentals: results within 1 ulp and C1 not compared (X87DifferentialTest in the
 *       x87 package explains why the host's C1 cannot be reproduced); F2XM1 and FYL2XP1 operands
 *       are kept in their defined domains. Their results are the implementation's: on a host
 *       not of the emulated vendor ({@link HostVendor}) these forms are checked against the
 *       Intel recording instead ({@link X87ReferenceTest}).
 *   <li>State images: FNSTENV/FLDENV, FNSAVE/FRSTOR (32- and 16-bit formats), FXSAVE/FXRSTOR,
 *       XSAVE/XRSTOR, byte for byte in memory except FIP/FOP/FDP and MXCSR_MASK. XSAVE's
 *       XSTATE_BV for components in their initial configuration is the implementation's: those
 *       two forms go to the recording ({@link StateImageReferenceTest}) on another vendor's host.
 *   <li>Unmasked exceptions: SIGFPE at the next waiting instruction, state at the fault.
 * </ul>
 */
class X87DifferentialExecTest {
  /** What the SDM leaves undefined in FSW after arithmetic: C0, C2, C3. */
  private static final int C023 = 0x4500;
  private static final int C1 = 0x0200;
  private static final int ALL_C = C023 | C1;

  @AfterAll
  static void summary() {
    System.out.println(X87DiffCheck.summary());
  }

  // ---- register forms -----------------------------------------------------------------------

  /** D9 F0-FF ops whose results are rounded approximations: compared with 1 ulp tolerance. */
  private static boolean transcendental(int esc, int modrm) {
    return esc == 0xd9 && (modrm == 0xf0 || modrm == 0xf1 || modrm == 0xf2 || modrm == 0xf3
        || modrm == 0xf9 || modrm == 0xfb || modrm == 0xfe || modrm == 0xff);
  }

  private static boolean defined(byte[] code) {
    Insn insn = Decoder.decode(code, MachineState.CODE_BASE);
    return !insn.raisesSigill() && insn.length == code.length;
  }

  private static String bytes(int... b) {
    StringBuilder sb = new StringBuilder(".byte ");
    for (int i = 0; i < b.length; i++) {
      sb.append(i > 0 ? ", " : "").append(String.format("0x%02x", b[i]));
    }
    return sb.toString();
  }

  /** FSW bits the SDM leaves undefined after the register-form op (ModRM.reg row). */
  private static int undefinedFsw(int esc, int modrm) {
    int row = modrm >> 3 & 7;
    switch (esc) {
      case 0xd9:
        if (modrm >= 0xf0) {
          // FPREM/FPREM1 define all four; FSIN... define C2 (and C1 per library); others C0 C3
          if (modrm == 0xf5 || modrm == 0xf8) {
            return 0;
          }
          if (modrm == 0xfd) {
            return C023; // FSCALE
          }
          return modrm == 0xf2 || modrm == 0xfb || modrm == 0xfe || modrm == 0xff
              ? C023 & ~0x0400 : C023;
        }
        if (modrm >= 0xe8) {
          return C023; // constants
        }
        if (modrm == 0xe4 || modrm == 0xe5) {
          return 0; // FTST, FXAM
        }
        return row == 1 ? C023 : C023; // FLD, FXCH, FCHS, FABS, FNOP
      case 0xd8:
        return row == 2 || row == 3 ? 0 : C023; // FCOM/FCOMP define them
      case 0xdd:
        return row == 4 || row == 5 ? 0 : C023; // FUCOM/FUCOMP
      case 0xde:
        return modrm == 0xd9 ? 0 : C023; // FCOMPP
      case 0xda:
        return modrm == 0xe9 ? 0 : C023; // FUCOMPP; FCMOVcc leaves them undefined
      case 0xdb:
        return row >= 5 ? C023 | 0x0400 : C023; // FCOMI/FUCOMI: C0 C2 C3 undefined
      case 0xdf:
        return row >= 5 ? C023 | 0x0400 : C023;
      default:
        return C023;
    }
  }

  @TestFactory
  Stream<DynamicTest> registerForms_matchTheHost() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int esc = 0xd8; esc <= 0xdf; esc++) {
      for (int modrm = 0xc0; modrm <= 0xff; modrm++) {
        int i = modrm & 7;
        boolean perRm = esc == 0xd9 && modrm >= 0xd0 || esc == 0xda && modrm >= 0xe8 && modrm < 0xf0
            || esc == 0xdb && modrm >= 0xe0 && modrm < 0xe8 || esc == 0xde && modrm >= 0xd8
                && modrm < 0xe0 || esc == 0xdf && modrm >= 0xe0 && modrm < 0xe8;
        if (!perRm && i != 0 && i != 1 && i != 2 && i != 7) {
          continue;
        }
        if (!defined(new byte[] {(byte) esc, (byte) modrm})) {
          continue;
        }
        String asm = bytes(esc, modrm);
        boolean tr = transcendental(esc, modrm);
        int undefined = undefinedFsw(esc, modrm) | (tr ? C1 : 0);
        X87DiffCheck.Form f = X87DiffCheck.form(asm).depth(0, 8).fsw(undefined)
            .ulps(tr ? 1 : 0);
        if (esc == 0xd9 && modrm == 0xf0) {
          f = f.prepare(X87DiffCheck::st0InUnitRange);
        } else if (esc == 0xd9 && modrm == 0xf9) {
          f = f.prepare(X87DiffCheck::st0InLog1pRange);
        }
        X87DiffCheck.Form form = f;
        String name = asm + "  " + form.disassembly();
        int op = modrm;
        tests.add(DynamicTest.dynamicTest(name, () -> {
          if (tr && !HostVendor.matchesEmulatedModel()) {
            HostVendor.noteReferencePath(name);
            X87ReferenceTest.checkByModrm(op);
          } else {
            form.check();
          }
        }));
      }
    }
    return tests.stream();
  }

  // ---- memory forms -------------------------------------------------------------------------

  /** The defined D8-DF memory encodings, ModRM [rdi]. */
  @TestFactory
  Stream<DynamicTest> memoryForms_matchTheHost() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int esc = 0xd8; esc <= 0xdf; esc++) {
      for (int reg = 0; reg < 8; reg++) {
        int modrm = reg << 3 | 7;
        if (!defined(new byte[] {(byte) esc, (byte) modrm})) {
          continue;
        }
        String asm = bytes(esc, modrm);
        boolean env = esc == 0xd9 && (reg == 4 || reg == 6);
        boolean save = esc == 0xdd && (reg == 4 || reg == 6);
        // Compares (D8/DC /2 /3, DA/DE /2 /3) define C0 C2 C3; everything else leaves them.
        boolean cmp = (esc == 0xd8 || esc == 0xda || esc == 0xdc || esc == 0xde)
            && (reg == 2 || reg == 3);
        boolean control = esc == 0xd9 && reg >= 4 || esc == 0xdd && reg >= 4;
        X87DiffCheck.Form f = X87DiffCheck.form(asm).depth(0, 8).pointer(1)
            .fsw(cmp || control ? 0 : C023);
        if (env || save) {
          f = f.pointer(0).fixedImageMask(); // fixed RDI: FIP/FOP/FDP bytes masked
        }
        X87DiffCheck.Form form = f;
        tests.add(DynamicTest.dynamicTest(asm + "  " + form.disassembly(), () -> form.check()));
      }
    }
    // Other addressings and widths the decoder distinguishes.
    for (String asm : new String[] {"fld tbyte ptr [rdi+3]", "fstp tbyte ptr [rdi+5]",
        "fild qword ptr [rdi+8]", "fistp qword ptr [rdi+8]", "fisttp qword ptr [rdi]",
        "fnstsw ax", "fbstp tbyte ptr [rdi]", "fbld tbyte ptr [rdi]",
        "fnstenv [rdi]; fldenv [rdi]", "fnsave [rdi]; frstor [rdi]",
        "data16 fnstenv [rdi]", "data16 fnsave [rdi]", "data16 fnstenv [rdi]; data16 fldenv [rdi]",
        "data16 fnsave [rdi]; data16 frstor [rdi]", "fnstenv [rdi]; fld1; fldenv [rdi]",
        "fnsave [rdi]; fldpi; fld1; frstor [rdi]"}) {
      X87DiffCheck.Form form = X87DiffCheck.form(asm).depth(0, 8).pointer(0).fixedImageMask()
          .fsw(asm.startsWith("fst") || asm.startsWith("fb") || asm.startsWith("fi")
              || asm.startsWith("fld t") ? C023 : 0);
      tests.add(DynamicTest.dynamicTest(asm, () -> form.check()));
    }
    return tests.stream();
  }

  // ---- FXSAVE / XSAVE -----------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> stateImages_matchTheHost() {
    List<DynamicTest> tests = new ArrayList<>();
    // XSAVE keeps XSTATE_BV bits outside RFBM and never writes XCOMP_BV: the header starts
    // zeroed so that XRSTOR sees the same valid header on both sides.
    String zeroHeader = "mov qword ptr [rdi+512], 0; mov qword ptr [rdi+520], 0;"
        + " mov qword ptr [rdi+528], 0; ";
    String[] snippets = {
      "fxsave64 [rdi]", "fxsave [rdi]",
      "fxsave64 [rdi]; fninit; fxrstor64 [rdi]",
      "fxsave [rdi]; fldpi; fxrstor [rdi]",
      "and dword ptr [rdi+24], 0xffff; fxrstor64 [rdi]",
      "and dword ptr [rdi+24], 0xffbf; fxrstor [rdi]",
      "fxsave64 [rdi+8]", "fxrstor64 [rdi+4]",
      "mov dword ptr [rdi+24], 0x40000; fxrstor64 [rdi]",
      "mov eax, 3; xor edx, edx; xsave64 [rdi]",
      "mov eax, 1; xor edx, edx; xsave64 [rdi]",
      "mov eax, 2; xor edx, edx; xsave [rdi]",
      "xor eax, eax; xor edx, edx; xsave64 [rdi]",
      "mov eax, 3; xor edx, edx; xsave64 [rdi+16]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; fninit; fld1;"
          + " mov qword ptr [rdi+208], rsi; xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov qword ptr [rdi+512], 0;"
          + " mov dword ptr [rdi+24], 0x3f80; xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov qword ptr [rdi+512], 0;"
          + " xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov qword ptr [rdi+512], 1;"
          + " xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov qword ptr [rdi+512], 2;"
          + " xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov eax, 1; fldz; xrstor64 [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov eax, 2; xrstor [rdi]",
      zeroHeader + "mov eax, 3; xor edx, edx; xsave64 [rdi]; mov dword ptr [rdi+24], 0x40000;"
          + " xrstor64 [rdi]",
    };
    for (String asm : snippets) {
      X87DiffCheck.Form form = X87DiffCheck.form(asm).depth(0, 8).pointer(0).fxImageMask();
      tests.add(DynamicTest.dynamicTest(asm, () -> form.check()));
    }
    // XINUSE: the SSE component in its initial configuration (all XMM zero).
    X87DiffCheck.Form xmmZero = X87DiffCheck.form("mov eax, 3; xor edx, edx; xsave64 [rdi]")
        .depth(0, 8).pointer(0).fxImageMask().prepare(X87DiffCheck::zeroXmm);
    tests.add(DynamicTest.dynamicTest("xsave64 with XMM zero",
        () -> implementationSpecific("xsave64 with XMM zero", xmmZero)));
    X87DiffCheck.Form x87Init = X87DiffCheck.form("fninit; mov eax, 3; xor edx, edx;"
        + " xsave64 [rdi]").depth(0, 0).pointer(0).fxImageMask().prepare(X87DiffCheck::zeroX87);
    tests.add(DynamicTest.dynamicTest("xsave64 after fninit with zero registers",
        () -> implementationSpecific("xsave64 after fninit with zero registers", x87Init)));
    return tests.stream();
  }

  /** XINUSE: the host's only if it is of the emulated vendor, else the recorded images. */
  private static void implementationSpecific(String name, X87DiffCheck.Form form) {
    if (HostVendor.matchesEmulatedModel()) {
      form.check();
    } else {
      HostVendor.noteReferencePath(name);
      StateImageReferenceTest.checkAll();
    }
  }

  // ---- unmasked exceptions ------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> unmaskedExceptions_faultAtTheNextWaitingInstruction() {
    List<DynamicTest> tests = new ArrayList<>();
    String[] raising = {"fadd st, st(1)", "fdiv st, st(1)", "fdivr st(2), st", "fsqrt",
        "fmul dword ptr [rdi]", "fld st(1)", "fld qword ptr [rdi]", "fstp dword ptr [rdi]",
        "fistp word ptr [rdi]", "fcom st(1)", "fcomip st, st(1)", "fucomp st(2)",
        "fxch st(3)", "frndint", "fscale", "fprem", "fxtract", "fsub qword ptr [rdi]",
        "fidiv dword ptr [rdi]", "fstp st(3)", "fbstp tbyte ptr [rdi]", "fchs"};
    for (String op : raising) {
      String asm = op + "; fnop";
      boolean cmp = op.startsWith("fcom") || op.startsWith("fucom");
      X87DiffCheck.Form form = X87DiffCheck.form(asm).depth(0, 8).pointer(1)
          .fsw(cmp ? 0 : C023)
          .prepare(X87DiffCheck::unmaskSome);
      tests.add(DynamicTest.dynamicTest(asm, () -> form.check()));
    }
    // Stores to memory with any exception unmasked, OE and UE included: nothing is stored.
    for (String op : new String[] {"fstp dword ptr [rdi]", "fst qword ptr [rdi]",
        "fstp tbyte ptr [rdi]", "fistp dword ptr [rdi]", "fisttp word ptr [rdi]"}) {
      String asm = op + "; fnop";
      X87DiffCheck.Form form = X87DiffCheck.form(asm).depth(0, 8).pointer(1).fsw(C023)
          .prepare(X87DiffCheck::unmaskAny);
      tests.add(DynamicTest.dynamicTest(asm + " (OE/UE unmasked too)", () -> form.check()));
    }
    // A pending exception (set in the initial FSW): which instructions wait, which do not.
    String[] next = {"fwait", "fnop", "fldcw [rdi]", "fnclex", "fninit", "fnstsw ax",
        "fnstcw [rdi]", "fnstenv [rdi]", "fnsave [rdi]", "fldenv [rdi]", "frstor [rdi]",
        "fxsave64 [rdi]", "fld1", "fxam", "ffree st(1)", "fincstp", "fnclex; fld1",
        "fnstenv [rdi]; fwait"};
    for (String asm : next) {
      X87DiffCheck.Form form = X87DiffCheck.form(asm).depth(0, 8).pointer(0).fixedImageMask()
          .fxImageMask().fsw(C023).prepare(X87DiffCheck::pendingException);
      tests.add(DynamicTest.dynamicTest("pending: " + asm, () -> form.check()));
    }
    return tests.stream();
  }

  /** The constants under each rounding control (precision control stays random). */
  @TestFactory
  Stream<DynamicTest> constantsUnderEveryRoundingControl() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : new String[] {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2",
        "fldz"}) {
      for (int rc = 0; rc < 4; rc++) {
        int fcw = 0x037f & ~0x0c00 | rc << 10;
        X87DiffCheck.Form form = X87DiffCheck.form(c).depth(0, 8)
            .prepare(s -> s.setFcw(fcw & ~0x300 | (s.fcw() & 0x300)));
        tests.add(DynamicTest.dynamicTest(c + " RC=" + rc, () -> form.check()));
      }
    }
    return tests.stream();
  }
}
