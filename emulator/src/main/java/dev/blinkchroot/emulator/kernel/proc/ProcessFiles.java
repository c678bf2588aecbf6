package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.signal.Signals;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.util.List;
import java.util.Locale;

/**
 * /proc/PID/status, stat, statm and limits, in the formats of proc(5) (checked against Linux
 * 6.x output). What blink-chroot does not track reads as Linux shows it for an idle process:
 * zero page faults, no controlling terminal (tty_nr 0, tpgid -1). A zombie shows what Linux
 * keeps of one: no memory, the CPU time it used.
 */
final class ProcessFiles {
  /** USER_HZ: the unit of the clock-tick fields (sysconf(_SC_CLK_TCK) is 100). */
  static final long TICKS_PER_SECOND = 100;
  static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
  /** RLIMIT_SIGPENDING's and RLIMIT_NPROC's default (Rlimits'), shown in SigQ and limits. */
  static final int SIGPENDING_LIMIT = 63349;
  /** Every capability of Linux 6.1 (CAP_LAST_CAP = 40). */
  static final long ALL_CAPS = (1L << 41) - 1;
  /** PF_RANDOMIZE in the stat flags field: address-space randomisation is on. */
  private static final long PF_RANDOMIZE = 0x00400000;

  private final ProcFs proc;
  private final GuestProcess process;
  private final int tid;

  ProcessFiles(ProcFs proc, GuestProcess process, int tid) {
    this.proc = proc;
    this.process = process;
    this.tid = tid;
  }

  /** True if the task reading is a thread of this process: it is running, the others sleep. */
  private boolean readByItself() {
    Task t = Task.current();
    return t != null && t.process() == process;
  }

  private char state() {
    return readByItself() ? 'R' : process.runState();
  }

  private static String stateName(char state) {
    switch (state) {
      case 'R':
        return "R (running)";
      case 'S':
        return "S (sleeping)";
      case 'T':
        return "T (stopped)";
      case 'Z':
        return "Z (zombie)";
      default:
        return "X (dead)";
    }
  }

  /** The thread's mask. */
  private long blockedSignals() {
    Task t = thread();
    return t == null ? 0 : t.signalMask();
  }

  /** The signals pending for the thread alone. */
  private long threadPending() {
    Task t = thread();
    return t == null ? 0 : t.pending().bits();
  }

  /** The thread this directory describes (null once the process has exited). */
  private Task thread() {
    Task leader = process.leader();
    return leader != null && leader.tid() == tid ? leader : null;
  }

  /** {ignored, caught} as signal bit masks (bit N-1 for signal N). */
  private long[] dispositions() {
    SignalActions s = process.signalActions();
    long ignored = 0;
    long caught = 0;
    for (int sig = 1; sig <= Signals.NSIG; sig++) {
      long h = s.action(sig).handler();
      if (h == SignalActions.SIG_IGN) {
        ignored |= 1L << (sig - 1);
      } else if (h != SignalActions.SIG_DFL) {
        caught |= 1L << (sig - 1);
      }
    }
    return new long[] {ignored, caught};
  }

  /** {user, system} CPU time of the process's threads, in ticks. */
  private long[] cpuTicks() {
    long[] ns = process.cpuNanos();
    return new long[] {ns[0] / NANOS_PER_TICK, ns[1] / NANOS_PER_TICK};
  }

  /** {user, system} CPU time of reaped children, in ticks. */
  private long[] childTicks() {
    long[] ns = process.childCpuNanos();
    return new long[] {ns[0] / NANOS_PER_TICK, ns[1] / NANOS_PER_TICK};
  }

  private long startTicks() {
    return Math.max(0, process.startNanos() - proc.kernel.bootNanos()) / NANOS_PER_TICK;
  }

  private int fdSize() {
    if (!process.live()) {
      return 0;
    }
    List<Integer> open = process.fds().openDescriptors();
    int highest = open.isEmpty() ? 0 : open.get(open.size() - 1);
    int size = 64;
    while (size <= highest) {
      size *= 2;
    }
    return size;
  }

