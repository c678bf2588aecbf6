package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.memory.GuestMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a flat code snippet in the interpreter and reports instructions retired and seconds; used
 * by {@code bench/cpu/cpu-bench.sh}, which times the same snippet natively. The snippet gets RCX
 * = the iteration count and RSI = a 64 KiB zeroed, 64-byte-aligned buffer, as the native wrapper
 * gives it. Usage: {@code InterpreterBenchmark SNIPPET.bin ITERATIONS}.
 */
final class InterpreterBenchmark {
  private static final long CODE = 0x401000;
  private static final long BUFFER = 0x600000;

  private InterpreterBenchmark() {}

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
    Interpreter interpreter = Interpreter.create(cpu, new CodeCache(memory), null);
    long start = System.nanoTime();
    interpreter.runUntil(CODE + code.length);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println("retired " + interpreter.retired());
    System.out.println("seconds " + seconds);
  }
}
