package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Op.*;
import static dev.blinkchroot.emulator.decode.Row.*;

/**
 * The three-byte opcode maps 0F 38 xx and 0F 3A xx (SDM Vol. 2, Tables ), legacy and
 * VEX forms. Rows that exist only with VEX (BMI1/BMI2, AVX2 permutes...) carry {@link Row#VEXONLY}.
 * Every 0F 3A instruction has an imm8.
 */
final class ThreeByteMaps {
  private ThreeByteMaps() {}

  static final Row[] T38 = new Row[256];
  static final Row[] T3A = new Row[256];

  private static void op38(int opcode, Row row) {
    if (T38[opcode] != null) {
      throw new IllegalStateException("duplicate row 0f38 " + Integer.toHexString(opcode));
    }
    T38[opcode] = row;
  }

  private static void op3a(int opcode, Row row) {
    if (T3A[opcode] != null) {
      throw new IllegalStateException("duplicate row 0f3a " + Integer.toHexString(opcode));
    }
    T3A[opcode] = row;
  }

  /** SSSE3: MMX form (no prefix) and XMM form (66). */
  private static Row ssse3(Op op, int xmmFlags) {
    return pfx(r(op, Pq, Qq).flag(NOVEX), r(op, Vx, Wx).flag(xmmFlags), null, null);
  }

  /** 66-only SSE4 / AES row. */
  private static Row p66(Row row) {
    return pfx(null, row, null, null);
  }

  private static Row vex66(Row row) {
    return pfx(null, row.flag(VEXONLY), null, null);
  }

