package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Insn.F_AF;
import static dev.blinkchroot.emulator.decode.Insn.F_CF;
import static dev.blinkchroot.emulator.decode.Insn.F_DF;
import static dev.blinkchroot.emulator.decode.Insn.F_OF;
import static dev.blinkchroot.emulator.decode.Insn.F_PF;
import static dev.blinkchroot.emulator.decode.Insn.F_SF;
import static dev.blinkchroot.emulator.decode.Insn.F_STATUS;
import static dev.blinkchroot.emulator.decode.Insn.F_ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlagUseTest {
  private static Insn decode(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Decoder.decode(b, 0x1000);
  }

  @Test
  void add_writesAllStatusFlags_andKillsThem() {
    Insn add = decode(0x48, 0x01, 0xd8); // add rax, rbx
    assertEquals(0, add.flagsRead);
    assertEquals(F_STATUS, add.flagsWritten);
    assertEquals(F_STATUS, add.flagsKilled());
  }

  @Test
  void adc_readsCarry_soDoesNotKillIt() {
    Insn adc = decode(0x48, 0x11, 0xd8); // adc rax, rbx
    assertEquals(F_CF, adc.flagsRead);
    assertEquals(F_STATUS & ~F_CF, adc.flagsKilled());
  }

  @Test
  void logic_leavesAfUndefined_soKillsTheRest() {
    Insn and = decode(0x21, 0xd8); // and eax, ebx
    assertEquals(F_AF, and.flagsUndefined);
    assertEquals(F_STATUS & ~F_AF, and.flagsKilled());
  }

  @Test
  void inc_keepsCarry() {
    Insn inc = decode(0xff, 0xc0); // inc eax
    assertEquals(0, inc.flagsWritten & F_CF);
    assertEquals(F_STATUS & ~F_CF, inc.flagsKilled());
  }

  @Test
  void jle_readsZfSfOf_andWritesNothing() {
    Insn jle = decode(0x7e, 0x00);
    assertEquals(F_ZF | F_SF | F_OF, jle.flagsRead);
    assertEquals(0, jle.flagsWritten);
  }

  @Test
  void shiftByImmediateZero_touchesNoFlags() {
    Insn shl = decode(0xc1, 0xe0, 0x00); // shl eax, 0
    assertEquals(0, shl.flagsRead | shl.flagsWritten);
    Insn shl32 = decode(0xc1, 0xe0, 0x20); // shl eax, 32: masked to 0
    assertEquals(0, shl32.flagsRead | shl32.flagsWritten);
  }

  @Test
  void shiftByOne_definesOverflow_longerShiftsLeaveItUndefined() {
    assertEquals(F_AF, decode(0xd1, 0xe0).flagsUndefined); // shl eax, 1
    assertEquals(F_AF | F_OF, decode(0xc1, 0xe0, 0x05).flagsUndefined); // shl eax, 5
  }

  @Test
  void shiftByCl_mayPassFlagsThrough_soReadsThem() {
    Insn shl = decode(0xd3, 0xe0); // shl eax, cl
    assertEquals(F_STATUS, shl.flagsRead);
    assertEquals(0, shl.flagsKilled());
  }

  @Test
  void rotate_changesOnlyCarryAndOverflow() {
    Insn rol = decode(0xc1, 0xc0, 0x01); // rol eax, 1
    assertEquals(F_CF | F_OF, rol.flagsWritten);
    assertEquals(0, rol.flagsRead);
    Insn rcl = decode(0xd0, 0xd0); // rcl al, 1
    assertEquals(F_CF, rcl.flagsRead);
    Insn rcl9 = decode(0xc0, 0xd0, 0x09); // rcl al, 9: 9 mod 9 = 0
    assertEquals(0, rcl9.flagsWritten);
  }

  @Test
  void repeatedCompare_mayLeaveFlags_stringMovesReadDirection() {
    assertEquals(F_DF | F_STATUS, decode(0xf3, 0xa6).flagsRead); // repe cmpsb
    assertEquals(F_DF, decode(0xa6).flagsRead); // cmpsb
    assertEquals(F_DF, decode(0xf3, 0x48, 0xa5).flagsRead); // rep movsq
  }

  @Test
  void movAndLea_touchNoFlags() {
    Insn mov = decode(0x48, 0x89, 0xd8);
    Insn lea = decode(0x48, 0x8d, 0x04, 0x18);
    assertEquals(0, mov.flagsRead | mov.flagsWritten | lea.flagsRead | lea.flagsWritten);
  }

  @Test
  void setcc_cmovcc_readTheirCondition() {
    assertEquals(F_CF | F_ZF, decode(0x0f, 0x96, 0xc0).flagsRead); // setbe al
    assertEquals(F_PF, decode(0x0f, 0x4a, 0xc3).flagsRead); // cmovp eax, ebx
    assertEquals(F_SF | F_OF, decode(0x0f, 0x9c, 0xc0).flagsRead); // setl al
  }
}
