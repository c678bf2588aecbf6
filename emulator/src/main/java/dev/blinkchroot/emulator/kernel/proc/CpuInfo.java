package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.cpu.Cpuid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/cpuinfo, derived from {@link Cpuid} so it can never disagree with what CPUID tells a
 * program: vendor, family/model/stepping, the brand string, cache and address sizes, and a flags
 * line holding exactly the features CPUID reports, by Linux's names and in Linux's order
 * (arch/x86 capability words: leaf 1 EDX, 0x80000001 EDX, leaf 1 ECX, 0x80000001 ECX, leaf 7
 * EBX). One processor, as CPUID's topology leaves say.
 */
final class CpuInfo {
  private CpuInfo() {}

  /** A feature bit: leaf, sub-leaf, register (0 EAX .. 3 EDX), bit, and the name Linux gives it. */
  record Feature(int leaf, int sub, int reg, int bit, String name) {
    Feature(int leaf, int reg, int bit, String name) {
      this(leaf, 0, reg, bit, name);
    }
  }

  private static final int ECX = 2;
  private static final int EDX = 3;
  private static final int EBX = 1;
  private static final int EAX = 0;

  /**
   * Every feature bit Linux names in /proc/cpuinfo for the leaves we report, in Linux's order.
   * Bits Linux hides (OSXSAVE) are absent; a bit CPUID does not set is left out of the line.
   */
  static final List<Feature> FEATURES = List.of(
      // CPUID 1 EDX (capability word 0)
      new Feature(1, EDX, 0, "fpu"), new Feature(1, EDX, 1, "vme"), new Feature(1, EDX, 2, "de"),
      new Feature(1, EDX, 3, "pse"), new Feature(1, EDX, 4, "tsc"), new Feature(1, EDX, 5, "msr"),
      new Feature(1, EDX, 6, "pae"), new Feature(1, EDX, 7, "mce"), new Feature(1, EDX, 8, "cx8"),
      new Feature(1, EDX, 9, "apic"), new Feature(1, EDX, 11, "sep"),
      new Feature(1, EDX, 12, "mtrr"), new Feature(1, EDX, 13, "pge"),
      new Feature(1, EDX, 14, "mca"), new Feature(1, EDX, 15, "cmov"),
      new Feature(1, EDX, 16, "pat"), new Feature(1, EDX, 17, "pse36"),
      new Feature(1, EDX, 19, "clflush"), new Feature(1, EDX, 23, "mmx"),
      new Feature(1, EDX, 24, "fxsr"), new Feature(1, EDX, 25, "sse"),
      new Feature(1, EDX, 26, "sse2"), new Feature(1, EDX, 28, "ht"),
      // CPUID 0x80000001 EDX (word 1)
      new Feature(0x80000001, EDX, 11, "syscall"), new Feature(0x80000001, EDX, 20, "nx"),
      new Feature(0x80000001, EDX, 27, "rdtscp"), new Feature(0x80000001, EDX, 29, "lm"),
      // CPUID 1 ECX (word 4)
      new Feature(1, ECX, 0, "pni"), new Feature(1, ECX, 1, "pclmulqdq"),
      new Feature(1, ECX, 9, "ssse3"), new Feature(1, ECX, 12, "fma"),
      new Feature(1, ECX, 13, "cx16"), new Feature(1, ECX, 19, "sse4_1"),
      new Feature(1, ECX, 20, "sse4_2"), new Feature(1, ECX, 22, "movbe"),
      new Feature(1, ECX, 23, "popcnt"), new Feature(1, ECX, 25, "aes"),
      new Feature(1, ECX, 26, "xsave"), new Feature(1, ECX, 28, "avx"),
      new Feature(1, ECX, 29, "f16c"), new Feature(1, ECX, 30, "rdrand"),
      new Feature(1, ECX, 31, "hypervisor"),
      // CPUID 0x80000001 ECX (word 6)
      new Feature(0x80000001, ECX, 0, "lahf_lm"), new Feature(0x80000001, ECX, 5, "abm"),
      new Feature(0x80000001, ECX, 6, "sse4a"), new Feature(0x80000001, ECX, 8, "3dnowprefetch"),
      // CPUID 7.0 EBX (word 9)
      new Feature(7, EBX, 0, "fsgsbase"), new Feature(7, EBX, 3, "bmi1"),
      new Feature(7, EBX, 5, "avx2"), new Feature(7, EBX, 8, "bmi2"),
      new Feature(7, EBX, 9, "erms"), new Feature(7, EBX, 18, "rdseed"),
      new Feature(7, EBX, 19, "adx"), new Feature(7, EBX, 29, "sha_ni"),
      // CPUID 0xD.1 EAX (word 10)
      new Feature(0xd, 1, EAX, 0, "xsaveopt"), new Feature(0xd, 1, EAX, 1, "xsavec"),
      new Feature(0xd, 1, EAX, 2, "xgetbv1"), new Feature(0xd, 1, EAX, 3, "xsaves"));

