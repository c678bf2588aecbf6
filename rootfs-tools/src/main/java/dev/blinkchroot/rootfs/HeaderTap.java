package dev.blinkchroot.rootfs;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Sits under the tar reader and records the bytes it reads while armed: the importer arms it
 * around each {@code getNextEntry()}, so the recording holds the entry's whole header chain
 * (PAX and GNU long-name headers included) exactly as archived, which {@link HeaderChain} then
 * reads for what Commons Compress turns into lossy Java strings.
 */
final class HeaderTap extends FilterInputStream {
  private static final int BLOCK = 512;
  /**
   * Recording stops here. Only header chains are needed, and no real archive has a PAX header
   * anywhere near this big; the cap keeps a hostile one from doubling the tar reader's memory.
   */
  static final int LIMIT = 16 << 20;

  private final byte[] scratch = new byte[8192];
  private ByteArrayOutputStream recording;
  private long offset;
  private long armedAt;
  private long chainStart;
  private boolean overflowed;

  HeaderTap(InputStream in) {
    super(in);
  }

  void arm() {
    recording = new ByteArrayOutputStream();
    armedAt = offset;
    overflowed = false;
  }

  /**
   * Stops recording and returns what was read since {@link #arm}, from the first 512-byte
   * boundary on: the bytes before it are the padding that ends the previous entry's data.
   */
  byte[] disarm() {
    byte[] all = recording.toByteArray();
    recording = null;
    int padding = (int) ((BLOCK - armedAt % BLOCK) % BLOCK);
    chainStart = armedAt + padding;
    return all.length <= padding ? new byte[0] : Arrays.copyOfRange(all, padding, all.length);
  }

  /** Where the bytes the last {@link #disarm} returned start in the stream read. */
  long chainStart() {
    return chainStart;
  }

  /** True if the last recording stopped at {@link #LIMIT}, so it may lack the chain's end. */
  boolean overflowed() {
    return overflowed;
  }

  @Override
  public int read() throws IOException {
    int n = read(scratch, 0, 1);
    return n <= 0 ? -1 : scratch[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      offset += n;
      if (recording != null) {
        int room = LIMIT - recording.size();
        overflowed |= n > room;
        recording.write(b, off, Math.min(n, room));
      }
    }
    return n;
  }

  /** While armed, skipped bytes are read instead, so padding and headers are all recorded. */
  @Override
  public long skip(long n) throws IOException {
    if (recording == null) {
      long s = in.skip(n);
      offset += s;
      return s;
    }
    long done = 0;
    while (done < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
