package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The metadata a store's host cannot keep (Linux mode bits, owners, device numbers, node types,
 * nanosecond times, xattrs, inode numbers and so hard-link groups), one record per name, in
 * {@code .blink-chroot/meta}. Written whole at flush (temp file, fsync, atomic rename), so a crash
 * leaves either the old or the new version; a CRC catches anything else. Read once at open. The
 * changes made since the last flush are in the {@link MetadataJournal}.
 *
 * <p>Records are keyed by the parent directory's inode number and the host name, because inode
 * numbers survive renames: a directory moved before it was ever listed still finds its children.
 */
final class MetadataSidecar {
  static final String FILE_NAME = "meta";
  private static final int MAGIC = 0x42435343; // "BCSC"
  private static final int VERSION = 1;
  /** Header flag: names were escaped for a case-insensitive host. */
  static final int FLAG_CASE_INSENSITIVE = 1;
  private static final int RECORD_PLACEHOLDER = 1;
  /**
   * Record flag: the file was open for writing when this was recorded, so the host's mtime may
   * be later than the record's (writes are not recorded one by one). Old readers ignore it.
   */
  private static final int RECORD_DATA_MAY_BE_NEWER = 2;

  /** One name's metadata as persisted. */
  static final class Record {
    long parentIno;
    String hostName;
    byte[] name;
    long ino;
    FileType type;
    boolean placeholder;
    boolean dataMayBeNewer;
    int permissions;
    int uid;
    int gid;
    long rdev;
    long atimeNs;
    long mtimeNs;
    long ctimeNs;
    int nlink;
    byte[] symlinkTarget;
    Map<String, byte[]> xattrs;
  }

  /** What a store's sidecar holds. */
  static final class Contents {
    int flags;
    long nextIno;
    Record root;
    /** parent ino -> host name -> record, in the directory's readdir order. */
    final Map<Long, Map<String, Record>> byParent = new HashMap<>();
  }

  private MetadataSidecar() {}

