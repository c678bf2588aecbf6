package dev.blinkchroot.emulator.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.CpuTrap;
import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The architectural state compiled code leaves when it is stopped in the middle: a fault inside
 * a compiled region (inline code, and an executor called from it) leaves exactly the state the
 * interpreter leaves, RIP on the faulting instruction; an interrupt requested from another
 * thread stops a compiled loop at an instruction boundary with consistent registers. (The
 * SIGSEGV handler and the signal that would see this state come with the signals issue; these
 * tests check the state at the CPU level.)
 */
class JitPreciseStateTest {
  /** Arithmetic whose results are still in locals when the instruction after it faults. */
  private static final String WORK = String.join("\n",
      "mov ecx, 50",
      "1: add rax, rcx",
      "imul rbx, rax, 7",
      "dec ecx",
      "jnz 1b",
      "add rsi, 5",
      "cmp rsi, rbx",
      "mov r8, rax");
  /** RDX points nowhere: a load compiled inline, and an x87 load its executor runs. */
  private static final String INLINE_LOAD = "mov r9, qword ptr [rdx]";
  private static final String EXECUTOR_LOAD = "fld tbyte ptr [rdx]";

  @ParameterizedTest
  @ValueSource(strings = {"inline", "executor"})
  void faultInACompiledRegion_leavesTheInterpretersState(String where) {
    String load = where.equals("inline") ? INLINE_LOAD : EXECUTOR_LOAD;
    String asm = WORK + "\n" + load + "\nmov r10, 1";
    GuestMachine interpreted = new GuestMachine(asm, JitOptions.OFF);
    GuestMachine compiled = new GuestMachine(asm, JitOptions.FORCE);
    for (GuestMachine m : new GuestMachine[] {interpreted, compiled}) {
      m.cpu.gpr[Cpu.RDX] = 0x1234_5000L; // unmapped
    }
    MemoryFault expected = assertThrows(MemoryFault.class, interpreted::run);
    MemoryFault actual = assertThrows(MemoryFault.class, compiled::run);
    assertTrue(compiled.stats().regions() > 0);
    assertEquals(expected.guestAddr(), actual.guestAddr());
    assertEquals(interpreted.cpu.rip, compiled.cpu.rip);
    assertEquals(GuestMachine.CODE + Assembler.assemble(WORK).length, compiled.cpu.rip,
        "RIP on the faulting load");
    assertArrayEquals(interpreted.cpu.gpr, compiled.cpu.gpr);
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
    assertEquals(interpreted.runner.retired(), compiled.runner.retired());
  }

  @Test
  void divideErrorInACompiledRegion_leavesTheInterpretersState() {
    String asm = String.join("\n", "mov ecx, 20", "1: add rax, rcx", "dec ecx", "jnz 1b",
        "xor edx, edx", "inc r11", "div rcx", "mov r10, 1");
    GuestMachine interpreted = new GuestMachine(asm, JitOptions.OFF);
    GuestMachine compiled = new GuestMachine(asm, JitOptions.FORCE);
    CpuTrap expected = assertThrows(CpuTrap.class, interpreted::run);
    CpuTrap actual = assertThrows(CpuTrap.class, compiled::run);
    assertEquals(CpuTrap.Kind.DIVIDE_ERROR, expected.kind());
    assertEquals(expected.kind(), actual.kind());
    assertEquals(interpreted.cpu.rip, compiled.cpu.rip);
    assertArrayEquals(interpreted.cpu.gpr, compiled.cpu.gpr);
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
  }

  /**
   * A compiled endless loop runs on its own thread; another thread requests an interrupt. The
   * loop must return at its head (a back-edge check), with RAX and RBX consistent: the loop
   * keeps RBX = 3 * RAX at the head.
   */
  @Test
  void interruptFromAnotherThread_stopsACompiledLoopAtAnInstructionBoundary() throws Exception {
    String asm = String.join("\n", "1: add rax, 1", "lea rbx, [rbx + 3]", "jmp 1b");
    GuestMachine m = new GuestMachine(asm, JitOptions.FORCE);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread guest = new Thread(() -> {
      try {
        m.run(); // returns only when interrupted
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    guest.start();
    Thread.sleep(300);
    m.cpu.requestInterrupt();
    guest.join(10_000);
    assertTrue(!guest.isAlive(), "the compiled loop did not stop");
    assertEquals(null, failure.get());
    assertEquals(GuestMachine.CODE, m.cpu.rip, "stopped at the loop head");
    long rax = m.cpu.gpr[Cpu.RAX];
    assertTrue(rax > 1000, "the loop ran compiled for a while: " + rax);
    assertEquals(3 * rax, m.cpu.gpr[Cpu.RBX]);
    // and it goes on from there, until its instruction budget stops it at the head again
    m.cpu.clearInterrupt();
    m.run(1000);
    assertTrue(m.cpu.gpr[Cpu.RAX] > rax);
    assertEquals(GuestMachine.CODE, m.cpu.rip);
    assertEquals(3 * m.cpu.gpr[Cpu.RAX], m.cpu.gpr[Cpu.RBX]);
  }

  /**
   * POPF sets TF inside a compiled region: the instruction after POPF runs, then a single-step
   * trap with RIP past it; every later instruction traps too, until TF is cleared (as a SIGTRAP
   * handler clears it in the ucontext).
   */
  @ParameterizedTest
  @ValueSource(strings = {"off", "force"})
  void trapFlag_setByPopf_trapsAfterEachLaterInstruction(String mode) {
    String before = String.join("\n", "mov ecx, 20", "1: add rax, rcx", "dec ecx", "jnz 1b",
        "pushf", "or qword ptr [rsp], 0x100", "popf", "inc rbx");
    String asm = before + "\ninc rdx\nmov r10, 1";
    GuestMachine m = new GuestMachine(asm, JitOptions.parse(mode, JitOptions.OFF));
    m.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    long afterIncRbx = GuestMachine.CODE + Assembler.assemble(before).length;

    CpuTrap first = assertThrows(CpuTrap.class, m::run);
    assertEquals(CpuTrap.Kind.SINGLE_STEP, first.kind());
    assertEquals(afterIncRbx, m.cpu.rip, "the trap comes after the instruction after POPF");
    assertEquals(1, m.cpu.gpr[Cpu.RBX]);
    assertEquals(0, m.cpu.gpr[Cpu.RDX]);
    assertEquals(210, m.cpu.gpr[Cpu.RAX]);

    CpuTrap second = assertThrows(CpuTrap.class, m::run);
    assertEquals(CpuTrap.Kind.SINGLE_STEP, second.kind());
    assertEquals(afterIncRbx + 3, m.cpu.rip); // inc rdx: 48 ff c2
    assertEquals(1, m.cpu.gpr[Cpu.RDX]);

    m.cpu.flags.setRflags(0, Flags.TF);
    m.run();
    assertEquals(1, m.cpu.gpr[Cpu.R10]);
  }
}
