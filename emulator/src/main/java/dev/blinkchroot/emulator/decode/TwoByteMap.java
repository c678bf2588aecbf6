package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Op.*;
import static dev.blinkchroot.emulator.decode.Row.*;

/**
 * The two-byte opcode map 0F xx (SDM Vol. 2, Table A-3) with its groups (Table A-6). SSE rows are
 * split by mandatory prefix: {@code pfx(none, 66, F3, F2)}. 0F 38 and 0F 3A are escapes to
 * {@link ThreeByteMaps}; 0F 0F (3DNow!) is handled by the decoder.
 */
final class TwoByteMap {
  private TwoByteMap() {}

  static final Row[] T = new Row[256];

  private static void op(int opcode, Row row) {
    if (T[opcode] != null) {
      throw new IllegalStateException("duplicate row 0f " + Integer.toHexString(opcode));
    }
    T[opcode] = row;
  }

  /** MMX form (no prefix, mm registers) and SSE2 form (66, xmm registers, VEX: NDS). */
  static Row mx(Op op) {
    return pfx(r(op, Pq, Qq).flag(NOVEX), r(op, Vx, Wx).flag(NDS), null, null);
  }

  /** MMX/SSE2 shift by register count: the count operand is 64 or 128 bits. */
  static Row mxShift(Op op) {
    return pfx(r(op, Pq, Qq).flag(NOVEX), r(op, Vx, Wdq).flag(NDS), null, null);
  }

  /** ps/pd/ss/sd arithmetic: 0F 51-5F. */
  static Row fp4(Op ps, Op pd, Op ss, Op sd, int packedFlags) {
    return pfx(r(ps, Vx, Wx).flag(packedFlags), r(pd, Vx, Wx).flag(packedFlags),
        r(ss, Vss, Wss).flag(NDS), r(sd, Vsd, Wsd).flag(NDS));
  }

  /** Shift-by-immediate groups 12-14 (0F 71-73): MMX N,Ib or SSE2 U,Ib (VEX: vvvv is dest). */
  static Row shImm(Op op) {
    return pfx(r(op, Nq, Ib).flag(NOVEX), r(op, Ux, Ib).flag(NDD), null, null);
  }

  static Row nopEv() {
    return r(NOP, Ev).flag(REGVAR);
  }

  static Row nop8() {
    Row n = nopEv();
    return byReg(n, n, n, n, n, n, n, n);
  }

  static Row priv(String name) {
    return r(name, SYSTEM).flag(PRIV);
  }

