package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpine;
import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static dev.blinkchroot.runner.it.BlinkChroot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses, messages, --help and --version of the real executable. */
class CliIT {
  private static final String HINT = "Try 'blink-chroot --help' for more information.\n";

  @TempDir Path tmp;

  @Test
  void version_printsNameAndVersion() {
    String out = run("--version").assertSuccess().stdout();
    assertTrue(out.matches("(?s)blink-chroot \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava .*"), out);
  }

  @Test
  void help_showsUsageOptionsAndExamples() {
    String out = run("--help").assertSuccess().stdout();
    assertTrue(out.contains("Usage: blink-chroot [OPTIONS] ROOTFS [COMMAND [ARG...]]"), out);
    for (String option : new String[] {"--store", "--bind", "--cache-dir", "--no-cache",
        "--help", "--version"}) {
      assertTrue(out.contains(option), option + " missing from\n" + out);
    }
    assertTrue(out.contains("Examples:"), out);
    assertTrue(out.contains("blink-chroot fs alpine-minirootfs-3.20.3-x86_64.tar.gz cat "
        + "/etc/alpine-release"), out);
  }

  @Test
  void unknownOption_exits2WithAHint() {
    BlinkChroot.Result r = run("--frobnicate", alpineArg());
    assertEquals(2, r.status());
    assertEquals("blink-chroot: Unknown option: '--frobnicate'\n" + HINT, r.stderr());
    assertEquals("", r.stdout());
  }

  @Test
  void noArguments_exits2() {
    BlinkChroot.Result r = run();
    assertEquals(2, r.status());
    assertEquals("blink-chroot: missing ROOTFS\n" + HINT, r.stderr());
  }

  @Test
  void unknownFsTool_exits2() {
    BlinkChroot.Result r = run("fs", alpineArg(), "rm", "/etc/passwd");
    assertEquals(2, r.status());
    assertEquals("blink-chroot: fs: unknown tool 'rm' (expected one of: ls, stat, cat, "
        + "readlink, realpath, tree)\n" + HINT, r.stderr());
  }

  @Test
  void badBindSyntax_exits2() {
    BlinkChroot.Result r = run("fs", "--bind", "nocolon", alpineArg(), "ls", "/");
    assertEquals(2, r.status());
    assertTrue(r.stderr().startsWith("blink-chroot: fs: Invalid value for option '--bind'"),
        r.stderr());
    assertTrue(r.stderr().endsWith(HINT), r.stderr());
  }

  @Test
  void programForAnotherArchitecture_exits126WithOneLineNamingIt() throws IOException {
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    byte[] elf = new byte[128]; // an ELF64 header for AArch64 (e_machine 183), as far as it matters
    System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, 0, elf, 0, 7);
    elf[16] = 2; // ET_EXEC
    elf[18] = (byte) 183;
    Path arm = Files.write(rootfs.resolve("arm"), elf);
    arm.toFile().setExecutable(true);
    BlinkChroot.Result r = run(rootfs.toString(), "/arm");
    r.assertOneLineError(126);
    assertEquals("blink-chroot: /arm: ELF for aarch64, not x86-64\n", r.stderr());
  }

  @Test
  void missingRootfs_exits1WithOneLine() {
    BlinkChroot.Result r = run("fs", "/nonexistent/alpine.tar.gz", "cat", "/etc/alpine-release");
    r.assertOneLineError(1);
    assertEquals("blink-chroot: /nonexistent/alpine.tar.gz: No such file or directory\n",
        r.stderr());
  }

  @Test
  void corruptArchive_garbageAfterAGzipHeader_exits1WithOneLine() throws IOException {
    Path corrupt = tmp.resolve("corrupt.tar.gz");
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(corrupt))) {
      out.write(garbage); // valid gzip, but the tar inside is noise
    }
    BlinkChroot.Result r = run("fs", "--no-cache", corrupt.toString(), "ls", "/");
    r.assertOneLineError(1);
    assertTrue(r.stderr().contains("corrupt.tar.gz"), r.stderr());
  }

  @Test
  void corruptArchive_truncatedTarball_exits1WithOneLine() throws IOException {
    Path truncated = tmp.resolve("truncated.tar.gz");
    try (InputStream in = Files.newInputStream(alpine())) {
      Files.write(truncated, in.readNBytes(300_000));
    }
    BlinkChroot.Result r = run("fs", "--no-cache", truncated.toString(), "ls", "/");
    r.assertOneLineError(1);
    assertTrue(r.stderr().contains("truncated.tar.gz"), r.stderr());
  }

  @Test
  void notAnArchive_exits1WithOneLine() throws IOException {
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "this is not a tarball\n");
    BlinkChroot.Result r = run("fs", "--no-cache", text.toString(), "ls", "/");
    r.assertOneLineError(1);
    assertTrue(r.stderr().contains("notes.txt"), r.stderr());
  }

  @Test
  void mainForm_runsTheProgram_andItsExitStatusIsBlinkChroots() {
    BlinkChroot.Result r = run(alpineArg(), "/bin/busybox", "false");
    assertEquals(1, r.status(), r.stderr());
    assertEquals("", r.stderr());
    run(alpineArg(), "true").assertSuccess();
  }

  @Test
  void mainForm_missingProgram_exits127LikeChroot() {
    BlinkChroot.Result r = run(alpineArg(), "no-such-program");
    assertEquals(127, r.status(), r.stderr());
    assertEquals("blink-chroot: failed to run command 'no-such-program': No such file or "
        + "directory\n", r.stderr());
  }
}
