package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_CLOEXEC;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_DIRECT;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.O_NONBLOCK;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** pipe and pipe2: data, end of file, EPIPE, EAGAIN, capacity, packet mode. */
class PipeSyscallsTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  @Test
  void pipe_writeThenReadInOneThread_works() {
    long fds = k.alloc(8);
    assertEquals(0, k.call("pipe", fds));
    int r = f.int32(fds);
    int w = f.int32(fds + 4);
    assertEquals(3, r);
    assertEquals(4, w);
    assertEquals(5, f.write(w, "hello"));
    assertEquals("hel", f.read(r, 3));
    assertEquals("lo", f.read(r, 10));
    assertEquals(0, k.call("fcntl", r, 3, 0));
    assertEquals(1, k.call("fcntl", w, 3, 0));
  }

  @Test
  void read_afterTheLastWriterCloses_isEndOfFile_afterTheData() {
    int[] p = f.pipe(0);
    int dup = (int) k.call("dup", p[1]);
    f.write(p[1], "tail");
    k.call("close", p[1]);
    f.write(dup, "!");
    k.call("close", dup);
    assertEquals("tail!", f.read(p[0], 10));
    assertEquals("", f.read(p[0], 10));
  }

  @Test
  void write_withNoReader_isEpipe() {
    int[] p = f.pipe(0);
    k.call("close", p[0]);
    assertEquals(err(Errno.EPIPE), f.write(p[1], "x"));
    assertEquals(0, f.write(p[1], ""));
  }

  @Test
  void nonblocking_emptyReadAndFullWrite_areEagain() {
    int[] p = f.pipe(O_NONBLOCK);
    assertEquals(O_NONBLOCK, k.call("fcntl", p[0], 3, 0));
    assertEquals(err(Errno.EAGAIN), k.call("read", p[0], k.alloc(4), 4));
    long big = 0x3000_0000L;
    k.process.memory().map(big, 70000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    assertEquals(65536, k.call("write", p[1], big, 70000)); // as much as fits
    assertEquals(err(Errno.EAGAIN), k.call("write", p[1], big, 1));
    assertEquals(65536, k.call("read", p[0], big, 70000));
  }

  @Test
  void capacity_isSixtyFourKib_andFsetpipeszRoundsToPowersOfTwoPages() {
    int[] p = f.pipe(0);
    assertEquals(65536, k.call("fcntl", p[0], 1032, 0));
    assertEquals(4096, k.call("fcntl", p[0], 1031, 1));
    assertEquals(4096, k.call("fcntl", p[1], 1032, 0));
    assertEquals(131072, k.call("fcntl", p[1], 1031, 70000));
    assertEquals(4096, k.call("fcntl", p[1], 1031, 0));
    assertEquals(err(Errno.EINVAL), k.call("fcntl", p[1], 1031, -1));
  }

  @Test
  void setCapacity_belowTheBufferedData_isEbusy() {
    int[] p = f.pipe(0);
    long big = 0x3000_0000L;
    k.process.memory().map(big, 8192, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    assertEquals(8192, k.call("write", p[1], big, 8192));
    assertEquals(err(Errno.EBUSY), k.call("fcntl", p[1], 1031, 4096));
    assertEquals(8192, k.call("fcntl", p[1], 1031, 8192));
    assertEquals(8192, k.call("read", p[0], big, 8192));
  }

  @Test
  void pipe2_flags_cloexecAndUnknown() {
    int[] p = f.pipe(O_CLOEXEC);
    assertTrue(k.process.fds().closeOnExec(p[0]));
    assertTrue(k.process.fds().closeOnExec(p[1]));
    assertEquals(err(Errno.EINVAL), k.call("pipe2", k.alloc(8), 1));
    assertEquals(err(Errno.EINVAL), k.call("pipe2", k.alloc(8), 0200)); // notification pipe
  }

  @Test
  void pipe_unwritableArray_isEfault_andLeavesNoDescriptors() {
    assertEquals(err(Errno.EFAULT), k.call("pipe", UNMAPPED));
    assertEquals(java.util.List.of(0, 1, 2), k.process.fds().openDescriptors());
  }

  @Test
  void oDirect_isPacketMode_aReadReturnsOnePacket_andDropsTheRest() {
    int[] p = f.pipe(O_DIRECT);
    f.write(p[1], "first");
    f.write(p[1], "second");
    assertEquals("fir", f.read(p[0], 3)); // the rest of "first" is gone
    assertEquals("second", f.read(p[0], 100));
  }

  @Test
  void stat_isAFifo_andProcLinkNamesThePipe() {
    int[] p = f.pipe(0);
    FileDescription d = f.description(p[0]);
    assertEquals(FileType.FIFO, d.stat().type());
    assertEquals(0600, d.stat().permissions());
    assertEquals(d.stat().ino(), f.description(p[1]).stat().ino());
    assertTrue(d.procLink().matches("pipe:\\[\\d+\\]"), d.procLink());
    assertEquals("pipe:[" + d.stat().ino() + "]", d.procLink());
  }

  @Test
  void blockingRead_waitsForAWriterInAnotherThread() throws Exception {
    int[] p = f.pipe(0);
    FileDescription w = f.description(p[1]);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      w.write(ByteBuffer.wrap("late".getBytes()));
    });
    t.start();
    assertEquals("late", f.read(p[0], 10));
    t.join();
  }

  @Test
  void blockingWrite_largerThanTheCapacity_completesAsAReaderDrains() throws Exception {
    int[] p = f.pipe(0);
    FileDescription r = f.description(p[0]);
    int size = 200_000;
    long big = 0x3000_0000L;
    k.process.memory().map(big, size, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    AtomicLong drained = new AtomicLong();
    Thread reader = new Thread(() -> {
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (true) {
        b.clear();
        int n = r.read(b);
        if (n == 0) {
          return;
        }
        drained.addAndGet(n);
      }
    });
    reader.start();
    assertEquals(size, k.call("write", p[1], big, size));
    k.call("close", p[1]);
    reader.join(5000);
    assertEquals(size, drained.get());
  }

  @Test
  void pipeWritesUpToPipeBuf_areAtomic_whenTheRoomIsShort() {
    int[] p = f.pipe(O_NONBLOCK);
    k.call("fcntl", p[1], 1031, 4096);
    f.write(p[1], "x".repeat(4000));
    assertEquals(err(Errno.EAGAIN), f.write(p[1], "y".repeat(200)));
    assertEquals(96, f.write(p[1], "y".repeat(96)));
  }
}
