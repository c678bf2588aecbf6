package dev.blinkchroot.emulator.kernel.tty;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import java.util.Map;

/**
 * The host terminal's line discipline as the guest sees it, until terminal passthrough exists:
 * termios settings and the window size are kept and reported, but do not change the host
 * terminal. The defaults are Linux's for a new tty (tty_std_termios: ICRNL|IXON, OPOST|ONLCR,
 * B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN, INIT_C_CC).
 *
 * <p>struct termios as TCGETS copies it (the kernel's, not glibc's): c_iflag@0 c_oflag@4
 * c_cflag@8 c_lflag@12 c_line@16 c_cc[19]@17, 36 bytes; struct winsize: ws_row, ws_col,
 * ws_xpixel, ws_ypixel (u16 each), 8 bytes. Checked with gcc against asm/termbits.h: {@code
 * sizeof(struct termios)}, {@code offsetof(struct termios, c_cc)}, NCCS.
 */
public final class Terminal {
  static final int TCGETS = 0x5401;
  static final int TCSETS = 0x5402;
  static final int TCSETSW = 0x5403;
  static final int TCSETSF = 0x5404;
  static final int TCSBRK = 0x5409;
  static final int TCXONC = 0x540a;
  static final int TCFLSH = 0x540b;
  static final int TIOCSCTTY = 0x540e;
  static final int TIOCGPGRP = 0x540f;
  static final int TIOCSPGRP = 0x5410;
  static final int TIOCOUTQ = 0x5411;
  static final int TIOCGWINSZ = 0x5413;
  static final int TIOCSWINSZ = 0x5414;
  static final int TIOCNOTTY = 0x5422;
  static final int TCSBRKP = 0x5425;
  static final int TIOCGSID = 0x5429;
  static final int TERMIOS_SIZE = 36;

  private final byte[] termios = new byte[TERMIOS_SIZE];
  private int rows;
  private int cols;
  private int xpixel;
  private int ypixel;
  /** The foreground process group; 0 until a process asks (then its pid). */
  private int pgrp;

  public Terminal() {
    int[] size = hostSize(System.getenv());
    rows = size[0];
    cols = size[1];
    putInt(0, 0400 | 02000); // ICRNL | IXON
    putInt(4, 01 | 04); // OPOST | ONLCR
    putInt(8, 017 | 060 | 0200 | 02000); // B38400 | CS8 | CREAD | HUPCL
    putInt(12, 01 | 02 | 010 | 020 | 040 | 01000 | 04000 | 0100000);
    byte[] cc = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0};
    System.arraycopy(cc, 0, termios, 17, cc.length);
  }

  /**
   * The window size to start with, {rows, cols}: what the launcher measured on the host terminal
   * ({@code BLINK_CHROOT_TTY_SIZE}, "ROWS COLS" as {@code stty size} prints it), else the shell's
   * LINES and COLUMNS, else 24x80. Java cannot ask the host terminal itself.
   */
  static int[] hostSize(Map<String, String> env) {
    String[] measured = env.getOrDefault("BLINK_CHROOT_TTY_SIZE", "").trim().split("\\s+");
    if (measured.length == 2 && size(measured[0]) > 0 && size(measured[1]) > 0) {
      return new int[] {size(measured[0]), size(measured[1])};
    }
    int rows = size(env.get("LINES"));
    int cols = size(env.get("COLUMNS"));
    return new int[] {rows > 0 ? rows : 24, cols > 0 ? cols : 80};
  }

  /** A window dimension (1 to 65535, ws_row and ws_col are u16), or 0 if {@code v} is not one. */
  private static int size(String v) {
    try {
      int n = v == null ? 0 : Integer.parseInt(v.trim());
      return n > 0 && n < 65536 ? n : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void putInt(int at, int v) {
    termios[at] = (byte) v;
    termios[at + 1] = (byte) (v >>> 8);
    termios[at + 2] = (byte) (v >>> 16);
    termios[at + 3] = (byte) (v >>> 24);
  }

  synchronized long ioctl(Task task, int request, long argAddr) {
    switch (request) {
      case TCGETS:
        GuestIo.write(task.memory(), argAddr, termios);
        return 0;
      case TCSETS:
      case TCSETSW:
      case TCSETSF:
        byte[] t = GuestIo.read(task.memory(), argAddr, TERMIOS_SIZE);
        System.arraycopy(t, 0, termios, 0, TERMIOS_SIZE);
        return 0;
      case TIOCGWINSZ: {
        byte[] w = new byte[8];
        short16(w, 0, rows);
        short16(w, 2, cols);
        short16(w, 4, xpixel);
        short16(w, 6, ypixel);
        GuestIo.write(task.memory(), argAddr, w);
        return 0;
      }
      case TIOCSWINSZ: {
        byte[] w = GuestIo.read(task.memory(), argAddr, 8);
        rows = u16(w, 0);
        cols = u16(w, 2);
        xpixel = u16(w, 4);
        ypixel = u16(w, 6);
        return 0;
      }
      case TIOCGPGRP:
      case TIOCGSID:
        GuestIo.writeInt(task.memory(), argAddr, pgrp != 0 ? pgrp : task.process().pid());
        return 0;
      case TIOCSPGRP: {
        int g = GuestIo.readInt(task.memory(), argAddr);
        if (g < 0) {
          throw Errno.EINVAL.exception();
        }
        pgrp = g;
        return 0;
      }
      case TIOCOUTQ:
        GuestIo.writeInt(task.memory(), argAddr, 0);
        return 0;
      case TCFLSH:
        if (argAddr < 0 || argAddr > 2) {
          throw Errno.EINVAL.exception();
        }
        return 0;
      case TCSBRK:
      case TCSBRKP:
      case TCXONC:
      case TIOCSCTTY:
      case TIOCNOTTY:
        return 0;
      default:
        throw Errno.ENOTTY.exception();
    }
  }

  private static void short16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }
}
