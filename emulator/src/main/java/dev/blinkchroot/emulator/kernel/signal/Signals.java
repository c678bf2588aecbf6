package dev.blinkchroot.emulator.kernel.signal;

/**
 * Linux x86-64 signal numbers, names and default actions (signal(7)), and the sigset_t bit
 * arithmetic: signal N is bit N-1 of a 64-bit set.
 */
public final class Signals {
  public static final int SIGHUP = 1;
  public static final int SIGINT = 2;
  public static final int SIGQUIT = 3;
  public static final int SIGILL = 4;
  public static final int SIGTRAP = 5;
  public static final int SIGABRT = 6;
  public static final int SIGBUS = 7;
  public static final int SIGFPE = 8;
  public static final int SIGKILL = 9;
  public static final int SIGUSR1 = 10;
  public static final int SIGSEGV = 11;
  public static final int SIGUSR2 = 12;
  public static final int SIGPIPE = 13;
  public static final int SIGALRM = 14;
  public static final int SIGTERM = 15;
  public static final int SIGCHLD = 17;
  public static final int SIGCONT = 18;
  public static final int SIGSTOP = 19;
  public static final int SIGTSTP = 20;
  public static final int SIGTTIN = 21;
  public static final int SIGTTOU = 22;
  public static final int SIGURG = 23;
  public static final int SIGXCPU = 24;
  public static final int SIGXFSZ = 25;
  public static final int SIGVTALRM = 26;
  public static final int SIGPROF = 27;
  public static final int SIGWINCH = 28;
  public static final int SIGIO = 29;
  public static final int SIGSYS = 31;
  /** The first real-time signal as the kernel numbers them (C libraries reserve 32 and 33). */
  public static final int SIGRTMIN = 32;
  /** _NSIG on x86-64: signals 1..64. */
  public static final int NSIG = 64;

  /** What the kernel does with a signal whose disposition is SIG_DFL. */
  public enum DefaultAction {
    /** Term: the process ends. */
    TERMINATE,
    /** Core: the process ends, and would dump core. */
    CORE,
    /** Ign. */
    IGNORE,
    /** Stop: the process stops until SIGCONT. */
    STOP,
    /** Cont: the process continues if stopped (otherwise ignored). */
    CONTINUE
  }

  private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
      "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE",
      "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
      "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",
      "SIGPWR", "SIGSYS"};

  /** The signals that can be neither caught, blocked nor ignored. */
  public static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
  /** The stop signals (default action Stop). */
  public static final long STOP_MASK = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);
  /** The signals the CPU raises: dequeued before any other (Linux's SYNCHRONOUS_MASK). */
  public static final long SYNCHRONOUS_MASK = bit(SIGSEGV) | bit(SIGBUS) | bit(SIGILL)
      | bit(SIGTRAP) | bit(SIGFPE) | bit(SIGSYS);

  private Signals() {}

  /** The sigset_t bit of {@code signal}. */
  public static long bit(int signal) {
    return 1L << (signal - 1);
  }

  /** Whether {@code signal} is a valid signal number (1..64). */
  public static boolean valid(int signal) {
    return signal >= 1 && signal <= NSIG;
  }

  /** Real-time signals queue every instance; standard ones are pending at most once. */
  public static boolean realtime(int signal) {
    return signal >= SIGRTMIN;
  }

  /** The default action of {@code signal} (signal(7)'s table; real-time signals terminate). */
  public static DefaultAction defaultAction(int signal) {
    switch (signal) {
      case SIGCHLD:
      case SIGURG:
      case SIGWINCH:
        return DefaultAction.IGNORE;
      case SIGCONT:
        return DefaultAction.CONTINUE;
      case SIGSTOP:
      case SIGTSTP:
      case SIGTTIN:
      case SIGTTOU:
        return DefaultAction.STOP;
      case SIGQUIT:
      case SIGILL:
      case SIGTRAP:
      case SIGABRT:
      case SIGBUS:
      case SIGFPE:
      case SIGSEGV:
      case SIGXCPU:
      case SIGXFSZ:
      case SIGSYS:
        return DefaultAction.CORE;
      default:
        return DefaultAction.TERMINATE;
    }
  }

  /**
   * Whether the default action of {@code signal} ends the process (Term or Core), as opposed to
   * Ign, Stop or Cont.
   */
  public static boolean terminatesByDefault(int signal) {
    DefaultAction a = defaultAction(signal);
    return a == DefaultAction.TERMINATE || a == DefaultAction.CORE;
  }

  /** "SIGSEGV" for 11; "SIGRTMIN+N" and "signal N" beyond the named ones. */
  public static String name(int signal) {
    if (signal > 0 && signal < NAMES.length) {
      return NAMES[signal];
    }
    return signal >= 34 && signal <= 64 ? "SIGRTMIN+" + (signal - 34) : "signal " + signal;
  }
}
