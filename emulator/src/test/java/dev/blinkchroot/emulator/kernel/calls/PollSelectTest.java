package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.FileCalls.UNMAPPED;
import static dev.blinkchroot.emulator.kernel.calls.FileCalls.err;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.fdSet;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.first;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.invoke;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.isSet;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.pair;
import static dev.blinkchroot.emulator.kernel.calls.PollCallsSupport.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/**
 * select and pselect6: fd_set round trips, counting, EBADF/EINVAL/EFAULT, the timeval and
 * timespec updated with the time left, and pselect6's sigset argument pack. Expected values are
 * those of a native Linux 6.x run of the same calls.
 */
class PollSelectTest {
  private final FileCalls f = new FileCalls();
  private final KernelFixture k = f.k;

  private long select(long n, long in, long out, long ex, long tv) {
    return invoke(k.task, PollSyscalls::select, n, in, out, ex, tv);
  }

  private long pselect6(long n, long in, long out, long ex, long ts, long sig) {
    return invoke(k.task, PollSyscalls::pselect6, n, in, out, ex, ts, sig);
  }

  @Test
  void select_readAndWriteSets_roundTrip_andZeroTimevalIsLeftAlone() {
    int[] p = f.pipe(0);
    f.write(p[1], "z");
    long rs = fdSet(k, 128, p[0]);
    long ws = fdSet(k, 128, p[1]);
    long tv = pair(k, 0, 0);
    assertEquals(2, select(p[1] + 1, rs, ws, 0, tv));
    assertTrue(isSet(k, rs, p[0]));
    assertTrue(isSet(k, ws, p[1]));
    assertEquals(0, first(k, tv));
    assertEquals(0, second(k, tv));
  }

  @Test
  void select_timeout_clearsTheSets_returnsZero_andTheTimevalBecomesZero() {
    int[] p = f.pipe(0);
    long rs = fdSet(k, 128, p[0]);
    long tv = pair(k, 0, 10_000);
    long start = System.nanoTime();
    assertEquals(0, select(p[0] + 1, rs, 0, 0, tv));
    assertTrue(System.nanoTime() - start >= 10_000_000L);
    assertFalse(isSet(k, rs, p[0]));
    assertEquals(0, first(k, tv));
    assertEquals(0, second(k, tv));
  }

  @Test
  void select_timevalUpdatedWithTheTimeLeft_andMicrosecondsNormalized() {
    int[] p = f.pipe(0);
    f.write(p[1], "x");
    long rs = fdSet(k, 8, p[0]);
    long tv = pair(k, 0, 2_000_000); // 2 s written as microseconds: Linux accepts it
    assertEquals(1, select(p[0] + 1, rs, 0, 0, tv));
    assertEquals(1, first(k, tv));
    assertTrue(second(k, tv) > 500_000 && second(k, tv) < 1_000_000, "usec " + second(k, tv));
  }

  @Test
  void select_descriptorInSeveralSets_countsOncePerSet_andPollerrIsReadableAndWritable() {
    int[] p = f.pipe(0);
    k.call("close", p[0]);
    long rs = fdSet(k, 8, p[1]);
    long ws = fdSet(k, 8, p[1]);
    long es = fdSet(k, 8, p[1]);
    assertEquals(2, select(p[1] + 1, rs, ws, es, pair(k, 0, 0)));
    assertTrue(isSet(k, rs, p[1]));
    assertTrue(isSet(k, ws, p[1]));
    assertFalse(isSet(k, es, p[1]), "nothing is exceptional without POLLPRI");
  }

  @Test
  void select_writerClosed_isReadable() {
    int[] p = f.pipe(0);
    k.call("close", p[1]);
    long rs = fdSet(k, 8, p[0]);
    assertEquals(1, select(p[0] + 1, rs, 0, 0, 0));
    assertTrue(isSet(k, rs, p[0]));
  }

  @Test
  void select_regularFile_isReadyEverywhereButExceptions() {
    int fd = f.file("f", "data");
    long rs = fdSet(k, 8, fd);
    long ws = fdSet(k, 8, fd);
    long es = fdSet(k, 8, fd);
    assertEquals(2, select(fd + 1, rs, ws, es, 0));
    assertTrue(isSet(k, rs, fd));
    assertTrue(isSet(k, ws, fd));
    assertFalse(isSet(k, es, fd));
  }

