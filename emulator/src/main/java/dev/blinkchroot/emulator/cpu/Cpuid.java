package dev.blinkchroot.emulator.cpu;

import java.nio.charset.StandardCharsets;

/**
 * CPUID of the one CPU model the emulator implements, whatever the host: an Intel Xeon of
 * family 6, model 0xCF (Emerald Rapids), stepping 2 ({@link #MODEL}). The results the
 * architecture leaves to the implementation follow that CPU as recorded in
 * {@code ../shared/cpu-reference/}: the RCPPS/RSQRTPS tables, DPPS/DPPD's summation order,
 * the x87 pointer policy of the state images, and XSAVE's XSTATE_BV.
 *
 * <p>The feature leaves claim exactly what the emulator implements (SSE to SSE4.2, POPCNT,
 * LZCNT, BMI1, BMI2, ADX, MOVBE, CMPXCHG16B, RDRAND, RDSEED, RDTSCP, FXSR, XSAVE and XSAVEC of
 * x87 and SSE state), and no AVX, as a hypervisor masks what it does not pass through; the
 * brand string and the hypervisor leaf (0x40000000, signature "blink-chroot") say that this is
 * an emulation. Leaf 7 reports the model's FDP_EXCPTN_ONLY and FCS/FDS deprecation, which the
 * x87 images follow. Cache geometry is that of one core of the model (its L3 slice); topology
 * is one core with one thread, fixed, so runs are reproducible whatever the host.
 */
public final class Cpuid {
  /** The emulated model, as README.md and /proc/cpuinfo name it. */
  public static final String MODEL =
      "Intel Xeon family 6 model 0xCF (Emerald Rapids) stepping 2";

  /** XCR0 as XGETBV reports it: x87 and SSE state enabled. */
  public static final long XCR0 = 0b11;

  static final String VENDOR = "GenuineIntel";
  static final String HYPERVISOR = "blink-chroot";
  static final String BRAND = "Intel Xeon 06_CFH (emulated by blink-chroot)";
  /** Leaf 1 EAX: stepping 2, model 0xF + extended model 0xC, family 6. */
  static final int SIGNATURE = 0x000c06f2;

  // Leaf 1 ECX
  private static final int SSE3 = 1, SSSE3 = 1 << 9, CX16 = 1 << 13, SSE41 = 1 << 19;
  private static final int SSE42 = 1 << 20, MOVBE = 1 << 22, POPCNT = 1 << 23, XSAVE = 1 << 26;
  private static final int OSXSAVE = 1 << 27, RDRAND = 1 << 30, HYPERVISOR_BIT = 1 << 31;
  // Leaf 1 EDX
  private static final int FPU = 1, TSC = 1 << 4, CX8 = 1 << 8, CMOV = 1 << 15, CLFSH = 1 << 19;
  private static final int MMX = 1 << 23, FXSR = 1 << 24, SSE = 1 << 25, SSE2 = 1 << 26;
  // Leaf 7 EBX
  private static final int BMI1 = 1 << 3, FDP_EXCPTN_ONLY = 1 << 6, BMI2 = 1 << 8;
  private static final int FCS_FDS_DEPRECATED = 1 << 13, RDSEED = 1 << 18, ADX = 1 << 19;
  // Leaf 0xD sub-leaf 1 EAX
  private static final int XSAVEC = 1 << 1;
  // Leaf 0x80000001 ECX / EDX
  private static final int LAHF_LM = 1, ABM = 1 << 5, PREFETCHW = 1 << 8;
  private static final int SYSCALL = 1 << 11, NX = 1 << 20, RDTSCP = 1 << 27, LM = 1 << 29;
  /** The XSAVE area for XCR0: the 512-byte legacy region and the 64-byte header. */
  private static final int XSAVE_SIZE = 576;

  private Cpuid() {}

  /** Fills RAX, RBX, RCX, RDX (zero-extended) for leaf EAX, sub-leaf ECX. */
  static void execute(Cpu cpu) {
    int leaf = (int) cpu.gpr[Cpu.RAX];
    int sub = (int) cpu.gpr[Cpu.RCX];
    int[] r = query(leaf, sub);
    cpu.write(Cpu.RAX, 4, r[0]);
    cpu.write(Cpu.RBX, 4, r[1]);
    cpu.write(Cpu.RCX, 4, r[2]);
    cpu.write(Cpu.RDX, 4, r[3]);
  }

