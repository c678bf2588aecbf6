package dev.blinkchroot.emulator.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.policies.Policies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --strace lines and the --report table, for calls made through the real dispatcher. */
class StraceTest {
  private final ByteArrayOutputStream traced = new ByteArrayOutputStream();

  private KernelFixture traced() {
    return traced(Policies.allowAll());
  }

  private KernelFixture traced(dev.blinkchroot.policies.SyscallPolicy policy) {
    return new KernelFixture(policy, new byte[0],
        java.util.List.of(new Strace(new PrintStream(traced, true, StandardCharsets.UTF_8))));
  }

  private String lines() {
    return traced.toString(StandardCharsets.UTF_8);
  }

  @Test
  void failedOpen_printsFlagsByNameAndTheErrnoWithItsText() {
    KernelFixture k = traced();
    k.call("openat", -100, k.string("/nope"), 02000000, 0);
    assertEquals("[pid 1] openat(AT_FDCWD, \"/nope\", O_RDONLY|O_CLOEXEC, 00) = -1 ENOENT"
        + " (No such file or directory)\n", lines());
  }

  @Test
  void write_showsTheBytesEscaped_andTheCount() {
    KernelFixture k = traced();
    k.call("write", 1, k.string("hi\tthere\n"), 9);
    assertEquals("[pid 1] write(1, \"hi\\tthere\\n\", 9) = 9\n", lines());
    assertEquals("hi\tthere\n", k.stdout.text());
  }

  @Test
  void longStrings_areCutAt32BytesLikeStrace() {
    KernelFixture k = traced();
    String forty = "a".repeat(40);
    k.call("write", 1, k.string(forty), 40);
    assertEquals("[pid 1] write(1, \"" + "a".repeat(32) + "\"..., 40) = 40\n", lines());
  }

  @Test
  void unimplementedCall_isTracedByNameWithEnosys() {
    KernelFixture k = traced();
    k.call("io_uring_setup", 8, 0);
    assertTrue(lines().startsWith("[pid 1] io_uring_setup(0x8, 0x0, 0x0) = -1 ENOSYS"), lines());
  }

  @Test
  void deniedCall_isMarkedAsDeniedByPolicy() {
    KernelFixture k = traced(Policies.denying(Map.of("unlinkat", 1)));
    k.call("unlinkat", -100, k.string("/x"), 0);
    assertEquals("[pid 1] unlinkat(AT_FDCWD, \"/x\", 0) = -1 EPERM (Operation not permitted)"
        + " (denied by policy)\n", lines());
  }

  @Test
  void report_countsCallsAndFailuresByErrno() {
    SyscallReport report = new SyscallReport();
    KernelFixture k = new KernelFixture(Policies.allowAll(), new byte[0],
        java.util.List.of(report));
    k.call("getpid");
    k.call("getpid");
    k.call("openat", -100, k.string("/nope"), 0, 0);
    k.call("io_uring_setup", 1, 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("        2         0  getpid"), table);
    assertTrue(table.contains("        1         1  openat               ENOENT x1"), table);
    assertTrue(table.contains("io_uring_setup       ENOSYS x1; unsupported"), table);
    assertTrue(table.contains("        4         2  total"), table);
  }
}
