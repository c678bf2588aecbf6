package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.Locale;

/**
 * The system-wide /proc files: meminfo, uptime, loadavg, stat, filesystems. Memory is the JVM's
 * heap (guest memory and the in-memory file systems live there): MemTotal is the most it may
 * grow to, MemFree and MemAvailable what it has not used of that. The CPU is idle but for the
 * time the JVM process has spent running.
 */
final class SystemFiles {
  private final ProcFs proc;

  SystemFiles(ProcFs proc) {
    this.proc = proc;
  }

  private double uptimeSeconds() {
    return Math.max(0, System.nanoTime() - proc.kernel.bootNanos()) / 1e9;
  }

  /** The JVM's CPU time in ticks, or 0 where the platform does not say. */
  private static long busyTicks() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long ns = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      if (ns > 0) {
        return ns / ProcessFiles.NANOS_PER_TICK;
      }
    }
    return 0;
  }

  /** meminfo: "%-16s%8d kB" lines in Linux 6.1's order (busybox free and top read these). */
  String meminfo() {
    Runtime rt = Runtime.getRuntime();
    long total = rt.maxMemory() / 1024;
    long used = Math.min(total, (rt.totalMemory() - rt.freeMemory()) / 1024);
    long free = total - used;
    StringBuilder sb = new StringBuilder();
    kb(sb, "MemTotal:", total);
    kb(sb, "MemFree:", free);
    kb(sb, "MemAvailable:", free);
    kb(sb, "Buffers:", 0);
    kb(sb, "Cached:", 0);
    kb(sb, "SwapCached:", 0);
    kb(sb, "Active:", used);
    kb(sb, "Inactive:", 0);
    kb(sb, "Active(anon):", used);
    kb(sb, "Inactive(anon):", 0);
    kb(sb, "Active(file):", 0);
    kb(sb, "Inactive(file):", 0);
    kb(sb, "Unevictable:", 0);
    kb(sb, "Mlocked:", 0);
    kb(sb, "SwapTotal:", 0);
    kb(sb, "SwapFree:", 0);
    kb(sb, "Zswap:", 0);
    kb(sb, "Zswapped:", 0);
    kb(sb, "Dirty:", 0);
    kb(sb, "Writeback:", 0);
    kb(sb, "AnonPages:", used);
    kb(sb, "Mapped:", 0);
    kb(sb, "Shmem:", 0);
    kb(sb, "KReclaimable:", 0);
    kb(sb, "Slab:", 0);
    kb(sb, "SReclaimable:", 0);
    kb(sb, "SUnreclaim:", 0);
    kb(sb, "KernelStack:", 0);
    kb(sb, "PageTables:", 0);
    kb(sb, "SecPageTables:", 0);
    kb(sb, "NFS_Unstable:", 0);
    kb(sb, "Bounce:", 0);
    kb(sb, "WritebackTmp:", 0);
    kb(sb, "CommitLimit:", total);
    kb(sb, "Committed_AS:", used);
    kb(sb, "VmallocTotal:", 34359738367L);
    kb(sb, "VmallocUsed:", 0);
    kb(sb, "VmallocChunk:", 0);
    kb(sb, "Percpu:", 0);
    kb(sb, "HardwareCorrupted:", 0);
    kb(sb, "AnonHugePages:", 0);
    kb(sb, "ShmemHugePages:", 0);
    kb(sb, "ShmemPmdMapped:", 0);
    kb(sb, "FileHugePages:", 0);
    kb(sb, "FilePmdMapped:", 0);
    number(sb, "HugePages_Total:", 0);
    number(sb, "HugePages_Free:", 0);
    number(sb, "HugePages_Rsvd:", 0);
    number(sb, "HugePages_Surp:", 0);
    kb(sb, "Hugepagesize:", 2048);
    kb(sb, "Hugetlb:", 0);
    kb(sb, "DirectMap4k:", total);
    return sb.toString();
  }

  private static void kb(StringBuilder sb, String label, long kb) {
    sb.append(String.format(Locale.ROOT, "%-16s%8d kB\n", label, kb));
  }

  private static void number(StringBuilder sb, String label, long n) {
    sb.append(String.format(Locale.ROOT, "%-16s%8d\n", label, n));
  }

  /** uptime: seconds since boot and seconds the (one) CPU was idle, two decimals each. */
  String uptime() {
    double up = uptimeSeconds();
    double idle = Math.max(0, up - busyTicks() / (double) ProcessFiles.TICKS_PER_SECOND);
    return String.format(Locale.ROOT, "%.2f %.2f\n", up, idle);
  }

  /** loadavg: three load averages, running/total scheduling entities, the last pid used. */
  String loadavg() {
    List<GuestProcess> all = proc.processes();
    int last = all.isEmpty() ? 0 : all.get(all.size() - 1).pid();
    return "0.00 0.00 0.00 1/" + Math.max(1, all.size()) + " " + last + "\n";
  }

  /** stat: CPU time in ticks (one CPU), boot time, process counts. */
  String stat() {
    long upTicks = (long) (uptimeSeconds() * ProcessFiles.TICKS_PER_SECOND);
    long busy = Math.min(busyTicks(), upTicks);
    long idle = upTicks - busy;
    String cpu = busy + " 0 0 " + idle + " 0 0 0 0 0 0\n";
    long btime = System.currentTimeMillis() / 1000 - (long) uptimeSeconds();
    List<GuestProcess> all = proc.processes();
    int last = all.isEmpty() ? 0 : all.get(all.size() - 1).pid();
    return "cpu  " + cpu
        + "cpu0 " + cpu
        + "intr 0\n"
        + "ctxt 0\n"
        + "btime " + btime + "\n"
        + "processes " + last + "\n"
        + "procs_running 1\n"
        + "procs_blocked 0\n"
        + "softirq 0 0 0 0 0 0 0 0 0 0 0\n";
  }

  /** filesystems: the types that exist here; "nodev" marks those needing no block device. */
  static String filesystems() {
    return "nodev\tsysfs\n"
        + "nodev\ttmpfs\n"
        + "nodev\tproc\n"
        + "nodev\tdevtmpfs\n"
        + "nodev\tdevpts\n"
        + "nodev\toverlay\n"
        + "\text4\n";
  }
}
