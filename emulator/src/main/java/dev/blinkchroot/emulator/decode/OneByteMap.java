package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Op.*;
import static dev.blinkchroot.emulator.decode.Row.*;

/**
 * The one-byte opcode map (SDM Vol. 2, Table A-2) in 64-bit mode, with its groups (Table A-6).
 * Prefix bytes (26 2E 36 3E 40-4F 64-67 F0 F2 F3) and the escapes (0F, C4/C5 VEX, 62 EVEX, 8F XOP,
 * D8-DF x87) are handled by the decoder and have no row here. A null row is undefined in 64-bit
 * mode (#UD).
 */
final class OneByteMap {
  private OneByteMap() {}

  static final Row[] T = new Row[256];

  static final String[] CC = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"
  };

  private static void op(int opcode, Row row) {
    if (T[opcode] != null) {
      throw new IllegalStateException("duplicate row " + Integer.toHexString(opcode));
    }
    T[opcode] = row;
  }

  /** The eight ALU operations in opcode order (00-3F rows, group 1). */
  static final Op[] ALU = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};

  /** Group 2 (C0 C1 D0-D3): shifts and rotates; /6 is SAL, which objdump calls shl. */
  static Row shiftGroup(int dst, int count) {
    return byReg(
        r(ROL, dst, count), r(ROR, dst, count), r(RCL, dst, count), r(RCR, dst, count),
        r(SHL, dst, count), r(SHR, dst, count), r("shl", SHL, dst, count), r(SAR, dst, count));
  }

  static {
    // 00-3F: ALU ops in six forms each; the 0x?6/0x?7/0x?E/0x?F holes are undefined in 64-bit mode
    for (int i = 0; i < 8; i++) {
      Op alu = ALU[i];
      int lock = alu == CMP ? 0 : LOCK;
      op(i * 8, r(alu, Eb, Gb).flag(lock)); // 00 add Eb,Gb ... 38 cmp Eb,Gb
      op(i * 8 + 1, r(alu, Ev, Gv).flag(lock)); // 01 add Ev,Gv
      op(i * 8 + 2, r(alu, Gb, Eb)); // 02 add Gb,Eb
      op(i * 8 + 3, r(alu, Gv, Ev)); // 03 add Gv,Ev
      op(i * 8 + 4, r(alu, AL, Ib)); // 04 add AL,Ib
      op(i * 8 + 5, r(alu, rAX, Iz)); // 05 add rAX,Iz
    }
    // 40-4F: REX prefixes (decoder)
    for (int i = 0; i < 8; i++) {
      op(0x50 + i, r(PUSH, Zv).d64()); // 50+r push r64
      op(0x58 + i, r(POP, Zv).d64()); // 58+r pop r64
    }
    // 60 61 62: pusha/popa/bound are undefined in 64-bit mode (62 is EVEX)
    op(0x63, r(MOVSXD, Gv, Ed)); // 63 movsxd Gv,Ed
    op(0x68, r("pushw|push|push", PUSH, Iz).d64()); // 68 push Iz
    op(0x69, r(IMUL, Gv, Ev, Iz)); // 69 imul Gv,Ev,Iz
    op(0x6A, r("pushw|push|push", PUSH, sIb).d64()); // 6A push Ib (sign-extended)
    op(0x6B, r(IMUL, Gv, Ev, sIb)); // 6B imul Gv,Ev,Ib
    op(0x6C, r("ins", INS).flag(STRING | PRIV)); // 6C insb
    op(0x6D, r("ins", INS).flag(STRING | PRIV)); // 6D insw/insd
    op(0x6E, r("outs", OUTS).flag(STRING | PRIV)); // 6E outsb
    op(0x6F, r("outs", OUTS).flag(STRING | PRIV)); // 6F outsw/outsd
    for (int cc = 0; cc < 16; cc++) {
      op(0x70 + cc, r("j" + CC[cc], JCC, Jb).cc(cc).f64().flag(BRANCH)); // 70+cc jcc Jb
    }
    int[] g1 = {Eb, Ev, 0, Ev};
    int[] g1i = {Ib, Iz, 0, sIb};
    for (int k : new int[] {0, 1, 3}) { // 80 Eb,Ib / 81 Ev,Iz / 83 Ev,Ib (82 undefined)
      Row[] g = new Row[8];
      for (int i = 0; i < 8; i++) {
        g[i] = r(ALU[i], g1[k], g1i[k]).flag(ALU[i] == CMP ? 0 : LOCK);
      }
      op(0x80 + k, byReg(g));
    }
    op(0x84, r(TEST, Eb, Gb)); // 84 test Eb,Gb
    op(0x85, r(TEST, Ev, Gv)); // 85 test Ev,Gv
    op(0x86, r(XCHG, Eb, Gb).lock()); // 86 xchg Eb,Gb
    op(0x87, r(XCHG, Ev, Gv).lock()); // 87 xchg Ev,Gv
    op(0x88, r(MOV, Eb, Gb)); // 88 mov Eb,Gb
    op(0x89, r(MOV, Ev, Gv)); // 89 mov Ev,Gv
    op(0x8A, r(MOV, Gb, Eb)); // 8A mov Gb,Eb
    op(0x8B, r(MOV, Gv, Ev)); // 8B mov Gv,Ev
    op(0x8C, r("mov", MOV_SREG, f(K_E, S_W, S_V), Sw)); // 8C mov Ev/Mw,Sw
    op(0x8D, r(LEA, Gv, M)); // 8D lea Gv,M
    op(0x8E, r("mov", MOV_SREG, Sw, f(K_E, S_W, S_V))); // 8E mov Sw,Ew
    op(0x8F, byReg(r(POP, Ev).d64(), null, null, null, null, null, null, null)); // 8F /0 pop Ev
    op(0x90, r(NOP)); // 90 nop (xchg with REX.B, pause with F3: decoder)
    for (int i = 1; i < 8; i++) {
      op(0x90 + i, r(XCHG, Zv, rAX)); // 90+r xchg r,rAX
    }
    op(0x98, r("cbw|cwde|cdqe", CBW)); // 98 cbw/cwde/cdqe (Op refined by size)
    op(0x99, r("cwd|cdq|cqo", CWD)); // 99 cwd/cdq/cqo
    // 9A call far: undefined in 64-bit mode
    op(0x9B, r(FWAIT)); // 9B fwait
    op(0x9C, r("pushfw|pushf|pushf", PUSHF).d64()); // 9C pushf
    op(0x9D, r("popfw|popf|popf", POPF).d64()); // 9D popf
    op(0x9E, r(SAHF)); // 9E sahf
    op(0x9F, r(LAHF)); // 9F lahf
    op(0xA0, r("movabs", MOV, AL, Ob)); // A0 mov AL,moffs8
    op(0xA1, r("movabs", MOV, rAX, Ov)); // A1 mov rAX,moffs
    op(0xA2, r("movabs", MOV, Ob, AL)); // A2 mov moffs8,AL
    op(0xA3, r("movabs", MOV, Ov, rAX)); // A3 mov moffs,rAX
    op(0xA4, r(MOVS).flag(STRING)); // A4 movsb
    op(0xA5, r(MOVS).flag(STRING)); // A5 movsw/d/q
    op(0xA6, r(CMPS).flag(STRING)); // A6 cmpsb
    op(0xA7, r(CMPS).flag(STRING)); // A7 cmpsw/d/q
    op(0xA8, r(TEST, AL, Ib)); // A8 test AL,Ib
    op(0xA9, r(TEST, rAX, Iz)); // A9 test rAX,Iz
    op(0xAA, r(STOS).flag(STRING)); // AA stosb
    op(0xAB, r(STOS).flag(STRING)); // AB stosw/d/q
    op(0xAC, r(LODS).flag(STRING)); // AC lodsb
    op(0xAD, r(LODS).flag(STRING)); // AD lodsw/d/q
    op(0xAE, r(SCAS).flag(STRING)); // AE scasb
    op(0xAF, r(SCAS).flag(STRING)); // AF scasw/d/q
    for (int i = 0; i < 8; i++) {
      op(0xB0 + i, r(MOV, Zb, Ib)); // B0+r mov r8,Ib
      op(0xB8 + i, r("mov|mov|movabs", MOV, Zv, Iv)); // B8+r mov r,Iv (imm64 with REX.W)
    }
    op(0xC0, shiftGroup(Eb, Ib)); // C0 group 2 Eb,Ib
    op(0xC1, shiftGroup(Ev, Ib)); // C1 group 2 Ev,Ib
    op(0xC2, r(RET, Iw).f64().flag(BRANCH)); // C2 ret Iw
    op(0xC3, r(RET).f64().flag(BRANCH)); // C3 ret
    // C4 C5: VEX (decoder)
    op(0xC6, byMod( // C6 group 11
        byReg(r(MOV, Eb, Ib), null, null, null, null, null, null, null),
        byReg(r(MOV, Eb, Ib), null, null, null, null, null, null,
            byRm(r(XABORT, Ib).flag(UNSUP), null, null, null, null, null, null, null))));
    op(0xC7, byMod( // C7 group 11
        byReg(r(MOV, Ev, Iz), null, null, null, null, null, null, null),
        byReg(r(MOV, Ev, Iz), null, null, null, null, null, null,
            byRm(r(XBEGIN, Jz).flag(UNSUP | BRANCH), null, null, null, null, null, null, null))));
    op(0xC8, r(ENTER, Iw, Ib).d64()); // C8 enter Iw,Ib
    op(0xC9, r("leavew|leave|leave", LEAVE).d64()); // C9 leave
    op(0xCA, r("retfw|retf|retfq", RET_FAR, Iw).flag(BRANCH)); // CA retf Iw
    op(0xCB, r("retfw|retf|retfq", RET_FAR).flag(BRANCH)); // CB retf
    op(0xCC, r(INT3).flag(BRANCH)); // CC int3
    op(0xCD, r(INT, Ib).flag(BRANCH)); // CD int Ib
    // CE into: undefined in 64-bit mode
    op(0xCF, r("iretw|iret|iretq", IRET).flag(BRANCH)); // CF iret
    op(0xD0, shiftGroup(Eb, ONE)); // D0 group 2 Eb,1
    op(0xD1, shiftGroup(Ev, ONE)); // D1 group 2 Ev,1
    op(0xD2, shiftGroup(Eb, CL)); // D2 group 2 Eb,CL
    op(0xD3, shiftGroup(Ev, CL)); // D3 group 2 Ev,CL
    // D4 aam, D5 aad, D6 salc: undefined in 64-bit mode
    op(0xD7, r(XLAT)); // D7 xlat
    // D8-DF: x87 escape (X87Map)
    op(0xE0, r(LOOPNE, Jb).f64().flag(BRANCH)); // E0 loopne Jb
    op(0xE1, r(LOOPE, Jb).f64().flag(BRANCH)); // E1 loope Jb
    op(0xE2, r(LOOP, Jb).f64().flag(BRANCH)); // E2 loop Jb
    op(0xE3, r(JRCXZ, Jb).f64().flag(BRANCH)); // E3 jrcxz Jb (jecxz with 67)
    op(0xE4, r(IN, AL, Ib).flag(PRIV)); // E4 in AL,Ib
    op(0xE5, r(IN, eAX, Ib).flag(PRIV)); // E5 in eAX,Ib
    op(0xE6, r(OUT, Ib, AL).flag(PRIV)); // E6 out Ib,AL
    op(0xE7, r(OUT, Ib, eAX).flag(PRIV)); // E7 out Ib,eAX
    op(0xE8, r(CALL, Jz).f64().flag(BRANCH)); // E8 call Jz
    op(0xE9, r(JMP, Jz).f64().flag(BRANCH)); // E9 jmp Jz
    // EA jmp far: undefined in 64-bit mode
    op(0xEB, r(JMP, Jb).f64().flag(BRANCH)); // EB jmp Jb
    op(0xEC, r(IN, AL, DX).flag(PRIV)); // EC in AL,DX
    op(0xED, r(IN, eAX, DX).flag(PRIV)); // ED in eAX,DX
    op(0xEE, r(OUT, DX, AL).flag(PRIV)); // EE out DX,AL
    op(0xEF, r(OUT, DX, eAX).flag(PRIV)); // EF out DX,eAX
    // F0 lock, F2 repne, F3 rep: prefixes
    op(0xF1, r(INT1).flag(BRANCH)); // F1 int1 (icebp)
    op(0xF4, r(HLT).flag(PRIV)); // F4 hlt
    op(0xF5, r(CMC)); // F5 cmc
    op(0xF6, byReg( // F6 group 3 Eb
        r(TEST, Eb, Ib), r(TEST, Eb, Ib), r(NOT, Eb).lock(), r(NEG, Eb).lock(),
        r(MUL, Eb), r(IMUL, Eb), r(DIV, Eb), r(IDIV, Eb)));
    op(0xF7, byReg( // F7 group 3 Ev
        r(TEST, Ev, Iz), r(TEST, Ev, Iz), r(NOT, Ev).lock(), r(NEG, Ev).lock(),
        r(MUL, Ev), r(IMUL, Ev), r(DIV, Ev), r(IDIV, Ev)));
    op(0xF8, r(CLC)); // F8 clc
    op(0xF9, r(STC)); // F9 stc
    op(0xFA, r(CLI).flag(PRIV)); // FA cli
    op(0xFB, r(STI).flag(PRIV)); // FB sti
    op(0xFC, r(CLD)); // FC cld
    op(0xFD, r(STD)); // FD std
    op(0xFE, byReg( // FE group 4
        r(INC, Eb).lock(), r(DEC, Eb).lock(), null, null, null, null, null, null));
    op(0xFF, byReg( // FF group 5
        r(INC, Ev).lock(), r(DEC, Ev).lock(),
        r(CALL, Eq).f64().flag(BRANCH), r("call", CALL_FAR, Mp).flag(BRANCH),
        r(JMP, Eq).f64().flag(BRANCH), r("jmp", JMP_FAR, Mp).flag(BRANCH),
        r(PUSH, Ev).d64(), null));
  }
}
