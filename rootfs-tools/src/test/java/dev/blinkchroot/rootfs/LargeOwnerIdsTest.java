package dev.blinkchroot.rootfs;

import static dev.blinkchroot.rootfs.HostTar.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Owner ids above 2^31 - 1 keep all 32 bits (the VFS holds them in an int read as unsigned, as
 * Linux's uid_t is u32); ids Linux cannot give a file (2^32 - 1, which is (uid_t) -1, and
 * above, or negative) fail the import with the entry named instead of being cut to 32 bits.
 */
class LargeOwnerIdsTest {
  @TempDir Path tmp;

  /** GNU tar archives a file, a directory and a symlink, all owned by uid:gid. */
  private Path gnuTar(String format, String uid, String gid) {
    HostTar.sh(tmp, "mkdir src\nprintf x > src/f\nmkdir src/d\nln -s f src/s\n"
        + "tar --format=" + format + " --owner=bob:" + uid + " --group=grp:" + gid
        + " -cf a.tar -C src f d s\n");
    return tmp.resolve("a.tar");
  }

  private static void assertOwner(Stat st, long uid, long gid) {
    assertEquals(uid, Integer.toUnsignedLong(st.uid()));
    assertEquals(gid, Integer.toUnsignedLong(st.gid()));
  }

  private static void assertAllOwned(Tree t, long uid, long gid) {
    assertOwner(t.lstat("/f"), uid, gid);
    assertOwner(t.lstat("/d"), uid, gid);
    assertEquals(FileType.SYMLINK, t.lstat("/s").type());
    assertOwner(t.lstat("/s"), uid, gid);
  }

  @ParameterizedTest
  @CsvSource({
      "posix, 2147483648, 2147483647",
      "posix, 4000000000, 3999999999",
      "posix, 4294967294, 4294967294",
      "gnu, 2147483648, 2147483647",
      "gnu, 4000000000, 4294967294"})
  void idsUpTo2To32Minus2_keepAll32Bits(String format, long uid, long gid) {
    Path archive = gnuTar(format, Long.toString(uid), Long.toString(gid));
    byte[] tar = HostTar.read(archive);
    if (format.equals("gnu")) {
      assertEquals((byte) 0x80, tar[108], "uid field in base-256");
    } else {
      assertTrue(HostTar.contains(tar, bytes(" uid=" + uid + "\n")), "PAX uid record");
    }
    NioBackend memory = NioBackend.memory();
    Images.importArchive(archive, memory);
    assertAllOwned(new Tree(memory), uid, gid);
  }

  @Test
  void cachedImport_keepsLargeIds_whenReopened() {
    Path archive = gnuTar("gnu", "4000000000", "4294967294");
    ImageOptions options = ImageOptions.defaults().withCacheDir(tmp.resolve("cache"));
    assertAllOwned(new Tree(Images.open(archive, options).lower()), 4_000_000_000L,
        4_294_967_294L);
    int imports = ImageCache.IMPORTS.get();
    assertAllOwned(new Tree(Images.open(archive, options).lower()), 4_000_000_000L,
        4_294_967_294L);
    assertEquals(imports, ImageCache.IMPORTS.get(), "the second open reads the cache");
  }

  /** The one-line message of a failed import, through the cache (left empty) and without. */
  private String failure(Path archive) {
    Path cache = tmp.resolve("cache");
    ImageException cached = assertThrows(ImageException.class,
        () -> Images.open(archive, ImageOptions.defaults().withCacheDir(cache)));
    BadInputTest.assertCacheEmpty(cache);
    ImageException plain = assertThrows(ImageException.class,
        () -> Images.importArchive(archive, NioBackend.memory()));
    assertEquals(cached.getMessage(), plain.getMessage());
    assertFalse(plain.getMessage().contains("\n"));
    return plain.getMessage().substring(archive.toString().length() + 2);
  }

  @Test
  void uid2To32Minus1_isRefused_becauseItIsChownsNoChange() {
    // GNU tar's --owner takes 4294967295 as "not given"; a PAX record written as an option
    // still stores it, and GNU tar itself reads it back as in range.
    HostTar.sh(tmp, "mkdir src\nprintf x > src/f\n"
        + "tar --format=posix --pax-option=uid:=4294967295 -cf a.tar -C src f\n");
    Path archive = tmp.resolve("a.tar");
    assertTrue(HostTar.contains(HostTar.read(archive), bytes(" uid=4294967295\n")));
    assertEquals("entry f: uid 4294967295 is out of range 0..4294967294 (Linux ids are"
        + " 32-bit and 4294967295 is (uid_t) -1, which chown(2) takes as \"no change\")",
        failure(archive));
  }

  @Test
  void gidAbove32Bits_fromPax_isRefused() {
    HostTar.sh(tmp, "mkdir src\nprintf x > src/f\n"
        + "tar --format=posix --pax-option=gid:=4294967296 -cf a.tar -C src f\n");
    assertEquals("entry f: gid 4294967296 is out of range 0..4294967294 (Linux ids are"
        + " 32-bit and 4294967295 is (gid_t) -1, which chown(2) takes as \"no change\")",
        failure(tmp.resolve("a.tar")));
  }

  private static TarArchiveEntry owned(String name, long uid, long gid) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setMode(0644);
    e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(TarBuilder.MTIME)));
    return e;
  }

  @Test
  void base256UidAbove32Bits_isRefused_notCutTo32Bits() {
    // 2^32 + 5: Commons Compress alone reads it as 5.
    byte[] tar = TarBuilder.base256().raw(owned("f", 4_294_967_301L, 0), new byte[0]).tar();
    assertEquals((byte) 0x80, tar[108], "uid field in base-256");
    Path archive = TarBuilder.write(tmp, "a.tar", tar);
    assertEquals("entry f: uid 4294967301 is out of range 0..4294967294 (Linux ids are"
        + " 32-bit and 4294967295 is (uid_t) -1, which chown(2) takes as \"no change\")",
        failure(archive));
  }

  @Test
  void negativeBase256Gid_isRefused() {
    byte[] tar = TarBuilder.base256().raw(owned("f", 0, -5), new byte[0]).tar();
    assertEquals((byte) 0xff, tar[116], "gid field in negative base-256");
    Path archive = TarBuilder.write(tmp, "a.tar", tar);
    assertEquals("entry f: gid -5 is out of range 0..4294967294 (Linux ids are"
        + " 32-bit and 4294967295 is (gid_t) -1, which chown(2) takes as \"no change\")",
        failure(archive));
  }

  @Test
  void base256IdsWithin32Bits_areKept() {
    byte[] tar = TarBuilder.base256().raw(owned("f", 4_294_967_294L, 2_147_483_648L),
        new byte[0]).tar();
    NioBackend memory = NioBackend.memory();
    Images.importArchive(TarBuilder.write(tmp, "a.tar", tar), memory);
    assertOwner(new Tree(memory).lstat("/f"), 4_294_967_294L, 2_147_483_648L);
  }
}
