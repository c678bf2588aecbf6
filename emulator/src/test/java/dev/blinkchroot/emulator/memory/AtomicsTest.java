package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AtomicsTest {
  private static final int THREADS = 4;
  private static final int ITERATIONS = 100_000;
  private static final long BASE = 0x50_0000L;
  private static final long BOUNDARY = BASE + 4096;
  private final GuestMemory mem = GuestMemory.create();

  @BeforeEach
  void setUp() {
    mem.map(BASE, 2 * 4096, PROT_READ | PROT_WRITE);
  }

  interface Body {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} on {@link #THREADS} threads started together; rethrows any failure. */
  private static void concurrently(Body body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                  body.run(id);
                } catch (Throwable e) {
                  synchronized (failure) {
                    failure[0] = e;
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  @Test
  void getAndAdd64_alignedSharedCounter_exactTotal() throws Exception {
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS; i++) {
        mem.getAndAdd64(BASE + 8, 1);
      }
    });
    assertEquals((long) THREADS * ITERATIONS, mem.read64(BASE + 8));
  }

  @Test
  void getAndAdd32_misalignedWithinWord_exactTotalNeighboursUntouched() throws Exception {
    mem.write8(BASE + 0x21, 0x5A);
    mem.write8(BASE + 0x26, 0xA5);
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS; i++) {
        mem.getAndAdd32(BASE + 0x22, 3);
      }
    });
    assertEquals(3 * THREADS * ITERATIONS, mem.read32(BASE + 0x22));
    assertEquals(0x5A, mem.read8(BASE + 0x21));
    assertEquals(0xA5, mem.read8(BASE + 0x26));
  }

  @Test
  void getAndAdd64_crossingPageBoundary_exactTotal() throws Exception {
    long addr = BOUNDARY - 3;
    mem.write64(addr, 0xFFFF_FFFF_F000_0000L); // carries must cross the boundary
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS; i++) {
        mem.getAndAdd64(addr, 1);
      }
    });
    assertEquals(0xFFFF_FFFF_F000_0000L + (long) THREADS * ITERATIONS, mem.read64(addr));
    assertEquals(0, mem.read8(addr - 1));
    assertEquals(0, mem.read8(addr + 8));
  }

  @Test
  void getAndAdd32_crossingEightByteBoundaryInPage_exactTotal() throws Exception {
    long addr = BASE + 0x46;
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS; i++) {
        mem.getAndAdd32(addr, 0x10001);
      }
    });
    assertEquals(0x10001 * THREADS * ITERATIONS, mem.read32(addr));
  }

  @Test
  void getAndAdd16And8_sharedCounters_exactTotalsModuloWidth() throws Exception {
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS; i++) {
        mem.getAndAdd16(BASE + 0x60, 1);
        mem.getAndAdd8(BASE + 0x63, 1);
        mem.getAndAdd16(BOUNDARY - 1, 1);
      }
    });
    int total = THREADS * ITERATIONS;
    assertEquals(total & 0xFFFF, mem.read16(BASE + 0x60));
    assertEquals(total & 0xFF, mem.read8(BASE + 0x63));
    assertEquals(0, mem.read8(BASE + 0x62));
    assertEquals(total & 0xFFFF, mem.read16(BOUNDARY - 1));
  }

  @Test
  void compareAndExchange_casLoopIncrement_everySizeAndPlacement_exactTotal() throws Exception {
    long[] addrs = {BASE + 0x80, BASE + 0x93, BOUNDARY - 2};
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS / 4; i++) {
        for (long a : addrs) {
          long seen64;
          do {
            seen64 = mem.read64(a);
          } while (mem.compareAndExchange64(a, seen64, seen64 + 1) != seen64);
        }
        int seen32;
        do {
          seen32 = mem.read32(BASE + 0xA0);
        } while (mem.compareAndExchange32(BASE + 0xA0, seen32, seen32 + 2) != seen32);
        int seen16;
        do {
          seen16 = mem.read16(BASE + 0xB1);
        } while (mem.compareAndExchange16(BASE + 0xB1, seen16, seen16 + 1) != seen16);
        int seen8;
        do {
          seen8 = mem.read8(BASE + 0xC0);
        } while (mem.compareAndExchange8(BASE + 0xC0, seen8, seen8 + 1) != seen8);
      }
    });
    long total = (long) THREADS * (ITERATIONS / 4);
    for (long a : addrs) {
      assertEquals(total, mem.read64(a), Long.toHexString(a));
    }
    assertEquals(2 * total, mem.read32(BASE + 0xA0));
    assertEquals(total & 0xFFFF, mem.read16(BASE + 0xB1));
    assertEquals(total & 0xFF, mem.read8(BASE + 0xC0));
  }

  @Test
  void compareAndExchange_mismatch_returnsWitnessAndStoresNothing() {
    mem.write32(BASE, 5);
    assertEquals(5, mem.compareAndExchange32(BASE, 6, 7));
    assertEquals(5, mem.read32(BASE));
    assertEquals(5, mem.compareAndExchange32(BASE, 5, 7));
    assertEquals(7, mem.read32(BASE));
    mem.write16(BOUNDARY - 1, 0xABCD);
    assertEquals(0xABCD, mem.compareAndExchange16(BOUNDARY - 1, 0x1234, 0));
    assertEquals(0xABCD, mem.read16(BOUNDARY - 1));
  }

  @Test
  void getAndSet_everySize_returnsOldStoresNew() {
    mem.write64(BASE, 0x1122334455667788L);
    assertEquals(0x88, mem.getAndSet8(BASE, 0x99));
    assertEquals(0x6677, mem.getAndSet16(BASE + 1, 0xAAAA));
    assertEquals(0x11223344, mem.getAndSet32(BASE + 4, 0));
    assertEquals(0x0000_0000_55AA_AA99L, mem.getAndSet64(BASE, -1));
    assertEquals(-1, mem.read64(BASE));
    mem.write64(BOUNDARY - 4, 0x0102030405060708L);
    assertEquals(0x0102030405060708L, mem.getAndSet64(BOUNDARY - 4, 7));
    assertEquals(7, mem.read64(BOUNDARY - 4));
  }

  @Test
  void xchg_asSpinLock_mutualExclusion() throws Exception {
    long lock = BASE + 0x100;
    long counter = BASE + 0x108;
    concurrently(t -> {
      for (int i = 0; i < ITERATIONS / 4; i++) {
        while (mem.getAndSet32(lock, 1) != 0) {
          Thread.onSpinWait();
        }
        mem.write64(counter, mem.read64(counter) + 1); // plain RMW inside the lock
        mem.write32(lock, 0);
      }
    });
    assertEquals((long) THREADS * (ITERATIONS / 4), mem.read64(counter));
  }

  @Test
  void atomicUpdate_orFromEveryThread_allBitsSet() throws Exception {
    long addr = BOUNDARY - 2; // crossing: lock path
    concurrently(t -> {
      for (int bit = t; bit < 32; bit += THREADS) {
        long mask = 1L << bit;
        mem.atomicUpdate(addr, 4, v -> v | mask);
        mem.atomicUpdate(BASE + 0x200, 4, v -> v | mask);
      }
    });
    assertEquals(-1, mem.read32(addr));
    assertEquals(-1, mem.read32(BASE + 0x200));
  }

  @Test
  void compareAndExchange128_successAndFailure() {
    long addr = BASE + 0x300;
    mem.write64(addr, 1);
    mem.write64(addr + 8, 2);
    long[] witness = new long[2];
    assertFalse(mem.compareAndExchange128(addr, 1, 3, 10, 20, witness));
    assertArrayEquals(new long[] {1, 2}, witness);
    assertEquals(1, mem.read64(addr));
    assertTrue(mem.compareAndExchange128(addr, 1, 2, 10, 20, witness));
    assertArrayEquals(new long[] {1, 2}, witness);
    assertEquals(10, mem.read64(addr));
    assertEquals(20, mem.read64(addr + 8));
  }

  @Test
  void compareAndExchange128_concurrentDoubleCounter_exactAndConsistent() throws Exception {
    long addr = BOUNDARY - 8; // halves on different pages
    concurrently(t -> {
      long[] w = new long[2];
      for (int i = 0; i < ITERATIONS / 4; i++) {
        long lo = 0;
        long hi = 0;
        while (!mem.compareAndExchange128(addr, lo, hi, lo + 1, hi + 2, w)) {
          lo = w[0];
          hi = w[1];
        }
      }
    });
    long total = (long) THREADS * (ITERATIONS / 4);
    assertEquals(total, mem.read64(addr));
    assertEquals(2 * total, mem.read64(addr + 8));
  }
}
