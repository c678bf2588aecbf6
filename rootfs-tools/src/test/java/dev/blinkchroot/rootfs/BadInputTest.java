package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken input gives ONE line naming the file and where it broke, through the cache path (which
 * must then hold nothing: no published entry, no temp dir) and the plain import alike.
 */
class BadInputTest {
  @TempDir Path tmp;

  /**
   * A tar of 40 files of pseudo-random hex text (seeded): it compresses only about 2:1, so the
   * compressed stream spans many blocks and entries, and each damage lands inside an entry.
   */
  private static byte[] sampleTar() {
    java.util.Random random = new java.util.Random(42);
    TarBuilder b = TarBuilder.posix().dir("etc");
    for (int i = 0; i < 40; i++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 16_000) {
        text.append(Long.toHexString(random.nextLong())).append('\n');
      }
      b.file("etc/file" + i, text.toString());
    }
    return b.tar();
  }

  /** Opens through the cache, expects failure, checks the cache is empty, returns the message. */
  private String failingOpen(Path file) {
    Path cache = tmp.resolve("cache");
    ImageException e = assertThrows(ImageException.class,
        () -> Images.open(file, ImageOptions.defaults().withCacheDir(cache)));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertCacheEmpty(cache);
    ImageException plain = assertThrows(ImageException.class,
        () -> Images.importArchive(file, NioBackend.memory()));
    assertEquals(e.getMessage(), plain.getMessage());
    return e.getMessage().substring(file.toString().length() + 2);
  }

  static void assertCacheEmpty(Path cache) {
    Path images = cache.resolve(ImageCache.LAYOUT);
    if (!Files.exists(images)) {
      return;
    }
    try (Stream<Path> s = Files.list(images)) {
      List<String> left = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
      assertEquals(List.of(), left, "nothing may be published or left behind");
    } catch (IOException e) {
      fail(e);
    }
  }

  @Test
  void missingFile_saysNoSuchFile() {
    assertEquals("no such file or directory", failingOpen(tmp.resolve("nope.tar.gz")));
  }

  @Test
  void emptyFile_saysEmpty() {
    assertEquals("empty file, not an archive",
        failingOpen(TarBuilder.write(tmp, "empty.tar", new byte[0])));
  }

  @Test
  void textFile_isUnknownFormat() {
    assertEquals("unknown format (not a tar, tar.gz, tar.xz or tar.bz2 archive)",
        failingOpen(TarBuilder.write(tmp, "notes.tar.gz", "hello world\n".repeat(100)
            .getBytes())));
  }

  @Test
  void gzipOfSomethingElse_saysNotATarArchive() {
    assertEquals("gzip data that is not a tar archive", failingOpen(TarBuilder.write(tmp,
        "x.tar.gz", TarBuilder.gzip("just text, not tar\n".repeat(100).getBytes()))));
  }

  @Test
  void zipFile_isRefusedByName() {
    byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0};
    assertEquals("a zip archive, not a tar archive",
        failingOpen(TarBuilder.write(tmp, "x.tar", zip)));
  }

  @Test
  void zstdFile_isRefusedWithAHint() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    assertEquals("zstd-compressed archives are not supported (use tar, tar.gz, tar.xz or"
        + " tar.bz2)", failingOpen(TarBuilder.write(tmp, "x.tar.zst", zstd)));
  }

  @Test
  void truncatedGzip_namesOffsetAndEntry() {
    byte[] gz = TarBuilder.gzip(sampleTar());
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    String m = failingOpen(TarBuilder.write(tmp, "cut.tar.gz", cut));
    assertTrue(m.matches("truncated gzip data at offset " + cut.length
        + " \\((entry|after entry) etc/file\\d+\\)"), m);
  }

  @Test
  void truncatedXz_namesOffsetAndEntry() {
    byte[] xz = TarBuilder.xz(sampleTar());
    byte[] cut = Arrays.copyOf(xz, xz.length - 100);
    String m = failingOpen(TarBuilder.write(tmp, "cut.tar.xz", cut));
    assertTrue(m.matches("truncated xz data at offset " + cut.length
        + " \\((entry|after entry) etc/file\\d+\\)"), m);
  }

  @Test
  void corruptGzipData_isBlamedOnGzipWithOffsetAndEntry() {
    byte[] gz = TarBuilder.gzip(sampleTar());
    for (int i = gz.length / 2; i < gz.length / 2 + 32; i++) {
      gz[i] ^= (byte) 0x5a;
    }
    String m = failingOpen(TarBuilder.write(tmp, "bad.tar.gz", gz));
    // Damaged deflate data may inflate to garbage (even a garbage entry name) before the
    // gzip CRC catches it, so only the shape and the blame are pinned.
    assertTrue(m.matches("corrupt gzip data at offset \\d+ \\((entry|after entry) etc/\\S+\\)"),
        m);
  }

  @Test
  void corruptGzipTrailerCrc_isNoticedAfterTheLastEntry() {
    byte[] gz = TarBuilder.gzip(sampleTar());
    gz[gz.length - 8] ^= 1; // CRC32 of the gzip trailer
    String m = failingOpen(TarBuilder.write(tmp, "crc.tar.gz", gz));
    assertEquals("corrupt gzip data at offset " + gz.length + " (after entry etc/file39)", m);
  }

  @Test
  void truncatedPlainTar_insideAnEntry_namesTheEntry() {
    byte[] tar = sampleTar();
    byte[] cut = Arrays.copyOf(tar, 512 * 3 + 100); // dir header, file0 header, inside file0
    assertEquals("truncated tar archive at offset " + cut.length + " (entry etc/file0)",
        failingOpen(TarBuilder.write(tmp, "cut.tar", cut)));
  }

  @Test
  void truncatedPlainTar_atAHeaderBoundary_isNoticedWithoutEndBlocks() {
    byte[] tar = TarBuilder.posix().file("a", "x").file("b", "y").tar();
    byte[] cut = Arrays.copyOf(tar, 512 * 4); // both entries, no end-of-archive blocks
    assertEquals("truncated tar archive at offset 2048 (after entry b)",
        failingOpen(TarBuilder.write(tmp, "cut.tar", cut)));
  }

  @Test
  void corruptTarHeaderChecksum_namesTheHeaderOffset() {
    byte[] tar = TarBuilder.posix().file("a", "x").file("b", "y").tar();
    tar[1024 + 148] = 'X'; // the checksum of b's header
    assertEquals("corrupt tar header at offset 1024 (after entry a)",
        failingOpen(TarBuilder.write(tmp, "bad.tar", tar)));
  }

  @Test
  void hardLinkToMissingTarget_namesTheEntry() {
    byte[] tar = TarBuilder.posix().file("a", "x").hardlink("b", "nowhere").tar();
    assertEquals("entry b: hard link target nowhere is not an earlier entry of the archive",
        failingOpen(TarBuilder.write(tmp, "hl.tar", tar)));
  }

  @Test
  void nonEmptyDirectoryReplacedByFile_namesTheEntry() {
    byte[] tar = TarBuilder.posix().dir("d").file("d/x", "x").file("d", "file").tar();
    assertEquals("entry d: Directory not empty (ENOTEMPTY)",
        failingOpen(TarBuilder.write(tmp, "d.tar", tar)));
  }

  @Test
  void notAFileOrDirectory_isRefused() {
    ImageException e = assertThrows(ImageException.class,
        () -> Images.open(Path.of("/dev/null"), ImageOptions.defaults().withoutCache()));
    assertEquals("/dev/null: not a regular file or directory", e.getMessage());
  }

  /**
   * chmod 000 stops a non-root user; root (CAP_DAC_OVERRIDE, as in CI containers) reads it
   * anyway, so there the test uses /proc/1/map_files, which even root may not list without
   * CAP_SYS_ADMIN.
   */
  @Test
  void unreadableDirectory_saysPermissionDenied() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("locked"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
    try {
      Path unreadable = listable(dir) ? Path.of("/proc/1/map_files") : dir;
      if (listable(unreadable)) {
        fail("cannot make an unreadable directory here (running as root with"
            + " CAP_SYS_ADMIN?): " + unreadable);
      }
      ImageException e = assertThrows(ImageException.class,
          () -> Images.open(unreadable, ImageOptions.defaults()));
      assertEquals(unreadable + ": cannot read directory (permission denied)", e.getMessage());
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static boolean listable(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.iterator().hasNext();
      return true;
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      return false;
    }
  }
}
