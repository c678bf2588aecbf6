package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.memory.FrameSource;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.Inode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.IntSupplier;

/**
 * The pages of one regular file that MAP_SHARED mappings use: Linux's page cache, kept only while
 * a file is mapped shared. Every shared mapping of a file page, in any address space, uses the
 * same frame, so mappings see each other's stores at once. read(2) and write(2) on the file stay
 * coherent with the frames: a read first writes back what the mappings changed in its range (so
 * it sees their stores), a write first does the same and afterwards reloads the frames it covered
 * (so the mappings see it). ftruncate, truncate and fallocate do likewise for the whole file.
 *
 * <p>Which bytes the mappings changed: each frame of a cache with a writable mapping keeps the
 * bytes last exchanged with the file (its baseline); write-back writes only the runs that differ,
 * within the file's size (a store past the end of the file never extends it, as on Linux, where
 * it would be SIGBUS). A file only ever mapped read-only keeps no baselines and never writes.
 *
 * <p>Lock order: a {@link GuestMemory} calls {@link #frame} holding its own lock, so this class
 * never calls into a memory while holding its own; it tells the memories about rewritten frames
 * (to drop decoded code) after letting go.
 */
public final class PageCache implements FrameSource {
  static final int PAGE = GuestMemory.PAGE_SIZE;

  private final PageCaches registry;
  private final Inode inode;
  private FileContent content;
  private boolean writable;
  private final Map<Long, byte[]> frames = new HashMap<>();
  /** File page to the bytes last exchanged with the file; only while {@link #writable}. */
  private final Map<Long, byte[]> baseline = new HashMap<>();
  /** The address spaces that may hold frames (to drop code decoded from a rewritten frame). */
  private final Set<GuestMemory> users = Collections.newSetFromMap(new WeakHashMap<>());
  private int references;

  PageCache(PageCaches registry, Inode inode) {
    this.registry = registry;
    this.inode = inode;
  }

  /** Another reference to this cache (a fork child's copy of a mapping). */
  synchronized PageCache retain(GuestMemory user) {
    references++;
    users.add(user);
    return this;
  }

  /** Drops one reference; the last writes back what the mappings changed and closes the file. */
  void release() {
    registry.release(this);
  }

  /** The registry's part of the last release, under its lock: returns true if this was the last. */
  synchronized boolean dropReference() {
    if (--references > 0) {
      return false;
    }
    try {
      flush(0, Long.MAX_VALUE);
    } catch (ErrnoException lost) {
      // munmap and exit cannot report it; Linux would report it at the next fsync.
    }
    content.close();
    content = null;
    frames.clear();
    baseline.clear();
    return true;
  }

  /** The registry's part of the first acquisition: opens the file and counts the user. */
  synchronized void addUser(boolean writable, GuestMemory user) {
    open(writable);
    references++;
    users.add(user);
  }

  synchronized boolean unreferenced() {
    return references == 0;
  }

  Inode inode() {
    return inode;
  }


  private void open(boolean forWriting) {
    if (content == null || (forWriting && !writable)) {
      FileContent opened = inode.openContent(forWriting);
      if (content != null) {
        content.close();
      }
      content = opened;
    }
    if (forWriting && !writable) {
      writable = true;
      // Frames of a read-only cache were never changed by a mapping: they match the file.
      frames.forEach((page, frame) -> baseline.put(page, frame.clone()));
    }
  }

  @Override
  public synchronized byte[] frame(long pageIndex) {
    byte[] frame = frames.get(pageIndex);
    if (frame == null) {
      frame = new byte[PAGE];
      if (content == null) {
        // Released by a racing munmap that has not unmapped the range yet: nothing can reach
        // the file any more, so the touching thread gets a page of its own.
        return frame;
      }
      try {
        readPage(pageIndex, frame);
      } catch (ErrnoException e) {
        // A fault cannot fail softly here; the guest reads zeros (Linux would raise SIGBUS).
      }
      frames.put(pageIndex, frame);
      if (writable) {
        baseline.put(pageIndex, frame.clone());
      }
    }
    return frame;
  }

  // ---------------------------------------------------------------- coherence with read/write

  /** read(2) of [pos, pos + length): the mappings' changes there reach the file first. */
  public void beforeRead(long pos, long length) {
    synchronized (this) {
      if (content != null) {
        flush(pos, length);
      }
    }
  }

  /**
   * write(2) of {@code length} bytes at {@code pos} (the end of the file for O_APPEND, where
   * {@code pos} is only a hint of where the write lands): flushes the range, runs {@code write},
   * and reloads the frames the written bytes fall in. Returns what {@code write} returned.
   */
  public int write(long pos, long length, IntSupplier write) {
    List<Long> rewritten;
    int n;
    synchronized (this) {
      if (content == null) {
        return write.getAsInt(); // released since it was looked up: nothing is mapped
      }
      flush(pos, length);
      long sizeBefore = content.size();
      n = write.getAsInt();
      long from = Math.min(pos, sizeBefore);
      rewritten = reload(from, Math.max(content.size(), pos + Math.max(n, 0)) - from);
    }
    tellUsers(rewritten);
    return n;
  }

