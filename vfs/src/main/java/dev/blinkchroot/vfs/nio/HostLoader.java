package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.DirectoryIndex;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a host directory into inodes, once per directory: the sidecar record of a name when
 * there is one that still fits the host entry, else what the host says (a bind's truth, or a
 * store's fallback for entries made behind its back or before a crash).
 */
final class HostLoader {
  private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,rdev,nlink,ctime";

  private final NioBackend fs;
  private final HostTree host;

  HostLoader(NioBackend fs, HostTree host) {
    this.fs = fs;
    this.host = host;
  }

  void load(NioDirectory dir) {
    Path dirPath = dir.hostPath();
    Map<String, MetadataSidecar.Record> records = fs.takeRecords(dir.ino);
    DirectoryIndex<NioInode> index = new DirectoryIndex<>();
    int subdirs = 0;
    boolean isRoot = dir.linkDir == null;
    for (String hostName : inReaddirOrder(host.list(dirPath), records)) {
      if (isRoot && fs.kind == NioBackend.Kind.STORE && hostName.equals(NameCodec.PRIVATE_DIR)) {
        continue;
      }
      MetadataSidecar.Record record = records == null ? null : records.get(hostName);
      FileName name = record != null ? nameOf(record.name) : host.codec.toGuest(hostName);
      if (name == null || index.contains(name)) {
        continue; // not a name of ours (a hash whose record is lost, a foreign spelling)
      }
      Path path = dirPath.resolve(hostName);
      NioInode child;
      try {
        BasicFileAttributes attrs = host.attributes(path);
        child = record != null && fits(record, attrs) ? fromRecord(record, attrs) : fromHost(path, attrs);
      } catch (IOException e) {
        continue; // vanished while we listed
      }
      if (child == null) {
        continue;
      }
      index.put(name, child);
      child.addLink(dir, name);
      if (child.type == FileType.DIRECTORY) {
        subdirs++;
      }
    }
    dir.entries = index;
    dir.subdirs = subdirs;
  }

  /**
   * The names the sidecar knows first, in the order it kept (the readdir order of the last
   * session), then the others in host-name order.
   */
  private static List<String> inReaddirOrder(List<String> listed,
      Map<String, MetadataSidecar.Record> records) {
    if (records == null || records.isEmpty()) {
      return listed;
    }
    Set<String> present = new HashSet<>(listed);
    List<String> ordered = new ArrayList<>(listed.size());
    for (String hostName : records.keySet()) {
      if (present.remove(hostName)) {
        ordered.add(hostName);
      }
    }
    for (String hostName : listed) {
      if (present.contains(hostName)) {
        ordered.add(hostName);
      }
    }
    return ordered;
  }

  private static FileName nameOf(byte[] bytes) {
    try {
      return FileName.of(bytes);
    } catch (ErrnoException e) {
      return null;
    }
  }

  /** Whether the host entry is still what the record describes (it may not be after a crash). */
  private static boolean fits(MetadataSidecar.Record r, BasicFileAttributes attrs) {
    switch (r.type) {
      case DIRECTORY:
        return attrs.isDirectory();
      case REGULAR:
        return attrs.isRegularFile();
      case SYMLINK:
        return attrs.isSymbolicLink() || attrs.isRegularFile();
      default:
        return attrs.isRegularFile() || attrs.isOther();
    }
  }

  private NioInode fromRecord(MetadataSidecar.Record r, BasicFileAttributes attrs) {
    if (r.type != FileType.DIRECTORY && r.nlink > 1) {
      NioInode known = fs.linkGroups.get(r.ino);
      if (known != null && known.type == r.type) {
        return known; // another name of a hard-linked file met earlier
      }
    }
    NioInode n = r.type == FileType.DIRECTORY
        ? new NioDirectory(fs, r.ino) : new NioInode(fs, r.ino, r.type);
    apply(r, n);
    n.placeholder = r.type != FileType.REGULAR && r.type != FileType.DIRECTORY
        && attrs.isRegularFile();
    long hostMtime = HostTree.nanos(attrs.lastModifiedTime());
    if (r.dataMayBeNewer && r.type == FileType.REGULAR && hostMtime > n.mtimeNs) {
      // The file was open for writing when the run ended; its last writes were not recorded,
      // but the host saw them.
      n.mtimeNs = hostMtime;
      n.ctimeNs = Math.max(n.ctimeNs, hostMtime);
    }
    fs.inoSeen(r.ino);
    if (n.nlink > 1) {
      fs.linkGroups.put(n.ino, n);
    }
    return n;
  }

  static void apply(MetadataSidecar.Record r, NioInode n) {
    n.permissions = r.permissions;
    n.uid = r.uid;
    n.gid = r.gid;
    n.rdev = r.rdev;
    n.atimeNs = r.atimeNs;
    n.mtimeNs = r.mtimeNs;
    n.ctimeNs = r.ctimeNs;
    n.nlink = r.type == FileType.DIRECTORY ? 0 : Math.max(1, r.nlink);
    n.symlinkTarget = r.symlinkTarget;
    n.xattrs = r.xattrs;
  }

  /** An inode described by the host alone; null for a kind of host entry Linux has no name for. */
  NioInode fromHost(Path path, BasicFileAttributes attrs) throws IOException {
    FileType type = attrs.isDirectory() ? FileType.DIRECTORY
        : attrs.isSymbolicLink() ? FileType.SYMLINK
        : attrs.isRegularFile() ? FileType.REGULAR : null;
    int permissions = type == FileType.DIRECTORY ? 0755 : 0644;
    int uid = 0;
    int gid = 0;
    long rdev = 0;
    int hostNlink = 1;
    long ctime = HostTree.nanos(attrs.lastModifiedTime());
    if (host.unixView && fs.kind == NioBackend.Kind.BIND) {
      // A bind shows the host's own metadata, as a Linux bind mount would.
      Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      int mode = ((Number) unix.get("mode")).intValue();
      FileType byMode = FileType.ofMode(mode);
      if (byMode != null) {
        type = byMode;
      }
      permissions = mode & FileType.PERMISSION_BITS;
      uid = ((Number) unix.get("uid")).intValue();
      gid = ((Number) unix.get("gid")).intValue();
      rdev = type != null && type.isDevice() ? ((Number) unix.get("rdev")).longValue() : 0;
      hostNlink = ((Number) unix.get("nlink")).intValue();
      Object c = unix.get("ctime");
      if (c instanceof FileTime) {
        ctime = HostTree.nanos((FileTime) c);
      }
    } else if (host.posixView && type != null && type != FileType.SYMLINK) {
      permissions = HostTree.fromPosix(
          Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .permissions());
    }
    if (type == null) {
      return null;
    }
    if (type == FileType.SYMLINK) {
      permissions = 0777;
    }
    Object fileKey = attrs.fileKey();
    if (type != FileType.DIRECTORY && hostNlink > 1 && fileKey != null) {
      NioInode known = fs.byFileKey.get(fileKey);
      if (known != null) {
        return known;
      }
    }
    NioInode n = type == FileType.DIRECTORY
        ? new NioDirectory(fs, fs.nextIno()) : new NioInode(fs, fs.nextIno(), type);
    n.permissions = permissions;
    n.uid = uid;
    n.gid = gid;
    n.rdev = rdev;
    n.atimeNs = HostTree.nanos(attrs.lastAccessTime());
    n.mtimeNs = HostTree.nanos(attrs.lastModifiedTime());
    n.ctimeNs = ctime;
    n.nlink = type == FileType.DIRECTORY ? 0 : Math.max(1, hostNlink);
    n.bound = false; // a number made up now: no record knows it yet
    if (type != FileType.DIRECTORY && hostNlink > 1 && fileKey != null) {
      fs.byFileKey.put(fileKey, n);
    }
    return n;
  }
}
