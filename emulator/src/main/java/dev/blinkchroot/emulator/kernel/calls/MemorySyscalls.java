package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.mm.MappedFile;
import dev.blinkchroot.emulator.kernel.mm.SharedAnonymous;
import dev.blinkchroot.emulator.kernel.mm.VmAreas.Area;
import dev.blinkchroot.emulator.kernel.mm.VmAreas;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The memory family: mmap, munmap, mprotect, brk, msync, mincore and membarrier here; mremap and
 * madvise in {@link MemoryRemap}. Each entry decodes its arguments, checks them in the order
 * Linux does (the errors were compared with Linux 6.18 on x86-64: see the tests), and changes the
 * {@link GuestMemory} pages and the {@link VmAreas} bookkeeping under the address space's lock.
 *
 * <p>Constants are the x86-64 values from {@code <sys/mman.h>}, {@code <linux/mman.h>} and
 * {@code <linux/membarrier.h>}, checked by compiling (gcc, -D_GNU_SOURCE) a file that includes
 * them and prints each one: {@code printf("%s=0x%lx\n", "MAP_SHARED", (unsigned long)
 * MAP_SHARED);}.
 */
public final class MemorySyscalls {
  private MemorySyscalls() {}

  static final long PAGE = GuestMemory.PAGE_SIZE;
  static final long TASK_SIZE = GuestMemory.TASK_SIZE;
  /** vm.mmap_min_addr's usual default: nothing may be mapped below it (EPERM for MAP_FIXED). */
  static final long MMAP_MIN_ADDR = 0x10000;
  /** Where MAP_32BIT places mappings on x86-64: the second gigabyte. */
  static final long MAP_32BIT_LOW = 0x4000_0000L;
  static final long MAP_32BIT_HIGH = 0x8000_0000L;

  static final int PROT_READ = 0x1;
  static final int PROT_WRITE = 0x2;
  static final int PROT_EXEC = 0x4;
  static final int PROT_SEM = 0x8;
  static final int PROT_GROWSDOWN = 0x0100_0000;
  static final int PROT_GROWSUP = 0x0200_0000;
  static final int RWX = PROT_READ | PROT_WRITE | PROT_EXEC;

  static final int MAP_SHARED = 0x01;
  static final int MAP_PRIVATE = 0x02;
  static final int MAP_SHARED_VALIDATE = 0x03;
  /** Linux 6.11: anonymous memory the kernel may zero under pressure. */
  static final int MAP_DROPPABLE = 0x08;
  static final int MAP_TYPE = 0x0f;
  static final int MAP_FIXED = 0x10;
  static final int MAP_ANONYMOUS = 0x20;
  static final int MAP_32BIT = 0x40;
  static final int MAP_ABOVE4G = 0x80;
  static final int MAP_GROWSDOWN = 0x0100;
  static final int MAP_DENYWRITE = 0x0800;
  static final int MAP_EXECUTABLE = 0x1000;
  static final int MAP_LOCKED = 0x2000;
  static final int MAP_NORESERVE = 0x4000;
  static final int MAP_POPULATE = 0x8000;
  static final int MAP_NONBLOCK = 0x10000;
  static final int MAP_STACK = 0x20000;
  static final int MAP_HUGETLB = 0x40000;
  static final int MAP_SYNC = 0x80000;
  static final int MAP_FIXED_NOREPLACE = 0x100000;
  static final int MAP_UNINITIALIZED = 0x4000000;
  /** MAP_HUGE_2MB | MAP_HUGE_1GB: the huge-page size field, bits 26-30. */
  static final int MAP_HUGE_SIZES = (21 << 26) | (30 << 26);
  /**
   * The flags MAP_SHARED_VALIDATE accepts for a file (Linux's LEGACY_MAP_MASK; MAP_SYNC only for
   * DAX files, which there are none of). Measured on Linux 6.18: MAP_FIXED_NOREPLACE is not in it.
   */
  static final int SHARED_VALIDATE_MASK = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS
      | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED
      | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_32BIT
      | MAP_ABOVE4G | MAP_HUGE_SIZES;

  static final int MS_ASYNC = 1;
  static final int MS_INVALIDATE = 2;
  static final int MS_SYNC = 4;

