package dev.blinkchroot.rootfs;

import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Times the in-memory import of the Alpine minirootfs and measures the heap one imported tree
 * retains. Usage: {@code ImportBenchmark [tarball [iterations]]}; the tarball defaults to
 * $BLINK_CHROOT_ALPINE, else /work/shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz.
 */
final class ImportBenchmark {
  private static final String DEFAULT =
      "/work/shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz";

  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    Path tarball = Path.of(args.length > 0 ? args[0] : env != null ? env : DEFAULT);
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int warmup = Math.max(5, iterations / 2);

    for (int i = 0; i < warmup; i++) {
      Images.importArchive(tarball, NioBackend.memory());
    }
    long[] ns = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      Images.importArchive(tarball, NioBackend.memory());
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    System.out.printf("import %s into NioBackend.memory(): %d runs after %d warm-up:"
        + " median %.1f ms, min %.1f ms%n", tarball.getFileName(), iterations, warmup,
        ns[iterations / 2] / 1e6, ns[0] / 1e6);

    long[] hash = new long[10];
    for (int i = 0; i < hash.length; i++) {
      long t0 = System.nanoTime();
      ImageCache.sha256(tarball, tarball.toString());
      hash[i] = System.nanoTime() - t0;
    }
    Arrays.sort(hash);
    System.out.printf("sha256 of the tarball (the cache key, paid on every cached open):"
        + " median %.1f ms, min %.1f ms%n", hash[hash.length / 2] / 1e6, hash[0] / 1e6);

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    NioBackend held = NioBackend.memory();
    Images.importArchive(tarball, held);
    long after = usedAfterGc(memory);
    long unpacked = unpackedSize(tarball);
    System.out.printf("heap retained by one imported tree: %.2f MB; unpacked size (regular"
        + " files): %.2f MB; ratio %.2f%n", (after - before) / 1e6, unpacked / 1e6,
        (double) (after - before) / unpacked);
    // Keeps the tree reachable until after the measurement above.
    java.lang.ref.Reference.reachabilityFence(held);
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The sum of the regular files' sizes, read from the archive itself. */
  private static long unpackedSize(Path tarball) throws IOException {
    long total = 0;
    try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(tarball), true);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          total += e.getSize();
        }
      }
    }
    return total;
  }
}
