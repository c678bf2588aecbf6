package dev.blinkchroot.emulator.memory;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuestMemoryAccessTest {
  private static final long BASE = 0x1000_0000L;
  private static final long BOUNDARY = BASE + 4096;
  private final GuestMemory mem = GuestMemory.create();

  @BeforeEach
  void mapTwoPages() {
    assertEquals(0, mem.map(BASE, 2 * 4096, PROT_READ | PROT_WRITE));
  }

  /** Value with distinct bytes 0x11, 0x22, ... in little-endian order, truncated to size. */
  private static long pattern(int size) {
    long v = 0;
    for (int i = 0; i < size; i++) {
      v |= (long) (0x11 * (i + 1)) << (8 * i);
    }
    return v;
  }

  private void write(long addr, int size, long v) {
    switch (size) {
      case 1 -> mem.write8(addr, (int) v);
      case 2 -> mem.write16(addr, (int) v);
      case 4 -> mem.write32(addr, (int) v);
      default -> mem.write64(addr, v);
    }
  }

  private long read(long addr, int size) {
    return switch (size) {
      case 1 -> mem.read8(addr);
      case 2 -> mem.read16(addr);
      case 4 -> mem.read32(addr) & 0xFFFF_FFFFL;
      default -> mem.read64(addr);
    };
  }

  @Test
  void writeThenRead_everySizeAtEveryOffsetAcrossPageBoundary_littleEndianByteWise() {
    for (int size : new int[] {1, 2, 4, 8}) {
      for (int back = 1; back < size; back++) {
        long addr = BOUNDARY - back;
        mem.writeBytes(BOUNDARY - 16, new byte[32], 0, 32);
        long v = pattern(size);
        write(addr, size, v);
        for (int i = 0; i < size; i++) {
          String where = "size " + size + " back " + back + " byte " + i;
          assertEquals(0x11 * (i + 1), mem.read8(addr + i), where);
        }
        assertEquals(0, mem.read8(addr - 1), "byte before untouched");
        assertEquals(0, mem.read8(addr + size), "byte after untouched");
        assertEquals(v, read(addr, size), "size " + size + " back " + back);
      }
    }
  }

  @Test
  void readCrossing_assemblesFromBytesWrittenSeparately() {
    for (int i = 0; i < 8; i++) {
      mem.write8(BOUNDARY - 3 + i, 0xA0 + i);
    }
    assertEquals(0xA7A6A5A4A3A2A1A0L, mem.read64(BOUNDARY - 3));
    assertEquals(0xA4A3A2A1, mem.read32(BOUNDARY - 2));
    assertEquals(0xA3A2, mem.read16(BOUNDARY - 1));
  }

  @Test
  void misalignedInPage_everySizeAndOffset_roundTrips() {
    for (int size : new int[] {2, 4, 8}) {
      for (int off = 1; off < 8; off++) {
        long addr = BASE + 64 + off;
        long v = pattern(size) ^ off;
        write(addr, size, v);
        assertEquals(v, read(addr, size));
        assertEquals(v & 0xFF, mem.read8(addr));
      }
    }
  }

  @Test
  void aligned_littleEndianLayout() {
    mem.write64(BASE, 0x0807060504030201L);
    for (int i = 0; i < 8; i++) {
      assertEquals(i + 1, mem.read8(BASE + i));
    }
    assertEquals(0x0201, mem.read16(BASE));
    assertEquals(0x08070605, mem.read32(BASE + 4));
    mem.write16(BASE + 2, 0xFFFF_BBAA); // upper bits ignored
    assertEquals(0x08070605BBAA0201L, mem.read64(BASE));
    assertEquals(0xBBAA, mem.read16(BASE + 2));
  }

  @Test
  void read8And16_zeroExtend() {
    mem.write16(BASE, 0xFFFF);
    assertEquals(0xFF, mem.read8(BASE));
    assertEquals(0xFFFF, mem.read16(BASE));
  }

  @Test
  void bulkCopy_acrossBoundary_roundTrips() {
    byte[] src = new byte[5000];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 7);
    }
    mem.writeBytes(BASE + 100, src, 0, src.length);
    byte[] dst = new byte[src.length];
    mem.readBytes(BASE + 100, dst, 0, dst.length);
    assertArrayEquals(src, dst);
    assertEquals(src[4096 - 100] & 0xFF, mem.read8(BOUNDARY));
  }

  @Test
  void fetch_readsBytesAcrossPages() {
    mem.write64(BOUNDARY - 4, 0x8877665544332211L);
    assertEquals(0, mem.protect(BASE, 2 * 4096, PROT_READ | GuestMemory.PROT_EXEC));
    byte[] buf = new byte[8];
    assertEquals(8, mem.fetch(BOUNDARY - 4, buf, 0, 8));
    assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88}, buf);
    assertEquals(0x55, mem.fetch8(BOUNDARY));
  }
}
