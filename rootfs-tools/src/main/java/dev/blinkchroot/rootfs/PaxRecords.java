package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Parses the body of a PAX extended header ("%d %s=%s\n" records, pax(1) "pax Extended Header")
 * keeping every value as the exact bytes of the archive. Commons Compress decodes values as
 * UTF-8, which replaces every byte of a non-UTF-8 file name with U+FFFD; GNU tar writes such
 * names raw, with or without "hdrcharset=BINARY".
 */
final class PaxRecords {
  private PaxRecords() {}

  /**
   * Puts the records of {@code body[from, from + size)} into {@code out}, later records
   * replacing earlier ones. An empty value is put as {@code null}: pax(1) says it deletes the
   * keyword (a global default included) for the entry.
   *
   * @throws IOException when the records are not well formed
   */
  static void parse(byte[] body, int from, int size, Map<String, byte[]> out) throws IOException {
    int end = from + size;
    int at = from;
    while (at < end) {
      if (body[at] == '\n') {
        at++; // a blank line between records; Commons Compress skips it too
        continue;
      }
      int space = at;
      long length = 0;
      while (space < end && body[space] >= '0' && body[space] <= '9' && length <= size) {
        length = length * 10 + (body[space] - '0');
        space++;
      }
      if (space == at || space >= end || body[space] != ' ' || length > end - at
          || length < space - at + 3) {
        throw malformed(at - from);
      }
      int recordEnd = at + (int) length;
      int equals = space + 1;
      while (equals < recordEnd && body[equals] != '=') {
        equals++;
      }
      if (equals >= recordEnd - 1 || body[recordEnd - 1] != '\n') {
        throw malformed(at - from);
      }
      String key = new String(body, space + 1, equals - space - 1, UTF_8);
      byte[] value = Arrays.copyOfRange(body, equals + 1, recordEnd - 1);
      out.put(key, value.length == 0 ? null : value);
      at = recordEnd;
    }
  }

  private static IOException malformed(int offset) {
    return new IOException("malformed PAX record at byte " + offset + " of its header");
  }
}
