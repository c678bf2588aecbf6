package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Insn.*;

/**
 * Second half of decoding: resolves a row's sub-tables, fixes the operand size, reads ModRM, SIB,
 * displacement and immediates in encoding order, and fills the operands; then checks what makes an
 * otherwise complete instruction invalid (LOCK, VEX.L, segment register numbers).
 */
final class Operands {
  private Operands() {}

  static Insn finish(DecodeState s) {
    Row r = resolve(s, s.row);
    if (r == null) {
      return s.vexKind != VEX_NONE ? Vex.unknown(s) : s.invalid("undefined opcode");
    }
    boolean vex = s.vexKind != VEX_NONE;
    if (!vex && (r.flags & Row.VEXONLY) != 0) {
      return s.invalid("instruction requires a VEX prefix");
    }
    if (vex && ((r.flags & Row.NOVEX) != 0 || (r.flags & (Row.SSE | Row.VEXONLY)) == 0)) {
      return Vex.unknown(s);
    }
    if ((r.flags & Row.L0) != 0 && s.vexL != 0) {
      return s.invalid("VEX.L must be 0");
    }
    s.op = r.op;
    s.cond = r.cond;
    s.privileged = (r.flags & Row.PRIV) != 0;
    s.branch = (r.flags & Row.BRANCH) != 0;
    if ((r.flags & Row.UNSUP) != 0) {
      s.unsupported = true;
      s.unsupportedReason = "not implemented by the emulator";
    }
    // ---- effective operand size
    boolean w = s.vexKind != VEX_NONE ? s.vexW == 1 : (s.rex & 8) != 0;
    boolean size16 = s.opsize66 && s.mandatory != MP_66;
    if ((r.flags & Row.F64) != 0) {
      s.osize = 8;
    } else if ((r.flags & Row.D64) != 0) {
      s.osize = w || !size16 ? 8 : 2;
    } else if (w) {
      s.osize = 8;
    } else if (size16 && !vex) {
      s.osize = 2;
    } else {
      s.osize = 4;
    }
    // ---- rep prefixes that were not consumed as mandatory prefixes
    if (s.lastRep == 0xF3 && s.mandatory != MP_F3) {
      s.prefixBits |= P_REP;
    } else if (s.lastRep == 0xF2 && s.mandatory != MP_F2) {
      s.prefixBits |= P_REPNE;
    }
    // ---- operands
    int[] forms = r.forms;
    if (vex && (r.flags & Row.VEXONLY) == 0) {
      if ((r.flags & Row.NDS) != 0 && forms.length > 0) {
        forms = insert(forms, 1, Kind.hFor(forms[0]));
      } else if ((r.flags & Row.NDD) != 0) {
        forms = insert(forms, 0, Hx);
      }
    }
    for (int form : forms) {
      operand(s, form);
    }
    if ((r.flags & Row.STRING) != 0) {
      s.opSizeOverride = (s.opcode & 1) == 0 ? 1 : s.osize;
    }
    if (s.modrm >= 0 && s.mod() != 3 && !s.memParsed) {
      // a memory ModRM where the row only takes registers
      boolean ignoresMod = s.op == Op.MOV_CR || s.op == Op.MOV_DR;
      if (!ignoresMod && usesRm(forms)) {
        return s.invalid("register operand required");
      }
    }
    if (s.hasRel) {
      s.target = s.rip + s.pos + s.rel;
    }
    // ---- names and refinements
    s.mnemonic = name(s, r);
    refine(s);
    // ---- validity checks needing the complete instruction
    if (s.lock) {
      if ((r.flags & Row.LOCK) == 0) {
        return s.invalid("LOCK prefix on an instruction that cannot be locked");
      }
      if (s.nops == 0 || s.kind[0] != K_MEM) {
        return s.invalid("LOCK prefix with a register destination");
      }
    }
    if (s.op == Op.MOV_SREG) {
      int sreg = s.kind[0] == K_SEG ? s.reg[0] : s.reg[1];
      if (sreg > SEG_GS || s.kind[0] == K_SEG && sreg == SEG_CS) {
        return s.invalid("bad segment register");
      }
    }
    if (s.vexKind == VEX_NONE && s.seg == SEG_DS && s.branch && s.modrm >= 0
        && (s.op == Op.JMP || s.op == Op.CALL)) {
      s.prefixBits |= P_NOTRACK;
    }
    return new Insn(s);
  }

