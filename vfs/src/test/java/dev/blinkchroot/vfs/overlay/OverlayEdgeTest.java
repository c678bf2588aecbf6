package dev.blinkchroot.vfs.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upper kept on the host across runs, large sparse copy-up, partial time changes, and
 * concurrent use of one overlay.
 *
 * <pre>
 * lower (the image; the overlay never writes it)        upper (NioBackend.memory(), or a
 * /                       0755 0:0                       host store where a test says so)
 * ├── bin/                0755 0:0                       made on the first change, empty
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
 *
 * (Built in {@link OverlayFixture}.)
 */
class OverlayEdgeTest extends OverlayFixture {

  @Test
  void hostStoreUpper_keepsWhiteoutsAndOpaqueDirsForTheNextRun(@TempDir Path hostDir) {
    OverlayBackend first = OverlayBackend.create(lower, () -> NioBackend.hostStore(hostDir, false));
    Inode etc = walk(first.root(), "/etc");
    etc.unlink(n("passwd"));
    write(etc.lookup(n("hosts")), "kept");
    Inode share = walk(first.root(), "/usr/share");
    share.lookup(n("doc")).unlink(n("README"));
    share.rmdir(n("doc"));
    share.create(n("doc"), FileType.DIRECTORY, 0755, 0, 0, 0)
        .create(n("NEW"), FileType.REGULAR, 0644, 0, 0, 0);
    first.flush();

    FileSystemBackend reopened = NioBackend.hostStore(hostDir, false);
    assertWhiteout(walk(reopened.root(), "/etc/passwd"));
    assertOpaque(walk(reopened.root(), "/usr/share/doc"));

    OverlayBackend second = OverlayBackend.create(lower, () -> reopened);
    second.root().create(n("trigger"), FileType.REGULAR, 0644, 0, 0, 0);
    Inode etc2 = walk(second.root(), "/etc");
    assertNull(etc2.lookup(n("passwd")));
    assertEquals("kept", read(etc2.lookup(n("hosts"))));
    assertEquals(List.of("NEW"), names(walk(second.root(), "/usr/share/doc")));
    assertEquals(List.of("doc", "misc"), sortedNames(walk(second.root(), "/usr/share")));
  }

  @Test
  void withExistingUpper_readOnlySecondRun_seesTheFirstRunsChanges(@TempDir Path hostDir) {
    OverlayBackend first = OverlayBackend.create(lower, () -> NioBackend.hostStore(hostDir, false));
    Inode etc = walk(first.root(), "/etc");
    etc.unlink(n("passwd"));
    write(etc.lookup(n("hosts")), "changed");
    first.flush();

    OverlayBackend second =
        OverlayBackend.withExistingUpper(lower, NioBackend.hostStore(hostDir, false));
    Inode etc2 = walk(second.root(), "/etc");
    assertNull(etc2.lookup(n("passwd")));
    assertEquals("changed", read(etc2.lookup(n("hosts"))));
  }

  @Test
  void copyUp_largeSparseFile_copiesEveryByteAndSize() {
    Inode big = walk(lower.root(), "/etc").create(n("big"), FileType.REGULAR, 0644, 0, 0, 0);
    long size = 300_000;
    try (FileContent c = big.openContent(true)) {
      c.write(0, ByteBuffer.wrap(bytes("head")));
      c.write(200_000, ByteBuffer.wrap(bytes("middle")));
      c.truncate(size); // a hole runs to the end
    }
    Inode file = at("/etc/big");
    file.setPermissions(0600);
    Inode copy = upperAt("/etc/big");
    assertEquals(size, copy.stat().size());
    assertEquals(size, file.stat().size());
    byte[] expected = new byte[(int) size];
    System.arraycopy(bytes("head"), 0, expected, 0, 4);
    System.arraycopy(bytes("middle"), 0, expected, 200_000, 6);
    try (FileContent c = copy.openContent(false)) {
      ByteBuffer got = ByteBuffer.allocate((int) size);
      while (got.hasRemaining() && c.read(got.position(), got) > 0) {
        // read on until full
      }
      assertArrayEquals(expected, got.array());
    }
  }

  @Test
  void setTimes_omittingAtime_keepsLowerAtimeAfterCopyUp() {
    Inode su = at("/bin/su");
    long newMtime = 1_700_000_000_000_000_001L;
    su.setTimes(Inode.OMIT, newMtime);
    Stat s = su.stat();
    assertEquals(ATIME, s.atimeNs());
    assertEquals(newMtime, s.mtimeNs());
    assertEquals(04755, s.permissions());
    assertEquals(MTIME, walk(lower.root(), "/bin/su").stat().mtimeNs());
  }

  @Test
  void concurrentCreatesAndUnlinks_leaveAConsistentMergedDirectory() throws Exception {
    Inode etc = at("/etc");
    int threads = 4;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            Inode f = etc.create(n("t" + id + "-" + i), FileType.REGULAR, 0644, 0, 0, 0);
            write(f, "x");
            if (i % 2 == 1) {
              etc.unlink(n("t" + id + "-" + i));
            }
            etc.readdir(0, 10);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers.add(w);
      w.start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    Set<String> seen = new HashSet<>();
    for (DirEntry e : list(etc, 7)) {
      assertTrue(seen.add(e.name().toString()), "listed twice: " + e.name());
    }
    assertEquals(4 + threads * perThread / 2, seen.size());
    assertEquals(1, upperCalls.get());
  }
}
