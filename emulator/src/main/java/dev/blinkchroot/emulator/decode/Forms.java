package dev.blinkchroot.emulator.decode;

/**
 * Operand-form descriptors of the opcode tables, after the SDM Vol. 2 Appendix A notation
 * (A.2.1/A.2.2): an addressing method (E, G, I, J, M, O, V, W, ...) and an operand type (b, w, d, q,
 * v, z, y, x, ...). A form is one int: kind in bits 0-7, size code in bits 8-15, the size code of
 * the register alternative in bits 16-23 (0: same as the memory size; used by forms such as
 * {@code Rd/Mb}), and for fixed registers the register number in bits 24-29.
 */
final class Forms {
  private Forms() {}

  // ---- addressing methods
  static final int K_E = 1; // ModRM.rm: GPR or memory
  static final int K_M = 2; // ModRM.rm: memory only
  static final int K_R = 3; // ModRM.rm: GPR only (mod ignored for MOV CR/DR, else mod must be 3)
  static final int K_G = 4; // ModRM.reg: GPR
  static final int K_I = 5; // immediate, zero-extended
  static final int K_SI = 6; // immediate, sign-extended to the operand size (and to 64 bits)
  static final int K_J = 7; // relative branch offset (sign-extended), resolved to a target
  static final int K_O = 8; // moffs: absolute address of address size, no ModRM
  static final int K_Z = 9; // GPR in the low 3 opcode bits (+REX.B)
  static final int K_FIX = 10; // a fixed GPR (number in bits 24-29)
  static final int K_ONE = 11; // the constant 1 (shift by one)
  static final int K_S = 12; // ModRM.reg: segment register
  static final int K_C = 13; // ModRM.reg: control register
  static final int K_D = 14; // ModRM.reg: debug register
  static final int K_V = 15; // ModRM.reg: vector register
  static final int K_U = 16; // ModRM.rm: vector register only
  static final int K_W = 17; // ModRM.rm: vector register or memory
  static final int K_H = 18; // VEX.vvvv: vector register
  static final int K_L = 19; // imm8[7:4]: vector register (VEX is4)
  static final int K_P = 20; // ModRM.reg: MMX register
  static final int K_N = 21; // ModRM.rm: MMX register only
  static final int K_Q = 22; // ModRM.rm: MMX register or memory
  static final int K_B = 23; // VEX.vvvv: GPR
  static final int K_ST0 = 24; // st(0)
  static final int K_STI = 25; // st(ModRM.rm)
  static final int K_KG = 26; // ModRM.reg: mask register
  static final int K_KE = 27; // ModRM.rm: mask register or memory
  static final int K_KH = 28; // VEX.vvvv: mask register
  static final int K_XMM0 = 29; // implicit xmm0 (BLENDVPS, SHA256RNDS2)
  static final int K_KR = 30; // ModRM.rm: mask register only
  static final int K_SFIX = 31; // a fixed segment register (number in bits 24-29)

  // ---- size codes
  static final int S_0 = 0; // unsized memory (LEA, FXSAVE, PREFETCH...)
  static final int S_B = 1;
  static final int S_W = 2;
  static final int S_D = 3;
  static final int S_Q = 4;
  static final int S_V = 5; // 2/4/8 by operand size
  static final int S_Z = 6; // 2 for 16-bit operand size, else 4
  static final int S_Y = 7; // 8 for 64-bit operand size, else 4
  static final int S_X = 8; // vector length: 16/32/64
  static final int S_DQ = 9; // 16
  static final int S_QQ = 10; // 32
  static final int S_T = 11; // 10 (80-bit)
  static final int S_P = 12; // far pointer: 2 + operand size
  static final int S_HX = 13; // half vector length: 8/16/32
  static final int S_QX = 14; // quarter vector length: 4/8/16
  static final int S_EX = 15; // eighth vector length: 2/4/8
  static final int S_DV = 16; // twice the operand size: CMPXCHG8B/16B
  static final int S_ENV = 17; // 28-byte FPU environment
  static final int S_FPST = 18; // 108-byte FPU state
  static final int S_FX = 19; // 512-byte FXSAVE area
  static final int S_DS = 20; // 10-byte pseudo-descriptor (SGDT)
  static final int S_WQ = 21; // 2 for 16-bit operand size, else 8 (PUSH/POP segment)

  static int f(int kind, int size) {
    return kind | size << 8;
  }

