package dev.blinkchroot.emulator.kernel.syscall;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.task.ExecCompleted;
import dev.blinkchroot.emulator.kernel.task.ProcessExit;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.policies.Decision;
import dev.blinkchroot.policies.SyscallCall;
import dev.blinkchroot.policies.SyscallPolicy;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SYSCALL entry: looks the number up in the {@link SyscallTable}, asks the policy (with the
 * path argument made absolute), runs the handler, and turns its result or errno into RAX. An
 * unimplemented call returns ENOSYS and is named on stderr the first time it happens. Handlers
 * that change the task's course return an {@link Outcome}: the new program (execve) or the end
 * of the task (exit, exit_group), which this class alone turns into the unwinding of the CPU.
 */
public final class SyscallDispatcher {
  /** SIGSYS: what a policy's KILL delivers, as seccomp's SECCOMP_RET_KILL_PROCESS does. */
  static final int SIGSYS = 31;

  private final SyscallTable table;
  private final SyscallPolicy policy;
  private final List<SyscallObserver> observers;
  private final PrintStream diagnostics;
  private final Set<Long> reported = ConcurrentHashMap.newKeySet();

  public SyscallDispatcher(SyscallTable table, SyscallPolicy policy, List<SyscallObserver> observers,
      PrintStream diagnostics) {
    this.table = table;
    this.policy = policy;
    this.observers = List.copyOf(observers);
    this.diagnostics = diagnostics;
  }

  public void dispatch(Task task) {
    Cpu cpu = task.cpu;
    long number = cpu.gpr[Cpu.RAX];
    SyscallTable.Entry entry = table.entry(number);
    long[] args = new long[6];
    for (int i = 0; i < 6; i++) {
      args[i] = task.arg(i);
    }
    String name = entry != null ? entry.name() : SyscallTable.nameOf(number);
    String path = entry != null && policy.needsPaths() ? policyPath(task, entry, args) : null;
    Decision decision = policy.decide(new SyscallCall(name, (int) number, args, path,
        task.process().pid()));
    if (decision.kind() == Decision.Kind.ERRNO) {
      notifyExit(task, number, entry, args, -decision.errno(), true);
      cpu.gpr[Cpu.RAX] = -decision.errno();
      return;
    }
    if (decision.kind() == Decision.Kind.KILL) {
      notifyExit(task, number, entry, args, -Errno.EPERM.number(), true);
      throw ProcessExit.killed(SIGSYS);
    }
    if (decision.kind() == Decision.Kind.LOG) {
      diagnostics.println("blink-chroot: policy log: " + name + " by pid "
          + task.process().pid());
    }
    for (SyscallObserver o : observers) {
      o.enter(task, number, entry, args);
    }
    Outcome outcome = run(task, number, entry);
    switch (outcome.kind()) {
      case EXEC:
        // The old program is gone, but observers still see "= 0"; the CPU unwinds to the task
        // loop, which runs the new image.
        notifyExit(task, number, entry, args, 0, false);
        throw new ExecCompleted();
      case CONTEXT_RESTORED:
        // rt_sigreturn: RAX is the interrupted context's, and no restart decision is pending.
        task.setInterruptedCall(-1);
        notifyExit(task, number, entry, args, cpu.gpr[Cpu.RAX], false);
        break;
      case EXIT_GROUP:
      case EXIT_THREAD:
        throw ProcessExit.withStatus((int) outcome.value());
      default:
        long result = outcome.value();
        notifyExit(task, number, entry, args, result, false);
        cpu.gpr[Cpu.RAX] = result;
        // An ERESTART* code is never seen by the guest: signal delivery turns it into EINTR or
        // runs the call again.
        task.setInterruptedCall(Interrupted.isRestart(result) ? number : -1);
    }
  }

  private Outcome run(Task task, long number, SyscallTable.Entry entry) {
    if (entry == null) {
      if (reported.add(number)) {
        diagnostics.println("blink-chroot: unsupported syscall " + SyscallTable.nameOf(number)
            + " (" + number + "), returned ENOSYS");
      }
      return Outcome.value(-Errno.ENOSYS.number());
    }
    try {
      return entry.handler().call(task);
    } catch (ErrnoException e) {
      return Outcome.value(-e.errno().number());
    } catch (Interrupted i) {
      return Outcome.value(-i.code());
    }
  }

  private void notifyExit(Task task, long number, SyscallTable.Entry entry, long[] args,
      long result, boolean denied) {
    for (SyscallObserver o : observers) {
      o.exit(task, number, entry, args, result, denied);
    }
  }

  /**
   * The path argument as the policy sees it: absolute from the caller's root, made from the
   * dirfd's or the working directory's path for a relative one; lexical ("..", symlinks are the
   * handler's business). Null when the call has no path or it cannot be read.
   */
  private static String policyPath(Task task, SyscallTable.Entry entry, long[] args) {
    int p = entry.pathArgument();
    if (p < 0) {
      return null;
    }
    byte[] path;
    try {
      path = GuestIo.readPath(task.memory(), args[p]);
    } catch (ErrnoException e) {
      return null;
    }
    String s = new String(path, StandardCharsets.UTF_8);
    if (s.startsWith("/")) {
      return s;
    }
    try {
      int d = entry.dirfdArgument();
      dev.blinkchroot.vfs.Location base = d >= 0 ? task.dirfd((int) args[d]) : null;
      byte[] dir = task.vfs().pathOf(task.fs(), base != null ? base : task.fs().cwd());
      String prefix = new String(dir, StandardCharsets.UTF_8);
      return prefix.endsWith("/") ? prefix + s : prefix + "/" + s;
    } catch (ErrnoException e) {
      return s;
    }
  }
}