  static {
    op38(0x00, ssse3(PSHUFB, NDS)); // 0F 38 00 pshufb
    op38(0x01, ssse3(PHADDW, NDS)); // 0F 38 01 phaddw
    op38(0x02, ssse3(PHADDD, NDS)); // 0F 38 02 phaddd
    op38(0x03, ssse3(PHADDSW, NDS)); // 0F 38 03 phaddsw
    op38(0x04, ssse3(PMADDUBSW, NDS)); // 0F 38 04 pmaddubsw
    op38(0x05, ssse3(PHSUBW, NDS)); // 0F 38 05 phsubw
    op38(0x06, ssse3(PHSUBD, NDS)); // 0F 38 06 phsubd
    op38(0x07, ssse3(PHSUBSW, NDS)); // 0F 38 07 phsubsw
    op38(0x08, ssse3(PSIGNB, NDS)); // 0F 38 08 psignb
    op38(0x09, ssse3(PSIGNW, NDS)); // 0F 38 09 psignw
    op38(0x0A, ssse3(PSIGND, NDS)); // 0F 38 0A psignd
    op38(0x0B, ssse3(PMULHRSW, NDS)); // 0F 38 0B pmulhrsw
    op38(0x0C, vex66(r("vpermilps", VPERMIL, Vx, Hx, Wx))); // VEX 66 0F 38 0C
    op38(0x0D, vex66(r("vpermilpd", VPERMIL, Vx, Hx, Wx))); // VEX 66 0F 38 0D
    op38(0x0E, vex66(r("vtestps", VTEST, Vx, Wx))); // VEX 66 0F 38 0E
    op38(0x0F, vex66(r("vtestpd", VTEST, Vx, Wx))); // VEX 66 0F 38 0F
    op38(0x10, p66(r(PBLENDVB, Vdq, Wdq, XMM0).flag(NOVEX))); // 66 0F 38 10 pblendvb
    op38(0x13, vex66(r("vcvtph2ps", VCVTPH2PS, Vx, Whx))); // VEX 66 0F 38 13
    op38(0x14, p66(r(BLENDVPS, Vdq, Wdq, XMM0).flag(NOVEX))); // 66 0F 38 14 blendvps
    op38(0x15, p66(r(BLENDVPD, Vdq, Wdq, XMM0).flag(NOVEX))); // 66 0F 38 15 blendvpd
    op38(0x16, vex66(r("vpermps", VPERM, Vx, Hx, Wx))); // VEX 66 0F 38 16
    op38(0x17, p66(r(PTEST, Vx, Wx))); // 66 0F 38 17 ptest
    op38(0x18, vex66(r("vbroadcastss", VBROADCAST, Vx, Wd))); // VEX 66 0F 38 18
    op38(0x19, vex66(r("vbroadcastsd", VBROADCAST, Vqq, Wq))); // VEX 66 0F 38 19
    op38(0x1A, vex66(r("vbroadcastf128", VBROADCAST, Vqq, Mdq))); // VEX 66 0F 38 1A
    op38(0x1C, ssse3(PABSB, 0)); // 0F 38 1C pabsb
    op38(0x1D, ssse3(PABSW, 0)); // 0F 38 1D pabsw
    op38(0x1E, ssse3(PABSD, 0)); // 0F 38 1E pabsd
    op38(0x20, p66(r(PMOVSXBW, Vx, Whx))); // 66 0F 38 20 pmovsxbw
    op38(0x21, p66(r(PMOVSXBD, Vx, Wqx))); // 66 0F 38 21 pmovsxbd
    op38(0x22, p66(r(PMOVSXBQ, Vx, Wex))); // 66 0F 38 22 pmovsxbq
    op38(0x23, p66(r(PMOVSXWD, Vx, Whx))); // 66 0F 38 23 pmovsxwd
    op38(0x24, p66(r(PMOVSXWQ, Vx, Wqx))); // 66 0F 38 24 pmovsxwq
    op38(0x25, p66(r(PMOVSXDQ, Vx, Whx))); // 66 0F 38 25 pmovsxdq
    op38(0x28, p66(r(PMULDQ, Vx, Wx).flag(NDS))); // 66 0F 38 28 pmuldq
    op38(0x29, p66(r(PCMPEQQ, Vx, Wx).flag(NDS))); // 66 0F 38 29 pcmpeqq
    op38(0x2A, p66(r(MOVNTDQA, Vx, Mx))); // 66 0F 38 2A movntdqa
    op38(0x2B, p66(r(PACKUSDW, Vx, Wx).flag(NDS))); // 66 0F 38 2B packusdw
    op38(0x2C, vex66(r("vmaskmovps", VMASKMOV, Vx, Hx, Mx))); // VEX 66 0F 38 2C
    op38(0x2D, vex66(r("vmaskmovpd", VMASKMOV, Vx, Hx, Mx))); // VEX 66 0F 38 2D
    op38(0x2E, vex66(r("vmaskmovps", VMASKMOV, Mx, Hx, Vx))); // VEX 66 0F 38 2E
    op38(0x2F, vex66(r("vmaskmovpd", VMASKMOV, Mx, Hx, Vx))); // VEX 66 0F 38 2F
    op38(0x30, p66(r(PMOVZXBW, Vx, Whx))); // 66 0F 38 30 pmovzxbw
    op38(0x31, p66(r(PMOVZXBD, Vx, Wqx))); // 66 0F 38 31 pmovzxbd
    op38(0x32, p66(r(PMOVZXBQ, Vx, Wex))); // 66 0F 38 32 pmovzxbq
    op38(0x33, p66(r(PMOVZXWD, Vx, Whx))); // 66 0F 38 33 pmovzxwd
    op38(0x34, p66(r(PMOVZXWQ, Vx, Wqx))); // 66 0F 38 34 pmovzxwq
    op38(0x35, p66(r(PMOVZXDQ, Vx, Whx))); // 66 0F 38 35 pmovzxdq
    op38(0x36, vex66(r("vpermd", VPERM, Vx, Hx, Wx))); // VEX 66 0F 38 36
    op38(0x37, p66(r(PCMPGTQ, Vx, Wx).flag(NDS))); // 66 0F 38 37 pcmpgtq
    op38(0x38, p66(r(PMINSB, Vx, Wx).flag(NDS))); // 66 0F 38 38 pminsb
    op38(0x39, p66(r(PMINSD, Vx, Wx).flag(NDS))); // 66 0F 38 39 pminsd
    op38(0x3A, p66(r(PMINUW, Vx, Wx).flag(NDS))); // 66 0F 38 3A pminuw
    op38(0x3B, p66(r(PMINUD, Vx, Wx).flag(NDS))); // 66 0F 38 3B pminud
    op38(0x3C, p66(r(PMAXSB, Vx, Wx).flag(NDS))); // 66 0F 38 3C pmaxsb
    op38(0x3D, p66(r(PMAXSD, Vx, Wx).flag(NDS))); // 66 0F 38 3D pmaxsd
    op38(0x3E, p66(r(PMAXUW, Vx, Wx).flag(NDS))); // 66 0F 38 3E pmaxuw
    op38(0x3F, p66(r(PMAXUD, Vx, Wx).flag(NDS))); // 66 0F 38 3F pmaxud
    op38(0x40, p66(r(PMULLD, Vx, Wx).flag(NDS))); // 66 0F 38 40 pmulld
    op38(0x41, p66(r(PHMINPOSUW, Vdq, Wdq))); // 66 0F 38 41 phminposuw
    op38(0x45, vex66(byW(r("vpsrlvd", VPSHIFTV, Vx, Hx, Wx), // VEX 66 0F 38 45
        r("vpsrlvq", VPSHIFTV, Vx, Hx, Wx))));
    op38(0x46, vex66(r("vpsravd", VPSHIFTV, Vx, Hx, Wx))); // VEX 66 0F 38 46
    op38(0x47, vex66(byW(r("vpsllvd", VPSHIFTV, Vx, Hx, Wx), // VEX 66 0F 38 47
        r("vpsllvq", VPSHIFTV, Vx, Hx, Wx))));
    op38(0x58, vex66(r("vpbroadcastd", VPBROADCAST, Vx, Wd))); // VEX 66 0F 38 58
    op38(0x59, vex66(r("vpbroadcastq", VPBROADCAST, Vx, Wq))); // VEX 66 0F 38 59
    op38(0x5A, vex66(r("vbroadcasti128", VBROADCAST, Vqq, Mdq))); // VEX 66 0F 38 5A
    op38(0x78, vex66(r("vpbroadcastb", VPBROADCAST, Vx, Wb))); // VEX 66 0F 38 78
    op38(0x79, vex66(r("vpbroadcastw", VPBROADCAST, Vx, Ww))); // VEX 66 0F 38 79
    op38(0x80, p66(r("invept", SYSTEM, Gq, Mdq).flag(PRIV | NOVEX))); // 66 0F 38 80
    op38(0x81, p66(r("invvpid", SYSTEM, Gq, Mdq).flag(PRIV | NOVEX))); // 66 0F 38 81
    op38(0x82, p66(r("invpcid", SYSTEM, Gq, Mdq).flag(PRIV | NOVEX))); // 66 0F 38 82
    op38(0x8C, vex66(byW(r("vpmaskmovd", VMASKMOV, Vx, Hx, Mx), // VEX 66 0F 38 8C
        r("vpmaskmovq", VMASKMOV, Vx, Hx, Mx))));
    op38(0x8E, vex66(byW(r("vpmaskmovd", VMASKMOV, Mx, Hx, Vx), // VEX 66 0F 38 8E
        r("vpmaskmovq", VMASKMOV, Mx, Hx, Vx))));
    String[][] gathers = {{"vpgatherdd", "vpgatherdq"}, {"vpgatherqd", "vpgatherqq"},
        {"vgatherdps", "vgatherdpd"}, {"vgatherqps", "vgatherqpd"}};
    for (int i = 0; i < 4; i++) { // VEX 66 0F 38 90-93 gathers
      op38(0x90 + i, vex66(byW(r(gathers[i][0], VGATHER, Vx, Mx, Hx),
          r(gathers[i][1], VGATHER, Vx, Mx, Hx))));
    }
    // VEX 66 0F 38 96-BF: FMA3, names by opcode low nibble and W
    String[] fmaPacked = {"fmaddsub", "fmsubadd", "fmadd", null, "fmsub", null, "fnmadd", null,
        "fnmsub", null};
    String[] order = {"132", "213", "231"};
    for (int blk = 0; blk < 3; blk++) {
      for (int lo = 6; lo <= 15; lo++) {
        int opc = 0x90 + blk * 0x10 + lo;
        int k = lo - 6;
        boolean scalar = lo >= 9 && (lo & 1) == 1;
        String base = scalar ? fmaPacked[k - 1] : fmaPacked[k];
        String s0 = scalar ? "ss" : "ps";
        String s1 = scalar ? "sd" : "pd";
        String n = "v" + base + order[blk];
        int src = scalar ? Wd : Wx;
        op38(opc, vex66(byW(r(n + s0, VFMA, Vx, Hx, src).flag(NDS),
            r(n + s1, VFMA, Vx, Hx, scalar ? Wq : Wx).flag(NDS))));
      }
    }
    op38(0xC8, pfx(r(SHA1NEXTE, Vdq, Wdq).flag(NOVEX), null, null, null)); // 0F 38 C8
    op38(0xC9, pfx(r(SHA1MSG1, Vdq, Wdq).flag(NOVEX), null, null, null)); // 0F 38 C9
    op38(0xCA, pfx(r(SHA1MSG2, Vdq, Wdq).flag(NOVEX), null, null, null)); // 0F 38 CA
    op38(0xCB, pfx(r(SHA256RNDS2, Vdq, Wdq, XMM0).flag(NOVEX), null, null, null)); // 0F 38 CB
    op38(0xCC, pfx(r(SHA256MSG1, Vdq, Wdq).flag(NOVEX), null, null, null)); // 0F 38 CC
    op38(0xCD, pfx(r(SHA256MSG2, Vdq, Wdq).flag(NOVEX), null, null, null)); // 0F 38 CD
    op38(0xDB, p66(r(AESIMC, Vdq, Wdq))); // 66 0F 38 DB aesimc
    op38(0xDC, p66(r(AESENC, Vx, Wx).flag(NDS))); // 66 0F 38 DC aesenc
    op38(0xDD, p66(r(AESENCLAST, Vx, Wx).flag(NDS))); // 66 0F 38 DD aesenclast
    op38(0xDE, p66(r(AESDEC, Vx, Wx).flag(NDS))); // 66 0F 38 DE aesdec
    op38(0xDF, p66(r(AESDECLAST, Vx, Wx).flag(NDS))); // 66 0F 38 DF aesdeclast
    // F0/F1: MOVBE (no prefix; 66 = 16-bit), CRC32 (F2; 66 = 16-bit source)
    op38(0xF0, byRep(r(MOVBE, Gv, Mv), null, r(CRC32, Gy, Eb)).flag(NOVEX)); // 0F 38 F0
    op38(0xF1, byRep(r(MOVBE, Mv, Gv), null, r(CRC32, Gy, Ev)).flag(NOVEX)); // 0F 38 F1
    // VEX-only BMI1/BMI2 (operand size from VEX.W)
    op38(0xF2, pfx(r(ANDN, Gy, By, Ey).flag(VEXONLY | VEXW | L0), null, null, null)); // F2 andn
    op38(0xF3, pfx(byReg(null, r(BLSR, By, Ey), r(BLSMSK, By, Ey), r(BLSI, By, Ey), // F3 grp 17
        null, null, null, null).flag(VEXONLY | VEXW | L0), null, null, null));
    op38(0xF5, pfx(r(BZHI, Gy, Ey, By).flag(VEXONLY | VEXW | L0), null, // F5 bzhi/pext/pdep
        r(PEXT, Gy, By, Ey).flag(VEXONLY | VEXW | L0),
        r(PDEP, Gy, By, Ey).flag(VEXONLY | VEXW | L0)));
    op38(0xF6, pfx(null, r(ADCX, Gy, Ey).flag(NOVEX), r(ADOX, Gy, Ey).flag(NOVEX), // F6
        r(MULX, Gy, By, Ey).flag(VEXONLY | VEXW | L0)));
    op38(0xF7, pfx(r(BEXTR, Gy, Ey, By).flag(VEXONLY | VEXW | L0), // F7 bextr/shlx/sarx/shrx
        r(SHLX, Gy, Ey, By).flag(VEXONLY | VEXW | L0),
        r(SARX, Gy, Ey, By).flag(VEXONLY | VEXW | L0),
        r(SHRX, Gy, Ey, By).flag(VEXONLY | VEXW | L0)));

    // ---------------- 0F 3A (all with imm8)
    op3a(0x00, vex66(r("vpermq", VPERM, Vqq, Wqq, Ib))); // VEX 66 0F 3A 00
    op3a(0x01, vex66(r("vpermpd", VPERM, Vqq, Wqq, Ib))); // VEX 66 0F 3A 01
    op3a(0x02, vex66(r("vpblendd", VPBLENDD, Vx, Hx, Wx, Ib))); // VEX 66 0F 3A 02
    op3a(0x04, vex66(r("vpermilps", VPERMIL, Vx, Wx, Ib))); // VEX 66 0F 3A 04
    op3a(0x05, vex66(r("vpermilpd", VPERMIL, Vx, Wx, Ib))); // VEX 66 0F 3A 05
    op3a(0x06, vex66(r("vperm2f128", VPERM2, Vqq, Hx, Wqq, Ib))); // VEX 66 0F 3A 06
    op3a(0x08, p66(r(ROUNDPS, Vx, Wx, Ib))); // 66 0F 3A 08 roundps
    op3a(0x09, p66(r(ROUNDPD, Vx, Wx, Ib))); // 66 0F 3A 09 roundpd
    op3a(0x0A, p66(r(ROUNDSS, Vss, Wss, Ib).flag(NDS))); // 66 0F 3A 0A roundss
    op3a(0x0B, p66(r(ROUNDSD, Vsd, Wsd, Ib).flag(NDS))); // 66 0F 3A 0B roundsd
    op3a(0x0C, p66(r(BLENDPS, Vx, Wx, Ib).flag(NDS))); // 66 0F 3A 0C blendps
    op3a(0x0D, p66(r(BLENDPD, Vx, Wx, Ib).flag(NDS))); // 66 0F 3A 0D blendpd
    op3a(0x0E, p66(r(PBLENDW, Vx, Wx, Ib).flag(NDS))); // 66 0F 3A 0E pblendw
    op3a(0x0F, pfx(r(PALIGNR, Pq, Qq, Ib).flag(NOVEX), // 0F 3A 0F palignr
        r(PALIGNR, Vx, Wx, Ib).flag(NDS), null, null));
    op3a(0x14, p66(r(PEXTRB, f(K_E, S_B, S_D), Vdq, Ib))); // 66 0F 3A 14 pextrb
    op3a(0x15, p66(r(PEXTRW, f(K_E, S_W, S_D), Vdq, Ib))); // 66 0F 3A 15 pextrw
    op3a(0x16, p66(r("pextrd|pextrd|pextrq", PEXTRD, Ey, Vdq, Ib))); // 66 0F 3A 16
    op3a(0x17, p66(r(EXTRACTPS, Ed, Vdq, Ib))); // 66 0F 3A 17 extractps
    op3a(0x18, vex66(r("vinsertf128", VINSERT, Vqq, Hx, Wdq, Ib))); // VEX 66 0F 3A 18
    op3a(0x19, vex66(r("vextractf128", VEXTRACT, Wdq, Vqq, Ib))); // VEX 66 0F 3A 19
    op3a(0x1D, vex66(r("vcvtps2ph", VCVTPS2PH, Whx, Vx, Ib))); // VEX 66 0F 3A 1D
    op3a(0x20, p66(r(PINSRB, Vdq, f(K_E, S_B, S_D), Ib).flag(NDS))); // 66 0F 3A 20 pinsrb
    op3a(0x21, p66(r(INSERTPS, Vdq, Wd, Ib).flag(NDS))); // 66 0F 3A 21 insertps
    op3a(0x22, p66(r("pinsrd|pinsrd|pinsrq", PINSRD, Vdq, Ey, Ib).flag(NDS))); // 66 0F 3A 22
    op3a(0x38, vex66(r("vinserti128", VINSERT, Vqq, Hx, Wdq, Ib))); // VEX 66 0F 3A 38
    op3a(0x39, vex66(r("vextracti128", VEXTRACT, Wdq, Vqq, Ib))); // VEX 66 0F 3A 39
    op3a(0x40, p66(r(DPPS, Vx, Wx, Ib).flag(NDS))); // 66 0F 3A 40 dpps
    op3a(0x41, p66(r(DPPD, Vdq, Wdq, Ib).flag(NDS))); // 66 0F 3A 41 dppd
    op3a(0x42, p66(r(MPSADBW, Vx, Wx, Ib).flag(NDS))); // 66 0F 3A 42 mpsadbw
    op3a(0x44, p66(r(PCLMULQDQ, Vx, Wx, Ib).flag(NDS | IMM_NAME))); // 66 0F 3A 44 pclmulqdq
    op3a(0x46, vex66(r("vperm2i128", VPERM2, Vqq, Hx, Wqq, Ib))); // VEX 66 0F 3A 46
    op3a(0x4A, vex66(r("vblendvps", VBLENDV, Vx, Hx, Wx, Lx))); // VEX 66 0F 3A 4A
    op3a(0x4B, vex66(r("vblendvpd", VBLENDV, Vx, Hx, Wx, Lx))); // VEX 66 0F 3A 4B
    op3a(0x4C, vex66(r("vpblendvb", VBLENDV, Vx, Hx, Wx, Lx))); // VEX 66 0F 3A 4C
    op3a(0x60, p66(r(PCMPESTRM, Vdq, Wdq, Ib))); // 66 0F 3A 60 pcmpestrm
    op3a(0x61, p66(r(PCMPESTRI, Vdq, Wdq, Ib))); // 66 0F 3A 61 pcmpestri
    op3a(0x62, p66(r(PCMPISTRM, Vdq, Wdq, Ib))); // 66 0F 3A 62 pcmpistrm
    op3a(0x63, p66(r(PCMPISTRI, Vdq, Wdq, Ib))); // 66 0F 3A 63 pcmpistri
    op3a(0xCC, pfx(r(SHA1RNDS4, Vdq, Wdq, Ib).flag(NOVEX), null, null, null)); // 0F 3A CC
    op3a(0xDF, p66(r(AESKEYGENASSIST, Vdq, Wdq, Ib))); // 66 0F 3A DF aeskeygenassist
    op3a(0xF0, pfx(null, null, null, r(RORX, Gy, Ey, Ib).flag(VEXONLY | VEXW | L0))); // rorx
  }
}
