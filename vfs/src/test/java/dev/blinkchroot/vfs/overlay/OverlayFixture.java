package dev.blinkchroot.vfs.overlay;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * The layers every overlay test starts from. The lower is built through the Inode SPI on a memory
 * store; the upper is another memory store, made only when the overlay first calls its supplier.
 *
 * <pre>
 * lower (the image; the overlay never writes it)        upper (NioBackend.memory())
 * /                       0755 0:0                       made on the first change, empty
 * ├── bin/                0755 0:0
 * │   ├── su              04755 0:7 "su-binary"  xattr user.origin=image  atime A, mtime M (ns)
 * │   └── sh -> "busy\xffbox"  (symlink, target not UTF-8)
 * ├── dev/                0755
 * │   ├── null            c 1,3  0666
 * │   └── sda             b 8,0  0660 0:6  atime A, mtime M
 * ├── empty/              0755 (no entries)
 * ├── etc/                0755
 * │   ├── passwd          0644 PASSWD
 * │   ├── shadow          0640 0:42 "root:*:"  xattr user.tag=secret
 * │   ├── hosts           0644 HOSTS        ┐ one inode,
 * │   └── hosts.hard      (hard link)       ┘ two names
 * └── usr/                0755
 *     └── share/          02775 5:6  mtime SHARE_MTIME
 *         ├── doc/        0755
 *         │   └── README  "read me"
 *         └── misc        "misc"
 * </pre>
 */
abstract class OverlayFixture {
  static final long ATIME = 1_500_000_000_987_654_321L;
  static final long MTIME = 1_600_000_000_123_456_789L;
  static final long SHARE_MTIME = 1_400_000_000_000_000_007L;
  static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n";
  static final String HOSTS = "127.0.0.1 localhost\n";
  static final byte[] SH_TARGET = {'b', 'u', 's', 'y', (byte) 0xff, 'b', 'o', 'x'};

  FileSystemBackend lower;
  /** The upper the supplier made, or null while it has not been called. */
  FileSystemBackend upper;
  final AtomicInteger upperCalls = new AtomicInteger();
  OverlayBackend overlay;
  Inode root;

  @BeforeEach
  void buildLayers() {
    lower = NioBackend.memory();
    populateLower(lower.root());
    overlay = OverlayBackend.create(lower, () -> {
      upperCalls.incrementAndGet();
      upper = NioBackend.memory();
      return upper;
    });
    root = overlay.root();
  }

  private static void populateLower(Inode r) {
    Inode bin = r.create(n("bin"), FileType.DIRECTORY, 0755, 0, 0, 0);
    Inode su = bin.create(n("su"), FileType.REGULAR, 04755, 0, 7, 0);
    write(su, "su-binary");
    su.setXattr("user.origin", bytes("image"), 0);
    su.setTimes(ATIME, MTIME);
    bin.symlink(n("sh"), SH_TARGET, 0, 0);

    Inode dev = r.create(n("dev"), FileType.DIRECTORY, 0755, 0, 0, 0);
    dev.create(n("null"), FileType.CHARACTER_DEVICE, 0666, 0, 0, Stat.makedev(1, 3));
    Inode sda = dev.create(n("sda"), FileType.BLOCK_DEVICE, 0660, 0, 6, Stat.makedev(8, 0));
    sda.setTimes(ATIME, MTIME);

    r.create(n("empty"), FileType.DIRECTORY, 0755, 0, 0, 0);

    Inode etc = r.create(n("etc"), FileType.DIRECTORY, 0755, 0, 0, 0);
    write(etc.create(n("passwd"), FileType.REGULAR, 0644, 0, 0, 0), PASSWD);
    Inode shadow = etc.create(n("shadow"), FileType.REGULAR, 0640, 0, 42, 0);
    write(shadow, "root:*:");
    shadow.setXattr("user.tag", bytes("secret"), 0);
    Inode hosts = etc.create(n("hosts"), FileType.REGULAR, 0644, 0, 0, 0);
    write(hosts, HOSTS);
    etc.link(n("hosts.hard"), hosts);

    Inode usr = r.create(n("usr"), FileType.DIRECTORY, 0755, 0, 0, 0);
    Inode share = usr.create(n("share"), FileType.DIRECTORY, 02775, 5, 6, 0);
    Inode doc = share.create(n("doc"), FileType.DIRECTORY, 0755, 0, 0, 0);
    write(doc.create(n("README"), FileType.REGULAR, 0644, 0, 0, 0), "read me");
    write(share.create(n("misc"), FileType.REGULAR, 0644, 0, 0, 0), "misc");
    share.setTimes(ATIME, SHARE_MTIME); // last: adding children moved its mtime
  }

  // ---- helpers ----

  static FileName n(String name) {
    return FileName.of(name);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The inode at a slash-separated path under {@code start}, or null if a component is absent. */
  static Inode walk(Inode start, String path) {
    Inode at = start;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      at = at.lookup(n(part));
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  Inode at(String path) {
    Inode i = walk(root, path);
    Assertions.assertNotNull(i, path);
    return i;
  }

  /** The upper's inode at {@code path}, or null; fails if there is no upper at all. */
  Inode upperAt(String path) {
    Assertions.assertNotNull(upper, "no upper was made");
    return walk(upper.root(), path);
  }

  static String read(Inode file) {
    try (FileContent c = file.openContent(false)) {
      return readAll(c);
    }
  }

  static String readAll(FileContent c) {
    ByteBuffer buf = ByteBuffer.allocate((int) c.size());
    while (buf.hasRemaining()) {
      int got = c.read(buf.position(), buf);
      if (got <= 0) {
        break;
      }
    }
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  static void write(Inode file, String data) {
    try (FileContent c = file.openContent(true)) {
      c.truncate(0);
      c.write(0, ByteBuffer.wrap(bytes(data)));
    }
  }

  /** All entries, fetched {@code batch} at a time. */
  static List<DirEntry> list(Inode dir, int batch) {
    List<DirEntry> all = new ArrayList<>();
    long cookie = 0;
    while (true) {
      List<DirEntry> got = dir.readdir(cookie, batch);
      if (got.isEmpty()) {
        return all;
      }
      all.addAll(got);
      cookie = got.get(got.size() - 1).cookie();
    }
  }

  static List<String> names(Inode dir) {
    List<String> out = new ArrayList<>();
    for (DirEntry e : list(dir, 1000)) {
      out.add(e.name().toString());
    }
    return out;
  }

  static List<String> sortedNames(Inode dir) {
    List<String> out = names(dir);
    out.sort(null);
    return out;
  }

  static void assertErrno(Errno expected, Executable call) {
    ErrnoException e = Assertions.assertThrows(ErrnoException.class, call);
    Assertions.assertEquals(expected, e.errno(), e.getMessage());
  }

  /** A whiteout in the upper: a character device 0/0. */
  static void assertWhiteout(Inode upperEntry) {
    Assertions.assertNotNull(upperEntry, "whiteout missing");
    Assertions.assertEquals(FileType.CHARACTER_DEVICE, upperEntry.type());
    Assertions.assertEquals(0L, upperEntry.stat().rdev());
  }

  static void assertOpaque(Inode upperDir) {
    Assertions.assertNotNull(upperDir, "upper directory missing");
    Assertions.assertArrayEquals(bytes("y"), upperDir.getXattr("trusted.overlay.opaque"));
  }
}
