package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Op.*;
import static dev.blinkchroot.emulator.decode.Row.*;

import java.util.HashMap;
import java.util.Map;

/**
 * What VEX, EVEX, XOP and 3DNow! encodings add to the legacy maps: VEX-only rows of map 0F
 * (VZEROUPPER/VZEROALL, the AVX-512 mask-register instructions), the EVEX spellings that differ
 * from the VEX ones (element-size suffixes chosen by EVEX.W), the EVEX-only rows, and the names of
 * XOP and 3DNow! opcodes. None of these is implemented by the emulator; they are decoded for their
 * length, fields and disassembly.
 */
final class VexMaps {
  private VexMaps() {}

  private static final int KG = f(K_KG, S_Q), KH = f(K_KH, S_Q), KR = f(K_KR, S_Q);
  private static final int KE = f(K_KE, S_Q);

  /** VEX map 0F rows that have no legacy counterpart; null: use the legacy table. */
  static Row vex0F(int opcode, int pp, int w, int l) {
    String sfx = kSuffix(pp, w);
    switch (opcode) {
      case 0x77: // VEX 0F 77: vzeroupper (L0) / vzeroall (L1)
        return pp != 0 ? null : l == 0 ? r(VZEROUPPER) : r(VZEROALL);
      case 0x41: case 0x42: case 0x45: case 0x46: case 0x47: case 0x4A: // k-register logic
        if (sfx == null || l == 0 && opcode != 0x4A) {
          return null;
        }
        String[] kn = {null, "kand", "kandn", null, null, "kor", "kxnor", "kxor", null, null, "kadd"};
        return r(kn[opcode - 0x40] + sfx, KMASK, KG, KH, KR);
      case 0x44: // VEX 0F 44 knot
        return sfx == null ? null : r("knot" + sfx, KMASK, KG, KR);
      case 0x4B: // VEX 0F 4B kunpckbw/wd/dq
        return pp == 1 && w == 0 ? r("kunpckbw", KMASK, KG, KH, KR)
            : pp == 0 ? r(w == 0 ? "kunpckwd" : "kunpckdq", KMASK, KG, KH, KR) : null;
      case 0x90: // VEX 0F 90 kmov k, k/m
        return sfx == null ? null : r("kmov" + sfx, KMASK, KG, KE);
      case 0x91: // VEX 0F 91 kmov m, k
        return sfx == null ? null : byMod(r("kmov" + sfx, KMASK, f(K_M, S_Q), KG), null);
      case 0x92: // VEX 0F 92 kmov k, r32/64
        return kmovGpr(pp, w) == null ? null
            : byMod(null, r("kmov" + kmovGpr(pp, w), KMASK, KG, w == 1 ? Rq : Rd));
      case 0x93: // VEX 0F 93 kmov r32/64, k
        return kmovGpr(pp, w) == null ? null
            : byMod(null, r("kmov" + kmovGpr(pp, w), KMASK, w == 1 && pp == 3 ? Gq : Gd, KR));
      case 0x98: // VEX 0F 98 kortest
        return sfx == null ? null : byMod(null, r("kortest" + sfx, KMASK, KG, KR));
      case 0x99: // VEX 0F 99 ktest
        return sfx == null ? null : byMod(null, r("ktest" + sfx, KMASK, KG, KR));
      default:
        return null;
    }
  }

  private static String kSuffix(int pp, int w) {
    return pp == 0 ? (w == 0 ? "w" : "q") : pp == 1 ? (w == 0 ? "b" : "d") : null;
  }

  private static String kmovGpr(int pp, int w) {
    return pp == 0 && w == 0 ? "w" : pp == 1 && w == 0 ? "b" : pp == 3 ? (w == 0 ? "d" : "q") : null;
  }

  // ---- EVEX: key = map << 12 | pp << 8 | opcode; value = {name if W0, name if W1}
  private static final Map<Integer, String[]> EVEX_NAMES = new HashMap<>();
  private static final Map<Integer, Row> EVEX_ROWS = new HashMap<>();

  private static void en(int map, int pp, int opcode, String w0, String w1) {
    EVEX_NAMES.put(map << 12 | pp << 8 | opcode, new String[] {w0, w1});
  }

  private static void er(int map, int pp, int opcode, String w0, String w1, Op op, int... forms) {
    en(map, pp, opcode, w0, w1);
    EVEX_ROWS.put(map << 12 | pp << 8 | opcode,
        r(w0, op, forms).flag(Row.VEXONLY | (op == VPCMP ? Row.IMM_NAME : 0)));
  }

