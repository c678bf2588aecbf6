package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_EXEC;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_NONE;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.memory.MemoryFault.Access;
import dev.blinkchroot.emulator.memory.MemoryFault.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GuestMemoryFaultTest {
  private static final long BASE = 0x40_0000L;
  private final GuestMemory mem = GuestMemory.create();

  private static MemoryFault fault(Executable e, long addr, Access access, Reason reason) {
    MemoryFault f = assertThrows(MemoryFault.class, e);
    assertEquals(addr, f.guestAddr(), "address");
    assertEquals(access, f.access(), "access");
    assertEquals(reason, f.reason(), "reason");
    return f;
  }

  @Test
  void read_unmapped_notMappedWithAddress() {
    MemoryFault f = fault(() -> mem.read32(0x1234), 0x1234, Access.READ, Reason.NOT_MAPPED);
    assertEquals(1, f.reason().siCode()); // SEGV_MAPERR
    assertEquals(0x1234, f.siAddr());
  }

  @Test
  void write_unmapped_notMappedWrite() {
    fault(() -> mem.write64(0xdead0000L, 1), 0xdead0000L, Access.WRITE, Reason.NOT_MAPPED);
  }

  @Test
  void write_readOnlyPage_protectionWrite() {
    mem.map(BASE, 4096, PROT_READ);
    MemoryFault f =
        fault(() -> mem.write16(BASE + 6, 1), BASE + 6, Access.WRITE, Reason.PROTECTION);
    assertEquals(2, f.reason().siCode()); // SEGV_ACCERR
    assertEquals(0, mem.read16(BASE + 6));
  }

  @Test
  void atomic_readOnlyPage_protectionWriteEvenWhenCompareFails() {
    mem.map(BASE, 4096, PROT_READ);
    fault(() -> mem.compareAndExchange64(BASE, 99, 1), BASE, Access.WRITE, Reason.PROTECTION);
    fault(() -> mem.getAndAdd8(BASE + 1, 1), BASE + 1, Access.WRITE, Reason.PROTECTION);
  }

  @Test
  void fetch_pageWithoutExec_protectionExec() {
    mem.map(BASE, 4096, PROT_READ | PROT_WRITE);
    mem.write8(BASE + 0x10, 0x90);
    assertEquals(0x90, mem.read8(BASE + 0x10));
    fault(() -> mem.fetch8(BASE + 0x10), BASE + 0x10, Access.EXEC, Reason.PROTECTION);
    fault(
        () -> mem.fetch(BASE + 0x10, new byte[4], 0, 4),
        BASE + 0x10,
        Access.EXEC,
        Reason.PROTECTION);
  }

  @Test
  void fetch_unmapped_notMappedExec() {
    fault(() -> mem.fetch8(0x5000), 0x5000, Access.EXEC, Reason.NOT_MAPPED);
  }

  @Test
  void fetch_stopsBeforeNonExecutablePage() {
    mem.map(BASE, 4096, PROT_READ | PROT_EXEC);
    mem.map(BASE + 4096, 4096, PROT_READ);
    byte[] buf = new byte[15];
    assertEquals(3, mem.fetch(BASE + 4093, buf, 0, 15));
    fault(() -> mem.fetch8(BASE + 4096), BASE + 4096, Access.EXEC, Reason.PROTECTION);
  }

  @Test
  void read_protNone_protectionRead() {
    mem.map(BASE, 4096, PROT_NONE);
    fault(() -> mem.read8(BASE + 1), BASE + 1, Access.READ, Reason.PROTECTION);
  }

  @Test
  void read_writeOnlyOrExecOnly_readableAsOnX86() {
    mem.map(BASE, 4096, PROT_WRITE);
    mem.map(BASE + 4096, 4096, PROT_EXEC);
    mem.write32(BASE, 7);
    assertEquals(7, mem.read32(BASE));
    assertEquals(0, mem.read32(BASE + 4096));
    assertEquals(0, mem.fetch8(BASE + 4096));
  }

  @Test
  void read_nonCanonical_nonCanonicalWithSiAddrZero() {
    long addr = 0x0000_8000_0000_0000L;
    MemoryFault f = fault(() -> mem.read64(addr), addr, Access.READ, Reason.NON_CANONICAL);
    assertEquals(0, f.siAddr());
    assertEquals(0x80, f.reason().siCode()); // SI_KERNEL
    long wild = 0x1234_5678_9abc_def0L;
    fault(() -> mem.write8(wild, 0), wild, Access.WRITE, Reason.NON_CANONICAL);
  }

  @Test
  void access_endingPastTheCanonicalHole_isNonCanonicalEvenIfItStartsUnmapped() {
    long addr = 0x0000_7FFF_FFFF_FFF9L; // the 8 bytes end at 0x8000_0000_0000
    fault(() -> mem.read64(addr), addr, Access.READ, Reason.NON_CANONICAL);
    fault(() -> mem.write32(0x0000_7FFF_FFFF_FFFEL, 1), 0x0000_7FFF_FFFF_FFFEL, Access.WRITE,
        Reason.NON_CANONICAL);
  }

  @Test
  void read_kernelHalfCanonical_notMapped() {
    long addr = 0xFFFF_FFFF_FF60_0000L;
    fault(() -> mem.read8(addr), addr, Access.READ, Reason.NOT_MAPPED);
  }

  @Test
  void read_crossingIntoUnmapped_faultsAtSecondPageBase() {
    mem.map(BASE, 4096, PROT_READ | PROT_WRITE);
    fault(() -> mem.read64(BASE + 4092), BASE + 4096, Access.READ, Reason.NOT_MAPPED);
  }

  @Test
  void write_crossingIntoReadOnly_faultsAndStoresNothing() {
    mem.map(BASE, 4096, PROT_READ | PROT_WRITE);
    mem.map(BASE + 4096, 4096, PROT_READ);
    fault(() -> mem.write32(BASE + 4094, -1), BASE + 4096, Access.WRITE, Reason.PROTECTION);
    assertEquals(0, mem.read16(BASE + 4094));
  }

  @Test
  void read_crossingFromLastUserPage_faultsAtTaskSize() {
    long last = GuestMemory.TASK_SIZE - 4096;
    mem.map(last, 4096, PROT_READ);
    // [TASK_SIZE, 2^47) is canonical but unmappable
    long top = GuestMemory.TASK_SIZE;
    fault(() -> mem.read16(top - 1), top, Access.READ, Reason.NOT_MAPPED);
    // Ending past 0x7fff_ffff_ffff makes the whole access non-canonical: a #GP, not a page
    // fault (checked against the host CPU in IntegerDifferentialTest's ENTER cases).
    fault(() -> mem.read16(0x7FFF_FFFF_FFFFL), 0x7FFF_FFFF_FFFFL, Access.READ,
        Reason.NON_CANONICAL);
  }

  @Test
  void writeBytes_intoReadOnlySecondPage_firstPageWrittenFaultAtBoundary() {
    mem.map(BASE, 4096, PROT_READ | PROT_WRITE);
    mem.map(BASE + 4096, 4096, PROT_READ);
    byte[] src = {1, 2, 3, 4, 5, 6, 7, 8};
    fault(
        () -> mem.writeBytes(BASE + 4092, src, 0, 8), BASE + 4096, Access.WRITE, Reason.PROTECTION);
    assertEquals(0x04030201, mem.read32(BASE + 4092));
  }

  @Test
  void message_namesAccessReasonAndAddress() {
    MemoryFault f = assertThrows(MemoryFault.class, () -> mem.read8(0xabc));
    assertEquals("READ NOT_MAPPED at 0xabc", f.getMessage());
    assertEquals(0, f.getStackTrace().length);
  }

  @Test
  void markBeyondEof_firstTouchIsABusError_afterTheProtectionCheck() {
    mem.map(BASE, 2 * 4096, PROT_READ);
    mem.markBeyondEof(BASE + 4096, 4096);
    assertEquals(0, mem.read32(BASE));
    MemoryFault f = fault(() -> mem.read32(BASE + 4100), BASE + 4100, Access.READ,
        Reason.BEYOND_EOF);
    assertEquals(2, f.reason().siCode()); // BUS_ADRERR
    fault(() -> mem.write32(BASE + 4100, 1), BASE + 4100, Access.WRITE, Reason.PROTECTION);
  }

  @Test
  void fillBeyondEof_makesThePageHoldTheFrame() {
    mem.map(BASE, 4096, PROT_READ);
    mem.markBeyondEof(BASE, 4096);
    byte[] frame = new byte[4096];
    frame[8] = 42;
    mem.fillBeyondEof(BASE + 8, frame);
    assertEquals(42, mem.read8(BASE + 8));
    fault(() -> mem.write8(BASE, 1), BASE, Access.WRITE, Reason.PROTECTION);
  }

  @Test
  void markBeyondEof_isForgottenByANewMapping_andKeptByAFork() {
    mem.map(BASE, 2 * 4096, PROT_READ | PROT_WRITE);
    mem.markBeyondEof(BASE, 2 * 4096);
    GuestMemory child = mem.forkCopy();
    mem.map(BASE, 4096, PROT_READ | PROT_WRITE);
    assertEquals(0, mem.read32(BASE));
    fault(() -> mem.read32(BASE + 4096), BASE + 4096, Access.READ, Reason.BEYOND_EOF);
    fault(() -> child.read32(BASE), BASE, Access.READ, Reason.BEYOND_EOF);
  }
}
