package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds test archives in memory with commons-compress; every entry defaults to 0/0, t=1e9 s. */
final class TarBuilder {
  static final long MTIME = 1_000_000_000L;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  private TarBuilder(int longFileMode, int bigNumberMode) {
    tar = new TarArchiveOutputStream(bytes, UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(bigNumberMode);
  }

  /** Long names as PAX "path"/"linkpath" records. */
  static TarBuilder posix() {
    return new TarBuilder(TarArchiveOutputStream.LONGFILE_POSIX,
        TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Long names as GNU ././@LongLink entries ('L' and 'K'). */
  static TarBuilder gnu() {
    return new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU,
        TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /**
   * Numbers too big for octal header fields (ids, sizes) in base-256 in the field itself, as
   * GNU tar's gnu format writes them, negative ones included: for ids GNU tar cannot write.
   */
  static TarBuilder base256() {
    return new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU,
        TarArchiveOutputStream.BIGNUMBER_STAR);
  }

  TarBuilder dir(String name, int mode, int uid, int gid, long mtimeSec) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
    return put(e, mode, uid, gid, mtimeSec, null);
  }

  TarBuilder dir(String name) {
    return dir(name, 0755, 0, 0, MTIME);
  }

  TarBuilder file(String name, String content, int mode, int uid, int gid, long mtimeSec) {
    return put(new TarArchiveEntry(name, TarConstants.LF_NORMAL), mode, uid, gid, mtimeSec,
        content.getBytes(UTF_8));
  }

  TarBuilder file(String name, String content) {
    return file(name, content, 0644, 0, 0, MTIME);
  }

  TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    return put(e, 0777, 0, 0, MTIME, null);
  }

  TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    return put(e, 0644, 0, 0, MTIME, null);
  }

  TarBuilder device(String name, byte type, int major, int minor, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, mode, uid, gid, MTIME, null);
  }

  TarBuilder fifo(String name, int mode) {
    return put(new TarArchiveEntry(name, TarConstants.LF_FIFO), mode, 0, 0, MTIME, null);
  }

  /** An entry exactly as given, with data. */
  TarBuilder raw(TarArchiveEntry e, byte[] data) {
    try {
      if (data != null) {
        e.setSize(data.length);
      }
      tar.putArchiveEntry(e);
      if (data != null) {
        tar.write(data);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * A hand-written PAX extended header ('x') for the next entry: lets tests give nanosecond
   * times and xattr values exactly as GNU tar writes them.
   */
  TarBuilder pax(Map<String, String> records) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> r : records.entrySet()) {
      byte[] kv = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(UTF_8);
      int len = kv.length + 1;
      while (len != kv.length + String.valueOf(len).length()) {
        len = kv.length + String.valueOf(len).length();
      }
      body.writeBytes(String.valueOf(len).getBytes(UTF_8));
      body.writeBytes(kv);
    }
    TarArchiveEntry x = new TarArchiveEntry("PaxHeaders/x",
        TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    // A whole-second time, or commons-compress would put a PAX header of its own before ours.
    x.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(MTIME)));
    return raw(x, body.toByteArray());
  }

  private TarBuilder put(TarArchiveEntry e, int mode, int uid, int gid, long mtimeSec,
      byte[] data) {
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName("someone");
    e.setGroupName("somegroup");
    e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(mtimeSec)));
    return raw(e, data == null ? null : data);
  }

  /** The finished archive (end-of-archive blocks included). */
  byte[] tar() {
    try {
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) {
    return compress(data, "gzip");
  }

  static byte[] xz(byte[] data) {
    return compress(data, "xz");
  }

  static byte[] bzip2(byte[] data) {
    return compress(data, "bzip2");
  }

  private static byte[] compress(byte[] data, String how) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = how.equals("gzip") ? new GzipCompressorOutputStream(out)
        : how.equals("xz") ? new XZCompressorOutputStream(out)
        : new BZip2CompressorOutputStream(out)) {
      c.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path dir, String fileName, byte[] data) {
    try {
      return Files.write(dir.resolve(fileName), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
