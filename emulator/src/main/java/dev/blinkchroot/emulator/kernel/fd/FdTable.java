package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process's file descriptors: small integers mapped to shared {@link FileDescription}s, each
 * with its close-on-exec flag. Descriptions are reference-counted here: the last close releases
 * one. Thread-safe (the threads of a process share the table).
 */
public final class FdTable {
  /** RLIMIT_NOFILE's soft default on Linux. */
  public static final int DEFAULT_LIMIT = 1024;

  private static final class Slot {
    final Counted description;
    boolean closeOnExec;

    Slot(Counted description, boolean closeOnExec) {
      this.description = description;
      this.closeOnExec = closeOnExec;
    }
  }

  /** A description and how many slots, in any table, refer to it (fork shares them). */
  private static final class Counted {
    final FileDescription file;
    final java.util.concurrent.atomic.AtomicInteger references =
        new java.util.concurrent.atomic.AtomicInteger();

    Counted(FileDescription file) {
      this.file = file;
    }
  }

  private Slot[] slots = new Slot[64];
  private int limit = DEFAULT_LIMIT;
  /** Processes sharing this table (CLONE_FILES); the last release closes everything. */
  private int users = 1;

  /** The description of {@code fd}, or EBADF. */
  public synchronized FileDescription get(int fd) {
    Slot s = fd >= 0 && fd < slots.length ? slots[fd] : null;
    if (s == null) {
      throw Errno.EBADF.exception();
    }
    return s.description.file;
  }

  /** The description of {@code fd}, or null when it is not open. */
  public synchronized FileDescription lookup(int fd) {
    Slot s = fd >= 0 && fd < slots.length ? slots[fd] : null;
    return s == null ? null : s.description.file;
  }

  /** Installs a new description at the lowest free descriptor; EMFILE when none is left. */
  public synchronized int add(FileDescription file, boolean closeOnExec) {
    return addAtLeast(new Counted(file), 0, closeOnExec);
  }

  /**
   * Opening a /proc/PID/fd/N link to what has no path (a pipe of the host, a terminal): the
   * lowest free descriptor here refers to descriptor {@code fd} of {@code from} (maybe another
   * process's table), as a dup would, if it still holds {@code expected}; ENOENT otherwise.
   */
  public int addShared(FdTable from, int fd, FileDescription expected, boolean closeOnExec) {
    Counted shared;
    synchronized (from) {
      Slot s = fd >= 0 && fd < from.slots.length ? from.slots[fd] : null;
      if (s == null || s.description.file != expected) {
        throw Errno.ENOENT.exception();
      }
      shared = s.description;
      shared.references.incrementAndGet(); // held while we add: the other side may close it
    }
    try {
      synchronized (this) {
        return addAtLeast(shared, 0, closeOnExec);
      }
    } finally {
      release(shared);
    }
  }

  /** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free descriptor at or above {@code minFd}. */
  public synchronized int dupAtLeast(int fd, int minFd, boolean closeOnExec) {
    Slot s = slot(fd);
    if (minFd < 0 || minFd >= limit) {
      throw Errno.EINVAL.exception();
    }
    return addAtLeast(s.description, minFd, closeOnExec);
  }

  /** dup2/dup3: {@code newFd} refers to {@code fd}'s description; an open newFd closes first. */
  public synchronized int dupTo(int fd, int newFd, boolean closeOnExec) {
    Slot s = slot(fd);
    if (newFd < 0 || newFd >= limit) {
      throw Errno.EBADF.exception();
    }
    if (fd == newFd) {
      return newFd;
    }
    ensureCapacity(newFd + 1);
    Slot old = slots[newFd];
    s.description.references.incrementAndGet();
    slots[newFd] = new Slot(s.description, closeOnExec);
    if (old != null) {
      release(old.description);
    }
    return newFd;
  }

  /** close(2). */
  public synchronized void close(int fd) {
    Slot s = slot(fd);
    slots[fd] = null;
    release(s.description);
  }

  /** close_range(2) without flags: closes every open descriptor in [first, last]. */
  public synchronized void closeRange(int first, int last, boolean onlySetCloexec) {
    for (int fd = Math.max(first, 0); fd <= last && fd < slots.length; fd++) {
      Slot s = slots[fd];
      if (s == null) {
        continue;
      }
      if (onlySetCloexec) {
        s.closeOnExec = true;
      } else {
        slots[fd] = null;
        release(s.description);
      }
    }
  }

  public synchronized boolean closeOnExec(int fd) {
    return slot(fd).closeOnExec;
  }

  public synchronized void setCloseOnExec(int fd, boolean on) {
    slot(fd).closeOnExec = on;
  }

  /** At exec: closes the descriptors marked close-on-exec. */
  public synchronized void closeOnExec() {
    for (int fd = 0; fd < slots.length; fd++) {
      Slot s = slots[fd];
      if (s != null && s.closeOnExec) {
        slots[fd] = null;
        release(s.description);
      }
    }
  }

  /** A copy sharing every description, as fork gives the child. */
  public synchronized FdTable copy() {
    FdTable t = new FdTable();
    t.slots = new Slot[slots.length];
    t.limit = limit;
    for (int fd = 0; fd < slots.length; fd++) {
      Slot s = slots[fd];
      if (s != null) {
        s.description.references.incrementAndGet();
        t.slots[fd] = new Slot(s.description, s.closeOnExec);
      }
    }
    return t;
  }

  /** Closes everything (process exit). */
  public synchronized void closeAll() {
    closeRange(0, slots.length - 1, false);
  }

  /** The open descriptors in ascending order (for /proc/PID/fd). */
  public synchronized List<Integer> openDescriptors() {
    List<Integer> fds = new ArrayList<>();
    for (int fd = 0; fd < slots.length; fd++) {
      if (slots[fd] != null) {
        fds.add(fd);
      }
    }
    return fds;
  }

  /**
   * The size of the descriptor table: 64 slots, doubled as higher descriptors are used (Linux's
   * fdtable grows the same way from BITS_PER_LONG). select(2) looks at no bit beyond it.
   */
  public synchronized int capacity() {
    return slots.length;
  }

  public synchronized int limit() {
    return limit;
  }

  /** RLIMIT_NOFILE's soft limit. */
  public synchronized void setLimit(int limit) {
    this.limit = limit;
  }

  private Slot slot(int fd) {
    Slot s = fd >= 0 && fd < slots.length ? slots[fd] : null;
    if (s == null) {
      throw Errno.EBADF.exception();
    }
    return s;
  }

  private int addAtLeast(Counted description, int minFd, boolean closeOnExec) {
    for (int fd = minFd; fd < limit; fd++) {
      ensureCapacity(fd + 1);
      if (slots[fd] == null) {
        description.references.incrementAndGet();
        slots[fd] = new Slot(description, closeOnExec);
        return fd;
      }
    }
    throw Errno.EMFILE.exception();
  }

  private void ensureCapacity(int size) {
    if (size > slots.length) {
      slots = Arrays.copyOf(slots, Math.max(size, slots.length * 2));
    }
  }

  private static void release(Counted c) {
    if (c.references.decrementAndGet() == 0) {
      c.file.close();
    }
  }

  /** Another process shares this table (CLONE_FILES). */
  public synchronized FdTable retain() {
    users++;
    return this;
  }

  /** How many processes share this table. */
  public synchronized int users() {
    return users;
  }

  /** A process is done with the table (exit): the last one closes every descriptor. */
  public synchronized void release() {
    if (users > 0 && --users == 0) {
      closeAll();
    }
  }
}
