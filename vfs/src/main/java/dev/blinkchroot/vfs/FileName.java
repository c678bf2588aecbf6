package dev.blinkchroot.vfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One path component as the bytes Linux keeps: never empty, no '/' and no NUL, at most 255
 * bytes. File names need not be UTF-8; a name that is not survives every layer unchanged.
 */
public final class FileName implements Comparable<FileName> {
  /** NAME_MAX from {@code linux/limits.h}. */
  public static final int NAME_MAX = 255;

  public static final FileName DOT = new FileName(new byte[] {'.'});
  public static final FileName DOT_DOT = new FileName(new byte[] {'.', '.'});

  private final byte[] bytes;
  private final int hash;

  private FileName(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The name made of {@code bytes[from, to)}.
   *
   * @throws ErrnoException ENAMETOOLONG over 255 bytes; EINVAL when empty or holding '/' or NUL
   */
  public static FileName of(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length > NAME_MAX) {
      throw Errno.ENAMETOOLONG.exception();
    }
    if (length == 0) {
      throw Errno.EINVAL.exception("empty file name");
    }
    if (length == 1 && bytes[from] == '.') {
      return DOT;
    }
    if (length == 2 && bytes[from] == '.' && bytes[from + 1] == '.') {
      return DOT_DOT;
    }
    for (int i = from; i < to; i++) {
      if (bytes[i] == '/' || bytes[i] == 0) {
        throw Errno.EINVAL.exception("'/' or NUL in a file name");
      }
    }
    return new FileName(Arrays.copyOfRange(bytes, from, to));
  }

  public static FileName of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /** The name of this Java string's UTF-8 bytes. */
  public static FileName of(String name) {
    return of(name.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  /** Copies the name into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, bytes.length);
  }

  public boolean isDot() {
    return this == DOT;
  }

  public boolean isDotDot() {
    return this == DOT_DOT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileName && ((FileName) o).hash == hash
        && Arrays.equals(((FileName) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Unsigned byte order, as {@code strcmp} and {@code ls} in the C locale sort. */
  @Override
  public int compareTo(FileName other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /** The name for messages: UTF-8 where valid, undecodable bytes replaced. */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
