package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.abi.StructLayouts;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.SignalDelivery;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Waiting for descriptors: poll, ppoll, select and pselect6, with the rules of poll(2) and
 * select(2). Readiness comes from {@link FileDescription#pollReady}.
 *
 * <p>Layouts (x86-64, checked with gcc against poll.h / sys/select.h: {@code sizeof}/{@code
 * offsetof}): struct pollfd {int fd@0; short events@4; short revents@6}, 8 bytes; fd_set is an
 * array of 64-bit words, bit (fd % 64) of word fd / 64 (the kernel copies only the words covering
 * nfds bits); struct timeval and struct timespec are 16 bytes.
 *
 * <p>The wait registers on the wait queues of the descriptions (pipes, eventfds...) and sleeps
 * until one signals a change, the timeout passes, or the task is interrupted (EINTR). The host's
 * standard streams have no queue until the terminal layer: while one is watched, the wait looks
 * again every 10 ms.
 *
 * <p>Signal masks (ppoll, pselect6) are installed for the duration of the wait and restored
 * afterwards, as Linux does; since signals are not delivered yet, nothing can interrupt the wait
 * through them.
 */
public final class PollSyscalls {
  private PollSyscalls() {}

  /** sizeof(struct pollfd). */
  static final int POLLFD_SIZE = 8;
  static final int POLLFD_EVENTS = 4;
  static final int POLLFD_REVENTS = 6;
  /** pselect6's sixth argument: {const sigset_t *ss; size_t ss_len;}, 16 bytes. */
  static final int SIGSET_ARGPACK_SIZE = 16;

  /** select's sets map to poll events as Linux's POLLIN_SET / POLLOUT_SET / POLLEX_SET. */
  static final int SELECT_READ = PollEvents.POLLIN | PollEvents.POLLRDNORM
      | PollEvents.POLLRDBAND | PollEvents.POLLHUP | PollEvents.POLLERR;
  static final int SELECT_WRITE = PollEvents.POLLOUT | PollEvents.POLLWRNORM
      | PollEvents.POLLWRBAND | PollEvents.POLLERR;
  static final int SELECT_EXCEPT = PollEvents.POLLPRI;

  private static final long INFINITE = -1;
  /** How often a description without a wait queue is looked at again while waiting. */
  static final long UNSIGNALLED_RECHECK_NS = 10_000_000;

  /**
   * poll(fds, nfds, timeout): timeout in milliseconds, "Specifying a negative value in timeout
   * means an infinite timeout. Specifying a timeout of zero causes poll() to return
   * immediately".
   */
  public static long poll(Task t) {
    int timeoutMs = t.intArg(2);
    long timeout = timeoutMs < 0 ? INFINITE : timeoutMs * 1_000_000L;
    return doPoll(t, t.arg(0), t.arg(1) & 0xffff_ffffL, timeout);
  }

  /**
   * ppoll(fds, nfds, tmo_p, sigmask, sigsetsize): tmo_p NULL waits forever; an invalid timespec
   * is EINVAL; a sigmask with a size other than sizeof(sigset_t) (8) is EINVAL (a NULL sigmask's
   * size is not checked). "The Linux ppoll() system call modifies its tmo_p argument" (the time
   * left), except after a zero timeout; a failure to write it back is ignored, as Linux does.
   */
  public static long ppoll(Task t) {
    long tsAddr = t.arg(2);
    long timeout = tsAddr == 0 ? INFINITE : StructLayouts.readTimespec(t.memory(), tsAddr);
    long start = System.nanoTime();
    Long mask = readSigmask(t, t.arg(3), t.arg(4));
    setWaitMask(t, mask);
    long result = withWaitMask(t, () -> doPollOrErrno(t, t.arg(0), t.arg(1) & 0xffff_ffffL,
        timeout));
    if (tsAddr != 0 && timeout != 0) {
      writeTimeLeft(t, tsAddr, timeout, start, false);
    }
    return result;
  }

  /**
   * select(nfds, readfds, writefds, exceptfds, timeout): "On Linux, select() modifies timeout to
   * reflect the amount of time not slept"; a timeval with a negative field is EINVAL (a tv_usec
   * of a million or more is normalized, as Linux does).
   */
  public static long select(Task t) {
    long tvAddr = t.arg(4);
    long timeout = INFINITE;
    if (tvAddr != 0) {
      ByteBuffer b = StructLayouts.read(t.memory(), tvAddr, StructLayouts.TIMEVAL_SIZE);
      long sec = b.getLong(0);
      long usec = b.getLong(StructLayouts.TIMEVAL_TV_USEC);
      if (sec < 0 || usec < 0) {
        throw Errno.EINVAL.exception();
      }
      timeout = nanos(sec + usec / 1_000_000, (usec % 1_000_000) * 1000);
    }
    long start = System.nanoTime();
    long result = doSelectOrErrno(t, timeout);
    if (tvAddr != 0 && timeout != 0) {
      writeTimeLeft(t, tvAddr, timeout, start, true);
    }
    return result;
  }

  /**
   * pselect6(nfds, readfds, writefds, exceptfds, timeout, sig): the raw call's sixth argument
   * points to {const sigset_t *ss; size_t ss_len} (EFAULT if unreadable, checked first); ss NULL
   * leaves the mask alone, else ss_len must be 8 (EINVAL). The timespec is updated with the time
   * left, as for ppoll.
   */
  public static long pselect6(Task t) {
    long sigAddr = t.arg(5);
    long ss = 0;
    long ssLen = 0;
    if (sigAddr != 0) {
      ByteBuffer pack = StructLayouts.read(t.memory(), sigAddr, SIGSET_ARGPACK_SIZE);
      ss = pack.getLong(0);
      ssLen = pack.getLong(8);
    }
    long tsAddr = t.arg(4);
    long timeout = tsAddr == 0 ? INFINITE : StructLayouts.readTimespec(t.memory(), tsAddr);
    long start = System.nanoTime();
    Long mask = readSigmask(t, ss, ssLen);
    setWaitMask(t, mask);
    long result = withWaitMask(t, () -> doSelectOrErrno(t, timeout));
    if (tsAddr != 0 && timeout != 0) {
      writeTimeLeft(t, tsAddr, timeout, start, false);
    }
    return result;
  }

  // ------------------------------------------------------------------------------ poll

  private static long doPollOrErrno(Task t, long fdsAddr, long nfds, long timeout) {
    try {
      return doPoll(t, fdsAddr, nfds, timeout);
    } catch (ErrnoException e) {
      return -e.errno().number();
    }
  }

  /**
   * The poll loop. "EINVAL The nfds value exceeds the RLIMIT_NOFILE value"; the whole array is
   * read first (EFAULT) and only the revents fields are written back. For each entry: "If this
   * field [fd] is negative, then the corresponding events field is ignored and the revents field
   * returns zero"; a descriptor that is not open gives POLLNVAL; otherwise the ready events
   * asked for, plus POLLERR and POLLHUP which "are always returned".
   */
  private static long doPoll(Task t, long fdsAddr, long nfds, long timeout) {
    if (nfds > t.fds().limit()) {
      throw Errno.EINVAL.exception();
    }
    int n = (int) nfds;
    byte[] raw = n == 0 ? new byte[0] : GuestIo.read(t.memory(), fdsAddr, n * POLLFD_SIZE);
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int[] fds = new int[n];
    int[] events = new int[n];
    for (int i = 0; i < n; i++) {
      fds[i] = b.getInt(i * POLLFD_SIZE);
      events[i] = b.getShort(i * POLLFD_SIZE + POLLFD_EVENTS) & 0xffff;
    }
    int[] revents = new int[n];
    List<FileDescription> watched = new ArrayList<>();
    for (int fd : fds) {
      FileDescription d = fd < 0 ? null : t.fds().lookup(fd);
      if (d != null) {
        watched.add(d);
      }
    }
    int ready = waitUntilReady(t, watched, timeout, () -> {
      int count = 0;
      for (int i = 0; i < n; i++) {
        revents[i] = pollOne(t, fds[i], events[i]);
        if (revents[i] != 0) {
          count++;
        }
      }
      return count;
    });
    for (int i = 0; i < n; i++) {
      b.putShort(i * POLLFD_SIZE + POLLFD_REVENTS, (short) revents[i]);
    }
    if (n > 0) {
      GuestIo.write(t.memory(), fdsAddr, raw);
    }
    return ready;
  }

  private static int pollOne(Task t, int fd, int events) {
    if (fd < 0) {
      return 0;
    }
    FileDescription d;
    try {
      d = t.fds().get(fd);
    } catch (ErrnoException e) {
      return PollEvents.POLLNVAL;
    }
    return readiness(d, events) & (events | PollEvents.POLLERR | PollEvents.POLLHUP);
  }

  /** A description's ready events; an error while asking counts as POLLERR. */
  static int readiness(FileDescription d, int events) {
    try {
      return d.pollReady(events);
    } catch (ErrnoException e) {
      return PollEvents.POLLERR;
    }
  }

  // ---------------------------------------------------------------------------- select

  private static long doSelectOrErrno(Task t, long timeout) {
    try {
      return doSelect(t, t.intArg(0), t.arg(1), t.arg(2), t.arg(3), timeout);
    } catch (ErrnoException e) {
      return -e.errno().number();
    }
  }

  /**
   * The select loop: "EINVAL nfds is negative"; nfds is cut down to the size of the descriptor
   * table, as Linux does (bits beyond it are ignored, not EBADF);
   * the sets are read (EFAULT; NULL means empty); "EBADF An invalid file descriptor was given in
   * one of the sets"; on return each non-NULL set holds the ready descriptors (all clear after a
   * timeout) and the result counts set bits over the three sets.
   */
  private static long doSelect(Task t, int nfds, long readAddr, long writeAddr, long exceptAddr,
      long timeout) {
    if (nfds < 0) {
      throw Errno.EINVAL.exception();
    }
    int n = Math.min(nfds, t.fds().capacity());
    int words = (n + 63) / 64;
    long[] in = readSet(t, readAddr, words);
    long[] out = readSet(t, writeAddr, words);
    long[] ex = readSet(t, exceptAddr, words);
    FileDescription[] descriptions = new FileDescription[n];
    for (int fd = 0; fd < n; fd++) {
      if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) {
        descriptions[fd] = t.fds().get(fd); // EBADF
      }
    }
    long[] resIn = new long[words];
    long[] resOut = new long[words];
    long[] resEx = new long[words];
    List<FileDescription> watched = new ArrayList<>();
    for (FileDescription d : descriptions) {
      if (d != null) {
        watched.add(d);
      }
    }
    int ready = waitUntilReady(t, watched, timeout, () -> {
      int count = 0;
      java.util.Arrays.fill(resIn, 0);
      java.util.Arrays.fill(resOut, 0);
      java.util.Arrays.fill(resEx, 0);
      for (int fd = 0; fd < n; fd++) {
        FileDescription d = descriptions[fd];
        if (d == null) {
          continue;
        }
        int mask = readiness(d, 0);
        count += mark(resIn, in, fd, mask & SELECT_READ);
        count += mark(resOut, out, fd, mask & SELECT_WRITE);
        count += mark(resEx, ex, fd, mask & SELECT_EXCEPT);
      }
      return count;
    });
    writeSet(t, readAddr, resIn);
    writeSet(t, writeAddr, resOut);
    writeSet(t, exceptAddr, resEx);
    return ready;
  }

  private static int mark(long[] result, long[] asked, int fd, int mask) {
    if (mask == 0 || !isSet(asked, fd)) {
      return 0;
    }
    result[fd >>> 6] |= 1L << (fd & 63);
    return 1;
  }

  private static boolean isSet(long[] set, int fd) {
    return set != null && (set[fd >>> 6] & (1L << (fd & 63))) != 0;
  }

  private static long[] readSet(Task t, long guestAddr, int words) {
    if (guestAddr == 0) {
      return null;
    }
    long[] set = new long[words];
    if (words > 0) {
      ByteBuffer b = ByteBuffer.wrap(GuestIo.read(t.memory(), guestAddr, words * 8))
          .order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < words; i++) {
        set[i] = b.getLong(i * 8);
      }
    }
    return set;
  }

  private static void writeSet(Task t, long guestAddr, long[] set) {
    if (guestAddr == 0 || set.length == 0) {
      return;
    }
    ByteBuffer b = ByteBuffer.allocate(set.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long word : set) {
      b.putLong(word);
    }
    GuestIo.write(t.memory(), guestAddr, b.array());
  }

  // ------------------------------------------------------------------- time and masks

  /** sec and nsec as nanoseconds, saturating (a huge timeout is as good as infinite). */
  private static long nanos(long sec, long nsec) {
    if (sec > (Long.MAX_VALUE - nsec) / StructLayouts.NSEC_PER_SEC) {
      return Long.MAX_VALUE;
    }
    return sec * StructLayouts.NSEC_PER_SEC + nsec;
  }

  /**
   * Writes the time left of {@code timeout} as a timeval or timespec. Linux ignores a failure
   * here ("If an application puts its timeval in read-only memory, we don't want the
   * Linux-specific update to the timeval to cause a fault after the select has completed").
   */
  static void writeTimeLeft(Task t, long guestAddr, long timeout, long start,
      boolean timeval) {
    long left = Math.max(0, timeout - (System.nanoTime() - start));
    try {
      if (timeval) {
        StructLayouts.writeTimeval(t.memory(), guestAddr, left);
      } else {
        StructLayouts.writeTimespec(t.memory(), guestAddr, left);
      }
    } catch (ErrnoException e) {
      // ignored, as Linux does
    }
  }

  /** Installs ppoll's or pselect6's mask for the wait (none: the caller's stays). */
  static void setWaitMask(Task t, Long mask) {
    if (mask != null) {
      t.setTemporaryMask(mask, t.signalMask());
    }
  }

  /**
   * Runs the wait of ppoll or pselect6. Unless a signal interrupted it, the caller's mask comes
   * back at once; after an interruption it stays until the handler has run, so that a signal
   * the wait's mask let through is delivered (as Linux's restore_saved_sigmask_unless).
   */
  static long withWaitMask(Task t, java.util.function.LongSupplier wait) {
    long result;
    try {
      result = wait.getAsLong();
    } catch (Interrupted i) {
      return -i.code();
    }
    SignalDelivery.restoreSavedMask(t);
    return result;
  }

  /**
   * The mask for the wait: null without one; EINVAL unless the size is sizeof(sigset_t); EFAULT
   * if unreadable. SIGKILL and SIGSTOP cannot be blocked.
   */
  static Long readSigmask(Task t, long guestAddr, long size) {
    if (guestAddr == 0) {
      return null;
    }
    if (size != SignalsSyscalls.SIGSET_SIZE) {
      throw Errno.EINVAL.exception();
    }
    return GuestIo.readLong(t.memory(), guestAddr) & ~Signals.UNBLOCKABLE;
  }

  /**
   * The one wait of poll and select: {@code check} counts the ready descriptors; until it finds
   * some, the task sleeps on the descriptions' wait queues until one of them signals a change,
   * the timeout passes (negative: none) or the task is interrupted (EINTR). A description that
   * has no queue (the host's standard streams, until the terminal layer signals them) is looked
   * at again every {@link #UNSIGNALLED_RECHECK_NS}.
   */
  static int waitUntilReady(Task t, List<FileDescription> watched, long timeout,
      IntSupplier check) {
    int ready = check.getAsInt();
    if (ready > 0 || timeout == 0) {
      return ready;
    }
    long start = System.nanoTime();
    long deadline = timeout < 0 || timeout > Long.MAX_VALUE - start ? Waiter.FOREVER
        : start + timeout;
    Set<WaitQueue> queues = new LinkedHashSet<>();
    boolean unsignalled = false;
    for (FileDescription d : watched) {
      WaitQueue q = d.pollQueue();
      if (q == null) {
        unsignalled = true;
      } else {
        queues.add(q);
      }
    }
    WaitQueue[] qs = queues.toArray(new WaitQueue[0]);
    int[] masks = new int[qs.length];
    java.util.Arrays.fill(masks, WaitQueue.ALL);
    int[] last = new int[1];
    while (true) {
      long until = deadline;
      if (unsignalled) {
        long tick = System.nanoTime() + UNSIGNALLED_RECHECK_NS;
        until = deadline == Waiter.FOREVER ? tick : Math.min(deadline, tick);
      }
      Waiter.Result r = t.waiter().await(qs, masks, until, () -> (last[0] = check.getAsInt()) > 0);
      if (r == Waiter.Result.READY) {
        return last[0];
      }
      if (r == Waiter.Result.INTERRUPTED) {
        // poll and select are "never restarted after being interrupted by a signal handler".
        throw Interrupted.RESTART_NOHAND;
      }
      if (deadline != Waiter.FOREVER && System.nanoTime() - deadline >= 0) {
        return check.getAsInt();
      }
    }
  }
}
