package dev.blinkchroot.runner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-time reporting of the real executable: a crashing program's one diagnostic line and
 * its 128+N status (as a shell reports death by signal N, natively too), --strace to a file,
 * --report, and an unimplemented call named once.
 */
class TraceAndCrashIT {
  private static Path crash;

  @BeforeAll
  static void build() throws IOException {
    Path dir = NativePrograms.buildDir("trace-and-crash");
    crash = NativePrograms.compile(NativePrograms.Build.MUSL_STATIC,
        NativePrograms.examplesC().resolve("crash.c"), dir, "crash");
  }

  private static BlinkChroot.Result runCrash(String how) {
    return BlinkChroot.run("--bind", crash.getParent() + ":/t:ro", BlinkChroot.alpineArg(),
        "/t/" + crash.getFileName(), how);
  }

  /** What the native run of the same binary gives as a shell status: 128 + the signal. */
  private static int nativeStatus(String how) {
    return NativePrograms.run(List.of("sh", "-c", "\"$0\" \"$1\"", crash.toString(), how),
        crash.getParent(), java.util.Map.of()).status();
  }

  @Test
  void segfault_isOneLineNamingSignalAddressInstructionAndFile_status139() {
    BlinkChroot.Result r = runCrash("segv");
    assertEquals(nativeStatus("segv"), r.status());
    assertEquals(139, r.status());
    String line = r.stderr().strip();
    assertEquals(1, line.lines().count(), r.stderr());
    // The process name is the program's, cut to 15 bytes as Linux cuts comm.
    assertTrue(Pattern.matches("blink-chroot: pid 1 \\(crash-musl-stat\\) killed by SIGSEGV at "
        + "rip 0x[0-9a-f]+, fault address 0x0: ([0-9a-f]{2} )*[0-9a-f]{2}  mov\\S* .* in "
        + "/t/crash-musl-static\\+0x[0-9a-f]+", line), line);
  }

  @Test
  void invalidInstruction_isSigill_status132_andDivideByZero_isSigfpe_status136() {
    BlinkChroot.Result ill = runCrash("ill");
    assertEquals(132, nativeStatus("ill"));
    assertEquals(132, ill.status());
    assertTrue(ill.stderr().contains("killed by SIGILL at rip 0x")
        && ill.stderr().contains("0f 0b  ud2"), ill.stderr());
    BlinkChroot.Result fpe = runCrash("fpe");
    assertEquals(136, nativeStatus("fpe"));
    assertEquals(136, fpe.status());
    assertTrue(fpe.stderr().contains("killed by SIGFPE at rip 0x"), fpe.stderr());
  }

  @Test
  void straceFile_receivesTheCallsDecoded_andStdoutStaysClean(@TempDir Path tmp)
      throws IOException {
    Path trace = tmp.resolve("trace.txt");
    BlinkChroot.Result r = BlinkChroot.run("--strace-file", trace.toString(),
        BlinkChroot.alpineArg(), "cat", "/etc/alpine-release");
    assertEquals(0, r.status(), r.stderr());
    assertEquals("3.20.3\n", new String(r.stdoutBytes(), StandardCharsets.UTF_8));
    assertEquals("", r.stderr());
    String lines = Files.readString(trace);
    assertTrue(lines.contains("[pid 1] open(\"/etc/alpine-release\", O_RDONLY|O_LARGEFILE, 00)"
        + " = 3\n"), lines);
    assertTrue(lines.endsWith("[pid 1] exit_group(0) = ?\n"), lines);
  }

  @Test
  void report_tabulatesCallsAtExit_andStraceGoesToStderr() {
    BlinkChroot.Result r = BlinkChroot.run("--report", "--strace", BlinkChroot.alpineArg(), "cat",
        "/nope");
    assertEquals(1, r.status());
    assertTrue(r.stderr().contains("open(\"/nope\", O_RDONLY|O_LARGEFILE, 00) = -1 ENOENT (No such"
        + " file or directory)"), r.stderr());
    assertTrue(r.stderr().contains("blink-chroot: system call report"), r.stderr());
    assertTrue(Pattern.compile("\\n\\s+1\\s+1\\s+open\\s+ENOENT x1\\n").matcher(r.stderr()).find(),
        r.stderr());
  }

  @Test
  void unimplementedCall_isNamedOnceOnStderr_andTheProgramSeesEnosys() {
    // System V message queues are not emulated; busybox ipcrm reports ENOSYS as "unknown error".
    BlinkChroot.Result r = BlinkChroot.run(BlinkChroot.alpineArg(), "/bin/sh", "-c",
        "ipcrm -q 5; ipcrm -q 6");
    assertTrue(r.stderr().startsWith(
        "blink-chroot: unsupported syscall msgctl (71), returned ENOSYS\n"), r.stderr());
    assertEquals(1, r.stderr().split("unsupported syscall msgctl", -1).length - 1, r.stderr());
    assertEquals(2, r.stderr().split("ipcrm: unknown error in id", -1).length - 1, r.stderr());
  }
}
