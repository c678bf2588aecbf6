package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.kernel.tty.HostStreams;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's standard streams as guest descriptors: pipes or terminals. */
class HostStreamsTest {
  @TempDir
  Path tmp;

  @Test
  void pipeStream_statsAsAFifo_andTerminalIoctlsAreEnotty() {
    KernelFixture k = new KernelFixture();
    FileDescription in = new HostStreams.Stream(0, false, null);
    int fd = k.process.fds().add(in, false);
    assertEquals(FileType.FIFO, in.stat().type());
    assertEquals(Fcntl.O_RDONLY, in.flags());
    long buf = k.alloc(64);
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, 0x5401, buf));
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, 0x5413, buf));
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, 0x540f, buf));
    assertEquals(err(Errno.EBADF), k.call("write", fd, buf, 1));
    assertEquals(err(Errno.ESPIPE), k.call("lseek", fd, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("fsync", fd));
  }

  @Test
  void outputStream_writesThrough_withoutFlushOrClose() throws Exception {
    Path file = tmp.resolve("out");
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      KernelFixture k = new KernelFixture();
      FileDescription d = new HostStreams.Stream(1, false, out);
      int fd = k.process.fds().add(d, false);
      long text = k.string("hello, host\n");
      assertEquals(12, k.call("write", fd, text, 12));
      assertEquals("hello, host\n", Files.readString(file));
      assertEquals(err(Errno.EBADF), k.call("read", fd, k.alloc(4), 4));
      assertEquals(Fcntl.O_WRONLY, d.flags());
      k.call("close", fd);
      assertEquals(5, d.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII))));
    }
  }

  @Test
  void outputStream_hostFailure_isEio() throws Exception {
    FileOutputStream out = new FileOutputStream(tmp.resolve("x").toFile());
    out.close();
    FileDescription d = new HostStreams.Stream(1, false, out);
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> d.write(ByteBuffer.wrap(new byte[] {1})));
    assertEquals(Errno.EIO, e.errno());
  }

  @Test
  void terminalStream_isACharacterDevice_withTermiosAndWindowSize() {
    KernelFixture k = new KernelFixture();
    FileDescription tty = new HostStreams.Stream(2, true, null);
    int fd = k.process.fds().add(tty, false);
    Stat st = tty.stat();
    assertEquals(FileType.CHARACTER_DEVICE, st.type());
    assertEquals(136, Stat.major(st.rdev()));
    assertEquals(Fcntl.O_RDWR, tty.flags());
    assertEquals("/dev/pts/0", tty.procLink());
    long termios = k.alloc(36);
    assertEquals(0, k.call("ioctl", fd, 0x5401, termios));
    ByteBuffer t = ByteBuffer.wrap(k.read(termios, 36)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x8a3b, t.getInt(12) & 0xffff); // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
    assertEquals(3, t.get(17)); // VINTR ^C
    assertEquals(0, k.call("ioctl", fd, 0x5402, termios));
    long ws = k.alloc(8);
    assertEquals(0, k.call("ioctl", fd, 0x5413, ws));
    ByteBuffer w = ByteBuffer.wrap(k.read(ws, 8)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(System.getenv("LINES") == null ? 24 : w.getShort(0), w.getShort(0));
    assertEquals(System.getenv("COLUMNS") == null ? 80 : w.getShort(2), w.getShort(2));
    long pgrp = k.alloc(4);
    assertEquals(0, k.call("ioctl", fd, 0x540f, pgrp));
    assertEquals(1, k.process.memory().read32(pgrp));
    assertEquals(err(Errno.EFAULT), k.call("ioctl", fd, 0x5401, FileCalls.UNMAPPED));
    assertEquals(err(Errno.ENOTTY), k.call("ioctl", fd, 0x1234, 0));
  }

  @Test
  void factories_giveDescriptorsZeroOneTwo_inTheRightDirections() {
    FileDescription in = HostStreams.stdin();
    FileDescription out = HostStreams.stdout();
    FileDescription errStream = HostStreams.stderr();
    int inAcc = in.flags() & Fcntl.O_ACCMODE;
    assertEquals(true, inAcc == Fcntl.O_RDONLY || inAcc == Fcntl.O_RDWR);
    assertEquals(true, (out.flags() & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY);
    assertEquals(true, (errStream.flags() & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY);
    out.close(); // never closes the host's descriptor
    errStream.close();
  }
}
