package dev.blinkchroot.emulator.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.difftest.Assembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * A loop calls through a function pointer that changes target halfway: the compiled call
   * goes to the target profiled while interpreting, behind a check that must send the other
   * target's calls out of the region; returns come back into the region at the call's return
   * site.
   */
  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=20"})
  void indirectCallChangingTarget_matchesTheInterpreter(String jit) {
    String asm = String.join("\n",
        "lea r12, [rip + 5f]",
        "mov ecx, 1000",
        "1: call r12",
        "add rbx, rax",
        "imul rdx, rbx, 3",
        "cmp ecx, 400",
        "jne 2f",
        "lea r12, [rip + 6f]",
        "2: dec ecx",
        "jnz 1b",
        "jmp 9f",
        "5: mov eax, 1",
        "ret",
        "6: lea eax, [rcx + 2]",
        "ret",
        "9: nop");
    GuestMachine interpreted = new GuestMachine(asm, JitOptions.OFF);
    interpreted.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    interpreted.run();
    GuestMachine compiled = new GuestMachine(asm, JitOptions.parse(jit, JitOptions.ON));
    compiled.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    compiled.run();
    assertArrayEquals(interpreted.cpu.gpr, compiled.cpu.gpr);
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
    assertEquals(interpreted.runner.retired(), compiled.runner.retired());
    assertTrue(compiled.stats().regions() >= 1);
  }

  /**
   * Single-element MOVS, STOS and LODS (compiled inline) copy a buffer forwards and backwards
   * and with 32-bit addressing: the same memory and registers as the interpreter.
   */
  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=5"})
  void stringElements_inBothDirections_matchTheInterpreter(String jit) {
    String asm = String.join("\n",
        "mov rsi, 0x600000", "mov rdi, 0x600800", "mov ecx, 64",
        "1: movsb", "movsw", "stosd", "lodsq", "add rbx, rax", "dec ecx", "jnz 1b",
        "std", "mov ecx, 32",
        "2: movsq", "lodsd", "stosb", "add rdx, rax", "dec ecx", "jnz 2b",
        "cld", "mov esi, 0x600100", "mov edi, 0x600c00", "mov ecx, 16",
        "3: addr32 movsd", "addr32 lodsb", "dec ecx", "jnz 3b");
    GuestMachine interpreted = new GuestMachine(asm, JitOptions.OFF);
    GuestMachine compiled = new GuestMachine(asm, JitOptions.parse(jit, JitOptions.ON));
    for (GuestMachine m : new GuestMachine[] {interpreted, compiled}) {
      byte[] pattern = new byte[4096];
      new java.util.Random(3).nextBytes(pattern);
      m.memory.writeBytes(GuestMachine.DATA, pattern, 0, pattern.length);
      m.cpu.gpr[Cpu.RAX] = 0x1122334455667788L;
      m.run();
    }
    assertArrayEquals(interpreted.cpu.gpr, compiled.cpu.gpr);
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
    byte[] a = new byte[8192];
    byte[] b = new byte[8192];
    interpreted.memory.readBytes(GuestMachine.DATA, a, 0, a.length);
    compiled.memory.readBytes(GuestMachine.DATA, b, 0, b.length);
    assertArrayEquals(a, b);
    assertTrue(compiled.stats().regions() >= 1);
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
