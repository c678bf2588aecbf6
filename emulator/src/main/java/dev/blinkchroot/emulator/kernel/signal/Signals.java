package dev.blinkchroot.emulator.kernel.signal;

/** Linux x86-64 signal numbers and names (signal(7)). */
public final class Signals {
  private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
      "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE",
      "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
      "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",
      "SIGPWR", "SIGSYS"};

  private Signals() {}

  /** "SIGSEGV" for 11; "SIGRTMIN+N" and "signal N" beyond the named ones. */
  /**
   * Whether the default action of {@code signal} ends the process (signal(7): Term or Core), as
   * opposed to Ign (SIGCHLD, SIGCONT, SIGURG, SIGWINCH) or Stop (SIGSTOP, SIGTSTP, SIGTTIN,
   * SIGTTOU). Real-time signals terminate.
   */
  public static boolean terminatesByDefault(int signal) {
    switch (signal) {
      case 17: case 18: case 23: case 28: // SIGCHLD SIGCONT SIGURG SIGWINCH
      case 19: case 20: case 21: case 22: // SIGSTOP SIGTSTP SIGTTIN SIGTTOU
        return false;
      default:
        return signal > 0 && signal <= SignalState.NSIG;
    }
  }

  public static String name(int signal) {
    if (signal > 0 && signal < NAMES.length) {
      return NAMES[signal];
    }
    return signal >= 34 && signal <= 64 ? "SIGRTMIN+" + (signal - 34) : "signal " + signal;
  }
}
