package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.vfs.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class HostErrorsTest {
  @Test
  void translate_mapsHostExceptionsToLinuxErrnos() {
    assertEquals(Errno.ENOENT, HostErrors.translate(new NoSuchFileException("x")).errno());
    assertEquals(Errno.EEXIST, HostErrors.translate(new FileAlreadyExistsException("x")).errno());
    assertEquals(Errno.ENOTEMPTY,
        HostErrors.translate(new DirectoryNotEmptyException("x")).errno());
    assertEquals(Errno.EACCES, HostErrors.translate(new AccessDeniedException("x")).errno());
    assertEquals(Errno.ENOTDIR, HostErrors.translate(new NotDirectoryException("x")).errno());
    assertEquals(Errno.ENOSPC,
        HostErrors.translate(new FileSystemException("x", null, "No space left on device"))
            .errno());
    assertEquals(Errno.ENOSPC, HostErrors.translate(new IOException("out of disk space")).errno());
    assertEquals(Errno.EIO, HostErrors.translate(new IOException("weird")).errno());
    assertEquals(Errno.EIO, HostErrors.translate(new IOException()).errno());
    assertEquals(Errno.EINVAL,
        HostErrors.translate(new InvalidPathException("a:b", "Illegal char")).errno());
  }
}