  private static boolean usesRm(int[] forms) {
    for (int f : forms) {
      switch (kind(f)) {
        case K_R, K_U, K_N, K_STI, K_KR -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  static int[] insert(int[] forms, int at, int form) {
    int[] out = new int[forms.length + 1];
    System.arraycopy(forms, 0, out, 0, at);
    out[at] = form;
    System.arraycopy(forms, at, out, at + 1, forms.length - at);
    return out;
  }

  /** Walks sub-tables (by ModRM.reg/rm/mod, mandatory prefix, repeat prefix, W) down to a row. */
  static Row resolve(DecodeState s, Row r) {
    boolean vex = s.vexKind != VEX_NONE;
    while (r != null && r.isTable()) {
      switch (r.subKind) {
        case Row.SUB_REG -> {
          s.modrm();
          r = r.sub[s.modReg()];
        }
        case Row.SUB_RM -> {
          s.modrm();
          r = r.sub[s.modRm()];
        }
        case Row.SUB_MOD -> {
          s.modrm();
          r = r.sub[s.mod() == 3 ? 1 : 0];
        }
        case Row.SUB_W -> r = r.sub[s.vexKind != VEX_NONE ? s.vexW : (s.rex >> 3 & 1)];
        case Row.SUB_REP -> {
          int i = vex ? (s.vexPP == 2 ? 1 : s.vexPP == 3 ? 2 : 0)
              : s.lastRep == 0xF3 ? 1 : s.lastRep == 0xF2 ? 2 : 0;
          Row c = r.sub[i];
          if (c == null && i != 0 && !vex) {
            c = r.sub[0];
          } else if (c != null && i != 0 && !vex) {
            s.mandatory = i == 1 ? MP_F3 : MP_F2;
          }
          r = c;
        }
        case Row.SUB_PFX -> {
          int i;
          if (vex) {
            i = s.vexPP;
          } else {
            i = s.lastRep == 0xF3 ? 2 : s.lastRep == 0xF2 ? 3 : s.opsize66 ? 1 : 0;
          }
          Row c = r.sub[i];
          if (c == null && !vex && i >= 2) { // F2/F3 without a meaning here: ignored
            i = s.opsize66 ? 1 : 0;
            c = r.sub[i];
          }
          if (c != null && !vex) {
            s.mandatory = i;
          }
          r = c;
        }
        default -> r = null;
      }
    }
    return r;
  }

  // ------------------------------------------------------------------ operands

  private static int vl(DecodeState s) {
    return switch (s.vexKind) {
      case VEX, XOP -> s.vexL == 1 ? 32 : 16;
      case EVEX -> 16 << Math.min(s.vexL, 2);
      default -> 16;
    };
  }

  /** Size in bytes of a size code (0 for unsized). */
  static int bytes(DecodeState s, int code) {
    return switch (code) {
      case S_B -> 1;
      case S_W -> 2;
      case S_D -> 4;
      case S_Q -> 8;
      case S_V -> s.osize;
      case S_Z -> s.osize == 2 ? 2 : 4;
      case S_Y -> s.osize == 8 ? 8 : 4;
      case S_X -> vl(s);
      case S_DQ -> 16;
      case S_QQ -> 32;
      case S_T -> 10;
      case S_P -> 2 + s.osize;
      case S_HX -> vl(s) / 2;
      case S_QX -> vl(s) / 4;
      case S_EX -> vl(s) / 8;
      case S_DV -> 2 * s.osize;
      case S_ENV -> 28;
      case S_FPST -> 108;
      case S_FX -> 512;
      case S_DS -> 10;
      case S_WQ -> s.osize == 2 ? 2 : 8;
      default -> 0;
    };
  }

  private static int add(DecodeState s, int kind, int reg, int size) {
    int i = s.nops++;
    s.kind[i] = kind;
    s.reg[i] = reg;
    s.size[i] = size;
    return i;
  }

  private static void gpr(DecodeState s, int reg, int size) {
    if (size == 1 && s.rex == 0 && s.vexKind == VEX_NONE && reg >= 4 && reg < 8) {
      add(s, K_GPR8H, reg - 4, 1);
    } else {
      add(s, K_GPR, reg, size);
    }
  }

  private static void vreg(DecodeState s, int reg, int memSize) {
    add(s, K_XMM, reg, Math.max(16, memSize));
  }

  private static int rmReg(DecodeState s) {
    return s.modRm() | s.vexB << 3;
  }

  private static int regReg(DecodeState s) {
    return s.modReg() | s.vexR << 3;
  }

  private static void mem(DecodeState s, int size) {
    parseMem(s);
    add(s, K_MEM, REG_NONE, size);
  }

  static void parseMem(DecodeState s) {
    if (s.memParsed) {
      return;
    }
    s.memParsed = true;
    int mod = s.mod();
    int rm = s.modRm();
    if (rm == 4) {
      int sib = s.fetch();
      s.sibPresent = true;
      int ix = (sib >> 3 & 7) | s.vexX << 3;
      s.scale = 1 << (sib >> 6);
      s.index = ix == 4 ? REG_NONE : ix;
      if ((sib & 7) == 5 && mod == 0) {
        s.base = REG_NONE;
        s.disp = (int) readLe(s, 4);
        s.dispBytes = 4;
      } else {
        s.base = (sib & 7) | s.vexB << 3;
      }
    } else if (rm == 5 && mod == 0) {
      s.base = REG_RIP;
      s.disp = (int) readLe(s, 4);
      s.dispBytes = 4;
    } else {
      s.base = rm | s.vexB << 3;
    }
    if (mod == 1) {
      s.disp = (byte) s.fetch();
      s.dispBytes = 1;
    } else if (mod == 2) {
      s.disp = (int) readLe(s, 4);
      s.dispBytes = 4;
    }
  }

  static long readLe(DecodeState s, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) s.fetch() << (8 * i);
    }
    return v;
  }

  private static void immediate(DecodeState s, long value, int size) {
    if (s.nImm++ == 0) {
      s.imm = value;
    } else {
      s.imm2 = value;
    }
    add(s, K_IMM, -1, size);
  }

  static void operand(DecodeState s, int form) {
    int k = kind(form);
    int code = size(form);
    switch (k) {
      case K_E -> {
        s.modrm();
        if (s.mod() == 3) {
          gpr(s, rmReg(s), bytes(s, Forms.regSize(form)));
        } else {
          mem(s, bytes(s, code));
        }
      }
      case K_M -> {
        s.modrm();
        if (s.mod() == 3) {
          throw new DecodeState.Bad("memory operand required");
        }
        mem(s, bytes(s, code));
      }
      case K_R -> {
        s.modrm();
        gpr(s, rmReg(s), bytes(s, code));
      }
      case K_G -> {
        s.modrm();
        gpr(s, regReg(s), bytes(s, code));
      }
      case K_I -> {
        int n = code == S_B ? 1 : code == S_W ? 2 : code == S_D ? 4
            : code == S_Z ? (s.osize == 2 ? 2 : 4) : s.osize;
        immediate(s, readLe(s, n), n);
      }
      case K_SI -> {
        int n = code == S_B ? 1 : s.osize == 2 ? 2 : 4;
        long v = readLe(s, n);
        v = n == 1 ? (byte) v : n == 2 ? (short) v : (int) v;
        immediate(s, v, s.osize);
      }
      case K_J -> {
        int n = code == S_B ? 1 : s.osize == 2 ? 2 : 4;
        long v = readLe(s, n);
        s.rel = n == 1 ? (byte) v : n == 2 ? (short) v : (int) v;
        s.hasRel = true;
        add(s, K_REL, -1, 8);
      }
      case K_O -> {
        long a = readLe(s, s.asize);
        s.memParsed = true;
        s.moffs = true;
        s.base = REG_NONE;
        s.index = REG_NONE;
        s.disp = a;
        s.dispBytes = s.asize;
        add(s, K_MEM, -1, bytes(s, code));
      }
      case K_Z -> gpr(s, (s.opcode & 7) | s.vexB << 3, bytes(s, code));
      case K_FIX -> add(s, K_GPR, fixedReg(form), bytes(s, code));
      case K_ONE -> immediate(s, 1, 1);
      case K_S -> {
        s.modrm();
        add(s, K_SEG, s.modReg(), 2);
      }
      case K_SFIX -> add(s, K_SEG, fixedReg(form), 2);
      case K_C -> {
        s.modrm();
        add(s, K_CR, regReg(s), 8);
      }
      case K_D -> {
        s.modrm();
        add(s, K_DR, regReg(s), 8);
      }
      case K_V -> {
        s.modrm();
        vreg(s, regReg(s) | s.rPrime << 4, bytes(s, code));
      }
      case K_U -> {
        s.modrm();
        vreg(s, rmReg(s) | (s.vexKind == EVEX ? s.vexX << 4 : 0), bytes(s, code));
      }
      case K_W -> {
        s.modrm();
        if (s.mod() == 3) {
          vreg(s, rmReg(s) | (s.vexKind == EVEX ? s.vexX << 4 : 0), bytes(s, code));
        } else {
          mem(s, bytes(s, code));
        }
      }
      case K_H -> vreg(s, s.vexV, bytes(s, code));
      case K_L -> {
        int is4 = s.fetch();
        if (s.nImm++ == 0) {
          s.imm = is4;
        }
        vreg(s, is4 >> 4 & 15, bytes(s, code));
      }
      case K_P -> {
        s.modrm();
        add(s, K_MMX, s.modReg(), 8);
      }
      case K_N -> {
        s.modrm();
        add(s, K_MMX, s.modRm(), 8);
      }
      case K_Q -> {
        s.modrm();
        if (s.mod() == 3) {
          add(s, K_MMX, s.modRm(), 8);
        } else {
          mem(s, bytes(s, code));
        }
      }
      case K_B -> gpr(s, s.vexV & 15, bytes(s, code));
      case K_ST0 -> {
        s.st0Mask |= 1 << s.nops;
        add(s, K_ST, 0, 10);
      }
      case K_STI -> {
        s.modrm();
        add(s, K_ST, s.modRm(), 10);
      }
      case K_KG -> {
        s.modrm();
        add(s, K_MASK, s.modReg(), 8);
      }
      case K_KR -> {
        s.modrm();
        add(s, K_MASK, s.modRm(), 8);
      }
      case K_KE -> {
        s.modrm();
        if (s.mod() == 3) {
          add(s, K_MASK, s.modRm(), 8);
        } else {
          mem(s, 8);
        }
      }
      case K_KH -> add(s, K_MASK, s.vexV & 7, 8);
      case K_XMM0 -> add(s, K_XMM, 0, 16);
      default -> throw new DecodeState.Bad("bad operand form " + form);
    }
  }

  // ------------------------------------------------------------------ names

  private static String name(DecodeState s, Row r) {
    int i = s.osize == 2 ? 0 : s.osize == 4 ? 1 : 2;
    String n = r.names[i];
    boolean vexOnly = (r.flags & Row.VEXONLY) != 0;
    if (s.vexKind == VEX || s.vexKind == EVEX) {
      if (!vexOnly) {
        n = "v" + n;
      }
      if (s.vexKind == EVEX) {
        n = VexMaps.evexName(s.map, s.vexPP, s.opcode, s.vexW, s.modrm >= 0 ? s.modReg() : 0, n);
      }
    }
    if ((r.flags & Row.IMM_NAME) != 0) {
      String alt = VexMaps.immName(n, (int) (s.imm & 0xff), s.vexKind != VEX_NONE);
      if (alt != null) {
        n = alt;
        s.nops--; // the imm8 is spelled by the mnemonic
        s.nImm--;
      }
    }
    if (s.moffs && s.asize == 4) {
      n = "mov"; // objdump: movabs only with a 64-bit moffs
    }
    if (s.op == Op.JRCXZ && s.asize == 4) {
      n = "jecxz";
    }
    return n;
  }

  private static void refine(DecodeState s) {
    switch (s.op) {
      case CBW -> s.op = s.osize == 2 ? Op.CBW : s.osize == 4 ? Op.CWDE : Op.CDQE;
      case CWD -> s.op = s.osize == 2 ? Op.CWD : s.osize == 4 ? Op.CDQ : Op.CQO;
      case CMPXCHG8B -> {
        if (s.osize == 8) {
          s.op = Op.CMPXCHG16B;
        }
      }
      default -> {}
    }
    if (s.opSizeOverride == 0 && s.nops == 0) {
      s.opSizeOverride = s.osize;
    }
  }

  /** Helpers about operand forms. */
  static final class Kind {
    private Kind() {}

    /** The VEX.vvvv form matching a destination form: same vector size class. */
    static int hFor(int dest) {
      int code = size(dest);
      return f(K_H, code == S_X || code == S_QQ ? code : S_DQ);
    }
  }
}
