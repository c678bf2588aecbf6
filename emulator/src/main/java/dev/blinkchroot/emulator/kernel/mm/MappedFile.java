package dev.blinkchroot.emulator.kernel.mm;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.VfsFileDescription;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.Location;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The file behind one mmap call (Linux's {@code vma->vm_file}).
 *
 * <p>A MAP_SHARED mapping of a regular file uses the file's {@link PageCache}: its pages are the
 * cache's frames, shared with every other shared mapping of the file and kept coherent with
 * read(2) and write(2); {@link #cache} is then non-null and the rest of this comment does not
 * apply to it.
 *
 * <p>Otherwise guest pages are private copies (MAP_PRIVATE, and MAP_SHARED of what has no page
 * cache here, such as a device): a mapping gets the file's bytes when it is made (and when a
 * range is refilled: MADV_DONTNEED on a private mapping, mremap growth). A MAP_SHARED mapping of a
 * file open for writing remembers, per file page, the bytes it last exchanged with the file (the
 * baseline); {@link #writeBack} writes only the bytes the guest changed since, clipped to the
 * file's current size (a shared mapping never extends a file: on Linux a store past the end of
 * the file is SIGBUS). So a write(2) to a part of the file the mapping did not change is not
 * overwritten by a later msync/munmap. What this cannot give: other descriptions and processes see
 * a shared mapping's stores only after msync, munmap or exit, and the mapping does not see later
 * write(2)s to the file.
 *
 * <p>The file stays reachable after its descriptor is closed, as Linux's mapping holds a reference:
 * through the VFS location when the description has one (a shared writable mapping keeps its own
 * open {@link FileContent} until the last area using it goes), else through the description.
 */
public final class MappedFile {
  static final int PAGE = GuestMemory.PAGE_SIZE;

  final byte[] name;
  final long dev;
  final long ino;
  /** MAP_SHARED: stores reach the file. */
  final boolean shared;
  /** The description was open for writing (Linux's VM_MAYWRITE for a shared mapping). */
  public final boolean mayWrite;
  private final Location location;
  private final FileDescription description;
  private FileContent content;
  /** File page index to the bytes last exchanged with the file; absent means all zero. */
  private final Map<Long, byte[]> baseline = new HashMap<>();
  /** A shared mapping of a regular file: where its frames live. */
  private PageCache cache;
  /** The kernel's page caches (a private copy must see shared mappings' stores). */
  private final PageCaches pageCaches;
  /** Areas referring to this file (see {@link VmAreas}); the content closes at zero. */
  int references;

  private MappedFile(byte[] name, long dev, long ino, boolean shared, boolean mayWrite,
      Location location, FileDescription description, PageCaches pageCaches) {
    this.pageCaches = pageCaches;
    this.name = name;
    this.dev = dev;
    this.ino = ino;
    this.shared = shared;
    this.mayWrite = mayWrite;
    this.location = location;
    this.description = description;
  }

  /**
   * The file of {@code description}, mapped into {@code memory}, MAP_SHARED when {@code shared}.
   *
   * @throws ErrnoException if the file's page cache cannot open it
   */
  public static MappedFile of(FileDescription description, boolean shared, byte[] name, long dev,
      long ino, GuestMemory memory, PageCaches pageCaches) {
    boolean mayWrite = (description.flags() & Fcntl.O_ACCMODE) == Fcntl.O_RDWR;
    Location location = description.location();
    MappedFile f = new MappedFile(name, dev, ino, shared, mayWrite, location, description,
        pageCaches);
    if (shared && description instanceof VfsFileDescription v && v.isRegular()) {
      f.cache = pageCaches.acquire(v.openFile().inode(), mayWrite, memory);
    } else if (shared && mayWrite && location != null) {
      try {
        f.content = location.inode().openContent(true);
      } catch (ErrnoException e) {
        f.content = null; // fall back to the description
      }
    }
    return f;
  }

  /**
   * A copy for a fork child's address space {@code child}: the same file and page cache, or its
   * own baseline where its pages are its own copies.
   */
  MappedFile forkCopy(GuestMemory child) {
    MappedFile f = new MappedFile(name, dev, ino, shared, mayWrite, location, description,
        pageCaches);
    if (cache != null) {
      f.cache = cache.retain(child);
    } else if (content != null && location != null) {
      try {
        f.content = location.inode().openContent(true);
      } catch (ErrnoException e) {
        f.content = null;
      }
    }
    baseline.forEach((k, v) -> f.baseline.put(k, v.clone()));
    return f;
  }

  /** The page cache whose frames a shared mapping of a regular file uses, else null. */
  public PageCache cache() {
    return cache;
  }

  /** Whether stores through the mapping can ever reach the file. */
  boolean writesBack() {
    return shared && mayWrite;
  }

  /**
   * Fills {@code buf} with the file's bytes at {@code pos}; bytes past the end of the file are
   * zero. {@code atMapTime}: the description is known to be open, read through it (as the brief
   * of mmap wants: what the descriptor sees).
   */
  void read(long pos, byte[] buf, boolean atMapTime) {
    if (description instanceof VfsFileDescription v) {
      PageCache live = pageCaches.of(v.openFile().inode());
      if (live != null) {
        live.beforeRead(pos, buf.length); // a new private copy sees the shared mappings' stores
      }
    }
    Arrays.fill(buf, (byte) 0);
    ByteBuffer dst = ByteBuffer.wrap(buf);
    if (content != null) {
      readFully(dst, p -> content.read(p, dst), pos);
    } else if (!atMapTime && location != null) {
      try (FileContent c = location.inode().openContent(false)) {
        readFully(dst, p -> c.read(p, dst), pos);
      }
    } else {
      readFully(dst, p -> description.pread(dst, p), pos);
    }
  }

  private interface Reader {
    int read(long pos);
  }

  private static void readFully(ByteBuffer dst, Reader r, long pos) {
    while (dst.hasRemaining()) {
      int n = r.read(pos + dst.position());
      if (n <= 0) {
        return;
      }
    }
  }

  /** Remembers {@code bytes} as what file page {@code filePage} holds (shared writable only). */
  void setBaseline(long filePage, byte[] bytes) {
    if (!writesBack()) {
      return;
    }
    if (isZero(bytes)) {
      baseline.remove(filePage);
    } else {
      baseline.put(filePage, bytes.clone());
    }
  }

  /**
   * Writes the bytes of {@code page} (the guest's current view of file page {@code filePage})
   * that differ from the baseline to the file, within its current size, and makes them the new
   * baseline.
   */
  void writeBack(long filePage, byte[] page) {
    if (!writesBack()) {
      return;
    }
    byte[] base = baseline.get(filePage);
    long size = size();
    long pagePos = filePage * PAGE;
    int i = 0;
    while (i < PAGE) {
      if (page[i] == (base == null ? 0 : base[i])) {
        i++;
        continue;
      }
      int runStart = i;
      while (i < PAGE && page[i] != (base == null ? 0 : base[i])) {
        i++;
      }
      long from = pagePos + runStart;
      long to = Math.min(pagePos + i, size);
      if (from < to) {
        write(from, ByteBuffer.wrap(page, runStart, (int) (to - from)));
      }
    }
    setBaseline(filePage, page);
  }

  /** MADV_REMOVE: the file range reads as zeros (within the file's size). */
  public void zero(long pos, long length) {
    if (cache != null) {
      cache.zero(pos, length);
      return;
    }
    long end = Math.min(pos + length, size());
    byte[] zeros = new byte[PAGE];
    for (long at = pos; at < end; at += PAGE) {
      int n = (int) Math.min(PAGE, end - at);
      write(at, ByteBuffer.wrap(zeros, 0, n));
    }
    for (long p = pos / PAGE; p * PAGE < pos + length; p++) {
      baseline.remove(p);
    }
  }

  private void write(long pos, ByteBuffer src) {
    while (src.hasRemaining()) {
      int n = content != null ? content.write(pos, src) : description.pwrite(src, pos);
      if (n <= 0) {
        return;
      }
      pos += n;
    }
  }

  public long size() {
    return content != null ? content.size() : description.stat().size();
  }

  /** msync(MS_SYNC): makes written data durable. */
  void sync() {
    if (content != null) {
      content.sync();
    } else if (writesBack()) {
      description.sync();
    }
  }

  /** The last area went: drop the file reference. */
  void release() {
    if (cache != null) {
      cache.release();
      cache = null;
    }
    if (content != null) {
      content.close();
      content = null;
    }
    baseline.clear();
  }

  static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
