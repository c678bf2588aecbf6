package dev.blinkchroot.runner.it;

import dev.blinkchroot.runner.it.NativePrograms.Build;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signal programs of examples/c, each built with glibc (dynamic) and musl (static and
 * dynamic), run natively and under blink-chroot: stdout, stderr and the exit status must be the
 * same bytes. The oracle is the native run at test time, as in {@link ProcessProgramsIT}.
 *
 * <ul>
 *   <li>signals.c: sigaction and its errors, kill(pid, 0) probes, the siginfo of kill, tkill,
 *       tgkill, raise, sigqueue and rt_sigqueueinfo, sigprocmask/sigpending, per-thread and
 *       per-process pending sets, standard signals coalescing and real-time ones queued with
 *       their values, the delivery order of several pending signals (frames stacked), SIG_IGN
 *       discarding pending signals, SA_RESETHAND, SA_NODEFER, sa_mask, sigsuspend,
 *       sigtimedwait/sigwaitinfo/sigwait, kill(-pgid)/killpg, SIGKILL. Needs kill, tkill,
 *       tgkill, rt_sigqueueinfo, rt_sigprocmask, rt_sigpending, rt_sigsuspend, rt_sigtimedwait,
 *       delivery at syscall exit with rt_sigframe/rt_sigreturn, and the default actions.
 *   <li>sigfault.c: SIGSEGV (SEGV_MAPERR, SEGV_ACCERR, si_addr, trapno, err without the present
 *       bit, cr2) from reads, writes and instruction fetches, on an alternate stack, stack
 *       overflow, SIGBUS past the end of a mapped file, handlers moving RIP past UD2, a bad load,
 *       DIV and IDIV (FPE_INTDIV both), HLT (SIGSEGV SI_KERNEL, trapno 13), INT3 (SIGTRAP
 *       SI_KERNEL) and the trap flag (TRAP_TRACE); a blocked, ignored or recursive synchronous
 *       signal killing. Needs CPU faults turned into signals with Linux's si_code, si_addr and
 *       sigcontext fields, NX pages, stack growth limited by RLIMIT_STACK (or a fault at the
 *       stack's end), and a TF single step.
 *   <li>sigframe.c: the frame's layout (rsp + 8 aligned to 16, ucontext at rsp + 8, siginfo at
 *       ucontext + 304, uc_flags 7, the FXSAVE/XSAVE area 64-byte aligned with both magic
 *       numbers), every register and DF restored by rt_sigreturn, edits to the ucontext (a
 *       register, XMM3, uc_sigmask) taking effect, the red zone skipped, sigaltstack's errors,
 *       SS_ONSTACK and SS_AUTODISARM, a misaligned alternate stack.
 *   <li>sigchld.c: the SIGCHLD (CLD_EXITED/CLD_KILLED, si_status) and wait status of fifteen
 *       ways to end, twenty children ending at once reaped by a SIGCHLD handler, abort()
 *       handled, blocked, ignored and left by siglongjmp, SIGPIPE default, ignored, handled
 *       (SI_USER, si_pid the writer) and blocked (EPIPE, SIGPIPE left pending).
 *   <li>sigstop.c: SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU and SIGCONT through waitpid (WUNTRACED,
 *       WCONTINUED), waitid (WSTOPPED, WCONTINUED, WNOWAIT) and SIGCHLD (CLD_STOPPED,
 *       CLD_CONTINUED, SA_NOCLDSTOP); SIGCONT discarding pending stop signals; SIGTERM held
 *       while stopped; groups; every thread stopped; an orphaned group's SIGHUP and SIGCONT.
 *   <li>sigtimers.c: alarm interrupting a pipe read, SA_RESTART restarting read and wait4 but
 *       never poll, select, epoll_wait, pause, sigsuspend, nanosleep or clock_nanosleep;
 *       nanosleep restarted across a stop and a continue; alarm/getitimer values; periodic
 *       ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF; POSIX timers (SI_TIMER, si_value,
 *       overruns, SIGEV_THREAD_ID, SIGEV_NONE, errors).
 *   <li>sigfds.c: timerfd and signalfd under poll and epoll.
 * </ul>
 *
 * <p>The programs follow examples/c/sigs.h: they reset every disposition and the mask first,
 * aim default actions only at children (under blink-chroot the program is pid 1, which Linux
 * never hands a signal it has no handler for), make their crashing children undumpable (so
 * WCOREDUMP is 0 on any host, whatever its core_pattern), and order events with pipes, waits
 * and sigsuspend; where a signal must arrive during a blocking call, a timer 100 ms (alarm:
 * 1 s) away brings it and the program checks it had not come earlier. Their native output was
 * the same over five runs of each build, as pid 1 of a new pid namespace ({@code unshare --pid
 * --fork --mount-proc}), as an unprivileged user, and with signals ignored and blocked by the
 * caller ({@code env --ignore-signal=... --block-signal=...}).
 *
 * <p>Children here die of SIGSEGV, SIGILL, SIGFPE and SIGBUS on purpose, and Linux prints
 * nothing for that: blink-chroot's one-line crash report must not appear for them (only, if at
 * all, when the run ends by such a death of pid 1), or stderr differs.
 *
 * <p>Natively the seven programs take about 4.6 s per build, 3.8 s of it in sigtimers.c, whose
 * timers must expire (the others 40-220 ms each); under blink-chroot, with its start-up and the
 * interpreter, expect one to two minutes for the 21 cases.
 */
class SignalProgramsIT {
  static final List<String> PROGRAMS = List.of("signals", "sigfault", "sigframe", "sigchld",
      "sigstop", "sigtimers", "sigfds");

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return NativePrograms.everyBuildOf(PROGRAMS);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void sameOutputAsNative(String program, Build build) {
    NativePrograms.assertSameAsNative("signals", program, build, tmp);
  }
}
