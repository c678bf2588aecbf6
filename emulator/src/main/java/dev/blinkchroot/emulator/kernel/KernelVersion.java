package dev.blinkchroot.emulator.kernel;

/**
 * Who the kernel says it is: one set of strings shared by uname(2), /proc/version and
 * /proc/sys/kernel/{ostype,osrelease,version}, so a program that compares them finds them equal.
 * The release is a 6.1 LTS number (what the emulated system calls follow) with a suffix naming
 * what really runs, as distribution kernels add theirs ("6.1.0-18-amd64").
 */
public final class KernelVersion {
  /** {@code utsname.sysname} and /proc/sys/kernel/ostype. */
  public static final String SYSNAME = "Linux";
  /** {@code utsname.release} and /proc/sys/kernel/osrelease. */
  public static final String OSRELEASE = "6.1.0-blink-chroot";
  /** {@code utsname.version} and /proc/sys/kernel/version. */
  public static final String VERSION = "#1 SMP PREEMPT_DYNAMIC blink-chroot";
  /** {@code utsname.machine}. */
  public static final String MACHINE = "x86_64";
  /** {@code utsname.domainname}: what Linux reports when none was set. */
  public static final String DOMAINNAME = "(none)";
  /** The builder and compiler parts of /proc/version. */
  static final String BUILT_BY = "(blink-chroot@blink-chroot) (in-JVM kernel, Java)";

  private KernelVersion() {}

  /** The line /proc/version holds (without its newline). */
  public static String procVersion() {
    return SYSNAME + " version " + OSRELEASE + " " + BUILT_BY + " " + VERSION;
  }
}
