package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.VfsClock;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of a {@link NioBackend}: its Linux metadata lives here (the host keeps the data), and
 * the backend lock guards every field. Directories are {@link NioDirectory}.
 */
class NioInode implements Inode {
  /** EXT4_LINK_MAX: the most names a file may have. */
  static final int LINK_MAX = 65000;
  private static final int XATTR_NAME_MAX = 255;
  private static final int XATTR_SIZE_MAX = 65536;

  /** One name of a hard-linked file beyond its first. */
  record Link(NioDirectory dir, FileName name) {}

  final NioBackend fs;
  final long ino;
  final FileType type;
  /**
   * The host holds a regular file standing in for this node: empty for a device, FIFO or socket,
   * the target bytes for a symlink the host could not make.
   */
  boolean placeholder;
  int permissions;
  int uid;
  int gid;
  long rdev;
  long atimeNs;
  long mtimeNs;
  long ctimeNs;
  /** Names of a non-directory (directories compute theirs). */
  int nlink;
  /** A symlink's target; null until read from the host. */
  byte[] symlinkTarget;
  Map<String, byte[]> xattrs;
  /**
   * A store's sidecar or journal knows this node's number and names. False only for a node the
   * host alone described (see {@link ChangeLog}).
   */
  boolean bound = true;
  /** Written since its metadata was last recorded, by a writer still open ({@link ChangeLog}). */
  boolean writing;

  /** The first name: the directory holding it and the name; null once the last is gone. */
  NioDirectory linkDir;
  /**
   * The directory the last name was removed from: a removed directory's ".." still leads there
   * on Linux (its dentry keeps its parent), so a process sitting in it can climb out.
   */
  NioDirectory formerDir;
  FileName linkName;
  List<Link> moreLinks;

  /** Open contents of a regular file; the data outlives the last name while this is not empty. */
  List<NioFileContent> open;
  /** Where the data went when the last name was removed while the file was open. */
  Path orphanPath;

  NioInode(NioBackend fs, long ino, FileType type) {
    this.fs = fs;
    this.ino = ino;
    this.type = type;
  }

  /** Stamps a new node: all three times now, as Linux does. */
  final void stampNew(int permissions, int uid, int gid, long now) {
    this.permissions = permissions & FileType.PERMISSION_BITS;
    this.uid = uid;
    this.gid = gid;
    this.atimeNs = now;
    this.mtimeNs = now;
    this.ctimeNs = now;
  }

  @Override
  public FileSystemBackend backend() {
    return fs;
  }

  @Override
  public long ino() {
    return ino;
  }

  @Override
  public FileType type() {
    return type;
  }

  // ---- names ----

  final void addLink(NioDirectory dir, FileName name) {
    if (linkDir == null) {
      linkDir = dir;
      linkName = name;
    } else {
      if (moreLinks == null) {
        moreLinks = new ArrayList<>(2);
      }
      moreLinks.add(new Link(dir, name));
    }
  }

  final void removeLink(NioDirectory dir, FileName name) {
    if (linkDir == dir && name.equals(linkName)) {
      if (moreLinks != null && !moreLinks.isEmpty()) {
        Link next = moreLinks.remove(0);
        linkDir = next.dir();
        linkName = next.name();
      } else {
        formerDir = linkDir;
        linkDir = null;
        linkName = null;
      }
    } else if (moreLinks != null) {
      moreLinks.removeIf(l -> l.dir() == dir && l.name().equals(name));
    }
  }

  final void moveLink(NioDirectory dir, FileName name, NioDirectory newDir, FileName newName) {
    removeLink(dir, name);
    addLink(newDir, newName);
  }

  /** Where the host keeps this file's data now; null for a file with no name left nor orphan. */
  Path hostPath() {
    if (orphanPath != null) {
      return orphanPath;
    }
    if (linkDir == null) {
      return null;
    }
    return fs.childPath(linkDir.hostPath(), linkName);
  }

  // ---- attributes ----

  @Override
  public Stat stat() {
    synchronized (fs.lock) {
      long size = size();
      long blocks = type == FileType.REGULAR ? ((size + 4095) / 4096) * 8
          : type == FileType.DIRECTORY ? 8 : 0;
      return new Stat(fs.deviceId(), ino, type.modeBits() | permissions, linkCount(), uid, gid,
          rdev, size, 4096, blocks, atimeNs, mtimeNs, ctimeNs);
    }
  }

  int linkCount() {
    return nlink;
  }

  long size() {
    switch (type) {
      case REGULAR:
        return dataSize();
      case SYMLINK:
        return target().length;
      default:
        return 0;
    }
  }

