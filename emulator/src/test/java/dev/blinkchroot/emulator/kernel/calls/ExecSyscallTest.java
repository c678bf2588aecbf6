package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.task.ExecCompleted;
import dev.blinkchroot.emulator.kernel.testing.CapturingDescription;
import dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** execve(2) and execveat(2) through the real dispatcher. */
class ExecSyscallTest {
  private static final int AT_FDCWD = -100;
  private final KernelFixture k = new KernelFixture();

  /** A NULL-terminated array of pointers to the strings, in scratch memory. */
  private long array(String... strings) {
    long a = k.alloc(8 * (strings.length + 1));
    for (int i = 0; i < strings.length; i++) {
      k.process.memory().write64(a + 8L * i, k.string(strings[i]));
    }
    k.process.memory().write64(a + 8L * strings.length, 0);
    return a;
  }

  private List<String> argv() {
    return k.process.argv().stream().map(b -> new String(b, StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }

  @Test
  void execve_success_replacesTheImage_andEndsTheSyscallWithExecCompleted() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    int keep = k.process.fds().add(new CapturingDescription(new byte[0]), false);
    int cloexec = k.process.fds().add(new CapturingDescription(new byte[0]), true);
    k.process.signalActions().setAction(2, new SignalActions.Action(0x401000, 0, 0, 0));
    k.process.signalActions().setAction(13, new SignalActions.Action(SignalActions.SIG_IGN, 0, 0, 0));
    k.task.setSignalMask(1L << 9);
    GuestMemory old = k.process.memory();
    long path = k.string("/bin/tiny");
    long argv = array("tiny", "one");
    long envp = array("HOME=/root");
    assertThrows(ExecCompleted.class, () -> k.call("execve", path, argv, envp));
    assertEquals(List.of("tiny", "one"), argv());
    assertEquals("HOME=/root", new String(k.process.envp().get(0), StandardCharsets.UTF_8));
    assertEquals(-1, old.protectionAt(KernelFixture.SCRATCH), "old address space released");
    assertSame(k.process.memory(), k.task.cpu.memory);
    assertEquals(2, k.process.memory().read64(k.task.cpu.gpr[Cpu.RSP]));
    k.process.fds().get(keep);
    assertEquals(Errno.EBADF,
        assertThrows(ErrnoException.class, () -> k.process.fds().get(cloexec)).errno());
    assertEquals(SignalActions.SIG_DFL, k.process.signalActions().action(2).handler());
    assertEquals(SignalActions.SIG_IGN, k.process.signalActions().action(13).handler());
    assertEquals(1L << 9, k.task.signalMask(), "the signal mask survives exec");
  }

  @Test
  void execve_failure_returnsTheErrno_andKeepsEverything() {
    int cloexec = k.process.fds().add(new CapturingDescription(new byte[0]), true);
    GuestMemory old = k.process.memory();
    long path = k.string("/bin/none");
    assertEquals(-Errno.ENOENT.number(), k.call("execve", path, array("none"), array()));
    assertSame(old, k.process.memory());
    k.process.fds().get(cloexec);
  }

  @Test
  void execve_elfForAnotherArchitecture_isEnoexec_andTellsTheUserOnce() {
    ExecTestPrograms.put(k.vfs, "/bin/arm", ExecTestPrograms.aarch64Elf(), 0755);
    long path = k.string("/bin/arm");
    assertEquals(-Errno.ENOEXEC.number(), k.call("execve", path, array("arm"), array()));
    assertEquals("blink-chroot: /bin/arm: ELF for aarch64, not x86-64\n", k.diagnostics());
  }

  @Test
  void execve_badPointers_areEfault() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    long path = k.string("/bin/tiny");
    assertEquals(-Errno.EFAULT.number(), k.call("execve", 0x10, array("x"), 0));
    assertEquals(-Errno.EFAULT.number(), k.call("execve", path, 0x10, 0));
    long badEntry = k.alloc(16);
    k.process.memory().write64(badEntry, 0x20);
    assertEquals(-Errno.EFAULT.number(), k.call("execve", path, badEntry, 0));
  }

  @Test
  void execve_nullArgvAndEnvp_runWithOneEmptyArgument() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    long path = k.string("/bin/tiny");
    assertThrows(ExecCompleted.class, () -> k.call("execve", path, 0, 0));
    assertEquals(List.of(""), argv());
    assertEquals(0, k.process.envp().size());
  }

  private long execveat(long... args) {
    return k.call("execveat", args);
  }

  @Test
  void execveat_relativeToCwd_and_symlinkNofollow() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    k.vfs.symlink(k.process.fs(), "tiny".getBytes(StandardCharsets.UTF_8), null,
        "/bin/link".getBytes(StandardCharsets.UTF_8));
    assertEquals(-Errno.ELOOP.number(), execveat(AT_FDCWD, k.string("bin/link"),
        array("l"), 0, 0x100));
    assertEquals(-Errno.EINVAL.number(), execveat(AT_FDCWD, k.string("bin/tiny"),
        array("l"), 0, 0x4));
    long path = k.string("bin/link");
    long argv = array("l");
    assertThrows(ExecCompleted.class, () -> execveat(AT_FDCWD, path, argv, 0, 0));
    assertEquals("/bin/tiny", new String(k.process.exePath(), StandardCharsets.UTF_8));
  }
}
