package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.jit.Jit;
import dev.blinkchroot.emulator.jit.JitOptions;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import java.io.PrintStream;
import java.util.List;

/**
 * How a kernel is set up: the hostname uname reports, where diagnostics go (one line each, the
 * user's stderr), who observes system calls (--strace, --report), whether load addresses are
 * randomised (--aslr), the descriptions behind the first process's descriptors 0, 1 and 2, and
 * how guest code runs (the interpreter, or with the JIT).
 */
public record KernelConfig(String hostname, PrintStream diagnostics,
    List<SyscallObserver> observers, boolean aslr, FileDescription stdin, FileDescription stdout,
    FileDescription stderr, ExecutionEngine engine) {
  /** With the engine the {@code blinkchroot.jit} property or BLINK_CHROOT_JIT names (else off). */
  public KernelConfig(String hostname, PrintStream diagnostics, List<SyscallObserver> observers,
      boolean aslr, FileDescription stdin, FileDescription stdout, FileDescription stderr) {
    this(hostname, diagnostics, observers, aslr, stdin, stdout, stderr,
        Jit.engine(JitOptions.fromSystem(JitOptions.OFF)));
  }
}