  @Test
  void select_setBitOnAClosedDescriptor_isEbadf_withinTheDescriptorTable() {
    assertEquals(err(Errno.EBADF), select(41, fdSet(k, 128, 40), 0, 0, pair(k, 0, 0)));
    // Bits past the table (64 slots until a higher descriptor is used) are not looked at, as on
    // Linux (a native run of examples/c/poll.c gives 0 for fd 90 in a fresh process).
    assertEquals(0, select(91, fdSet(k, 128, 90), 0, 0, pair(k, 0, 0)));
    k.process.fds().dupTo(0, 100, false);
    assertEquals(err(Errno.EBADF), select(121, 0, fdSet(k, 256, 120), 0, pair(k, 0, 0)));
  }

  @Test
  void select_bitsAtOrPastNfds_areIgnored() {
    int[] p = f.pipe(0);
    long rs = fdSet(k, 128, p[0], 10, 90);
    assertEquals(0, select(p[0] + 1, rs, 0, 0, pair(k, 0, 0)));
    assertFalse(isSet(k, rs, 10), "the word holding the nfds bits is written back cleared");
    assertTrue(isSet(k, rs, 90), "words past nfds are neither read nor written");
  }

  @Test
  void select_negativeNfds_isEinval_andNegativeTimevalFieldsAreEinval() {
    assertEquals(err(Errno.EINVAL), select(-1, 0, 0, 0, pair(k, 0, 0)));
    assertEquals(err(Errno.EINVAL), select(0, 0, 0, 0, pair(k, 0, -1)));
    assertEquals(err(Errno.EINVAL), select(0, 0, 0, 0, pair(k, -1, 0)));
  }

  @Test
  void select_badPointers_areEfault_butNothingIsReadForZeroNfds() {
    assertEquals(err(Errno.EFAULT), select(1, UNMAPPED, 0, 0, pair(k, 0, 0)));
    assertEquals(0, select(0, UNMAPPED, 0, 0, pair(k, 0, 0)));
    assertEquals(err(Errno.EFAULT), select(0, 0, 0, 0, UNMAPPED));
    assertEquals(err(Errno.EFAULT), select(1, 0, 0, UNMAPPED, pair(k, 0, 0)));
  }

  @Test
  void select_nfdsAboveTheDescriptorLimit_isCutDown() {
    long tv = pair(k, 0, 0);
    assertEquals(0, select(100_000, 0, 0, 0, tv));
    long rs = fdSet(k, 256, 0);
    assertEquals(1, select(2000, rs, 0, 0, tv)); // fd 0 (the fixture's stdin) is readable
  }

  @Test
  void pselect6_timespecUpdated_andSigsetPackChecked() {
    int[] p = f.pipe(0);
    long rs = fdSet(k, 8, p[0]);
    long ts = pair(k, 0, 15_000_000);
    long mask = k.bytes(new byte[] {4, 0, 0, 0, 0, 0, 0, 0});
    long start = System.nanoTime();
    assertEquals(0, pselect6(p[0] + 1, rs, 0, 0, ts, pair(k, mask, 8)));
    assertTrue(System.nanoTime() - start >= 15_000_000L);
    assertEquals(0, first(k, ts));
    assertEquals(0, second(k, ts));
    assertEquals(0, k.task.signalMask(), "the mask is restored");
    assertEquals(err(Errno.EINVAL), pselect6(0, 0, 0, 0, pair(k, 0, 0), pair(k, mask, 4)));
    assertEquals(0, pselect6(0, 0, 0, 0, pair(k, 0, 0), pair(k, 0, 4)));
    assertEquals(err(Errno.EFAULT), pselect6(0, 0, 0, 0, pair(k, 0, 0), UNMAPPED));
    assertEquals(err(Errno.EFAULT), pselect6(0, 0, 0, 0, pair(k, 0, 0), pair(k, UNMAPPED, 8)));
    assertEquals(err(Errno.EINVAL), pselect6(0, 0, 0, 0, pair(k, 0, 1_000_000_000), 0));
    f.write(p[1], "d");
    rs = fdSet(k, 8, p[0]); // the timeout above cleared the set
    assertEquals(1, pselect6(p[0] + 1, rs, 0, 0, 0, 0));
    assertTrue(isSet(k, rs, p[0]));
  }
}
