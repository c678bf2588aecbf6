package dev.blinkchroot.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Remembers which archives a cache entry was imported from, so that a warm run need not read
 * and hash the whole tarball again to find its entry:
 *
 * <pre>
 * cacheDir/rootfs-v1/
 *   3f2a...e9/
 *     image.properties
 *     rootfs/
 *     sources/
 *       0f3c9a12b4e8d7a6     one small file per archive path seen with this content, named by
 *                            a hash of the path (written into the temp dir before publishing;
 *                            later only for another path with the same content)
 * </pre>
 *
 * <p>A source record holds the archive's real path, size, modification time (ns),
 * status-change time (ns, where the file system has one), file key (device and inode on Unix)
 * and the entry's SHA-256, as they were when the archive was hashed. A lookup answers only when
 * all of them still match the archive. This trusts file metadata as make(1) does, with two
 * extra guards: the inode catches a file that was replaced, and the change time, which no
 * program can set (unlike the modification time, which {@code touch -d} can), catches an edit
 * whose modification time was put back. A tarball rewritten in place within one clock tick with
 * an unchanged size would go unnoticed, as it would by make.
 *
 * <p>Records live inside the entry they point to, so an entry removed from the cache takes its
 * records with it, and the cache directory keeps its one-entry-per-hash layout. A lookup lists
 * the entries (a cache holds a handful) and reads one small file in each at most.
 *
 * <p>Everything here is best effort: a missing, unreadable or foreign record is a miss, and a
 * failure to write one is ignored; the caller then hashes the archive as before. Records are
 * written to a temp file and renamed over the old one, so concurrent runs never see half a
 * record: the last writer wins, and every writer writes the truth it measured.
 */
final class HashIndex {
  static final String DIR = "sources";
  private static final String MAGIC = "blink-chroot source 1";

  private HashIndex() {}

  /**
   * What identifies one version of a file without reading it.
   *
   * @param changeNanos the status-change time, or -1 where the file system has none
   * @param fileKey device and inode on Unix ("null" where there is none)
   */
  record FileId(String realPath, long size, long modifiedNanos, long changeNanos,
      String fileKey) {
    /**
     * The record's text: a header line, the metadata, then the path (which may hold '\n').
     * Built without '+': an invokedynamic concatenation costs milliseconds on its first run,
     * and this runs once per process on the path whose time it exists to save.
     */
    String record(String sha256) {
      return new StringBuilder(256).append(MAGIC).append('\n').append(sha256).append('\n')
          .append(size).append('\n').append(modifiedNanos).append('\n').append(changeNanos)
          .append('\n').append(fileKey).append('\n').append(realPath).toString();
    }

    /** The record's file name: 64-bit FNV-1a of the path, a collision only costs a miss. */
    String recordName() {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < realPath.length(); i++) {
        h ^= realPath.charAt(i);
        h *= 0x100000001b3L;
      }
      String hex = Long.toHexString(h);
      return "0".repeat(16 - hex.length()).concat(hex);
    }
  }

  /** The identity of {@code file} now, or null if it cannot be had (the caller then hashes). */
  static FileId identify(Path file) {
    try {
      Path real = file.toRealPath();
      try {
        Map<String, Object> unix =
            Files.readAttributes(real, "unix:size,lastModifiedTime,ctime,fileKey");
        return new FileId(real.toString(), (Long) unix.get("size"),
            nanos(unix.get("lastModifiedTime")), nanos(unix.get("ctime")),
            String.valueOf(unix.get("fileKey")));
      } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
        // No "unix" view (Windows): what every file system has.
        BasicFileAttributes basic = Files.readAttributes(real, BasicFileAttributes.class);
        return new FileId(real.toString(), basic.size(),
            basic.lastModifiedTime().to(TimeUnit.NANOSECONDS), -1,
            String.valueOf(basic.fileKey()));
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long nanos(Object time) {
    return time instanceof FileTime ? ((FileTime) time).to(TimeUnit.NANOSECONDS) : -1;
  }

  /**
   * The SHA-256 of the complete entry in {@code images} that records exactly this version of
   * the file, or null.
   */
  static String lookup(Path images, FileId id) {
    if (id == null) {
      return null;
    }
    String name = id.recordName();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(images)) {
      for (Path entry : entries) {
        String sha = entry.getFileName().toString();
        if (isSha256(sha) && id.record(sha).equals(read(entry.resolve(DIR).resolve(name)))
            && ImageCache.isComplete(entry)) {
          return sha;
        }
      }
    } catch (IOException | RuntimeException e) {
      // No cache yet, or an unreadable one: hash.
    }
    return null;
  }

  private static String read(Path record) {
    try {
      return new String(Files.readAllBytes(record), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Records in {@code entry} (a published entry, or the temp dir about to become one) that the
   * file {@code id} describes has the content {@code sha256}; silently does nothing if it
   * cannot.
   */
  static void record(Path entry, FileId id, String sha256) {
    if (id == null || !isSha256(sha256)) {
      return;
    }
    Path dir = entry.resolve(DIR);
    Path tmp = dir.resolve(ImageCache.TMP_PREFIX + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createDirectories(dir);
      Files.write(tmp, id.record(sha256).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, dir.resolve(id.recordName()), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException | RuntimeException ignored) {
        // A stray temp file of a few bytes; lookups never read it.
      }
    }
  }

  static boolean isSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
