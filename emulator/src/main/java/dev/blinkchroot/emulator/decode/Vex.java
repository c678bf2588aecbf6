package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Insn.*;

/**
 * The VEX (C4/C5), EVEX (62) and XOP (8F, AMD) prefixes (SDM Vol. 2, 2.3 and 2.7; AMD APM Vol. 3,
 * 1.8): their fields, the opcode-map lookup, and the generic length rule for opcodes the tables do
 * not know (ModRM always follows; an imm8 follows in map 0F3A, XOP map 8 and a few map-0F opcodes).
 */
final class Vex {
  private Vex() {}

  private static final String PREFIX_BEFORE_VEX =
      "VEX/EVEX/XOP prefix after a 66, F2, F3, F0 or REX prefix";

  private static boolean badPrefixes(DecodeState s) {
    return s.rex != 0 || s.opsize66 || s.lastRep != 0 || s.lock;
  }

  static Insn vex(DecodeState s, int escape) {
    s.vexKind = VEX;
    if (escape == 0xC5) {
      int b1 = s.fetch();
      s.vexR = (~b1 >> 7) & 1;
      s.vexX = 0;
      s.vexB = 0;
      s.vexW = 0;
      s.vexV = (~b1 >> 3) & 15;
      s.vexL = b1 >> 2 & 1;
      s.vexPP = b1 & 3;
      s.map = 1;
    } else {
      int b1 = s.fetch();
      int b2 = s.fetch();
      s.vexR = (~b1 >> 7) & 1;
      s.vexX = (~b1 >> 6) & 1;
      s.vexB = (~b1 >> 5) & 1;
      s.map = b1 & 0x1F;
      s.vexW = b2 >> 7 & 1;
      s.vexV = (~b2 >> 3) & 15;
      s.vexL = b2 >> 2 & 1;
      s.vexPP = b2 & 3;
    }
    boolean badPrefix = badPrefixes(s); // #UD, but decode on for the length
    s.rex = 0;
    if (s.map < 1 || s.map > 3) {
      return s.invalid("undefined VEX opcode map");
    }
    s.opcode = s.fetch();
    s.imm8Forced = s.map == 3;
    s.row = switch (s.map) {
      case 1 -> {
        Row special = VexMaps.vex0F(s.opcode, s.vexPP, s.vexW, s.vexL);
        yield special != null ? special.flag(Row.VEXONLY) : TwoByteMap.T[s.opcode];
      }
      case 2 -> ThreeByteMaps.T38[s.opcode];
      default -> ThreeByteMaps.T3A[s.opcode];
    };
    markUnsupported(s);
    Insn in = Operands.finish(s);
    return badPrefix && !in.invalid ? s.invalid(PREFIX_BEFORE_VEX) : in;
  }

  private static void markUnsupported(DecodeState s) {
    // BMI1/BMI2 (general-register VEX instructions) are implemented; the vector ones are not yet.
    boolean bmi = s.map == 2 && s.opcode >= 0xF2 && s.opcode <= 0xF7
        || s.map == 3 && s.opcode == 0xF0;
    if (!bmi || s.vexKind != VEX) {
      s.unsupported = true;
      s.unsupportedReason = s.vexKind == EVEX ? "AVX-512 (EVEX) is not implemented"
          : s.vexKind == XOP ? "XOP is not implemented" : "AVX is not implemented";
    }
  }

