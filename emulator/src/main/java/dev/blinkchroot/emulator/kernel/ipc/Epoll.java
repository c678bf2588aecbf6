package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.fd.PollEvents;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7)): its interest list, the descriptors it watches with the events
 * asked for and the data handed back. Readiness is asked of each description when epoll_wait
 * looks (level-triggered); the wait itself is poll's ({@code PollSyscalls}), registered on the
 * descriptions' wait queues.
 *
 * <p>Edge-triggered entries (EPOLLET) are reported as level-triggered ones: a program written
 * for edge triggering reads until EAGAIN, so extra reports cost it a wasted read, never a
 * missed event. "EPOLLONESHOT ... after an event notification is pulled out with
 * epoll_wait(2) ... no other events will be reported by the epoll file descriptor" until
 * EPOLL_CTL_MOD re-arms it. An entry goes away when its descriptor no longer names the same
 * description in the waiting process's table (Linux keeps it until the description's last
 * descriptor is closed).
 */
public final class Epoll extends AnonInodeFile {
  public static final int EPOLL_CLOEXEC = Fcntl.O_CLOEXEC;
  public static final int EPOLLEXCLUSIVE = 1 << 28;
  public static final int EPOLLWAKEUP = 1 << 29;
  public static final int EPOLLONESHOT = 1 << 30;
  public static final int EPOLLET = 1 << 31;
  /** sizeof(struct epoll_event): {uint32_t events; uint64_t data;}, packed on x86-64. */
  public static final int EVENT_SIZE = 12;
  /** What is reported whether asked for or not (epoll_ctl(2)). */
  private static final int ALWAYS = PollEvents.POLLERR | PollEvents.POLLHUP;
  private static final int FLAG_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;

  private static final class Entry {
    final int fd;
    final FileDescription description;
    int events;
    long data;
    /** An EPOLLONESHOT entry that has reported: silent until EPOLL_CTL_MOD. */
    boolean disabled;

    Entry(int fd, FileDescription description, int events, long data) {
      this.fd = fd;
      this.description = description;
      this.events = events;
      this.data = data;
    }
  }

  private final Map<Integer, Entry> interest = new LinkedHashMap<>();

  public Epoll(int flags, KernelFiles files) {
    super("eventpoll", flags, files);
  }

  /**
   * EPOLL_CTL_ADD: "EEXIST op was EPOLL_CTL_ADD, and the supplied file descriptor fd is already
   * registered with this epoll instance."
   */
  public synchronized void add(int fd, FileDescription d, int events, long data) {
    if (interest.containsKey(fd)) {
      throw Errno.EEXIST.exception();
    }
    interest.put(fd, new Entry(fd, d, events, data));
  }

  /**
   * EPOLL_CTL_MOD: new events and data, re-arming an EPOLLONESHOT entry; "ENOENT ... fd is not
   * registered with this epoll instance"; EINVAL for EPOLLEXCLUSIVE, which only ADD may give.
   */
  public synchronized void modify(int fd, int events, long data) {
    Entry e = registered(fd);
    if ((events & EPOLLEXCLUSIVE) != 0 || (e.events & EPOLLEXCLUSIVE) != 0) {
      throw Errno.EINVAL.exception();
    }
    e.events = events;
    e.data = data;
    e.disabled = false;
  }

  /** EPOLL_CTL_DEL: ENOENT if {@code fd} is not registered. */
  public synchronized void remove(int fd) {
    registered(fd);
    interest.remove(fd);
  }

  private Entry registered(int fd) {
    Entry e = interest.get(fd);
    if (e == null) {
      throw Errno.ENOENT.exception();
    }
    return e;
  }

  /** The descriptions watched now (whose wait queues epoll_wait sleeps on). */
  public synchronized List<FileDescription> watched() {
    List<FileDescription> all = new ArrayList<>();
    for (Entry e : interest.values()) {
      all.add(e.description);
    }
    return all;
  }

  /**
   * Collects up to {@code max} ready entries into {@code out} as struct epoll_event records.
   * Entries whose descriptor is gone from {@code fds} are dropped. Returns how many were
   * written.
   */
  public synchronized int collect(FdTable fds, int max, ByteBuffer out) {
    int n = 0;
    for (Iterator<Entry> it = interest.values().iterator(); it.hasNext() && n < max; ) {
      Entry e = it.next();
      if (fds.lookup(e.fd) != e.description) {
        it.remove();
        continue;
      }
      int ready = ready(e);
      if (ready == 0) {
        continue;
      }
      out.putInt(n * EVENT_SIZE, ready).putLong(n * EVENT_SIZE + 4, e.data);
      n++;
      if ((e.events & EPOLLONESHOT) != 0) {
        e.disabled = true;
      }
    }
    return n;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw Errno.EINVAL.exception();
  }

  @Override
  public int write(ByteBuffer src) {
    throw Errno.EINVAL.exception();
  }

  /**
   * An epoll instance is itself readable while an entry is ready. It has no wait queue of its
   * own: a poller of it looks again now and then.
   */
  @Override
  public int pollReady(int events) {
    List<Entry> entries;
    synchronized (this) {
      entries = new ArrayList<>(interest.values());
    }
    for (Entry e : entries) {
      if (ready(e) != 0) {
        return PollEvents.READABLE;
      }
    }
    return 0;
  }

  /** The events of {@code e} to report now (an error while asking is EPOLLERR). */
  private static int ready(Entry e) {
    if (e.disabled) {
      return 0;
    }
    int ready;
    try {
      ready = e.description.pollReady(e.events);
    } catch (ErrnoException x) {
      ready = PollEvents.POLLERR;
    }
    return ready & ((e.events & ~FLAG_BITS) | ALWAYS);
  }

  /**
   * Whether {@code other} is this instance or is watched by it, directly or through the
   * instances it watches: adding such an instance to {@code other} would make a loop ("ELOOP
   * fd refers to an epoll instance and this EPOLL_CTL_ADD operation would result in a circular
   * loop of epoll instances monitoring one another").
   */
  public boolean reaches(Epoll other) {
    if (other == this) {
      return true;
    }
    for (FileDescription d : watched()) {
      if (d instanceof Epoll && ((Epoll) d).reaches(other)) {
        return true;
      }
    }
    return false;
  }
}
