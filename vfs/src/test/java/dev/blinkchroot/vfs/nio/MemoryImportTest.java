package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The memory store holding a real Alpine minirootfs: imported fast and held in little heap.
 * A minimal ustar reader stands in for rootfs-tools, which vfs cannot depend on.
 */
class MemoryImportTest {
  /** One tar member. */
  record Member(String path, char type, int mode, int uid, int gid, long mtime, String link,
      int major, int minor, byte[] data) {}

  static Path alpineTarball() throws IOException {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    if (env != null) {
      return Path.of(env);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path rootfs = dir.resolve("shared").resolve("rootfs");
      if (Files.isDirectory(rootfs)) {
        try (var files = Files.list(rootfs)) {
          var found = files.filter(p -> p.getFileName().toString().endsWith(".tar.gz"))
              .findFirst();
          if (found.isPresent()) {
            return found.get();
          }
        }
      }
    }
    throw new IOException("Alpine minirootfs not found: set BLINK_CHROOT_ALPINE");
  }

  static List<Member> readTar(Path tarball) throws IOException {
    byte[] all;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball))) {
      all = in.readAllBytes();
    }
    List<Member> out = new ArrayList<>();
    for (int at = 0; at + 512 <= all.length; ) {
      if (all[at] == 0) {
        break;
      }
      String name = text(all, at, 100);
      String prefix = text(all, at + 345, 155);
      long size = octal(all, at + 124, 12);
      char type = (char) (all[at + 156] == 0 ? '0' : all[at + 156]);
      byte[] data = java.util.Arrays.copyOfRange(all, at + 512, at + 512 + (int) size);
      String path = prefix.isEmpty() ? name : prefix + "/" + name;
      out.add(new Member(path, type, (int) octal(all, at + 100, 8), (int) octal(all, at + 108, 8),
          (int) octal(all, at + 116, 8), octal(all, at + 136, 12), text(all, at + 157, 100),
          (int) octal(all, at + 329, 8), (int) octal(all, at + 337, 8), data));
      at += 512 + (int) ((size + 511) / 512 * 512);
    }
    return out;
  }

  private static String text(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    long v = 0;
    for (int i = off; i < off + len && b[i] != 0 && b[i] != ' '; i++) {
      v = v * 8 + (b[i] - '0');
    }
    return v;
  }

  static Inode walk(Inode root, String path, boolean createDirs) {
    Inode dir = root;
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      Inode next = dir.lookup(FileName.of(part));
      if (next == null && createDirs) {
        next = dir.create(FileName.of(part), FileType.DIRECTORY, 0755, 0, 0, 0);
      }
      dir = next;
    }
    return dir;
  }

  static NioBackend importInto(List<Member> members) {
    NioBackend fs = NioBackend.memory();
    Inode root = fs.root();
    for (Member m : members) {
      String path = m.path().endsWith("/") ? m.path().substring(0, m.path().length() - 1)
          : m.path();
      int slash = path.lastIndexOf('/');
      Inode parent = walk(root, slash < 0 ? "" : path.substring(0, slash), true);
      String leaf = path.substring(slash + 1);
      if (leaf.isEmpty() || leaf.equals(".")) {
        continue;
      }
      FileName name = FileName.of(leaf);
      Inode node;
      switch (m.type()) {
        case '5':
          node = parent.lookup(name);
          if (node == null) {
            node = parent.create(name, FileType.DIRECTORY, m.mode(), m.uid(), m.gid(), 0);
          }
          node.setPermissions(m.mode());
          break;
        case '2':
          node = parent.symlink(name, m.link().getBytes(StandardCharsets.UTF_8), m.uid(), m.gid());
          break;
        case '1':
          parent.link(name, walk(root, m.link(), false));
          continue;
        case '3':
        case '4':
          node = parent.create(name, m.type() == '3' ? FileType.CHARACTER_DEVICE
              : FileType.BLOCK_DEVICE, m.mode(), m.uid(), m.gid(),
              Stat.makedev(m.major(), m.minor()));
          break;
        default:
          node = parent.create(name, FileType.REGULAR, m.mode(), m.uid(), m.gid(), 0);
          try (FileContent c = node.openContent(true)) {
            c.write(0, ByteBuffer.wrap(m.data()));
          }
      }
      node.setTimes(m.mtime() * 1_000_000_000L, m.mtime() * 1_000_000_000L);
    }
    return fs;
  }

  private static long usedHeap() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void alpine_importsInto_memoryStore_fastAndSmall() throws Exception {
    List<Member> members = readTar(alpineTarball());
    long unpacked = 0;
    for (Member m : members) {
      unpacked += m.data().length;
    }
    assertTrue(members.size() > 500, "members " + members.size());
    for (int i = 0; i < 8; i++) {
      importInto(members); // warm the JIT
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      importInto(members);
      best = Math.min(best, System.nanoTime() - start);
    }
    long before = usedHeap();
    NioBackend fs = importInto(members);
    long held = usedHeap() - before;

    assertTrue(best < 150_000_000L, "import took " + best / 1_000_000 + " ms");
    assertTrue(held < 2 * unpacked, "held " + held + " bytes for " + unpacked + " unpacked");

    Inode root = fs.root();
    Inode busybox = walk(root, "bin/busybox", false);
    assertNotNull(busybox);
    assertEquals(0100755, busybox.stat().mode());
    byte[] head = new byte[4];
    try (FileContent c = busybox.openContent(false)) {
      c.read(0, ByteBuffer.wrap(head));
    }
    assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, head);
    Inode sh = walk(root, "bin/sh", false);
    assertEquals(FileType.SYMLINK, sh.type());
    assertArrayEquals("/bin/busybox".getBytes(StandardCharsets.UTF_8), sh.readlink());
    assertEquals(0041777, walk(root, "tmp", false).stat().mode());
    assertSame(walk(root, "etc", false), walk(root, "etc/apk", false).parent());
    System.out.println("alpine import: best " + best / 1000 + " us, heap " + held / 1024
        + " KiB for " + unpacked / 1024 + " KiB unpacked");
  }
}