  static Insn evex(DecodeState s) {
    s.vexKind = EVEX;
    int p0 = s.fetch();
    int p1 = s.fetch();
    int p2 = s.fetch();
    s.vexR = (~p0 >> 7) & 1;
    s.vexX = (~p0 >> 6) & 1;
    s.vexB = (~p0 >> 5) & 1;
    s.rPrime = (~p0 >> 4) & 1;
    s.map = p0 & 7;
    s.vexW = p1 >> 7 & 1;
    s.vexV = ((~p1 >> 3) & 15) | ((~p2 >> 3) & 1) << 4;
    s.vexPP = p1 & 3;
    s.evexZ = p2 >> 7 & 1;
    s.vexL = p2 >> 5 & 3;
    s.evexB = p2 >> 4 & 1;
    s.evexAaa = p2 & 7;
    boolean badPrefix = badPrefixes(s); // #UD, but decode on for the length
    s.rex = 0;
    if ((p0 & 8) != 0 || (p1 & 4) == 0) {
      return s.invalid("reserved EVEX bits");
    }
    if (s.map < 1 || s.map > 3) {
      return s.invalid("undefined EVEX opcode map");
    }
    s.opcode = s.fetch();
    s.imm8Forced = s.map == 3;
    Row evexOnly = VexMaps.evexRow(s.map, s.vexPP, s.opcode);
    if (evexOnly != null) {
      s.row = evexOnly;
    } else if (s.map == 1 && s.opcode == 0x72 && s.vexPP == 1) {
      int reg = s.modrm() >> 3 & 7;
      Row rot = VexMaps.evexGroup72(reg);
      s.row = rot != null ? rot.flag(Row.VEXONLY) : TwoByteMap.T[0x72];
    } else {
      s.row = switch (s.map) {
        case 1 -> TwoByteMap.T[s.opcode];
        case 2 -> ThreeByteMaps.T38[s.opcode];
        default -> ThreeByteMaps.T3A[s.opcode];
      };
    }
    markUnsupported(s);
    Insn in = Operands.finish(s);
    return badPrefix && !in.invalid ? s.invalid(PREFIX_BEFORE_VEX) : in;
  }

  static Insn xop(DecodeState s, int p0) {
    s.vexKind = XOP;
    int p1 = s.fetch();
    s.vexR = (~p0 >> 7) & 1;
    s.vexX = (~p0 >> 6) & 1;
    s.vexB = (~p0 >> 5) & 1;
    s.map = p0 & 0x1F;
    s.vexW = p1 >> 7 & 1;
    s.vexV = (~p1 >> 3) & 15;
    s.vexL = p1 >> 2 & 1;
    s.vexPP = p1 & 3;
    boolean badPrefix = badPrefixes(s); // #UD, but decode on for the length
    s.rex = 0;
    if (s.map < 8 || s.map > 10) {
      return s.invalid("undefined XOP opcode map");
    }
    s.opcode = s.fetch();
    String name = VexMaps.xopName(s.map, s.opcode);
    genericOperands(s);
    if (name == null) {
      return s.invalid("undefined XOP opcode");
    }
    s.op = Op.XOP;
    s.mnemonic = name;
    s.osize = s.vexW == 1 ? 8 : 4;
    markUnsupported(s);
    return badPrefix ? s.invalid(PREFIX_BEFORE_VEX) : new Insn(s);
  }

  /**
   * A VEX/EVEX opcode the tables do not define: read its ModRM, SIB, displacement and immediate by
   * the generic rules so the length is right, and report it invalid.
   */
  static Insn unknown(DecodeState s) {
    s.nops = 0;
    s.nImm = 0;
    boolean noModrm = s.map == 1 && s.opcode == 0x77;
    if (!noModrm) {
      try {
        genericOperands(s);
      } catch (DecodeState.Bad e) {
        // keep what was read
      }
    }
    String what = s.vexKind == EVEX ? "EVEX" : "VEX";
    return s.invalid("undefined " + what + " opcode");
  }

  private static void genericOperands(DecodeState s) {
    s.modrm();
    s.nops = 0;
    Operands.operand(s, Vx);
    Operands.operand(s, Hx);
    Operands.operand(s, Wx);
    boolean imm8 = s.vexKind == XOP ? s.map == 8
        : s.map == 3 || s.map == 1 && (s.opcode >= 0x70 && s.opcode <= 0x73
            || s.opcode == 0xC2 || s.opcode >= 0xC4 && s.opcode <= 0xC6);
    if (imm8) {
      Operands.operand(s, Ib);
    } else if (s.vexKind == XOP && s.map == 10) {
      Operands.operand(s, f(K_I, S_D));
    }
  }
}
