package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineStateTest {
  @Test
  void initial_hasResetValues() {
    MachineState s = MachineState.initial();
    assertEquals(MachineState.STACK_TOP, s.get(Reg.RSP));
    assertEquals(0x202, s.rflags());
    assertEquals(0x1f80, s.mxcsr());
    assertEquals(0x037f, s.fcw());
    assertEquals(0, s.ftw());
  }

  @Test
  void copy_isDeep() {
    MachineState a = RandomStates.seeded(1).next();
    MachineState b = a.copy();
    assertEquals(a, b);
    b.data()[100]++;
    b.setXmm(3, 1, 2);
    b.setSt(2, 0x3fff, 1L << 63);
    assertNotEquals(a, b);
    assertEquals(3, a.differences(b).size(), String.join("\n", a.differences(b)));
  }

  @Test
  void differences_nameEachField() {
    MachineState a = MachineState.initial();
    MachineState b = a.copy().set(Reg.R13, 5).setFlags(RFlags.CF).setMxcsr(0x1fa0)
        .setXmm(15, 1, 0).setFcw(0x27f).writeLong(MachineState.DATA_BASE + 16, -1);
    b.pushX87(0x3fff, 1L << 63);
    List<String> d = a.differences(b, Undefined.NONE, "host", "emu");
    String all = String.join("\n", d);
    for (String field : new String[] {"R13: host=0000000000000000 emu=0000000000000005",
        "RFLAGS: host=0x202 [-] emu=0x203 [CF] (differ in CF)", "MXCSR", "FCW", "FSW", "FTW",
        "ST0: host=0000:0000000000000000 emu=3fff:8000000000000000", "XMM15",
        "memory 0x10000010..0x10000017 (8 bytes)"}) {
      assertTrue(all.contains(field), "missing " + field + " in\n" + all);
    }
  }

  @Test
  void differences_leaveOutUndefinedFields() {
    MachineState a = MachineState.initial();
    MachineState b = a.copy().set(Reg.RDX, 9).setFlags(RFlags.AF | RFlags.OF).setXmm(2, 7, 7)
        .setFcw(0x7f).writeLong(MachineState.DATA_BASE, 1);
    Undefined u = Undefined.flags(RFlags.AF | RFlags.OF).andRegs(Reg.RDX).andXmm(2).andX87()
        .andMemory(MachineState.DATA_BASE, 8);
    assertEquals(List.of(), a.differences(b, u, "a", "b"));
    assertEquals(List.of("RFLAGS: a=0x202 [-] b=0xa12 [AF OF] (differ in OF)"),
        a.differences(a.copy().setFlags(RFlags.AF | RFlags.OF), Undefined.flags(RFlags.AF), "a",
            "b"));
  }

  @Test
  void pushX87_setsTopTagAndStackOrder() {
    MachineState s = MachineState.initial().pushX87(0x3fff, 1L << 63).pushX87(0x4000, 3L << 62);
    assertEquals(6, s.x87Top());
    assertEquals(0xc0, s.ftw()); // R6 and R7
    assertEquals(0x4000, s.stSignExp(0));
    assertEquals(0x3fff, s.stSignExp(1));
    assertEquals(1L << 63, s.mmx(7));
  }

  @Test
  void dataAccess_outsideTheRegion_isRejected() {
    MachineState s = MachineState.initial();
    s.writeLong(MachineState.DATA_BASE + MachineState.DATA_SIZE - 8, 0x0102030405060708L);
    assertEquals(0x05060708, s.readInt(MachineState.DATA_BASE + MachineState.DATA_SIZE - 8));
    assertEquals(0x01, s.readByte(MachineState.DATA_BASE + MachineState.DATA_SIZE - 1));
    assertThrows(IndexOutOfBoundsException.class,
        () -> s.readLong(MachineState.DATA_BASE + MachineState.DATA_SIZE - 4));
    assertThrows(IndexOutOfBoundsException.class, () -> s.readLong(MachineState.DATA_BASE - 1));
  }

  @Test
  void toString_showsRegistersFlagsAndData() {
    String t = MachineState.initial().set(Reg.RAX, 0xabc).setFlags(RFlags.ZF).toString();
    assertTrue(t.contains("RAX  0000000000000abc"), t);
    assertTrue(t.contains("RFLAGS 0x242 [ZF]"), t);
    assertTrue(t.contains("crc32="), t);
  }
}
