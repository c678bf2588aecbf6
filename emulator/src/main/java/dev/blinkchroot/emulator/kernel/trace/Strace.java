package dev.blinkchroot.emulator.kernel.trace;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import dev.blinkchroot.emulator.kernel.syscall.SyscallTable;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.io.PrintStream;

/**
 * --strace: one line per system call, strace-style, on stderr or a file: the name, decoded
 * arguments (strings quoted and cut at 32 bytes like strace's default {@code -s 32}, flags by
 * name, output buffers after the call) and the result or the errno with its text. Calls that do
 * not return (exit_group) print "= ?" before they end the process. Lines from several threads
 * are never interleaved.
 */
public final class Strace implements SyscallObserver {
  /** strace's default string limit. */
  static final int STRING_LIMIT = 32;

  private final PrintStream out;

  public Strace(PrintStream out) {
    this.out = out;
  }

  @Override
  public void enter(Task task, long number, SyscallTable.Entry entry, long[] args) {
    if (entry != null && entry.result().equals("void")) {
      print(task, call(task, number, entry, args, 0) + " = ?");
    }
  }

  @Override
  public void exit(Task task, long number, SyscallTable.Entry entry, long[] args, long result,
      boolean denied) {
    if (entry != null && entry.result().equals("void")) {
      return;
    }
    String line = call(task, number, entry, args, result) + " = " + result(entry, result);
    print(task, denied ? line + " (denied by policy)" : line);
  }

  private void print(Task task, String line) {
    synchronized (out) {
      out.println("[pid " + task.tid() + "] " + line);
    }
  }

  /** "name(arg, arg...)" with output arguments decoded from the result. */
  static String call(Task task, long number, SyscallTable.Entry entry, long[] args, long result) {
    if (entry == null) {
      return SyscallTable.nameOf(number) + "(0x" + Long.toHexString(args[0]) + ", 0x"
          + Long.toHexString(args[1]) + ", 0x" + Long.toHexString(args[2]) + ")";
    }
    StringBuilder b = new StringBuilder(entry.name()).append('(');
    String[] sig = entry.signature();
    for (int i = 0; i < sig.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(argument(task.memory(), sig[i], args, i, result));
    }
    return b.append(')').toString();
  }

  private static String argument(GuestMemory memory, String type, long[] args, int i,
      long result) {
    long v = args[i];
    if (type.startsWith("buf:")) {
      return bytes(memory, v, args[Integer.parseInt(type.substring(4))]);
    }
    if (type.startsWith("obuf:")) {
      String len = type.substring(5);
      long n = len.equals("R") ? result : Math.min(result, args[Integer.parseInt(len)]);
      return result < 0 ? hex(v) : bytes(memory, v, n);
    }
    if (type.startsWith("iovec:")) {
      return "0x" + Long.toHexString(v) + " /* " + args[Integer.parseInt(type.substring(6))]
          + " iovecs */";
    }
    switch (type) {
      case "path":
      case "str":
        return cString(memory, v);
      case "fd":
      case "int":
        return Integer.toString((int) v);
      case "size":
      case "offset":
        return Long.toString(v);
      case "ptr":
      case "ostat":
      case "timespec":
      case "argv":
      case "envp":
        return v == 0 ? "NULL" : hex(v);
      case "dev":
        return "makedev(" + dev.blinkchroot.vfs.Stat.major(v) + ", "
            + dev.blinkchroot.vfs.Stat.minor(v) + ")";
      default:
        String symbolic = StraceFlags.format(type, v);
        return symbolic != null ? symbolic : hex(v);
    }
  }

  private static String result(SyscallTable.Entry entry, long result) {
    if (Interrupted.isRestart(result)) {
      return "? " + Interrupted.name((int) -result);
    }
    if (result < 0 && result >= -4095) {
      Errno e = Errno.of((int) -result);
      return e == null ? "-1 errno " + -result : "-1 " + e.name() + " (" + e.message() + ")";
    }
    String kind = entry == null ? "int" : entry.result();
    return kind.equals("ptr") ? hex(result) : kind.equals("mode") ? "0" + Long.toOctalString(result)
        : Long.toString(result);
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  private static String cString(GuestMemory memory, long guestAddr) {
    if (guestAddr == 0) {
      return "NULL";
    }
    try {
      byte[] s = GuestIo.readCString(memory, guestAddr, 4096);
      return quote(s, s.length, s.length > STRING_LIMIT);
    } catch (ErrnoException e) {
      return hex(guestAddr);
    }
  }

  private static String bytes(GuestMemory memory, long guestAddr, long length) {
    if (length <= 0) {
      return "\"\"";
    }
    int shown = (int) Math.min(length, STRING_LIMIT);
    try {
      byte[] b = GuestIo.read(memory, guestAddr, shown);
      return quote(b, shown, length > STRING_LIMIT);
    } catch (ErrnoException e) {
      return hex(guestAddr);
    }
  }

  /** A C string literal as strace prints it, cut at {@link #STRING_LIMIT} bytes. */
  static String quote(byte[] b, int length, boolean truncated) {
    StringBuilder s = new StringBuilder("\"");
    int n = Math.min(length, STRING_LIMIT);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      switch (c) {
        case '"': s.append("\\\""); break;
        case '\\': s.append("\\\\"); break;
        case '\n': s.append("\\n"); break;
        case '\t': s.append("\\t"); break;
        case '\r': s.append("\\r"); break;
        default:
          if (c >= 0x20 && c < 0x7f) {
            s.append((char) c);
          } else {
            s.append('\\').append(Integer.toOctalString(c));
          }
      }
    }
    s.append('"');
    return truncated ? s.append("...").toString() : s.toString();
  }
}
