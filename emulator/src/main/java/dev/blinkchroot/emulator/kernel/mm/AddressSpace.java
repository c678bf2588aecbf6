package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * One guest address space (Linux's mm): the pages ({@link GuestMemory}), what its mappings are
 * ({@link VmAreas}: files, sharing, growth), the names /proc/PID/maps shows ({@link
 * FileMappings}) and the program break. Threads of a process share one; exec gives the process
 * a new one; fork gives the child a copy-on-write copy ({@link #forkCopy}); the last user
 * {@link #release}s it, which is when shared file mappings reach their files.
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
  private boolean released;

  private AddressSpace(GuestMemory memory, VmAreas areas, FileMappings names) {
    this.memory = memory;
    this.areas = areas;
    this.names = names;
  }

  /** An empty address space. */
  public static AddressSpace create() {
    return of(GuestMemory.create());
  }

  /** The address space over {@code memory}, which nothing else owns yet (exec's new image). */
  public static AddressSpace of(GuestMemory memory) {
    return new AddressSpace(memory, new VmAreas(), new FileMappings());
  }

  public GuestMemory memory() {
    return memory;
  }

  public VmAreas areas() {
    return areas;
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
      AddressSpace copy = new AddressSpace(child, areas.forkCopy(child), names.copy());
      synchronized (this) {
        copy.brkStart = brkStart;
        copy.brk = brk;
      }
      return copy;
    }
  }

  /**
   * The last user is done with it (exit, exec): what shared file mappings changed goes to their
   * files (munmap's writeback), file references are dropped, and the pages are freed. Idempotent.
   */
  public void release() {
    synchronized (areas) {
      if (released) {
        return;
      }
      released = true;
      areas.detach(memory, null, 0, GuestMemory.TASK_SIZE);
    }
    memory.release();
  }
}
