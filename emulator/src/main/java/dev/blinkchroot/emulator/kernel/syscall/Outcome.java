package dev.blinkchroot.emulator.kernel.syscall;

/**
 * What a system call that changes the task's course returns instead of a value: the program was
 * replaced (execve), the registers were reloaded (rt_sigreturn), or the process or thread ends
 * (exit, exit_group). The dispatcher carries it out in one place: it unwinds the CPU to the task
 * loop, which starts the new program or ends the task. Plain calls return a long ({@link
 * Syscall}), where a negative ERESTART* code asks for the restart rules; these are {@link
 * ControlSyscall}s.
 */
public final class Outcome {
  /** What happens next. */
  public enum Kind {
    /** Return {@link #value()} in RAX. */
    VALUE,
    /** The registers hold a new program's start: leave them, run the new image. */
    EXEC,
    /** The registers hold the context a signal handler interrupted: leave them. */
    CONTEXT_RESTORED,
    /** The process ends with wait status {@link #value()}. */
    EXIT_GROUP,
    /** The calling thread ends with wait status {@link #value()} (the process, if it is the last). */
    EXIT_THREAD
  }

  private static final Outcome EXEC = new Outcome(Kind.EXEC, 0);
  private static final Outcome RESTORED = new Outcome(Kind.CONTEXT_RESTORED, 0);

  private final Kind kind;
  private final long value;

  private Outcome(Kind kind, long value) {
    this.kind = kind;
    this.value = value;
  }

  /** Return {@code v} (a value, or a negative errno). */
  public static Outcome value(long v) {
    return new Outcome(Kind.VALUE, v);
  }

  /** execve succeeded: the new program starts. */
  public static Outcome exec() {
    return EXEC;
  }

  /** rt_sigreturn: the interrupted context is back in the registers. */
  public static Outcome contextRestored() {
    return RESTORED;
  }

  /** exit_group: every thread ends, the process with exit code {@code code}. */
  public static Outcome exitGroup(int code) {
    return new Outcome(Kind.EXIT_GROUP, (code & 0xff) << 8);
  }

  /** exit: the calling thread ends with exit code {@code code}. */
  public static Outcome exitThread(int code) {
    return new Outcome(Kind.EXIT_THREAD, (code & 0xff) << 8);
  }

  public Kind kind() {
    return kind;
  }

  public long value() {
    return value;
  }
}
