package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stderr progress line: only after a second, redrawn with \r, erased at the end. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong();

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fastImport_printsNothing() {
    Progress p = new Progress("alpine.tar.gz", out, clock::get);
    clock.set(900_000_000L);
    p.update(50, 100, 10);
    p.finish();
    assertEquals("", printed());
  }

  @Test
  void slowImport_showsPercentAndEntries_thenErasesTheLine() {
    Progress p = new Progress("alpine.tar.gz", out, clock::get);
    clock.set(1_200_000_000L);
    p.update(42, 100, 218);
    String line = "blink-chroot: unpacking alpine.tar.gz: 42% (218 entries)";
    assertEquals("\r" + line, printed());
    clock.addAndGet(10_000_000L);
    p.update(43, 100, 219);
    assertEquals("\r" + line, printed(), "redrawn at most every 100 ms");
    clock.addAndGet(200_000_000L);
    p.update(99, 100, 517);
    p.finish();
    String all = printed();
    assertTrue(all.contains("\rblink-chroot: unpacking alpine.tar.gz: 99% (517 entries)"), all);
    assertTrue(all.endsWith("\r" + " ".repeat(line.length()) + "\r"), all);
  }

  @Test
  void notATerminal_printsNothingEvenWhenSlow() {
    Progress p = Progress.forTerminal(false, "x");
    p.update(1, 2, 3);
    p.finish();
    assertEquals(Progress.none(), p);
  }
}