  static {
    en(1, 1, 0x6F, "vmovdqa32", "vmovdqa64"); // EVEX 66 0F 6F
    en(1, 2, 0x6F, "vmovdqu32", "vmovdqu64"); // EVEX F3 0F 6F
    er(1, 3, 0x6F, "vmovdqu8", "vmovdqu16", AVX512_OTHER, Vx, Wx); // EVEX F2 0F 6F
    en(1, 1, 0x7F, "vmovdqa32", "vmovdqa64"); // EVEX 66 0F 7F
    en(1, 2, 0x7F, "vmovdqu32", "vmovdqu64"); // EVEX F3 0F 7F
    er(1, 3, 0x7F, "vmovdqu8", "vmovdqu16", AVX512_OTHER, Wx, Vx); // EVEX F2 0F 7F
    en(1, 1, 0xDB, "vpandd", "vpandq"); // EVEX 66 0F DB
    en(1, 1, 0xDF, "vpandnd", "vpandnq"); // EVEX 66 0F DF
    en(1, 1, 0xEB, "vpord", "vporq"); // EVEX 66 0F EB
    en(1, 1, 0xEF, "vpxord", "vpxorq"); // EVEX 66 0F EF
    en(1, 1, 0xE2, "vpsrad", "vpsraq"); // EVEX 66 0F E2
    en(2, 1, 0x16, "vpermps", "vpermpd"); // EVEX 66 0F38 16
    en(2, 1, 0x19, "vbroadcastf32x2", "vbroadcastsd"); // EVEX 66 0F38 19
    en(2, 1, 0x1A, "vbroadcastf32x4", "vbroadcastf64x2"); // EVEX 66 0F38 1A
    en(2, 1, 0x36, "vpermd", "vpermq"); // EVEX 66 0F38 36
    en(2, 1, 0x39, "vpminsd", "vpminsq"); // EVEX 66 0F38 39
    en(2, 1, 0x3B, "vpminud", "vpminuq"); // EVEX 66 0F38 3B
    en(2, 1, 0x3D, "vpmaxsd", "vpmaxsq"); // EVEX 66 0F38 3D
    en(2, 1, 0x3F, "vpmaxud", "vpmaxuq"); // EVEX 66 0F38 3F
    en(2, 1, 0x40, "vpmulld", "vpmullq"); // EVEX 66 0F38 40
    en(2, 1, 0x46, "vpsravd", "vpsravq"); // EVEX 66 0F38 46
    en(2, 1, 0x59, "vbroadcasti32x2", "vpbroadcastq"); // EVEX 66 0F38 59
    en(2, 1, 0x5A, "vbroadcasti32x4", "vbroadcasti64x2"); // EVEX 66 0F38 5A
    en(3, 1, 0x18, "vinsertf32x4", "vinsertf64x2"); // EVEX 66 0F3A 18
    en(3, 1, 0x19, "vextractf32x4", "vextractf64x2"); // EVEX 66 0F3A 19
    en(3, 1, 0x38, "vinserti32x4", "vinserti64x2"); // EVEX 66 0F3A 38
    en(3, 1, 0x39, "vextracti32x4", "vextracti64x2"); // EVEX 66 0F3A 39
    er(2, 1, 0x1B, "vbroadcastf32x8", "vbroadcastf64x4", VBROADCAST, Vx, Mx); // 66 0F38 1B
    er(2, 1, 0x1F, "vpabsq", "vpabsq", AVX512_OTHER, Vx, Wx); // EVEX 66 0F38 1F
    er(2, 1, 0x5B, "vbroadcasti32x8", "vbroadcasti64x4", VBROADCAST, Vx, Mx); // 66 0F38 5B
    er(2, 1, 0x64, "vpblendmd", "vpblendmq", VPBLENDM, Vx, Hx, Wx); // EVEX 66 0F38 64
    er(2, 1, 0x65, "vblendmps", "vblendmpd", VPBLENDM, Vx, Hx, Wx); // EVEX 66 0F38 65
    er(2, 1, 0x66, "vpblendmb", "vpblendmw", VPBLENDM, Vx, Hx, Wx); // EVEX 66 0F38 66
    er(2, 1, 0x75, "vpermi2b", "vpermi2w", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 75
    er(2, 1, 0x76, "vpermi2d", "vpermi2q", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 76
    er(2, 1, 0x77, "vpermi2ps", "vpermi2pd", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 77
    er(2, 1, 0x7A, "vpbroadcastb", "vpbroadcastb", VPBROADCAST, Vx, Rd); // EVEX 66 0F38 7A
    er(2, 1, 0x7B, "vpbroadcastw", "vpbroadcastw", VPBROADCAST, Vx, Rd); // EVEX 66 0F38 7B
    er(2, 1, 0x7C, "vpbroadcastd", "vpbroadcastq", VPBROADCAST, Vx, Ey); // EVEX 66 0F38 7C
    er(2, 1, 0x7D, "vpermt2b", "vpermt2w", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 7D
    er(2, 1, 0x7E, "vpermt2d", "vpermt2q", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 7E
    er(2, 1, 0x7F, "vpermt2ps", "vpermt2pd", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 7F
    er(2, 1, 0x8D, "vpermb", "vpermw", VPERM, Vx, Hx, Wx); // EVEX 66 0F38 8D
    er(2, 1, 0xB4, "vpmadd52luq", "vpmadd52luq", VPMADD52, Vx, Hx, Wx); // EVEX 66 0F38 B4
    er(2, 1, 0xB5, "vpmadd52huq", "vpmadd52huq", VPMADD52, Vx, Hx, Wx); // EVEX 66 0F38 B5
    er(3, 1, 0x03, "valignd", "valignq", VALIGN, Vx, Hx, Wx, Ib); // EVEX 66 0F3A 03
    er(3, 1, 0x1A, "vinsertf32x8", "vinsertf64x4", VINSERT, Vx, Hx, Wqq, Ib); // 66 0F3A 1A
    er(3, 1, 0x1B, "vextractf32x8", "vextractf64x4", VEXTRACT, Wqq, Vx, Ib); // 66 0F3A 1B
    er(3, 1, 0x1E, "vpcmpud", "vpcmpuq", VPCMP, KG, Hx, Wx, Ib); // EVEX 66 0F3A 1E
    er(3, 1, 0x1F, "vpcmpd", "vpcmpq", VPCMP, KG, Hx, Wx, Ib); // EVEX 66 0F3A 1F
    er(3, 1, 0x23, "vshuff32x4", "vshuff64x2", VSHUF128, Vx, Hx, Wx, Ib); // EVEX 66 0F3A 23
    er(3, 1, 0x25, "vpternlogd", "vpternlogq", VPTERNLOG, Vx, Hx, Wx, Ib); // EVEX 66 0F3A 25
    er(3, 1, 0x3A, "vinserti32x8", "vinserti64x4", VINSERT, Vx, Hx, Wqq, Ib); // 66 0F3A 3A
    er(3, 1, 0x3B, "vextracti32x8", "vextracti64x4", VEXTRACT, Wqq, Vx, Ib); // 66 0F3A 3B
    er(3, 1, 0x3E, "vpcmpub", "vpcmpuw", VPCMP, KG, Hx, Wx, Ib); // EVEX 66 0F3A 3E
    er(3, 1, 0x3F, "vpcmpb", "vpcmpw", VPCMP, KG, Hx, Wx, Ib); // EVEX 66 0F3A 3F
    er(3, 1, 0x43, "vshufi32x4", "vshufi64x2", VSHUF128, Vx, Hx, Wx, Ib); // EVEX 66 0F3A 43
  }

  /** The EVEX spelling of an instruction whose VEX spelling is {@code vexName}. */
  static String evexName(int map, int pp, int opcode, int w, int reg, String vexName) {
    if (map == 1 && pp == 1 && opcode == 0x72) { // EVEX 66 0F 72 group: rotates, vpsraq
      switch (reg) {
        case 0: return w == 0 ? "vprord" : "vprorq";
        case 1: return w == 0 ? "vprold" : "vprolq";
        case 4: return w == 0 ? "vpsrad" : "vpsraq";
        default: return vexName;
      }
    }
    String[] n = EVEX_NAMES.get(map << 12 | pp << 8 | opcode);
    return n == null ? vexName : n[w];
  }

  /** A row for an EVEX-only opcode, or null. */
  static Row evexRow(int map, int pp, int opcode) {
    return EVEX_ROWS.get(map << 12 | pp << 8 | opcode);
  }

  /** EVEX 0F 72 /0 and /1 (rotates) have no VEX counterpart. */
  static Row evexGroup72(int reg) {
    return reg == 0 || reg == 1 ? r("vprord", VPROT, Hx, Wx, Ib) : null;
  }

  // ---- XOP (AMD): map 8 has imm8, map 9 none, map 10 imm32
  private static final Map<Integer, String> XOP_NAMES = new HashMap<>();

  static {
    String[] m8 = {"85 vpmacssww", "86 vpmacsswd", "87 vpmacssdql", "8e vpmacssdd",
        "8f vpmacssdqh", "95 vpmacsww", "96 vpmacswd", "97 vpmacsdql", "9e vpmacsdd", "9f vpmacsdqh",
        "a2 vpcmov", "a3 vpperm", "a6 vpmadcsswd", "b6 vpmadcswd", "c0 vprotb", "c1 vprotw",
        "c2 vprotd", "c3 vprotq", "cc vpcomb", "cd vpcomw", "ce vpcomd", "cf vpcomq", "ec vpcomub",
        "ed vpcomuw", "ee vpcomud", "ef vpcomuq"};
    String[] m9 = {"80 vfrczps", "81 vfrczpd", "82 vfrczss", "83 vfrczsd", "90 vprotb", "91 vprotw",
        "92 vprotd", "93 vprotq", "94 vpshlb", "95 vpshlw", "96 vpshld", "97 vpshlq", "98 vpshab",
        "99 vpshaw", "9a vpshad", "9b vpshaq", "c1 vphaddbw", "c2 vphaddbd", "c3 vphaddbq",
        "c6 vphaddwd", "c7 vphaddwq", "cb vphadddq", "d1 vphaddubw", "d2 vphaddubd", "d3 vphaddubq",
        "d6 vphadduwd", "d7 vphadduwq", "db vphaddudq", "e1 vphsubbw", "e2 vphsubwd", "e3 vphsubdq"};
    for (String e : m8) {
      XOP_NAMES.put(8 << 8 | Integer.parseInt(e.substring(0, 2), 16), e.substring(3));
    }
    for (String e : m9) {
      XOP_NAMES.put(9 << 8 | Integer.parseInt(e.substring(0, 2), 16), e.substring(3));
    }
    XOP_NAMES.put(10 << 8 | 0x10, "bextr");
  }

  /** The XOP mnemonic of map 8/9/10 {@code opcode}, or null when undefined. */
  static String xopName(int map, int opcode) {
    return XOP_NAMES.get(map << 8 | opcode);
  }

  // ---- 3DNow! (0F 0F /r ib): the suffix byte selects the operation
  private static final String[] AMD3DNOW_NAMES = new String[256];

  static {
    String[] t = {"0c pi2fw", "0d pi2fd", "1c pf2iw", "1d pf2id", "8a pfnacc", "8e pfpnacc",
        "90 pfcmpge", "94 pfmin", "96 pfrcp", "97 pfrsqrt", "9a pfsub", "9e pfadd", "a0 pfcmpgt",
        "a4 pfmax", "a6 pfrcpit1", "a7 pfrsqit1", "aa pfsubr", "ae pfacc", "b0 pfcmpeq",
        "b4 pfmul", "b6 pfrcpit2", "b7 pmulhrw", "bb pswapd", "bf pavgusb"};
    for (String e : t) {
      AMD3DNOW_NAMES[Integer.parseInt(e.substring(0, 2), 16)] = e.substring(3);
    }
  }

  static String amd3dnowName(int suffix) {
    return AMD3DNOW_NAMES[suffix & 0xff];
  }

  // ---- imm8-dependent spellings
  private static final String[] SSE_CMP = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};
  private static final String[] AVX_CMP = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord",
      "eq_uq", "nge", "ngt", "false", "neq_oq", "ge", "gt", "true", "eq_os", "lt_oq", "le_oq",
      "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s", "eq_us", "nge_uq", "ngt_uq", "false_os",
      "neq_os", "ge_oq", "gt_oq", "true_us"};
  private static final String[] INT_CMP = {"eq", "lt", "le", "false", "neq", "nlt", "nle", "true"};

  /**
   * objdump's pseudo-op spelling of CMPPS/CMPSD..., PCLMULQDQ and VPCMP[U] for imm8, or null when
   * the imm8 has none (the generic name and the imm8 are shown).
   */
  static String immName(String name, int imm8, boolean vex) {
    if (name.startsWith("vpcmp") || name.startsWith("vpcom")) {
      String rest = name.substring(5); // "ud", "uq", "b"...
      return imm8 < 8 ? name.substring(0, 5) + INT_CMP[imm8] + rest : null;
    }
    int at = name.indexOf("cmp");
    if (at >= 0) {
      String suffix = name.substring(at + 3);
      String[] preds = vex ? AVX_CMP : SSE_CMP;
      return imm8 < preds.length ? name.substring(0, at + 3) + preds[imm8] + suffix : null;
    }
    if (name.endsWith("pclmulqdq")) {
      String pre = name.substring(0, name.length() - 9);
      return switch (imm8) {
        case 0x00 -> pre + "pclmullqlqdq";
        case 0x01 -> pre + "pclmulhqlqdq";
        case 0x10 -> pre + "pclmullqhqdq";
        case 0x11 -> pre + "pclmulhqhqdq";
        default -> null;
      };
    }
    return null;
  }
}
