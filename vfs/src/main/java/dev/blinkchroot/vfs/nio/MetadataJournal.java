package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The metadata changes a store made since its sidecar was last written, appended to
 * {@code .blink-chroot/journal} as they happen, so that a run which ends without a flush (the
 * JVM killed by SIGKILL, SIGTERM or SIGINT, a crash) loses none of them. The next open replays
 * the journal over the sidecar, writes the result as the new sidecar and deletes the journal; a
 * flush does the same.
 *
 * <p>Format: a header (magic "BCJL", version, the sidecar's flags), then records, each a 32-bit
 * body length, the CRC-32 of the body, and the body: a kind byte and
 * <ul>
 *   <li>NODE: inode number, then the node's whole metadata as the sidecar writes it;
 *   <li>LINK: parent inode number, host name, guest name, inode number (the name now leads to
 *       that inode, replacing what it led to);
 *   <li>UNLINK: parent inode number, host name (the name is gone).
 * </ul>
 * Every record sets state outright, never relative to the previous state, so replaying a journal
 * over a sidecar that already holds its changes (a crash between writing the sidecar and deleting
 * the journal) changes nothing.
 *
 * <p>Durability: each operation's records reach the host in one write before the operation
 * returns, and are not forced to the device (except when the guest fsyncs): once written they
 * belong to the host's kernel and survive the JVM's death, however it dies. A power loss may lose
 * the last of them, as it may lose file data not yet synced. A torn last record (a write cut
 * short, a tail of zeros from a power loss) is dropped; damage anywhere before it is an error,
 * never skipped, since skipping would silently lose the changes after it.
 */
final class MetadataJournal {
  static final String FILE_NAME = "journal";
  private static final int MAGIC = 0x42434a4c; // "BCJL"
  private static final int VERSION = 1;
  static final int HEADER_SIZE = 12;
  /** Length and CRC before each body. */
  private static final int FRAME_SIZE = 8;
  /** Far beyond a real record (one node's xattrs are at most a few MiB); a larger one is damage. */
  private static final int MAX_BODY = 64 << 20;
  private static final int NAME_MAX = 255;

  static final int NODE = 1;
  static final int LINK = 2;
  static final int UNLINK = 3;

  /** What a journal's records say, in order. */
  interface Visitor {
    /** {@code meta.ino} now has this metadata (its name fields are unset). */
    void node(MetadataSidecar.Record meta);

    void link(long parentIno, String hostName, byte[] name, long ino);

    void unlink(long parentIno, String hostName);
  }

  private final Path dir;
  private final Path path;
  private final int flags;
  private FileChannel channel;
  /** Where the next record goes: the end of the last whole record written. */
  private long end;

  /** A journal to append to in {@code dir}, made on the first append; none exists yet. */
  MetadataJournal(Path dir, int flags) {
    this.dir = dir;
    this.path = dir.resolve(FILE_NAME);
    this.flags = flags;
  }

  // ---- writing ----

  /** Records of one operation, framed, to be appended together. */
  static final class Batch {
    private final ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(256);
    private final DataOutputStream body = new DataOutputStream(bodyBytes);
    private final ByteArrayOutputStream framed = new ByteArrayOutputStream(512);
    private final CRC32 crc = new CRC32();

    void node(MetadataSidecar.Record meta) {
      try {
        body.writeByte(NODE);
        body.writeLong(meta.ino);
        MetadataSidecar.writeMeta(body, meta);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a byte array does not fail
      }
      frame();
    }

    void link(long parentIno, String hostName, byte[] name, long ino) {
      try {
        body.writeByte(LINK);
        body.writeLong(parentIno);
        body.writeUTF(hostName);
        body.writeShort(name.length);
        body.write(name);
        body.writeLong(ino);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      frame();
    }

    void unlink(long parentIno, String hostName) {
      try {
        body.writeByte(UNLINK);
        body.writeLong(parentIno);
        body.writeUTF(hostName);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      frame();
    }

    private void frame() {
      byte[] b = bodyBytes.toByteArray();
      bodyBytes.reset();
      crc.reset();
      crc.update(b);
      ByteBuffer head = ByteBuffer.allocate(FRAME_SIZE);
      head.putInt(b.length).putInt((int) crc.getValue());
      framed.write(head.array(), 0, FRAME_SIZE);
      framed.write(b, 0, b.length);
    }

    boolean isEmpty() {
      return framed.size() == 0;
    }

    /** The framed records, and the batch emptied for the next operation. */
    byte[] take() {
      byte[] b = framed.toByteArray();
      clear();
      return b;
    }

    void clear() {
      framed.reset();
      bodyBytes.reset();
    }
  }

  /**
   * Appends {@code records} (framed by a {@link Batch}) in one write. Callers hold the backend
   * lock, so appends never interleave.
   */
  void append(byte[] records) throws IOException {
    Uninterrupted.run(() -> {
      boolean fresh = channel == null && end == 0;
      byte[] bytes = fresh ? withHeader(records) : records;
      for (int attempt = 1; ; attempt++) {
        try {
          FileChannel ch = channel(fresh);
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          long at = end;
          while (buf.hasRemaining()) {
            at += ch.write(buf, at);
          }
          end = at;
          return;
        } catch (ClosedChannelException e) {
          // Another thread interrupted us mid-write, which closes the channel: reopen and write
          // the whole batch again at the same place (whatever part of it landed is overwritten).
          channel = null;
          if (attempt == 3) {
            throw e;
          }
        }
      }
    });
  }

  private byte[] withHeader(byte[] records) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + records.length);
    b.putInt(MAGIC).putInt(VERSION).putInt(flags).put(records);
    return b.array();
  }

  private FileChannel channel(boolean fresh) throws IOException {
    if (channel == null) {
      Files.createDirectories(dir);
      channel = fresh
          ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)
          : FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }
    return channel;
  }

  /** Bytes in the journal now (zero before the first append). */
  long size() {
    return end;
  }

  /** Forces what was appended to the device: the guest asked for its data to be durable. */
  void force() throws IOException {
    Uninterrupted.run(() -> {
      if (channel != null) {
        try {
          channel.force(false);
        } catch (ClosedChannelException e) {
          channel = null; // closed by an interrupt; the next append reopens it
        }
      }
    });
  }

  /** Removes the journal once a sidecar holding all of it is safely written. */
  void delete() throws IOException {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing only releases the descriptor; the file is deleted below either way.
      }
      channel = null;
    }
    end = 0;
    Files.deleteIfExists(path);
  }

  // ---- reading ----

  /** What {@link #read} found. */
  record Found(int flags, int records, long validBytes, long totalBytes) {}

  /**
   * Replays the journal in {@code dir} into {@code visitor}, record by record.
   *
   * @return null when there is no journal, or none of it reached the disk (a torn header)
   * @throws dev.blinkchroot.vfs.ErrnoException EIO, one line naming the file and the byte where
   *     it is damaged, when a record before the last is corrupt or the file is not a journal
   */
  static Found read(Path dir, Visitor visitor) throws IOException {
    Path path = dir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (bytes.length < HEADER_SIZE || allZero(bytes, 0)) {
      return null; // killed while the first write was under way: nothing was recorded
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt() != MAGIC) {
      throw Errno.EIO.exception("not a metadata journal: " + path);
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw Errno.EIO.exception("metadata journal version " + version + " unknown: " + path);
    }
    int flags = b.getInt();
    int pos = HEADER_SIZE;
    int count = 0;
    CRC32 crc = new CRC32();
    while (pos < bytes.length) {
      int left = bytes.length - pos;
      if (left < FRAME_SIZE) {
        break; // torn frame at the end
      }
      int length = b.getInt(pos);
      int stored = b.getInt(pos + 4);
      boolean sane = length > 0 && length <= MAX_BODY;
      if (sane && length > left - FRAME_SIZE) {
        break; // torn body at the end
      }
      boolean last = sane && length == left - FRAME_SIZE;
      if (sane) {
        crc.reset();
        crc.update(bytes, pos + FRAME_SIZE, length);
      }
      if (!sane || (int) crc.getValue() != stored) {
        if (last || allZero(bytes, pos)) {
          break; // the last write was cut short, or a power loss left zeros behind it
        }
        throw damaged(path, pos, bytes.length);
      }
      try {
        decode(bytes, pos + FRAME_SIZE, length, visitor);
      } catch (IOException | RuntimeException e) {
        // The CRC held, so this is no torn write: a record this version cannot read.
        throw damaged(path, pos, bytes.length);
      }
      pos += FRAME_SIZE + length;
      count++;
    }
    return new Found(flags, count, pos, bytes.length);
  }

  private static RuntimeException damaged(Path path, int pos, int size) {
    return Errno.EIO.exception("metadata journal damaged at byte " + pos + " of " + size + ": "
        + path + " (move it away to open the store without the metadata changes it holds)");
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void decode(byte[] bytes, int offset, int length, Visitor visitor)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
    int kind = in.readUnsignedByte();
    switch (kind) {
      case NODE: {
        MetadataSidecar.Record meta = new MetadataSidecar.Record();
        meta.ino = in.readLong();
        MetadataSidecar.readMeta(in, meta);
        end(in);
        visitor.node(meta);
        return;
      }
      case LINK: {
        long parentIno = in.readLong();
        String hostName = in.readUTF();
        int nameLength = in.readUnsignedShort();
        if (nameLength == 0 || nameLength > NAME_MAX) {
          throw new IOException("bad name length " + nameLength);
        }
        byte[] name = new byte[nameLength];
        in.readFully(name);
        long ino = in.readLong();
        end(in);
        visitor.link(parentIno, hostName, name, ino);
        return;
      }
      case UNLINK: {
        long parentIno = in.readLong();
        String hostName = in.readUTF();
        end(in);
        visitor.unlink(parentIno, hostName);
        return;
      }
      default:
        throw new IOException("unknown record kind " + kind);
    }
  }

  private static void end(DataInputStream in) throws IOException {
    if (in.available() != 0) {
      throw new IOException("record longer than its kind");
    }
  }
}
