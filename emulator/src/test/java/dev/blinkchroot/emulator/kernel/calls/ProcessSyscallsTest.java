package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.BAD;
import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.ProcessExit;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** exit, ids, set_tid_address, set_robust_list, rseq, arch_prctl, prctl, personality. */
class ProcessSyscallsTest {
  private final KernelFixture k = new KernelFixture();

  @Test
  void ids_areThePidParentAndTid() {
    assertEquals(1, k.call("getpid"));
    assertEquals(0, k.call("getppid"));
    assertEquals(1, k.call("gettid"));
  }

  @Test
  void exit_andExitGroup_endTheProcessWithTheLowByteOfTheStatus() {
    ProcessExit e = assertThrows(ProcessExit.class, () -> k.call("exit", 0x1234));
    assertEquals(0x34, e.shellStatus());
    ProcessExit g = assertThrows(ProcessExit.class, () -> k.call("exit_group", -1));
    assertEquals(255, g.shellStatus());
    assertEquals(0xff00, g.status());
  }

  @Test
  void setTidAddress_recordsThePointer_andReturnsTheTid() {
    long a = k.alloc(4);
    assertEquals(1, k.call("set_tid_address", a));
    assertEquals(a, k.task.clearChildTid());
    long out = k.alloc(8);
    assertEquals(0, k.call("prctl", Prctl.PR_GET_TID_ADDRESS, out));
    assertEquals(a, GuestStructs.long64(k, out));
  }

  @Test
  void setRobustList_acceptsOnlyTheHeadSize() {
    long head = k.alloc(24);
    assertEquals(0, k.call("set_robust_list", head, 24));
    assertEquals(head, k.task.attributes().robustListHead);
    assertEquals(err(Errno.EINVAL), k.call("set_robust_list", head, 16));
    assertEquals(err(Errno.EINVAL), k.call("set_robust_list", head, 0));
  }

  @Test
  void rseq_isNotImplemented() {
    assertEquals(err(Errno.ENOSYS), k.call("rseq", k.alloc(32), 32, 0, 0x53053053));
  }

  @Test
  void archPrctl_setsAndGetsTheFsAndGsBases() {
    assertEquals(0, k.call("arch_prctl", ProcessSyscalls.ARCH_SET_FS, 0x7f00_1234_5000L));
    assertEquals(0x7f00_1234_5000L, k.task.cpu.fsBase);
    assertEquals(0, k.call("arch_prctl", ProcessSyscalls.ARCH_SET_GS, 0x1000));
    assertEquals(0x1000, k.task.cpu.gsBase);
    long out = k.alloc(8);
    assertEquals(0, k.call("arch_prctl", ProcessSyscalls.ARCH_GET_FS, out));
    assertEquals(0x7f00_1234_5000L, GuestStructs.long64(k, out));
    assertEquals(0, k.call("arch_prctl", ProcessSyscalls.ARCH_GET_GS, out));
    assertEquals(0x1000, GuestStructs.long64(k, out));
  }

  @Test
  void archPrctl_refusesBasesOutsideUserSpace_andBadCodes() {
    assertEquals(err(Errno.EPERM), k.call("arch_prctl", ProcessSyscalls.ARCH_SET_FS,
        0xffff_8000_0000_0000L));
    assertEquals(err(Errno.EPERM), k.call("arch_prctl", ProcessSyscalls.ARCH_SET_FS,
        0x8000_0000_0000L));
    assertEquals(err(Errno.EPERM), k.call("arch_prctl", ProcessSyscalls.ARCH_SET_GS,
        0x7fff_ffff_f000L));
    assertEquals(0, k.task.cpu.fsBase);
    assertEquals(err(Errno.EFAULT), k.call("arch_prctl", ProcessSyscalls.ARCH_GET_FS, BAD));
    assertEquals(err(Errno.EINVAL), k.call("arch_prctl", 0x9999, 0));
  }

  @Test
  void archPrctl_cpuidIsEnabled_andCannotFault() {
    assertEquals(1, k.call("arch_prctl", ProcessSyscalls.ARCH_GET_CPUID, 0));
    assertEquals(err(Errno.ENODEV), k.call("arch_prctl", ProcessSyscalls.ARCH_SET_CPUID, 0));
    assertEquals(err(Errno.ENODEV), k.call("arch_prctl", ProcessSyscalls.ARCH_SET_CPUID, 1));
  }

