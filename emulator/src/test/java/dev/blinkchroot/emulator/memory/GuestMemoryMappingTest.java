package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.EINVAL;
import static dev.blinkchroot.emulator.memory.GuestMemory.ENOMEM;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_EXEC;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_NONE;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static dev.blinkchroot.emulator.memory.GuestMemory.TASK_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.memory.GuestMemory.Mapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMemoryMappingTest {
  private static final int RW = PROT_READ | PROT_WRITE;
  private final GuestMemory mem = GuestMemory.create();

  @Test
  void map_misalignedAddress_einval() {
    assertEquals(-EINVAL, mem.map(0x10001, 4096, RW));
  }

  @Test
  void map_zeroLength_einval() {
    assertEquals(-EINVAL, mem.map(0x10000, 0, RW));
  }

  @Test
  void map_unknownProtBits_einval() {
    assertEquals(-EINVAL, mem.map(0x10000, 4096, 0x8));
  }

  @Test
  void map_beyondTaskSize_enomem() {
    assertEquals(-ENOMEM, mem.map(TASK_SIZE - 4096, 8192, RW));
    assertEquals(-ENOMEM, mem.map(0x10000, -1L, RW));
    assertEquals(0, mem.map(TASK_SIZE - 4096, 4096, RW));
  }

  @Test
  void map_lengthRoundedUpToPage() {
    assertEquals(0, mem.map(0x10000, 1, RW));
    assertEquals(List.of(new Mapping(0x10000, 0x11000, RW)), mem.mappings());
  }

  @Test
  void map_isZeroFilledAndCreatesPagesLazily() {
    assertEquals(0, mem.map(0x1_0000_0000L, 1L << 40, PROT_NONE)); // a 1 TiB reservation
    assertEquals(0, mem.map(0x20000, 16 * 4096, RW));
    assertEquals(0, mem.presentPages());
    assertEquals(0, mem.read64(0x20000 + 8 * 4096));
    assertEquals(1, mem.presentPages());
  }

  @Test
  void map_overExistingRange_replacesContentAndProtection() {
    mem.map(0x10000, 3 * 4096, RW);
    mem.write64(0x11000, 0x1122334455667788L);
    assertEquals(0, mem.map(0x11000, 4096, PROT_READ));
    assertEquals(0, mem.read64(0x11000));
    assertEquals(
        List.of(
            new Mapping(0x10000, 0x11000, RW),
            new Mapping(0x11000, 0x12000, PROT_READ),
            new Mapping(0x12000, 0x13000, RW)),
        mem.mappings());
  }

  @Test
  void mappings_adjacentEqualProtection_merged() {
    mem.map(0x10000, 4096, RW);
    mem.map(0x12000, 4096, RW);
    mem.map(0x11000, 4096, RW);
    assertEquals(List.of(new Mapping(0x10000, 0x13000, RW)), mem.mappings());
  }

  @Test
  void unmap_middle_splitsRegionAndFaults() {
    mem.map(0x10000, 3 * 4096, RW);
    assertEquals(0, mem.unmap(0x11000, 4096));
    assertEquals(
        List.of(new Mapping(0x10000, 0x11000, RW), new Mapping(0x12000, 0x13000, RW)),
        mem.mappings());
    MemoryFault f = assertThrows(MemoryFault.class, () -> mem.read8(0x11800));
    assertEquals(MemoryFault.Reason.NOT_MAPPED, f.reason());
  }

  @Test
  void unmap_unmappedRange_succeeds() {
    assertEquals(0, mem.unmap(0x40000, 10 * 4096));
  }

  @Test
  void unmap_misalignedOrZeroOrBeyondTaskSize_einval() {
    assertEquals(-EINVAL, mem.unmap(0x10800, 4096));
    assertEquals(-EINVAL, mem.unmap(0x10000, 0));
    assertEquals(-EINVAL, mem.unmap(TASK_SIZE - 4096, 8192));
    assertEquals(-EINVAL, mem.unmap(-4096L, 4096));
  }

  @Test
  void protect_rangeWithHole_enomemAndNothingChanged() {
    mem.map(0x10000, 4096, RW);
    mem.map(0x12000, 4096, RW);
    assertEquals(-ENOMEM, mem.protect(0x10000, 3 * 4096, PROT_READ));
    assertEquals(RW, mem.protectionAt(0x10000));
    assertEquals(RW, mem.protectionAt(0x12000));
  }

  @Test
  void protect_misalignedOrBadProt_einval_zeroLength_ok() {
    mem.map(0x10000, 4096, RW);
    assertEquals(-EINVAL, mem.protect(0x10004, 4096, PROT_READ));
    assertEquals(-EINVAL, mem.protect(0x10000, 4096, 0x10));
    assertEquals(0, mem.protect(0x10000, 0, PROT_READ));
    assertEquals(RW, mem.protectionAt(0x10000));
  }

  @Test
  void protect_middle_splitsAndKeepsContent() {
    mem.map(0x10000, 3 * 4096, RW);
    mem.write32(0x11010, 0xCAFEBABE);
    assertEquals(0, mem.protect(0x11000, 4096, PROT_READ | PROT_EXEC));
    assertEquals(0xCAFEBABE, mem.read32(0x11010));
    assertEquals(0xBE, mem.fetch8(0x11010));
    assertEquals(
        List.of(
            new Mapping(0x10000, 0x11000, RW),
            new Mapping(0x11000, 0x12000, PROT_READ | PROT_EXEC),
            new Mapping(0x12000, 0x13000, RW)),
        mem.mappings());
    assertEquals(-1, mem.protectionAt(0x13000));
  }

  @Test
  void findUnmapped_topDownBelowHighestMapping() {
    mem.map(0x7000_0000_0000L, 4 * 4096, RW);
    mem.map(0x6FFF_FFFF_E000L, 4096, RW); // leaves a one-page hole below the first mapping
    long high = 0x7000_0000_4000L;
    assertEquals(0x6FFF_FFFF_F000L, mem.findUnmapped(4096, 0x10000, high));
    assertEquals(0x6FFF_FFFF_C000L, mem.findUnmapped(8192, 0x10000, high));
    assertEquals(-ENOMEM, mem.findUnmapped(8192, 0x6FFF_FFFF_D000L, high));
  }

  @Test
  void release_unmapsEverything() {
    mem.map(0x10000, 4096, RW);
    mem.write8(0x10000, 1);
    mem.release();
    assertEquals(List.of(), mem.mappings());
    assertEquals(0, mem.presentPages());
    assertThrows(MemoryFault.class, () -> mem.read8(0x10000));
  }
}
