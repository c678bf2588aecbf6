package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import java.io.PrintStream;
import java.util.List;

/**
 * How a kernel is set up: the hostname uname reports, where diagnostics go (one line each, the
 * user's stderr), who observes system calls (--strace, --report), whether load addresses are
 * randomised (--aslr), and the descriptions behind the first process's descriptors 0, 1 and 2.
 */
public record KernelConfig(String hostname, PrintStream diagnostics,
    List<SyscallObserver> observers, boolean aslr, FileDescription stdin, FileDescription stdout,
    FileDescription stderr) {}
