package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import java.io.IOException;

/**
 * Writes each metadata change of a store's inodes to its {@link MetadataJournal} before the
 * operation that made it returns: the whole metadata of every inode the operation changed, every
 * name it added (LINK) and every name it removed (UNLINK), in one append. Callers hold the
 * backend lock and have already made the change on the host and in memory.
 *
 * <p>Data writes are not recorded one by one, which would cost a record per write(2): the first
 * write after a file's metadata was recorded marks the file as being written (at load its mtime
 * may then come from the host, which saw the later writes), and the last close of a writer
 * records the final times.
 *
 * <p>A node the host alone described (made behind the store's back, or before a crash of a
 * version without a journal) has a number no record knows; before a record names it, its names
 * are recorded, up to a directory that is known, so that replay can find it again.
 *
 * <p>A long session's journal is folded into the sidecar (a flush) once it outgrows both a
 * floor and twice the last sidecar, so the journal, and the replay after a kill, stay in
 * proportion to the store, at a cost per change that does not grow with the store.
 *
 * <p>Memory and bind backends, and read-only stores, have no journal: every method does nothing.
 */
final class ChangeLog {
  /** Records, in the order an operation adds them to its batch. */
  private interface Records {
    void add();
  }

  private final NioBackend fs;
  private final MetadataJournal journal;
  private final MetadataJournal.Batch batch = new MetadataJournal.Batch();
  /** The smallest journal that is folded into the sidecar; tests lower it. */
  long minFoldBytes = 16L << 20;
  /** Twice the last sidecar: the journal is folded once it is larger than this too. */
  private long foldAt;

  ChangeLog(NioBackend fs, MetadataJournal journal) {
    this.fs = fs;
    this.journal = journal;
  }

  /** {@code n}'s own metadata changed (mode, owner, times, xattrs). */
  void changed(NioInode n) {
    write(() -> node(n));
  }

  /** {@code name} was added to {@code dir} for {@code child}, new or another name of it. */
  void added(NioDirectory dir, FileName name, NioInode child) {
    write(() -> {
      link(dir, name, child);
      node(child);
      node(dir);
    });
  }

  /** {@code name}, a name of {@code child}, was removed from {@code dir}. */
  void removed(NioDirectory dir, FileName name, NioInode child) {
    write(() -> {
      unlink(dir, name);
      node(child);
      node(dir);
    });
  }

  /** {@code src} moved from {@code from/name} to {@code to/newName}, over {@code replaced} or null. */
  void renamed(NioDirectory from, FileName name, NioDirectory to, FileName newName,
      NioInode src, NioInode replaced) {
    write(() -> {
      unlink(from, name);
      link(to, newName, src); // over the replaced name, which keeps its place in the order
      node(src);
      if (replaced != null) {
        node(replaced);
      }
      node(from);
      if (to != from) {
        node(to);
      }
    });
  }

  /** {@code a/aName} and {@code b/bName} swapped their inodes ({@code RENAME_EXCHANGE}). */
  void exchanged(NioDirectory a, FileName aName, NioInode nowAtA, NioDirectory b, FileName bName,
      NioInode nowAtB) {
    write(() -> {
      link(a, aName, nowAtA);
      link(b, bName, nowAtB);
      node(nowAtA);
      node(nowAtB);
      node(a);
      if (b != a) {
        node(b);
      }
    });
  }

  /** Data was written or cut: record once that the file is being written. */
  void dataWritten(NioInode n) {
    if (journal == null || n.writing) {
      return;
    }
    n.writing = true;
    write(() -> node(n));
  }

  /** A writer of {@code n} closed: after the last one, record the times the writes left. */
  void writerClosed(NioInode n) {
    if (journal == null || !n.writing || n.hasWriter()) {
      return;
    }
    n.writing = false;
    write(() -> node(n));
  }

  /** The guest fsynced a file: make the metadata recorded so far as durable as its data. */
  void force() {
    if (journal == null) {
      return;
    }
    try {
      journal.force();
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /** The sidecar, {@code sidecarBytes} long, now holds everything: the journal can go. */
  void folded(long sidecarBytes) throws IOException {
    if (journal != null) {
      journal.delete();
      foldAt = 2 * sidecarBytes;
    }
  }

  /**
   * Builds one operation's records and appends them. The change is already made, so a host
   * failure here reaches the guest as the operation's error (EIO, ENOSPC) while the change
   * stands, to be saved by the next flush if the host allows by then.
   */
  private void write(Records records) {
    if (journal == null) {
      return;
    }
    try {
      records.add();
      if (!batch.isEmpty()) {
        journal.append(batch.take());
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    } finally {
      batch.clear(); // nothing of a failed operation may leak into the next one's append
    }
    if (journal.size() >= Math.max(foldAt, minFoldBytes)) {
      try {
        fs.flush();
      } catch (ErrnoException e) {
        // The journal still holds every change; folding is tried again as it grows, and at exit.
        foldAt = journal.size() + minFoldBytes;
      }
    }
  }

  private void node(NioInode n) {
    if (n != fs.root && n.linkDir == null) {
      return; // no name left: no record can lead to it, and its number is never reused
    }
    if (!n.bound) {
      bind(n);
      return;
    }
    batch.node(fs.meta(n));
  }

  /** Records every name of {@code n} and its metadata (its directories first, if need be). */
  private void bind(NioInode n) {
    n.bound = true;
    if (n.linkDir != null) {
      link(n.linkDir, n.linkName, n);
      if (n.moreLinks != null) {
        for (NioInode.Link l : n.moreLinks) {
          link(l.dir(), l.name(), n);
        }
      }
    }
    batch.node(fs.meta(n));
  }

  private void link(NioDirectory dir, FileName name, NioInode child) {
    if (!dir.bound) {
      bind(dir);
    }
    batch.link(dir.ino, fs.host.codec.toHost(name), name.bytes(), child.ino);
  }

  private void unlink(NioDirectory dir, FileName name) {
    if (dir.bound) {
      batch.unlink(dir.ino, fs.host.codec.toHost(name));
    }
    // Else no record names anything in dir: its number was made up in this session.
  }
}
