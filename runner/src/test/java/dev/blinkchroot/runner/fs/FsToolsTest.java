package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/**
 * The fs tools in-process on a small in-memory tree:
 *
 * <pre>
 * /
 * ├── d/
 * │   ├── .hidden
 * │   ├── B          (uppercase sorts before lowercase in the C locale)
 * │   ├── a
 * │   ├── caf\xe9    (a Latin-1 name: not UTF-8, must pass through as bytes)
 * │   ├── null       (character device 1, 3; mode 0666 less the umask 022)
 * │   └── link -> a
 * ├── e/             (empty)
 * └── f              ("data\n")
 * </pre>
 */
class FsToolsTest {
  private static final long MTIME = 1725622445L * 1_000_000_000L; // 2024-09-06 11:34:05 UTC
  private static final byte[] LATIN1_NAME = {'c', 'a', 'f', (byte) 0xe9};

  private Vfs vfs;
  private FsContext ctx;
  private TimeZone savedZone;

  @BeforeEach
  void buildTree() {
    savedZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    vfs = Vfs.create(NioBackend.memory(), "tmpfs");
    ctx = vfs.newContext(Credentials.ROOT);
    ctx.setUmask(022);
    vfs.mkdir(ctx, null, b("/d"), 0755);
    vfs.mkdir(ctx, null, b("/e"), 0755);
    write("/f", "data\n");
    write("/d/a", "");
    write("/d/B", "");
    write("/d/.hidden", "");
    writeBytes(concat(b("/d/"), LATIN1_NAME));
    vfs.mknod(ctx, null, b("/d/null"), FileType.CHARACTER_DEVICE.modeBits() | 0666,
        Stat.makedev(1, 3));
    vfs.symlink(ctx, b("a"), null, b("/d/link"));
    for (String p : new String[] {"/d", "/e", "/f", "/d/a", "/d/B", "/d/.hidden", "/d/null"}) {
      vfs.utimens(ctx, null, b(p), MTIME, MTIME, 0);
    }
    vfs.utimens(ctx, null, b("/d/link"), MTIME, MTIME, Fcntl.AT_SYMLINK_NOFOLLOW);
    vfs.utimens(ctx, null, concat(b("/d/"), LATIN1_NAME), MTIME, MTIME, 0);
  }

  @AfterEach
  void restoreZone() {
    TimeZone.setDefault(savedZone);
  }

  private record Output(byte[] out, String err, boolean failed) {
    String text() {
      return new String(out, StandardCharsets.ISO_8859_1);
    }
  }