  /** status: "Name:\tvalue" lines in the order Linux 6.1 prints them. */
  String status() {
    Identity id = process.identity();
    long[] disp = dispositions();
    StringBuilder sb = new StringBuilder();
    sb.append("Name:\t").append(escapeName(ProcessDir.latin1(process.comm()))).append('\n');
    sb.append("Umask:\t").append(String.format(Locale.ROOT, "%04o", process.fs().umask()))
        .append('\n');
    sb.append("State:\t").append(stateName(state())).append('\n');
    line(sb, "Tgid", process.pid());
    line(sb, "Ngid", 0);
    line(sb, "Pid", tid);
    line(sb, "PPid", process.ppid());
    line(sb, "TracerPid", 0);
    sb.append("Uid:\t").append(id.ruid()).append('\t').append(id.euid()).append('\t')
        .append(id.suid()).append('\t').append(id.euid()).append('\n');
    sb.append("Gid:\t").append(id.rgid()).append('\t').append(id.egid()).append('\t')
        .append(id.sgid()).append('\t').append(id.egid()).append('\n');
    line(sb, "FDSize", fdSize());
    sb.append("Groups:\t");
    int[] groups = id.groups();
    for (int i = 0; i < groups.length; i++) {
      sb.append(i == 0 ? "" : " ").append(groups[i]);
    }
    sb.append(" \n");
    line(sb, "NStgid", process.pid());
    line(sb, "NSpid", tid);
    line(sb, "NSpgid", process.pgid());
    line(sb, "NSsid", process.sid());
    if (process.live()) {
      memory(sb, MemoryMaps.totals(process));
    }
    line(sb, "CoreDumping", 0);
    line(sb, "THP_enabled", 0);
    line(sb, "Threads", process.threadCount());
    sb.append("SigQ:\t0/").append(SIGPENDING_LIMIT).append('\n');
    mask(sb, "SigPnd", threadPending());
    mask(sb, "ShdPnd", process.sharedPending().bits());
    mask(sb, "SigBlk", blockedSignals());
    mask(sb, "SigIgn", disp[0]);
    mask(sb, "SigCgt", disp[1]);
    boolean root = id.euid() == 0;
    mask(sb, "CapInh", 0);
    mask(sb, "CapPrm", root ? ALL_CAPS : 0);
    mask(sb, "CapEff", root ? ALL_CAPS : 0);
    mask(sb, "CapBnd", ALL_CAPS);
    mask(sb, "CapAmb", 0);
    line(sb, "NoNewPrivs", 0);
    line(sb, "Seccomp", 0);
    line(sb, "Seccomp_filters", 0);
    sb.append("Speculation_Store_Bypass:\tnot vulnerable\n");
    sb.append("SpeculationIndirectBranch:\tunknown\n");
    sb.append("Cpus_allowed:\t1\n");
    sb.append("Cpus_allowed_list:\t0\n");
    sb.append("Mems_allowed:\t1\n");
    sb.append("Mems_allowed_list:\t0\n");
    line(sb, "voluntary_ctxt_switches", 0);
    line(sb, "nonvoluntary_ctxt_switches", 0);
    return sb.toString();
  }

  /** The Vm lines of status, which a zombie lacks (its memory is gone). */
  private static void memory(StringBuilder sb, MemoryMaps.Totals m) {
    kb(sb, "VmPeak", m.size());
    kb(sb, "VmSize", m.size());
    kb(sb, "VmLck", 0);
    kb(sb, "VmPin", 0);
    kb(sb, "VmHWM", m.rss());
    kb(sb, "VmRSS", m.rss());
    kb(sb, "RssAnon", m.rssAnon());
    kb(sb, "RssFile", m.rssFile());
    kb(sb, "RssShmem", 0);
    kb(sb, "VmData", m.data());
    kb(sb, "VmStk", m.stack());
    kb(sb, "VmExe", m.exe());
    kb(sb, "VmLib", m.lib());
    kb(sb, "VmPTE", m.size() / 512); // one 8-byte entry per 4 KiB page
    kb(sb, "VmSwap", 0);
    sb.append("HugetlbPages:\t").append(String.format(Locale.ROOT, "%8d kB", 0)).append('\n');
  }

