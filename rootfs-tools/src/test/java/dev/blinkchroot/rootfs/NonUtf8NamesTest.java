package dev.blinkchroot.rootfs;

import static dev.blinkchroot.rootfs.HostTar.bytes;
import static dev.blinkchroot.rootfs.HostTar.word;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File names that are not UTF-8 (bytes 0xE9, 0xFF) reach the tree byte for byte, from archives
 * GNU tar makes of files with those names, in every format it writes them: ustar and GNU
 * headers, GNU long names (././@LongLink), PAX path/linkpath records with and without
 * hdrcharset=BINARY, and GNU.sparse.name.
 */
class NonUtf8NamesTest {
  @TempDir Path tmp;

  private static final byte[] CAFE = bytes("caf\u00e9\u00ff");
  private static final byte[] UTF8 = bytes("\u00c3\u00a9t\u00c3\u00a9"); // "été", valid UTF-8
  private static final byte[] LINK = bytes("l\u00e9");
  private static final byte[] LINK_TARGET = bytes("t\u00e9\u00ff");
  private static final byte[] HARD = bytes("h\u00ff");
  private static final byte[] DIR = bytes("d\u00e9");
  private static final byte[] IN_DIR = bytes("f\u00ff");
  /**
   * "./DIR/" fits tar's 100-byte name field, "./DIR/FILE" (101 bytes) does not: ustar splits it
   * into its prefix and name fields, GNU tar writes a long name.
   */
  private static final byte[] SPLIT_DIR = bytes("p".repeat(95) + "\u00e9");
  private static final byte[] SPLIT_FILE = bytes("q\u00ff");

  private static final byte[] LONG_DIR = bytes("m".repeat(150) + "\u00e9");
  private static final byte[] LONG_FILE = bytes("n".repeat(150) + "\u00ff");
  private static final byte[] LONG_LINK = bytes("s\u00e9");
  private static final byte[] LONG_TARGET = bytes("/" + "t".repeat(120) + "\u00e9\u00ff");
  private static final byte[] LONG_HARD = bytes("hl\u00ff");

  /** GNU tar options per format name. */
  private static String options(String format) {
    switch (format) {
      case "gnu":
      case "ustar":
      case "posix":
        return "--format=" + format;
      case "posix-binary":
        return "--format=posix --pax-option=hdrcharset:=BINARY"; // in each entry's header
      case "posix-binary-global":
        return "--format=posix --pax-option=hdrcharset=BINARY"; // in one global header
      default:
        throw new IllegalArgumentException(format);
    }
  }

  /** Files made by sh, archived by GNU tar as {@code ./NAME} entries. */
  private Path archive(String format, String makeFiles) {
    HostTar.sh(tmp, "mkdir src\ncd src\n" + makeFiles + "\ncd ..\ntar " + options(format)
        + " -cf a.tar -C src .\n");
    return tmp.resolve("a.tar");
  }

  private static String shortNames() {
    return "printf x > " + word(CAFE) + "\n"
        + "printf u > " + word(UTF8) + "\n"
        + "ln -s " + word(LINK_TARGET) + " " + word(LINK) + "\n"
        + "ln " + word(CAFE) + " " + word(HARD) + "\n"
        + "mkdir " + word(DIR) + "\n"
        + "printf y > " + word(DIR) + "/" + word(IN_DIR) + "\n"
        + "mkdir " + word(SPLIT_DIR) + "\n"
        + "printf w > " + word(SPLIT_DIR) + "/" + word(SPLIT_FILE) + "\n";
  }

  private static String longNames() {
    return "mkdir " + word(LONG_DIR) + "\n"
        + "printf z > " + word(LONG_DIR) + "/" + word(LONG_FILE) + "\n"
        + "ln -s " + word(LONG_TARGET) + " " + word(LONG_LINK) + "\n"
        + "ln " + word(LONG_DIR) + "/" + word(LONG_FILE) + " " + word(LONG_HARD) + "\n";
  }

