package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alpine minirootfs imported into memory and into the cache, compared entry by entry with an
 * independent listing by the host's GNU tar: type, mode (set-id and sticky bits included),
 * numeric owner, size, mtime (to the minute tar prints), symlink targets and hard links.
 */
class AlpineImageTest {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @TempDir Path cacheDir;

  @Test
  void memoryImport_everyEntryMatchesGnuTarListing() {
    Path tarball = AlpineTarball.path();
    NioBackend memory = NioBackend.memory();
    Images.importArchive(tarball, memory);
    assertTreeMatchesListing(memory, AlpineTarball.listWithGnuTar(tarball));
  }

  @Test
  void cachedImport_everyEntryMatchesGnuTarListing_alsoWhenReused() {
    Path tarball = AlpineTarball.path();
    List<AlpineTarball.Listed> listing = AlpineTarball.listWithGnuTar(tarball);
    ImageOptions options = ImageOptions.defaults().withCacheDir(cacheDir);

    Image first = Images.open(tarball, options);
    assertTrue(first.description().startsWith(AlpineTarball.FILE_NAME + " (cached "),
        first.description());
    assertTreeMatchesListing(first.lower(), listing);

    int imports = ImageCache.IMPORTS.get();
    Image again = Images.open(tarball, options);
    assertEquals(imports, ImageCache.IMPORTS.get(), "the second open must reuse the cache");
    assertTreeMatchesListing(again.lower(), listing);
  }

  @Test
  void noCacheOpen_importsIntoMemory() {
    Path tarball = AlpineTarball.path();
    Image image = Images.open(tarball, ImageOptions.defaults().withoutCache());
    assertEquals(AlpineTarball.FILE_NAME + " (unpacked in memory)", image.description());
    assertEquals(tarball, image.source());
    assertTreeMatchesListing(image.lower(), AlpineTarball.listWithGnuTar(tarball));
  }

  static void assertTreeMatchesListing(FileSystemBackend backend,
      List<AlpineTarball.Listed> listing) {
    assertEquals(518, listing.size(), "the Alpine 3.20.3 minirootfs has 518 entries");
    Tree tree = new Tree(backend);
    List<String> problems = new ArrayList<>();
    for (AlpineTarball.Listed e : listing) {
      String path = guestPath(e.name());
      try {
        compare(tree, e, path, problems);
      } catch (RuntimeException ex) {
        problems.add(path + ": " + ex);
      }
    }
    int inTree = countEntries(tree, "/") + 1; // + the root, which tar lists as "./"
    if (inTree != listing.size()) {
      problems.add("the tree has " + inTree + " entries, the archive " + listing.size());
    }
    assertTrue(problems.isEmpty(), problems.size() + " mismatches:\n" + String.join("\n",
        problems.subList(0, Math.min(30, problems.size()))));
  }

  private static void compare(Tree tree, AlpineTarball.Listed e, String path,
      List<String> problems) {
    Stat st = tree.lstat(path);
    char type = e.type() == 'h' ? '-' : e.type();
    check(problems, path, "type", type, st.type().lsLetter());
    check(problems, path, "mode", Integer.toOctalString(e.permissions()),
        Integer.toOctalString(st.permissions()));
    check(problems, path, "uid", e.uid(), st.uid());
    check(problems, path, "gid", e.gid(), st.gid());
    check(problems, path, "mtime", e.mtimeMinute(),
        MINUTE.format(Instant.ofEpochSecond(Math.floorDiv(st.mtimeNs(), 1_000_000_000L))));
    if (st.type() == FileType.REGULAR && e.hardLinkTarget() == null) {
      check(problems, path, "size", e.size(), st.size());
    }
    if (e.symlinkTarget() != null) {
      check(problems, path, "symlink target", e.symlinkTarget(), tree.readlink(path));
    }
    if (e.hardLinkTarget() != null) {
      Stat target = tree.lstat(guestPath(e.hardLinkTarget()));
      check(problems, path, "hard link inode", target.ino(), st.ino());
      assertTrue(st.nlink() >= 2, path + " nlink " + st.nlink());
    }
    if (e.major() >= 0) {
      check(problems, path, "major", e.major(), Stat.major(st.rdev()));
      check(problems, path, "minor", e.minor(), Stat.minor(st.rdev()));
    }
  }

  private static void check(List<String> problems, String path, String what, Object expected,
      Object actual) {
    if (!expected.equals(actual)) {
      problems.add(path + ": " + what + " expected " + expected + " but was " + actual);
    }
  }

  /** "./bin/ls" to "/bin/ls", "./" to "/". */
  static String guestPath(String tarName) {
    String p = tarName.startsWith("./") ? tarName.substring(1) : "/" + tarName;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static int countEntries(Tree tree, String dir) {
    int n = 0;
    for (String name : tree.list(dir)) {
      String child = dir.equals("/") ? "/" + name : dir + "/" + name;
      n++;
      if (tree.lstat(child).type() == FileType.DIRECTORY) {
        n += countEntries(tree, child);
      }
    }
    return n;
  }
}
