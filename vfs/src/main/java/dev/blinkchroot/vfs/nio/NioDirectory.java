package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.DirectoryIndex;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.VfsClock;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory of a {@link NioBackend}. Its entries are read from the host once, on first use,
 * and from then on the {@link DirectoryIndex} is the truth (a dentry cache that also keeps the
 * readdir cookies and the identity of every child).
 */
final class NioDirectory extends NioInode {
  /** Null until the host listing is read. */
  DirectoryIndex<NioInode> entries;
  /** Subdirectories, for nlink = 2 + subdirs. */
  int subdirs;
  /** Set by rmdir (or by a rename over it): the directory is gone, nlink 0. */
  boolean removed;

  private Path cachedPath;
  private long cachedGeneration = -1;

  NioDirectory(NioBackend fs, long ino) {
    super(fs, ino, FileType.DIRECTORY);
  }

  /** A directory made in this session: nothing to read from the host. */
  void markEmpty() {
    entries = new DirectoryIndex<>();
  }

  DirectoryIndex<NioInode> entries() {
    if (entries == null) {
      fs.loader.load(this);
    }
    return entries;
  }

  @Override
  Path hostPath() {
    if (linkDir == null) {
      return fs.host.root;
    }
    if (cachedGeneration != fs.pathGeneration) {
      cachedPath = fs.childPath(linkDir.hostPath(), linkName);
      cachedGeneration = fs.pathGeneration;
    }
    return cachedPath;
  }

  @Override
  int linkCount() {
    return removed ? 0 : 2 + (entries == null ? subdirsUnloaded() : subdirs);
  }

  private int subdirsUnloaded() {
    entries();
    return subdirs;
  }

  /**
   * One ext4 block, whatever holds the tree: an image must look the same unpacked into memory
   * (--no-cache) or into the host cache.
   */
  @Override
  long size() {
    return 4096;
  }

  @Override
  public Inode parent() {
    synchronized (fs.lock) {
      if (linkDir != null) {
        return linkDir;
      }
      return formerDir != null ? formerDir : this; // the root, or a removed directory
    }
  }

  @Override
  public FileName name() {
    synchronized (fs.lock) {
      return linkName;
    }
  }

  @Override
  public Inode lookup(FileName name) {
    synchronized (fs.lock) {
      return entries().get(name);
    }
  }

  @Override
  public List<DirEntry> readdir(long cookie, int max) {
    synchronized (fs.lock) {
      return entries().list(cookie, max, (n, child) -> new DirEntry(n, child.ino, child.type, 0));
    }
  }

  @Override
  public boolean isEmpty() {
    synchronized (fs.lock) {
      return entries().isEmpty();
    }
  }

  // ---- changes ----

  /** Common checks of an operation that adds {@code name}: writable, alive, not taken. */
  private Path prepareAdd(FileName name) {
    fs.checkWritable();
    if (removed) {
      throw Errno.ENOENT.exception("directory was removed");
    }
    if (entries().contains(name)) {
      throw Errno.EEXIST.exception(name.toString());
    }
    return fs.childPath(hostPath(), name);
  }

  /** Entries changed: mtime and ctime become now. */
  private void touchEntries(long now) {
    mtimeNs = now;
    ctimeNs = now;
  }

  private void add(FileName name, NioInode child, long now) {
    entries.put(name, child);
    child.addLink(this, name);
    if (child.type == FileType.DIRECTORY) {
      subdirs++;
    }
    touchEntries(now);
  }

