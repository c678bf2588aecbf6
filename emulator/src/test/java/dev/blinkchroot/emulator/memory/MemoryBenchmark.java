package dev.blinkchroot.emulator.memory;

import dev.blinkchroot.emulator.kernel.Kernel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Throughput of the guest memory hot paths on a 64 MiB mapping, next to the same access pattern
 * on one plain {@code byte[]} (the floor any page-table design pays on top of). Not a JMH run:
 * warm-up rounds, then the best of several timed rounds.
 *
 * <pre>java -cp emulator/target/classes:emulator/target/test-classes \
 *     dev.blinkchroot.emulator.memory.MemoryBenchmark</pre>
 */
public final class MemoryBenchmark {
  private static final long BASE = 0x7F00_0000_0000L;
  private static final int SIZE = 64 << 20;
  private static final int OPS = 32 << 20;
  private static final VarHandle RAW =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static volatile long sink;

  private MemoryBenchmark() {}

  interface Kernel {
    long run();
  }

  public static void main(String[] args) {
    GuestMemory mem = GuestMemory.create();
    if (mem.map(BASE, SIZE, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE) != 0) {
      throw new IllegalStateException("map");
    }
    for (long a = BASE; a < BASE + SIZE; a += 4096) {
      mem.write64(a, a); // touch every page: measure access, not first-touch allocation
    }
    byte[] raw = new byte[SIZE];

    report("guest seq read64 ", () -> seqRead(mem));
    report("guest seq write64", () -> seqWrite(mem));
    report("guest rnd read64 ", () -> rndRead(mem));
    report("guest rnd write64", () -> rndWrite(mem));
    report("raw   seq read64 ", () -> rawSeqRead(raw));
    report("raw   rnd read64 ", () -> rawRndRead(raw));
    report("guest seq read8  ", () -> seqRead8(mem));
    report("guest rnd read64 in 4 MiB (TLB-resident)", () -> rndReadSmall(mem));
  }

  private static void report(String name, Kernel k) {
    for (int i = 0; i < 5; i++) {
      sink += k.run();
    }
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      sink += k.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    double mops = OPS / best * 1e3;
    System.out.printf(Locale.ROOT, "%-42s %8.1f M ops/s  %6.2f ns/op%n", name, mops, best / OPS);
  }

  private static long seqRead(GuestMemory mem) {
    long s = 0;
    for (int i = 0; i < OPS; i++) {
      s += mem.read64(BASE + (((long) i << 3) & (SIZE - 1)));
    }
    return s;
  }

  private static long seqRead8(GuestMemory mem) {
    long s = 0;
    for (int i = 0; i < OPS; i++) {
      s += mem.read8(BASE + (i & (SIZE - 1)));
    }
    return s;
  }

  private static long seqWrite(GuestMemory mem) {
    for (int i = 0; i < OPS; i++) {
      mem.write64(BASE + (((long) i << 3) & (SIZE - 1)), i);
    }
    return 0;
  }

  private static long rndRead(GuestMemory mem) {
    long s = 0;
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < OPS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      s += mem.read64(BASE + (x & (SIZE - 8)));
    }
    return s;
  }

  private static long rndReadSmall(GuestMemory mem) {
    long s = 0;
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < OPS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      s += mem.read64(BASE + (x & ((4 << 20) - 8)));
    }
    return s;
  }

  private static long rndWrite(GuestMemory mem) {
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < OPS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      mem.write64(BASE + (x & (SIZE - 8)), x);
    }
    return 0;
  }

  private static long rawSeqRead(byte[] raw) {
    long s = 0;
    for (int i = 0; i < OPS; i++) {
      s += (long) RAW.getAcquire(raw, (i << 3) & (SIZE - 1));
    }
    return s;
  }

  private static long rawRndRead(byte[] raw) {
    long s = 0;
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < OPS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      s += (long) RAW.getAcquire(raw, (int) (x & (SIZE - 8)));
    }
    return s;
  }
}
