package dev.blinkchroot.emulator.cpu;

/**
 * The SSE4.2 CRC32 instruction: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) folded over
 * 1, 2, 4 or 8 source bytes, least significant byte first, with no pre- or post-inversion (the
 * instruction leaves those to software).
 */
final class Crc32c {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
      }
      TABLE[i] = c;
    }
  }

  private Crc32c() {}

  static int update(int crc, long data, int bytes) {
    for (int i = 0; i < bytes; i++) {
      crc = (crc >>> 8) ^ TABLE[(crc ^ (int) (data >>> (8 * i))) & 0xff];
    }
    return crc;
  }
}
