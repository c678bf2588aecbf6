package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.MMAP_MIN_ADDR;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.PAGE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.PROT_READ;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.PROT_WRITE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.TASK_SIZE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.check;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.pageUp;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscalls.unaligned;

import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.mm.VmAreas.Area;
import dev.blinkchroot.emulator.kernel.mm.VmAreas.Piece;
import dev.blinkchroot.emulator.kernel.mm.VmAreas;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.List;

/** mremap and madvise: the calls that move, resize and advise on existing mappings. */
public final class MemoryRemap {
  private MemoryRemap() {}

  static final int MREMAP_MAYMOVE = 1;
  static final int MREMAP_FIXED = 2;
  static final int MREMAP_DONTUNMAP = 4;

  static final int MADV_NORMAL = 0;
  static final int MADV_RANDOM = 1;
  static final int MADV_SEQUENTIAL = 2;
  static final int MADV_WILLNEED = 3;
  static final int MADV_DONTNEED = 4;
  static final int MADV_FREE = 8;
  static final int MADV_REMOVE = 9;
  static final int MADV_DONTFORK = 10;
  static final int MADV_DOFORK = 11;
  static final int MADV_MERGEABLE = 12;
  static final int MADV_UNMERGEABLE = 13;
  static final int MADV_HUGEPAGE = 14;
  static final int MADV_NOHUGEPAGE = 15;
  static final int MADV_DONTDUMP = 16;
  static final int MADV_DODUMP = 17;
  static final int MADV_WIPEONFORK = 18;
  static final int MADV_KEEPONFORK = 19;
  static final int MADV_COLD = 20;
  static final int MADV_PAGEOUT = 21;
  static final int MADV_POPULATE_READ = 22;
  static final int MADV_POPULATE_WRITE = 23;
  static final int MADV_DONTNEED_LOCKED = 24;
  static final int MADV_COLLAPSE = 25;

  // ---------------------------------------------------------------- mremap

