package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Inode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The page caches of one kernel, one per inode that is mapped shared right now ({@link
 * PageCache}). Reads and writes ask here first, so the lookup must be cheap when nothing is
 * mapped: {@link #of} answers without locking then.
 */
public final class PageCaches {
  private final Map<Inode, PageCache> byInode = new IdentityHashMap<>();
  /** Mapped files right now: lets every read and write skip the lookup while there are none. */
  private volatile int live;

  /**
   * The cache of {@code inode} for a new shared mapping in {@code user}, created on first use;
   * {@code writable} when the mapping's description was open for writing. Each call must be
   * matched by a {@link PageCache#release}.
   *
   * @throws ErrnoException if the file cannot be opened (EACCES, EIO...)
   */
  PageCache acquire(Inode inode, boolean writable, GuestMemory user) {
    PageCache cache;
    synchronized (byInode) {
      cache = byInode.computeIfAbsent(inode, i -> new PageCache(this, i));
      try {
        cache.addUser(writable, user);
      } catch (ErrnoException e) {
        if (cache.unreferenced()) {
          byInode.remove(inode);
        }
        throw e;
      }
      live = byInode.size();
    }
    return cache;
  }

  /** The last reference to {@code cache} gone: it writes back and leaves the registry. */
  void release(PageCache cache) {
    synchronized (byInode) {
      if (cache.dropReference()) {
        byInode.remove(cache.inode());
      }
      live = byInode.size();
    }
  }

  /** The cache of {@code inode} if it is mapped shared somewhere, else null. Cheap when none is. */
  public PageCache of(Inode inode) {
    if (live == 0) {
      return null;
    }
    synchronized (byInode) {
      return byInode.get(inode);
    }
  }

  /**
   * Runs {@code change}, which may rewrite any part of {@code inode}'s data (truncate,
   * fallocate), keeping a page cache of it coherent.
   */
  public void changing(Inode inode, Runnable change) {
    PageCache cache = of(inode);
    if (cache == null) {
      change.run();
    } else {
      cache.resize(change);
    }
  }

  /** Whether any file is mapped shared now (so truncate by path must look for a cache). */
  public boolean anyLive() {
    return live != 0;
  }
}
