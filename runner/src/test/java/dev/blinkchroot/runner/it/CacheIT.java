package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static dev.blinkchroot.runner.it.BlinkChroot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cache-dir and --no-cache through the real executable. */
class CacheIT {
  @TempDir Path tmp;

  @Test
  void noCache_works_andWritesNoCache() throws IOException {
    Path cacheHome = tmp.resolve("xdg");
    Files.createDirectories(cacheHome);
    String out = run(Map.of("XDG_CACHE_HOME", cacheHome.toString()),
        "fs", "--no-cache", alpineArg(), "cat", "/etc/alpine-release").assertSuccess().stdout();
    assertEquals("3.20.3\n", out);
    assertEquals(Map.of(), snapshot(cacheHome), "--no-cache must leave no cache behind");
  }

  @Test
  void cacheDir_secondRunReusesTheFirstRunsImport() throws IOException {
    Path cache = tmp.resolve("cache");
    String first = run("fs", "--cache-dir", cache.toString(), alpineArg(), "cat",
        "/etc/alpine-release").assertSuccess().stdout();
    Map<String, String> afterFirst = snapshot(cache);
    assertFalse(afterFirst.isEmpty(), "the first run should have filled " + cache);

    String second = run("fs", "--cache-dir", cache.toString(), alpineArg(), "cat",
        "/etc/alpine-release").assertSuccess().stdout();
    assertEquals("3.20.3\n", first);
    assertEquals(first, second);
    // Reuse means the cache is read, not rebuilt: no file is added, replaced or rewritten.
    assertEquals(afterFirst, snapshot(cache));
  }

  @Test
  void cacheDir_lsThroughTheCache_matchesAnUncachedRun() {
    Path cache = tmp.resolve("cache2");
    run("fs", "--cache-dir", cache.toString(), alpineArg(), "ls", "/").assertSuccess();
    String cached = run("fs", "--cache-dir", cache.toString(), alpineArg(), "ls", "-la", "/etc")
        .assertSuccess().stdout();
    String uncached = run("fs", "--no-cache", alpineArg(), "ls", "-la", "/etc").assertSuccess()
        .stdout();
    // Directory sizes are the store's own (a memory import reports tmpfs-like sizes, a cached
    // one 4096), as on Linux they depend on the file system; everything else must agree.
    assertEquals(withoutDirectorySizes(uncached), withoutDirectorySizes(cached));
  }

  private static String withoutDirectorySizes(String lsLong) {
    return lsLong.replaceAll("(?m)^total \\d+$", "total N")
        .replaceAll("(?m)^(d\\S+ +\\d+ +\\d+ +\\d+) +\\d+ ", "$1 SIZE ");
  }

  /** Every file under {@code root}: relative path -> size and modification time. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(root.relativize(p).toString(),
              Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
      }
    }
    return files;
  }
}
