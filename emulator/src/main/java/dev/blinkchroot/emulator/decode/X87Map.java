package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Op.*;
import static dev.blinkchroot.emulator.decode.Row.*;

/**
 * The x87 escape opcodes D8-DF (SDM Vol. 2, A.4, Tables ): {@link #MEM} by opcode and
 * ModRM.reg for memory forms, {@link #REG} by opcode and ModRM.reg for register forms (split further
 * by ModRM.rm where the SDM assigns one instruction per rm). The register-form aliases that the SDM
 * leaves blank (D9 D8-DF, DC D0-DF, DD C8-CF, DE D0-D7, DF C8-DF) are undefined here, as in objdump.
 */
final class X87Map {
  private X87Map() {}

  static final Row[][] MEM = new Row[8][];
  static final Row[][] REG = new Row[8][];

  private static int m(int size) {
    return f(K_M, size);
  }

  private static final int M32 = m(S_D), M64 = m(S_Q), M16 = m(S_W), M80 = m(S_T);
  private static final int ENV = m(S_ENV), FPST = m(S_FPST);

  static {
    MEM[0] = new Row[] { // D8 /r: m32fp arithmetic
      r(FADD, M32), r(FMUL, M32), r(FCOM, M32), r(FCOMP, M32),
      r(FSUB, M32), r(FSUBR, M32), r(FDIV, M32), r(FDIVR, M32)};
    MEM[1] = new Row[] { // D9 /r
      r(FLD, M32), null, r(FST, M32), r(FSTP, M32),
      r(FLDENV, ENV), r(FLDCW, M16), r(FNSTENV, ENV), r(FNSTCW, M16)};
    MEM[2] = new Row[] { // DA /r: m32int arithmetic
      r(FIADD, M32), r(FIMUL, M32), r(FICOM, M32), r(FICOMP, M32),
      r(FISUB, M32), r(FISUBR, M32), r(FIDIV, M32), r(FIDIVR, M32)};
    MEM[3] = new Row[] { // DB /r
      r(FILD, M32), r(FISTTP, M32), r(FIST, M32), r(FISTP, M32),
      null, r(FLD, M80), null, r(FSTP, M80)};
    MEM[4] = new Row[] { // DC /r: m64fp arithmetic
      r(FADD, M64), r(FMUL, M64), r(FCOM, M64), r(FCOMP, M64),
      r(FSUB, M64), r(FSUBR, M64), r(FDIV, M64), r(FDIVR, M64)};
    MEM[5] = new Row[] { // DD /r
      r(FLD, M64), r(FISTTP, M64), r(FST, M64), r(FSTP, M64),
      r(FRSTOR, FPST), null, r(FNSAVE, FPST), r(FNSTSW, M16)};
    MEM[6] = new Row[] { // DE /r: m16int arithmetic
      r(FIADD, M16), r(FIMUL, M16), r(FICOM, M16), r(FICOMP, M16),
      r(FISUB, M16), r(FISUBR, M16), r(FIDIV, M16), r(FIDIVR, M16)};
    MEM[7] = new Row[] { // DF /r
      r(FILD, M16), r(FISTTP, M16), r(FIST, M16), r(FISTP, M16),
      r(FBLD, M80), r(FILD, M64), r(FBSTP, M80), r(FISTP, M64)};

    REG[0] = new Row[] { // D8 C0-FF: st(0) op= st(i)
      r(FADD, ST0, STi), r(FMUL, ST0, STi), r(FCOM, STi), r(FCOMP, STi),
      r(FSUB, ST0, STi), r(FSUBR, ST0, STi), r(FDIV, ST0, STi), r(FDIVR, ST0, STi)};
    REG[1] = new Row[] { // D9 C0-FF
      r(FLD, STi), // D9 C0+i fld st(i)
      r(FXCH, STi), // D9 C8+i fxch st(i)
      byRm(r(FNOP), null, null, null, null, null, null, null), // D9 D0 fnop
      null, // D9 D8-DF (fstp1 alias)
      byRm(r(FCHS), r(FABS), null, null, r(FTST), r(FXAM), null, null), // D9 E0-E7
      byRm(r(FLD1), r(FLDL2T), r(FLDL2E), r(FLDPI), r(FLDLG2), r(FLDLN2), r(FLDZ), null), // E8
      byRm(r(F2XM1), r(FYL2X), r(FPTAN), r(FPATAN), r(FXTRACT), r(FPREM1), r(FDECSTP),
          r(FINCSTP)), // D9 F0-F7
      byRm(r(FPREM), r(FYL2XP1), r(FSQRT), r(FSINCOS), r(FRNDINT), r(FSCALE), r(FSIN),
          r(FCOS))}; // D9 F8-FF
    REG[2] = new Row[] { // DA C0-FF
      r("fcmovb", FCMOV, ST0, STi).cc(2), r("fcmove", FCMOV, ST0, STi).cc(4),
      r("fcmovbe", FCMOV, ST0, STi).cc(6), r("fcmovu", FCMOV, ST0, STi).cc(10),
      null, byRm(null, r(FUCOMPP), null, null, null, null, null, null), null, null};
    REG[3] = new Row[] { // DB C0-FF
      r("fcmovnb", FCMOV, ST0, STi).cc(3), r("fcmovne", FCMOV, ST0, STi).cc(5),
      r("fcmovnbe", FCMOV, ST0, STi).cc(7), r("fcmovnu", FCMOV, ST0, STi).cc(11),
      byRm(r("fneni(8087 only)", FX87_LEGACY), r("fndisi(8087 only)", FX87_LEGACY),
          r(FNCLEX), r(FNINIT), r("fsetpm(287 only)", FX87_LEGACY),
          r("frstpm(287 only)", FX87_LEGACY), null, null), // DB E0-E7
      r(FUCOMI, ST0, STi), r(FCOMI, ST0, STi), null};
    REG[4] = new Row[] { // DC C0-FF: st(i) op= st(0)
      r(FADD, STi, ST0), r(FMUL, STi, ST0), null, null,
      r(FSUBR, STi, ST0), r(FSUB, STi, ST0), r(FDIVR, STi, ST0), r(FDIV, STi, ST0)};
    REG[5] = new Row[] { // DD C0-FF
      r(FFREE, STi), null, r(FST, STi), r(FSTP, STi), r(FUCOM, STi), r(FUCOMP, STi), null, null};
    REG[6] = new Row[] { // DE C0-FF: st(i) op= st(0), pop
      r(FADDP, STi, ST0), r(FMULP, STi, ST0), null,
      byRm(null, r(FCOMPP), null, null, null, null, null, null),
      r(FSUBRP, STi, ST0), r(FSUBP, STi, ST0), r(FDIVRP, STi, ST0), r(FDIVP, STi, ST0)};
    REG[7] = new Row[] { // DF C0-FF
      r(FFREEP, STi), null, null, null,
      byRm(r(FNSTSW, AX), null, null, null, null, null, null, null), // DF E0 fnstsw ax
      r(FUCOMIP, ST0, STi), r(FCOMIP, ST0, STi), null};
  }
}