  static final int MEMBARRIER_CMD_QUERY = 0;
  static final int MEMBARRIER_CMD_GLOBAL = 1;
  static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
  static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
  static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
  static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
  static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
  static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
  static final int MEMBARRIER_CMD_GET_REGISTRATIONS = 512;
  /**
   * What MEMBARRIER_CMD_QUERY reports. The RSEQ commands (128, 256) are left out: they need
   * restartable sequences, which are not implemented.
   */
  static final int MEMBARRIER_SUPPORTED = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED
      | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED
      | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
      | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | MEMBARRIER_CMD_GET_REGISTRATIONS;

  /** How /proc/PID/maps names shared anonymous memory (a shmem file that was never linked). */
  static final byte[] SHARED_ANON_NAME = "/dev/zero (deleted)".getBytes(StandardCharsets.UTF_8);
  static final byte[] HEAP_NAME = "[heap]".getBytes(StandardCharsets.UTF_8);
  static final byte[] STACK_NAME = "[stack]".getBytes(StandardCharsets.UTF_8);

  static long pageUp(long length) {
    return (length + PAGE - 1) & -PAGE;
  }

  static boolean unaligned(long addr) {
    return (addr & (PAGE - 1)) != 0;
  }

  // ---------------------------------------------------------------- mmap

