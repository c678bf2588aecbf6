package dev.blinkchroot.rootfs;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imported tarballs kept as host stores, keyed by the archive's SHA-256:
 *
 * <pre>
 * cacheDir/rootfs-v1/
 *   3f2a...e9/                 published, complete, its tree never written again
 *     image.properties         what it was imported from (written before publishing)
 *     rootfs/                  the NioBackend host store (its sidecar inside)
 *     sources/                 which archive files had this content (see HashIndex)
 *   .tmp-4711-8c1f.../         an import in progress (or one a killed run left)
 * </pre>
 *
 * An import unpacks into a temp dir, flushes the store, and renames the temp dir into place
 * (atomic within one directory). Whoever renames first wins; a loser discards its copy and uses
 * the winner's, so concurrent runs both succeed and a reader never sees a half-written tree.
 * The layout name carries a version so that a future importer never reuses an older tree.
 *
 * <p>Warm runs take the hash from the entries' source records instead of reading the archive:
 * the cache is still keyed by content, but which content a path holds is then judged by its
 * file metadata, as make(1) judges it (see {@link HashIndex} for exactly what is trusted).
 * Only {@code sources/} is ever added to a published entry; its tree and marker never change.
 */
final class ImageCache {
  static final String LAYOUT = "rootfs-v1";
  static final String TMP_PREFIX = ".tmp-";
  static final String MARKER = "image.properties";
  static final String TREE = "rootfs";
  private static final Duration STALE = Duration.ofDays(1);

  /** How many imports this JVM has run into the cache (tests observe reuse with it). */
  static final AtomicInteger IMPORTS = new AtomicInteger();

  /** How many times this JVM has read an archive to hash it (tests observe the index with it). */
  static final AtomicInteger HASHES = new AtomicInteger();

  private ImageCache() {}

