package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpTableTest {
  @Test
  void everyOp_hasExactlyOneFamily() {
    List<String> wrong = new ArrayList<>();
    for (Op op : Op.values()) {
      if (OpTable.claims(op) != 1) {
        wrong.add(op + " claimed " + OpTable.claims(op) + " times");
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyOp_hasAnExecutor_andItIsItsFamilys() {
    for (Op op : Op.values()) {
      assertNotNull(OpTable.executor(op), op.name());
      assertSame(OpTable.family(op).executor, OpTable.executor(op), op.name());
      assertTrue(OpTable.ownership().get(OpTable.family(op)).contains(op), op.name());
    }
  }

  @Test
  void unimplementedOp_raisesInvalidOpcode() {
    // 0f 00 c0 is SLDT eax: decoded, not implemented.
    Insn insn = Decoder.decode(new byte[] {0x0f, 0x00, (byte) 0xc0}, 0x1000);
    assertEquals(Op.SLDT, insn.op);
    Cpu cpu = new Cpu(GuestMemory.create());
    CpuTrap trap = assertThrows(CpuTrap.class, () -> OpTable.executor(insn.op).execute(cpu, insn,
        null));
    assertEquals(CpuTrap.Kind.INVALID_OPCODE, trap.kind());
  }

  /**
   * Random byte strings, decoded and executed one instruction at a time from random register
   * states: whatever the instruction, its executor must implement it, so the only ways out are a
   * completed instruction, a CPU exception or a memory fault (never an internal error such as
   * "no executor implements").
   */
  @Test
  void randomInstructions_reachAnExecutorThatImplementsThem() {
    Random random = new Random(14);
    GuestMemory memory = GuestMemory.create();
    long data = 0x10000;
    memory.map(data, 0x10000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    EnumSet<Op> executed = EnumSet.noneOf(Op.class);
    byte[] bytes = new byte[15];
    for (int i = 0; i < 300_000; i++) {
      random.nextBytes(bytes);
      placeOpcodeMap(random, bytes);
      Insn insn = Decoder.decode(bytes, 0x400000);
      if (insn.raisesSigill()) {
        continue;
      }
      Cpu cpu = new Cpu(memory);
      for (int r = 0; r < 16; r++) {
        cpu.gpr[r] = random.nextBoolean() ? data + random.nextInt(0x8000) : random.nextLong();
      }
      cpu.gpr[Cpu.RCX] = random.nextInt(8); // keeps REP strings short
      cpu.rip = insn.nextAddress();
      try {
        OpTable.executor(insn.op).execute(cpu, insn, c -> { });
        executed.add(insn.op);
      } catch (CpuTrap | MemoryFault expected) {
        executed.add(insn.op);
      }
    }
    EnumSet<Op> implemented = EnumSet.allOf(Op.class);
    implemented.removeAll(OpTable.ownership().get(OpTable.Family.NOT_IMPLEMENTED));
    EnumSet<Op> missed = EnumSet.copyOf(implemented);
    missed.removeAll(executed);
    // The few not reached need exact encodings random bytes rarely give (say so if it grows).
    assertTrue(missed.size() < implemented.size() / 20, "not reached: " + missed);
    assertFalse(executed.contains(Op.INVALID));
  }

  /**
   * Puts a mandatory prefix and an opcode-map escape in front of the random bytes, so that the
   * 0F, 0F38 and 0F3A maps, where most operations live, are reached as often as the one-byte map.
   */
  private static void placeOpcodeMap(Random random, byte[] bytes) {
    switch (random.nextInt(8)) {
      case 0 -> { // x87 register forms: D8-DF with mod = 3
        bytes[0] = (byte) (0xd8 + random.nextInt(8));
        bytes[1] = (byte) (0xc0 | bytes[1] & 0x3f);
        return;
      }
      case 1 -> { // VEX 0F38/0F3A with L = 0: the BMI group
        bytes[0] = (byte) 0xc4;
        bytes[1] = (byte) (0xe0 | 2 + random.nextInt(2));
        bytes[2] = (byte) (bytes[2] & ~4);
        return;
      }
      default -> { }
    }
    int at = 0;
    int prefix = random.nextInt(5);
    if (prefix > 0) {
      bytes[at++] = (byte) new int[] {0x66, 0xf2, 0xf3, 0x48}[prefix - 1];
    }
    switch (random.nextInt(4)) {
      case 1 -> bytes[at] = 0x0f;
      case 2 -> {
        bytes[at] = 0x0f;
        bytes[at + 1] = 0x38;
      }
      case 3 -> {
        bytes[at] = 0x0f;
        bytes[at + 1] = 0x3a;
      }
      default -> { }
    }
  }
}
