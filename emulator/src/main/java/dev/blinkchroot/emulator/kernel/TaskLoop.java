package dev.blinkchroot.emulator.kernel;

import dev.blinkchroot.emulator.cpu.CpuTrap;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.syscall.SyscallDispatcher;
import dev.blinkchroot.emulator.kernel.task.ExecCompleted;
import dev.blinkchroot.emulator.kernel.task.Exit;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.ProcessExit;
import dev.blinkchroot.emulator.kernel.task.SignalDelivery;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where guest threads run: each task on its own Java platform thread, executing its program
 * until its process exits. The CPU runs in slices of {@link #SLICE} instructions; between slices
 * and after every system call the CPU-time timers are checked and pending signals delivered. A fault becomes its signal; one the
 * guest does not handle ends the process with one line on stderr.
 */
final class TaskLoop {
  /** Instructions between checks for signals (a few milliseconds of guest time). */
  static final long SLICE = 1 << 20;
  /** An address no code can be at: the CPU never reaches it, slices end by their budget. */
  private static final long NOWHERE = -1L ^ 0x8000_0000_0000_0000L;
  /** SIGKILL. */
  static final int SIGKILL = 9;
  /** How long the end of pid 1 waits for the other processes' threads to finish. */
  private static final long END_WAIT_MILLIS = 2000;

  private final Kernel kernel;
  private final SyscallDispatcher dispatcher;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  TaskLoop(Kernel kernel, SyscallDispatcher dispatcher) {
    this.kernel = kernel;
    this.dispatcher = dispatcher;
  }

  /** Starts a new task on its own (daemon) thread: it runs until its process exits. */
  void start(Task task) {
    Thread thread = new Thread(() -> {
      try {
        Exit.exitProcess(task, runUntilExit(task));
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, "guest-" + task.tid());
    thread.setDaemon(true);
    task.setThread(thread);
    threads.add(thread);
    thread.start();
  }

  /** Runs {@code task}'s program until its process exits; returns the wait status. */
  int runUntilExit(Task task) {
    Task.setCurrent(task);
    try {
      while (true) {
        GuestMemory memory = task.process().memory();
        task.cpu.memory = memory;
        Interpreter interpreter = kernel.config().engine().runner(task.cpu, task.mm().code(),
            cpu -> {
              dispatcher.dispatch(task);
              task.process().timers().checkCpu();
              SignalDelivery.deliver(task);
            });
        try {
          while (true) {
            try {
              while (!interpreter.runUntil(NOWHERE, SLICE)) {
                task.process().timers().checkCpu();
                SignalDelivery.deliver(task);
              }
            } catch (CpuTrap trap) {
              fault(task, Fault.of(task.cpu, trap));
            } catch (MemoryFault fault) {
              if (!task.process().mm().refault(fault)) {
                fault(task, Fault.of(task.cpu, fault));
              }
            }
          }
        } catch (ExecCompleted exec) {
          SignalDelivery.deliver(task); // signals that arrived during exec, for the new image
        }
      }
    } catch (ProcessExit exit) {
      return exit.status();
    } finally {
      Task.setCurrent(null);
    }
  }

  /**
   * A fault: its signal is forced on the task; a handler runs if there is one, otherwise the
   * process dies of it. When that process is the first one, whose end is the run's, one line on
   * stderr says where; another process's death is its parent's to report (a shell prints
   * "Segmentation fault"), as on Linux, where only the kernel log hears of it.
   */
  private void fault(Task task, Fault f) {
    task.setTrap(f.trap());
    if (!SignalDelivery.force(task, f.info())) {
      throw fatal(task, f.info().signo(), f.info().addr());
    }
    SignalDelivery.deliver(task);
  }

  /**
   * pid 1 has exited: "If the 'init' process of a PID namespace terminates, the kernel terminates
   * all of the processes in the namespace via a SIGKILL signal" (pid_namespaces(7)). Waits a
   * little for their threads to finish.
   */
  void endEveryOtherProcess(GuestProcess init) {
    for (GuestProcess p : kernel.pids().all()) {
      Task t = p.leader();
      if (p != init && t != null) {
        t.kill(SIGKILL);
      }
    }
    long deadline = System.currentTimeMillis() + END_WAIT_MILLIS;
    for (Thread t : threads) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * A fault the guest did not handle: death by that signal, and for the first process one line
   * naming the signal, the faulting address, the instruction and where it is.
   */
  private ProcessExit fatal(Task task, int signal, long faultAddress) {
    GuestProcess p = task.process();
    if (p.pid() != 1) {
      return ProcessExit.killed(signal);
    }
    long rip = task.cpu.rip;
    StringBuilder line = new StringBuilder("blink-chroot: pid ").append(p.pid()).append(" (")
        .append(Kernel.text(p.comm())).append(") killed by ").append(Signals.name(signal))
        .append(" at rip 0x").append(Long.toHexString(rip));
    if (signal == 11 || signal == 7) {
      line.append(", fault address 0x").append(Long.toHexString(faultAddress));
    }
    line.append(": ").append(instructionAt(p.memory(), rip));
    FileMappings.Named where = p.fileMappings().at(rip);
    if (where != null) {
      line.append(" in ").append(where.nameString()).append("+0x")
          .append(Long.toHexString(where.offset() + rip - where.start()));
    }
    kernel.config().diagnostics().println(line);
    return ProcessExit.killed(signal);
  }

  private static String instructionAt(GuestMemory memory, long rip) {
    try {
      Insn insn = Decoder.decode(memory::fetch8, rip);
      return insn.hexBytes() + "  " + insn;
    } catch (MemoryFault fault) {
      return "(instruction not readable)";
    }
  }
}
