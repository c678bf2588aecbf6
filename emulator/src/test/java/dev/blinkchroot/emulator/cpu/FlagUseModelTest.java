package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flag metadata of decoded instructions ({@link Insn#flagsRead} and friends) against what
 * the executors do, on random instructions from random states: each instruction runs twice
 * from states that differ only in flags it says it does not read. Then everything but the flags
 * must come out the same, the flags it says it kills must come out the same, and the flags it
 * says it does not write must come out as they went in. A JIT that drops flag work on the
 * strength of this metadata is then exactly as correct as the metadata.
 */
class FlagUseModelTest {
  private static final long DATA = 0x10000;
  private static final long DATA_SIZE = 0x10000;
  /** The RFLAGS bits the metadata describes: the status flags and DF. */
  private static final long DESCRIBED = Insn.F_STATUS | Insn.F_DF;

  private record Run(long[] gpr, long[] xmm, long rip, long rflags, byte[] data, String fault) {}

  @Test
  void randomInstructions_touchExactlyTheFlagsTheirMetadataNames() {
    Random random = new Random(2024);
    byte[] bytes = new byte[15];
    int checked = 0;
    for (int i = 0; i < 80_000; i++) {
      random.nextBytes(bytes);
      if (random.nextBoolean()) {
        bytes[0] = 0x0f;
      }
      Insn insn = Decoder.decode(bytes, 0x400000);
      if (insn.raisesSigill() || insn.privileged || (insn.flagsRead & ~DESCRIBED) != 0
          || insn.op == dev.blinkchroot.emulator.decode.Op.RDRAND
          || insn.op == dev.blinkchroot.emulator.decode.Op.RDSEED
          || insn.op == dev.blinkchroot.emulator.decode.Op.RDTSC
          || insn.op == dev.blinkchroot.emulator.decode.Op.RDTSCP) {
        continue; // PUSHF/SYSCALL read everything; random and time sources differ run to run
      }
      long[] gpr = new long[16];
      for (int r = 0; r < 16; r++) {
        gpr[r] = random.nextBoolean() ? DATA + random.nextInt(0x8000) : random.nextLong();
      }
      gpr[Cpu.RCX] = random.nextInt(4);
      long[] xmm = new long[32];
      for (int r = 0; r < 32; r++) {
        xmm[r] = random.nextLong();
      }
      long flagsA = random.nextLong() & DESCRIBED;
      long flagsB = flagsA ^ (random.nextLong() & DESCRIBED & ~insn.flagsRead);
      Run a = run(insn, gpr, xmm, flagsA);
      Run b = run(insn, gpr, xmm, flagsB);
      String what = insn.describe() + " from flags " + Long.toHexString(flagsA) + " / "
          + Long.toHexString(flagsB);
      assertEquals(a.fault, b.fault, what);
      if (a.fault != null) {
        continue;
      }
      assertArrayEquals(a.gpr, b.gpr, what);
      assertArrayEquals(a.xmm, b.xmm, what);
      assertEquals(a.rip, b.rip, what);
      assertArrayEquals(a.data, b.data, what);
      long killed = insn.flagsKilled();
      assertEquals(a.rflags & killed, b.rflags & killed, "killed flags of " + what);
      long untouched = DESCRIBED & ~(insn.flagsWritten | insn.flagsUndefined);
      assertEquals(flagsA & untouched, a.rflags & untouched, "untouched flags of " + what);
      assertEquals(flagsB & untouched, b.rflags & untouched, "untouched flags of " + what);
      checked++;
    }
    assertTrue(checked > 8_000, "only " + checked + " instructions completed");
  }

  private static Run run(Insn insn, long[] gpr, long[] xmm, long flags) {
    GuestMemory memory = GuestMemory.create();
    memory.map(DATA, DATA_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    byte[] pattern = new byte[(int) DATA_SIZE];
    new Random(7).nextBytes(pattern);
    memory.writeBytes(DATA, pattern, 0, pattern.length);
    Cpu cpu = new Cpu(memory);
    System.arraycopy(gpr, 0, cpu.gpr, 0, 16);
    System.arraycopy(xmm, 0, cpu.xmm, 0, 32);
    cpu.flags.setRflags(flags, DESCRIBED);
    cpu.rip = insn.nextAddress();
    String fault = null;
    try {
      OpTable.executor(insn.op).execute(cpu, insn, c -> { });
    } catch (CpuTrap trap) {
      fault = trap.kind().name();
    } catch (MemoryFault f) {
      fault = f.getMessage();
    }
    byte[] data = new byte[(int) DATA_SIZE];
    memory.readBytes(DATA, data, 0, data.length);
    return new Run(cpu.gpr.clone(), cpu.xmm.clone(), cpu.rip, cpu.rflags(), data, fault);
  }
}
