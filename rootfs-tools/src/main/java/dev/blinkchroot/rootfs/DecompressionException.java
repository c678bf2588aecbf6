package dev.blinkchroot.rootfs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An error of the decompression layer, told apart from the tar layer's own errors so the message
 * can say "corrupt gzip data" rather than "corrupt tar header". {@link Guard} tags them.
 */
final class DecompressionException extends IOException {
  private static final long serialVersionUID = 1L;

  DecompressionException(Throwable cause) {
    super(cause.getMessage(), cause);
  }

  /** Wraps a decompressor so that whatever it throws arrives as a DecompressionException. */
  static final class Guard extends FilterInputStream {
    Guard(InputStream decompressor) {
      super(decompressor);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException | RuntimeException e) {
        throw new DecompressionException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw new DecompressionException(e);
      }
    }

    /**
     * Does nothing: SequenceInputStream closes a stream on reaching its end, but the importer
     * reads on to check the trailer, and closes the decompressor itself with {@link #release}.
     */
    @Override
    public void close() {}

    void release() throws IOException {
      in.close();
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException | RuntimeException e) {
        throw new DecompressionException(e);
      }
    }
  }
}
