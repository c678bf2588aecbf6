package dev.blinkchroot.emulator.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.memory.FrameSource;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compiled code when guest code changes under it: a program that rewrites a hot loop and runs it
 * again, a store to the very next instruction, code written through one mapping of a shared
 * frame and run through another (a MAP_SHARED memfd), a thread writing code another thread runs
 * after a barrier, and eviction under a tiny code budget. Each runs with the JIT forced on from
 * the first instruction and with a low threshold (code first interpreted, then compiled), and
 * must give what the interpreter gives.
 */
class JitCodeChangeTest {
  private static JitOptions mode(String name) {
    return JitOptions.parse(name, JitOptions.ON);
  }

  /** Calls f (eax = 1) 1000 times summing into rbx, patches f to return 2, sums into rdx. */
  private static final String REWRITE_HOT_FUNCTION = String.join("\n",
      "mov ecx, 1000",
      "1: call 5f",
      "add rbx, rax",
      "dec ecx",
      "jnz 1b",
      "lea rdi, [rip + 5f]",
      "mov byte ptr [rdi + 1], 2", // mov eax, imm32: the immediate's low byte
      "mov ecx, 1000",
      "2: call 5f",
      "add rdx, rax",
      "dec ecx",
      "jnz 2b",
      "jmp 6f",
      "5: mov eax, 1",
      "ret",
      "6: nop");

  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=20"})
  void programRewritesAHotFunction_andRunsTheNewCode(String jit) {
    GuestMachine m = new GuestMachine(REWRITE_HOT_FUNCTION, mode(jit));
    m.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    m.run();
    assertEquals(1000, m.cpu.gpr[Cpu.RBX]);
    assertEquals(2000, m.cpu.gpr[Cpu.RDX]);
    assertTrue(m.stats().regions() > 0, m.stats().summary());
  }

  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=20"})
  void storeToTheNextInstruction_isSeenByIt(String jit) {
    String asm = String.join("\n",
        "mov ecx, 100",
        "1: lea rdi, [rip + 2f]",
        "mov byte ptr [rdi + 1], cl", // the immediate of the mov below becomes the counter
        "2: mov eax, 0x55",
        "add rbx, rax",
        "dec ecx",
        "jnz 1b");
    GuestMachine interpreted = new GuestMachine(asm, JitOptions.OFF);
    interpreted.run();
    GuestMachine compiled = new GuestMachine(asm, mode(jit));
    compiled.run();
    assertEquals(5050, interpreted.cpu.gpr[Cpu.RBX]); // 100 + 99 + ... + 1
    assertEquals(5050, compiled.cpu.gpr[Cpu.RBX]);
  }

  /**
   * A memfd mapped twice: writable at one address, executable at another. Code is written
   * through the first, run (hot) through the second, rewritten through the first and run again.
   */
  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=20"})
  void codeWrittenThroughOneSharedMapping_runsThroughTheOther(String jit) {
    Map<Long, byte[]> pageCache = new HashMap<>();
    FrameSource memfd = page -> pageCache.computeIfAbsent(page, p -> new byte[4096]);
    long writable = 0x700000;
    long executable = 0x800000;
    GuestMachine m = new GuestMachine(String.join("\n",
        "mov ecx, 500",
        "1: call r12", // r12 = the executable mapping
        "add rbx, rax",
        "dec ecx",
        "jnz 1b",
        "mov byte ptr [r13 + 1], 3", // r13 = the writable mapping: mov eax, 1 -> mov eax, 3
        "mov ecx, 500",
        "2: call r12",
        "add rdx, rax",
        "dec ecx",
        "jnz 2b"), mode(jit));
    m.memory.mapShared(writable, 4096, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE, memfd, 0);
    m.memory.mapShared(executable, 4096, GuestMemory.PROT_READ | GuestMemory.PROT_EXEC, memfd, 0);
    byte[] function = Assembler.assemble("mov eax, 1\nret");
    m.memory.writeBytes(writable, function, 0, function.length);
    m.cpu.gpr[Cpu.R12] = executable;
    m.cpu.gpr[Cpu.R13] = writable;
    m.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    m.run();
    assertEquals(500, m.cpu.gpr[Cpu.RBX]);
    assertEquals(1500, m.cpu.gpr[Cpu.RDX]);
  }