  private Output run(String tool, String... args) {
    FsTool t = FsTools.create(tool);
    t.parseArgs(args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ToolIo io = new ToolIo(out, new PrintStream(err, true, StandardCharsets.UTF_8),
        "blink-chroot");
    t.run(vfs, ctx, io);
    return new Output(out.toByteArray(), err.toString(StandardCharsets.UTF_8), io.failed());
  }

  @Test
  void ls_sortsByBytes_hidesDotFiles_passesNonUtf8NamesThrough() {
    Output o = run("ls", "/d");
    assertArrayEquals(concat(b("B\na\n"), LATIN1_NAME, b("\nlink\nnull\n")), o.out());
    assertFalse(o.failed());
  }

  @Test
  void ls_dashA_showsDotFilesWithoutDotAndDotDot() {
    assertTrue(run("ls", "-A", "/d").text().startsWith(".hidden\nB\n"));
    assertTrue(run("ls", "-a", "/d").text().startsWith(".\n..\n.hidden\nB\n"));
  }

  @Test
  void ls_severalOperands_filesFirstThenDirectoriesUnderHeaders() {
    Output o = run("ls", "/e", "/f", "/d/link", "/nope");
    assertEquals("/d/link\n/f\n\n/e:\n", o.text());
    assertEquals("blink-chroot: /nope: No such file or directory\n", o.err());
    assertTrue(o.failed());
  }

  @Test
  void lsLong_devicesShowMajorMinor_symlinksTheirTarget() {
    String text = run("ls", "-l", "/d").text();
    assertTrue(text.contains("crw-r--r-- 1 0 0 1, 3 Sep  6  2024 null\n"), text);
    assertTrue(text.contains("lrwxrwxrwx 1 0 0    1 Sep  6  2024 link -> a\n"), text);
    assertTrue(text.contains("-rw-r--r-- 1 0 0    0 Sep  6  2024 B\n"), text);
    assertTrue(text.startsWith("total "), text);
  }

  @Test
  void lsLongDirectoryItself() {
    assertEquals("drwxr-xr-x 2 0 0 " + vfs.stat(ctx, null, b("/e"), 0).size()
        + " Sep  6  2024 /e\n", run("ls", "-ld", "/e").text());
  }

  @Test
  void cat_printsBytes_andReportsMissingOperands() {
    Output o = run("cat", "/f", "/nope", "/f");
    assertEquals("data\ndata\n", o.text());
    assertEquals("blink-chroot: /nope: No such file or directory\n", o.err());
    assertTrue(o.failed());
  }

  @Test
  void readlinkAndRealpath() {
    assertEquals("a\n", run("readlink", "/d/link").text());
    assertEquals("/d/a\n", run("readlink", "-f", "/d/link").text());
    assertEquals("/d/a\n", run("realpath", "/e/../d/./link").text());
  }

  @Test
  void stat_deviceNode() {
    String text = run("stat", "/d/null").text();
    assertTrue(text.startsWith("  File: /d/null\n  Size: 0         \tBlocks: "), text);
    assertTrue(text.contains(" Device type: 1,3\n"), text);
    assertTrue(text.contains("Access: (0644/crw-r--r--)  Uid: (    0/ UNKNOWN)"), text);
    assertTrue(text.contains("Modify: 2024-09-06 11:34:05.000000000 +0000\n"), text);
  }

  @Test
  void toolArguments_parseWithPicocliMessages_andDefaults() {
    ParameterException unknown = assertThrows(ParameterException.class,
        () -> FsTools.create("ls").parseArgs("-z"));
    assertEquals("Unknown option: '-z'", unknown.getMessage());
    ParameterException missing = assertThrows(ParameterException.class,
        () -> FsTools.create("cat").parseArgs());
    assertEquals("Missing required parameter: 'PATH'", missing.getMessage());
    ParameterException notAnInt = assertThrows(ParameterException.class,
        () -> FsTools.create("tree").parseArgs("-L", "x"));
    assertEquals("Invalid value for option '-L': 'x' is not an int", notAnInt.getMessage());
    // Without operands, ls and tree work on "."; the root context's "." is "/".
    assertEquals(run("ls", "/").text(), run("ls").text());
  }

  @Test
  void tree_levelBelowOne_isAUsageErrorOfTheTool() {
    FsTool tree = FsTools.create("tree");
    tree.parseArgs("-L", "0", "/");
    ParameterException e = assertThrows(ParameterException.class, () -> tree.run(vfs, ctx,
        new ToolIo(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream()),
            "test")));
    assertEquals("Invalid level, must be greater than 0.", e.getMessage());
    assertEquals("tree", e.getCommandLine().getCommandName());
  }

  @Test
  void tree_drawsTheTreeAndCounts() {
    String text = run("tree", "/").text();
    String expected = "/\n"
        + "\u251c\u2500\u2500 d\n"
        + "\u2502\u00a0\u00a0 \u251c\u2500\u2500 B\n"
        + "\u2502\u00a0\u00a0 \u251c\u2500\u2500 a\n"
        + "\u2502\u00a0\u00a0 \u251c\u2500\u2500 caf\u00e9\n"
        + "\u2502\u00a0\u00a0 \u251c\u2500\u2500 link -> a\n"
        + "\u2502\u00a0\u00a0 \u2514\u2500\u2500 null\n"
        + "\u251c\u2500\u2500 e\n"
        + "\u2514\u2500\u2500 f\n"
        + "\n3 directories, 6 files\n";
    // The Latin-1 name is one raw byte 0xe9 in the output, the drawing is UTF-8.
    byte[] expectedBytes = expected.replace("caf\u00e9", "caf\u0000")
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < expectedBytes.length; i++) {
      if (expectedBytes[i] == 0) {
        expectedBytes[i] = (byte) 0xe9;
      }
    }
    assertEquals(new String(expectedBytes, StandardCharsets.ISO_8859_1), text);
  }

  private void write(String path, String content) {
    try (OpenFile f = vfs.open(ctx, null, b(path), Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644)) {
      f.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private void writeBytes(byte[] path) {
    vfs.open(ctx, null, path, Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644).close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
