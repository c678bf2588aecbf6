package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_EXEC;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_READ;
import static dev.blinkchroot.emulator.memory.GuestMemory.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.blinkchroot.emulator.memory.GuestMemory;
import org.junit.jupiter.api.Test;

/** Decoded blocks shared between address spaces that hold the same code at the same address. */
class SharedDecodesTest {
  private static final long CODE = 0x40_1000L;
  /** nop; nop; inc eax; ret */
  private static final byte[] PROGRAM = {(byte) 0x90, (byte) 0x90, (byte) 0xff, (byte) 0xc0,
      (byte) 0xc3};
  private final SharedDecodes shared = new SharedDecodes();

  private static GuestMemory spaceWith(byte[] code) {
    GuestMemory m = GuestMemory.create();
    m.map(CODE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    m.writeBytes(CODE, code, 0, code.length);
    return m;
  }

  @Test
  void theSameCodeAtTheSameAddress_isDecodedOnce() {
    CodeCache first = new CodeCache(spaceWith(PROGRAM), shared);
    CodeCache second = new CodeCache(spaceWith(PROGRAM), shared);
    CodeCache.Block a = first.blockAt(CODE);
    CodeCache.Block b = second.blockAt(CODE);
    assertNotSame(a, b, "each address space has its own block");
    assertSame(a.insns, b.insns, "with the instructions decoded once");
    assertEquals(1, shared.size());
  }

  @Test
  void otherBytes_areDecodedForThemselves() {
    byte[] other = PROGRAM.clone();
    other[1] = (byte) 0xc3; // nop; ret
    CodeCache first = new CodeCache(spaceWith(PROGRAM), shared);
    CodeCache second = new CodeCache(spaceWith(other), shared);
    assertEquals(4, first.blockAt(CODE).insns.length);
    assertEquals(2, second.blockAt(CODE).insns.length);
  }

  @Test
  void aWriteToThePage_endsTheSharing_forThatAddressSpaceOnly() {
    GuestMemory mine = spaceWith(PROGRAM);
    CodeCache first = new CodeCache(spaceWith(PROGRAM), shared);
    CodeCache second = new CodeCache(mine, shared);
    CodeCache.Block before = second.blockAt(CODE);
    mine.write8(CODE + 1, 0xc3);
    CodeCache.Block after = second.blockAt(CODE);
    assertEquals(2, after.insns.length, "re-decoded from the new bytes");
    assertSame(before.insns, first.blockAt(CODE).insns, "the other space keeps the shared code");
  }
}