  /** The sidecar in {@code dir}, or null if there is none yet. */
  static Contents read(Path dir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(FILE_NAME));
    } catch (NoSuchFileException e) {
      return null;
    }
    if (bytes.length < 8) {
      throw Errno.EIO.exception("metadata sidecar truncated: " + dir);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    if (stored != crc.getValue()) {
      throw Errno.EIO.exception("metadata sidecar checksum mismatch: " + dir);
    }
    DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
    try {
      if (in.readInt() != MAGIC) {
        throw Errno.EIO.exception("not a metadata sidecar: " + dir);
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw Errno.EIO.exception("metadata sidecar version " + version + " unknown: " + dir);
      }
      Contents c = new Contents();
      c.flags = in.readInt();
      c.nextIno = in.readLong();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        Record r = readRecord(in);
        if (r.parentIno == 0) {
          c.root = r;
        } else {
          c.byParent.computeIfAbsent(r.parentIno, k -> new LinkedHashMap<>()).put(r.hostName, r);
        }
      }
      return c;
    } catch (EOFException e) {
      throw Errno.EIO.exception("metadata sidecar truncated: " + dir);
    }
  }

  private static Record readRecord(DataInputStream in) throws IOException {
    Record r = new Record();
    r.parentIno = in.readLong();
    r.hostName = in.readUTF();
    r.name = new byte[in.readUnsignedShort()];
    in.readFully(r.name);
    r.ino = in.readLong();
    readMeta(in, r);
    return r;
  }

  /**
   * Reads what a record says of the node itself (everything after its name and number): the
   * part a journal's node record shares with the sidecar.
   */
  static void readMeta(DataInputStream in, Record r) throws IOException {
    r.type = FileType.ofMode(in.readUnsignedByte() << 12);
    if (r.type == null) {
      throw Errno.EIO.exception("metadata sidecar: bad file type");
    }
    int recordFlags = in.readUnsignedByte();
    r.placeholder = (recordFlags & RECORD_PLACEHOLDER) != 0;
    r.dataMayBeNewer = (recordFlags & RECORD_DATA_MAY_BE_NEWER) != 0;
    r.permissions = in.readInt();
    r.uid = in.readInt();
    r.gid = in.readInt();
    r.rdev = in.readLong();
    r.atimeNs = in.readLong();
    r.mtimeNs = in.readLong();
    r.ctimeNs = in.readLong();
    r.nlink = in.readInt();
    int targetLength = in.readInt();
    if (targetLength >= 0) {
      r.symlinkTarget = new byte[targetLength];
      in.readFully(r.symlinkTarget);
    }
    int xattrCount = in.readInt();
    if (xattrCount > 0) {
      r.xattrs = new LinkedHashMap<>();
      for (int i = 0; i < xattrCount; i++) {
        String name = in.readUTF();
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        r.xattrs.put(name, value);
      }
    }
  }

  /**
   * Writes the sidecar durably: a temp file, forced to disk, then atomically renamed over.
   *
   * @return its size in bytes
   */
  static long write(Path dir, int flags, long nextIno, List<Record> records) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + records.size() * 96);
    DataOutputStream out = new DataOutputStream(buffer);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(flags);
    out.writeLong(nextIno);
    out.writeInt(records.size());
    for (Record r : records) {
      writeRecord(out, r);
    }
    out.flush();
    CRC32 crc = new CRC32();
    byte[] body = buffer.toByteArray();
    crc.update(body);
    ByteBuffer all = ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue());
    all.flip();
    long size = all.remaining();

    Path temp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
        LinkOption.NOFOLLOW_LINKS)) {
      while (all.hasRemaining()) {
        ch.write(all);
      }
      ch.force(true);
    }
    Path target = dir.resolve(FILE_NAME);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(dir);
    return size;
  }

  /**
   * Makes the rename itself durable before the caller deletes the journal it replaces; best
   * effort, since not every host can open a directory (Windows cannot).
   */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file itself was forced; only the directory entry's durability is left to the host.
    }
  }

  private static void writeRecord(DataOutputStream out, Record r) throws IOException {
    out.writeLong(r.parentIno);
    out.writeUTF(r.hostName);
    out.writeShort(r.name.length);
    out.write(r.name);
    out.writeLong(r.ino);
    writeMeta(out, r);
  }

  /** Writes what {@link #readMeta} reads. */
  static void writeMeta(DataOutputStream out, Record r) throws IOException {
    out.writeByte(r.type.modeBits() >>> 12);
    out.writeByte((r.placeholder ? RECORD_PLACEHOLDER : 0)
        | (r.dataMayBeNewer ? RECORD_DATA_MAY_BE_NEWER : 0));
    out.writeInt(r.permissions);
    out.writeInt(r.uid);
    out.writeInt(r.gid);
    out.writeLong(r.rdev);
    out.writeLong(r.atimeNs);
    out.writeLong(r.mtimeNs);
    out.writeLong(r.ctimeNs);
    out.writeInt(r.nlink);
    if (r.symlinkTarget == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(r.symlinkTarget.length);
      out.write(r.symlinkTarget);
    }
    Map<String, byte[]> xattrs = r.xattrs;
    out.writeInt(xattrs == null ? 0 : xattrs.size());
    if (xattrs != null) {
      for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        out.write(e.getValue());
      }
    }
  }

  /** Copies what {@link #writeMeta} writes from {@code from} into {@code to}. */
  static void copyMeta(Record from, Record to) {
    to.type = from.type;
    to.placeholder = from.placeholder;
    to.dataMayBeNewer = from.dataMayBeNewer;
    to.permissions = from.permissions;
    to.uid = from.uid;
    to.gid = from.gid;
    to.rdev = from.rdev;
    to.atimeNs = from.atimeNs;
    to.mtimeNs = from.mtimeNs;
    to.ctimeNs = from.ctimeNs;
    to.nlink = from.nlink;
    to.symlinkTarget = from.symlinkTarget;
    to.xattrs = from.xattrs == null ? null : new LinkedHashMap<>(from.xattrs);
  }

  static List<Record> newList(int expected) {
    return new ArrayList<>(expected);
  }
}
