package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported compression, told apart by content: the file name is never trusted. */
class ArchiveFormatsTest {
  @TempDir Path tmp;

  private static byte[] sample() {
    return TarBuilder.posix().dir("etc").file("etc/os-release", "ID=test\n").tar();
  }

  private String importAndRead(String fileName, byte[] data) {
    NioBackend memory = NioBackend.memory();
    Images.importArchive(TarBuilder.write(tmp, fileName, data), memory);
    return new Tree(memory).read("/etc/os-release");
  }

  @Test
  void plainTar_isImported() {
    assertEquals("ID=test\n", importAndRead("a.tar", sample()));
  }

  @Test
  void tarGz_isImported() {
    assertEquals("ID=test\n", importAndRead("a.tar.gz", TarBuilder.gzip(sample())));
  }

  @Test
  void tgz_isImported() {
    assertEquals("ID=test\n", importAndRead("a.tgz", TarBuilder.gzip(sample())));
  }

  @Test
  void tarXz_isImported() {
    assertEquals("ID=test\n", importAndRead("a.tar.xz", TarBuilder.xz(sample())));
  }

  @Test
  void tarBz2_isImported() {
    assertEquals("ID=test\n", importAndRead("a.tar.bz2", TarBuilder.bzip2(sample())));
  }

  @Test
  void misleadingName_xzDataCalledTarGz_isDetectedFromContent() {
    assertEquals("ID=test\n", importAndRead("lies.tar.gz", TarBuilder.xz(sample())));
  }

  @Test
  void misleadingName_plainTarCalledTgz_isDetectedFromContent() {
    assertEquals("ID=test\n", importAndRead("lies.tgz", sample()));
  }

  @Test
  void noExtensionAtAll_bzip2_isDetectedFromContent() {
    assertEquals("ID=test\n", importAndRead("rootfs", TarBuilder.bzip2(sample())));
  }

  @Test
  void concatenatedGzipMembers_areReadLikeGzipDashD() {
    byte[] tar = sample();
    byte[] first = TarBuilder.gzip(java.util.Arrays.copyOf(tar, 1024));
    byte[] second = TarBuilder.gzip(java.util.Arrays.copyOfRange(tar, 1024, tar.length));
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    assertEquals("ID=test\n", importAndRead("multi.tar.gz", both));
  }

  @Test
  void openWithoutCache_detectsFormatFromContentToo() {
    Path file = TarBuilder.write(tmp, "image.tar.bz2", TarBuilder.gzip(sample()));
    Image image = Images.open(file, ImageOptions.defaults().withoutCache());
    assertEquals("ID=test\n", new Tree(image.lower()).read("/etc/os-release"));
    assertEquals("image.tar.bz2 (unpacked in memory)", image.description());
  }
}
