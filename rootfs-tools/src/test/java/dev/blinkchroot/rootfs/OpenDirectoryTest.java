package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host directory, or the host root, opens as a read-only bind, never imported or cached. */
class OpenDirectoryTest {
  @TempDir Path tmp;

  @Test
  void hostDirectory_isBoundReadOnly() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("rootfs/etc"));
    Files.writeString(root.resolve("hostname"), "dirbox\n");
    Image image = Images.open(tmp.resolve("rootfs"),
        ImageOptions.defaults().withCacheDir(tmp.resolve("cache")));
    assertEquals("dirbox\n", new Tree(image.lower()).read("/etc/hostname"));
    assertTrue(image.lower().isReadOnly());
    assertEquals(tmp.resolve("rootfs") + " (read-only)", image.description());
    assertTrue(!Files.exists(tmp.resolve("cache")), "a directory is never cached");
  }

  @Test
  void hostRoot_isBoundReadOnly() {
    Image image = Images.open(Path.of("/"), ImageOptions.defaults());
    assertEquals("host root / (read-only)", image.description());
    assertTrue(image.lower().isReadOnly());
    assertTrue(new Tree(image.lower()).exists("/etc"));
  }
}
