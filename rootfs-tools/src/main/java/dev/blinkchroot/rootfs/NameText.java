package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * A file name (any bytes) for a message: UTF-8 where it is valid, every other byte and every
 * control character as {@code \xNN}, a backslash doubled. Two different names never look the
 * same, and a message stays one line whatever the archive holds.
 */
final class NameText {
  private NameText() {}

  static String of(byte[] name) {
    CharsetDecoder decoder = UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(name);
    CharBuffer chars = CharBuffer.allocate(name.length);
    StringBuilder out = new StringBuilder(name.length + 8);
    while (true) {
      CoderResult r = decoder.decode(in, chars, true);
      append(out, chars.flip());
      chars.clear();
      if (r.isUnderflow()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        hex(out, in.get());
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, CharBuffer chars) {
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (c < 0x20 || c == 0x7f) {
        hex(out, (byte) c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else {
        out.append(c);
      }
    }
  }

  private static void hex(StringBuilder out, byte b) {
    out.append(String.format("\\x%02X", b & 0xff));
  }
}
