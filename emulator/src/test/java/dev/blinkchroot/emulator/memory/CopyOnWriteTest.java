package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CopyOnWriteTest {
  private static final long A = 0x60_0000L;
  private static final long B = A + 4096;
  private final GuestMemory parent = GuestMemory.create();

  @BeforeEach
  void setUp() {
    parent.map(A, 3 * 4096, PROT_READ | PROT_WRITE);
    parent.write64(A, 111);
    parent.write64(B, 222);
  }

  @Test
  void fork_childSeesParentContentAndMappings() {
    GuestMemory child = parent.forkCopy();
    assertEquals(111, child.read64(A));
    assertEquals(222, child.read64(B));
    assertEquals(parent.mappings(), child.mappings());
  }

  @Test
  void fork_pagesSharedUntilWritten() {
    GuestMemory child = parent.forkCopy();
    assertTrue(child.sharesFrameWith(parent, A));
    assertTrue(child.sharesFrameWith(parent, B));
    child.read64(A); // reads do not copy
    assertTrue(child.sharesFrameWith(parent, A));
    child.write64(A, 1);
    assertFalse(child.sharesFrameWith(parent, A));
    assertTrue(child.sharesFrameWith(parent, B));
    assertEquals(1, child.copyOnWriteCopies());
  }

  @Test
  void fork_childWrites_parentUnchanged() {
    GuestMemory child = parent.forkCopy();
    child.write64(A + 8, 5);
    child.write8(A, 0x7F);
    assertEquals(111, parent.read64(A));
    assertEquals(0, parent.read64(A + 8));
    assertEquals(0x7F, child.read64(A));
    assertEquals(5, child.read64(A + 8));
  }

  @Test
  void fork_parentWrites_childUnchanged() {
    parent.read64(A); // warm the parent's TLBs before the fork
    parent.write64(A, 111);
    GuestMemory child = parent.forkCopy();
    parent.write64(A, 9);
    assertEquals(111, child.read64(A));
    assertEquals(9, parent.read64(A));
    assertEquals(1, parent.copyOnWriteCopies());
  }

  @Test
  void fork_secondWriterIsLastSharer_writesInPlaceWithoutCopy() {
    GuestMemory child = parent.forkCopy();
    child.write64(B, 1); // child copies
    parent.write64(B, 2); // parent is now the only user of the old frame
    assertEquals(1, child.copyOnWriteCopies());
    assertEquals(0, parent.copyOnWriteCopies());
    assertEquals(1, child.read64(B));
    assertEquals(2, parent.read64(B));
  }

  @Test
  void fork_childReleased_parentWritesInPlace() {
    GuestMemory child = parent.forkCopy();
    child.release();
    parent.write64(A, 3);
    assertEquals(0, parent.copyOnWriteCopies());
    assertEquals(3, parent.read64(A));
  }

  @Test
  void fork_ofFork_threeIndependentViews() {
    GuestMemory child = parent.forkCopy();
    GuestMemory grandchild = child.forkCopy();
    assertTrue(grandchild.sharesFrameWith(parent, A));
    child.write64(A, 2);
    grandchild.write64(A, 3);
    assertEquals(111, parent.read64(A));
    assertEquals(2, child.read64(A));
    assertEquals(3, grandchild.read64(A));
  }

  @Test
  void fork_untouchedPage_zeroInBothAndIndependent() {
    GuestMemory child = parent.forkCopy();
    long c = A + 2 * 4096;
    assertEquals(0, child.read64(c));
    child.write64(c, 4);
    assertEquals(0, parent.read64(c));
    parent.write64(c, 5);
    assertEquals(4, child.read64(c));
  }

  @Test
  void fork_atomicInChild_breaksCopyOnWrite() {
    GuestMemory child = parent.forkCopy();
    assertEquals(111, child.getAndAdd64(A, 1));
    assertEquals(111, parent.read64(A));
    assertEquals(112, child.read64(A));
  }

  @Test
  void fork_readOnlyPageLaterMadeWritable_stillCopiesOnWrite() {
    parent.protect(A, 4096, PROT_READ);
    GuestMemory child = parent.forkCopy();
    child.protect(A, 4096, PROT_READ | PROT_WRITE);
    child.write64(A, 8);
    assertEquals(111, parent.read64(A));
    assertEquals(8, child.read64(A));
  }

  @Test
  void fork_unmapInChild_parentKeepsMapping() {
    GuestMemory child = parent.forkCopy();
    child.unmap(A, 4096);
    assertEquals(111, parent.read64(A));
    assertEquals(3, parent.mappings().get(0).end() - parent.mappings().get(0).start() >> 12);
  }
}
