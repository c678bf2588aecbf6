package dev.blinkchroot.rootfs;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The compression around a tar stream, told from its magic bytes (never from the file name, which
 * may lie), and the test that decides whether a 512-byte block is a tar header.
 */
enum ArchiveFormat {
  TAR("tar"),
  GZIP("gzip"),
  XZ("xz"),
  BZIP2("bzip2");

  /** How many leading bytes {@link #detect} needs. */
  static final int MAGIC_LENGTH = 6;

  private final String label;

  ArchiveFormat(String label) {
    this.label = label;
  }

  /** The name used in messages ("gzip data", "xz data"). */
  String label() {
    return label;
  }

  boolean compressed() {
    return this != TAR;
  }

  /**
   * The compression named by the first bytes of a file; TAR when they are no known compressor's
   * magic (whether it really is tar is decided on the first header). Throws an
   * {@link IllegalArgumentException} with the reason for formats we recognise but refuse.
   */
  static ArchiveFormat detect(byte[] head, int length) {
    if (starts(head, length, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (starts(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (starts(head, length, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (starts(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
      throw new IllegalArgumentException(
          "zstd-compressed archives are not supported (use tar, tar.gz, tar.xz or tar.bz2)");
    }
    if (starts(head, length, 'P', 'K', 3, 4)) {
      throw new IllegalArgumentException("a zip archive, not a tar archive");
    }
    if (starts(head, length, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) {
      throw new IllegalArgumentException("a 7z archive, not a tar archive");
    }
    return TAR;
  }

  private static boolean starts(byte[] head, int length, int... magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Wraps {@code in} in this format's decompressor; concatenated streams are read as gzip -d does. */
  InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GzipCompressorInputStream(in, true);
      case XZ:
        return new XZCompressorInputStream(in, true);
      case BZIP2:
        return new BZip2CompressorInputStream(in, true);
      default:
        return in;
    }
  }

  /**
   * True if {@code block} (512 bytes) is a tar header: its checksum field matches the sum of its
   * bytes with that field counted as spaces (POSIX ustar; historic tars summed signed bytes, so
   * both sums are accepted). This recognises v7, ustar, GNU and PAX archives alike.
   */
  static boolean isTarHeader(byte[] block, int length) {
    if (length < 512) {
      return false;
    }
    long stored = parseOctal(block, 148, 8);
    if (stored < 0) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    return stored == unsigned || stored == signed;
  }

  /** True if all of the first {@code length} bytes are zero (an end-of-archive block). */
  static boolean isZeroBlock(byte[] block, int length) {
    for (int i = 0; i < length; i++) {
      if (block[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An octal field, leading spaces and trailing NUL/space allowed; -1 if malformed or empty. */
  private static long parseOctal(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && b[i] == ' ') {
      i++;
    }
    long v = 0;
    int digits = 0;
    for (; i < end; i++) {
      int c = b[i];
      if (c >= '0' && c <= '7') {
        v = v * 8 + (c - '0');
        digits++;
      } else if (c == 0 || c == ' ') {
        break;
      } else {
        return -1;
      }
    }
    return digits == 0 ? -1 : v;
  }
}
