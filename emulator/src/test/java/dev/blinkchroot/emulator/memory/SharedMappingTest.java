package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_EXEC;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedMappingTest {
  private static final int PAGE = GuestMemory.PAGE_SIZE;
  private static final long A = 0x60_0000L;
  private static final long B = 0x90_0000L;
  private static final int RW = PROT_READ | PROT_WRITE;

  /** A file's page cache in miniature: one frame per page index, made on first request. */
  private final Map<Long, byte[]> frames = new HashMap<>();
  private final List<Long> requested = new ArrayList<>();
  private final FrameSource source = page -> {
    requested.add(page);
    return frames.computeIfAbsent(page, p -> new byte[PAGE]);
  };
  private final GuestMemory memory = GuestMemory.create();
  private final List<Long> invalidated = new ArrayList<>();

  @BeforeEach
  void setUp() {
    memory.setCodeInvalidationListener(invalidated::add);
  }

  @Test
  void twoMappingsOfTheSamePages_seeEachOthersStores() {
    assertEquals(0, memory.mapShared(A, 2 * PAGE, RW, source, 0));
    assertEquals(0, memory.mapShared(B, PAGE, RW, source, 1));
    memory.write32(A + PAGE + 8, 0x1234);
    assertEquals(0x1234, memory.read32(B + 8));
    memory.write8(B, 7);
    assertEquals(7, memory.read8(A + PAGE));
    assertEquals(7, frames.get(1L)[0]);
  }

  @Test
  void pagesAreFetchedFromTheSourceOnFirstTouchOnly() {
    memory.mapShared(A, 16 * PAGE, PROT_READ, source, 100);
    assertTrue(requested.isEmpty());
    memory.read8(A + 3 * PAGE);
    memory.read8(A + 3 * PAGE + 1);
    assertEquals(List.of(103L), requested);
  }

  @Test
  void protectKeepsTheFrame_andRefusesStoresAsUsual() {
    memory.mapShared(A, PAGE, RW, source, 0);
    memory.write8(A, 1);
    memory.protect(A, PAGE, PROT_READ);
    assertThrows(MemoryFault.class, () -> memory.write8(A, 2));
    frames.get(0L)[0] = 5; // another mapping's store
    assertEquals(5, memory.read8(A));
  }

  @Test
  void moveKeepsTheSource_forTouchedAndUntouchedPages() {
    memory.mapShared(A, 2 * PAGE, RW, source, 10);
    memory.write8(A, 1);
    assertEquals(0, memory.move(A, 2 * PAGE, B));
    memory.write8(B + PAGE, 2); // untouched before the move: still page 11 of the source
    assertEquals(1, frames.get(10L)[0]);
    assertEquals(2, frames.get(11L)[0]);
  }

  @Test
  void mapOverASharedRange_makesItPrivateAgain() {
    memory.mapShared(A, PAGE, RW, source, 0);
    memory.write8(A, 9);
    memory.map(A, PAGE, RW);
    assertEquals(0, memory.read8(A));
    memory.write8(A, 3);
    assertEquals(9, frames.get(0L)[0]);
  }

  @Test
  void fork_sharedPagesStayShared_privatePagesAreCopied() {
    memory.mapShared(A, PAGE, RW, source, 0);
    memory.map(B, PAGE, RW);
    memory.write8(A, 1);
    memory.write8(B, 1);
    GuestMemory child = memory.forkCopy();
    child.write8(A, 2);
    child.write8(B, 2);
    assertEquals(2, memory.read8(A));
    assertEquals(1, memory.read8(B));
    child.write8(A + 1, 3); // a page the child touches first after the fork
    assertEquals(3, frames.get(0L)[1]);
  }

  @Test
  void storeThroughOneView_invalidatesCodeDecodedFromTheOther() {
    memory.mapShared(A, PAGE, RW, source, 0);
    memory.mapShared(B, PAGE, PROT_READ | PROT_EXEC, source, 0);
    memory.write8(A, 0x90);
    assertTrue(memory.markCode(B));
    memory.write8(A + 1, 0xc3);
    // The writable view is told too: it was marked as an alias of the code page.
    assertTrue(invalidated.contains(B), invalidated::toString);
  }

  @Test
  void writableViewTouchedOnlyAfterTheMarking_stillInvalidates() {
    memory.mapShared(A, PAGE, RW, source, 0);
    memory.mapShared(B, PAGE, PROT_READ | PROT_EXEC, source, 0);
    assertTrue(memory.markCode(B));
    memory.write8(A, 0xc3);
    assertTrue(invalidated.contains(B), invalidated::toString);
    assertFalse(memory.isCode(B));
  }

  @Test
  void kernelRewriteOfAPage_invalidatesCodeDecodedFromIt() {
    memory.mapShared(B, 2 * PAGE, PROT_READ | PROT_EXEC, source, 4);
    memory.markCode(B + PAGE);
    memory.sharedPageWritten(source, 4); // not the marked page
    assertTrue(invalidated.isEmpty());
    memory.sharedPageWritten(source, 5);
    assertEquals(List.of(B + PAGE), invalidated);
  }
}
