package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static dev.blinkchroot.runner.it.BlinkChroot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.runner.Fixtures;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The examples of {@code blink-chroot fs} on the Alpine minirootfs, through the real executable.
 * Where a Linux tool defines the output, the expectation is that tool's output on an unpacked
 * copy, recorded in a fixture whose header gives the command.
 */
class FsExamplesIT {
  @Test
  void cat_alpineRelease_printsTheVersion() {
    assertEquals("3.20.3\n", run("fs", alpineArg(), "cat", "/etc/alpine-release")
        .assertSuccess().stdout());
  }

  @Test
  void readlink_binLs_printsTheTargetVerbatim() {
    assertEquals("/bin/busybox\n", run("fs", alpineArg(), "readlink", "/bin/ls")
        .assertSuccess().stdout());
  }

  @Test
  void realpath_muslLibcLink_printsTheLoader() {
    assertEquals("/lib/ld-musl-x86_64.so.1\n",
        run("fs", alpineArg(), "realpath", "/lib/libc.musl-x86_64.so.1").assertSuccess()
            .stdout());
  }

  @Test
  void realpath_dotDotAndAbsoluteSymlinks_resolveInsideTheSandbox() {
    // /var/run -> /run: an absolute target restarts at the sandbox root, not the host's.
    assertEquals("/run\n/etc\n", run("fs", alpineArg(), "realpath", "/var/run", "/../../etc/.")
        .assertSuccess().stdout());
  }

  @Test
  void stat_etcShadow_matchesGnuStat() {
    // Fixture: GNU stat on the unpacked copy. Device, Inode, and the Access and Change times
    // are the host copy's, so those fields are masked on both sides.
    List<String> expected = Fixtures.lines("alpine-stat.txt").subList(0, 8);
    List<String> actual = run("fs", alpineArg(), "stat", "/etc/shadow").assertSuccess().stdout()
        .lines().collect(Collectors.toList());
    assertEquals("  File: /etc/shadow", actual.get(0));
    assertEquals(expected.get(1), actual.get(1)); // Size, Blocks, IO Block, type
    assertEquals(maskDeviceAndInode(expected.get(2)), maskDeviceAndInode(actual.get(2)));
    assertEquals("Access: (0640/-rw-r-----)  Uid: (    0/    root)   Gid: (   42/  shadow)",
        actual.get(3));
    assertEquals(expected.get(3), actual.get(3));
    assertTrue(actual.get(4).matches("Access: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9} "
        + "\\+0000"), actual.get(4));
    assertEquals(expected.get(5), actual.get(5)); // Modify: from the tarball
    assertTrue(actual.get(6).startsWith("Change: "), actual.get(6));
    assertEquals(" Birth: -", actual.get(7));
    assertEquals(8, actual.size());
  }

  @Test
  void stat_symlink_showsTheTargetLikeGnuStat() {
    List<String> expected = Fixtures.lines("alpine-stat.txt").subList(8, 16);
    List<String> actual = run("fs", alpineArg(), "stat", "/bin/ls").assertSuccess().stdout()
        .lines().collect(Collectors.toList());
    assertEquals("  File: /bin/ls -> /bin/busybox", actual.get(0));
    assertEquals(expected.get(1), actual.get(1));
    assertEquals(maskDeviceAndInode(expected.get(2)), maskDeviceAndInode(actual.get(2)));
    assertEquals(expected.get(3), actual.get(3));
    assertEquals(expected.get(5), actual.get(5));
  }

  @Test
  void lsLong_bin_matchesGnuLsLn() {
    // Fixture: LC_ALL=C TZ=UTC ls -ln bin on the unpacked copy. "total" depends on the file
    // system's block accounting, so only its form is checked.
    List<String> expected = Fixtures.lines("alpine-ls-ln-bin.txt");
    List<String> actual = run("fs", alpineArg(), "ls", "-l", "/bin").assertSuccess().stdout()
        .lines().collect(Collectors.toList());
    assertTrue(actual.get(0).matches("total \\d+"), actual.get(0));
    assertEquals(expected.subList(1, expected.size()), actual.subList(1, actual.size()));
    assertTrue(actual.contains("lrwxrwxrwx 1 0 0     12 Sep  6  2024 ls -> /bin/busybox"));
  }

  @Test
  void lsLongAll_etcApk_matchesGnuLsLna() {
    List<String> expected = Fixtures.lines("alpine-ls-lna-etc-apk.txt");
    List<String> actual = run("fs", alpineArg(), "ls", "-la", "/etc/apk").assertSuccess()
        .stdout().lines().collect(Collectors.toList());
    assertEquals(expected.size(), actual.size(), String.join("\n", actual));
    for (int i = 1; i < expected.size(); i++) {
      if (!expected.get(i).endsWith(" ..")) { // the host copy's parent is not the image's
        assertEquals(expected.get(i), actual.get(i));
      }
    }
  }

  @Test
  void ls_withoutOptions_printsNamesOnePerLine() {
    assertEquals("arch\nkeys\nprotected_paths.d\nrepositories\nworld\n",
        run("fs", alpineArg(), "ls", "/etc/apk").assertSuccess().stdout());
  }

  @Test
  void ls_fileOperand_listsItself() {
    assertEquals("/etc/alpine-release\n",
        run("fs", alpineArg(), "ls", "/etc/alpine-release").assertSuccess().stdout());
  }

  @Test
  void tree_usrTwoLevels_matchesTree() {
    // Fixture: LC_ALL=C tree --charset=utf-8 -L 2 usr (tree 2.1.0) on the unpacked copy.
    List<String> expected = Fixtures.lines("alpine-tree-L2-usr.txt");
    List<String> actual = run("fs", alpineArg(), "tree", "-L", "2", "usr").assertSuccess()
        .stdout().lines().collect(Collectors.toList());
    assertEquals(expected, actual);
  }

  @Test
  void missingPath_isReportedLikeALinuxTool() {
    BlinkChroot.Result r = run("fs", alpineArg(), "ls", "/nope");
    assertEquals("blink-chroot: /nope: No such file or directory\n", r.stderr());
    assertEquals(1, r.status());
    assertEquals("", r.stdout());
  }

  @Test
  void cat_missingAndPresent_printsWhatItCanAndFails() {
    BlinkChroot.Result r = run("fs", alpineArg(), "cat", "/nope", "/etc/alpine-release");
    assertEquals("3.20.3\n", r.stdout());
    assertEquals("blink-chroot: /nope: No such file or directory\n", r.stderr());
    assertEquals(1, r.status());
  }

  @Test
  void cat_directory_isADirectory() {
    BlinkChroot.Result r = run("fs", alpineArg(), "cat", "/etc");
    assertEquals("blink-chroot: /etc: Is a directory\n", r.stderr());
    assertEquals(1, r.status());
  }

  @Test
  void readlink_notASymlink_isInvalidArgument() {
    BlinkChroot.Result r = run("fs", alpineArg(), "readlink", "/etc/passwd");
    assertEquals("blink-chroot: /etc/passwd: Invalid argument\n", r.stderr());
    assertEquals(1, r.status());
  }

  @Test
  void path_throughAFile_isNotADirectory() {
    BlinkChroot.Result r = run("fs", alpineArg(), "cat", "/etc/passwd/x");
    assertEquals("blink-chroot: /etc/passwd/x: Not a directory\n", r.stderr());
    assertEquals(1, r.status());
  }

  private static String maskDeviceAndInode(String line) {
    return line.replaceAll("Device: \\d+,\\d+\tInode: \\d+ +", "Device: D\tInode: I ");
  }
}
