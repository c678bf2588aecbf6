package dev.blinkchroot.runner.fs;

import java.io.ByteArrayOutputStream;

/**
 * GNU stat's default quoting of %N (the "shell-escape" style, simplified): a name with no
 * character special to the shell is shown as is, anything else in single quotes.
 */
final class ShellQuote {
  private static final String SPECIAL = " \t\n!\"#$&'()*;<>?[\\]^`{|}~";

  private ShellQuote() {}

  static byte[] quote(byte[] name) {
    if (!needsQuotes(name)) {
      return name;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(name.length + 2);
    out.write('\'');
    for (byte b : name) {
      if (b == '\'') {
        out.writeBytes(new byte[] {'\'', '\\', '\'', '\''});
      } else {
        out.write(b);
      }
    }
    out.write('\'');
    return out.toByteArray();
  }

  private static boolean needsQuotes(byte[] name) {
    if (name.length == 0) {
      return true;
    }
    for (byte b : name) {
      if (b >= 0 && (b < 0x20 || b == 0x7f || SPECIAL.indexOf(b) >= 0)) {
        return true;
      }
    }
    return false;
  }
}