  static int f(int kind, int memSize, int regSize) {
    return kind | memSize << 8 | regSize << 16;
  }

  static int fix(int reg, int size) {
    return K_FIX | size << 8 | reg << 24;
  }

  static int kind(int form) {
    return form & 0xff;
  }

  static int size(int form) {
    return form >>> 8 & 0xff;
  }

  static int regSize(int form) {
    int s = form >>> 16 & 0xff;
    return s == 0 ? size(form) : s;
  }

  static int fixedReg(int form) {
    return form >>> 24 & 0x3f;
  }

  // ---- the forms the tables use (names as in SDM Appendix A)
  static final int Eb = f(K_E, S_B), Ew = f(K_E, S_W), Ed = f(K_E, S_D), Eq = f(K_E, S_Q);
  static final int Ev = f(K_E, S_V), Ey = f(K_E, S_Y), Ez = f(K_E, S_Z);
  static final int Gb = f(K_G, S_B), Gw = f(K_G, S_W), Gd = f(K_G, S_D), Gq = f(K_G, S_Q);
  static final int Gv = f(K_G, S_V), Gy = f(K_G, S_Y), Gz = f(K_G, S_Z);
  static final int M = f(K_M, S_0), Mb = f(K_M, S_B), Mw = f(K_M, S_W), Md = f(K_M, S_D);
  static final int Mq = f(K_M, S_Q), Mv = f(K_M, S_V), My = f(K_M, S_Y), Mdq = f(K_M, S_DQ);
  static final int Mx = f(K_M, S_X), Mt = f(K_M, S_T), Mp = f(K_M, S_P);
  static final int Rv = f(K_R, S_V), Ry = f(K_R, S_Y), Rd = f(K_R, S_D), Rq = f(K_R, S_Q);
  static final int Ib = f(K_I, S_B), Iw = f(K_I, S_W), Iz = f(K_SI, S_Z), Iv = f(K_I, S_V);
  static final int sIb = f(K_SI, S_B);
  static final int Jb = f(K_J, S_B), Jz = f(K_J, S_Z);
  static final int Ob = f(K_O, S_B), Ov = f(K_O, S_V);
  static final int Zb = f(K_Z, S_B), Zv = f(K_Z, S_V), Zq = f(K_Z, S_Q);
  static final int AL = fix(0, S_B), CL = fix(1, S_B), DX = fix(2, S_W), AX = fix(0, S_W);
  static final int eAX = fix(0, S_Z), rAX = fix(0, S_V);
  static final int ONE = f(K_ONE, S_B);
  static final int FS = K_SFIX | S_W << 8 | 4 << 24, GS = K_SFIX | S_W << 8 | 5 << 24;
  static final int Sw = f(K_S, S_W), Cd = f(K_C, S_Q), Dd = f(K_D, S_Q);
  static final int Vx = f(K_V, S_X), Vdq = f(K_V, S_DQ), Vqq = f(K_V, S_QQ);
  static final int Vss = f(K_V, S_D), Vsd = f(K_V, S_Q), Vq = f(K_V, S_Q), Vd = f(K_V, S_D);
  static final int Vy = f(K_V, S_Y);
  static final int Wx = f(K_W, S_X), Wdq = f(K_W, S_DQ), Wqq = f(K_W, S_QQ);
  static final int Wss = f(K_W, S_D), Wsd = f(K_W, S_Q), Wq = f(K_W, S_Q), Wd = f(K_W, S_D);
  static final int Ww = f(K_W, S_W), Wb = f(K_W, S_B);
  static final int Whx = f(K_W, S_HX), Wqx = f(K_W, S_QX), Wex = f(K_W, S_EX);
  static final int Ux = f(K_U, S_X), Udq = f(K_U, S_DQ), Uq = f(K_U, S_Q);
  static final int Hx = f(K_H, S_X), Hdq = f(K_H, S_DQ), Hss = f(K_H, S_D), Hsd = f(K_H, S_Q);
  static final int Lx = f(K_L, S_X);
  static final int Pq = f(K_P, S_Q), Pd = f(K_P, S_D), Nq = f(K_N, S_Q);
  static final int Qq = f(K_Q, S_Q), Qd = f(K_Q, S_D);
  static final int By = f(K_B, S_Y);
  static final int ST0 = f(K_ST0, S_T), STi = f(K_STI, S_T);
  static final int XMM0 = f(K_XMM0, S_DQ);
}