  @Override
  public Inode create(FileName name, FileType type, int permissions, int uid, int gid, long rdev) {
    synchronized (fs.lock) {
      if (type == FileType.SYMLINK || type == null) {
        throw Errno.EINVAL.exception("create of a " + type);
      }
      Path path = prepareAdd(name);
      long now = VfsClock.nowNanos();
      NioInode child;
      if (type == FileType.DIRECTORY) {
        fs.host.createDirectory(path);
        NioDirectory dir = new NioDirectory(fs, fs.nextIno());
        dir.markEmpty();
        child = dir;
      } else {
        fs.host.createFile(path);
        child = new NioInode(fs, fs.nextIno(), type);
        child.placeholder = type != FileType.REGULAR;
        child.nlink = 1;
        child.rdev = type.isDevice() ? rdev : 0;
      }
      child.stampNew(permissions, uid, gid, now);
      add(name, child, now);
      fs.log.added(this, name, child);
      return child;
    }
  }

  @Override
  public Inode symlink(FileName name, byte[] target, int uid, int gid) {
    synchronized (fs.lock) {
      if (target.length == 0) {
        throw Errno.ENOENT.exception("empty symlink target");
      }
      Path path = prepareAdd(name);
      long now = VfsClock.nowNanos();
      NioInode child = new NioInode(fs, fs.nextIno(), FileType.SYMLINK);
      child.placeholder = !fs.host.createSymlink(path, target);
      child.symlinkTarget = target.clone();
      child.nlink = 1;
      child.stampNew(0777, uid, gid, now);
      add(name, child, now);
      fs.log.added(this, name, child);
      return child;
    }
  }

  @Override
  public void link(FileName name, Inode target) {
    synchronized (fs.lock) {
      if (!(target instanceof NioInode) || ((NioInode) target).fs != fs) {
        throw Errno.EXDEV.exception();
      }
      NioInode file = (NioInode) target;
      if (file.type == FileType.DIRECTORY) {
        throw Errno.EPERM.exception("hard link to a directory");
      }
      Path path = prepareAdd(name);
      if (file.nlink == 0) {
        throw Errno.ENOENT.exception("file has no name left");
      }
      if (file.nlink >= LINK_MAX) {
        throw Errno.EMLINK.exception();
      }
      fs.host.link(file, path);
      long now = VfsClock.nowNanos();
      file.nlink++;
      file.ctimeNs = now;
      add(name, file, now);
      fs.linkGroupJoined(file);
      fs.log.added(this, name, file);
    }
  }

  @Override
  public void unlink(FileName name) {
    synchronized (fs.lock) {
      fs.checkWritable();
      NioInode child = entries().get(name);
      if (child == null) {
        throw Errno.ENOENT.exception(name.toString());
      }
      if (child.type == FileType.DIRECTORY) {
        throw Errno.EISDIR.exception(name.toString());
      }
      Path path = fs.childPath(hostPath(), name);
      if (child.nlink == 1 && child.isOpen()) {
        fs.host.retire(child, path);
      } else {
        fs.host.delete(path);
      }
      long now = VfsClock.nowNanos();
      entries.remove(name);
      dropName(child, this, name, now);
      touchEntries(now);
      fs.log.removed(this, name, child);
    }
  }

  /** A name of {@code child} is gone: fewer links, ctime now. */
  private static void dropName(NioInode child, NioDirectory dir, FileName name, long now) {
    child.removeLink(dir, name);
    child.ctimeNs = now;
    if (child.type == FileType.DIRECTORY) {
      ((NioDirectory) child).removed = true;
      dir.subdirs--;
    } else {
      child.nlink--;
      if (child.nlink == 0) {
        child.fs.linkGroupLeft(child);
      }
    }
  }

  @Override
  public void rmdir(FileName name) {
    synchronized (fs.lock) {
      fs.checkWritable();
      NioInode child = entries().get(name);
      if (child == null) {
        throw Errno.ENOENT.exception(name.toString());
      }
      if (child.type != FileType.DIRECTORY) {
        throw Errno.ENOTDIR.exception(name.toString());
      }
      if (!((NioDirectory) child).entries().isEmpty()) {
        throw Errno.ENOTEMPTY.exception(name.toString());
      }
      fs.host.delete(fs.childPath(hostPath(), name));
      long now = VfsClock.nowNanos();
      entries.remove(name);
      dropName(child, this, name, now);
      touchEntries(now);
      fs.log.removed(this, name, child);
    }
  }

