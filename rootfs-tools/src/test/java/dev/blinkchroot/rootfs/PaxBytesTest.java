package dev.blinkchroot.rootfs;

import static dev.blinkchroot.rootfs.HostTar.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PAX record values reach the tree as the archived bytes, from GNU tar archives. */
class PaxBytesTest {
  @TempDir Path tmp;

  private Tree importTar(Path archive) {
    NioBackend memory = NioBackend.memory();
    Images.importArchive(archive, memory);
    return new Tree(memory);
  }

  @Test
  void schilyXattrValue_thatIsNotUtf8_keepsItsBytes() {
    byte[] value = bytes("\u0001\u0002\u00e9\u00ff\u0080");
    HostTar.sh(tmp, "mkdir src\nprintf x > src/f\n"
        + "tar --format=posix --pax-option=SCHILY.xattr.user.bin:=" + HostTar.word(value)
        + " -cf a.tar -C src f\n");
    Path archive = tmp.resolve("a.tar");
    assertTrue(HostTar.contains(HostTar.read(archive),
        bytes(" SCHILY.xattr.user.bin=\u0001\u0002\u00e9\u00ff\u0080\n")));
    assertArrayEquals(value, importTar(archive).xattr("/f", "user.bin"));
  }

  @Test
  void globalPaxRecords_applyToEveryLaterEntry() {
    // keyword=value (no colon) goes into one global header before the first entry.
    HostTar.sh(tmp, "mkdir src\nprintf x > src/f\nmkdir src/d\n"
        + "tar --format=posix --pax-option=SCHILY.xattr.user.g=everyone -cf a.tar -C src f d\n");
    Path archive = tmp.resolve("a.tar");
    assertEquals('g', HostTar.read(archive)[156], "a global header first");
    Tree t = importTar(archive);
    assertArrayEquals(bytes("everyone"), t.xattr("/f", "user.g"));
    assertArrayEquals(bytes("everyone"), t.xattr("/d", "user.g"));
  }

  @Test
  void extendedHeaderOver16MiB_isRefusedWithOneLine() {
    // Linux caps a name at 4096 bytes and an xattr value at 64 KiB: no real header is this big.
    Path archive = TarBuilder.write(tmp, "big.tar", TarBuilder.posix()
        .pax(Map.of("SCHILY.xattr.user.big", "v".repeat(HeaderTap.LIMIT))).file("f", "x").tar());
    ImageException e = assertThrows(ImageException.class,
        () -> Images.importArchive(archive, NioBackend.memory()));
    assertEquals(archive + ": corrupt tar header at offset 0 (before the first entry):"
        + " extended header larger than 16 MiB", e.getMessage());
  }
}
