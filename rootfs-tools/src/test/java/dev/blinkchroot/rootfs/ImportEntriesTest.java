package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every entry kind and attribute tar carries survives an import into memory. */
class ImportEntriesTest {
  @TempDir Path tmp;

  private Tree importTar(byte[] tar) {
    Path file = TarBuilder.write(tmp, "test.tar", tar);
    NioBackend memory = NioBackend.memory();
    Images.importArchive(file, memory);
    return new Tree(memory);
  }

  @Test
  void regularFile_keepsContentModeOwnerAndMtime() {
    Tree t = importTar(TarBuilder.posix().dir("etc").file("etc/motd", "hello\n", 0640, 1000, 50,
        1_234_567_890L).tar());
    Stat st = t.lstat("/etc/motd");
    assertEquals(FileType.REGULAR, st.type());
    assertEquals(0640, st.permissions());
    assertEquals(1000, st.uid());
    assertEquals(50, st.gid());
    assertEquals(6, st.size());
    assertEquals(1_234_567_890_000_000_000L, st.mtimeNs());
    assertEquals("hello\n", t.read("/etc/motd"));
  }

  @Test
  void setuidSetgidSticky_surviveBecauseChownComesBeforeChmod() {
    Tree t = importTar(TarBuilder.posix()
        .file("su", "x", 04755, 0, 0, TarBuilder.MTIME)
        .file("wall", "x", 02755, 0, 5, TarBuilder.MTIME)
        .file("mine", "x", 06711, 1000, 1000, TarBuilder.MTIME)
        .dir("tmp", 01777, 0, 0, TarBuilder.MTIME).tar());
    assertEquals(04755, t.lstat("/su").permissions());
    assertEquals(02755, t.lstat("/wall").permissions());
    assertEquals(06711, t.lstat("/mine").permissions());
    assertEquals(1000, t.lstat("/mine").uid());
    assertEquals(01777, t.lstat("/tmp").permissions());
  }

  @Test
  void owners_areNumeric_namesInTheArchiveAreIgnored() {
    // TarBuilder names every entry "someone"/"somegroup"; only the numbers count.
    Tree t = importTar(TarBuilder.posix().file("f", "", 0644, 4242, 4343, TarBuilder.MTIME)
        .tar());
    assertEquals(4242, t.lstat("/f").uid());
    assertEquals(4343, t.lstat("/f").gid());
  }

  @Test
  void largeUidGid_fromPaxRecords() {
    Tree t = importTar(TarBuilder.posix().file("f", "", 0644, 3_000_000, 2_500_000,
        TarBuilder.MTIME).tar());
    assertEquals(3_000_000, t.lstat("/f").uid());
    assertEquals(2_500_000, t.lstat("/f").gid());
  }

  @Test
  void paxMtimeAndAtime_keepNanoseconds() {
    Map<String, String> pax = new LinkedHashMap<>();
    pax.put("mtime", "1700000000.123456789");
    pax.put("atime", "1600000000.5");
    Tree t = importTar(TarBuilder.posix().pax(pax).file("f", "x").tar());
    assertEquals(1_700_000_000_123_456_789L, t.lstat("/f").mtimeNs());
    assertEquals(1_600_000_000_500_000_000L, t.lstat("/f").atimeNs());
  }

  @Test
  void mtimeBefore1970_survives() {
    Tree t = importTar(TarBuilder.posix().file("old", "", 0644, 0, 0, -86_400L).tar());
    assertEquals(-86_400_000_000_000L, t.lstat("/old").mtimeNs());
  }

  @Test
  void symlinks_keepTargetsVerbatim_andTheirOwner() {
    Tree t = importTar(TarBuilder.posix()
        .symlink("abs", "/bin/busybox")
        .symlink("rel", "../x//y/./z/")
        .symlink("dangling", "nowhere")
        .raw(ownedSymlink("owned", "abs", 7, 8), null).tar());
    assertEquals("/bin/busybox", t.readlink("/abs"));
    assertEquals("../x//y/./z/", t.readlink("/rel"));
    assertEquals("nowhere", t.readlink("/dangling"));
    assertEquals(FileType.SYMLINK, t.lstat("/owned").type());
    assertEquals(7, t.lstat("/owned").uid());
    assertEquals(8, t.lstat("/owned").gid());
  }

  private static org.apache.commons.compress.archivers.tar.TarArchiveEntry ownedSymlink(
      String name, String target, int uid, int gid) {
    var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name,
        TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setUserId(uid);
    e.setGroupId(gid);
    return e;
  }