  @Override
  public void rename(FileName name, Inode newParent, FileName newName, int flags) {
    synchronized (fs.lock) {
      fs.checkWritable();
      if (!(newParent instanceof NioDirectory) || ((NioDirectory) newParent).fs != fs) {
        throw Errno.EXDEV.exception();
      }
      if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0
          || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
        throw Errno.EINVAL.exception("rename flags " + flags);
      }
      NioDirectory to = (NioDirectory) newParent;
      NioInode src = entries().get(name);
      if (src == null) {
        throw Errno.ENOENT.exception(name.toString());
      }
      if (to.removed) {
        throw Errno.ENOENT.exception("target directory was removed");
      }
      NioInode dst = to.entries().get(newName);
      if ((flags & RENAME_EXCHANGE) != 0) {
        if (dst == null) {
          throw Errno.ENOENT.exception(newName.toString());
        }
        if (dst != src) {
          exchange(name, src, to, newName, dst);
        }
        return;
      }
      if (dst != null && (flags & RENAME_NOREPLACE) != 0) {
        throw Errno.EEXIST.exception(newName.toString());
      }
      if (dst == src) {
        return; // the same entry, or two names of one file: rename(2) does nothing
      }
      if (dst != null) {
        if (src.type == FileType.DIRECTORY && dst.type != FileType.DIRECTORY) {
          throw Errno.ENOTDIR.exception(newName.toString());
        }
        if (src.type != FileType.DIRECTORY && dst.type == FileType.DIRECTORY) {
          throw Errno.EISDIR.exception(newName.toString());
        }
        if (dst.type == FileType.DIRECTORY && !((NioDirectory) dst).entries().isEmpty()) {
          throw Errno.ENOTEMPTY.exception(newName.toString());
        }
      }
      Path from = fs.childPath(hostPath(), name);
      Path toPath = fs.childPath(to.hostPath(), newName);
      if (dst != null && dst.type != FileType.DIRECTORY && dst.nlink == 1 && dst.isOpen()) {
        fs.host.retire(dst, toPath); // its data lives on for whoever has it open
      }
      fs.host.move(from, toPath, dst != null && dst.type == FileType.DIRECTORY);
      long now = VfsClock.nowNanos();
      entries.remove(name);
      if (dst != null) {
        dropName(dst, to, newName, now);
      }
      to.entries.put(newName, src);
      src.moveLink(this, name, to, newName);
      if (src.type == FileType.DIRECTORY) {
        subdirs--;
        to.subdirs++;
        fs.pathGeneration++;
      }
      src.ctimeNs = now;
      touchEntries(now);
      to.touchEntries(now);
      fs.log.renamed(this, name, to, newName, src, dst);
    }
  }

  private void exchange(FileName name, NioInode src, NioDirectory to, FileName newName,
      NioInode dst) {
    Path a = fs.childPath(hostPath(), name);
    Path b = fs.childPath(to.hostPath(), newName);
    fs.host.exchange(a, b);
    long now = VfsClock.nowNanos();
    entries.put(name, dst);
    to.entries.put(newName, src);
    src.moveLink(this, name, to, newName);
    dst.moveLink(to, newName, this, name);
    if (src.type == FileType.DIRECTORY) {
      subdirs--;
      to.subdirs++;
    }
    if (dst.type == FileType.DIRECTORY) {
      to.subdirs--;
      subdirs++;
    }
    if (src.type == FileType.DIRECTORY || dst.type == FileType.DIRECTORY) {
      fs.pathGeneration++;
    }
    src.ctimeNs = now;
    dst.ctimeNs = now;
    touchEntries(now);
    to.touchEntries(now);
    fs.log.exchanged(this, name, dst, to, newName, src);
  }
}
