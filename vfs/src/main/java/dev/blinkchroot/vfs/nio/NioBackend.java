package dev.blinkchroot.vfs.nio;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import dev.blinkchroot.vfs.DeviceIds;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.StatFs;
import dev.blinkchroot.vfs.VfsClock;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The file-system backend over a java.nio directory: the in-memory store (Jimfs), a store that
 * blink-chroot owns on the host, or a user's host directory bound into the guest. The host keeps
 * names and data; every inode keeps its Linux metadata, which a store also persists: each change
 * in a journal as it happens, everything in a sidecar at flush. One lock guards the whole backend.
 */
public final class NioBackend implements FileSystemBackend {
  enum Kind { MEMORY, STORE, BIND }

  /** Jimfs blocks: the page size, so small files waste little heap. */
  private static final int MEMORY_BLOCK_SIZE = 4096;
  /** Freed Jimfs blocks kept for reuse; beyond this they go back to the garbage collector. */
  private static final long MEMORY_BLOCK_CACHE = 4L << 20;
  static final long ROOT_INO = 1;

  final Object lock = new Object();
  final Kind kind;
  private final boolean readOnly;
  private final long deviceId = DeviceIds.next();
  final HostTree host;
  final HostLoader loader;
  final NioDirectory root;
  /** Where a writable store records its metadata changes; does nothing for the other kinds. */
  final ChangeLog log;
  /** Bumped when a directory moves, so cached host paths below it are recomputed. */
  long pathGeneration;
  private long nextIno = ROOT_INO + 1;
  /** Records of directories not listed yet (a store only). */
  private MetadataSidecar.Contents sidecar;
  private int sidecarFlags;
  /** Hard-linked files by inode number, so a name met later joins its group. */
  final Map<Long, NioInode> linkGroups = new HashMap<>();
  /** A bind's hard-linked host files by host file key. */
  final Map<Object, NioInode> byFileKey = new HashMap<>();

  private NioBackend(Kind kind, boolean readOnly, NameCodec codec, Path hostRoot, Path privateDir,
      MetadataJournal journal) {
    this.kind = kind;
    this.readOnly = readOnly;
    this.host = new HostTree(kind, codec, hostRoot, privateDir);
    this.loader = new HostLoader(this, host);
    this.root = new NioDirectory(this, ROOT_INO);
    this.log = new ChangeLog(this, journal);
  }

