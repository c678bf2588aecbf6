package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.ANON;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.FIXED;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.PAGE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.PRIVATE;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.R;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.RW;
import static dev.blinkchroot.emulator.kernel.calls.MemorySyscallsTest.X;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.create;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.open;
import static dev.blinkchroot.emulator.kernel.calls.MmapTestFiles.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.vfs.Fcntl;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sequences musl's dynamic loader and malloc issue at start-up, end to end through the
 * dispatcher: mapping a shared object segment by segment, brk probing, realloc of a large block.
 *
 * <pre>
 *   libtest.so (5 pages on disk)          in memory at base:
 *   off 0x0000 .text  (2 pages)  R-X      base+0x0000 .. base+0x2000  r-x  off 0
 *   off 0x2000 .rodata (1 page)  R--      base+0x2000 .. base+0x3000  r--  off 0x2000
 *   off 0x3000 .data  (1.5 pages) RW-     base+0x4000 .. base+0x5800  rw-  off 0x3000
 *       (relro: the first data page)       base+0x4000 .. base+0x5000  r-- after mprotect
 *   .bss to base+0x7000                    base+0x6000 .. base+0x7000  rw-  anonymous
 * </pre>
 */
class MuslLoaderMappingTest {
  final KernelFixture k = new KernelFixture();
  final GuestMemory mem = k.process.memory();

  @Test
  void sharedObject_mappedLikeMuslLdso_hasTheRightBytesProtectionsAndNames() {
    byte[] file = pattern(5 * 4096, 11);
    create(k, "/libtest.so", file);
    int fd = open(k, "/libtest.so", Fcntl.O_RDONLY);
    long span = 7 * PAGE;
    // 1. Reserve the whole span with a PROT_READ file mapping, as map_library does.
    long base = k.call("mmap", 0, span, R, PRIVATE, fd, 0);
    assertTrue(base > 0 && base % PAGE == 0);
    // 2. Each PT_LOAD at its address with its protection, MAP_FIXED over the reservation.
    assertEquals(base, k.call("mmap", base, 2 * PAGE, R | X, PRIVATE | FIXED, fd, 0));
    assertEquals(base + 2 * PAGE,
        k.call("mmap", base + 2 * PAGE, PAGE, R, PRIVATE | FIXED, fd, 2 * PAGE));
    assertEquals(base + 4 * PAGE,
        k.call("mmap", base + 4 * PAGE, 2 * PAGE, RW, PRIVATE | FIXED, fd, 3 * PAGE));
    // 3. The gap between .rodata and .data: musl leaves it PROT_NONE.
    assertEquals(0, k.call("mprotect", base + 3 * PAGE, PAGE, 0));
    // 4. .bss: zero the tail of the last file page, anonymous pages after it.
    long bssStart = base + 4 * PAGE + 0x1800;
    mem.writeBytes(bssStart, new byte[0x800], 0, 0x800);
    assertEquals(base + 6 * PAGE,
        k.call("mmap", base + 6 * PAGE, PAGE, RW, PRIVATE | FIXED | ANON, -1, 0));
    // 5. RELRO, after relocation.
    mem.write64(base + 4 * PAGE + 16, 0xdeadbeefL);
    assertEquals(0, k.call("mprotect", base + 4 * PAGE, PAGE, R));

    assertArrayEquals(Arrays.copyOfRange(file, 0, 3 * 4096), k.read(base, 3 * 4096));
    assertEquals(0xdeadbeefL, mem.read64(base + 4 * PAGE + 16));
    assertArrayEquals(Arrays.copyOfRange(file, 3 * 4096 + 4096, 3 * 4096 + 0x1800),
        k.read(base + 5 * PAGE, 0x800));
    assertArrayEquals(new byte[0x800], k.read(bssStart, 0x800));
    assertArrayEquals(new byte[4096], k.read(base + 6 * PAGE, 4096));
    assertEquals(file[0], (byte) mem.fetch8(base)); // executable

    assertEquals(List.of(
        new GuestMemory.Mapping(base, base + 2 * PAGE, R | X),
        new GuestMemory.Mapping(base + 2 * PAGE, base + 3 * PAGE, R),
        new GuestMemory.Mapping(base + 3 * PAGE, base + 4 * PAGE, 0),
        new GuestMemory.Mapping(base + 4 * PAGE, base + 5 * PAGE, R),
        new GuestMemory.Mapping(base + 5 * PAGE, base + 7 * PAGE, RW)),
        mem.mappings().stream().filter(m -> m.start() >= base && m.end() <= base + span)
            .toList());
    assertThrows(MemoryFault.class, () -> mem.write8(base + 4 * PAGE, 1)); // relro
    assertThrows(MemoryFault.class, () -> mem.read8(base + 3 * PAGE));

    // What /proc/PID/maps names: the file with each range's offset; .bss anonymous.
    FileMappings names = k.process.fileMappings();
    assertNamed(names, base, base + 2 * PAGE, 0);
    assertNamed(names, base + 2 * PAGE, base + 3 * PAGE, 2 * PAGE);
    assertNamed(names, base + 3 * PAGE, base + 4 * PAGE, 3 * PAGE); // left of the reservation
    assertNamed(names, base + 4 * PAGE, base + 6 * PAGE, 3 * PAGE);
    assertNull(names.at(base + 6 * PAGE));
  }

  private static void assertNamed(FileMappings names, long start, long end, long offset) {
    for (long a = start; a < end; a += PAGE) {
      FileMappings.Named n = names.at(a);
      assertEquals("/libtest.so", n.nameString(), "at 0x" + Long.toHexString(a));
      assertEquals(offset + (a - start), n.offset() + (a - n.start()));
    }
  }

  @Test
  void mallocSequence_brkProbe_thenMmapAndMremapForLargeBlocks() {
    long start = 0x555555559000L;
    k.process.mm().setBrk(start, start);
    // musl's malloc: brk(0), then brk(cur + n); a refused expansion makes it fall back to mmap.
    long cur = k.call("brk", 0);
    assertEquals(start, cur);
    assertEquals(cur + 0x2000, k.call("brk", cur + 0x2000));
    mem.write64(cur + 0x1ff8, 1);
    // A large allocation: its own anonymous mapping, grown by realloc through mremap.
    long big = k.call("mmap", 0, 0x21000, RW, PRIVATE | ANON, -1, 0);
    byte[] payload = pattern(0x21000, 1);
    mem.writeBytes(big, payload, 0, payload.length);
    long small = k.call("mmap", 0, PAGE, RW, PRIVATE | ANON, -1, 0); // just below big
    long grown = k.call("mremap", big, 0x21000, 0x42000, MemoryRemapTest.MAYMOVE, 0);
    assertTrue(grown > 0);
    assertArrayEquals(payload, k.read(grown, payload.length));
    long shrunk = k.call("mremap", grown, 0x42000, 0x10000, 0, 0);
    assertEquals(grown, shrunk);
    assertEquals(0, k.call("munmap", shrunk, 0x10000));
    assertEquals(0, k.call("munmap", small, PAGE));
    assertEquals(1, mem.read64(cur + 0x1ff8));
  }
}
