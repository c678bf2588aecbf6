package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every host operation of a {@link NioBackend}, in one place: names go through the codec, links
 * are never followed, and IOExceptions leave as errnos. Callers hold the backend lock.
 */
final class HostTree {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String SCRATCH_PREFIX = ".blink-chroot~";

  final NioBackend.Kind kind;
  final NameCodec codec;
  final Path root;
  /** Where a store (or the memory file system) keeps its own files; null for a bind. */
  final Path privateDir;
  final boolean unixView;
  final boolean posixView;
  private long scratchCounter;

  HostTree(NioBackend.Kind kind, NameCodec codec, Path root, Path privateDir) {
    this.kind = kind;
    this.codec = codec;
    this.root = root;
    this.privateDir = privateDir;
    Set<String> views = root.getFileSystem().supportedFileAttributeViews();
    this.unixView = views.contains("unix");
    this.posixView = views.contains("posix");
  }

  /** The host path of {@code name} in host directory {@code dir}. */
  Path child(Path dir, FileName name) {
    String hostName = codec.toHost(name);
    try {
      Path path = dir.resolve(hostName);
      if (kind == NioBackend.Kind.BIND
          && (!dir.equals(path.getParent()) || !hostName.equals(path.getFileName().toString()))) {
        // A verbatim name the host reads as more than one component ("a\b", "C:"): refuse it.
        throw Errno.EINVAL.exception("host cannot represent the name " + name);
      }
      return path;
    } catch (InvalidPathException e) {
      throw HostErrors.translate(e);
    }
  }

  /** The host names in {@code dir}, sorted so cookies come out the same every session. */
  List<String> list(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
    names.sort(null);
    return names;
  }

  BasicFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
  }

  long size(Path path) throws IOException {
    return attributes(path).size();
  }

  static long nanos(FileTime time) {
    return time == null ? 0 : time.to(TimeUnit.NANOSECONDS);
  }

  SeekableByteChannel open(Path path, boolean writable) {
    Set<OpenOption> options = writable
        ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW)
        : Set.of(StandardOpenOption.READ, NOFOLLOW);
    try {
      try {
        return FileChannel.open(path, options);
      } catch (UnsupportedOperationException e) {
        return Files.newByteChannel(path, options);
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  void createDirectory(Path path) {
    try {
      Files.createDirectory(path);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  void createFile(Path path) {
    try {
      Files.createFile(path);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /**
   * Makes a symlink on the host when it can keep the target exactly (read back equal), and
   * returns true; otherwise a placeholder regular file holding the target, and returns false.
   * The memory store always uses an empty placeholder: the target lives in the inode.
   */
  boolean createSymlink(Path path, byte[] target) {
    if (kind == NioBackend.Kind.MEMORY) {
      createFile(path);
      return false;
    }
    String hostTarget = utf8(target);
    if (hostTarget != null) {
      boolean created = false;
      try {
        Files.createSymbolicLink(path, path.getFileSystem().getPath(hostTarget));
        created = true;
        if (Files.readSymbolicLink(path).toString().equals(hostTarget)) {
          return true;
        }
        // The host rewrote the target (e.g. '/' to '\'): not lossless, so not good enough.
      } catch (FileAlreadyExistsException e) {
        throw HostErrors.translate(e);
      } catch (UnsupportedOperationException | InvalidPathException | IOException e) {
        // No symlinks here (or no privilege for them): fall back to a placeholder.
      }
      if (created) {
        delete(path);
      }
    }
    try {
      Files.write(path, target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return false;
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  byte[] readTarget(NioInode inode, Path path) {
    if (path == null) {
      return new byte[0];
    }
    try {
      if (inode.placeholder) {
        return Files.readAllBytes(path);
      }
      String target = Files.readSymbolicLink(path).toString();
      return kind == NioBackend.Kind.MEMORY
          ? target.getBytes(StandardCharsets.ISO_8859_1)
          : target.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /**
   * A new host name for {@code file}'s data. Regular files need a true host hard link (EPERM,
   * as link(2) says, where the host has none); other types hold no data, so a fresh node does.
   */
  void link(NioInode file, Path newPath) {
    try {
      switch (file.type) {
        case REGULAR:
          try {
            Files.createLink(newPath, file.hostPath());
          } catch (UnsupportedOperationException e) {
            throw Errno.EPERM.exception("host has no hard links");
          } catch (FileSystemException e) {
            if (e instanceof FileAlreadyExistsException || e instanceof NoSuchFileException) {
              throw e;
            }
            throw Errno.EPERM.exception("host refused a hard link: " + e.getMessage());
          }
          return;
        case SYMLINK:
          // The target lives in the inode (and the sidecar), so each name may be stored its own way.
          createSymlink(newPath, file.target());
          return;
        default:
          Files.createFile(newPath);
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left for the next open of the store to sweep away.
    }
  }

  /**
   * Removes the last name of an open file without relying on POSIX unlink-while-open: a store
   * moves the data to its private area until the last close; Jimfs keeps deleted open files
   * itself; a bind deletes, or on a host that refuses, hides the file under a scratch name.
   */
  void retire(NioInode inode, Path path) {
    try {
      switch (kind) {
        case MEMORY:
          Files.delete(path);
          return;
        case STORE:
          Path orphan = privateArea().resolve("orphan-" + inode.ino + "-" + scratchCounter++);
          Files.move(path, orphan);
          inode.orphanPath = orphan;
          return;
        default:
          try {
            Files.delete(path);
          } catch (FileSystemException e) {
            if (e instanceof NoSuchFileException) {
              throw e;
            }
            Path hidden = scratch(path.getParent());
            Files.move(path, hidden);
            inode.orphanPath = hidden;
          }
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /** Renames, replacing {@code to} if present (an empty directory when {@code toIsDir}). */
  void move(Path from, Path to, boolean toIsDir) {
    try {
      try {
        // rename(2) on POSIX hosts: atomic, and it replaces a file or an empty directory.
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException
          | AccessDeniedException e) {
        if (toIsDir) {
          Files.deleteIfExists(to);
        }
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /** Swaps two host entries through a scratch name (callers hold the lock, so none sees it). */
  void exchange(Path a, Path b) {
    Path scratch = scratch(a.getParent());
    try {
      Files.move(a, scratch);
      try {
        Files.move(b, a);
      } catch (IOException e) {
        Files.move(scratch, a);
        throw e;
      }
      Files.move(scratch, b);
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  /** An unused host name on the same host file system as {@code nearDir}. */
  private Path scratch(Path nearDir) {
    try {
      if (privateDir != null) {
        return privateArea().resolve("x" + scratchCounter++);
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
    return nearDir.resolve(SCRATCH_PREFIX + scratchCounter++);
  }

  private Path privateArea() throws IOException {
    Files.createDirectories(privateDir);
    return privateDir;
  }

  /** Empties the private area of what a crash may have left, except the sidecar and journal. */
  void sweepPrivateArea() {
    if (privateDir == null || !Files.isDirectory(privateDir, NOFOLLOW)) {
      return;
    }
    for (String name : list(privateDir)) {
      if (!name.equals(MetadataSidecar.FILE_NAME) && !name.equals(MetadataJournal.FILE_NAME)) {
        deleteTree(privateDir.resolve(name));
      }
    }
  }

  private static void deleteTree(Path path) {
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Leftovers are harmless: hidden from the guest, swept again next time.
    }
  }

  /** Whether {@code dir}'s file system treats names differing in case as one. */
  static boolean probeCaseInsensitive(Path dir) {
    try {
      Files.createDirectories(dir);
      Path lower = dir.resolve("case-probe");
      Files.deleteIfExists(lower);
      Files.createFile(lower);
      try {
        return Files.exists(dir.resolve("CASE-PROBE"), NOFOLLOW);
      } finally {
        Files.deleteIfExists(lower);
      }
    } catch (IOException e) {
      throw HostErrors.translate(e);
    }
  }

  // ---- what a bind mirrors to the host, best effort (the session keeps the Linux truth) ----

  void permissionsChanged(NioInode inode) {
    if (kind != NioBackend.Kind.BIND || !posixView || inode.placeholder
        || inode.type == FileType.SYMLINK) {
      return;
    }
    Path path = inode.hostPath();
    if (path == null) {
      return;
    }
    // The owner keeps read/write (and search) so that this process can still use the file.
    int bits = inode.permissions | (inode.type == FileType.DIRECTORY ? 0700 : 0600);
    try {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW)
          .setPermissions(toPosix(bits));
    } catch (IOException | UnsupportedOperationException e) {
      // The session still reports the new mode; the host keeps what it can.
    }
  }

  void timesChanged(NioInode inode) {
    if (kind != NioBackend.Kind.BIND || inode.placeholder || inode.type == FileType.SYMLINK) {
      return;
    }
    Path path = inode.hostPath();
    if (path == null) {
      return;
    }
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(
          FileTime.from(inode.mtimeNs, TimeUnit.NANOSECONDS),
          FileTime.from(inode.atimeNs, TimeUnit.NANOSECONDS), null);
    } catch (IOException | UnsupportedOperationException e) {
      // As above: best effort.
    }
  }

  private static final PosixFilePermission[] POSIX_BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ,
  };

  static Set<PosixFilePermission> toPosix(int bits) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < POSIX_BITS.length; i++) {
      if ((bits & (1 << i)) != 0) {
        set.add(POSIX_BITS[i]);
      }
    }
    return set;
  }

  static int fromPosix(Set<PosixFilePermission> set) {
    int bits = 0;
    for (int i = 0; i < POSIX_BITS.length; i++) {
      if (set.contains(POSIX_BITS[i])) {
        bits |= 1 << i;
      }
    }
    return bits;
  }
}