  /**
   * Two guest threads of one process (two CPUs over one address space and one code cache):
   * the second rewrites a function the first has been running hot, then releases a flag with a
   * locked instruction; the first waits for the flag, serializes (CPUID, as the SDM asks of
   * cross-modifying code) and must run the new function.
   */
  @ParameterizedTest
  @ValueSource(strings = {"force", "threshold=20"})
  void threadWritesCodeAnotherThreadRunsAfterABarrier(String jit) throws Exception {
    String runner = String.join("\n",
        "mov ecx, 2000",
        "1: call r12", // the function: mov eax, 1; ret
        "add rsi, rax",
        "dec ecx",
        "jnz 1b",
        "mov dword ptr [r14], 1", // tells the writer it may go
        "2: pause",
        "cmp dword ptr [r14 + 4], 0", // the writer's flag
        "je 2b",
        "cpuid",
        "call r12",
        "mov rdx, rax");
    String writer = String.join("\n",
        "1: pause",
        "cmp dword ptr [r14], 0",
        "je 1b",
        "mov byte ptr [r12 + 1], 9",
        "lock or dword ptr [r14 + 4], 1");
    byte[] runnerCode = Assembler.assemble(runner);
    byte[] writerCode = Assembler.assemble(writer);
    byte[] function = Assembler.assemble("mov eax, 1\nret");
    GuestMemory memory = GuestMemory.create();
    long code = 0x400000;
    memory.map(code, 0x10000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE
        | GuestMemory.PROT_EXEC);
    memory.writeBytes(code, runnerCode, 0, runnerCode.length);
    memory.writeBytes(code + 0x1000, writerCode, 0, writerCode.length);
    memory.writeBytes(code + 0x2000, function, 0, function.length);
    long data = 0x600000;
    memory.map(data, 0x10000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    CodeCache cache = new CodeCache(memory);
    var engine = Jit.engine(mode(jit));
    Cpu first = new Cpu(memory);
    Cpu second = new Cpu(memory);
    for (Cpu c : new Cpu[] {first, second}) {
      c.gpr[Cpu.R12] = code + 0x2000;
      c.gpr[Cpu.R14] = data;
    }
    first.gpr[Cpu.RSP] = data + 0x8000;
    second.gpr[Cpu.RSP] = data + 0x10000;
    first.rip = code;
    second.rip = code + 0x1000;
    Interpreter firstRunner = engine.runner(first, cache, c -> { });
    Interpreter secondRunner = engine.runner(second, cache, c -> { });
    CyclicBarrier start = new CyclicBarrier(2);
    Thread writerThread = new Thread(() -> {
      try {
        start.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      secondRunner.runUntil(code + 0x1000 + writerCode.length, 500_000_000L);
    });
    writerThread.start();
    start.await();
    boolean done = firstRunner.runUntil(code + runnerCode.length, 500_000_000L);
    writerThread.join(30_000);
    assertTrue(done, "the runner did not finish");
    assertEquals(2000, first.gpr[Cpu.RSI]);
    assertEquals(9, first.gpr[Cpu.RDX]);
  }

  /**
   * Twelve functions, each a hot loop called indirectly (so each is a region of its own), run
   * twice over under a code budget smaller than two regions.
   */
  @ParameterizedTest
  @ValueSource(strings = {"budget=3000"})
  void tinyCodeBudget_evictsRegions_andTheResultStays(String jit) {
    StringBuilder asm = new StringBuilder("mov r15d, 2\n88:\n");
    for (int f = 0; f < 12; f++) {
      asm.append("lea r12, [rip + ").append(f + 10).append("f]\n").append("call r12\n");
    }
    asm.append("dec r15d\njnz 88b\njmp 99f\n");
    for (int f = 0; f < 12; f++) {
      asm.append(f + 10).append(": mov ecx, 300\n")
          .append("1: add rax, ").append(f + 1).append('\n')
          .append("imul rbx, rax, 3\n")
          .append("xor rdx, rbx\n")
          .append("dec ecx\n")
          .append("jnz 1b\n")
          .append("ret\n");
    }
    asm.append("99: nop\n");
    GuestMachine interpreted = new GuestMachine(asm.toString(), JitOptions.OFF);
    interpreted.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    interpreted.run();
    GuestMachine compiled = new GuestMachine(asm.toString(), mode(jit));
    compiled.cpu.gpr[Cpu.RSP] = GuestMachine.DATA + GuestMachine.DATA_SIZE;
    compiled.run();
    assertTrue(compiled.stats().evicted() > 10, compiled.stats().summary());
    for (int r = 0; r < 16; r++) {
      assertEquals(interpreted.cpu.gpr[r], compiled.cpu.gpr[r], "register " + r);
    }
    assertEquals(interpreted.cpu.rflags(), compiled.cpu.rflags());
  }
}