  /** The names of the features CPUID reports, in Linux's order. */
  static List<String> flags() {
    List<String> out = new ArrayList<>();
    for (Feature f : FEATURES) {
      int[] r = Cpuid.query(f.leaf(), f.sub());
      if ((r[f.reg()] & (1 << f.bit())) != 0) {
        out.add(f.name());
      }
    }
    return out;
  }

  static String text() {
    int[] leaf0 = Cpuid.query(0, 0);
    int[] leaf1 = Cpuid.query(1, 0);
    int eax = leaf1[0];
    int stepping = eax & 0xf;
    int model = (eax >>> 4) & 0xf;
    int family = (eax >>> 8) & 0xf;
    // The extended model counts for families 6 and 15, the extended family for 15 only.
    if (family == 6 || family == 15) {
      model |= ((eax >>> 16) & 0xf) << 4;
    }
    if (family == 15) {
      family += (eax >>> 20) & 0xff;
    }
    int clflush = ((leaf1[1] >>> 8) & 0xff) * 8;
    int[] addr = Cpuid.query(0x80000008, 0);
    StringBuilder sb = new StringBuilder();
    sb.append("processor\t: 0\n");
    sb.append("vendor_id\t: ").append(vendor(leaf0)).append('\n');
    sb.append("cpu family\t: ").append(family).append('\n');
    sb.append("model\t\t: ").append(model).append('\n');
    sb.append("model name\t: ").append(brand()).append('\n');
    sb.append("stepping\t: ").append(stepping).append('\n');
    sb.append("cpu MHz\t\t: 1000.000\n");
    sb.append("cache size\t: ").append(lastLevelCacheKb()).append(" KB\n");
    sb.append("physical id\t: 0\n");
    sb.append("siblings\t: 1\n");
    sb.append("core id\t\t: 0\n");
    sb.append("cpu cores\t: 1\n");
    sb.append("apicid\t\t: 0\n");
    sb.append("initial apicid\t: 0\n");
    sb.append("fpu\t\t: yes\n");
    sb.append("fpu_exception\t: yes\n");
    sb.append("cpuid level\t: ").append(leaf0[0]).append('\n');
    sb.append("wp\t\t: yes\n");
    sb.append("flags\t\t: ").append(String.join(" ", flags())).append('\n');
    sb.append("bugs\t\t:\n");
    sb.append("bogomips\t: 2000.00\n");
    sb.append("clflush size\t: ").append(clflush).append('\n');
    sb.append("cache_alignment\t: ").append(clflush).append('\n');
    sb.append("address sizes\t: ").append(addr[0] & 0xff).append(" bits physical, ")
        .append((addr[0] >>> 8) & 0xff).append(" bits virtual\n");
    sb.append("power management:\n\n");
    return sb.toString();
  }

  /** The vendor string: EBX, EDX, ECX of leaf 0. */
  static String vendor(int[] leaf0) {
    byte[] b = new byte[12];
    put(b, 0, leaf0[1]);
    put(b, 4, leaf0[3]);
    put(b, 8, leaf0[2]);
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** The brand string of leaves 0x80000002-4, without its NUL padding. */
  static String brand() {
    byte[] b = new byte[48];
    for (int part = 0; part < 3; part++) {
      int[] r = Cpuid.query(0x80000002 + part, 0);
      for (int i = 0; i < 4; i++) {
        put(b, part * 16 + i * 4, r[i]);
      }
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.US_ASCII).trim();
  }

  /** The largest cache CPUID leaf 4 describes, in KiB (what Linux shows as "cache size"). */
  private static long lastLevelCacheKb() {
    long best = 0;
    for (int sub = 0; sub < 8; sub++) {
      int[] r = Cpuid.query(4, sub);
      if ((r[0] & 0x1f) == 0) {
        break;
      }
      long ways = ((r[1] >>> 22) & 0x3ff) + 1;
      long partitions = ((r[1] >>> 12) & 0x3ff) + 1;
      long line = (r[1] & 0xfff) + 1;
      long sets = (r[2] & 0xffffffffL) + 1;
      best = Math.max(best, ways * partitions * line * sets / 1024);
    }
    return best;
  }

  private static void put(byte[] b, int o, int v) {
    b[o] = (byte) v;
    b[o + 1] = (byte) (v >>> 8);
    b[o + 2] = (byte) (v >>> 16);
    b[o + 3] = (byte) (v >>> 24);
  }
}
