package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * A small guest for the JIT's tests: code assembled from Intel syntax at {@link #CODE}
 * (read/write/execute, so code may rewrite itself), a data region at {@link #DATA}, one CPU, and
 * an engine (interpreter or JIT) to run it.
 */
final class GuestMachine {
  static final long CODE = 0x400000;
  static final long CODE_SIZE = 0x10000;
  static final long DATA = 0x600000;
  static final long DATA_SIZE = 0x10000;

  final GuestMemory memory = GuestMemory.create();
  final Cpu cpu = new Cpu(memory);
  final CodeCache code;
  final ExecutionEngine engine;
  final Interpreter runner;
  final long end;

  GuestMachine(String asm, JitOptions options) {
    this(Assembler.assemble(asm), options);
  }

  GuestMachine(byte[] machineCode, JitOptions options) {
    memory.map(CODE, CODE_SIZE,
        GuestMemory.PROT_READ | GuestMemory.PROT_WRITE | GuestMemory.PROT_EXEC);
    byte[] region = new byte[(int) CODE_SIZE];
    java.util.Arrays.fill(region, (byte) 0xcc); // INT3 after the code, as the difftest harness
    System.arraycopy(machineCode, 0, region, 0, machineCode.length);
    memory.writeBytes(CODE, region, 0, region.length);
    memory.map(DATA, DATA_SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    code = new CodeCache(memory);
    engine = Jit.engine(options);
    runner = engine.runner(cpu, code, c -> {
      throw new IllegalStateException("no syscalls here");
    });
    cpu.rip = CODE;
    end = CODE + machineCode.length;
  }

  /** Runs to the end of the code; false if the budget ran out (or an interrupt stopped it). */
  boolean run(long budget) {
    return runner.runUntil(end, budget);
  }

  void run() {
    runner.runUntil(end);
  }

  JitStats stats() {
    return Jit.statsOf(engine);
  }

  long data64(long offset) {
    return memory.read64(DATA + offset);
  }
}
