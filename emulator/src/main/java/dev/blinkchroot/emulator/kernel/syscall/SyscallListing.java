package dev.blinkchroot.emulator.kernel.syscall;

import java.io.PrintStream;

/**
 * What {@code blink-chroot syscalls} prints: every x86-64 call blink-chroot implements, with its
 * support level and the note that qualifies a partial one or explains a fixed errno; then a
 * count. Calls not listed return ENOSYS and are reported by name when used.
 */
public final class SyscallListing {
  private SyscallListing() {}

  public static void print(PrintStream out) {
    int full = 0;
    int partial = 0;
    int errno = 0;
    out.printf("%4s  %-24s %-8s %s%n", "nr", "name", "support", "note");
    for (SyscallTable.Entry e : SyscallTable.standard().entries()) {
      String support;
      switch (e.support()) {
        case FULL: support = "full"; full++; break;
        case PARTIAL: support = "partial"; partial++; break;
        default: support = e.fixedErrno().name(); errno++; break;
      }
      out.printf("%4d  %-24s %-8s %s%n", e.number(), e.name(), support,
          e.note() == null ? "" : e.note());
    }
    out.printf("%d calls: %d full, %d partial, %d fixed errno; every other number returns ENOSYS"
        + " and is reported by name%n", full + partial + errno, full, partial, errno);
  }
}
