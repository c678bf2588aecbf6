package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a flat code snippet with the JIT and reports instructions retired, seconds and the time
 * spent compiling; used by {@code bench/cpu/cpu-bench.sh} next to the interpreter's {@code
 * InterpreterBenchmark}. The snippet gets RCX = the iteration count and RSI = a 64 KiB zeroed,
 * 64-byte-aligned buffer. Usage: {@code JitBenchmark SNIPPET.bin ITERATIONS}.
 */
final class JitBenchmark {
  private static final long CODE = 0x401000;
  private static final long BUFFER = 0x600000;

  private JitBenchmark() {}

  public static void main(String[] args) throws IOException {
    byte[] code = Files.readAllBytes(Path.of(args[0]));
    long iterations = Long.parseLong(args[1]);
    GuestMemory memory = GuestMemory.create();
    memory.map(CODE, GuestMemory.PAGE_SIZE * 4L, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    memory.writeBytes(CODE, code, 0, code.length);
    memory.protect(CODE, GuestMemory.PAGE_SIZE * 4L, GuestMemory.PROT_READ | GuestMemory.PROT_EXEC);
    memory.map(BUFFER, 65536, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    Cpu cpu = new Cpu(memory);
    cpu.rip = CODE;
    cpu.gpr[Cpu.RCX] = iterations;
    cpu.gpr[Cpu.RSI] = BUFFER;
    ExecutionEngine engine = Jit.engine(JitOptions.fromSystem(JitOptions.ON));
    Interpreter runner = engine.runner(cpu, new CodeCache(memory), null);
    long start = System.nanoTime();
    runner.runUntil(CODE + code.length);
    double seconds = (System.nanoTime() - start) / 1e9;
    JitStats stats = Jit.statsOf(engine);
    System.out.println("retired " + runner.retired());
    System.out.println("seconds " + seconds);
    System.out.println("compile-seconds " + (stats == null ? 0 : stats.compileNanos() / 1e9));
  }
}
