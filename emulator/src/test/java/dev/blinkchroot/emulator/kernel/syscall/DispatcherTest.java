package dev.blinkchroot.emulator.kernel.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.policies.Policies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatch path every call takes: the table, the policy, ENOSYS reporting. */
class DispatcherTest {
  @Test
  void unknownSyscall_returnsEnosys_andIsNamedOnceOnStderr() {
    KernelFixture k = new KernelFixture();
    int ioUringSetup = SyscallNames.numberOf("io_uring_setup");
    assertEquals(-38, k.call("io_uring_setup", 1, 0));
    assertEquals(-38, k.call("io_uring_setup", 1, 0));
    assertEquals("blink-chroot: unsupported syscall io_uring_setup (" + ioUringSetup
        + "), returned ENOSYS\n", k.diagnostics());
  }

  @Test
  void numberNoCallHas_isNamedByNumber() {
    KernelFixture k = new KernelFixture();
    k.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.RAX] = 999;
    k.kernel.dispatch(k.task);
    assertEquals(-38, k.task.cpu.gpr[dev.blinkchroot.emulator.cpu.Cpu.RAX]);
    assertTrue(k.diagnostics().contains("unsupported syscall syscall_999 (999)"));
  }

  @Test
  void deniedCall_failsWithThePolicysErrno_withoutRunningTheHandler() {
    KernelFixture k = new KernelFixture(Policies.denying(Map.of("mkdir", 13)), new byte[0]);
    assertEquals(-13, k.call("mkdir", k.string("/d"), 0755));
    assertEquals(-2, k.call("rmdir", k.string("/d")));
  }

  @Test
  void policy_seesTheAbsolutePathOfARelativeArgument() {
    String[] seen = new String[1];
    KernelFixture k = new KernelFixture(call -> {
      if (call.name().equals("mkdirat")) {
        seen[0] = call.path();
      }
      return dev.blinkchroot.policies.Decision.ALLOW;
    }, new byte[0]);
    k.call("mkdirat", -100, k.string("sub"), 0755);
    assertEquals("/sub", seen[0]);
  }

  @Test
  void table_rowsNameTheirNumbersCorrectly() {
    for (SyscallTable.Entry e : SyscallTable.standard().entries()) {
      assertEquals(SyscallNames.of(e.number()), e.name());
    }
    assertEquals("read", SyscallTable.standard().entry(0).name());
    assertEquals(257, SyscallTable.standard().entry(257).number());
  }
}
