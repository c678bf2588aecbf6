package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Litmus tests for the orderings x86 promises and Java's plain accesses would not: message
 * passing (stores stay in order, loads stay in order), with data and flag on different pages and
 * sizes so that both TLB and frame accesses are exercised.
 */
class TsoOrderingTest {
  private static final long BASE = 0x80_0000L;
  private static final int ROUNDS = 200_000;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hoisted (non-acquire) load would spin forever
  void messagePassing_readerSeesFlag_seesData() throws Exception {
    GuestMemory mem = GuestMemory.create();
    mem.map(BASE, 2 * 4096, PROT_READ | PROT_WRITE);
    long data = BASE + 0x40;
    // Misaligned but inside one cache line: x86 makes such accesses atomic (SDM Vol. 3, 8.1.1).
    // A page-crossing one may tear, natively too (a mix of f and f+1 can be below f across a
    // carry), so it would test atomicity x86 does not promise, not ordering.
    long data2 = BASE + 0x83;
    long flag = BASE + 4096 + 0x80;
    AtomicLong violations = new AtomicLong();
    AtomicLong observed = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              long expect = 1;
              while (expect <= ROUNDS) {
                long f = mem.read64(flag);
                if (f >= expect) {
                  long d = mem.read64(data);
                  long d2 = mem.read32(data2) & 0xFFFF_FFFFL;
                  if (d < f || d2 < f) { // ROUNDS < 2^32, so d2 does not wrap
                    violations.incrementAndGet();
                  }
                  observed.incrementAndGet();
                  expect = f + 1;
                }
              }
            });
    reader.start();
    for (long i = 1; i <= ROUNDS; i++) {
      mem.write64(data, i);
      mem.write32(data2, (int) i);
      mem.write64(flag, i);
    }
    reader.join();
    assertEquals(0, violations.get());
    assertTrue(observed.get() > 0);
    assertEquals(ROUNDS, mem.read64(flag));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void messagePassing_manyFreshMailboxes_noStaleRead() throws Exception {
    // Each round uses a fresh (data, flag) pair so that a reader could only pass by seeing
    // a flag store before the data store it follows.
    GuestMemory mem = GuestMemory.create();
    int pairs = 100_000;
    mem.map(BASE, (long) pairs * 16 + 4096, PROT_READ | PROT_WRITE);
    AtomicLong violations = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              for (int i = 0; i < pairs; i++) {
                long slot = BASE + (long) i * 16;
                while (mem.read32(slot + 8) == 0) {
                  Thread.onSpinWait();
                }
                if (mem.read64(slot) != 0x5555_0000L + i) {
                  violations.incrementAndGet();
                }
              }
            });
    reader.start();
    for (int i = 0; i < pairs; i++) {
      long slot = BASE + (long) i * 16;
      mem.write64(slot, 0x5555_0000L + i);
      mem.write32(slot + 8, 1);
    }
    reader.join();
    assertEquals(0, violations.get());
  }
}