  static {
    op(0x00, byReg( // 0F 00 group 6
        r(SLDT, f(K_E, S_W, S_V)).flag(PRIV), r(STR, f(K_E, S_W, S_V)).flag(PRIV),
        r(LLDT, Ew).flag(PRIV), r(LTR, Ew).flag(PRIV), r(VERR, Ew).flag(PRIV),
        r(VERW, Ew).flag(PRIV), null, null));
    op(0x01, byMod( // 0F 01 group 7
        byReg(r(SGDT, f(K_M, S_DS)).flag(PRIV), r(SIDT, f(K_M, S_DS)).flag(PRIV),
            r(LGDT, f(K_M, S_DS)).flag(PRIV), r(LIDT, f(K_M, S_DS)).flag(PRIV),
            r(SMSW, Mw).flag(PRIV), null, r(LMSW, Mw).flag(PRIV), r(INVLPG, Mb).flag(PRIV)),
        byReg(
            byRm(null, priv("vmcall"), priv("vmlaunch"), priv("vmresume"), priv("vmxoff"),
                null, null, null),
            byRm(r(MONITOR).flag(PRIV), r(MWAIT).flag(PRIV), r(CLAC).flag(PRIV),
                r(STAC).flag(PRIV), null, null, null, priv("encls")),
            byRm(r(XGETBV), r(XSETBV).flag(PRIV), null, null, priv("vmfunc"),
                r(XEND).flag(UNSUP), r(XTEST).flag(UNSUP), priv("enclu")),
            byRm(priv("vmrun"), priv("vmmcall"), priv("vmload"), priv("vmsave"), priv("stgi"),
                priv("clgi"), priv("skinit"), priv("invlpga")),
            r(SMSW, Rv).flag(PRIV),
            byRm(r("serialize", SYSTEM).flag(UNSUP), null, null, null, null, null,
                r(RDPKRU).flag(UNSUP), r(WRPKRU).flag(UNSUP)),
            r(LMSW, f(K_R, S_W)).flag(PRIV),
            byRm(r(SWAPGS).flag(PRIV), r(RDTSCP), priv("monitorx"), priv("mwaitx"),
                r("clzero", SYSTEM).flag(UNSUP), priv("rdpru"), null, null))));
    op(0x02, r(LAR, Gv, Ew)); // 0F 02 lar Gv,Ew
    op(0x03, r(LSL, Gv, Ew)); // 0F 03 lsl Gv,Ew
    op(0x05, r(SYSCALL).flag(BRANCH)); // 0F 05 syscall
    op(0x06, r(CLTS).flag(PRIV)); // 0F 06 clts
    op(0x07, r("sysret", SYSRET).flag(PRIV | BRANCH)); // 0F 07 sysret
    op(0x08, r(INVD).flag(PRIV)); // 0F 08 invd
    op(0x09, r(WBINVD).flag(PRIV)); // 0F 09 wbinvd
    op(0x0B, r(UD2).flag(BRANCH)); // 0F 0B ud2
    op(0x0D, byMod(byReg( // 0F 0D prefetch group (AMD)
        r("prefetch", PREFETCH, Mb), r("prefetchw", PREFETCH, Mb),
        r("prefetchwt1", PREFETCH, Mb), r("prefetch", PREFETCH, Mb),
        r("prefetch", PREFETCH, Mb), r("prefetch", PREFETCH, Mb),
        r("prefetch", PREFETCH, Mb), r("prefetch", PREFETCH, Mb)), nop8()));
    op(0x0E, r("femms", AMD3DNOW).flag(UNSUP)); // 0F 0E femms
    op(0x10, pfx(r(MOVUPS, Vx, Wx), r(MOVUPD, Vx, Wx), // 0F 10
        byMod(r(MOVSS, Vss, Wss), r(MOVSS, Vss, Wss).flag(NDS)),
        byMod(r(MOVSD, Vsd, Wsd), r(MOVSD, Vsd, Wsd).flag(NDS))));
    op(0x11, pfx(r(MOVUPS, Wx, Vx), r(MOVUPD, Wx, Vx), // 0F 11
        byMod(r(MOVSS, Wss, Vss), r(MOVSS, Wss, Vss).flag(NDS)),
        byMod(r(MOVSD, Wsd, Vsd), r(MOVSD, Wsd, Vsd).flag(NDS))));
    op(0x12, pfx(byMod(r(MOVLPS, Vq, Mq).flag(NDS), r(MOVHLPS, Vq, Uq).flag(NDS)), // 0F 12
        r(MOVLPD, Vq, Mq).flag(NDS), r(MOVSLDUP, Vx, Wx), r(MOVDDUP, Vx, Wq)));
    op(0x13, pfx(r(MOVLPS, Mq, Vq), r(MOVLPD, Mq, Vq), null, null)); // 0F 13
    op(0x14, pfx(r(UNPCKLPS, Vx, Wx).flag(NDS), r(UNPCKLPD, Vx, Wx).flag(NDS), null, null));
    op(0x15, pfx(r(UNPCKHPS, Vx, Wx).flag(NDS), r(UNPCKHPD, Vx, Wx).flag(NDS), null, null));
    op(0x16, pfx(byMod(r(MOVHPS, Vq, Mq).flag(NDS), r(MOVLHPS, Vq, Uq).flag(NDS)), // 0F 16
        r(MOVHPD, Vq, Mq).flag(NDS), r(MOVSHDUP, Vx, Wx), null));
    op(0x17, pfx(r(MOVHPS, Mq, Vq), r(MOVHPD, Mq, Vq), null, null)); // 0F 17
    op(0x18, byMod(byReg( // 0F 18 group 16
        r("prefetchnta", PREFETCH, Mb), r("prefetcht0", PREFETCH, Mb),
        r("prefetcht1", PREFETCH, Mb), r("prefetcht2", PREFETCH, Mb),
        nopEv(), nopEv(), nopEv(), nopEv()), nop8()));
    op(0x19, nop8()); // 0F 19 hint nop
    op(0x1A, pfx(r("bndldx", BOUNDS_NOP, Ev), r("bndmov", BOUNDS_NOP, Ev), // 0F 1A MPX (nop)
        r("bndcl", BOUNDS_NOP, Ev), r("bndcu", BOUNDS_NOP, Ev)));
    op(0x1B, pfx(r("bndstx", BOUNDS_NOP, Ev), r("bndmov", BOUNDS_NOP, Ev), // 0F 1B MPX (nop)
        r("bndmk", BOUNDS_NOP, Ev), r("bndcn", BOUNDS_NOP, Ev)));
    op(0x1C, nop8()); // 0F 1C hint nop
    op(0x1D, nop8()); // 0F 1D hint nop
    op(0x1E, byRep(nop8(), byMod(nop8(), byReg(nopEv(), nopEv(), nopEv(), nopEv(), // 0F 1E
        nopEv(), nopEv(), nopEv(), byRm(nopEv(), nopEv(), r("endbr64", ENDBR64),
            r("endbr32", ENDBR32), nopEv(), nopEv(), nopEv(), nopEv()))), null));
    op(0x1F, nop8()); // 0F 1F /0 nop Ev
    op(0x20, r("mov", MOV_CR, Rq, Cd).flag(PRIV)); // 0F 20 mov Rq,Cr
    op(0x21, r("mov", MOV_DR, Rq, Dd).flag(PRIV)); // 0F 21 mov Rq,Dr
    op(0x22, r("mov", MOV_CR, Cd, Rq).flag(PRIV)); // 0F 22 mov Cr,Rq
    op(0x23, r("mov", MOV_DR, Dd, Rq).flag(PRIV)); // 0F 23 mov Dr,Rq
    op(0x28, pfx(r(MOVAPS, Vx, Wx), r(MOVAPD, Vx, Wx), null, null)); // 0F 28
    op(0x29, pfx(r(MOVAPS, Wx, Vx), r(MOVAPD, Wx, Vx), null, null)); // 0F 29
    op(0x2A, pfx(r(CVTPI2PS, Vq, Qq).flag(NOVEX), r(CVTPI2PD, Vx, Qq).flag(NOVEX), // 0F 2A
        r(CVTSI2SS, Vss, Ey).flag(NDS), r(CVTSI2SD, Vsd, Ey).flag(NDS)));
    op(0x2B, pfx(r(MOVNTPS, Mx, Vx), r(MOVNTPD, Mx, Vx), null, null)); // 0F 2B
    op(0x2C, pfx(r(CVTTPS2PI, Pq, Wq).flag(NOVEX), r(CVTTPD2PI, Pq, Wx).flag(NOVEX), // 0F 2C
        r(CVTTSS2SI, Gy, Wss), r(CVTTSD2SI, Gy, Wsd)));
    op(0x2D, pfx(r(CVTPS2PI, Pq, Wq).flag(NOVEX), r(CVTPD2PI, Pq, Wx).flag(NOVEX), // 0F 2D
        r(CVTSS2SI, Gy, Wss), r(CVTSD2SI, Gy, Wsd)));
    op(0x2E, pfx(r(UCOMISS, Vss, Wss), r(UCOMISD, Vsd, Wsd), null, null)); // 0F 2E
    op(0x2F, pfx(r(COMISS, Vss, Wss), r(COMISD, Vsd, Wsd), null, null)); // 0F 2F
    op(0x30, r(WRMSR).flag(PRIV)); // 0F 30 wrmsr
    op(0x31, r(RDTSC)); // 0F 31 rdtsc
    op(0x32, r(RDMSR).flag(PRIV)); // 0F 32 rdmsr
    op(0x33, r(RDPMC).flag(PRIV)); // 0F 33 rdpmc
    op(0x34, r(SYSENTER).flag(PRIV | BRANCH)); // 0F 34 sysenter
    op(0x35, r(SYSEXIT).flag(PRIV | BRANCH)); // 0F 35 sysexit
    op(0x37, priv("getsec")); // 0F 37 getsec
    for (int cc = 0; cc < 16; cc++) {
      op(0x40 + cc, r("cmov" + OneByteMap.CC[cc], CMOVCC, Gv, Ev).cc(cc)); // 0F 40+cc cmovcc
      op(0x80 + cc, r("j" + OneByteMap.CC[cc], JCC, Jz).cc(cc).f64().flag(BRANCH)); // 0F 80+cc
      op(0x90 + cc, r("set" + OneByteMap.CC[cc], SETCC, Eb).cc(cc)); // 0F 90+cc setcc Eb
    }
    op(0x50, pfx(r(MOVMSKPS, Gd, Ux), r(MOVMSKPD, Gd, Ux), null, null)); // 0F 50
    op(0x51, fp4(SQRTPS, SQRTPD, SQRTSS, SQRTSD, 0)); // 0F 51
    op(0x52, pfx(r(RSQRTPS, Vx, Wx), null, r(RSQRTSS, Vss, Wss).flag(NDS), null)); // 0F 52
    op(0x53, pfx(r(RCPPS, Vx, Wx), null, r(RCPSS, Vss, Wss).flag(NDS), null)); // 0F 53
    op(0x54, pfx(r(ANDPS, Vx, Wx).flag(NDS), r(ANDPD, Vx, Wx).flag(NDS), null, null));
    op(0x55, pfx(r(ANDNPS, Vx, Wx).flag(NDS), r(ANDNPD, Vx, Wx).flag(NDS), null, null));
    op(0x56, pfx(r(ORPS, Vx, Wx).flag(NDS), r(ORPD, Vx, Wx).flag(NDS), null, null));
    op(0x57, pfx(r(XORPS, Vx, Wx).flag(NDS), r(XORPD, Vx, Wx).flag(NDS), null, null));
    op(0x58, fp4(ADDPS, ADDPD, ADDSS, ADDSD, NDS)); // 0F 58
    op(0x59, fp4(MULPS, MULPD, MULSS, MULSD, NDS)); // 0F 59
    op(0x5A, pfx(r(CVTPS2PD, Vx, Whx), r(CVTPD2PS, Vdq, Wx), // 0F 5A
        r(CVTSS2SD, Vsd, Wss).flag(NDS), r(CVTSD2SS, Vss, Wsd).flag(NDS)));
    op(0x5B, pfx(r(CVTDQ2PS, Vx, Wx), r(CVTPS2DQ, Vx, Wx), r(CVTTPS2DQ, Vx, Wx), null));
    op(0x5C, fp4(SUBPS, SUBPD, SUBSS, SUBSD, NDS)); // 0F 5C
    op(0x5D, fp4(MINPS, MINPD, MINSS, MINSD, NDS)); // 0F 5D
    op(0x5E, fp4(DIVPS, DIVPD, DIVSS, DIVSD, NDS)); // 0F 5E
    op(0x5F, fp4(MAXPS, MAXPD, MAXSS, MAXSD, NDS)); // 0F 5F
    op(0x60, mx(PUNPCKLBW)); // 0F 60
    op(0x61, mx(PUNPCKLWD)); // 0F 61
    op(0x62, mx(PUNPCKLDQ)); // 0F 62
    op(0x63, mx(PACKSSWB)); // 0F 63
    op(0x64, mx(PCMPGTB)); // 0F 64
    op(0x65, mx(PCMPGTW)); // 0F 65
    op(0x66, mx(PCMPGTD)); // 0F 66
    op(0x67, mx(PACKUSWB)); // 0F 67
    op(0x68, mx(PUNPCKHBW)); // 0F 68
    op(0x69, mx(PUNPCKHWD)); // 0F 69
    op(0x6A, mx(PUNPCKHDQ)); // 0F 6A
    op(0x6B, mx(PACKSSDW)); // 0F 6B
    op(0x6C, pfx(null, r(PUNPCKLQDQ, Vx, Wx).flag(NDS), null, null)); // 66 0F 6C
    op(0x6D, pfx(null, r(PUNPCKHQDQ, Vx, Wx).flag(NDS), null, null)); // 66 0F 6D
    op(0x6E, pfx(r("movd|movd|movq", MOVD, Pq, Ey).flag(NOVEX), // 0F 6E movd/movq
        r("movd|movd|movq", MOVD, Vdq, Ey), null, null));
    op(0x6F, pfx(r(MOVQ, Pq, Qq).flag(NOVEX), r(MOVDQA, Vx, Wx), r(MOVDQU, Vx, Wx), null));
    op(0x70, pfx(r(PSHUFW, Pq, Qq, Ib).flag(NOVEX), r(PSHUFD, Vx, Wx, Ib), // 0F 70
        r(PSHUFHW, Vx, Wx, Ib), r(PSHUFLW, Vx, Wx, Ib)));
    op(0x71, byMod(null, byReg(null, null, shImm(PSRLW), null, shImm(PSRAW), null, // 0F 71 grp 12
        shImm(PSLLW), null)));
    op(0x72, byMod(null, byReg(null, null, shImm(PSRLD), null, shImm(PSRAD), null, // 0F 72 grp 13
        shImm(PSLLD), null)));
    op(0x73, byMod(null, byReg(null, null, shImm(PSRLQ), // 0F 73 group 14
        pfx(null, r(PSRLDQ, Ux, Ib).flag(NDD), null, null), null, null, shImm(PSLLQ),
        pfx(null, r(PSLLDQ, Ux, Ib).flag(NDD), null, null))));
    op(0x74, mx(PCMPEQB)); // 0F 74
    op(0x75, mx(PCMPEQW)); // 0F 75
    op(0x76, mx(PCMPEQD)); // 0F 76
    op(0x77, pfx(r(EMMS), null, null, null)); // 0F 77 emms (VEX: vzeroupper/vzeroall)
    op(0x78, pfx(r("vmread", SYSTEM, Ey, Gy).flag(PRIV | F64), // 0F 78
        byReg(r(EXTRQ, Ux, Ib, Ib).flag(UNSUP | NOVEX), null, null, null, null, null, null, null),
        null, r(INSERTQ, Vdq, Udq, Ib, Ib).flag(UNSUP | NOVEX)));
    op(0x79, pfx(r("vmwrite", SYSTEM, Gy, Ey).flag(PRIV | F64), // 0F 79
        r(EXTRQ, Vdq, Udq).flag(UNSUP | NOVEX), null, r(INSERTQ, Vdq, Udq).flag(UNSUP | NOVEX)));
    op(0x7C, pfx(null, r(HADDPD, Vx, Wx).flag(NDS), null, r(HADDPS, Vx, Wx).flag(NDS)));
    op(0x7D, pfx(null, r(HSUBPD, Vx, Wx).flag(NDS), null, r(HSUBPS, Vx, Wx).flag(NDS)));
    op(0x7E, pfx(r("movd|movd|movq", MOVD, Ey, Pd).flag(NOVEX), // 0F 7E
        r("movd|movd|movq", MOVD, Ey, Vd), r(MOVQ, Vq, Wq), null));
    op(0x7F, pfx(r(MOVQ, Qq, Pq).flag(NOVEX), r(MOVDQA, Wx, Vx), r(MOVDQU, Wx, Vx), null));
    op(0xA0, r(PUSH, FS).d64()); // 0F A0 push fs
    op(0xA1, r(POP, FS).d64()); // 0F A1 pop fs
    op(0xA2, r(CPUID)); // 0F A2 cpuid
    op(0xA3, r(BT, Ev, Gv)); // 0F A3 bt Ev,Gv
    op(0xA4, r(SHLD, Ev, Gv, Ib)); // 0F A4 shld Ev,Gv,Ib
    op(0xA5, r(SHLD, Ev, Gv, CL)); // 0F A5 shld Ev,Gv,CL
    op(0xA8, r(PUSH, GS).d64()); // 0F A8 push gs
    op(0xA9, r(POP, GS).d64()); // 0F A9 pop gs
    op(0xAA, r(RSM).flag(PRIV)); // 0F AA rsm
    op(0xAB, r(BTS, Ev, Gv).lock()); // 0F AB bts Ev,Gv
    op(0xAC, r(SHRD, Ev, Gv, Ib)); // 0F AC shrd Ev,Gv,Ib
    op(0xAD, r(SHRD, Ev, Gv, CL)); // 0F AD shrd Ev,Gv,CL
    op(0xAE, byMod( // 0F AE group 15
        byRep(byReg(r("fxsave|fxsave|fxsave64", FXSAVE, f(K_M, S_FX)),
                r("fxrstor|fxrstor|fxrstor64", FXRSTOR, f(K_M, S_FX)),
                r(LDMXCSR, Md), r(STMXCSR, Md),
                r("xsave|xsave|xsave64", XSAVE, M), r("xrstor|xrstor|xrstor64", XRSTOR, M),
                pfx(r("xsaveopt|xsaveopt|xsaveopt64", XSAVEOPT, M).flag(NOVEX),
                    r(CLWB, Mb).flag(NOVEX), null, null),
                pfx(r(CLFLUSH, Mb).flag(NOVEX), r(CLFLUSHOPT, Mb).flag(NOVEX), null, null)),
            null, null),
        byRep(byReg(null, null, null, null, null, r(LFENCE), r(MFENCE), r(SFENCE)),
            byReg(r(RDFSBASE, Ry), r(RDGSBASE, Ry), r(WRFSBASE, Ry), r(WRGSBASE, Ry),
                null, null, null, null),
            null)));
    op(0xAF, r(IMUL, Gv, Ev)); // 0F AF imul Gv,Ev
    op(0xB0, r(CMPXCHG, Eb, Gb).lock()); // 0F B0 cmpxchg Eb,Gb
    op(0xB1, r(CMPXCHG, Ev, Gv).lock()); // 0F B1 cmpxchg Ev,Gv
    op(0xB2, r(LSS, Gv, Mp)); // 0F B2 lss Gv,Mp
    op(0xB3, r(BTR, Ev, Gv).lock()); // 0F B3 btr Ev,Gv
    op(0xB4, r(LFS, Gv, Mp)); // 0F B4 lfs Gv,Mp
    op(0xB5, r(LGS, Gv, Mp)); // 0F B5 lgs Gv,Mp
    op(0xB6, r(MOVZX, Gv, Eb)); // 0F B6 movzx Gv,Eb
    op(0xB7, r(MOVZX, Gv, Ew)); // 0F B7 movzx Gv,Ew
    op(0xB8, byRep(null, r(POPCNT, Gv, Ev), null)); // F3 0F B8 popcnt Gv,Ev
    op(0xB9, r(UD1, Gv, Ev).flag(BRANCH)); // 0F B9 ud1 Gv,Ev
    op(0xBA, byReg(null, null, null, null, r(BT, Ev, Ib), r(BTS, Ev, Ib).lock(), // 0F BA grp 8
        r(BTR, Ev, Ib).lock(), r(BTC, Ev, Ib).lock()));
    op(0xBB, r(BTC, Ev, Gv).lock()); // 0F BB btc Ev,Gv
    op(0xBC, byRep(r(BSF, Gv, Ev), r(TZCNT, Gv, Ev), null)); // 0F BC bsf, F3: tzcnt
    op(0xBD, byRep(r(BSR, Gv, Ev), r(LZCNT, Gv, Ev), null)); // 0F BD bsr, F3: lzcnt
    op(0xBE, r(MOVSX, Gv, Eb)); // 0F BE movsx Gv,Eb
    op(0xBF, r(MOVSX, Gv, Ew)); // 0F BF movsx Gv,Ew
    op(0xC0, r(XADD, Eb, Gb).lock()); // 0F C0 xadd Eb,Gb
    op(0xC1, r(XADD, Ev, Gv).lock()); // 0F C1 xadd Ev,Gv
    op(0xC2, pfx(r(CMPPS, Vx, Wx, Ib).flag(NDS | IMM_NAME), // 0F C2 cmpps/pd/ss/sd
        r(CMPPD, Vx, Wx, Ib).flag(NDS | IMM_NAME), r(CMPSS, Vss, Wss, Ib).flag(NDS | IMM_NAME),
        r(CMPSD, Vsd, Wsd, Ib).flag(NDS | IMM_NAME)));
    op(0xC3, pfx(r(MOVNTI, My, Gy), null, null, null)); // 0F C3 movnti My,Gy
    op(0xC4, pfx(r(PINSRW, Pq, f(K_E, S_W, S_D), Ib).flag(NOVEX), // 0F C4 pinsrw
        r(PINSRW, Vdq, f(K_E, S_W, S_D), Ib).flag(NDS), null, null));
    op(0xC5, pfx(r(PEXTRW, Gd, Nq, Ib).flag(NOVEX), r(PEXTRW, Gd, Udq, Ib), null, null));
    op(0xC6, pfx(r(SHUFPS, Vx, Wx, Ib).flag(NDS), r(SHUFPD, Vx, Wx, Ib).flag(NDS), null, null));
    op(0xC7, byMod( // 0F C7 group 9
        byReg(null, r("cmpxchg8b|cmpxchg8b|cmpxchg16b", CMPXCHG8B, f(K_M, S_DV)).lock(), null,
            r("xrstors|xrstors|xrstors64", XRSTORS, M).flag(PRIV),
            r("xsavec|xsavec|xsavec64", XSAVEC, M),
            r("xsaves|xsaves|xsaves64", XSAVES, M).flag(PRIV),
            pfx(r("vmptrld", SYSTEM, Mq).flag(PRIV | NOVEX),
                r("vmclear", SYSTEM, Mq).flag(PRIV | NOVEX),
                r("vmxon", SYSTEM, Mq).flag(PRIV | NOVEX), null),
            byRep(r("vmptrst", SYSTEM, Mq).flag(PRIV), null, null)),
        byReg(null, null, null, null, null, null, r(RDRAND, Rv),
            byRep(r(RDSEED, Rv), r(RDPID, Rq), null))));
    for (int i = 0; i < 8; i++) {
      op(0xC8 + i, r(BSWAP, Zv)); // 0F C8+r bswap r
    }
    op(0xD0, pfx(null, r(ADDSUBPD, Vx, Wx).flag(NDS), null, r(ADDSUBPS, Vx, Wx).flag(NDS)));
    op(0xD1, mxShift(PSRLW)); // 0F D1
    op(0xD2, mxShift(PSRLD)); // 0F D2
    op(0xD3, mxShift(PSRLQ)); // 0F D3
    op(0xD4, mx(PADDQ)); // 0F D4
    op(0xD5, mx(PMULLW)); // 0F D5
    op(0xD6, pfx(null, r(MOVQ, Wq, Vq), r(MOVQ2DQ, Vdq, Nq).flag(NOVEX), // 0F D6
        r(MOVDQ2Q, Pq, Uq).flag(NOVEX)));
    op(0xD7, pfx(r(PMOVMSKB, Gd, Nq).flag(NOVEX), r(PMOVMSKB, Gd, Ux), null, null)); // 0F D7
    op(0xD8, mx(PSUBUSB)); // 0F D8
    op(0xD9, mx(PSUBUSW)); // 0F D9
    op(0xDA, mx(PMINUB)); // 0F DA
    op(0xDB, mx(PAND)); // 0F DB
    op(0xDC, mx(PADDUSB)); // 0F DC
    op(0xDD, mx(PADDUSW)); // 0F DD
    op(0xDE, mx(PMAXUB)); // 0F DE
    op(0xDF, mx(PANDN)); // 0F DF
    op(0xE0, mx(PAVGB)); // 0F E0
    op(0xE1, mxShift(PSRAW)); // 0F E1
    op(0xE2, mxShift(PSRAD)); // 0F E2
    op(0xE3, mx(PAVGW)); // 0F E3
    op(0xE4, mx(PMULHUW)); // 0F E4
    op(0xE5, mx(PMULHW)); // 0F E5
    op(0xE6, pfx(null, r(CVTTPD2DQ, Vdq, Wx), r(CVTDQ2PD, Vx, Whx), // 0F E6
        r(CVTPD2DQ, Vdq, Wx)));
    op(0xE7, pfx(r(MOVNTQ, Mq, Pq).flag(NOVEX), r(MOVNTDQ, Mx, Vx), null, null)); // 0F E7
    op(0xE8, mx(PSUBSB)); // 0F E8
    op(0xE9, mx(PSUBSW)); // 0F E9
    op(0xEA, mx(PMINSW)); // 0F EA
    op(0xEB, mx(POR)); // 0F EB
    op(0xEC, mx(PADDSB)); // 0F EC
    op(0xED, mx(PADDSW)); // 0F ED
    op(0xEE, mx(PMAXSW)); // 0F EE
    op(0xEF, mx(PXOR)); // 0F EF
    op(0xF0, pfx(null, null, null, r(LDDQU, Vx, Mx))); // F2 0F F0 lddqu
    op(0xF1, mxShift(PSLLW)); // 0F F1
    op(0xF2, mxShift(PSLLD)); // 0F F2
    op(0xF3, mxShift(PSLLQ)); // 0F F3
    op(0xF4, mx(PMULUDQ)); // 0F F4
    op(0xF5, mx(PMADDWD)); // 0F F5
    op(0xF6, mx(PSADBW)); // 0F F6
    op(0xF7, pfx(r(MASKMOVQ, Pq, Nq).flag(NOVEX), r(MASKMOVDQU, Vdq, Udq), null, null));
    op(0xF8, mx(PSUBB)); // 0F F8
    op(0xF9, mx(PSUBW)); // 0F F9
    op(0xFA, mx(PSUBD)); // 0F FA
    op(0xFB, mx(PSUBQ)); // 0F FB
    op(0xFC, mx(PADDB)); // 0F FC
    op(0xFD, mx(PADDW)); // 0F FD
    op(0xFE, mx(PADDD)); // 0F FE
    op(0xFF, r(UD0, Gd, Ed).flag(BRANCH)); // 0F FF ud0 Gd,Ed
  }
}
