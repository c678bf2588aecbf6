package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives that try to write outside the tree: "..", absolute names, writing through a symlink an
 * earlier entry planted, hard links naming outside paths. The VFS resolves all of these inside
 * the tree; the tests pin exactly where the data lands and that nothing appears outside (for the
 * cache, on the host too).
 *
 * <pre>
 * tmp/
 *   outside/            host directory the archive aims at; must stay empty
 *   archives/evil.tar
 *   cache/rootfs-v1/SHA/rootfs/...   everything the import wrote on the host
 * </pre>
 */
class HostileArchiveTest {
  @TempDir Path tmp;
  private Path outside;
  private Path archives;

  @BeforeEach
  void dirs() throws IOException {
    outside = Files.createDirectory(tmp.resolve("outside"));
    archives = Files.createDirectory(tmp.resolve("archives"));
  }

  private byte[] evil() {
    return TarBuilder.posix()
        .dir("etc")
        .file("../../../../escape-dotdot", "dotdot")
        .file("/abs-file", "absolute")
        .file(outside + "/abs-host-path", "absolute host path")
        .file("etc/../../../etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        .symlink("a", "/etc")
        .file("a/written-through-absolute-link", "via a")
        .symlink("b", "../../..")
        .file("b/written-through-dotdot-link", "via b")
        .symlink("c", outside.toString())
        .dir(outside.toString().substring(1))
        .file("c/pwned", "via c")
        .hardlink("hl-dotdot", "../../../etc/passwd")
        .hardlink("hl-abs", "/etc/passwd")
        .tar();
  }

  private void assertLandedInside(Tree t) {
    assertEquals("dotdot", t.read("/escape-dotdot"));
    assertEquals("absolute", t.read("/abs-file"));
    assertEquals("absolute host path", t.read(outside + "/abs-host-path"));
    assertEquals("root:x:0:0::/root:/bin/sh\n", t.read("/etc/passwd"));
    assertEquals("/etc", t.readlink("/a"));
    assertEquals("via a", t.read("/etc/written-through-absolute-link"));
    assertEquals("via b", t.read("/written-through-dotdot-link"));
    assertEquals(FileType.SYMLINK, t.lstat("/c").type());
    assertEquals("via c", t.read(outside + "/pwned"));
    long passwd = t.lstat("/etc/passwd").ino();
    assertEquals(passwd, t.lstat("/hl-dotdot").ino());
    assertEquals(passwd, t.lstat("/hl-abs").ino());
    assertEquals(3, t.lstat("/etc/passwd").nlink());
  }

  private void assertNothingOutside() throws IOException {
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(), s.collect(Collectors.toList()), "host dir 'outside' was written");
    }
    assertFalse(Files.exists(tmp.resolve("escape-dotdot")));
    assertFalse(Files.exists(Path.of("/escape-dotdot")));
    assertFalse(Files.exists(Path.of("/abs-file")));
    assertFalse(Files.exists(Path.of("/written-through-dotdot-link")));
    assertFalse(Files.exists(Path.of("/etc/written-through-absolute-link")));
  }

  @Test
  void memoryImport_everyEscapeLandsInsideTheTree() throws IOException {
    Path file = TarBuilder.write(archives, "evil.tar", evil());
    NioBackend memory = NioBackend.memory();
    Images.importArchive(file, memory);
    assertLandedInside(new Tree(memory));
    assertNothingOutside();
  }

  @Test
  void cachedImport_everyEscapeLandsInsideTheTree_andInsideTheCacheOnTheHost()
      throws IOException {
    Path file = TarBuilder.write(archives, "evil.tar.gz", TarBuilder.gzip(evil()));
    Path cache = tmp.resolve("cache");
    Image image = Images.open(file, ImageOptions.defaults().withCacheDir(cache));
    assertLandedInside(new Tree(image.lower()));
    assertNothingOutside();
    // On the host, the import wrote only inside cache/ and archives/ holds just the archive.
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("archives", "cache", "outside"),
          s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
    }
    try (Stream<Path> s = Files.list(archives)) {
      assertEquals(1, s.count());
    }
    // Every host path in the cache is under the published entry's store.
    Path images = cache.resolve(ImageCache.LAYOUT);
    try (Stream<Path> s = Files.walk(cache)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path rel = images.relativize(p.toAbsolutePath());
        assertTrue(p.equals(cache) || p.equals(images) || rel.getNameCount() >= 1
            && !rel.startsWith(".."), p.toString());
      }
    }
  }

  @Test
  void writeThroughDanglingAbsoluteSymlink_isAnErrorInsideTheTree_notAHostWrite()
      throws IOException {
    Path target = outside.resolve("missing-dir");
    Path file = TarBuilder.write(archives, "dangling.tar", TarBuilder.posix()
        .symlink("d", target.toString()).file("d/x", "x").tar());
    ImageException e = org.junit.jupiter.api.Assertions.assertThrows(ImageException.class,
        () -> Images.importArchive(file, NioBackend.memory()));
    assertEquals(file + ": entry d/x: No such file or directory (ENOENT)", e.getMessage());
    assertNothingOutside();
  }
}
