package dev.blinkchroot.rootfs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the header chain of one tar entry from the exact archived bytes ({@link HeaderTap}):
 * PAX extended headers ('x', and Solaris's 'X'), GNU long names ('L', 'K'), then the entry's own
 * header. It keeps what Commons Compress cannot give back intact: names and link targets as
 * bytes, PAX values as bytes (xattr values are binary), and owner ids wider than an int. Global
 * PAX headers ('g') are remembered across entries, as pax(1) says they apply to all that follow.
 *
 * <p>hdrcharset is not consulted: path and linkpath bytes are the name either way. With
 * hdrcharset=BINARY they are raw by definition; without it pax(1) has them UTF-8, to be
 * translated into the locale's codeset, and a Linux guest's names are bytes already in that
 * codeset (musl knows no other than UTF-8). GNU tar 1.34 writes names that are not UTF-8 raw
 * without hdrcharset, and extracts them as they are.
 */
final class HeaderChain {
  private static final int BLOCK = 512;
  private static final int TYPE = 156;
  private static final byte[] LONG_LINK = "././@LongLink".getBytes(ISO_8859_1);

  /** A header chain that does not hold together; the message says how. */
  static final class BadHeader extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Where the offending header starts, counted from the start of the chain. */
    final int at;

    BadHeader(String message, int at) {
      super(message, null, false, false);
      this.at = at;
    }
  }

  /**
   * One entry as archived.
   *
   * @param name the name from a GNU.sparse.name or path record or a GNU long name; null when the
   *     entry's own header holds it (the importer then takes Commons Compress's ISO-8859-1
   *     decoding of it, which is byte-exact)
   * @param linkName the same for the link target (linkpath, GNU long link)
   * @param pax the PAX records in force: global ones overridden by the entry's own
   * @param header the entry's own 512-byte header
   */
  record Entry(byte[] name, byte[] linkName, Map<String, byte[]> pax, byte[] header) {}

  private final Map<String, byte[]> globals = new HashMap<>();

  /**
   * Reads the chain {@code chain} starts with (the bytes the tar reader read for one entry).
   *
   * @param overflowed true when the recording was cut at {@link HeaderTap#LIMIT}
   * @throws BadHeader when the chain is malformed or longer than the recording
   */
  Entry read(byte[] chain, boolean overflowed) {
    Map<String, byte[]> local = new HashMap<>();
    byte[] longName = null;
    byte[] longLink = null;
    int at = 0;
    while (true) {
      need(chain, at, BLOCK, overflowed);
      byte type = chain[at + TYPE];
      // Commons Compress takes 'L' and 'K' for long names only under this name; so do we.
      boolean gnuLong = (type == 'L' || type == 'K')
          && Arrays.equals(cString(chain, at, 100), LONG_LINK);
      if (type != 'x' && type != 'X' && !gnuLong) {
        return entry(chain, at, local, longName, longLink, overflowed);
      }
      int body = at + BLOCK;
      int size = bodySize(chain, at, overflowed);
      if (type == 'L') {
        longName = cString(chain, body, size);
      } else if (type == 'K') {
        longLink = cString(chain, body, size);
      } else {
        parsePax(chain, body, size, local, at);
      }
      at = body + roundUp(size);
    }
  }

  /** The entry whose own header is at {@code at}; a global header updates the globals first. */
  private Entry entry(byte[] chain, int at, Map<String, byte[]> local, byte[] longName,
      byte[] longLink, boolean overflowed) {
    if (chain[at + TYPE] == 'g') {
      Map<String, byte[]> g = new HashMap<>();
      parsePax(chain, at + BLOCK, bodySize(chain, at, overflowed), g, at);
      overlay(globals, g);
    }
    Map<String, byte[]> pax = new HashMap<>(globals);
    overlay(pax, local);
    // GNU tar's PAX sparse formats put the real name in GNU.sparse.name and a made-up
    // GNUSparseFile.N/... one in path; GNU tar and Commons Compress both let the former win.
    return new Entry(first(pax.get("GNU.sparse.name"), pax.get("path"), longName),
        first(pax.get("linkpath"), longLink), pax, Arrays.copyOfRange(chain, at, at + BLOCK));
  }

  /** Puts {@code records} into {@code into}; a null value (an empty record) deletes the key. */
  private static void overlay(Map<String, byte[]> into, Map<String, byte[]> records) {
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      if (r.getValue() == null) {
        into.remove(r.getKey());
      } else {
        into.put(r.getKey(), r.getValue());
      }
    }
  }

  private static void parsePax(byte[] chain, int body, int size, Map<String, byte[]> out,
      int at) {
    try {
      PaxRecords.parse(chain, body, size, out);
    } catch (IOException e) {
      throw new BadHeader(e.getMessage(), at);
    }
  }

  /** The size field of the header at {@code at}, checked to lie within the recording. */
  private static int bodySize(byte[] chain, int at, boolean overflowed) {
    long size;
    try {
      size = number(chain, at + 124, 12);
    } catch (IOException e) {
      throw new BadHeader("bad size field", at);
    }
    if (size < 0) {
      throw new BadHeader("bad size field", at);
    }
    if (size > HeaderTap.LIMIT) {
      throw tooLarge(at);
    }
    need(chain, at + BLOCK, (int) size, overflowed);
    return (int) size;
  }

  private static void need(byte[] chain, int from, int length, boolean overflowed) {
    if ((long) from + length > chain.length) {
      throw overflowed ? tooLarge(from) : new BadHeader("header chain cut short", from);
    }
  }

  private static BadHeader tooLarge(int at) {
    return new BadHeader("extended header larger than " + (HeaderTap.LIMIT >> 20) + " MiB", at);
  }

  private static int roundUp(int size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  @SafeVarargs
  private static <T> T first(T... candidates) {
    for (T c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /** The bytes of {@code b[from, from + max)} up to the first NUL. */
  static byte[] cString(byte[] b, int from, int max) {
    int end = from;
    while (end < from + max && b[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(b, from, end);
  }

  /**
   * A numeric header field as GNU tar writes it: octal digits (leading spaces allowed, ended by
   * NUL or space), or, when the first byte has its high bit set, base-256 (the 0x80 bit marks
   * it, the 0x40 bit is the sign, the rest is big-endian two's complement).
   *
   * @throws IOException when the value is malformed or does not fit in a long
   */
  static long number(byte[] h, int off, int len) throws IOException {
    int first = h[off] & 0xff;
    try {
      if ((first & 0x80) != 0) {
        long v = (first & 0x3f) - (first & 0x40);
        for (int i = off + 1; i < off + len; i++) {
          v = Math.addExact(Math.multiplyExact(v, 256), h[i] & 0xff);
        }
        return v;
      }
    } catch (ArithmeticException e) {
      throw new IOException("base-256 number does not fit in 64 bits");
    }
    int i = off;
    int end = off + len;
    while (i < end && h[i] == ' ') {
      i++;
    }
    long v = 0;
    for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
      if (h[i] < '0' || h[i] > '7') {
        throw new IOException("non-octal byte in a numeric field");
      }
      v = v * 8 + (h[i] - '0'); // at most 12 digits: 36 bits, no overflow
    }
    return v;
  }
}
