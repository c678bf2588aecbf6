package dev.blinkchroot.rootfs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Counts the bytes passed through (for error offsets and progress), optionally feeds them to a
 * digest (the cache key is verified while streaming), and remembers the last 512 bytes read so
 * the importer can tell a tar end-of-archive block from a stream cut at a header boundary.
 */
final class CountingInputStream extends FilterInputStream {
  private static final int BLOCK = 512;

  private final MessageDigest digest;
  private final byte[] tail = new byte[BLOCK];
  private int tailLength;
  private long count;
  private boolean sawEnd;

  CountingInputStream(InputStream in, MessageDigest digest) {
    super(in);
    this.digest = digest;
  }

  long count() {
    return count;
  }

  /** True once the stream below returned end of file. */
  boolean sawEnd() {
    return sawEnd;
  }

  /** True if the last 512 bytes read (not skipped) were all zero: a tar end-of-archive block. */
  boolean endsWithZeroBlock() {
    if (tailLength < BLOCK) {
      return false;
    }
    for (byte b : tail) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      sawEnd = true;
      return n;
    }
    count += n;
    if (digest != null) {
      digest.update(b, off, n);
    }
    remember(b, off, n);
    return n;
  }

  private void remember(byte[] b, int off, int n) {
    if (n >= BLOCK) {
      System.arraycopy(b, off + n - BLOCK, tail, 0, BLOCK);
      tailLength = BLOCK;
      return;
    }
    int keep = Math.min(tailLength, BLOCK - n);
    System.arraycopy(tail, tailLength - keep, tail, 0, keep);
    System.arraycopy(b, off, tail, keep, n);
    tailLength = keep + n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (digest != null) {
      // Skipped bytes must still be hashed: read them instead.
      long done = 0;
      byte[] buf = new byte[8192];
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
    long s = in.skip(n);
    count += s;
    return s;
  }

  /**
   * Does nothing: the tar reader closes its input when it reaches the end-of-archive blocks, but
   * the importer still reads on to the compressed stream's end (to check the gzip CRC) and closes
   * the file itself.
   */
  @Override
  public void close() {}

  @Override
  public boolean markSupported() {
    return false;
  }
}
