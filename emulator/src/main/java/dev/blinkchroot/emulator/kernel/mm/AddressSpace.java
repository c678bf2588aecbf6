package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.SharedDecodes;
import dev.blinkchroot.emulator.kernel.sync.Futexes;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;

/**
 * One guest address space (Linux's mm): the pages ({@link GuestMemory}), what its mappings are
 * ({@link VmAreas}: files, sharing, growth), the names /proc/PID/maps shows ({@link
 * FileMappings}) and the program break. Threads of a process share one; exec gives the process
 * a new one; fork gives the child a copy-on-write copy ({@link #forkCopy}); a vfork child or a
 * CLONE_VM clone shares it ({@link #retain}); the last user {@link #release}s it, which is when
 * shared file mappings reach their files. The decoded code of the address space is cached here,
 * for every task that runs in it.
 *
 * <p>The {@link VmAreas} instance is also the lock that serialises the memory system calls of
 * the address space (Linux's mmap_lock).
 */
public final class AddressSpace {
  private final GuestMemory memory;
  private final VmAreas areas;
  private final FileMappings names;
  /** The program break: where the heap began and where it ends now. */
  private long brkStart;
  private long brk;
  /** Processes using it; the last release frees it. */
  private int users = 1;
  private CodeCache code;
  /** The kernel's decoded pages, which this space's code cache shares (null: none). */
  private final SharedDecodes decodes;

  private AddressSpace(GuestMemory memory, VmAreas areas, FileMappings names,
      SharedDecodes decodes) {
    this.memory = memory;
    this.areas = areas;
    this.names = names;
    this.decodes = decodes;
  }

  /** An empty address space that decodes its code alone. */
  public static AddressSpace create() {
    return create(null);
  }

  /** An empty address space sharing decoded code through {@code decodes} (null: none). */
  public static AddressSpace create(SharedDecodes decodes) {
    return of(GuestMemory.create(), decodes);
  }

  /**
   * The address space over {@code memory}, which nothing else owns yet (exec's new image),
   * sharing decoded code through {@code decodes} (null: none).
   */
  public static AddressSpace of(GuestMemory memory, SharedDecodes decodes) {
    return new AddressSpace(memory, new VmAreas(), new FileMappings(), decodes);
  }

  /** The store of decoded code this address space shares, or null. */
  public SharedDecodes decodes() {
    return decodes;
  }

  public GuestMemory memory() {
    return memory;
  }

  public VmAreas areas() {
    return areas;
  }

  /** The decoded code of this address space, made on first use. */
  public synchronized CodeCache code() {
    if (code == null) {
      code = new CodeCache(memory, decodes);
    }
    return code;
  }

  /** How many processes use this address space. */
  public int users() {
    synchronized (areas) {
      return users;
    }
  }

  /** Another process shares this address space (CLONE_VM, vfork). */
  public AddressSpace retain() {
    synchronized (areas) {
      if (users == 0) {
        throw new IllegalStateException("address space already released");
      }
      users++;
    }
    return this;
  }

  /** What /proc/PID/maps names each file-backed or special range. */
  public FileMappings names() {
    return names;
  }

  public synchronized long brkStart() {
    return brkStart;
  }

  public synchronized long brk() {
    return brk;
  }

  public synchronized void setBrk(long start, long current) {
    this.brkStart = start;
    this.brk = current;
  }

  public synchronized void setBrk(long current) {
    this.brk = current;
  }

  /**
   * fork(2): "The child process is created with a single thread ... The entire virtual address
   * space of the parent is replicated in the child": pages copy-on-write, the same areas (shared
   * mappings stay shared), names and break.
   */
  public AddressSpace forkCopy() {
    synchronized (areas) {
      GuestMemory child = memory.forkCopy();
      AddressSpace copy = new AddressSpace(child, areas.forkCopy(child), names.copy(), decodes);
      applyForkAdvice(copy);
      synchronized (this) {
        copy.brkStart = brkStart;
        copy.brk = brk;
      }
      return copy;
    }
  }

