package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.sync.Futexes;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.util.function.IntSupplier;

/**
 * futex(2): FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE, private or shared, on CLOCK_MONOTONIC or (FUTEX_CLOCK_REALTIME)
 * CLOCK_REALTIME. The priority-inheritance operations and FUTEX_WAKE_OP are ENOSYS, as on a
 * kernel built without them. The waiters are the kernel's {@link Futexes}.
 */
public final class FutexSyscalls {
  private FutexSyscalls() {}

  static final int FUTEX_WAIT = 0;
  static final int FUTEX_WAKE = 1;
  static final int FUTEX_REQUEUE = 3;
  static final int FUTEX_CMP_REQUEUE = 4;
  static final int FUTEX_WAIT_BITSET = 9;
  static final int FUTEX_WAKE_BITSET = 10;
  static final int FUTEX_PRIVATE_FLAG = 128;
  static final int FUTEX_CLOCK_REALTIME = 256;

  /** futex(uaddr, futex_op, val, timeout or val2, uaddr2, val3). */
  public static long futex(Task t) {
    long uaddr = t.arg(0);
    int op = t.intArg(1);
    int val = t.intArg(2);
    int val3 = t.intArg(5);
    boolean privateFutex = (op & FUTEX_PRIVATE_FLAG) != 0;
    boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
    int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    // "ENOSYS ... The FUTEX_CLOCK_REALTIME option was specified in futex_op, but the
    // accompanying operation was neither FUTEX_WAIT, FUTEX_WAIT_BITSET, ..."
    if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET) {
      throw Errno.ENOSYS.exception();
    }
    // "EINVAL The supplied userspace address was not aligned on a four-byte boundary."
    if ((uaddr & 3) != 0) {
      throw Errno.EINVAL.exception();
    }
    Futexes futexes = t.kernel().futexes();
    Futexes.Key key = t.process().mm().futexKey(uaddr, privateFutex);
    IntSupplier word = () -> GuestIo.readInt(t.memory(), uaddr);
    switch (cmd) {
      case FUTEX_WAIT:
        return await(t, key, word, val, Futexes.FUTEX_BITSET_MATCH_ANY, relativeDeadline(t, t.arg(3)));
      case FUTEX_WAIT_BITSET:
        if (val3 == 0) {
          throw Errno.EINVAL.exception();
        }
        return await(t, key, word, val, val3, absoluteDeadline(t, t.arg(3), realtime));
      case FUTEX_WAKE:
        return futexes.wake(key, val, Futexes.FUTEX_BITSET_MATCH_ANY);
      case FUTEX_WAKE_BITSET:
        if (val3 == 0) {
          throw Errno.EINVAL.exception();
        }
        return futexes.wake(key, val, val3);
      case FUTEX_REQUEUE:
      case FUTEX_CMP_REQUEUE: {
        // val2, the most waiters to requeue, travels in the timeout argument.
        int moveCount = (int) t.arg(3);
        long uaddr2 = t.arg(4);
        if (val < 0 || moveCount < 0 || (uaddr2 & 3) != 0) {
          throw Errno.EINVAL.exception();
        }
        Futexes.Key to = t.process().mm().futexKey(uaddr2, privateFutex);
        return futexes.requeue(key, to, val, moveCount, word,
            cmd == FUTEX_CMP_REQUEUE ? val3 : null);
      }
      default:
        throw Errno.ENOSYS.exception("futex operation " + cmd);
    }
  }

  private static long await(Task t, Futexes.Key key, IntSupplier word, int expected, int bitset,
      long deadline) {
    switch (t.kernel().futexes().await(key, word, expected, bitset, deadline)) {
      case READY:
        return 0;
      case TIMED_OUT:
        throw Errno.ETIMEDOUT.exception();
      default:
        // Restarted after a stop or a handler with SA_RESTART; a timed wait is not, so its
        // timeout is not stretched (Linux restarts it with what remains).
        throw deadline == Waiter.FOREVER ? Interrupted.RESTART_SYS : Interrupted.RESTART_NOHAND;
    }
  }

  /** FUTEX_WAIT: "the timeout is interpreted as a relative value"; NULL waits forever. */
  private static long relativeDeadline(Task t, long timeoutAddr) {
    if (timeoutAddr == 0) {
      return Waiter.FOREVER;
    }
    long nanos = StructLayouts.readTimespec(t.memory(), timeoutAddr);
    long now = System.nanoTime();
    return nanos >= Waiter.FOREVER - now ? Waiter.FOREVER : now + nanos;
  }

  /**
   * FUTEX_WAIT_BITSET: an absolute time on CLOCK_MONOTONIC, or on CLOCK_REALTIME with
   * FUTEX_CLOCK_REALTIME; NULL waits forever.
   */
  private static long absoluteDeadline(Task t, long timeoutAddr, boolean realtime) {
    if (timeoutAddr == 0) {
      return Waiter.FOREVER;
    }
    long at = StructLayouts.readTimespec(t.memory(), timeoutAddr);
    long now = realtime ? Clocks.realtimeNanos() : Clocks.monotonicNanos(t);
    long remaining = at - now;
    long hostNow = System.nanoTime();
    return remaining >= Waiter.FOREVER - hostNow ? Waiter.FOREVER : hostNow + remaining;
  }
}