  /** Name: shows a backslash and a newline escaped, so one name is one line. */
  private static String escapeName(String name) {
    return name.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static void line(StringBuilder sb, String label, long value) {
    sb.append(label).append(":\t").append(value).append('\n');
  }

  private static void kb(StringBuilder sb, String label, long bytes) {
    sb.append(label).append(":\t").append(String.format(Locale.ROOT, "%8d kB", bytes / 1024))
        .append('\n');
  }

  private static void mask(StringBuilder sb, String label, long bits) {
    sb.append(label).append(":\t").append(String.format(Locale.ROOT, "%016x", bits)).append('\n');
  }

  /** stat: the 52 fields of proc_pid_stat(5), space separated, on one line. */
  String stat() {
    MemoryMaps.Totals m = MemoryMaps.totals(process);
    long[] cpu = cpuTicks();
    long[] children = childTicks();
    long[] disp = dispositions();
    long pages = GuestMemory.PAGE_SIZE;
    Object[] f = {
      tid,                                   // (1) pid
      "(" + ProcessDir.latin1(process.comm()) + ")", // (2) comm
      state(),                               // (3) state
      process.ppid(),                        // (4) ppid
      process.pgid(),                        // (5) pgrp
      process.sid(),                         // (6) session
      0,                                     // (7) tty_nr
      -1,                                    // (8) tpgid
      proc.kernel.config().aslr() ? PF_RANDOMIZE : 0, // (9) flags
      0, 0, 0, 0,                            // (10-13) minflt cminflt majflt cmajflt
      cpu[0], cpu[1], children[0], children[1], // (14-17) utime stime cutime cstime
      20, 0,                                 // (18-19) priority nice
      process.threadCount(),                 // (20) num_threads
      0,                                     // (21) itrealvalue
      startTicks(),                          // (22) starttime
      m.size(),                              // (23) vsize (bytes)
      m.rss() / pages,                       // (24) rss (pages)
      Long.toUnsignedString(-1L),            // (25) rsslim (RLIM_INFINITY)
      m.startCode(), m.endCode(),            // (26-27) startcode endcode
      m.startStack(),                        // (28) startstack
      0, 0,                                  // (29-30) kstkesp kstkeip
      threadPending() | process.sharedPending().bits(), // (31) signal (pending)
      blockedSignals(),                      // (32) blocked
      disp[0], disp[1],                      // (33-34) sigignore sigcatch
      0, 0, 0,                               // (35-37) wchan nswap cnswap
      process.exitSignal(),                  // (38) exit_signal
      0,                                     // (39) processor
      0, 0,                                  // (40-41) rt_priority policy (SCHED_OTHER)
      0, 0, 0,                               // (42-44) delayacct_blkio_ticks guest_time cguest
      m.startData(), m.endData(),            // (45-46) start_data end_data
      process.live() ? process.mm().brkStart() : 0, // (47) start_brk
      0, 0, 0, 0,                            // (48-51) arg_start arg_end env_start env_end
      process.waitStatus(),                  // (52) exit_code
    };
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(f[i]);
    }
    return sb.append('\n').toString();
  }

  /** statm: size resident shared text lib data dt, in pages. */
  String statm() {
    MemoryMaps.Totals m = MemoryMaps.totals(process);
    long page = GuestMemory.PAGE_SIZE;
    return (m.size() / page) + " " + (m.rss() / page) + " " + (m.rssFile() / page) + " "
        + (m.exe() / page) + " 0 " + ((m.data() + m.stack()) / page) + " 0\n";
  }

  /** limits: Linux's table; the open-files soft limit is the process's, the rest defaults. */
  String limits() {
    StringBuilder sb = new StringBuilder();
    limit(sb, "Limit", "Soft Limit", "Hard Limit", "Units");
    limit(sb, "Max cpu time", "unlimited", "unlimited", "seconds");
    limit(sb, "Max file size", "unlimited", "unlimited", "bytes");
    limit(sb, "Max data size", "unlimited", "unlimited", "bytes");
    limit(sb, "Max stack size", "8388608", "unlimited", "bytes");
    limit(sb, "Max core file size", "0", "unlimited", "bytes");
    limit(sb, "Max resident set", "unlimited", "unlimited", "bytes");
    limit(sb, "Max processes", "" + SIGPENDING_LIMIT, "" + SIGPENDING_LIMIT, "processes");
    limit(sb, "Max open files", "" + process.fds().limit(), "1048576", "files");
    limit(sb, "Max locked memory", "8388608", "8388608", "bytes");
    limit(sb, "Max address space", "unlimited", "unlimited", "bytes");
    limit(sb, "Max file locks", "unlimited", "unlimited", "locks");
    limit(sb, "Max pending signals", "" + SIGPENDING_LIMIT, "" + SIGPENDING_LIMIT, "signals");
    limit(sb, "Max msgqueue size", "819200", "819200", "bytes");
    limit(sb, "Max nice priority", "0", "0", "");
    limit(sb, "Max realtime priority", "0", "0", "");
    limit(sb, "Max realtime timeout", "unlimited", "unlimited", "us");
    return sb.toString();
  }

  private static void limit(StringBuilder sb, String name, String soft, String hard,
      String units) {
    // Linux pads the units column only when there are units.
    sb.append(String.format(Locale.ROOT, "%-25s %-20s %-20s ", name, soft, hard));
    if (!units.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%-10s", units));
    }
    sb.append('\n');
  }
}
