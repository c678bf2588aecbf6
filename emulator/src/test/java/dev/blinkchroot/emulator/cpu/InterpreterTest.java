package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import org.junit.jupiter.api.Test;

/** The run loop and the decoded-block cache: invalidation, faults, traps and their RIP. */
class InterpreterTest {
  private static final long CODE = 0x400000;
  private final GuestMemory memory = GuestMemory.create();
  private final Cpu cpu = new Cpu(memory);
  private final CodeCache cache = new CodeCache(memory);

  private Interpreter load(int prot, int... bytes) {
    memory.map(CODE, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    byte[] code = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      code[i] = (byte) bytes[i];
    }
    memory.writeBytes(CODE, code, 0, code.length);
    memory.protect(CODE, GuestMemory.PAGE_SIZE, prot);
    cpu.rip = CODE;
    return Interpreter.create(cpu, cache, c -> c.gpr[Cpu.RAX] = 42);
  }

  @Test
  void selfModifyingCode_inTheSameBlock_runsTheNewBytes() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_WRITE | GuestMemory.PROT_EXEC,
        0xc6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x7b, // mov byte ptr [rip+1], 0x7b
        0xb0, 0x00); // mov al, 0  (its immediate becomes 0x7b)
    it.runUntil(CODE + 9);
    assertEquals(0x7b, cpu.gpr[Cpu.RAX] & 0xff);
  }

  @Test
  void rewrittenCode_isDecodedAgainOnTheNextRun() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_WRITE | GuestMemory.PROT_EXEC,
        0xb0, 0x01); // mov al, 1
    it.runUntil(CODE + 2);
    assertEquals(1, cpu.gpr[Cpu.RAX] & 0xff);
    memory.write8(CODE + 1, 2);
    cpu.rip = CODE;
    it.runUntil(CODE + 2);
    assertEquals(2, cpu.gpr[Cpu.RAX] & 0xff);
  }

  @Test
  void codeWithoutExecutePermission_faultsOnFetch() {
    Interpreter it = load(GuestMemory.PROT_READ, 0x90);
    MemoryFault fault = assertThrows(MemoryFault.class, () -> it.runUntil(CODE + 1));
    assertEquals(MemoryFault.Access.EXEC, fault.access());
    assertEquals(CODE, fault.guestAddr());
  }

  @Test
  void invalidOpcode_raisesSigillWithTheBytesAndRipOnTheInstruction() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC,
        0x90, 0x0f, 0x0b); // nop; ud2
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 3));
    assertEquals(CpuTrap.Kind.INVALID_OPCODE, trap.kind());
    assertEquals(CODE + 1, cpu.rip);
    Interpreter again = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC, 0x06); // push es
    CpuTrap bad = assertThrows(CpuTrap.class, () -> again.runUntil(CODE + 1));
    assertTrue(bad.getMessage().contains("0x400000: 06"), bad.getMessage());
  }

  @Test
  void divideByZero_leavesRipOnTheDivide() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC,
        0x31, 0xc9, // xor ecx, ecx
        0xf7, 0xf1); // div ecx
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 4));
    assertEquals(CpuTrap.Kind.DIVIDE_ERROR, trap.kind());
    assertEquals(CODE + 2, cpu.rip);
  }

  @Test
  void int3_trapsWithRipAfterIt() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC, 0xcc);
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 1));
    assertEquals(CpuTrap.Kind.BREAKPOINT, trap.kind());
    assertEquals(CODE + 1, cpu.rip);
  }

  @Test
  void syscall_callsTheKernelWithReturnAddressInRcx() {
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC, 0x0f, 0x05);
    it.runUntil(CODE + 2);
    assertEquals(42, cpu.gpr[Cpu.RAX]);
    assertEquals(CODE + 2, cpu.gpr[Cpu.RCX]);
  }

  @Test
  void fsOverride_addsTheFsBase() {
    memory.map(0x10000, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    memory.write64(0x10008, 0x1122334455667788L);
    cpu.fsBase = 0x10000;
    Interpreter it = load(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC,
        0x64, 0x48, 0x8b, 0x04, 0x25, 0x08, 0x00, 0x00, 0x00); // mov rax, fs:[8]
    it.runUntil(CODE + 9);
    assertEquals(0x1122334455667788L, cpu.gpr[Cpu.RAX]);
  }

  @Test
  void cpuid_reportsTheVendorAndNoAvx() {
    int[] leaf0 = Cpuid.query(0, 0);
    String vendor = new String(new byte[] {
        (byte) leaf0[1], (byte) (leaf0[1] >> 8), (byte) (leaf0[1] >> 16), (byte) (leaf0[1] >> 24),
        (byte) leaf0[3], (byte) (leaf0[3] >> 8), (byte) (leaf0[3] >> 16), (byte) (leaf0[3] >> 24),
        (byte) leaf0[2], (byte) (leaf0[2] >> 8), (byte) (leaf0[2] >> 16), (byte) (leaf0[2] >> 24)});
    assertEquals(Cpuid.VENDOR, vendor);
    int[] leaf1 = Cpuid.query(1, 0);
    assertEquals(0, leaf1[2] & (1 << 28), "AVX must not be claimed");
    assertEquals(1 << 20, leaf1[2] & (1 << 20), "SSE4.2 is implemented");
    assertEquals(0, Cpuid.query(7, 0)[1] & (1 << 5), "AVX2 must not be claimed");
  }
}