  @Test
  void hardLinks_shareOneInode() {
    Tree t = importTar(TarBuilder.posix().dir("bin").file("bin/busybox", "BB", 0755, 0, 0,
        TarBuilder.MTIME).hardlink("bin/sh", "bin/busybox").hardlink("bin/ash", "./bin/busybox")
        .tar());
    Stat bb = t.lstat("/bin/busybox");
    assertEquals(bb.ino(), t.lstat("/bin/sh").ino());
    assertEquals(bb.ino(), t.lstat("/bin/ash").ino());
    assertEquals(3, t.lstat("/bin/sh").nlink());
    assertEquals("BB", t.read("/bin/ash"));
    assertEquals(0755, t.lstat("/bin/sh").permissions());
  }

  @Test
  void hardLinkToSymlink_linksTheSymlinkItself() {
    Tree t = importTar(TarBuilder.posix().symlink("l", "target").hardlink("l2", "l").tar());
    assertEquals(FileType.SYMLINK, t.lstat("/l2").type());
    assertEquals(t.lstat("/l").ino(), t.lstat("/l2").ino());
  }

  @Test
  void deviceNodes_keepMajorMinorAndMode() {
    Tree t = importTar(TarBuilder.posix().dir("dev")
        .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666, 0, 0)
        .device("dev/sda1", TarConstants.LF_BLK, 8, 1, 0660, 0, 6)
        .device("dev/big", TarConstants.LF_CHR, 4000, 300_000, 0600, 0, 0).tar());
    Stat nul = t.lstat("/dev/null");
    assertEquals(FileType.CHARACTER_DEVICE, nul.type());
    assertEquals(1, Stat.major(nul.rdev()));
    assertEquals(3, Stat.minor(nul.rdev()));
    assertEquals(0666, nul.permissions());
    Stat sda = t.lstat("/dev/sda1");
    assertEquals(FileType.BLOCK_DEVICE, sda.type());
    assertEquals(Stat.makedev(8, 1), sda.rdev());
    assertEquals(6, sda.gid());
    assertEquals(Stat.makedev(4000, 300_000), t.lstat("/dev/big").rdev());
  }

  @Test
  void fifo_isCreatedAsFifo() {
    Tree t = importTar(TarBuilder.posix().fifo("pipe", 0620).tar());
    assertEquals(FileType.FIFO, t.lstat("/pipe").type());
    assertEquals(0620, t.lstat("/pipe").permissions());
  }

  private static final String LONG_DIR = "d".repeat(120) + "/" + "e".repeat(90);
  private static final String LONG_NAME = LONG_DIR + "/" + "f".repeat(150);
  private static final String LONG_TARGET = "/" + "t".repeat(200) + "/target";

  @Test
  void paxLongNamesAndLongLinkNames_areKept() {
    Tree t = importTar(TarBuilder.posix().file(LONG_NAME, "long").symlink("s", LONG_TARGET)
        .hardlink("h", LONG_NAME).tar());
    assertEquals("long", t.read("/" + LONG_NAME));
    assertEquals(LONG_TARGET, t.readlink("/s"));
    assertEquals(t.lstat("/" + LONG_NAME).ino(), t.lstat("/h").ino());
  }

  @Test
  void gnuLongNamesAndLongLinkNames_areKept() {
    Tree t = importTar(TarBuilder.gnu().file(LONG_NAME, "long").symlink("s", LONG_TARGET)
        .hardlink("h", LONG_NAME).tar());
    assertEquals("long", t.read("/" + LONG_NAME));
    assertEquals(LONG_TARGET, t.readlink("/s"));
    assertEquals(t.lstat("/" + LONG_NAME).ino(), t.lstat("/h").ino());
  }

  @Test
  void nonAsciiNames_areStoredAsUtf8Bytes() {
    Tree t = importTar(TarBuilder.posix().file("caf\u00e9-\u65e5\u672c", "u").tar());
    assertEquals("u", t.read("/caf\u00e9-\u65e5\u672c"));
  }

  @Test
  void schilyXattrs_becomeXattrs() {
    Map<String, String> pax = new LinkedHashMap<>();
    pax.put("SCHILY.xattr.user.mime_type", "text/plain");
    pax.put("SCHILY.xattr.security.selinux", "system_u:object_r:bin_t:s0");
    pax.put("SCHILY.xattr.trusted.k", "v");
    Tree t = importTar(TarBuilder.posix().pax(pax).file("f", "x").tar());
    assertArrayEquals("text/plain".getBytes(UTF_8), t.xattr("/f", "user.mime_type"));
    assertArrayEquals("system_u:object_r:bin_t:s0".getBytes(UTF_8),
        t.xattr("/f", "security.selinux"));
    assertArrayEquals("v".getBytes(UTF_8), t.xattr("/f", "trusted.k"));
  }

  @Test
  void libarchiveXattrs_areBase64AndUrlEncodedNames_andBinarySafe() {
    Map<String, String> pax = new LinkedHashMap<>();
    pax.put("LIBARCHIVE.xattr.security.capability", "AQAAAgAgAAAAAAAAAAAAAAAAAAA="); // binary
    pax.put("LIBARCHIVE.xattr.user.a%20b%3D", "aGk"); // unpadded base64 of "hi"
    pax.put("LIBARCHIVE.xattr.com.apple.quarantine", "eA=="); // not a Linux namespace: dropped
    Tree t = importTar(TarBuilder.posix().pax(pax).file("f", "x").tar());
    assertArrayEquals(java.util.Base64.getDecoder().decode("AQAAAgAgAAAAAAAAAAAAAAAAAAA="),
        t.xattr("/f", "security.capability"));
    assertArrayEquals("hi".getBytes(UTF_8), t.xattr("/f", "user.a b="));
    assertEquals(2, t.vfs.listxattr(t.ctx, null, "/f".getBytes(UTF_8), 0).size());
  }

  @Test
  void directoryAfterItsContents_getsItsAttributesAndMtime() {
    Tree t = importTar(TarBuilder.posix().file("usr/lib/libz.so", "z")
        .dir("usr/lib", 0750, 3, 4, 1_111_111_111L).dir("usr", 0711, 0, 0, 1_222_222_222L)
        .tar());
    Stat lib = t.lstat("/usr/lib");
    assertEquals(0750, lib.permissions());
    assertEquals(3, lib.uid());
    assertEquals(1_111_111_111_000_000_000L, lib.mtimeNs());
    assertEquals(1_222_222_222_000_000_000L, t.lstat("/usr").mtimeNs());
  }

  @Test
  void directoryMtime_isSetAfterLaterEntriesAreWrittenIntoIt() {
    Tree t = importTar(TarBuilder.posix().dir("etc", 0755, 0, 0, 1_000L)
        .file("etc/a", "a").file("etc/b", "b").symlink("etc/c", "a").tar());
    assertEquals(1_000_000_000_000L, t.lstat("/etc").mtimeNs());
  }

  @Test
  void repeatedDirectory_laterAttributesWin() {
    Tree t = importTar(TarBuilder.posix().dir("var", 0700, 1, 1, 10L).file("var/x", "x")
        .dir("./var/", 0755, 2, 3, 20L).tar());
    Stat var = t.lstat("/var");
    assertEquals(0755, var.permissions());
    assertEquals(2, var.uid());
    assertEquals(3, var.gid());
    assertEquals(20_000_000_000L, var.mtimeNs());
    assertEquals("x", t.read("/var/x"));
  }

  @Test
  void impliedParentDirectories_areCreated0755Root() {
    Tree t = importTar(TarBuilder.posix().file("a/b/c/file", "deep", 0600, 9, 9,
        TarBuilder.MTIME).tar());
    assertEquals("deep", t.read("/a/b/c/file"));
    assertEquals(0755, t.lstat("/a/b").permissions());
    assertEquals(0, t.lstat("/a/b").uid());
  }

  @Test
  void laterEntry_replacesEarlierOfTheSameName() {
    Tree t = importTar(TarBuilder.posix().file("f", "old").file("f", "new", 0600, 0, 0, 5L)
        .symlink("l", "x").file("l", "was a link").dir("d").file("d", "was an empty dir")
        .file("s", "was a file").symlink("s", "now a link").tar());
    assertEquals("new", t.read("/f"));
    assertEquals(0600, t.lstat("/f").permissions());
    assertEquals("was a link", t.read("/l"));
    assertEquals("was an empty dir", t.read("/d"));
    assertEquals("now a link", t.readlink("/s"));
  }

  @Test
  void rootEntry_dotSlash_setsTheRootsAttributes() {
    Tree t = importTar(TarBuilder.posix().dir("./", 0700, 0, 0, 77L).file("./x", "x").tar());
    assertEquals(0700, t.lstat("/").permissions());
    assertEquals(77_000_000_000L, t.lstat("/").mtimeNs());
  }

  @Test
  void bigFile_isCopiedCompletely() {
    String big = "0123456789abcdef".repeat(40_000); // 640 KB, several write chunks
    Tree t = importTar(TarBuilder.posix().file("big", big).tar());
    assertEquals(big.length(), t.lstat("/big").size());
    assertEquals(big, t.read("/big"));
  }

  @Test
  void emptyArchive_givesAnEmptyTree() {
    Tree t = importTar(TarBuilder.posix().tar());
    assertFalse(t.list("/").iterator().hasNext());
    assertNotEquals(0, t.lstat("/").mode());
  }
}
