package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Reading directories and naming things the way the tools need. */
final class Directories {
  private static final int BATCH = 512;

  /** The C locale's order: names compared as unsigned bytes, as {@code LC_ALL=C ls} sorts. */
  static final Comparator<byte[]> BYTE_ORDER = Arrays::compareUnsigned;

  private Directories() {}

  /** A directory that was opened: where it is (for lookups relative to it) and its entries. */
  record Listing(Location location, List<DirEntry> entries) {}

  /**
   * Every entry of the directory at {@code path} (relative to {@code dir}, or the cwd when
   * null), "." and ".." included, sorted by name bytes.
   */
  static Listing list(Vfs vfs, FsContext ctx, Location dir, byte[] path, boolean followLast) {
    int flags = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | (followLast ? 0 : Fcntl.O_NOFOLLOW);
    List<DirEntry> entries = new ArrayList<>();
    Location at;
    try (OpenFile open = vfs.open(ctx, dir, path, flags, 0)) {
      at = open.location();
      for (List<DirEntry> batch = open.readdir(BATCH); !batch.isEmpty();
          batch = open.readdir(BATCH)) {
        entries.addAll(batch);
      }
    }
    entries.sort((a, b) -> Arrays.compareUnsigned(a.name().bytes(), b.name().bytes()));
    return new Listing(at, entries);
  }

  static boolean isHidden(byte[] name) {
    return name.length > 0 && name[0] == '.';
  }

  static boolean isDotOrDotDot(byte[] name) {
    return (name.length == 1 && name[0] == '.')
        || (name.length == 2 && name[0] == '.' && name[1] == '.');
  }

  /** A command-line operand as the guest path bytes (argv reaches Java as text). */
  static byte[] bytes(String operand) {
    return operand.getBytes(StandardCharsets.UTF_8);
  }
}