  /** {EAX, EBX, ECX, EDX} for a leaf and sub-leaf. */
  public static int[] query(int leaf, int sub) {
    switch (leaf) {
      case 0:
        return withString(0xd, VENDOR, true);
      case 1:
        // CLFLUSH line 8 qwords; one logical processor.
        return new int[] {SIGNATURE, 0x00010800,
            SSE3 | SSSE3 | CX16 | SSE41 | SSE42 | MOVBE | POPCNT | XSAVE | OSXSAVE | RDRAND
                | HYPERVISOR_BIT,
            FPU | TSC | CX8 | CMOV | CLFSH | MMX | FXSR | SSE | SSE2};
      case 2:
        return new int[] {0x00ff0001, 0, 0, 0}; // descriptor 0xff: see leaf 4
      case 4:
        return cacheLeaf(sub);
      case 7:
        return sub == 0
            ? new int[] {0, BMI1 | FDP_EXCPTN_ONLY | BMI2 | FCS_FDS_DEPRECATED | RDSEED | ADX, 0, 0}
            : new int[4];
      case 0xb:
        // One thread per core, one core: level 0 (SMT) and 1 (core) each with one processor.
        if (sub == 0) {
          return new int[] {0, 1, 0x100, 0};
        }
        return sub == 1 ? new int[] {0, 1, 0x201, 0} : new int[] {0, 0, sub, 0};
      case 0xd:
        if (sub == 0) {
          return new int[] {(int) XCR0, XSAVE_SIZE, XSAVE_SIZE, 0};
        }
        if (sub == 1) {
          return new int[] {XSAVEC, XSAVE_SIZE, 0, 0}; // no XSAVEOPT, XGETBV1, XSAVES
        }
        return new int[4];
      case 0x40000000:
        return withString(0x40000000, HYPERVISOR, false);
      case 0x80000000:
        return new int[] {0x80000008, 0, 0, 0};
      case 0x80000001:
        return new int[] {0, 0, LAHF_LM | ABM | PREFETCHW, SYSCALL | NX | RDTSCP | LM};
      case 0x80000002: case 0x80000003: case 0x80000004:
        return brandPart(leaf - 0x80000002);
      case 0x80000006:
        return new int[] {0, 0, (2048 << 16) | (8 << 12) | 64, 0}; // L2 2 MiB, 16-way, 64 B lines
      case 0x80000008:
        return new int[] {0x302e, 0, 0, 0}; // 46 physical, 48 virtual address bits
      default:
        return new int[4];
    }
  }

  /** Leaf 4: L1d 48K 12-way, L1i 32K 8-way, L2 2M 16-way, L3 slice 5M 20-way; 64-byte lines. */
  private static int[] cacheLeaf(int sub) {
    int type;
    int level;
    int ways;
    int sets;
    switch (sub) {
      case 0: type = 1; level = 1; ways = 12; sets = 64; break;
      case 1: type = 2; level = 1; ways = 8; sets = 64; break;
      case 2: type = 3; level = 2; ways = 16; sets = 2048; break;
      case 3: type = 3; level = 3; ways = 20; sets = 4096; break;
      default: return new int[4];
    }
    int eax = type | (level << 5) | (1 << 8) /* self-initialising */;
    int ebx = (63) | (0 << 12) | ((ways - 1) << 22);
    return new int[] {eax, ebx, sets - 1, 0};
  }

  private static int[] withString(int eax, String s, boolean vendorOrder) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    int w0 = word(b, 0);
    int w1 = word(b, 4);
    int w2 = word(b, 8);
    // The vendor string is spread over EBX, EDX, ECX; a hypervisor signature over EBX, ECX, EDX.
    return vendorOrder ? new int[] {eax, w0, w2, w1} : new int[] {eax, w0, w1, w2};
  }

  private static int[] brandPart(int part) {
    byte[] brand = new byte[48];
    byte[] s = BRAND.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, brand, 0, Math.min(s.length, 47));
    int o = part * 16;
    return new int[] {word(brand, o), word(brand, o + 4), word(brand, o + 8), word(brand, o + 12)};
  }

  private static int word(byte[] b, int o) {
    return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
  }
}