  static Image open(Path archive, String display, ImageOptions options) {
    Path images = options.cacheDir().resolve(LAYOUT);
    // The key must be known before we can reuse anything. A warm run finds it in the source
    // records of the entries (same path, size, times and inode as when it was hashed): reading
    // and hashing the whole tarball costs tens of milliseconds in a short-lived JVM.
    HashIndex.FileId seen = HashIndex.identify(archive);
    String known = HashIndex.lookup(images, seen);
    if (known != null) {
      return openPublished(archive, display, known, images.resolve(known));
    }
    // Otherwise hash: the import re-hashes while streaming and checks the file did not change
    // underneath. A source record is written only if the file's identity held still meanwhile.
    String sha = sha256(archive, display);
    Path published = images.resolve(sha);
    if (isComplete(published)) {
      remember(published, seen, archive, sha);
      return openPublished(archive, display, sha, published);
    }
    try {
      Files.createDirectories(images);
    } catch (IOException e) {
      throw new ImageException(display + ": cannot create the cache directory " + images + " ("
          + reason(e) + ")", e);
    }
    removeStale(images);
    Path tmp = images.resolve(TMP_PREFIX + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      importInto(archive, display, options, sha, tmp);
      remember(tmp, seen, archive, sha);
      publish(tmp, published, images, display);
    } catch (RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
    return openPublished(archive, display, sha, published);
  }

  /** Records in {@code entry} that {@code before} has {@code sha}, if it still describes it. */
  private static void remember(Path entry, HashIndex.FileId before, Path archive, String sha) {
    if (before != null && before.equals(HashIndex.identify(archive))) {
      HashIndex.record(entry, before, sha);
    }
  }

  private static void importInto(Path archive, String display, ImageOptions options, String sha,
      Path tmp) {
    MessageDigest digest = newDigest();
    try {
      Files.createDirectory(tmp);
      Files.writeString(tmp.resolve(MARKER), "source=" + archive.toAbsolutePath() + "\nsha256="
          + sha + "\nimported=" + Instant.now() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageException(display + ": cannot write to the cache directory " + tmp
          + " (" + reason(e) + ")", e);
    }
    NioBackend store = NioBackend.hostStoreUnjournaled(tmp.resolve(TREE));
    IMPORTS.incrementAndGet();
    TarImporter.importInto(archive, display, store,
        Progress.forTerminal(options.progress(), archive.getFileName().toString()), digest);
    if (!HexFormat.of().formatHex(digest.digest()).equals(sha)) {
      throw new ImageException(display + ": the file changed while it was being imported");
    }
    store.flush();
  }

  /**
   * Renames {@code tmp} to {@code published}; if another run got there first, keeps theirs. The
   * outcome is judged by the state afterwards, not the exception type: Linux's ENOTEMPTY
   * arrives as a plain FileSystemException.
   */
  private static void publish(Path tmp, Path published, Path images, String display) {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Files.move(tmp, published, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (AtomicMoveNotSupportedException e) {
        throw new ImageException(display + ": the cache directory " + images
            + " does not support atomic renames", e);
      } catch (IOException e) {
        last = e;
      }
      if (isComplete(published)) {
        deleteTree(tmp); // another run published the same archive first: use theirs
        return;
      }
      if (!Files.exists(published, LinkOption.NOFOLLOW_LINKS)) {
        break; // the rename failed for another reason
      }
      // Something that is not a finished import holds the name: move it aside (cleanup
      // removes it later) and try again.
      moveAside(published, images);
    }
    throw new ImageException(display + ": cannot publish the imported tree in " + images
        + " (" + (last == null ? "unknown error" : reason(last)) + ")", last);
  }

  private static void moveAside(Path damaged, Path images) {
    Path aside = images.resolve(TMP_PREFIX + "damaged-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.move(damaged, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ignored) {
      // Someone else moved or replaced it; the next attempt sees the new state.
    }
  }

  private static Image openPublished(Path archive, String display, String sha, Path published) {
    try {
      NioBackend store = NioBackend.hostStore(published.resolve(TREE), true);
      // StringBuilder rather than '+': see HashIndex.FileId#record (a warm run's path).
      String description = new StringBuilder().append(archive.getFileName())
          .append(" (cached ").append(sha, 0, 12).append(')').toString();
      return new Image(store, description, archive);
    } catch (RuntimeException e) {
      throw new ImageException(display + ": cannot open the cached tree " + published + " ("
          + e.getMessage() + ")", e);
    }
  }

  /** A published entry is complete by construction; the marker tells it from a stray dir. */
  static boolean isComplete(Path published) {
    return Files.isRegularFile(published.resolve(MARKER))
        && Files.isDirectory(published.resolve(TREE));
  }

  /**
   * Deletes temp dirs that no live import owns: those of a process that no longer exists here,
   * and any older than a day (a cache shared between hosts, or a reused pid). Our own process's
   * temp dirs may belong to another thread's import, so they are left alone unless stale.
   */
  static void removeStale(Path images) {
    long self = ProcessHandle.current().pid();
    Instant cutoff = Instant.now().minus(STALE);
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(images, TMP_PREFIX + "*")) {
      for (Path p : dir) {
        long pid = pidOf(p.getFileName().toString());
        boolean old = lastModified(p).isBefore(cutoff);
        boolean orphan = pid > 0 && pid != self
            && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (old || orphan) {
          deleteTree(p);
        }
      }
    } catch (IOException ignored) {
      // Cleanup is best effort; the import itself reports real problems.
    }
  }

  /** The pid in ".tmp-PID-RANDOM", or -1 ("damaged-" entries and foreign names). */
  private static long pidOf(String name) {
    int end = name.indexOf('-', TMP_PREFIX.length());
    try {
      return Long.parseLong(name.substring(TMP_PREFIX.length(), end < 0 ? name.length() : end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Instant lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.now();
    }
  }

  /** rm -rf that never follows symlinks and first makes directories writable to us. */
  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          dir.toFile().setWritable(true, true);
          dir.toFile().setExecutable(true, true);
          dir.toFile().setReadable(true, true);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException ignored) {
      // Another run removed it first.
    } catch (IOException ignored) {
      // Left for the next cleanup; a temp dir is never used by anyone.
    }
  }

  static String sha256(Path archive, String display) {
    HASHES.incrementAndGet();
    MessageDigest digest = newDigest();
    byte[] buf = new byte[256 * 1024];
    try (InputStream in = Files.newInputStream(archive)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        digest.update(buf, 0, n);
      }
    } catch (NoSuchFileException e) {
      throw new ImageException(display + ": no such file or directory", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new ImageException(display + ": cannot read file (permission denied)", e);
    } catch (IOException e) {
      throw new ImageException(display + ": cannot read file (" + reason(e) + ")", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
