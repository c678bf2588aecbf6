package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * A small guest for running fixed machine-code snippets many times: code at {@link #CODE},
 * a 4 KiB data page at {@link #DATA}, one CPU and interpreter reused across runs. Tests that
 * replay recorded cases (the CPU reference) write inputs to the data page, run a snippet, and
 * read the results back.
 */
final class SnippetMachine {
  static final long CODE = 0x10_0000;
  static final long DATA = 0x20_0000;
  static final int PAGE = 4096;

  final GuestMemory memory = GuestMemory.create();
  final Cpu cpu;
  private final Interpreter interpreter;
  private int codeEnd;

  SnippetMachine() {
    memory.map(CODE, 16 * PAGE,
        GuestMemory.PROT_READ | GuestMemory.PROT_WRITE | GuestMemory.PROT_EXEC);
    memory.map(DATA, PAGE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    cpu = new Cpu(memory);
    interpreter = Interpreter.create(cpu, new CodeCache(memory), c -> {
      throw new AssertionError("a snippet made a system call");
    });
  }

  /** Places {@code bytes} after the snippets placed so far and returns its address. */
  long place(byte[] bytes) {
    long at = CODE + codeEnd;
    memory.writeBytes(at, bytes, 0, bytes.length);
    codeEnd += (bytes.length + 15) & ~15;
    return at;
  }

  /** Runs from {@code start} until RIP reaches {@code end}. */
  void run(long start, long end) {
    cpu.rip = start;
    if (!interpreter.runUntil(end, 100_000)) {
      throw new AssertionError("snippet at " + Long.toHexString(start) + " did not finish");
    }
  }

  static byte[] bytes(int... b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = (byte) b[i];
    }
    return r;
  }
}
