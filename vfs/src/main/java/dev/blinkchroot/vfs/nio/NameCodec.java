package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;

/**
 * Maps guest file names (bytes) to host file names (strings) and back. A guest name the codec
 * cannot spell gives EINVAL or EILSEQ; a host name that is not one a guest name maps to decodes
 * to null, and the backend hides it.
 */
abstract class NameCodec {
  /** The name of the directory where a store keeps its own files, hidden from the guest. */
  static final String PRIVATE_DIR = ".blink-chroot";

  /** The host name of {@code name}. */
  abstract String toHost(FileName name);

  /** The guest name of {@code hostName}, or null when no guest name maps to it. */
  abstract FileName toGuest(String hostName);

  /**
   * True when the host name is a stand-in (a hash) whose guest name lives only in the sidecar.
   */
  boolean isHashed(String hostName) {
    return false;
  }

  /** Bytes as chars 0-255: lossless on a file system, such as Jimfs unix, that takes any char. */
  static NameCodec latin1() {
    return Latin1.INSTANCE;
  }

  /** UTF-8 names as they are, for a user's directory; anything else is refused. */
  static NameCodec verbatim() {
    return Verbatim.INSTANCE;
  }

  /**
   * Escapes every byte a host could mangle as {@code %XX}, so any guest name survives any host:
   * non-ASCII (no encoding or Unicode normalization can touch it), Windows' forbidden characters
   * and reserved device names, trailing dots and spaces, and, on a case-insensitive host,
   * capital letters (so names differing only in case stay distinct).
   */
  static NameCodec escaping(boolean caseInsensitiveHost) {
    return new Escaping(caseInsensitiveHost);
  }

  private static final class Latin1 extends NameCodec {
    static final Latin1 INSTANCE = new Latin1();

    @Override
    String toHost(FileName name) {
      return new String(name.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Override
    FileName toGuest(String hostName) {
      for (int i = 0; i < hostName.length(); i++) {
        if (hostName.charAt(i) > 0xff) {
          return null;
        }
      }
      return safeName(hostName.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private static final class Verbatim extends NameCodec {
    static final Verbatim INSTANCE = new Verbatim();
    /** The prefix of the scratch names a bind uses on the host; hidden from the guest. */
    static final String SCRATCH_PREFIX = ".blink-chroot~";

    @Override
    String toHost(FileName name) {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(name.bytes()))
            .toString();
      } catch (CharacterCodingException e) {
        throw Errno.EILSEQ.exception("host directory needs UTF-8 names: " + name);
      }
    }

    @Override
    FileName toGuest(String hostName) {
      if (hostName.startsWith(SCRATCH_PREFIX)) {
        return null;
      }
      return safeName(hostName.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final class Escaping extends NameCodec {
    private static final int HOST_NAME_MAX = 255;
    private static final String HASH_PREFIX = "%_";
    private static final Set<String> RESERVED = Set.of(
        "con", "prn", "aux", "nul", "conin$", "conout$",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final boolean caseInsensitive;

    Escaping(boolean caseInsensitive) {
      this.caseInsensitive = caseInsensitive;
    }

    private boolean plain(int b) {
      if (b < 0x20 || b >= 0x7f) {
        return false;
      }
      switch (b) {
        case '%': case '\\': case ':': case '*': case '?': case '"': case '<': case '>': case '|':
        case '/':
          return false;
        default:
          return !(caseInsensitive && b >= 'A' && b <= 'Z');
      }
    }

    @Override
    String toHost(FileName name) {
      int n = name.length();
      byte[] bytes = name.bytes();
      int first = mustEscapeFirst(bytes) ? 0 : -1;
      int last = n - 1;
      boolean escapeLast = bytes[last] == '.' || bytes[last] == ' ';
      boolean allPlain = first < 0 && !escapeLast;
      for (int i = 0; allPlain && i < n; i++) {
        allPlain = plain(bytes[i] & 0xff);
      }
      if (allPlain) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
      StringBuilder sb = new StringBuilder(n + 16);
      for (int i = 0; i < n; i++) {
        int b = bytes[i] & 0xff;
        if (plain(b) && i != first && !(escapeLast && i == last)) {
          sb.append((char) b);
        } else {
          sb.append('%').append(HEX[b >>> 4]).append(HEX[b & 0xf]);
        }
      }
      if (sb.length() > HOST_NAME_MAX) {
        return hashed(bytes);
      }
      return sb.toString();
    }

    /** Reserved device names (also with an extension) and the store's own directory. */
    private static boolean mustEscapeFirst(byte[] bytes) {
      int end = 0;
      while (end < bytes.length && bytes[end] != '.') {
        end++;
      }
      if (end == 0) {
        return bytes.length == PRIVATE_DIR.length()
            && new String(bytes, StandardCharsets.ISO_8859_1).equalsIgnoreCase(PRIVATE_DIR);
      }
      int trimmed = end;
      while (trimmed > 0 && bytes[trimmed - 1] == ' ') {
        trimmed--;
      }
      if (trimmed < 3 || trimmed > 7) {
        return false;
      }
      String base = new String(bytes, 0, trimmed, StandardCharsets.ISO_8859_1);
      return RESERVED.contains(base.toLowerCase(Locale.ROOT));
    }

    private static String hashed(byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        StringBuilder sb = new StringBuilder(HASH_PREFIX);
        for (byte d : digest) {
          sb.append(HEX[(d >>> 4) & 0xf]).append(HEX[d & 0xf]);
        }
        return sb.toString();
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError("SHA-256 is required of every JVM", e);
      }
    }

    @Override
    boolean isHashed(String hostName) {
      return hostName.startsWith(HASH_PREFIX);
    }

    @Override
    FileName toGuest(String hostName) {
      int n = hostName.length();
      byte[] out = new byte[n];
      int len = 0;
      for (int i = 0; i < n; i++) {
        char c = hostName.charAt(i);
        if (c == '%') {
          if (i + 2 >= n) {
            return null;
          }
          int hi = Character.digit(hostName.charAt(i + 1), 16);
          int lo = Character.digit(hostName.charAt(i + 2), 16);
          if (hi < 0 || lo < 0) {
            return null;
          }
          out[len++] = (byte) (hi << 4 | lo);
          i += 2;
        } else if (c < 0x80) {
          out[len++] = (byte) c;
        } else {
          return null;
        }
      }
      FileName name = safeName(java.util.Arrays.copyOf(out, len));
      // Only the canonical spelling is ours; anything else was put there by someone else.
      return name != null && toHost(name).equals(hostName) ? name : null;
    }
  }

  private static FileName safeName(byte[] bytes) {
    try {
      FileName name = FileName.of(bytes);
      return name.isDot() || name.isDotDot() ? null : name;
    } catch (ErrnoException e) {
      return null;
    }
  }
}
