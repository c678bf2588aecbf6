package dev.blinkchroot.emulator.difftest;

import java.util.StringJoiner;

/** RFLAGS bits as the SDM numbers them, and a readable rendering. */
public final class RFlags {
  public static final long CF = 1L;
  public static final long PF = 1L << 2;
  public static final long AF = 1L << 4;
  public static final long ZF = 1L << 6;
  public static final long SF = 1L << 7;
  public static final long TF = 1L << 8;
  public static final long IF = 1L << 9;
  public static final long DF = 1L << 10;
  public static final long OF = 1L << 11;
  public static final long AC = 1L << 18;
  public static final long ID = 1L << 21;
  /** The six arithmetic status flags. */
  public static final long STATUS = CF | PF | AF | ZF | SF | OF;
  /** Bit 1 (always 1) and IF (always 1 in user mode): RFLAGS with no other flag set. */
  public static final long FIXED = 0x202L;
  /** The flags a test may set in an initial state: the status flags and DF. */
  public static final long SETTABLE = STATUS | DF;

  private static final String[] NAMES = {
    "CF", "1", "PF", null, "AF", null, "ZF", "SF", "TF", "IF", "DF", "OF", null, null, "NT",
    null, "RF", "VM", "AC", "VIF", "VIP", "ID"
  };

  private RFlags() {}

  /** E.g. {@code "CF ZF SF"}; bit 1 and IF are left out, unknown bits shown as {@code bitN}. */
  public static String names(long flags) {
    StringJoiner j = new StringJoiner(" ");
    for (int bit = 0; bit < 64; bit++) {
      if ((flags & (1L << bit)) == 0 || bit == 1 || bit == 9) {
        continue;
      }
      String n = bit < NAMES.length ? NAMES[bit] : null;
      j.add(n != null ? n : "bit" + bit);
    }
    String s = j.toString();
    return s.isEmpty() ? "-" : s;
  }
}
