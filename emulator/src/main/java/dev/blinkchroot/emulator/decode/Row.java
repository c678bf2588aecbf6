package dev.blinkchroot.emulator.decode;

import java.util.Locale;

/**
 * One row of an opcode table: the mnemonic (objdump's Intel-syntax spelling, possibly one per
 * operand size), the semantic {@link Op}, the operand forms ({@link Forms}) and flags; or a
 * sub-table selected by ModRM.reg, the mandatory prefix, ModRM.mod or ModRM.rm. Rows are built once
 * in the tables' static initialisers and never change afterwards.
 */
final class Row {
  // ---- flags
  static final int LOCK = 1; // LOCK allowed when the destination is memory
  static final int D64 = 1 << 1; // default operand size 64 in 64-bit mode (66 gives 16)
  static final int F64 = 1 << 2; // operand size forced to 64 (66 ignored)
  static final int SSE = 1 << 3; // in a mandatory-prefix table: a 66 used there is not an osize
  static final int NDS = 1 << 4; // VEX form takes VEX.vvvv as an extra source after operand 0
  static final int NOVEX = 1 << 5; // no VEX form
  static final int PRIV = 1 << 6; // privileged: #GP in user mode
  static final int UNSUP = 1 << 7; // decoded, not implemented by the emulator
  static final int BRANCH = 1 << 8; // transfers control
  static final int VEXONLY = 1 << 9; // exists only with a VEX prefix
  static final int STRING = 1 << 10; // string instruction, operands implicit
  static final int VEXW = 1 << 11; // operand size from VEX.W (32/64), BMI style
  static final int REGVAR = 1 << 12; // reg-only sub-row of a ModRM.mod split: nothing special
  static final int W_NAMES = 1 << 13; // names[] indexed by REX.W/VEX.W (0, 1), not operand size
  static final int L0 = 1 << 14; // VEX.L must be 0
  static final int IMM_NAME = 1 << 15; // the mnemonic depends on imm8 (CMPPS, PCLMULQDQ, VPCMP)
  static final int NDD = 1 << 16; // VEX form takes VEX.vvvv as the destination (shift-by-imm groups)

  // ---- sub-table kinds
  static final int SUB_NONE = 0, SUB_REG = 1, SUB_PFX = 2, SUB_MOD = 3, SUB_RM = 4, SUB_W = 5, SUB_REP = 6;

  final String[] names = new String[3]; // by operand size 16/32/64 (or by W when W_NAMES)
  final Op op;
  final int[] forms;
  int flags;
  int cond = -1;
  final Row[] sub;
  final int subKind;

  private Row(String name, Op op, int[] forms) {
    String[] parts = name.split("\\|");
    for (int i = 0; i < 3; i++) {
      names[i] = parts[Math.min(i, parts.length - 1)];
    }
    this.op = op;
    this.forms = forms;
    this.sub = null;
    this.subKind = SUB_NONE;
  }

  private Row(int subKind, Row[] sub) {
    this.op = Op.INVALID;
    this.forms = new int[0];
    this.sub = sub;
    this.subKind = subKind;
  }

  boolean isTable() {
    return sub != null;
  }

  Row flag(int f) {
    flags |= f;
    if (sub != null) {
      for (Row r : sub) {
        if (r != null) {
          r.flag(f);
        }
      }
    }
    return this;
  }

  Row lock() {
    return flag(LOCK);
  }

  Row d64() {
    return flag(D64);
  }

  Row f64() {
    return flag(F64);
  }

  Row cc(int cond) {
    this.cond = cond;
    return this;
  }

  // ---- builders
  static Row r(Op op, int... forms) {
    return new Row(op.name().toLowerCase(Locale.ROOT), op, forms);
  }

  static Row r(String name, Op op, int... forms) {
    return new Row(name, op, forms);
  }

  /** Sub-table by ModRM.reg: exactly eight entries (null: undefined). */
  static Row byReg(Row... eight) {
    if (eight.length != 8) {
      throw new IllegalArgumentException("group needs 8 rows");
    }
    return new Row(SUB_REG, eight);
  }

  /** Sub-table by ModRM.rm, for register forms (mod = 3). */
  static Row byRm(Row... eight) {
    if (eight.length != 8) {
      throw new IllegalArgumentException("group needs 8 rows");
    }
    return new Row(SUB_RM, eight);
  }

  /** Sub-table by mandatory prefix: none, 66, F3, F2 (null: undefined). */
  static Row pfx(Row none, Row p66, Row f3, Row f2) {
    Row t = new Row(SUB_PFX, new Row[] {none, p66, f3, f2});
    return t.flag(SSE);
  }

  /**
   * Sub-table by repeat prefix for non-SSE opcodes: none, F3, F2 (a 66 stays an operand-size
   * prefix). A null F2/F3 entry falls back to the plain row.
   */
  static Row byRep(Row none, Row f3, Row f2) {
    return new Row(SUB_REP, new Row[] {none, f3, f2});
  }

  /** Sub-table by ModRM.mod: memory form (mod != 3), register form (mod = 3). */
  static Row byMod(Row mem, Row reg) {
    return new Row(SUB_MOD, new Row[] {mem, reg});
  }

  /** Sub-table by REX.W / VEX.W. */
  static Row byW(Row w0, Row w1) {
    return new Row(SUB_W, new Row[] {w0, w1});
  }

  boolean needsModRm() {
    if (sub != null) {
      return subKind == SUB_REG || subKind == SUB_MOD || subKind == SUB_RM;
    }
    for (int form : forms) {
      switch (Forms.kind(form)) {
        case Forms.K_E, Forms.K_M, Forms.K_R, Forms.K_G, Forms.K_S, Forms.K_C, Forms.K_D,
            Forms.K_V, Forms.K_U, Forms.K_W, Forms.K_P, Forms.K_N, Forms.K_Q, Forms.K_STI,
            Forms.K_KG, Forms.K_KE, Forms.K_KR -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return sub != null ? "table" + subKind : names[1] + "/" + op;
  }
}
