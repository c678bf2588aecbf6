package dev.blinkchroot.emulator.kernel.trace;

import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import dev.blinkchroot.emulator.kernel.syscall.SyscallTable;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * --report: counts every system call and how each failed, and prints a table at exit (like
 * strace -c without times): calls, errors by errno, and which calls were unsupported or denied.
 */
public final class SyscallReport implements SyscallObserver {
  private static final class Counts {
    final AtomicLong calls = new AtomicLong();
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    volatile boolean unsupported;
    volatile boolean denied;
  }

  private final Map<String, Counts> byName = new ConcurrentHashMap<>();

  @Override
  public void exit(Task task, long number, SyscallTable.Entry entry, long[] args, long result,
      boolean denied) {
    String name = entry != null ? entry.name() : SyscallTable.nameOf(number);
    Counts c = byName.computeIfAbsent(name, n -> new Counts());
    c.calls.incrementAndGet();
    if (entry == null) {
      c.unsupported = true;
    }
    if (denied) {
      c.denied = true;
    }
    if (result < 0 && result >= -4095) {
      Errno e = Errno.of((int) -result);
      String key = e == null ? "errno " + -result : e.name();
      c.errors.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** The table, most frequent call first. */
  public void print(PrintStream out) {
    Map<String, Counts> sorted = new TreeMap<>(byName);
    long total = 0;
    long failed = 0;
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, Counts> e : sorted.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().calls.get(), a.getValue().calls.get()))
        .toList()) {
      Counts c = e.getValue();
      long errors = c.errors.values().stream().mapToLong(AtomicLong::get).sum();
      total += c.calls.get();
      failed += errors;
      StringBuilder why = new StringBuilder();
      new TreeMap<>(c.errors).forEach((k, v) -> why.append(why.length() == 0 ? "" : ", ")
          .append(k).append(" x").append(v.get()));
      if (c.unsupported) {
        why.append(why.length() == 0 ? "" : "; ").append("unsupported");
      }
      if (c.denied) {
        why.append(why.length() == 0 ? "" : "; ").append("denied by policy");
      }
      body.append(String.format("%9d %9d  %-20s %s%n", c.calls.get(), errors, e.getKey(), why));
    }
    out.println("blink-chroot: system call report");
    out.printf("%9s %9s  %-20s %s%n", "calls", "errors", "syscall", "failures");
    out.print(body);
    out.printf("%9d %9d  %-20s%n", total, failed, "total");
  }
}