  private Tree importIntoMemory(Path archive) {
    NioBackend memory = NioBackend.memory();
    Images.importArchive(archive, memory);
    return new Tree(memory);
  }

  private static byte[] path(byte[]... components) {
    StringBuilder s = new StringBuilder();
    for (byte[] c : components) {
      s.append('/').append(chars(c));
    }
    return bytes(components.length == 0 ? "/" : s.toString());
  }

  /** The inverse of {@link HostTar#bytes}, to splice names into byte strings. */
  private static String chars(byte[] name) {
    return new String(name, ISO_8859_1);
  }

  private static List<String> hex(List<byte[]> names) {
    return names.stream().map(HexFormat.of()::formatHex).sorted().collect(Collectors.toList());
  }

  private static List<String> hex(byte[]... names) {
    return hex(Arrays.asList(names));
  }

  /** {@code alsoAtRoot}: the top-level names of {@link #longNames}, when imported too. */
  private static void assertShortNames(Tree t, byte[]... alsoAtRoot) {
    List<byte[]> root = new ArrayList<>(List.of(CAFE, UTF8, LINK, HARD, DIR, SPLIT_DIR));
    root.addAll(List.of(alsoAtRoot));
    assertEquals(hex(root), hex(t.names(path())));
    assertArrayEquals(bytes("x"), t.read(path(CAFE)));
    assertArrayEquals(bytes("u"), t.read(path(UTF8)));
    assertEquals(FileType.SYMLINK, t.lstat(path(LINK)).type());
    assertArrayEquals(LINK_TARGET, t.readlink(path(LINK)));
    assertEquals(t.lstat(path(CAFE)).ino(), t.lstat(path(HARD)).ino());
    assertEquals(2, t.lstat(path(CAFE)).nlink());
    assertEquals(hex(IN_DIR), hex(t.names(path(DIR))));
    assertArrayEquals(bytes("y"), t.read(path(DIR, IN_DIR)));
    assertEquals(hex(SPLIT_FILE), hex(t.names(path(SPLIT_DIR))));
    assertArrayEquals(bytes("w"), t.read(path(SPLIT_DIR, SPLIT_FILE)));
  }

  private static void assertLongNames(Tree t) {
    assertEquals(hex(LONG_FILE), hex(t.names(path(LONG_DIR))));
    assertArrayEquals(bytes("z"), t.read(path(LONG_DIR, LONG_FILE)));
    assertArrayEquals(LONG_TARGET, t.readlink(path(LONG_LINK)));
    assertEquals(t.lstat(path(LONG_DIR, LONG_FILE)).ino(), t.lstat(path(LONG_HARD)).ino());
  }

