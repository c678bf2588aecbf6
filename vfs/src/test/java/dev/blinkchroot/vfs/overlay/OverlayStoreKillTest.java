package dev.blinkchroot.vfs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay over a host store whose session is killed (no flush): whiteouts (character devices
 * 0/0), opaque directories (an xattr) and copied-up metadata live in the store's journal, so the
 * merged tree reopens as it was, and nothing deleted from the image comes back.
 */
class OverlayStoreKillTest extends OverlayFixture {
  @TempDir Path tmp;

  private Path store() {
    return tmp.resolve("store");
  }

  /** Every merged name: mode, links, owner, rdev, size, times, xattrs, target or data. */
  private static Map<String, String> snapshot(Inode dir) {
    Map<String, String> out = new LinkedHashMap<>();
    describe("", dir, out);
    return out;
  }

  private static void describe(String path, Inode node, Map<String, String> out) {
    Stat s = node.stat();
    StringBuilder d = new StringBuilder(Integer.toOctalString(s.mode()))
        .append(" nlink ").append(s.nlink()).append(" own ").append(s.uid()).append(':')
        .append(s.gid()).append(" rdev ").append(s.rdev()).append(" size ").append(s.size())
        .append(" times ").append(s.atimeNs()).append(' ').append(s.mtimeNs()).append(' ')
        .append(s.ctimeNs()).append(" xattrs ").append(node.listXattrs());
    if (node.type() == FileType.SYMLINK) {
      d.append(" -> ").append(Arrays.toString(node.readlink()));
    } else if (node.type() == FileType.REGULAR) {
      d.append(" data ").append(read(node));
    }
    out.put(path.isEmpty() ? "/" : path, d.toString());
    if (node.type() == FileType.DIRECTORY) {
      for (DirEntry e : node.readdir(0, Integer.MAX_VALUE)) {
        describe(path + "/" + e.name(), node.lookup(e.name()), out);
      }
    }
  }

  @Test
  void killedAfterDeletesRenamesAndCopyUps_reopensToTheSameMergedTree() {
    OverlayBackend live = OverlayBackend.create(lower,
        () -> NioBackend.hostStore(store(), false));
    Inode r = live.root();
    walk(r, "etc").unlink(n("passwd")); // a whiteout
    r.rmdir(n("empty")); // a whiteout for a directory
    walk(r, "usr").rename(n("share"), walk(r, "usr"), n("share2"), 0); // opaque + whiteout
    walk(r, "bin/su").setPermissions(0700); // copy-up, then chmod
    walk(r, "etc/shadow").setOwner(1, 2);
    Inode d = r.create(n("new-dir"), FileType.DIRECTORY, 02750, 4, 5, 0);
    d.create(n("fifo"), FileType.FIFO, 0620, 4, 5, 0);
    r.symlink(n("link"), bytes("/etc/hosts"), 0, 0);
    walk(r, "dev").create(n("tty"), FileType.CHARACTER_DEVICE, 0620, 0, 5, Stat.makedev(5, 0));
    Map<String, String> before = snapshot(r);

    // Killed: no flush. The next run opens the store it left.
    OverlayBackend after = OverlayBackend.withExistingUpper(lower,
        NioBackend.hostStore(store(), false));

    assertEquals(before, snapshot(after.root()));
    assertNull(walk(after.root(), "etc").lookup(n("passwd")));
    assertNull(after.root().lookup(n("empty")));
  }
}
