package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_NONE;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TlbConsistencyTest {
  private static final long A = 0x7000_0000L;
  private final GuestMemory mem = GuestMemory.create();

  @Test
  void protectReadOnly_afterWarmWriteTlb_writeFaults() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 1);
    mem.protect(A, 4096, PROT_READ);
    MemoryFault f = assertThrows(MemoryFault.class, () -> mem.write64(A, 2));
    assertEquals(MemoryFault.Reason.PROTECTION, f.reason());
    assertEquals(1, mem.read64(A));
  }

  @Test
  void protectNone_afterWarmReadTlb_readFaults() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 1);
    assertEquals(1, mem.read64(A));
    mem.protect(A, 4096, PROT_NONE);
    assertThrows(MemoryFault.class, () -> mem.read64(A));
    mem.protect(A, 4096, PROT_READ);
    assertEquals(1, mem.read64(A));
  }

  @Test
  void unmap_afterWarmTlbs_everyAccessFaults() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE | GuestMemory.PROT_EXEC);
    mem.write64(A, 1);
    mem.read64(A);
    mem.fetch8(A);
    mem.unmap(A, 4096);
    assertThrows(MemoryFault.class, () -> mem.read64(A));
    assertThrows(MemoryFault.class, () -> mem.write64(A, 2));
    assertThrows(MemoryFault.class, () -> mem.fetch8(A));
  }

  @Test
  void remap_afterWarmTlbs_seesFreshZeroPage() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 42);
    assertEquals(42, mem.read64(A));
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    assertEquals(0, mem.read64(A));
  }

  @Test
  void readThenWrite_zeroPageReadEntryReplacedByPrivateFrame() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    assertEquals(0, mem.read64(A)); // read TLB holds the shared zero frame
    mem.write64(A, 7);
    assertEquals(7, mem.read64(A));
    GuestMemory other = GuestMemory.create();
    other.map(A, 4096, PROT_READ);
    assertEquals(0, other.read64(A)); // the zero frame itself was not written
  }

  @Test
  void largeUnmap_clearsWholeTlb() {
    mem.map(A, 2048L * 4096, PROT_READ | PROT_WRITE);
    for (long p = 0; p < 2048; p++) {
      mem.write64(A + p * 4096, p);
    }
    mem.unmap(A, 2048L * 4096);
    for (long p = 0; p < 2048; p += 97) {
      long addr = A + p * 4096;
      assertThrows(MemoryFault.class, () -> mem.read64(addr));
    }
  }

  @Test
  void aliasedSlots_twoPagesSameTlbIndex_bothCorrect() {
    long other = A + 1024L * 4096; // same direct-mapped slot
    mem.map(A, 1025L * 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 1);
    mem.write64(other, 2);
    for (int i = 0; i < 10; i++) {
      assertEquals(1, mem.read64(A));
      assertEquals(2, mem.read64(other));
    }
  }

  @Test
  void protectFromAnotherThread_seenAfterJoin() throws Exception {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 1);
    Thread t = new Thread(() -> mem.protect(A, 4096, PROT_READ));
    t.start();
    t.join();
    assertThrows(MemoryFault.class, () -> mem.write64(A, 2));
  }

  @Test
  void fillRacingWithProtect_entryWithdrawn_writeFaults() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.paging.beforeFillHook =
        () -> {
          mem.paging.beforeFillHook = null;
          mem.protect(A, 4096, PROT_READ); // lands after the walk saw the page writable
        };
    mem.write64(A, 1); // this store raced with the protect and may complete, as on hardware
    assertThrows(MemoryFault.class, () -> mem.write64(A, 2)); // but the TLB must not keep it
    assertEquals(1, mem.read64(A));
  }

  @Test
  void fillRacingWithUnmap_entryWithdrawn_readFaults() {
    mem.map(A, 4096, PROT_READ | PROT_WRITE);
    mem.write64(A, 5);
    mem.paging.beforeFillHook =
        () -> {
          mem.paging.beforeFillHook = null;
          mem.unmap(A, 4096);
        };
    assertEquals(5, mem.read64(A));
    assertThrows(MemoryFault.class, () -> mem.read64(A));
  }

  @Test
  void protectNone_whileOtherThreadsFillTlb_noStaleEntrySurvives() throws Exception {
    int pages = 64;
    mem.map(A, pages * 4096L, PROT_READ | PROT_WRITE);
    for (int round = 0; round < 200; round++) {
      assertEquals(0, mem.protect(A, pages * 4096L, PROT_READ | PROT_WRITE));
      AtomicBoolean stop = new AtomicBoolean();
      Thread[] readers = new Thread[3];
      for (int t = 0; t < readers.length; t++) {
        int seed = t;
        readers[t] =
            new Thread(
                () -> {
                  long i = seed;
                  while (!stop.get()) {
                    long addr = A + (i++ % pages) * 4096;
                    try {
                      mem.read64(addr);
                      mem.write64(addr + 8, i);
                    } catch (MemoryFault expectedOnceProtected) {
                      // the race is the point: keep filling
                    }
                  }
                });
        readers[t].start();
      }
      Thread.sleep(0, 200_000);
      assertEquals(0, mem.protect(A, pages * 4096L, PROT_NONE));
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      for (int p = 0; p < pages; p++) {
        long addr = A + p * 4096L;
        assertThrows(MemoryFault.class, () -> mem.read64(addr), "round " + round + " page " + p);
        assertThrows(MemoryFault.class, () -> mem.write64(addr + 8, 0));
      }
    }
  }
}