  private long dataSize() {
    try {
      if (open != null && !open.isEmpty()) {
        return open.get(0).channelSize();
      }
      Path path = hostPath();
      return path == null ? 0 : fs.host.size(path);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  @Override
  public void setPermissions(int permissions) {
    synchronized (fs.lock) {
      fs.checkWritable();
      this.permissions = permissions & FileType.PERMISSION_BITS;
      ctimeNs = VfsClock.nowNanos();
      fs.host.permissionsChanged(this);
      fs.log.changed(this);
    }
  }

  @Override
  public void setOwner(int uid, int gid) {
    synchronized (fs.lock) {
      fs.checkWritable();
      if (uid != -1) {
        this.uid = uid;
      }
      if (gid != -1) {
        this.gid = gid;
      }
      ctimeNs = VfsClock.nowNanos();
      fs.log.changed(this);
    }
  }

  @Override
  public void setTimes(long atimeNs, long mtimeNs) {
    synchronized (fs.lock) {
      fs.checkWritable();
      if (atimeNs != OMIT) {
        this.atimeNs = atimeNs;
      }
      if (mtimeNs != OMIT) {
        this.mtimeNs = mtimeNs;
      }
      ctimeNs = VfsClock.nowNanos();
      fs.host.timesChanged(this);
      fs.log.changed(this);
    }
  }

  /** Data written or cut: mtime and ctime become now. */
  final void touchData() {
    long now = VfsClock.nowNanos();
    mtimeNs = now;
    ctimeNs = now;
    fs.log.dataWritten(this);
  }

  // ---- extended attributes ----

  /** EOPNOTSUPP for a namespace this backend does not keep; ERANGE for a name too long. */
  private static void checkXattrName(String name) {
    if (name.length() > XATTR_NAME_MAX) {
      throw Errno.ERANGE.exception(name);
    }
    boolean known = (name.startsWith("user.") && name.length() > 5)
        || (name.startsWith("trusted.") && name.length() > 8)
        || (name.startsWith("security.") && name.length() > 9);
    if (!known) {
      throw Errno.EOPNOTSUPP.exception(name);
    }
  }

  /** xattr(7): user attributes belong to regular files and directories only. */
  private boolean userXattrsAllowed() {
    return type == FileType.REGULAR || type == FileType.DIRECTORY;
  }

  @Override
  public byte[] getXattr(String name) {
    synchronized (fs.lock) {
      checkXattrName(name);
      byte[] value = xattrs == null ? null : xattrs.get(name);
      if (value == null) {
        throw Errno.ENODATA.exception(name);
      }
      return value.clone();
    }
  }

  @Override
  public void setXattr(String name, byte[] value, int flags) {
    synchronized (fs.lock) {
      fs.checkWritable();
      checkXattrName(name);
      if (value.length > XATTR_SIZE_MAX) {
        throw Errno.E2BIG.exception(name);
      }
      if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) {
        throw Errno.EINVAL.exception("xattr flags " + flags);
      }
      if (name.startsWith("user.") && !userXattrsAllowed()) {
        throw Errno.EPERM.exception("user xattrs on a " + type);
      }
      boolean present = xattrs != null && xattrs.containsKey(name);
      if ((flags & XATTR_CREATE) != 0 && present) {
        throw Errno.EEXIST.exception(name);
      }
      if ((flags & XATTR_REPLACE) != 0 && !present) {
        throw Errno.ENODATA.exception(name);
      }
      if (xattrs == null) {
        xattrs = new LinkedHashMap<>(4);
      }
      xattrs.put(name, value.clone());
      ctimeNs = VfsClock.nowNanos();
      fs.log.changed(this);
    }
  }

  @Override
  public List<String> listXattrs() {
    synchronized (fs.lock) {
      return xattrs == null ? List.of() : List.copyOf(xattrs.keySet());
    }
  }

  @Override
  public void removeXattr(String name) {
    synchronized (fs.lock) {
      fs.checkWritable();
      checkXattrName(name);
      if (xattrs == null || xattrs.remove(name) == null) {
        throw Errno.ENODATA.exception(name);
      }
      if (xattrs.isEmpty()) {
        xattrs = null;
      }
      ctimeNs = VfsClock.nowNanos();
      fs.log.changed(this);
    }
  }

  // ---- symlinks ----

  @Override
  public byte[] readlink() {
    if (type != FileType.SYMLINK) {
      throw Errno.EINVAL.exception();
    }
    synchronized (fs.lock) {
      return target().clone();
    }
  }

  /** The target, read from the host the first time. */
  final byte[] target() {
    if (symlinkTarget == null) {
      symlinkTarget = fs.host.readTarget(this, hostPath());
    }
    return symlinkTarget;
  }

  // ---- regular files ----

  @Override
  public FileContent openContent(boolean writable) {
    if (type != FileType.REGULAR) {
      throw Errno.EINVAL.exception("not a regular file");
    }
    synchronized (fs.lock) {
      if (writable) {
        fs.checkWritable();
      }
      Path path = hostPath();
      SeekableByteChannel channel;
      if (path != null) {
        channel = fs.host.open(path, writable);
      } else {
        // No name is left, but the file is still open (Linux lets /proc/PID/fd/N reopen it, and
        // a mapping outlives its descriptor): share an open content's channel.
        channel = openChannel(writable);
      }
      NioFileContent content = new NioFileContent(this, channel, writable);
      if (open == null) {
        open = new ArrayList<>(2);
      }
      open.add(content);
      return content;
    }
  }

  /** The channel of an open content usable for {@code writable} access; caller holds the lock. */
  private SeekableByteChannel openChannel(boolean writable) {
    if (open != null) {
      for (NioFileContent c : open) {
        if (c.writable() || !writable) {
          return c.channel();
        }
      }
    }
    throw Errno.ENOENT.exception("file has no name left");
  }

  /** Called by a content's close: the last close of an unlinked file frees its data. */
  final void closed(NioFileContent content) {
    synchronized (fs.lock) {
      if (open != null) {
        open.remove(content);
      }
      if (open == null || open.stream().noneMatch(c -> c.channel() == content.channel())) {
        content.closeChannel();
      }
      if ((open == null || open.isEmpty()) && orphanPath != null && nlink == 0) {
        fs.host.deleteQuietly(orphanPath);
        orphanPath = null;
      }
      if (content.writable()) {
        fs.log.writerClosed(this);
      }
    }
  }

  final boolean isOpen() {
    return open != null && !open.isEmpty();
  }

  final boolean hasWriter() {
    if (open != null) {
      for (NioFileContent c : open) {
        if (c.writable()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return type + "#" + ino + (linkName == null ? "" : " " + linkName);
  }
}
