package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.syscall.Syscall;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/** getpgrp, getpgid, setpgid, getsid, setsid: pid 1 as a container's init, and a child. */
class ProcessGroupSyscallsTest {
  private final KernelFixture k = new KernelFixture();

  private long call(Task t, Syscall s, long... args) {
    return invoke(t, s, args);
  }

  /** A live child of pid 1 (pid 2) that got its ids as fork would give them. */
  private Task child() {
    GuestProcess p = new GuestProcess(2, k.process, k.process.mm(), new FdTable(), k.process.fs(),
        new Identity(0, 0, new int[0]));
    k.kernel.registerProcess(k.process);
    k.kernel.registerProcess(p);
    return new Task(k.kernel, p, new Cpu(p.memory()), 2);
  }

  @Test
  void firstProcess_leadsItsOwnGroupAndSession() {
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getpgrp));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getpgid, 0));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getpgid, 1));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getsid, 0));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getsid, 1));
  }

  @Test
  void getpgidAndGetsid_ofAnUnknownPid_areEsrch() {
    assertEquals(err(Errno.ESRCH), call(k.task, ProcessGroupSyscalls::getpgid, 99));
    assertEquals(err(Errno.ESRCH), call(k.task, ProcessGroupSyscalls::getpgid, -1));
    assertEquals(err(Errno.ESRCH), call(k.task, ProcessGroupSyscalls::getsid, 42));
    assertEquals(err(Errno.ESRCH), call(k.task, ProcessGroupSyscalls::getsid, -5));
  }

  @Test
  void setsid_byAGroupLeader_isEperm() {
    assertEquals(err(Errno.EPERM), call(k.task, ProcessGroupSyscalls::setsid));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getsid, 0));
  }

  @Test
  void setpgid_ofASessionLeader_isEperm_andArgumentsAreChecked() {
    assertEquals(err(Errno.EPERM), call(k.task, ProcessGroupSyscalls::setpgid, 0, 0));
    assertEquals(err(Errno.EPERM), call(k.task, ProcessGroupSyscalls::setpgid, 1, 1));
    assertEquals(err(Errno.EINVAL), call(k.task, ProcessGroupSyscalls::setpgid, 0, -1));
    assertEquals(err(Errno.ESRCH), call(k.task, ProcessGroupSyscalls::setpgid, 5, 0));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getpgrp));
  }

  @Test
  void child_inheritsGroupAndSession_andOthersSeeThem() {
    Task c = child();
    assertEquals(1, call(c, ProcessGroupSyscalls::getpgrp));
    assertEquals(1, call(c, ProcessGroupSyscalls::getsid, 0));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getpgid, 2));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getsid, 2));
    assertEquals(1, call(c, ProcessGroupSyscalls::getpgid, 1));
  }

  @Test
  void setpgid_ownPidToOwnPid_makesANewGroup_andMovingBackNeedsAnExistingGroup() {
    Task c = child();
    assertEquals(0, call(c, ProcessGroupSyscalls::setpgid, 0, 0));
    assertEquals(2, call(c, ProcessGroupSyscalls::getpgrp));
    assertEquals(2, call(k.task, ProcessGroupSyscalls::getpgid, 2));
    assertEquals(0, call(c, ProcessGroupSyscalls::setpgid, 2, 2));
    assertEquals(err(Errno.EPERM), call(c, ProcessGroupSyscalls::setpgid, 0, 77));
    assertEquals(0, call(c, ProcessGroupSyscalls::setpgid, 0, 1));
    assertEquals(1, call(c, ProcessGroupSyscalls::getpgrp));
  }

  @Test
  void setpgid_byTheParent_movesAChild_butNotANonChild() {
    Task c = child();
    assertEquals(0, call(k.task, ProcessGroupSyscalls::setpgid, 2, 2));
    assertEquals(2, call(c, ProcessGroupSyscalls::getpgrp));
    assertEquals(err(Errno.ESRCH), call(c, ProcessGroupSyscalls::setpgid, 1, 1));
  }

  @Test
  void setsid_byANonLeader_makesANewSessionAndGroup_once() {
    Task c = child();
    assertEquals(2, call(c, ProcessGroupSyscalls::setsid));
    assertEquals(2, call(c, ProcessGroupSyscalls::getsid, 0));
    assertEquals(2, call(c, ProcessGroupSyscalls::getpgrp));
    assertEquals(1, call(k.task, ProcessGroupSyscalls::getsid, 0));
    assertEquals(err(Errno.EPERM), call(c, ProcessGroupSyscalls::setsid));
    assertEquals(err(Errno.EPERM), call(c, ProcessGroupSyscalls::setpgid, 0, 0));
    // The child is now in another session: its parent can no longer move it.
    assertEquals(err(Errno.EPERM), call(k.task, ProcessGroupSyscalls::setpgid, 2, 1));
  }

  @Test
  void setsid_whenOwnGroupAlreadyLeads_isEperm() {
    Task c = child();
    assertEquals(0, call(c, ProcessGroupSyscalls::setpgid, 0, 0));
    assertEquals(err(Errno.EPERM), call(c, ProcessGroupSyscalls::setsid));
  }
}