  /** mmap(ptr,size,prot,mapflags,fd,offset) */
  public static long mmap(Task t) {
    long addr = t.arg(0);
    long length = t.arg(1);
    int prot = t.intArg(2);
    int flags = t.intArg(3);
    int fd = t.intArg(4);
    long offset = t.arg(5);
    // mmap(2): "EINVAL ... offset ... not aligned on a page boundary" (x86-64 checks it first).
    if (unaligned(offset)) {
      throw Errno.EINVAL.exception();
    }
    FileDescription file = null;
    if ((flags & MAP_ANONYMOUS) == 0) {
      file = t.fds().get(fd); // EBADF
      if ((file.flags() & Fcntl.O_PATH) != 0) {
        throw Errno.EBADF.exception(); // an O_PATH descriptor is no file to mmap
      }
      if ((flags & MAP_HUGETLB) != 0) {
        throw Errno.EINVAL.exception(); // MAP_HUGETLB needs a hugetlbfs file
      }
    } else if ((flags & MAP_HUGETLB) != 0) {
      // No huge pages are reserved (vm.nr_hugepages = 0): Linux gives ENOMEM and callers fall
      // back to normal pages.
      throw Errno.ENOMEM.exception();
    }
    // "MAP_ANONYMOUS: ... The fd argument is ignored", and so is offset beyond the check above.
    if (length == 0) {
      throw Errno.EINVAL.exception();
    }
    if (Long.compareUnsigned(length, TASK_SIZE) > 0) {
      throw Errno.ENOMEM.exception();
    }
    long len = pageUp(length);
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      boolean noReplace = (flags & MAP_FIXED_NOREPLACE) != 0;
      long at = (flags & MAP_FIXED) != 0 || noReplace
          ? fixedAddress(memory, addr, len, noReplace)
          : chooseAddress(memory, areas, addr, len, flags);
      int type = flags & MAP_TYPE;
      if (file != null) {
        Stat st = file.stat();
        boolean devZero = isDevZero(st);
        checkFileMapping(file, st, devZero, type, flags, prot, offset, len);
        boolean shared = type != MAP_PRIVATE;
        if (!devZero) {
          return mapFile(t, areas, file, st, shared, at, len, prot & RWX, offset);
        }
        // /dev/zero: MAP_PRIVATE is anonymous memory, MAP_SHARED shared anonymous memory.
        return mapAnonymous(t, areas, at, len, prot & RWX, shared, false);
      }
      // Anonymous: Linux 6.18 accepts MAP_SHARED, MAP_PRIVATE and MAP_DROPPABLE here and
      // rejects MAP_SHARED_VALIDATE (measured); "EINVAL flags contained none of MAP_PRIVATE,
      // MAP_SHARED, or MAP_SHARED_VALIDATE".
      if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_DROPPABLE) {
        throw Errno.EINVAL.exception();
      }
      boolean growsDown = (flags & MAP_GROWSDOWN) != 0;
      if (type == MAP_SHARED && growsDown) {
        throw Errno.EINVAL.exception();
      }
      // MAP_DROPPABLE memory may be dropped; keeping it is a correct implementation.
      return mapAnonymous(t, areas, at, len, prot & RWX, type == MAP_SHARED, growsDown);
    }
  }

  /**
   * MAP_FIXED: "addr must be suitably aligned" (EINVAL); a range beyond the user address space
   * is ENOMEM; below vm.mmap_min_addr EPERM (Linux's security_mmap_addr check, as for a process
   * without CAP_SYS_RAWIO);
   * MAP_FIXED_NOREPLACE: "If the requested range would collide with an existing mapping, then
   * this call fails with the error EEXIST".
   */
  private static long fixedAddress(GuestMemory memory, long addr, long len, boolean noReplace) {
    if (unaligned(addr)) {
      throw Errno.EINVAL.exception();
    }
    if (Long.compareUnsigned(addr, TASK_SIZE - len) > 0) {
      throw Errno.ENOMEM.exception();
    }
    if (addr < MMAP_MIN_ADDR) {
      throw Errno.EPERM.exception();
    }
    if (noReplace && VmAreas.anyMapped(memory, addr, addr + len)) {
      throw Errno.EEXIST.exception();
    }
    return addr;
  }

  /**
   * Without MAP_FIXED: "If addr is not NULL, then the kernel takes it as a hint about where to
   * place the mapping" (rounded down to a page, raised to mmap_min_addr, used if free); else
   * top-down below the mmap base, as Linux's default layout; MAP_32BIT in [1 GiB, 2 GiB).
   */
  static long chooseAddress(GuestMemory memory, VmAreas areas, long addr, long len, int flags) {
    long hint = addr & -PAGE;
    if (hint != 0) {
      if (Long.compareUnsigned(hint, MMAP_MIN_ADDR) < 0) {
        hint = MMAP_MIN_ADDR;
      }
      if (VmAreas.isFree(memory, hint, len)) {
        return hint;
      }
    }
    long a;
    if ((flags & MAP_32BIT) != 0) {
      a = len <= MAP_32BIT_HIGH - MAP_32BIT_LOW
          ? memory.findUnmapped(len, MAP_32BIT_LOW, MAP_32BIT_HIGH) : -1;
    } else {
      a = memory.findUnmapped(len, MMAP_MIN_ADDR, areas.mmapBase());
      if (a < 0) {
        a = memory.findUnmapped(len, MMAP_MIN_ADDR, TASK_SIZE);
      }
    }
    if (a < 0) {
      throw Errno.ENOMEM.exception();
    }
    return a;
  }

  /** /dev/zero (1, 5): its mappings are anonymous memory. */
  private static boolean isDevZero(Stat st) {
    return st.type() == FileType.CHARACTER_DEVICE && Stat.major(st.rdev()) == 1
        && Stat.minor(st.rdev()) == 5;
  }

  /** The checks of a file mapping, in Linux's order. */
  private static void checkFileMapping(FileDescription file, Stat st, boolean devZero, int type,
      int flags, int prot, long offset, long len) {
    boolean regular = st.type() == FileType.REGULAR;
    // "EOVERFLOW ... the number of pages used for length plus number of pages used for offset
    // would overflow" (a file offset must fit a loff_t with the mapping after it).
    if (regular && (offset < 0 || offset > Long.MAX_VALUE - len)) {
      throw Errno.EOVERFLOW.exception();
    }
    int access = file.flags() & Fcntl.O_ACCMODE;
    switch (type) {
      case MAP_SHARED:
        flags &= SHARED_VALIDATE_MASK; // MAP_SHARED ignores unknown flags
        // fall through
      case MAP_SHARED_VALIDATE:
        // "EOPNOTSUPP ... MAP_SHARED_VALIDATE ... flags ... unknown".
        if ((flags & ~SHARED_VALIDATE_MASK) != 0) {
          throw Errno.EOPNOTSUPP.exception();
        }
        // "EACCES ... MAP_SHARED was requested and PROT_WRITE is set, but fd is not open in
        // read/write (O_RDWR) mode".
        if ((prot & PROT_WRITE) != 0 && access == Fcntl.O_RDONLY) {
          throw Errno.EACCES.exception();
        }
        // fall through
      case MAP_PRIVATE:
        // "EACCES A file descriptor refers to a non-regular file. Or a file mapping was
        // requested, but fd is not open for reading."
        if (access == Fcntl.O_WRONLY) {
          throw Errno.EACCES.exception();
        }
        // "ENODEV The underlying filesystem of the specified file does not support memory
        // mapping": pipes, sockets, directories, devices other than /dev/zero.
        if (!regular && !devZero) {
          throw Errno.ENODEV.exception();
        }
        if ((flags & MAP_GROWSDOWN) != 0) {
          throw Errno.EINVAL.exception();
        }
        return;
      default:
        throw Errno.EINVAL.exception();
    }
  }

  private static long mapAnonymous(Task t, VmAreas areas, long at, long len, int prot,
      boolean shared, boolean growsDown) {
    GuestMemory memory = t.memory();
    FileMappings names = t.process().fileMappings();
    areas.detach(memory, names, at, at + len);
    if (shared) {
      SharedAnonymous shmem = new SharedAnonymous();
      check(memory.mapShared(at, len, prot, shmem, 0));
      areas.add(Area.sharedAnonymous(at, at + len, shmem));
      names.add(at, at + len, 0, SHARED_ANON_NAME, 0, 0);
    } else {
      check(memory.map(at, len, prot));
      if (growsDown) {
        areas.add(new Area(at, at + len, false, true, null, 0));
      }
    }
    return at;
  }

  /**
   * A file mapping: fresh pages holding the file's bytes from {@code offset} (zero past its end
   * in the last page; a page wholly past the end is a SIGBUS unless the file grows to reach it),
   * named after the file for /proc/PID/maps and crash reports.
   */
  private static long mapFile(Task t, VmAreas areas, FileDescription file, Stat st,
      boolean shared, long at, long len, int prot, long offset) {
    GuestMemory memory = t.memory();
    FileMappings names = t.process().fileMappings();
    byte[] name = file.procLink().getBytes(StandardCharsets.UTF_8);
    MappedFile mapped = MappedFile.of(file, shared, name, st.dev(), st.ino(), memory,
        t.kernel().files().pageCaches());
    areas.detach(memory, names, at, at + len);
    Area area = new Area(at, at + len, shared, false, mapped, offset);
    long fileBytes = Math.max(0, st.size() - offset);
    long filled = Math.min(len, pageUp(fileBytes));
    if (mapped.cache() != null) {
      check(memory.mapShared(at, len, prot, mapped.cache(), offset / PAGE));
      areas.add(area);
      markBeyondEof(memory, at, filled, len);
      names.add(at, at + len, offset, name, st.dev(), st.ino());
      return at;
    }
    check(memory.map(at, len, prot | PROT_READ | PROT_WRITE));
    areas.add(area);
    try {
      VmAreas.fill(memory, area, at, at + filled, true);
    } catch (ErrnoException e) {
      areas.remove(at, at + len);
      memory.unmap(at, len);
      throw e;
    }
    check(memory.protect(at, len, prot));
    markBeyondEof(memory, at, filled, len);
    names.add(at, at + len, offset, name, st.dev(), st.ino());
    return at;
  }

  /** Marks the pages of the file mapping at {@code at} from {@code filled} on as past its end. */
  static void markBeyondEof(GuestMemory memory, long at, long filled, long len) {
    if (filled < len) {
      memory.markBeyondEof(at + filled, len - filled);
    }
  }

  /** A GuestMemory result: 0 or a negative errno, turned into the guest's error. */
  static void check(long result) {
    if (result < 0) {
      throw Errno.of((int) -result).exception();
    }
  }

  // ---------------------------------------------------------------- munmap, mprotect

  /**
   * munmap(ptr,size): "EINVAL ... addr ... not aligned ... length was 0"; a range reaching past
   * the user address space is EINVAL too; "It is not an error if the indicated range does not
   * contain any mapped pages." Shared file mappings write their changes back first.
   */
  public static long munmap(Task t) {
    long addr = t.arg(0);
    long length = t.arg(1);
    if (unaligned(addr) || length == 0 || Long.compareUnsigned(length, TASK_SIZE) > 0
        || Long.compareUnsigned(addr, TASK_SIZE - pageUp(length)) > 0) {
      throw Errno.EINVAL.exception();
    }
    long len = pageUp(length);
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      areas.detach(memory, t.process().fileMappings(), addr, addr + len);
      check(memory.unmap(addr, len));
    }
    return 0;
  }

  /**
   * mprotect(ptr,size,prot). Linux's order: both PROT_GROWSDOWN and PROT_GROWSUP, or a
   * misaligned addr, are EINVAL; a zero length succeeds; a wrapping range is ENOMEM; unknown
   * bits EINVAL; "ENOMEM ... not mapped"; "EACCES ... a MAP_SHARED mapping of a file opened
   * read-only and PROT_WRITE". PROT_GROWSDOWN extends the change down to the start of a
   * MAP_GROWSDOWN mapping (or the [stack]); x86-64 has no grows-up mappings, so PROT_GROWSUP is
   * EINVAL. PROT_SEM is accepted and means nothing here.
   */
  public static long mprotect(Task t) {
    long start = t.arg(0);
    long length = t.arg(1);
    int prot = t.intArg(2);
    int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || unaligned(start)) {
      throw Errno.EINVAL.exception();
    }
    if (length == 0) {
      return 0;
    }
    long end = start + pageUp(length);
    if (Long.compareUnsigned(length, TASK_SIZE) > 0 || Long.compareUnsigned(end, start) <= 0) {
      throw Errno.ENOMEM.exception();
    }
    if ((prot & ~(RWX | PROT_SEM)) != 0) {
      throw Errno.EINVAL.exception();
    }
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      if (memory.protectionAt(start) < 0) {
        throw Errno.ENOMEM.exception();
      }
      if (grows == PROT_GROWSUP) {
        throw Errno.EINVAL.exception();
      }
      if (grows == PROT_GROWSDOWN) {
        start = growsDownStart(t, areas, start);
      }
      if (Long.compareUnsigned(end, TASK_SIZE) > 0 || !VmAreas.covered(memory, start, end)) {
        throw Errno.ENOMEM.exception();
      }
      if ((prot & PROT_WRITE) != 0) {
        for (Area a : areas.overlapping(start, end)) {
          if (a.file() != null && a.shared() && !a.file().mayWrite) {
            throw Errno.EACCES.exception();
          }
        }
      }
      check(memory.protect(start, end - start, prot & RWX));
    }
    return 0;
  }

  /** The start of the grows-down mapping holding {@code addr}; EINVAL if it is not one. */
  private static long growsDownStart(Task t, VmAreas areas, long addr) {
    Area a = areas.at(addr);
    if (a != null && a.growsDown()) {
      return a.start();
    }
    FileMappings.Named n = t.process().fileMappings().at(addr);
    if (n != null && java.util.Arrays.equals(n.name(), STACK_NAME)) {
      return n.start();
    }
    throw Errno.EINVAL.exception();
  }

  // ---------------------------------------------------------------- brk

  /**
   * brk(ptr): moves the program break. Linux's system call (unlike the libc wrapper) never
   * fails: it returns the new break, or the old one when the request is refused (below the
   * heap's start, or growing into another mapping or its guard page). brk(0) asks for the current
   * break. Whole pages come and go: memory above the break inside its last page keeps its bytes,
   * pages given back and taken again are zero. The heap is named [heap].
   */
  public static long brk(Task t) {
    long requested = t.arg(0);
    AddressSpace mm = t.mm();
    GuestMemory memory = mm.memory();
    VmAreas areas = mm.areas();
    synchronized (areas) {
      long start = mm.brkStart();
      long current = mm.brk();
      if (start == 0 || requested < start || requested > TASK_SIZE) {
        return current;
      }
      long oldTop = pageUp(current);
      long newTop = pageUp(requested);
      long heapStart = pageUp(start);
      if (newTop < oldTop) {
        areas.detach(memory, mm.names(), newTop, oldTop);
        check(memory.unmap(newTop, oldTop - newTop));
      } else if (newTop > oldTop) {
        // Growth must leave a page between the heap and the next mapping.
        long guardEnd = Math.min(newTop + PAGE, TASK_SIZE);
        if (!VmAreas.isFree(memory, oldTop, guardEnd - oldTop)) {
          return current;
        }
        check(memory.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE));
        areas.remove(oldTop, newTop);
        mm.names().add(heapStart, newTop, 0, HEAP_NAME, 0, 0);
      }
      mm.setBrk(requested);
      return requested;
    }
  }

  // ---------------------------------------------------------------- msync, mincore

  /**
   * msync(ptr,size,msyncflags): "EINVAL addr is not a multiple of PAGESIZE; or any bit other
   * than MS_ASYNC | MS_INVALIDATE | MS_SYNC is set in flags; or both MS_SYNC and MS_ASYNC are
   * set"; "ENOMEM The indicated memory (or part of it) was not mapped" (the mapped parts are still
   * synced, as Linux does). Both MS_ASYNC and MS_SYNC write the changed bytes of shared file
   * mappings to the file now (only then do read(2) and other mappings see them: see
   * {@link MappedFile}); MS_SYNC also makes them durable. MS_INVALIDATE is accepted: a mapping
   * does not see later changes of its file in any case.
   */
  public static long msync(Task t) {
    long start = t.arg(0);
    long length = t.arg(1);
    int flags = t.intArg(2);
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || unaligned(start)
        || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
      throw Errno.EINVAL.exception();
    }
    long end = start + pageUp(length);
    if (Long.compareUnsigned(length, TASK_SIZE) > 0 || Long.compareUnsigned(end, start) < 0) {
      throw Errno.ENOMEM.exception();
    }
    if (end == start) {
      return 0;
    }
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      boolean written = areas.writeBack(memory, start, end, (flags & MS_SYNC) != 0);
      if (Long.compareUnsigned(end, TASK_SIZE) > 0 || !VmAreas.covered(memory, start, end)) {
        throw Errno.ENOMEM.exception();
      }
      if (!written) {
        throw Errno.EIO.exception(); // "EIO ... an I/O error occurred" (as fsync reports it)
      }
    }
    return 0;
  }

  /**
   * mincore(ptr,size,ptr): one byte per page of [addr, addr + length) into vec. "EINVAL addr is
   * not a multiple of the page size"; "ENOMEM ... [addr, addr + length) contained unmapped
   * memory"; "EFAULT vec points to an invalid address". Every mapped page is reported resident
   * (1): guest memory is never paged out (Linux reports 0 for anonymous pages not yet touched).
   */
  public static long mincore(Task t) {
    long start = t.arg(0);
    long length = t.arg(1);
    long vec = t.arg(2);
    if (unaligned(start)) {
      throw Errno.EINVAL.exception();
    }
    if (length == 0) {
      return 0;
    }
    long end = start + pageUp(length);
    if (Long.compareUnsigned(length, TASK_SIZE) > 0 || Long.compareUnsigned(start, TASK_SIZE) > 0
        || Long.compareUnsigned(end, TASK_SIZE) > 0 || end <= start) {
      throw Errno.ENOMEM.exception();
    }
    GuestMemory memory = t.memory();
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      if (!VmAreas.covered(memory, start, end)) {
        throw Errno.ENOMEM.exception();
      }
    }
    long pages = (end - start) / PAGE;
    byte[] ones = new byte[(int) Math.min(pages, PAGE)];
    java.util.Arrays.fill(ones, (byte) 1);
    for (long done = 0; done < pages; ) {
      int n = (int) Math.min(ones.length, pages - done);
      GuestIo.write(memory, vec + done, ones, 0, n); // EFAULT
      done += n;
    }
    return 0;
  }

  // ---------------------------------------------------------------- membarrier

  /**
   * membarrier(cmd, flags, cpu_id). QUERY returns the supported commands; the PRIVATE_EXPEDITED
   * commands need their REGISTER command first ("EPERM The calling process had not registered
   * ..."); flags must be 0 ("EINVAL ... flags is non-zero" for these commands); unknown commands
   * are EINVAL. A barrier is a full fence: every guest thread runs on a JVM thread whose memory
   * accesses are ordered by the memory model, so a fence on the caller plus the acquire/release
   * accesses of the others orders what the command requires; the decoded-code cache notices
   * modified code by itself, which is what SYNC_CORE asks for.
   */
  public static long membarrier(Task t) {
    int cmd = t.intArg(0);
    int flags = t.intArg(1);
    if (flags != 0) {
      throw Errno.EINVAL.exception();
    }
    VmAreas areas = t.mm().areas();
    synchronized (areas) {
      switch (cmd) {
        case MEMBARRIER_CMD_QUERY:
          return MEMBARRIER_SUPPORTED;
        case MEMBARRIER_CMD_GLOBAL:
        case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
          VarHandle.fullFence();
          return 0;
        case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
        case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
        case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
          areas.membarrierRegistrations |= cmd;
          return 0;
        case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
        case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
          // Each REGISTER command is the command it enables shifted left by one.
          if ((areas.membarrierRegistrations & (cmd << 1)) == 0) {
            throw Errno.EPERM.exception();
          }
          VarHandle.fullFence();
          return 0;
        case MEMBARRIER_CMD_GET_REGISTRATIONS:
          return areas.membarrierRegistrations;
        default:
          throw Errno.EINVAL.exception();
      }
    }
  }

  // ---------------------------------------------------------------- mremap, madvise

  /** mremap(ptr,size,size,mremapflags,ptr) */
  public static long mremap(Task t) {
    return MemoryRemap.mremap(t);
  }

  /** madvise(ptr,size,madvice) */
  public static long madvise(Task t) {
    return MemoryRemap.madvise(t);
  }
}
