package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.EINVAL;
import static dev.blinkchroot.emulator.memory.GuestMemory.ENOMEM;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_NONE;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static dev.blinkchroot.emulator.memory.GuestMemory.TASK_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.memory.GuestMemory.Mapping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GuestMemory#move}: what mremap does when it relocates a mapping. */
class GuestMemoryMoveTest {
  private static final int RW = PROT_READ | PROT_WRITE;
  private static final long P = 4096;
  private final GuestMemory mem = GuestMemory.create();

  @Test
  void move_carriesContentsAndProtections_andUnmapsTheSource() {
    mem.map(0x10000, 3 * P, RW);
    mem.write64(0x10000, 1);
    mem.write64(0x12000, 3);
    mem.protect(0x11000, P, PROT_READ);
    assertEquals(0, mem.move(0x10000, 3 * P, 0x40000));
    assertEquals(1, mem.read64(0x40000));
    assertEquals(3, mem.read64(0x42000));
    assertEquals(List.of(new Mapping(0x40000, 0x41000, RW),
        new Mapping(0x41000, 0x42000, PROT_READ), new Mapping(0x42000, 0x43000, RW)),
        mem.mappings());
    assertThrows(MemoryFault.class, () -> mem.read8(0x10000));
    mem.write64(0x42000, 4); // still private and writable
    assertEquals(4, mem.read64(0x42000));
  }

  @Test
  void move_replacesTheDestination_andKeepsHolesAndUntouchedPages() {
    mem.map(0x10000, P, RW);
    mem.map(0x12000, P, PROT_NONE);
    mem.map(0x40000, 8 * P, PROT_READ);
    long present = mem.presentPages();
    assertEquals(0, mem.move(0x10000, 3 * P, 0x40000));
    assertEquals(present, mem.presentPages()); // nothing touched, nothing created
    assertEquals(List.of(new Mapping(0x40000, 0x41000, RW),
        new Mapping(0x42000, 0x43000, PROT_NONE), new Mapping(0x43000, 0x48000, PROT_READ)),
        mem.mappings());
  }

  @Test
  void move_protNonePagesKeepTheirBytes() {
    mem.map(0x10000, P, RW);
    mem.write32(0x10010, 0xabcdef);
    mem.protect(0x10000, P, PROT_NONE);
    assertEquals(0, mem.move(0x10000, P, 0x20000));
    mem.protect(0x20000, P, PROT_READ);
    assertEquals(0xabcdef, mem.read32(0x20010));
  }

  @Test
  void move_forkSharedFramesStayCopyOnWrite() {
    mem.map(0x10000, P, RW);
    mem.write64(0x10000, 7);
    GuestMemory child = mem.forkCopy();
    assertEquals(0, mem.move(0x10000, P, 0x30000));
    mem.write64(0x30000, 8);
    assertEquals(7, child.read64(0x10000));
    assertEquals(8, mem.read64(0x30000));
  }

  @Test
  void move_tellsTheCodeListenerAboutMovedCodePages() {
    List<Long> invalidated = new ArrayList<>();
    mem.setCodeInvalidationListener(invalidated::add);
    mem.map(0x10000, P, PROT_READ | GuestMemory.PROT_EXEC);
    assertTrue(mem.markCode(0x10000));
    assertEquals(0, mem.move(0x10000, P, 0x20000));
    assertEquals(List.of(0x10000L), invalidated);
    assertTrue(!mem.isCode(0x20000));
  }

  @Test
  void move_errors() {
    mem.map(0x10000, 2 * P, RW);
    assertEquals(-EINVAL, mem.move(0x10001, P, 0x20000));
    assertEquals(-EINVAL, mem.move(0x10000, P, 0x20001));
    assertEquals(-EINVAL, mem.move(0x10000, 0, 0x20000));
    assertEquals(-EINVAL, mem.move(0x10000, 2 * P, 0x11000)); // overlapping
    assertEquals(-ENOMEM, mem.move(0x10000, P, TASK_SIZE));
    assertEquals(-ENOMEM, mem.move(0x10000, -1L, 0x20000));
  }
}
