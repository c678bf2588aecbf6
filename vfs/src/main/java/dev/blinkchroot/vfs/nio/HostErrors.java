package dev.blinkchroot.vfs.nio;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/** The one place where host exceptions become Linux errnos (the backend boundary). */
final class HostErrors {
  private HostErrors() {}

  static ErrnoException translate(IOException e) {
    return errno(e).exception(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  static Errno errno(IOException e) {
    if (e instanceof NoSuchFileException) {
      return Errno.ENOENT;
    }
    if (e instanceof FileAlreadyExistsException) {
      return Errno.EEXIST;
    }
    if (e instanceof DirectoryNotEmptyException) {
      return Errno.ENOTEMPTY;
    }
    if (e instanceof AccessDeniedException) {
      return Errno.EACCES;
    }
    if (e instanceof NotDirectoryException) {
      return Errno.ENOTDIR;
    }
    if (e instanceof NotLinkException) {
      return Errno.EINVAL;
    }
    if (e instanceof FileSystemLoopException) {
      return Errno.ELOOP;
    }
    // Neither the JDK nor Jimfs has a type for a full disk; both say so in the message.
    String message = e.getMessage();
    if (message != null) {
      String m = message.toLowerCase(Locale.ROOT);
      if (m.contains("no space") || m.contains("out of disk space") || m.contains("disk full")) {
        return Errno.ENOSPC;
      }
      if (m.contains("name too long")) {
        return Errno.ENAMETOOLONG;
      }
      if (m.contains("file too large")) {
        return Errno.EFBIG;
      }
    }
    return Errno.EIO;
  }

  /** A name or target the host cannot spell. */
  static ErrnoException translate(InvalidPathException e) {
    return Errno.EINVAL.exception("host cannot represent: " + e.getMessage());
  }
}
