package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads an imported tree back through a Vfs, as root: what tests assert against. */
final class Tree {
  final Vfs vfs;
  final FsContext ctx;

  Tree(FileSystemBackend backend) {
    vfs = Vfs.create(backend, "test");
    ctx = vfs.newContext(Credentials.ROOT);
  }

  Stat lstat(String path) {
    return lstat(path.getBytes(UTF_8));
  }

  /** For names that are not UTF-8: the path as the exact bytes. */
  Stat lstat(byte[] path) {
    return vfs.stat(ctx, null, path, Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  boolean exists(String path) {
    try {
      lstat(path);
      return true;
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
        return false;
      }
      throw e;
    }
  }

  String readlink(String path) {
    return new String(readlink(path.getBytes(UTF_8)), UTF_8);
  }

  byte[] readlink(byte[] path) {
    return vfs.readlink(ctx, null, path);
  }

  String read(String path) {
    return new String(read(path.getBytes(UTF_8)), UTF_8);
  }

  byte[] read(byte[] path) {
    try (OpenFile f = vfs.open(ctx, null, path, Fcntl.O_RDONLY | Fcntl.O_NOFOLLOW, 0)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (f.read(buf.clear()) > 0) {
        out.write(buf.array(), 0, buf.position());
      }
      return out.toByteArray();
    }
  }

  byte[] xattr(String path, String name) {
    return vfs.getxattr(ctx, null, path.getBytes(UTF_8), name, Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  /** The names in a directory, without "." and "..". */
  List<String> list(String path) {
    List<String> names = new ArrayList<>();
    for (byte[] n : names(path.getBytes(UTF_8))) {
      names.add(new String(n, UTF_8));
    }
    return names;
  }

  /** The names in a directory as the exact bytes, without "." and "..". */
  List<byte[]> names(byte[] path) {
    List<byte[]> names = new ArrayList<>();
    try (OpenFile f = vfs.open(ctx, null, path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY, 0)) {
      List<DirEntry> batch;
      while (!(batch = f.readdir(256)).isEmpty()) {
        for (DirEntry d : batch) {
          if (!d.name().isDot() && !d.name().isDotDot()) {
            names.add(d.name().bytes());
          }
        }
      }
    }
    return names;
  }
}
