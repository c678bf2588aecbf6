package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.Clone;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.nio.ByteBuffer;

/**
 * Making processes: fork, vfork, clone and clone3, decoding their arguments for {@link Clone}
 * and starting the child. A vfork parent (CLONE_VFORK) is suspended "until the child terminates
 * ... or it makes a call to execve(2)"; an interruption of that wait does not undo the child.
 */
public final class ForkSyscalls {
  /** sizeof(struct clone_args) of each clone3 version (CLONE_ARGS_SIZE_VER0..2). */
  static final int CLONE_ARGS_SIZE_VER0 = 64;
  static final int CLONE_ARGS_SIZE_VER2 = 88;
  /** Larger structures are accepted if their extra bytes are zero (up to a page). */
  static final int CLONE_ARGS_MAX = 4096;

  private ForkSyscalls() {}

  /** fork(): clone with SIGCHLD and nothing shared. */
  public static long fork(Task t) {
    return run(t, new Clone.Args(0, 0, 0, GuestProcess.SIGCHLD, 0, 0));
  }

  /** vfork(): the child shares the memory and the parent waits until it execs or exits. */
  public static long vfork(Task t) {
    return run(t, new Clone.Args(Clone.CLONE_VM | Clone.CLONE_VFORK, 0, 0, GuestProcess.SIGCHLD,
        0, 0));
  }

  /**
   * clone(flags, stack, parent_tid, child_tid, tls): x86-64's argument order. The low byte of
   * flags is the exit signal.
   */
  public static long clone(Task t) {
    long flags = t.arg(0);
    return run(t, new Clone.Args(flags & ~Clone.CSIGNAL, t.arg(3), t.arg(2),
        (int) (flags & Clone.CSIGNAL), t.arg(1), t.arg(4)));
  }

  /**
   * clone3(cl_args, size): struct clone_args {u64 flags, pidfd, child_tid, parent_tid,
   * exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup}. EINVAL for a size
   * below version 0, flags in CSIGNAL (the signal has its own field), a stack without a size or
   * a size without a stack, set_tid (this kernel does not choose pids on request) and unknown
   * trailing bytes; E2BIG for a size over a page.
   */
  public static long clone3(Task t) {
    long size = t.arg(1);
    if (size < CLONE_ARGS_SIZE_VER0) {
      throw Errno.EINVAL.exception();
    }
    if (size > CLONE_ARGS_MAX) {
      throw Errno.E2BIG.exception();
    }
    ByteBuffer b = StructLayouts.read(t.memory(), t.arg(0), (int) size);
    for (int i = CLONE_ARGS_SIZE_VER2; i < size; i++) {
      if (b.get(i) != 0) {
        throw Errno.E2BIG.exception();
      }
    }
    long flags = b.getLong(0);
    long exitSignal = b.getLong(32);
    long stack = b.getLong(40);
    long stackSize = b.getLong(48);
    long setTidSize = size >= 80 ? b.getLong(72) : 0;
    if ((flags & Clone.CSIGNAL) != 0 || (exitSignal & ~Clone.CSIGNAL) != 0
        || (stack == 0) != (stackSize == 0) || setTidSize != 0) {
      throw Errno.EINVAL.exception();
    }
    return run(t, new Clone.Args(flags, b.getLong(16), b.getLong(24), (int) exitSignal,
        stack == 0 ? 0 : stack + stackSize, b.getLong(56)));
  }

  private static long run(Task t, Clone.Args a) {
    Task child = Clone.clone(t, a);
    t.kernel().start(child);
    if ((a.flags() & Clone.CLONE_VFORK) != 0) {
      // Uninterruptible on Linux except by a kill: the parent must not run on the shared stack.
      while (t.waiter().await(t.process().childEvents(), WaitQueue.ALL, Waiter.FOREVER,
          child::vforkDone) == Waiter.Result.INTERRUPTED && t.pendingKill() == 0) {
        t.waiter().clearInterrupt();
      }
    }
    return child.tid();
  }
}