  /** ftruncate, truncate and fallocate: {@code change} may rewrite any part of the file. */
  void resize(Runnable change) {
    List<Long> rewritten;
    synchronized (this) {
      if (content == null) {
        change.run(); // released since it was looked up
        return;
      }
      flush(0, Long.MAX_VALUE);
      change.run();
      rewritten = reload(0, Long.MAX_VALUE);
    }
    tellUsers(rewritten);
  }

  // ---------------------------------------------------------------- msync, MADV_REMOVE

  /**
   * msync and munmap of file range [pos, pos + length): what the mappings changed reaches the
   * file; with {@code durable} it is also synced. Throws what the file refused (EIO, ENOSPC).
   */
  synchronized void writeBack(long pos, long length, boolean durable) {
    flush(pos, length);
    if (durable) {
      content.sync();
    }
  }

  /** MADV_REMOVE: [pos, pos + length) reads as zeros, in the frames and in the file. */
  void zero(long pos, long length) {
    List<Long> rewritten;
    synchronized (this) {
      flush(pos, length);
      long end = Math.min(pos + length, content.size());
      byte[] zeros = new byte[PAGE];
      for (long at = pos; at < end; ) {
        int n = (int) Math.min(PAGE, end - at);
        at += writeFully(at, ByteBuffer.wrap(zeros, 0, n));
      }
      rewritten = reload(pos, length);
    }
    tellUsers(rewritten);
  }

  // ---------------------------------------------------------------- internals (hold the lock)

  /** Writes the changed runs of the frames overlapping [pos, pos + length) to the file. */
  private void flush(long pos, long length) {
    if (!writable || frames.isEmpty()) {
      return;
    }
    long size = content.size();
    for (Map.Entry<Long, byte[]> e : overlapping(pos, length)) {
      long page = e.getKey();
      byte[] frame = e.getValue();
      byte[] base = baseline.get(page);
      long pagePos = page * PAGE;
      int i = 0;
      while (i < PAGE) {
        if (frame[i] == base[i]) {
          i++;
          continue;
        }
        int runStart = i;
        while (i < PAGE && frame[i] != base[i]) {
          i++;
        }
        // Only the part within the file is written and becomes the baseline; bytes past the
        // end stay different and reach the file if it grows before the next flush.
        int inFile = (int) Math.max(runStart, Math.min(i, size - pagePos));
        if (inFile > runStart) {
          writeFully(pagePos + runStart, ByteBuffer.wrap(frame, runStart, inFile - runStart));
          System.arraycopy(frame, runStart, base, runStart, inFile - runStart);
        }
      }
    }
  }

  /**
   * Re-reads the frames overlapping [pos, pos + length) from the file; returns the indexes of
   * those that changed.
   */
  private List<Long> reload(long pos, long length) {
    List<Long> changed = new ArrayList<>();
    byte[] fresh = new byte[PAGE];
    for (Map.Entry<Long, byte[]> e : overlapping(pos, length)) {
      byte[] frame = e.getValue();
      try {
        readPage(e.getKey(), fresh);
      } catch (ErrnoException refused) {
        continue;
      }
      if (!Arrays.equals(fresh, frame)) {
        System.arraycopy(fresh, 0, frame, 0, PAGE);
        changed.add(e.getKey());
      }
      if (writable) {
        baseline.put(e.getKey(), fresh.clone());
      }
    }
    return changed;
  }

  private List<Map.Entry<Long, byte[]>> overlapping(long pos, long length) {
    long first = pos / PAGE;
    long end = length > Long.MAX_VALUE - pos ? Long.MAX_VALUE : pos + length;
    long last = (end - 1) / PAGE;
    List<Map.Entry<Long, byte[]>> out = new ArrayList<>();
    if (last - first < frames.size()) {
      for (long p = first; p <= last && p >= first; p++) {
        byte[] f = frames.get(p);
        if (f != null) {
          out.add(Map.entry(p, f));
        }
      }
    } else {
      for (Map.Entry<Long, byte[]> e : frames.entrySet()) {
        if (e.getKey() >= first && e.getKey() <= last) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** Fills {@code frame} with file page {@code pageIndex}, zeros past the end of the file. */
  private void readPage(long pageIndex, byte[] frame) {
    Arrays.fill(frame, (byte) 0);
    ByteBuffer dst = ByteBuffer.wrap(frame);
    long pos = pageIndex * PAGE;
    while (dst.hasRemaining() && content.read(pos + dst.position(), dst) > 0) {
      // until the page is full or the file ends
    }
  }

  private int writeFully(long pos, ByteBuffer src) {
    int done = 0;
    while (src.hasRemaining()) {
      int n = content.write(pos + done, src);
      if (n <= 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  private void tellUsers(List<Long> rewritten) {
    if (rewritten.isEmpty()) {
      return;
    }
    List<GuestMemory> memories;
    synchronized (this) {
      memories = new ArrayList<>(users);
    }
    for (GuestMemory m : memories) {
      rewritten.forEach(page -> m.sharedPageWritten(this, page));
    }
  }
}