  /**
   * mremap(old_address, old_size, new_size, flags, new_address). In Linux's order: unknown flags,
   * MREMAP_FIXED or MREMAP_DONTUNMAP without MREMAP_MAYMOVE, a misaligned old_address or
   * new_address, a zero new_size, DONTUNMAP with a size change, overlapping FIXED ranges: EINVAL.
   * Shrinking unmaps the tail in place (and checks nothing else, as Linux). "EFAULT Some address
   * in the range old_address to old_address+old_size is an invalid virtual memory address": the
   * old range must lie in one mapping (one protection, one file or anonymous area). Growing
   * extends in place when the pages after the mapping are free, else moves the mapping (its pages
   * travel with their contents) with MREMAP_MAYMOVE, else "ENOMEM ... the memory area cannot be
   * expanded at the current virtual address, and the MREMAP_MAYMOVE flag is not set".
   * MREMAP_DONTUNMAP leaves the old range mapped and empty (anonymous pages read zeros, file pages
   * the file again). old_size 0 (duplicating a shared mapping) is EINVAL: nothing here is really
   * shared.
   */
  public static long mremap(Task t) {
    long oldAddr = t.arg(0);
    long oldLength = t.arg(1);
    long newLength = t.arg(2);
    int flags = t.intArg(3);
    long newAddr = t.arg(4);
    boolean mayMove = (flags & MREMAP_MAYMOVE) != 0;
    boolean fixed = (flags & MREMAP_FIXED) != 0;
    boolean dontUnmap = (flags & MREMAP_DONTUNMAP) != 0;
    if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
        || ((fixed || dontUnmap) && !mayMove) || unaligned(oldAddr)
        || Long.compareUnsigned(oldLength, TASK_SIZE) > 0
        || Long.compareUnsigned(newLength, TASK_SIZE) > 0) {
      throw Errno.EINVAL.exception();
    }
    long oldLen = pageUp(oldLength);
    long newLen = pageUp(newLength);
    if (newLen == 0 || (dontUnmap && oldLen != newLen)) {
      throw Errno.EINVAL.exception();
    }
    if (fixed && (unaligned(newAddr) || Long.compareUnsigned(newAddr, TASK_SIZE - newLen) > 0
        || (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen))) {
      throw Errno.EINVAL.exception();
    }
    if (oldLen == 0) {
      throw Errno.EINVAL.exception();
    }
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      if (!fixed && !dontUnmap && oldLen >= newLen) {
        if (oldLen > newLen) {
          unmap(t, areas, oldAddr + newLen, oldAddr + oldLen);
        }
        return oldAddr;
      }
      long keep = Math.min(oldLen, newLen);
      Piece vma = mappingAt(memory, areas, oldAddr);
      if (vma == null || oldAddr + keep > vma.end()) {
        throw Errno.EFAULT.exception();
      }
      if (fixed || dontUnmap) {
        long target = fixed ? newAddr : place(memory, areas, newLen);
        if (fixed && newAddr < MMAP_MIN_ADDR) {
          throw Errno.EPERM.exception();
        }
        if (oldLen > newLen) {
          unmap(t, areas, oldAddr + newLen, oldAddr + oldLen);
        }
        return move(t, areas, vma, oldAddr, keep, target, newLen, dontUnmap);
      }
      // Growing.
      if (oldAddr + oldLen == vma.end()
          && VmAreas.isFree(memory, oldAddr + oldLen, newLen - oldLen)) {
        growTail(t, areas, vma, oldAddr, oldLen, newLen);
        return oldAddr;
      }
      if (!mayMove) {
        throw Errno.ENOMEM.exception();
      }
      long target = place(memory, areas, newLen);
      return move(t, areas, vma, oldAddr, oldLen, target, newLen, false);
    }
  }

  /** The mapping piece (one protection, one area) holding {@code addr}, or null. */
  private static Piece mappingAt(GuestMemory memory, VmAreas areas, long addr) {
    for (GuestMemory.Mapping m : memory.mappings()) {
      if (m.start() <= addr && addr < m.end()) {
        for (Piece p : areas.pieces(memory, m.start(), m.end())) {
          if (p.start() <= addr && addr < p.end()) {
            return p;
          }
        }
      }
    }
    return null;
  }

  private static long place(GuestMemory memory, VmAreas areas, long len) {
    return MemorySyscalls.chooseAddress(memory, areas, 0, len, 0);
  }

  private static void unmap(Task t, VmAreas areas, long start, long end) {
    areas.detach(t.memory(), t.process().fileMappings(), start, end);
    check(t.memory().unmap(start, end - start));
  }

  /**
   * Moves [oldAddr, oldAddr + oldLen) of mapping {@code vma} to {@code target} and makes it
   * {@code newLen} long there; the destination's previous mappings go, as with MAP_FIXED.
   */
  private static long move(Task t, VmAreas areas, Piece vma, long oldAddr, long oldLen,
      long target, long newLen, boolean dontUnmap) {
    GuestMemory memory = t.memory();
    FileMappings names = t.process().fileMappings();
    areas.detach(memory, names, target, target + newLen);
    List<FileMappings.Named> moving = namesIn(names, oldAddr, oldAddr + oldLen);
    check(memory.move(oldAddr, oldLen, target));
    areas.move(oldAddr, oldLen, target);
    names.remove(oldAddr, oldAddr + oldLen);
    long delta = target - oldAddr;
    for (FileMappings.Named n : moving) {
      names.add(n.start() + delta, n.end() + delta, n.offset(), n.name(), n.dev(), n.ino());
    }
    if (newLen > oldLen) {
      Area moved = vma.area() == null ? null : areas.at(target);
      growTail(t, areas, new Piece(target, target + oldLen, vma.prot(), moved), target, oldLen,
          newLen);
    }
    if (dontUnmap) {
      Area old = vma.area();
      if (old == null) {
        check(memory.map(oldAddr, oldLen, vma.prot()));
      } else {
        remapEmpty(memory, areas, old.slice(oldAddr, oldAddr + oldLen), vma.prot());
      }
      for (FileMappings.Named n : moving) {
        names.add(n.start(), n.end(), n.offset(), n.name(), n.dev(), n.ino());
      }
    }
    return target;
  }

  /**
   * Grows mapping piece {@code vma} (ending at base + oldLen) to base + newLen: the new pages get
   * the same protection and area, a file's bytes for a file mapping, the same name.
   */
  private static void growTail(Task t, VmAreas areas, Piece vma, long base, long oldLen,
      long newLen) {
    GuestMemory memory = t.memory();
    FileMappings names = t.process().fileMappings();
    long s = base + oldLen;
    long e = base + newLen;
    Area a = vma.area();
    if (a == null) {
      check(memory.map(s, e - s, vma.prot()));
    } else {
      Area ext = a.slice(s, e);
      remapEmpty(memory, areas, ext, vma.prot());
    }
    FileMappings.Named last = names.at(s - PAGE);
    if (last != null && last.end() == s) {
      // One range, as /proc/PID/maps shows one mapping.
      names.add(last.start(), e, last.offset(), last.name(), last.dev(), last.ino());
    }
  }

  /**
   * Maps {@code a}'s range afresh with {@code prot}: zero pages for anonymous memory, the file's
   * current bytes for a file area.
   */
  private static void remapEmpty(GuestMemory memory, VmAreas areas, Area a, int prot) {
    long len = a.end() - a.start();
    if (a.shmem() != null) {
      check(memory.mapShared(a.start(), len, prot, a.shmem(), a.fileOffset() / PAGE));
      areas.add(a);
      return;
    }
    if (a.file() == null) {
      check(memory.map(a.start(), len, prot));
      areas.add(a);
      return;
    }
    long fileBytes = Math.max(0, a.file().size() - a.fileOffset());
    long filled = Math.min(len, pageUp(fileBytes));
    if (a.file().cache() != null) {
      check(memory.mapShared(a.start(), len, prot, a.file().cache(), a.fileOffset() / PAGE));
      areas.add(a);
      MemorySyscalls.markBeyondEof(memory, a.start(), filled, len);
      return;
    }
    check(memory.map(a.start(), len, prot | PROT_READ | PROT_WRITE));
    areas.add(a);
    VmAreas.fill(memory, a, a.start(), a.start() + filled, false);
    check(memory.protect(a.start(), len, prot));
    MemorySyscalls.markBeyondEof(memory, a.start(), filled, len);
  }

  /** The named ranges overlapping [start, end), clipped to it. */
  private static List<FileMappings.Named> namesIn(FileMappings names, long start, long end) {
    List<FileMappings.Named> out = new ArrayList<>();
    for (FileMappings.Named n : names.all()) {
      long s = Math.max(n.start(), start);
      long e = Math.min(n.end(), end);
      if (s < e) {
        out.add(new FileMappings.Named(s, e, n.offset() + (s - n.start()), n.name(), n.dev(),
            n.ino()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- madvise

  /**
   * madvise(addr, length, advice). "EINVAL advice is not valid" comes first, then "EINVAL addr is
   * not page-aligned or length is negative"; a zero length succeeds. Advice that rejects a kind
   * of mapping does so as Linux does (MADV_FREE and MADV_WIPEONFORK: private anonymous only,
   * EINVAL; MADV_REMOVE: EINVAL for private anonymous memory, EACCES unless shared and writable;
   * MADV_POPULATE_*: EINVAL where the access is not allowed); the mapped parts are advised and
   * "ENOMEM Addresses in the specified range are not currently mapped" reported afterwards.
   *
   * <p>MADV_DONTNEED: private anonymous pages read as zeros afterwards, private file pages as the
   * file's current bytes, shared pages keep their contents (as Linux: they live in the page
   * cache). MADV_REMOVE frees the range of a shared mapping: it reads as zeros, in the file too.
   * MADV_FREE keeps the pages (the kernel may free them; keeping them is allowed). The other known
   * advice changes nothing here.
   */
  public static long madvise(Task t) {
    long start = t.arg(0);
    long length = t.arg(1);
    int advice = t.intArg(2);
    if (!known(advice) || unaligned(start)) {
      throw Errno.EINVAL.exception();
    }
    long len = pageUp(length);
    if (length != 0 && len == 0) {
      throw Errno.EINVAL.exception();
    }
    long end = start + len;
    if (Long.compareUnsigned(end, start) < 0) {
      throw Errno.EINVAL.exception();
    }
    if (end == start) {
      return 0;
    }
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      long clippedEnd = Long.compareUnsigned(end, TASK_SIZE) > 0 ? TASK_SIZE : end;
      List<Piece> pieces = Long.compareUnsigned(start, TASK_SIZE) >= 0 ? List.of()
          : areas.pieces(memory, start, clippedEnd);
      boolean holes = !VmAreas.covered(memory, start, clippedEnd) || clippedEnd != end;
      if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE) {
        if (holes) {
          throw Errno.ENOMEM.exception();
        }
      }
      for (Piece p : pieces) {
        reject(advice, p);
      }
      for (Piece p : pieces) {
        apply(memory, areas, advice, p);
      }
      if (holes) {
        throw Errno.ENOMEM.exception();
      }
    }
    return 0;
  }

  private static boolean known(int advice) {
    return (advice >= MADV_NORMAL && advice <= MADV_WILLNEED)
        || advice == MADV_DONTNEED
        || (advice >= MADV_FREE && advice <= MADV_COLLAPSE);
  }

  /** The per-mapping errors of {@code advice}, checked before any piece is changed. */
  private static void reject(int advice, Piece p) {
    Area a = p.area();
    boolean privateAnonymous = a == null || a.privateAnonymous();
    switch (advice) {
      case MADV_FREE:
      case MADV_WIPEONFORK:
        if (!privateAnonymous) {
          throw Errno.EINVAL.exception();
        }
        return;
      case MADV_REMOVE:
        if (privateAnonymous) {
          throw Errno.EINVAL.exception();
        }
        if (!a.shared() || (p.prot() & PROT_WRITE) == 0) {
          throw Errno.EACCES.exception();
        }
        return;
      case MADV_POPULATE_READ:
        if (p.prot() == GuestMemory.PROT_NONE) {
          throw Errno.EINVAL.exception();
        }
        return;
      case MADV_POPULATE_WRITE:
        if ((p.prot() & PROT_WRITE) == 0) {
          throw Errno.EINVAL.exception();
        }
        return;
      default:
        return;
    }
  }

  private static void apply(GuestMemory memory, VmAreas areas, int advice, Piece p) {
    Area a = p.area();
    long len = p.end() - p.start();
    switch (advice) {
      case MADV_DONTFORK:
        setForkAdvice(areas, p, VmAreas.DONT_FORK, true);
        return;
      case MADV_DOFORK:
        setForkAdvice(areas, p, VmAreas.DONT_FORK, false);
        return;
      case MADV_WIPEONFORK:
        setForkAdvice(areas, p, VmAreas.WIPE_ON_FORK, true);
        return;
      case MADV_KEEPONFORK:
        setForkAdvice(areas, p, VmAreas.WIPE_ON_FORK, false);
        return;
      case MADV_DONTNEED:
      case MADV_DONTNEED_LOCKED:
        if (a == null || a.privateAnonymous()) {
          check(memory.map(p.start(), len, p.prot())); // zero-fill on next touch
        } else if (!a.shared() && a.file() != null) {
          remapEmpty(memory, areas, a.slice(p.start(), p.end()), p.prot());
        }
        return;
      case MADV_REMOVE:
        if (a.shmem() != null) {
          a.shmem().zero(a.slice(p.start(), p.end()).fileOffset() / PAGE, len / PAGE);
          return;
        }
        if (a.file() == null || a.file().cache() == null) {
          check(memory.map(p.start(), len, p.prot())); // the areas stay as they are
        }
        if (a.file() != null) {
          a.file().zero(a.slice(p.start(), p.end()).fileOffset(), len); // and its frames
        }
        return;
      default:
        return;
    }
  }

  /**
   * Sets or clears fork advice {@code bit} on piece {@code p}: private anonymous memory without
   * an area gets one to carry it (and loses it again when no advice is left).
   */
  private static void setForkAdvice(VmAreas areas, Piece p, int bit, boolean set) {
    Area a = p.area() != null ? p.area().slice(p.start(), p.end())
        : new Area(p.start(), p.end(), false, false, null, 0);
    int advice = set ? a.forkAdvice() | bit : a.forkAdvice() & ~bit;
    if (p.area() == null && advice == 0) {
      return;
    }
    Area advised = a.withForkAdvice(advice);
    if (advice == 0 && advised.privateAnonymous() && !advised.growsDown()) {
      areas.remove(p.start(), p.end());
    } else {
      areas.add(advised);
    }
  }
}
