package dev.blinkchroot.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.emulator.x87.X87State;
import org.junit.jupiter.api.Test;

/**
 * What the differential harness cannot reach: segment overrides (the host harness's FS is its
 * own TLS), VEX encodings, pending x87 exceptions and the x87 state of a faulting MMX
 * instruction.
 */
class SseIntegerExecTest {
  private static final long CODE = 0x400000;
  private static final long DATA = 0x600000;
  private final GuestMemory memory = GuestMemory.create();
  private final Cpu cpu = new Cpu(memory);

  private Interpreter load(int... bytes) {
    memory.map(CODE, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    memory.map(DATA, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    byte[] code = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      code[i] = (byte) bytes[i];
    }
    memory.writeBytes(CODE, code, 0, code.length);
    memory.protect(CODE, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_EXEC);
    cpu.rip = CODE;
    return Interpreter.create(cpu, new CodeCache(memory), c -> {});
  }

  @Test
  void maskmovdqu_withFsOverride_storesSelectedBytesRelativeToTheFsBase() {
    Interpreter it = load(0x64, 0x66, 0x0f, 0xf7, 0xca); // fs maskmovdqu xmm1, xmm2
    cpu.fsBase = DATA;
    cpu.gpr[Cpu.RDI] = 0x10;
    cpu.xmm[2] = 0x8877_6655_4433_2211L;
    cpu.xmm[3] = 0x1100_ffee_ddcc_bbaaL;
    cpu.xmm[4] = 0x0000_0000_0000_80ffL; // bytes 0 and 1 selected (top bits 1)
    cpu.xmm[5] = 0x8000_0000_0000_0000L; // byte 15 selected
    memory.write64(DATA + 0x10, -1L);
    memory.write64(DATA + 0x18, -1L);
    it.runUntil(CODE + 5);
    assertEquals(0xffff_ffff_ffff_2211L, memory.read64(DATA + 0x10));
    assertEquals(0x11ff_ffff_ffff_ffffL, memory.read64(DATA + 0x18));
  }

  @Test
  void vexEncodedIntegerOp_raisesInvalidOpcode() {
    Interpreter it = load(0xc5, 0xf1, 0xfc, 0xc2); // vpaddb xmm0, xmm1, xmm2
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 4));
    assertEquals(CpuTrap.Kind.INVALID_OPCODE, trap.kind());
    assertEquals(CODE, cpu.rip);
  }

  @Test
  void mmxInstruction_withAPendingUnmaskedX87Exception_raisesMf() {
    Interpreter it = load(0x0f, 0xfc, 0xc1); // paddb mm0, mm1
    cpu.x87.setControlWord(0x037e); // invalid operation unmasked
    cpu.x87.setStatusWord(X87State.IE);
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 3));
    assertEquals(CpuTrap.Kind.X87_FLOATING_POINT, trap.kind());
    assertEquals(CODE, cpu.rip);
  }

  @Test
  void faultingMmxLoad_leavesTheX87StackAsItWas() {
    Interpreter it = load(0x0f, 0x6f, 0x07); // movq mm0, qword ptr [rdi]
    cpu.x87.setTop(5);
    cpu.x87.setTagWord(0xffff);
    cpu.gpr[Cpu.RDI] = 0x800000; // unmapped
    assertThrows(MemoryFault.class, () -> it.runUntil(CODE + 3));
    assertEquals(5, cpu.x87.top());
    assertEquals(0, cpu.x87.abridgedTagWord());
  }

  @Test
  void misalignedMovdqa_raisesGeneralProtectionWithRipOnTheInstruction() {
    Interpreter it = load(0x66, 0x0f, 0x6f, 0x07); // movdqa xmm0, xmmword ptr [rdi]
    cpu.gpr[Cpu.RDI] = DATA + 8;
    CpuTrap trap = assertThrows(CpuTrap.class, () -> it.runUntil(CODE + 4));
    assertEquals(CpuTrap.Kind.GENERAL_PROTECTION, trap.kind());
    assertEquals(CODE, cpu.rip);
  }

  @Test
  void pageCrossingMovdqu_thatFaults_storesNothing() {
    // movdqu xmmword ptr [rdi], xmm0 with the upper page unmapped
    Interpreter it = load(0xf3, 0x0f, 0x7f, 0x07);
    cpu.gpr[Cpu.RDI] = DATA + GuestMemory.PAGE_SIZE - 8;
    cpu.xmm[0] = -1L;
    cpu.xmm[1] = -1L;
    assertThrows(MemoryFault.class, () -> it.runUntil(CODE + 4));
    assertEquals(0, memory.read64(DATA + GuestMemory.PAGE_SIZE - 8));

    // now the lower page is read-only and the upper one writable
    memory.map(DATA + GuestMemory.PAGE_SIZE, GuestMemory.PAGE_SIZE,
        GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    memory.protect(DATA, GuestMemory.PAGE_SIZE, GuestMemory.PROT_READ);
    cpu.rip = CODE;
    assertThrows(MemoryFault.class, () -> it.runUntil(CODE + 4));
    assertEquals(0, memory.read64(DATA + GuestMemory.PAGE_SIZE));
  }
}