  /** Checks the archive really stores the names the way {@code format} is meant to. */
  private static void assertStoredAs(String format, byte[] tar) {
    byte[] paxPath = bytes(" path=./" + chars(CAFE) + "\n");
    switch (format) {
      case "gnu":
        assertTrue(HostTar.contains(tar, bytes("ustar  \0")), "GNU magic");
        assertTrue(HostTar.contains(tar, bytes("././@LongLink")), "GNU long name");
        break;
      case "ustar":
        assertTrue(HostTar.contains(tar, bytes("ustar\u000000")), "ustar magic");
        assertFalse(HostTar.contains(tar, bytes("././@LongLink")), "no GNU long name");
        assertFalse(HostTar.contains(tar, paxPath), "no PAX path");
        break;
      default:
        assertTrue(HostTar.contains(tar, paxPath), "raw bytes in a PAX path record");
        assertEquals(format.startsWith("posix-binary"),
            HostTar.contains(tar, bytes("hdrcharset=BINARY\n")), "hdrcharset record");
        assertEquals(format.equals("posix-binary-global"), tar[156] == 'g', "global header");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "ustar", "posix", "posix-binary", "posix-binary-global"})
  void namesLinkTargetsAndUstarPrefixes_keepTheirBytes(String format) {
    Path archive = archive(format, shortNames());
    assertStoredAs(format, HostTar.read(archive));
    assertShortNames(importIntoMemory(archive));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "posix", "posix-binary"})
  void longNamesAndLongLinkTargets_keepTheirBytes(String format) {
    Path archive = archive(format, longNames());
    byte[] tar = HostTar.read(archive);
    if (format.equals("gnu")) {
      // 'L' for the long file name, 'K' for the long targets.
      assertTrue(HostTar.contains(tar, bytes("././@LongLink")));
    } else {
      assertTrue(HostTar.contains(tar, bytes(" linkpath=" + chars(LONG_TARGET) + "\n")));
    }
    assertLongNames(importIntoMemory(archive));
  }

  @Test
  void cachedImport_keepsTheBytesInTheHostStore_andWhenReopened() {
    Path archive = archive("posix", shortNames() + longNames());
    Path cache = tmp.resolve("cache");
    ImageOptions options = ImageOptions.defaults().withCacheDir(cache);
    int imports = ImageCache.IMPORTS.get();
    Tree first = new Tree(Images.open(archive, options).lower());
    assertShortNames(first, LONG_DIR, LONG_LINK, LONG_HARD);
    assertLongNames(first);
    Tree reopened = new Tree(Images.open(archive, options).lower());
    assertEquals(imports + 1, ImageCache.IMPORTS.get(), "the second open reads the cache");
    assertShortNames(reopened, LONG_DIR, LONG_LINK, LONG_HARD);
    assertLongNames(reopened);
  }

  @ParameterizedTest
  @ValueSource(strings = {"posix --sparse-version=0.0", "posix --sparse-version=0.1",
      "posix --sparse-version=1.0", "gnu"})
  void sparseFiles_keepTheirBytes_includingGnuSparseName(String format) {
    byte[] name = bytes("sp\u00e9");
    HostTar.sh(tmp, "mkdir src\n"
        + "dd if=/dev/null of=src/" + word(name) + " bs=1 seek=1048576 2>/dev/null\n"
        + "printf data | dd of=src/" + word(name) + " bs=1 seek=500000 conv=notrunc"
        + " 2>/dev/null\n"
        + "tar --format=" + format + " --sparse -cf a.tar -C src .\n");
    byte[] tar = HostTar.read(tmp.resolve("a.tar"));
    assertTrue(format.equals("gnu") ? tar[512 + 156] == 'S'
        : HostTar.contains(tar, bytes("GNU.sparse.")), "stored as a sparse file");
    Tree t = importIntoMemory(tmp.resolve("a.tar"));
    assertEquals(hex(name), hex(t.names(path())));
    byte[] content = t.read(path(name));
    assertEquals(1_048_576, content.length);
    assertArrayEquals(bytes("data"), Arrays.copyOfRange(content, 500_000, 500_004));
    assertEquals(4, countNonZero(content));
  }

  private static int countNonZero(byte[] b) {
    int n = 0;
    for (byte x : b) {
      n += x != 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void errorMessages_showUndecodableBytesAsHexEscapes() {
    // A hard link whose target GNU tar's --delete removed from the archive.
    HostTar.sh(tmp, "mkdir src\ncd src\nprintf x > " + word(CAFE) + "\nln " + word(CAFE) + " "
        + word(HARD) + "\ncd ..\ntar --format=gnu -cf a.tar -C src ./" + word(CAFE) + " ./"
        + word(HARD) + "\ntar --delete -f a.tar ./" + word(CAFE) + "\n");
    Path archive = tmp.resolve("a.tar");
    ImageException e = assertThrows(ImageException.class,
        () -> Images.importArchive(archive, NioBackend.memory()));
    assertEquals(archive + ": entry ./h\\xFF: hard link target ./caf\\xE9\\xFF is not an"
        + " earlier entry of the archive", e.getMessage());
  }
}
