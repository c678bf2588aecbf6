package dev.blinkchroot.emulator.kernel.syscall;

import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Number to name, handler, support level and argument signature for every system call: the single
 * source of truth that the dispatcher, --strace, the policy and {@code blink-chroot syscalls}
 * read. The rows are in {@link SyscallRows}.
 */
public final class SyscallTable {
  /** How completely a call is implemented. */
  public enum Support {
    /** Linux's semantics and error cases. */
    FULL,
    /** Implemented with a documented limitation ({@link Entry#note}). */
    PARTIAL,
    /** Always fails with a fixed errno, for the reason in the note. */
    ERRNO
  }

  /**
   * One row. {@code signature} lists the argument types (see {@link SyscallRows}); {@code
   * result} the result kind. {@code fixedErrno} is set for {@link Support#ERRNO} rows.
   */
  public record Entry(int number, String name, Support support, String note,
      ControlSyscall handler, String[] signature, String result, Errno fixedErrno) {
    /** Index of the first path argument, or -1. */
    public int pathArgument() {
      for (int i = 0; i < signature.length; i++) {
        if (signature[i].equals("path")) {
          return i;
        }
      }
      return -1;
    }

    /** Index of the dirfd the path argument is relative to, or -1 for the cwd. */
    public int dirfdArgument() {
      int p = pathArgument();
      return p > 0 && signature[p - 1].equals("dirfd") ? p - 1 : -1;
    }
  }

  /** Adds rows; used only by {@link SyscallRows}. */
  static final class Builder {
    private final Entry[] entries = new Entry[SyscallNames.limit()];

    void row(int number, String name, Support support, Syscall handler, String signature,
        String result) {
      add(new Entry(number, name, support, null, plain(handler), split(signature), result,
          null));
    }

    void partial(int number, String name, String note, Syscall handler, String signature,
        String result) {
      add(new Entry(number, name, Support.PARTIAL, note, plain(handler), split(signature),
          result, null));
    }

    /** A call that may replace the program or end the task. */
    void control(int number, String name, Support support, String note, ControlSyscall handler,
        String signature, String result) {
      add(new Entry(number, name, support, note, handler, split(signature), result, null));
    }

    private static ControlSyscall plain(Syscall handler) {
      return t -> Outcome.value(handler.call(t));
    }

    void errno(int number, String name, Errno errno, String reason, String signature,
        String result) {
      ControlSyscall fail = t -> Outcome.value(-errno.number());
      add(new Entry(number, name, Support.ERRNO, reason, fail, split(signature), result, errno));
    }

    private void add(Entry e) {
      if (!e.name().equals(SyscallNames.of(e.number()))) {
        throw new IllegalStateException("row " + e.number() + " is " + SyscallNames.of(e.number())
            + ", not " + e.name());
      }
      if (entries[e.number()] != null) {
        throw new IllegalStateException("two rows for " + e.name());
      }
      entries[e.number()] = e;
    }

    private static String[] split(String signature) {
      return signature.isEmpty() ? new String[0] : signature.split(",");
    }
  }

  private static final SyscallTable STANDARD = build();

  private final Entry[] entries;

  private SyscallTable(Entry[] entries) {
    this.entries = entries;
  }

  /** The table this build implements. */
  public static SyscallTable standard() {
    return STANDARD;
  }

  private static SyscallTable build() {
    Builder b = new Builder();
    SyscallRows.register(b);
    return new SyscallTable(b.entries);
  }

  /** The row of {@code number}, or null when the call is not implemented. */
  public Entry entry(long number) {
    return number >= 0 && number < entries.length ? entries[(int) number] : null;
  }

  /** The rows in number order. */
  public List<Entry> entries() {
    List<Entry> rows = new ArrayList<>();
    for (Entry e : entries) {
      if (e != null) {
        rows.add(e);
      }
    }
    return Collections.unmodifiableList(rows);
  }

  /** The Linux name of {@code number}, implemented or not. */
  public static String nameOf(long number) {
    return number >= 0 && number < Integer.MAX_VALUE ? SyscallNames.of((int) number)
        : "syscall_" + number;
  }
}
