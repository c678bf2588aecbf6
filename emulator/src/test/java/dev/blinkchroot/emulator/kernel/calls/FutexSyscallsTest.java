package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.GuestStructs.err;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.vfs.Errno;
import org.junit.jupiter.api.Test;

/** futex(2) argument checks and the single-thread cases (waits with other threads: FutexesTest). */
class FutexSyscallsTest {
  private final KernelFixture k = new KernelFixture();
  private final long word = GuestStructs.ints(k, 7, 0);

  @Test
  void wait_whenTheWordIsNotVal_isEagain() {
    assertEquals(err(Errno.EAGAIN), k.call("futex", word, FutexSyscalls.FUTEX_WAIT, 6, 0, 0, 0));
  }

  @Test
  void wait_withATimeout_isEtimedout() {
    long tenMs = GuestStructs.longs(k, 0, 10_000_000);
    assertEquals(err(Errno.ETIMEDOUT), k.call("futex", word,
        FutexSyscalls.FUTEX_WAIT | FutexSyscalls.FUTEX_PRIVATE_FLAG, 7, tenMs, 0, 0));
  }

  @Test
  void wake_withNobodyWaiting_isZero() {
    assertEquals(0, k.call("futex", word, FutexSyscalls.FUTEX_WAKE, 1, 0, 0, 0));
  }

  @Test
  void errors_asTheManPageLists() {
    assertEquals(err(Errno.EINVAL), k.call("futex", word + 2, FutexSyscalls.FUTEX_WAKE, 1, 0, 0,
        0), "misaligned");
    assertEquals(err(Errno.EFAULT), k.call("futex", GuestStructs.BAD, FutexSyscalls.FUTEX_WAIT,
        0, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("futex", word, FutexSyscalls.FUTEX_WAKE_BITSET, 1, 0,
        0, 0), "bitset 0");
    assertEquals(err(Errno.ENOSYS), k.call("futex", word,
        FutexSyscalls.FUTEX_WAKE | FutexSyscalls.FUTEX_CLOCK_REALTIME, 1, 0, 0, 0));
    assertEquals(err(Errno.EINVAL), k.call("futex", word, FutexSyscalls.FUTEX_WAIT, 7,
        GuestStructs.longs(k, 0, 1_000_000_000L), 0, 0), "tv_nsec out of range");
  }
}
