package dev.blinkchroot.emulator.kernel.fd;

import dev.blinkchroot.emulator.kernel.mm.PageCaches;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel-wide state that open file descriptions share, one per kernel so that two sandboxes
 * in one JVM share nothing: the advisory lock table, the page caches of files mapped shared, and
 * the numbering of pipe inodes, and the hidden in-memory file system memfd files live in. Every
 * description that can hold locks or reach a page cache gets it when it is created.
 */
public final class KernelFiles {
  /** Where pipe inode numbers start (pipefs numbers its inodes from a small counter too). */
  private static final long FIRST_PIPE_INO = 20000;

  private final FileLocks locks = new FileLocks();
  private final PageCaches pageCaches = new PageCaches();
  private final AtomicLong nextPipeIno = new AtomicLong(FIRST_PIPE_INO);
  private final AtomicLong nextMemfd = new AtomicLong();
  private Vfs anonymous;
  private FsContext anonymousContext;

  public FileLocks locks() {
    return locks;
  }

  public PageCaches pageCaches() {
    return pageCaches;
  }

  /** A new pipe's inode number (st_ino, and the N of "pipe:[N]"). */
  public long nextPipeIno() {
    return nextPipeIno.getAndIncrement();
  }

  /** A new memfd's serial number (its hidden file's name). */
  public long nextMemfd() {
    return nextMemfd.getAndIncrement();
  }

  /** The in-memory file system for files no directory names (memfd), created on first use. */
  public synchronized Vfs anonymousFiles() {
    if (anonymous == null) {
      anonymous = Vfs.create(NioBackend.memory(), "memfd");
      anonymousContext = anonymous.newContext(Credentials.ROOT);
      anonymousContext.setUmask(0);
    }
    return anonymous;
  }

  /** Root's context in {@link #anonymousFiles}. */
  public synchronized FsContext anonymousContext() {
    anonymousFiles();
    return anonymousContext;
  }
}