  /**
   * madvise's fork advice, in the child: "MADV_DONTFORK Do not make the pages in this range
   * available to the child after a fork(2)"; "MADV_WIPEONFORK Present the child process with
   * zero-filled memory in this range after a fork(2)".
   */
  private void applyForkAdvice(AddressSpace child) {
    for (VmAreas.Area a : areas.overlapping(0, GuestMemory.TASK_SIZE)) {
      long len = a.end() - a.start();
      if ((a.forkAdvice() & VmAreas.DONT_FORK) != 0) {
        child.memory.unmap(a.start(), len);
        child.names.remove(a.start(), a.end());
      } else if ((a.forkAdvice() & VmAreas.WIPE_ON_FORK) != 0) {
        for (VmAreas.Piece p : areas.pieces(memory, a.start(), a.end())) {
          child.memory.map(p.start(), p.end() - p.start(), p.prot());
        }
      }
    }
  }

  /**
   * A touch of a file mapping's page past the file's end ({@link MemoryFault.Reason#BEYOND_EOF}):
   * if the file has grown to reach the page since, the page gets the file's bytes (or its page
   * cache frame) and the instruction can run again; otherwise the fault stands (SIGBUS).
   */
  public boolean refault(MemoryFault fault) {
    if (fault.reason() != MemoryFault.Reason.BEYOND_EOF) {
      return false;
    }
    long pageAddr = fault.guestAddr() & -PAGE;
    VmAreas.Area a = areas.at(pageAddr);
    if (a == null || a.file() == null) {
      return false;
    }
    long filePos = a.fileOffset() + (pageAddr - a.start());
    if (filePos >= a.file().size()) {
      return false;
    }
    byte[] frame = null;
    if (a.file().cache() == null) {
      frame = new byte[(int) PAGE];
      a.file().read(filePos, frame, false);
      a.file().setBaseline(filePos / PAGE, frame);
    }
    memory.fillBeyondEof(pageAddr, frame);
    return true;
  }

  /** The file a shared futex word lives in, the same for every process that maps it. */
  private record FileIdentity(long dev, long ino) {}

  private static final long PAGE = GuestMemory.PAGE_SIZE;

  /**
   * The futex key of the word at {@code guestAddr}: this address space and the address for a
   * FUTEX_PRIVATE_FLAG operation or private memory; the shared memory object or file and the
   * offset in it for a word in a MAP_SHARED mapping, so processes mapping it at different
   * addresses meet.
   */
  public Futexes.Key futexKey(long guestAddr, boolean privateFutex) {
    if (!privateFutex) {
      VmAreas.Area a = areas.at(guestAddr);
      if (a != null && a.shared()) {
        long offset = a.fileOffset() + (guestAddr - a.start());
        if (a.shmem() != null) {
          return new Futexes.Key(a.shmem(), offset);
        }
        if (a.file() != null) {
          return new Futexes.Key(new FileIdentity(a.file().dev, a.file().ino), offset);
        }
      }
    }
    return new Futexes.Key(this, guestAddr);
  }

  /**
   * The bytes counted resident (ru_maxrss, VmRSS): every mapped page but PROT_NONE
   * reservations, as pages are not tracked one by one.
   */
  public long residentBytes() {
    long total = 0;
    for (GuestMemory.Mapping m : memory.mappings()) {
      if (m.prot() != GuestMemory.PROT_NONE) {
        total += m.end() - m.start();
      }
    }
    return total;
  }

  /**
   * A user is done with it (exit, exec). The last one's release writes what shared file mappings
   * changed to their files (munmap's writeback), drops the file references and frees the pages.
   */
  public void release() {
    synchronized (areas) {
      if (users == 0 || --users > 0) {
        return;
      }
      areas.detach(memory, null, 0, GuestMemory.TASK_SIZE);
      code = null;
    }
    memory.release();
  }
}
