package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_EXEC;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodeInvalidationTest {
  private static final long CODE = 0x40_0000L;
  private final GuestMemory mem = GuestMemory.create();
  private final List<Long> invalidated = new ArrayList<>();

  @BeforeEach
  void setUp() {
    mem.map(CODE, 2 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    mem.setCodeInvalidationListener(invalidated::add);
  }

  @Test
  void write_toMarkedPage_firesOnceThenMarkCleared() {
    assertTrue(mem.markCode(CODE + 0x123));
    assertTrue(mem.isCode(CODE));
    mem.write8(CODE + 0x10, 0xC3);
    assertEquals(List.of(CODE), invalidated);
    assertFalse(mem.isCode(CODE));
    mem.write8(CODE + 0x11, 0xC3);
    assertEquals(List.of(CODE), invalidated);
  }

  @Test
  void write_afterWriteTlbWarm_stillFiresOnceMarked() {
    mem.write64(CODE, 1); // write TLB now caches the page
    mem.markCode(CODE);
    mem.write64(CODE, 2);
    assertEquals(List.of(CODE), invalidated);
    assertEquals(2, mem.read64(CODE));
  }

  @Test
  void listenerSeesWriteAfterCall_sameThreadRefetchSeesNewBytes() {
    mem.write8(CODE, 0x90);
    mem.markCode(CODE);
    List<Integer> seenInListener = new ArrayList<>();
    mem.setCodeInvalidationListener(page -> seenInListener.add(mem.fetch8(CODE)));
    mem.write8(CODE, 0xCC);
    assertEquals(List.of(0x90), seenInListener); // called before the store lands
    assertEquals(0xCC, mem.fetch8(CODE));
  }

  @Test
  void write_toUnmarkedPage_doesNotFire() {
    mem.markCode(CODE);
    mem.write32(CODE + 4096, 1);
    mem.read32(CODE);
    mem.fetch8(CODE);
    assertEquals(List.of(), invalidated);
  }

  @Test
  void crossingWrite_intoMarkedSecondPage_fires() {
    mem.markCode(CODE + 4096);
    mem.write64(CODE + 4092, -1);
    assertEquals(List.of(CODE + 4096), invalidated);
  }

  @Test
  void atomicAndBulkWrites_fire() {
    mem.markCode(CODE);
    mem.getAndAdd32(CODE, 1);
    mem.markCode(CODE);
    mem.writeBytes(CODE + 7, new byte[3], 0, 3);
    assertEquals(List.of(CODE, CODE), invalidated);
  }

  @Test
  void protect_ofMarkedPage_fires() {
    mem.markCode(CODE + 4096);
    mem.markCode(CODE);
    assertEquals(0, mem.protect(CODE, 2 * 4096, PROT_READ | PROT_EXEC));
    assertEquals(List.of(CODE, CODE + 4096), invalidated);
    assertFalse(mem.isCode(CODE));
  }

  @Test
  void unmapAndMapOver_ofMarkedPage_fire() {
    mem.markCode(CODE);
    mem.markCode(CODE + 4096);
    assertEquals(0, mem.unmap(CODE, 4096));
    assertEquals(0, mem.map(CODE + 4096, 4096, PROT_READ));
    assertEquals(List.of(CODE, CODE + 4096), invalidated);
  }

  @Test
  void markCode_unmapped_false() {
    assertFalse(mem.markCode(0x9000_0000L));
    assertFalse(mem.markCode(-1L));
  }

  @Test
  void forkChild_doesNotInheritMarks() {
    mem.markCode(CODE);
    GuestMemory child = mem.forkCopy();
    assertFalse(child.isCode(CODE));
    assertTrue(mem.isCode(CODE));
    child.write8(CODE, 1);
    assertEquals(List.of(), invalidated);
    mem.write8(CODE, 2);
    assertEquals(List.of(CODE), invalidated);
    assertEquals(1, child.read8(CODE));
  }
}
