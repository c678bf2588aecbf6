package dev.blinkchroot.emulator.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.difftest.Assembler;
import org.junit.jupiter.api.Test;

/** Loops compiled into one method, against the interpreter running the same code. */
class JitLoopTest {
  private static final String SUM_LOOP = String.join("\n",
      "mov ecx, 100000", "xor eax, eax", "mov rdi, 0x600000",
      "1: add rax, rcx", "mov [rdi + 8], rax", "imul rbx, rax, 3", "xor rdx, rbx",
      "dec rcx", "jnz 1b");

  @Test
  void hotLoop_isCompiledOnce_andLeavesTheInterpretersState() {
    GuestMachine interpreted = new GuestMachine(SUM_LOOP, JitOptions.OFF);
    interpreted.run();
    GuestMachine compiled = new GuestMachine(SUM_LOOP, JitOptions.FORCE);
    compiled.run();
    assertArrayEquals(interpreted.cpu.gpr, compiled.cpu.gpr);
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
    assertEquals(interpreted.data64(8), compiled.data64(8));
    assertEquals(5000050000L, compiled.cpu.gpr[Cpu.RAX]);
    assertEquals(interpreted.runner.retired(), compiled.runner.retired());
    assertTrue(compiled.stats().regions() >= 1, compiled.stats().summary());
    assertTrue(compiled.stats().regions() <= 3, compiled.stats().summary());
  }

  @Test
  void thresholdMode_interpretsUntilHot_thenCompiles() {
    GuestMachine m = new GuestMachine(SUM_LOOP, JitOptions.parse("threshold=50", JitOptions.ON));
    m.run();
    assertEquals(5000050000L, m.cpu.gpr[Cpu.RAX]);
    assertEquals(1, m.stats().regions(), m.stats().summary());
  }

  @Test
  void budget_stopsACompiledLoopAtABackEdge() {
    GuestMachine m = new GuestMachine(SUM_LOOP, JitOptions.FORCE);
    assertEquals(false, m.run(1000));
    long head = GuestMachine.CODE
        + Assembler.assemble("mov ecx, 100000\nxor eax, eax\nmov rdi, 0x600000").length;
    assertEquals(head, m.cpu.rip);
    long done = 100000 - m.cpu.gpr[Cpu.RCX];
    // rax holds the sum of the iterations done: exact state at the loop head
    long expected = 0;
    for (long c = 100000; c > 100000 - done; c--) {
      expected += c;
    }
    assertEquals(expected, m.cpu.gpr[Cpu.RAX]);
    assertTrue(m.runner.retired() >= 1000 && m.runner.retired() < 1100, "" + m.runner.retired());
  }
}
