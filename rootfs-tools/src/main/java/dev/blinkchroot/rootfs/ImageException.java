package dev.blinkchroot.rootfs;

/**
 * A rootfs that cannot be opened or imported. The message is one line meant for the user: it
 * names the file and, where known, the entry or byte offset where the input broke.
 */
public final class ImageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ImageException(String message) {
    super(message);
  }

  ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
