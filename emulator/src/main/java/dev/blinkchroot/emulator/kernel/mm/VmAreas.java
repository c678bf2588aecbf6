package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.kernel.loader.LoadLayout;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one guest address space knows about its mappings beyond the pages and protections that
 * {@link GuestMemory} keeps: which ranges come from a file (and which file, at which offset),
 * which are MAP_SHARED, which were made MAP_GROWSDOWN; where mmap places mappings; the membarrier
 * registrations. A range with no area is private anonymous memory (what exec, brk and anonymous
 * mmap make).
 *
 * <p>One instance per {@link AddressSpace}, which also releases it (exit and exec) and copies it
 * (fork). The instance is the lock that serialises the memory system calls of one address space
 * (Linux's mmap_lock).
 */
public final class VmAreas {
  static final long PAGE = GuestMemory.PAGE_SIZE;

  /** madvise(MADV_DONTFORK): a fork child does not get the range. */
  public static final int DONT_FORK = 1;
  /** madvise(MADV_WIPEONFORK): a fork child gets the range zero-filled. */
  public static final int WIPE_ON_FORK = 2;

  /**
   * A range [start, end) with what it maps: a file ({@code file}), shared anonymous memory
   * ({@code shmem}) or neither; {@code fileOffset} is the offset of start in the file or the
   * shared memory object; {@code forkAdvice} holds {@link #DONT_FORK} and {@link #WIPE_ON_FORK}.
   */
  public record Area(long start, long end, boolean shared, boolean growsDown, MappedFile file,
      long fileOffset, SharedAnonymous shmem, int forkAdvice) {
    /** An area of private memory or of a file. */
    public Area(long start, long end, boolean shared, boolean growsDown, MappedFile file,
        long fileOffset) {
      this(start, end, shared, growsDown, file, fileOffset, null, 0);
    }

    /** A MAP_SHARED anonymous mapping of {@code shmem} from its start. */
    public static Area sharedAnonymous(long start, long end, SharedAnonymous shmem) {
      return new Area(start, end, true, false, null, 0, shmem, 0);
    }

    /** Private anonymous memory: no file, not shared. */
    public boolean privateAnonymous() {
      return !shared && file == null;
    }

    public Area slice(long s, long e) {
      boolean backed = file != null || shmem != null;
      return new Area(s, e, shared, growsDown, file, backed ? fileOffset + (s - start) : 0, shmem,
          forkAdvice);
    }

    /** The same area with fork advice {@code advice}. */
    public Area withForkAdvice(int advice) {
      return new Area(start, end, shared, growsDown, file, fileOffset, shmem, advice);
    }

    Area shifted(long delta) {
      return new Area(start + delta, end + delta, shared, growsDown, file, fileOffset, shmem,
          forkAdvice);
    }
  }

  private final TreeMap<Long, Area> byStart = new TreeMap<>();
  /** Where top-down placement starts (Linux's mm->mmap_base); exec may move it (ASLR). */
  private long mmapBase = LoadLayout.MMAP_BASE;
  /** MEMBARRIER_CMD_REGISTER_* commands this address space has issued (a bit mask). */
  public int membarrierRegistrations;

  VmAreas() {}

  /** Exec: where mmap without a hint places mappings in this address space (below it). */
  public synchronized void setMmapBase(long base) {
    mmapBase = base;
  }

  public synchronized long mmapBase() {
    return mmapBase;
  }

  /**
   * Fork: the child's address space ({@code child}, a copy of this one's pages) gets the same
   * areas. A shared file mapping writes the child's changes back separately.
   */
  synchronized VmAreas forkCopy(GuestMemory child) {
    VmAreas to = new VmAreas();
    Map<MappedFile, MappedFile> copies = new java.util.IdentityHashMap<>();
    for (Area a : byStart.values()) {
      if ((a.forkAdvice() & DONT_FORK) != 0) {
        continue;
      }
      MappedFile f = a.file() == null ? null
          : copies.computeIfAbsent(a.file(), file -> file.forkCopy(child));
      to.put(new Area(a.start(), a.end(), a.shared(), a.growsDown(), f, a.fileOffset(),
          a.shmem(), a.forkAdvice()));
    }
    to.mmapBase = mmapBase;
    to.membarrierRegistrations = 0; // a new mm starts unregistered
    return to;
  }

  // ---------------------------------------------------------------- the table

  /** The area holding {@code addr}, or null (private anonymous or unmapped). */
  public synchronized Area at(long addr) {
    Map.Entry<Long, Area> e = byStart.floorEntry(addr);
    return e != null && e.getValue().end() > addr ? e.getValue() : null;
  }

  /** The areas overlapping [start, end), unclipped, ascending. */
  public synchronized List<Area> overlapping(long start, long end) {
    List<Area> out = new ArrayList<>();
    Area first = at(start);
    if (first != null) {
      out.add(first);
    }
    out.addAll(byStart.subMap(start, false, end, false).values());
    return out;
  }

  /** Records {@code a}, replacing what overlaps it. */
  public synchronized void add(Area a) {
    if (a.file() != null) {
      a.file().references++; // held across the removal, which may drop the file's last area
    }
    remove(a.start(), a.end());
    byStart.put(a.start(), a);
  }

  /** Forgets [start, end), trimming areas that overlap it. */
  public synchronized void remove(long start, long end) {
    for (Area a : overlapping(start, end)) {
      byStart.remove(a.start());
      if (a.start() < start) {
        put(a.slice(a.start(), start));
      }
      if (a.end() > end) {
        put(a.slice(end, a.end()));
      }
      unref(a); // after the slices took their references, so the file stays open for them
    }
  }

  private void put(Area a) {
    if (a.file() != null) {
      a.file().references++;
    }
    Area old = byStart.put(a.start(), a);
    if (old != null) {
      unref(old);
    }
  }

  private static void unref(Area a) {
    if (a.file() != null && --a.file().references == 0) {
      a.file().release();
    }
  }

  /**
   * The range [start, end) stops being what it was (munmap, MAP_FIXED over it, mremap away):
   * shared file areas write their changes back first, then the areas and the names go.
   */
  public synchronized void detach(GuestMemory memory, FileMappings names, long start, long end) {
    writeBack(memory, start, end, false);
    remove(start, end);
    if (names != null) {
      names.remove(start, end);
    }
  }

  /**
   * msync and munmap: shared file areas in [start, end) write their changed bytes back. Returns
   * false if the file refused some (EIO, ENOSPC...): msync reports that as EIO, munmap succeeds
   * regardless, as on Linux (where the page cache would report it at the next fsync).
   */
  public synchronized boolean writeBack(GuestMemory memory, long start, long end, boolean sync) {
    boolean ok = true;
    byte[] page = new byte[(int) PAGE];
    for (Area a : overlapping(start, end)) {
      if (a.file() == null || !a.file().writesBack()) {
        continue;
      }
      long s = Math.max(a.start(), start);
      long e = Math.min(a.end(), end);
      PageCache cache = a.file().cache();
      if (cache != null) {
        try {
          cache.writeBack(a.fileOffset() + (s - a.start()), e - s, sync);
        } catch (ErrnoException refused) {
          ok = false;
        }
        continue;
      }
      for (long p = s; p < e; p += PAGE) {
        if (memory.protectionAt(p) == GuestMemory.PROT_NONE) {
          // Its bytes cannot be read without changing its protection under the guest's other
          // threads; a page the guest made inaccessible keeps its last written-back state.
          continue;
        }
        try {
          memory.readBytes(p, page, 0, page.length);
        } catch (MemoryFault unmappedMeanwhile) {
          continue;
        }
        try {
          a.file().writeBack((a.fileOffset() + (p - a.start())) / PAGE, page);
        } catch (ErrnoException refused) {
          ok = false;
        }
      }
      if (sync) {
        try {
          a.file().sync();
        } catch (ErrnoException refused) {
          ok = false;
        }
      }
    }
    return ok;
  }

  /**
   * Fills [start, end) of file area {@code a} (already mapped, writable or about to be made so by
   * the caller) with the file's bytes, zero past its end, and records the baseline. The range is
   * mapped read-write by the caller and protected afterwards. Not for an area with a page cache,
   * which is mapped with {@link GuestMemory#mapShared} instead.
   */
  public static void fill(GuestMemory memory, Area a, long start, long end, boolean atMapTime) {
    byte[] chunk = new byte[(int) PAGE];
    for (long p = start; p < end; p += PAGE) {
      long filePos = a.fileOffset() + (p - a.start());
      a.file().read(filePos, chunk, atMapTime);
      if (!MappedFile.isZero(chunk)) {
        memory.writeBytes(p, chunk, 0, chunk.length); // fresh pages are already zero
      }
      a.file().setBaseline(filePos / PAGE, chunk);
    }
  }

  /** A piece of a mapped range with one protection and one area (null: private anonymous). */
  public record Piece(long start, long end, int prot, Area area) {}

  /**
   * The mapped parts of [start, end) cut where the protection or the area changes: the nearest
   * thing to Linux's VMAs that the range overlaps. Unmapped parts are absent.
   */
  public synchronized List<Piece> pieces(GuestMemory memory, long start, long end) {
    List<Piece> out = new ArrayList<>();
    for (GuestMemory.Mapping m : memory.mappings()) {
      long s = Math.max(m.start(), start);
      long e = Math.min(m.end(), end);
      long at = s;
      while (at < e) {
        Area a = at(at);
        long pe;
        if (a != null) {
          pe = Math.min(e, a.end());
        } else {
          Map.Entry<Long, Area> next = byStart.higherEntry(at);
          pe = next == null ? e : Math.min(e, next.getKey());
        }
        out.add(new Piece(at, pe, m.prot(), a));
        at = pe;
      }
    }
    return out;
  }

  /** Moves the areas of [from, from + length) to start at {@code to} (mremap). */
  public synchronized void move(long from, long length, long to) {
    List<Area> moving = new ArrayList<>();
    for (Area a : overlapping(from, from + length)) {
      moving.add(a.slice(Math.max(a.start(), from), Math.min(a.end(), from + length)));
    }
    for (Area a : moving) {
      put(a.shifted(to - from)); // referenced before the old range lets go of the file
    }
    remove(from, from + length);
  }

  /** Whether every page of [start, end) is mapped. */
  public static boolean covered(GuestMemory memory, long start, long end) {
    long at = start;
    for (GuestMemory.Mapping m : memory.mappings()) {
      if (m.end() <= at) {
        continue;
      }
      if (m.start() > at) {
        return false;
      }
      at = m.end();
      if (at >= end) {
        return true;
      }
    }
    return at >= end;
  }

  /** Whether no page of [start, start + length) is mapped (and the range is in user space). */
  public static boolean isFree(GuestMemory memory, long start, long length) {
    if (length <= 0 || start < 0 || start > GuestMemory.TASK_SIZE - length) {
      return false;
    }
    return memory.findUnmapped(length, start, start + length) == start;
  }

  /** Whether any page of [start, end) is mapped. */
  public static boolean anyMapped(GuestMemory memory, long start, long end) {
    for (GuestMemory.Mapping m : memory.mappings()) {
      if (m.start() < end && m.end() > start) {
        return true;
      }
    }
    return false;
  }
}
