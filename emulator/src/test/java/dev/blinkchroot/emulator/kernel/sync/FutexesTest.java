package dev.blinkchroot.emulator.kernel.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The futex table: the compare, wake counts and bitsets, requeue, timeouts. */
class FutexesTest {
  private final Futexes futexes = new Futexes();
  private final Object space = new Object();
  private final Futexes.Key key = new Futexes.Key(space, 0x1000);
  private final Futexes.Key other = new Futexes.Key(space, 0x2000);
  private final AtomicInteger word = new AtomicInteger();

  /** A waiter on its own thread, started once it is queued. */
  private CompletableFuture<Waiter.Result> waiter(Futexes.Key on, int bitset) throws Exception {
    int before = queued(on);
    // A thread each: the common pool may have a single worker on a small machine.
    CompletableFuture<Waiter.Result> f = CompletableFuture.supplyAsync(
        () -> futexes.await(on, word::get, 0, bitset, Waiter.FOREVER),
        r -> new Thread(r, "futex-waiter").start());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (queued(on) == before && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    return f;
  }

  private int queued(Futexes.Key on) {
    return futexes.waiters(on);
  }

  @Test
  void await_whenTheWordDiffers_isEagain_andQueuesNothing() {
    word.set(5);
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> futexes.await(key, word::get, 0, Futexes.FUTEX_BITSET_MATCH_ANY, Waiter.FOREVER));
    assertEquals(Errno.EAGAIN, e.errno());
    assertEquals(0, futexes.wake(key, 1, Futexes.FUTEX_BITSET_MATCH_ANY));
  }

  @Test
  void wake_releasesUpToCountWaiters_andSaysHowMany() throws Exception {
    CompletableFuture<Waiter.Result> a = waiter(key, Futexes.FUTEX_BITSET_MATCH_ANY);
    CompletableFuture<Waiter.Result> b = waiter(key, Futexes.FUTEX_BITSET_MATCH_ANY);
    assertEquals(1, futexes.wake(key, 1, Futexes.FUTEX_BITSET_MATCH_ANY));
    assertEquals(Waiter.Result.READY, a.get(10, TimeUnit.SECONDS), "the first to wait");
    assertEquals(1, futexes.wake(key, 5, Futexes.FUTEX_BITSET_MATCH_ANY));
    assertEquals(Waiter.Result.READY, b.get(10, TimeUnit.SECONDS));
    assertEquals(0, futexes.wake(key, 5, Futexes.FUTEX_BITSET_MATCH_ANY));
  }

  @Test
  void wake_withABitset_skipsWaitersWhoseBitsetItMisses() throws Exception {
    CompletableFuture<Waiter.Result> low = waiter(key, 0b01);
    CompletableFuture<Waiter.Result> high = waiter(key, 0b10);
    assertEquals(1, futexes.wake(key, 5, 0b10));
    assertEquals(Waiter.Result.READY, high.get(10, TimeUnit.SECONDS));
    assertEquals(false, low.isDone());
    assertEquals(1, futexes.wake(key, 5, Futexes.FUTEX_BITSET_MATCH_ANY));
    assertEquals(Waiter.Result.READY, low.get(10, TimeUnit.SECONDS));
  }

  @Test
  void requeue_wakesSome_andMovesTheRestToTheOtherWord() throws Exception {
    CompletableFuture<Waiter.Result> a = waiter(key, Futexes.FUTEX_BITSET_MATCH_ANY);
    CompletableFuture<Waiter.Result> b = waiter(key, Futexes.FUTEX_BITSET_MATCH_ANY);
    assertEquals(2, futexes.requeue(key, other, 1, 1, word::get, 0));
    assertEquals(Waiter.Result.READY, a.get(10, TimeUnit.SECONDS));
    assertEquals(0, futexes.wake(key, 5, Futexes.FUTEX_BITSET_MATCH_ANY));
    assertEquals(1, futexes.wake(other, 5, Futexes.FUTEX_BITSET_MATCH_ANY));
    assertEquals(Waiter.Result.READY, b.get(10, TimeUnit.SECONDS));
  }

  @Test
  void cmpRequeue_whenTheWordChanged_isEagain() {
    word.set(1);
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> futexes.requeue(key, other, 1, 1, word::get, 0));
    assertEquals(Errno.EAGAIN, e.errno());
  }

  @Test
  void await_untilADeadline_timesOut_andLeavesNoWaiter() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    assertEquals(Waiter.Result.TIMED_OUT, futexes.await(key, word::get, 0,
        Futexes.FUTEX_BITSET_MATCH_ANY, deadline));
    assertEquals(0, futexes.wake(key, 1, Futexes.FUTEX_BITSET_MATCH_ANY));
  }
}