  @Test
  void prctl_setName_truncatesTo15Bytes_andGetNameReturns16() {
    assertEquals(0, k.call("prctl", Prctl.PR_SET_NAME, k.string("a-very-long-thread-name")));
    assertArrayEquals("a-very-long-thr".getBytes(StandardCharsets.US_ASCII), k.process.comm());
    long out = k.alloc(16);
    k.process.memory().writeBytes(out, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1}, 0, 16);
    assertEquals(0, k.call("prctl", Prctl.PR_GET_NAME, out));
    assertEquals("a-very-long-thr", GuestStructs.cString(k, out, 16));
    assertEquals(0, k.read(out, 16)[15]);
    assertEquals(0, k.call("prctl", Prctl.PR_SET_NAME, k.string("sh")));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_NAME, out));
    assertArrayEquals(new byte[] {'s', 'h', 0, 0}, java.util.Arrays.copyOf(k.read(out, 16), 4));
    assertEquals(err(Errno.EFAULT), k.call("prctl", Prctl.PR_SET_NAME, BAD));
    assertEquals(err(Errno.EFAULT), k.call("prctl", Prctl.PR_GET_NAME, BAD));
  }

  @Test
  void prctl_parentDeathSignal_roundTrips_andRejectsBadSignals() {
    long out = k.alloc(4);
    assertEquals(0, k.call("prctl", Prctl.PR_GET_PDEATHSIG, out));
    assertEquals(0, GuestStructs.int32(k, out));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_PDEATHSIG, 15));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_PDEATHSIG, out));
    assertEquals(15, GuestStructs.int32(k, out));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_PDEATHSIG, 65));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_PDEATHSIG, -1));
    assertEquals(err(Errno.EFAULT), k.call("prctl", Prctl.PR_GET_PDEATHSIG, BAD));
  }

  @Test
  void prctl_dumpable_keepcaps_subreaper_thp() {
    assertEquals(1, k.call("prctl", Prctl.PR_GET_DUMPABLE));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_DUMPABLE, 0));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_DUMPABLE));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_DUMPABLE, 2));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_KEEPCAPS));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_KEEPCAPS, 1));
    assertEquals(1, k.call("prctl", Prctl.PR_GET_KEEPCAPS));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_KEEPCAPS, 2));
    long out = k.alloc(4);
    assertEquals(0, k.call("prctl", Prctl.PR_SET_CHILD_SUBREAPER, 1));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_CHILD_SUBREAPER, out));
    assertEquals(1, GuestStructs.int32(k, out));
    assertEquals(err(Errno.EFAULT), k.call("prctl", Prctl.PR_GET_CHILD_SUBREAPER, BAD));
    assertEquals(0, k.call("prctl", Prctl.PR_GET_THP_DISABLE, 0, 0, 0, 0));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_THP_DISABLE, 1, 0, 0, 0));
    assertEquals(1, k.call("prctl", Prctl.PR_GET_THP_DISABLE, 0, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_THP_DISABLE, 1, 1, 0, 0));
  }

  @Test
  void prctl_noNewPrivs_isOneWay_andChecksUnusedArguments() {
    assertEquals(0, k.call("prctl", Prctl.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    assertEquals(1, k.call("prctl", Prctl.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
  }

  @Test
  void prctl_seccompCapbsetTimerslackAmbient_andUnknownOptions() {
    assertEquals(0, k.call("prctl", Prctl.PR_GET_SECCOMP));
    assertEquals(1, k.call("prctl", Prctl.PR_CAPBSET_READ, Capabilities.CAP_SYS_ADMIN));
    assertEquals(1, k.call("prctl", Prctl.PR_CAPBSET_READ, Capabilities.CAP_LAST_CAP));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_CAPBSET_READ, 41));
    assertEquals(0, k.call("prctl", Prctl.PR_CAPBSET_DROP, Capabilities.CAP_SYS_ADMIN));
    assertEquals(0, k.call("prctl", Prctl.PR_CAPBSET_READ, Capabilities.CAP_SYS_ADMIN));
    assertEquals(50_000, k.call("prctl", Prctl.PR_GET_TIMERSLACK));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_TIMERSLACK, 1000));
    assertEquals(1000, k.call("prctl", Prctl.PR_GET_TIMERSLACK));
    assertEquals(0, k.call("prctl", Prctl.PR_SET_TIMERSLACK, 0));
    assertEquals(50_000, k.call("prctl", Prctl.PR_GET_TIMERSLACK));
    assertEquals(0, k.call("prctl", Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_IS_SET, 0, 0, 0));
    // root's inheritable set is empty, so nothing can be raised into the ambient set
    assertEquals(err(Errno.EPERM), k.call("prctl", Prctl.PR_CAP_AMBIENT,
        Prctl.PR_CAP_AMBIENT_RAISE, 0, 0, 0));
    assertEquals(0, k.call("prctl", Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0,
        0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", Prctl.PR_CAP_AMBIENT, 9, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", 22 /* PR_SET_SECCOMP */, 2, 0));
    assertEquals(err(Errno.EINVAL), k.call("prctl", 0x7777));
  }

  @Test
  void prctl_capbsetDrop_needsCapSetpcap() {
    assertEquals(0, k.call("setresuid", 1000, 1000, 1000));
    assertEquals(err(Errno.EPERM), k.call("prctl", Prctl.PR_CAPBSET_DROP, 0));
  }

  @Test
  void personality_queriesSetsAndReturnsThePrevious() {
    assertEquals(0, k.call("personality", 0xffff_ffffL));
    assertEquals(0, k.call("personality", ProcessSyscalls.ADDR_NO_RANDOMIZE));
    assertEquals(ProcessSyscalls.ADDR_NO_RANDOMIZE, k.call("personality", 0xffff_ffffL));
    assertEquals(ProcessSyscalls.ADDR_NO_RANDOMIZE, k.call("personality",
        ProcessSyscalls.PER_LINUX));
    assertEquals(0, k.call("personality", 0xffff_ffffL));
  }
}