  /** A fresh empty in-memory store on Jimfs (unix config); root dir mode 0755 uid 0 gid 0. */
  public static NioBackend memory() {
    Configuration config = Configuration.unix().toBuilder()
        .setBlockSize(MEMORY_BLOCK_SIZE)
        .setMaxCacheSize(MEMORY_BLOCK_CACHE)
        // Metadata lives in the inodes; Jimfs need not keep owners and modes per file.
        .setAttributeViews("basic")
        .setSupportedFeatures(Feature.LINKS, Feature.FILE_CHANNEL)
        .build();
    FileSystem jimfs = Jimfs.newFileSystem(config);
    Path hostRoot = jimfs.getPath("/r");
    try {
      Files.createDirectory(hostRoot);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
    NioBackend fs = new NioBackend(Kind.MEMORY, false, NameCodec.latin1(), hostRoot,
        jimfs.getPath("/p"), null);
    fs.root.markEmpty();
    fs.root.stampNew(0755, 0, 0, VfsClock.nowNanos());
    return fs;
  }

  /**
   * A store blink-chroot owns at hostDir (created if missing): escaped names, persistent
   * metadata. Opening replays the journal a run that ended without a flush left behind, and
   * (unless read-only) folds it into the sidecar at once.
   *
   * @throws dev.blinkchroot.vfs.ErrnoException EIO, naming the file, when the sidecar or the
   *     journal is damaged (the store is not opened rather than opened without its metadata)
   */
  public static NioBackend hostStore(Path hostDir, boolean readOnly) {
    return openStore(hostDir, readOnly, !readOnly);
  }

  /**
   * A writable store that records no change as it happens, for a directory that is used only
   * after its flush (the import cache builds a tree aside and publishes it whole): a run that
   * dies first leaves a directory nobody opens, so a journal would cost a write per change for
   * nothing. Its metadata reaches the disk at flush only.
   */
  public static NioBackend hostStoreUnjournaled(Path hostDir) {
    return openStore(hostDir, false, false);
  }

  private static NioBackend openStore(Path hostDir, boolean readOnly, boolean withJournal) {
    try {
      if (!readOnly) {
        Files.createDirectories(hostDir);
      }
      checkDirectory(hostDir);
      Path privateDir = hostDir.resolve(NameCodec.PRIVATE_DIR);
      MetadataSidecar.Contents contents = MetadataSidecar.read(privateDir);
      JournalReplay replay = new JournalReplay(contents);
      MetadataJournal.Found journaled = MetadataJournal.read(privateDir, replay);
      if (journaled != null) {
        if (contents != null && contents.flags != journaled.flags()) {
          throw Errno.EIO.exception("metadata journal and sidecar disagree on how names are "
              + "kept: " + privateDir);
        }
        contents = replay.finish(journaled.flags());
      }
      boolean caseInsensitive;
      if (contents != null) {
        caseInsensitive = (contents.flags & MetadataSidecar.FLAG_CASE_INSENSITIVE) != 0;
      } else if (!readOnly) {
        caseInsensitive = HostTree.probeCaseInsensitive(privateDir);
      } else {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        caseInsensitive = os.contains("win") || os.contains("mac");
      }
      int flags = caseInsensitive ? MetadataSidecar.FLAG_CASE_INSENSITIVE : 0;
      NioBackend fs = new NioBackend(Kind.STORE, readOnly, NameCodec.escaping(caseInsensitive),
          hostDir, privateDir, withJournal ? new MetadataJournal(privateDir, flags) : null);
      fs.sidecar = contents;
      fs.sidecarFlags = flags;
      if (contents != null) {
        fs.nextIno = Math.max(fs.nextIno, contents.nextIno);
      }
      if (contents != null && contents.root != null) {
        HostLoader.apply(contents.root, fs.root);
      } else {
        fs.describeRootFromHost(0755, 0, 0);
      }
      if (!readOnly) {
        fs.host.sweepPrivateArea();
        if (journaled != null) {
          fs.flush(); // so the journal this session appends to starts empty
        }
      }
      return fs;
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /** A user's host directory bound into the guest: names verbatim, metadata from the host; what the host cannot keep lives in memory for the session. */
  public static NioBackend hostBind(Path hostDir, boolean readOnly) {
    try {
      checkDirectory(hostDir);
      NioBackend fs = new NioBackend(Kind.BIND, readOnly, NameCodec.verbatim(), hostDir, null,
          null);
      fs.describeRootFromHost(-1, -1, -1);
      return fs;
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  private static void checkDirectory(Path hostDir) throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(hostDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isDirectory()) {
      throw Errno.ENOTDIR.exception(hostDir.toString());
    }
  }

  /** Root metadata from the host; -1 arguments keep what the host says. */
  private void describeRootFromHost(int permissions, int uid, int gid) throws IOException {
    BasicFileAttributes attrs = host.attributes(host.root);
    NioInode described = loader.fromHost(host.root, attrs);
    root.permissions = permissions >= 0 ? permissions : described.permissions;
    root.uid = uid >= 0 ? uid : described.uid;
    root.gid = gid >= 0 ? gid : described.gid;
    root.atimeNs = described.atimeNs;
    root.mtimeNs = described.mtimeNs;
    root.ctimeNs = described.ctimeNs;
  }

  @Override
  public Inode root() {
    return root;
  }

  @Override
  public long deviceId() {
    return deviceId;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public String typeName() {
    switch (kind) {
      case MEMORY: return "tmpfs";
      case STORE: return "ext4";
      default: return "hostfs";
    }
  }

  @Override
  public StatFs statfs() {
    long magic = kind == Kind.MEMORY ? StatFs.TMPFS_MAGIC : StatFs.EXT4_SUPER_MAGIC;
    long blockSize = 4096;
    long total = 0;
    long free = 0;
    long usable = 0;
    try {
      FileStore store = Files.getFileStore(host.root);
      total = store.getTotalSpace();
      free = store.getUnallocatedSpace();
      usable = store.getUsableSpace();
    } catch (IOException | UnsupportedOperationException e) {
      // Unknown sizes read as zero, as for a pseudo file system.
    }
    long files;
    synchronized (lock) {
      files = nextIno;
    }
    long filesFree = Math.max(0, free / blockSize);
    return new StatFs(magic, blockSize, total / blockSize, free / blockSize, usable / blockSize,
        files + filesFree, filesFree, deviceId, FileName.NAME_MAX, blockSize,
        readOnly ? StatFs.ST_RDONLY : 0);
  }

  /**
   * Writes the sidecar durably (atomic replace), then deletes the journal it now holds. A crash
   * in between leaves both, and replaying the journal over that sidecar changes nothing. No-op
   * for memory/bind.
   */
  @Override
  public void flush() {
    if (kind != Kind.STORE || readOnly) {
      return;
    }
    synchronized (lock) {
      try {
        Uninterrupted.run(() -> {
          Files.createDirectories(host.privateDir);
          long size = MetadataSidecar.write(host.privateDir, sidecarFlags, nextIno, records());
          log.folded(size);
        });
      } catch (IOException e) {
        throw HostErrors.translate(e);
      }
    }
  }

  /** Every name's record: the listed tree walked, plus the records of unlisted directories. */
  private List<MetadataSidecar.Record> records() {
    List<MetadataSidecar.Record> out = MetadataSidecar.newList(1024);
    out.add(record(0, "", new byte[0], root));
    Deque<NioDirectory> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      NioDirectory dir = pending.pop();
      if (dir.entries == null) {
        continue;
      }
      for (FileName name : dir.entries.names()) {
        NioInode child = dir.entries.get(name);
        out.add(record(dir.ino, host.codec.toHost(name), name.bytes(), child));
        if (child instanceof NioDirectory) {
          pending.push((NioDirectory) child);
        }
      }
    }
    if (sidecar != null) {
      for (Map<String, MetadataSidecar.Record> records : sidecar.byParent.values()) {
        out.addAll(records.values());
      }
    }
    return out;
  }

  private MetadataSidecar.Record record(long parentIno, String hostName, byte[] name,
      NioInode n) {
    MetadataSidecar.Record r = meta(n);
    r.parentIno = parentIno;
    r.hostName = hostName;
    r.name = name;
    return r;
  }

  /** {@code n}'s number and metadata as a record persists them (no name). */
  MetadataSidecar.Record meta(NioInode n) {
    MetadataSidecar.Record r = new MetadataSidecar.Record();
    r.ino = n.ino;
    r.type = n.type;
    r.placeholder = n.placeholder;
    r.dataMayBeNewer = n.writing;
    r.permissions = n.permissions;
    r.uid = n.uid;
    r.gid = n.gid;
    r.rdev = n.rdev;
    r.atimeNs = n.atimeNs;
    r.mtimeNs = n.mtimeNs;
    r.ctimeNs = n.ctimeNs;
    r.nlink = n.type == FileType.DIRECTORY ? 0 : n.nlink;
    r.symlinkTarget = n.type == FileType.SYMLINK ? n.target() : null;
    r.xattrs = n.xattrs;
    return r;
  }

  // ---- for the inodes (callers hold the lock) ----

  void checkWritable() {
    if (readOnly) {
      throw Errno.EROFS.exception();
    }
  }

  long nextIno() {
    return nextIno++;
  }

  void inoSeen(long ino) {
    if (ino >= nextIno) {
      nextIno = ino + 1;
    }
  }

  Path childPath(Path dir, FileName name) {
    return host.child(dir, name);
  }

  Map<String, MetadataSidecar.Record> takeRecords(long dirIno) {
    return sidecar == null ? null : sidecar.byParent.remove(dirIno);
  }

  void linkGroupJoined(NioInode file) {
    if (file.nlink > 1) {
      linkGroups.put(file.ino, file);
    }
  }

  void linkGroupLeft(NioInode file) {
    linkGroups.remove(file.ino);
  }

  @Override
  public String toString() {
    return "NioBackend[" + kind + " " + host.root.toUri() + (readOnly ? " ro" : "") + "]";
  }
}
