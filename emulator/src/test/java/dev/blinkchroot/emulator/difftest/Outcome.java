package dev.blinkchroot.emulator.difftest;

/**
 * How one run of a snippet ended: it completed (RIP reached the end of the code), it took a
 * signal (with the Linux siginfo fields and the state at the fault), it ran out of time, or (on
 * the host only) the harness process itself died.
 *
 * <p>For a signal, {@link #state()} is the state the kernel would hand to a signal handler: RIP
 * of the faulting instruction for faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL), RIP after the
 * instruction for traps (INT3's SIGTRAP); memory as the instructions before it left it.
 */
public final class Outcome {
  public static final int SIGILL = 4;
  public static final int SIGTRAP = 5;
  public static final int SIGBUS = 7;
  public static final int SIGFPE = 8;
  public static final int SIGSEGV = 11;
  public static final int SIGALRM = 14;
  public static final int SIGSYS = 31;
  /** si_code of a fault the kernel raises without an address (#GP, INT3): SI_KERNEL. */
  public static final int SI_KERNEL = 0x80;

  /** How the run ended. */
  public enum Kind {
    COMPLETED, SIGNAL, TIMEOUT, CRASHED
  }

  private final Kind kind;
  private final MachineState state;
  private final int signal;
  private final int siCode;
  private final long siAddr;
  private final long rip;
  private final String message;

  private Outcome(Kind kind, MachineState state, int signal, int siCode, long siAddr, long rip,
      String message) {
    this.kind = kind;
    this.state = state;
    this.signal = signal;
    this.siCode = siCode;
    this.siAddr = siAddr;
    this.rip = rip;
    this.message = message;
  }

  /** The snippet ran to its end (RIP = CODE_BASE + code length) and left {@code state}. */
  public static Outcome completed(MachineState state, int codeLength) {
    return new Outcome(Kind.COMPLETED, state, 0, 0, 0, MachineState.CODE_BASE + codeLength, null);
  }

  /** The snippet took Linux signal {@code signal} with these siginfo fields at guest RIP. */
  public static Outcome signal(int signal, int siCode, long siAddr, long rip, MachineState state) {
    return new Outcome(Kind.SIGNAL, state, signal, siCode, siAddr, rip, null);
  }

  /** The snippet did not finish in time (the host's watchdog, the emulator's budget). */
  public static Outcome timeout(long rip, MachineState state) {
    return new Outcome(Kind.TIMEOUT, state, 0, 0, 0, rip, null);
  }

  /** The host harness died while running this case (no state). */
  public static Outcome crashed(String message) {
    return new Outcome(Kind.CRASHED, null, 0, 0, 0, 0, message);
  }

  public Kind kind() {
    return kind;
  }

  public boolean completed() {
    return kind == Kind.COMPLETED;
  }

  /** True when the snippet took a signal. */
  public boolean faulted() {
    return kind == Kind.SIGNAL;
  }

  /** Final state, or the state at the signal/timeout; null after a crash. */
  public MachineState state() {
    return state;
  }

  public int signal() {
    return signal;
  }

  public int siCode() {
    return siCode;
  }

  /** si_addr as a 64-bit value. */
  public long siAddr() {
    return siAddr;
  }

  /** Guest RIP at the end (completed: CODE_BASE + length; signal: as the handler sees it). */
  public long rip() {
    return rip;
  }

  /** {@link #rip()} relative to CODE_BASE. */
  public long ripOffset() {
    return rip - MachineState.CODE_BASE;
  }

  public String message() {
    return message;
  }

  public static String signalName(int sig) {
    switch (sig) {
      case SIGILL: return "SIGILL";
      case SIGTRAP: return "SIGTRAP";
      case SIGBUS: return "SIGBUS";
      case SIGFPE: return "SIGFPE";
      case SIGSEGV: return "SIGSEGV";
      case SIGALRM: return "SIGALRM";
      case SIGSYS: return "SIGSYS";
      default: return "signal " + sig;
    }
  }

  /** One line: how it ended, without the state. */
  public String summary() {
    switch (kind) {
      case COMPLETED:
        return "completed";
      case SIGNAL:
        return String.format("%s (si_code %#x, si_addr %#x) at RIP %s", signalName(signal),
            siCode, siAddr, ripText());
      case TIMEOUT:
        return "timeout at RIP " + ripText();
      default:
        return "harness crashed: " + message;
    }
  }

  private String ripText() {
    long off = ripOffset();
    return off >= 0 && off < MachineState.CODE_SIZE
        ? String.format("CODE_BASE+%d", off) : String.format("%#x", rip);
  }

  @Override
  public String toString() {
    return state == null ? summary() : summary() + "\n" + state;
  }
}
