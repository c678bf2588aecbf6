package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache: keyed by SHA-256, reused without unpacking, published atomically. */
class ImageCacheTest {
  @TempDir Path tmp;

  private Path archive(String name, String content) {
    return TarBuilder.write(tmp, name, TarBuilder.gzip(TarBuilder.posix().dir("etc")
        .file("etc/hostname", content).tar()));
  }

  private Path cache() {
    return tmp.resolve("cache");
  }

  private List<String> cacheEntries() throws IOException {
    try (Stream<Path> s = Files.list(cache().resolve(ImageCache.LAYOUT))) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void firstOpen_publishesUnderTheSha256_secondOpenReusesWithoutUnpacking() throws Exception {
    Path file = archive("a.tar.gz", "box\n");
    ImageOptions options = ImageOptions.defaults().withCacheDir(cache());
    int before = ImageCache.IMPORTS.get();

    Image first = Images.open(file, options);
    String sha = sha256(file);
    assertEquals(List.of(sha), cacheEntries());
    assertEquals("a.tar.gz (cached " + sha.substring(0, 12) + ")", first.description());
    assertEquals(before + 1, ImageCache.IMPORTS.get());
    Path marker = cache().resolve(ImageCache.LAYOUT).resolve(sha).resolve(ImageCache.MARKER);
    FileTime published = Files.getLastModifiedTime(marker);

    Image second = Images.open(file, options);
    assertEquals(before + 1, ImageCache.IMPORTS.get(), "reuse must not import again");
    assertEquals(published, Files.getLastModifiedTime(marker));
    assertEquals("box\n", new Tree(second.lower()).read("/etc/hostname"));
    assertEquals(first.description(), second.description());
  }

  @Test
  void cachedTree_isReadOnly() {
    Path file = archive("a.tar.gz", "box\n");
    Image image = Images.open(file, ImageOptions.defaults().withCacheDir(cache()));
    assertTrue(image.lower().isReadOnly());
  }

  @Test
  void sameContentUnderAnotherName_reusesTheSameEntry() throws Exception {
    Path a = archive("a.tar.gz", "same\n");
    Path b = tmp.resolve("copy-of-a.tgz");
    Files.copy(a, b);
    ImageOptions options = ImageOptions.defaults().withCacheDir(cache());
    Images.open(a, options);
    int imports = ImageCache.IMPORTS.get();
    Images.open(b, options);
    assertEquals(imports, ImageCache.IMPORTS.get());
    assertEquals(1, cacheEntries().size());
  }

  @Test
  void changedArchive_getsANewEntry() throws Exception {
    Path file = archive("a.tar.gz", "one\n");
    ImageOptions options = ImageOptions.defaults().withCacheDir(cache());
    Images.open(file, options);
    archive("a.tar.gz", "two\n");
    Image image = Images.open(file, options);
    assertEquals("two\n", new Tree(image.lower()).read("/etc/hostname"));
    assertEquals(2, cacheEntries().size());
  }

  @Test
  void twoThreadsOpeningTheSameArchive_bothSucceed_andOneEntryIsPublished() throws Exception {
    Path file = TarBuilder.write(tmp, "big.tar.gz", TarBuilder.gzip(manyFiles()));
    ImageOptions options = ImageOptions.defaults().withCacheDir(cache());
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Image> a = pool.submit(() -> {
        start.await();
        return Images.open(file, options);
      });
      Future<Image> b = pool.submit(() -> {
        start.await();
        return Images.open(file, options);
      });
      for (Image image : List.of(a.get(), b.get())) {
        assertEquals("content 199\n", new Tree(image.lower()).read("/data/f199"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(sha256(file)), cacheEntries(), "one entry, no temp dirs left");
  }

  private static byte[] manyFiles() {
    TarBuilder b = TarBuilder.posix().dir("data");
    for (int i = 0; i < 200; i++) {
      b.file("data/f" + i, "content " + i + "\n");
    }
    return b.tar();
  }

  @Test
  void tempDirsOfDeadOrOldRuns_areRemoved_liveOnesKept() throws Exception {
    Path images = Files.createDirectories(cache().resolve(ImageCache.LAYOUT));
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    Path dead = Files.createDirectories(images.resolve(".tmp-" + done.pid() + "-1/rootfs/etc"));
    Files.writeString(dead.resolve("junk"), "half an import");
    long self = ProcessHandle.current().pid();
    Path live = Files.createDirectory(images.resolve(".tmp-" + self + "-2"));
    Path old = Files.createDirectory(images.resolve(".tmp-" + self + "-3"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

    Images.open(archive("a.tar.gz", "x\n"), ImageOptions.defaults().withCacheDir(cache()));

    assertFalse(Files.exists(images.resolve(".tmp-" + done.pid() + "-1")), "dead pid's dir");
    assertFalse(Files.exists(old), "a day-old temp dir");
    assertTrue(Files.exists(live), "a live import's temp dir must stay");
  }

  @Test
  void strayDirectoryWhereTheEntryBelongs_isMovedAsideAndReplaced() throws Exception {
    Path file = archive("a.tar.gz", "ok\n");
    Path stray = Files.createDirectories(cache().resolve(ImageCache.LAYOUT)
        .resolve(sha256(file)).resolve("junk"));
    Image image = Images.open(file, ImageOptions.defaults().withCacheDir(cache()));
    assertEquals("ok\n", new Tree(image.lower()).read("/etc/hostname"));
    assertFalse(Files.exists(stray));
  }

  @Test
  void withoutCache_nothingIsWritten() {
    Path file = archive("a.tar.gz", "mem\n");
    Image image = Images.open(file, ImageOptions.defaults().withCacheDir(cache()).withoutCache());
    assertEquals("mem\n", new Tree(image.lower()).read("/etc/hostname"));
    assertFalse(Files.exists(cache()));
  }

  @Test
  void cacheDir_explicitWins_elseXdgCacheHome_elseHomeDotCache() {
    assertEquals(tmp, ImageOptions.defaults().withCacheDir(tmp).cacheDir());
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path expected = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg, "blink-chroot")
        : Path.of(System.getProperty("user.home"), ".cache", "blink-chroot");
    assertEquals(expected, ImageOptions.defaults().cacheDir());
  }
}
