package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --store DIR} keeps every change a run made, with its Linux metadata, when blink-chroot
 * is killed mid-run: the guest makes files of every kind, says "ready" and sleeps; the JVM gets
 * a signal; a second run on the same store must see everything. A journal damaged before its
 * end refuses the store in one line, rather than opening it without the changes it holds.
 */
class StoreDurabilityIT {
  /** Modes, owners, a device, a FIFO, links, a set time, an image file deleted, one moved. */
  private static final String CHANGES = "touch /f; chown 123:45 /f; chmod 4751 /f; "
      + "mkdir -m 2750 /d; mknod /d/n c 1 3; mkfifo -m 600 /d/p; ln -s /f /d/l; ln /f /d/h; "
      + "touch -d '2001-02-03 04:05:06' /d/t; rm /etc/motd; mv /etc/issue /d/issue; "
      + "echo ready; sleep 30";
  private static final String CHECK = "stat -c '%n %a %u %g %h %F %t,%T' /f /d /d/n /d/p /d/l "
      + "/d/h /d/t /d/issue; stat -c '%n %Y' /d/t; ls /etc/motd /etc/issue 2>&1; true";
  private static final String EXPECTED = String.join("\n",
      "/f 4751 123 45 2 regular empty file 0,0",
      "/d 2750 0 0 2 directory 0,0",
      "/d/n 644 0 0 1 character special file 1,3",
      "/d/p 600 0 0 1 fifo 0,0",
      "/d/l 777 0 0 1 symbolic link 0,0",
      "/d/h 4751 123 45 2 regular empty file 0,0",
      "/d/t 644 0 0 1 regular empty file 0,0",
      "/d/issue 644 0 0 1 regular file 0,0",
      "/d/t 981173106",
      "ls: /etc/motd: No such file or directory",
      "ls: /etc/issue: No such file or directory",
      "");
  private static final long READY_SECONDS = 90;

  @TempDir Path tmp;

  @Test
  void killedWithSigkill_nextRunSeesEveryChangeWithItsMetadata() throws Exception {
    killMidRunThenCheck("KILL");
  }

  @Test
  void killedWithSigterm_nextRunSeesEveryChangeWithItsMetadata() throws Exception {
    killMidRunThenCheck("TERM");
  }

  @Test
  void interruptedWithSigint_nextRunSeesEveryChangeWithItsMetadata() throws Exception {
    killMidRunThenCheck("INT");
  }

  @Test
  void damagedJournal_refusesTheStoreInOneLineNamingTheFile() throws Exception {
    Path store = tmp.resolve("store");
    Path journal = Files.createDirectories(store.resolve(".blink-chroot")).resolve("journal");
    ByteBuffer bytes = ByteBuffer.allocate(40);
    bytes.putInt(0x42434a4c).putInt(1).putInt(0); // the header: "BCJL", version 1, flags
    bytes.putInt(5).putInt(0).put(new byte[] {3, 1, 2, 3, 4}); // a record whose CRC is wrong
    bytes.putInt(5).putInt(7).put(new byte[] {9, 9, 9, 9, 9}); // and more after it
    Files.write(journal, Arrays.copyOf(bytes.array(), bytes.position()));
    BlinkChroot.Result r = BlinkChroot.run("--store", store.toString(), alpineArg(), "true");
    r.assertOneLineError(1);
    assertEquals("blink-chroot: --store " + store + ": metadata journal damaged at byte 12 of "
        + "38: " + journal + " (move it away to open the store without the metadata changes it "
        + "holds)\n", r.stderr());
  }

  private void killMidRunThenCheck(String signal) throws Exception {
    Path store = tmp.resolve("store");
    // env resets INT and TERM to their defaults: a background job of a non-interactive shell
    // (CI) inherits SIGINT ignored, and the JVM keeps an ignored SIGINT ignored.
    ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT,TERM",
        BlinkChroot.executable().toString(), "--store", store.toString(), alpineArg(),
        "sh", "-c", CHANGES);
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    pb.environment().put("XDG_CACHE_HOME", BlinkChroot.defaultCacheHome().toString());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    try {
      CompletableFuture<String> stderr = drain(p.getErrorStream());
      awaitReady(p, stderr);
      send(signal, p);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        send(signal, p); // once signals reach the guest, a second one ends everything
      }
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "blink-chroot still runs after SIG" + signal);
    } finally {
      p.destroyForcibly();
    }
    BlinkChroot.Result r = BlinkChroot.run("--store", store.toString(), alpineArg(),
        "sh", "-c", CHECK);
    assertEquals("", r.stderr(), "stderr");
    assertEquals(EXPECTED, r.stdout());
  }

  /** Reads the guest's stdout until "ready": by then every change was made. */
  private static void awaitReady(Process p, CompletableFuture<String> stderr) throws Exception {
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
          if (line.equals("ready")) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    Boolean seen;
    try {
      seen = ready.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      seen = false;
    }
    if (!seen) {
      p.destroyForcibly().waitFor();
      fail("the guest never said ready; stderr: " + stderr.getNow("(still open)"));
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  private static void send(String signal, Process p) throws Exception {
    Process kill = new ProcessBuilder(List.of("kill", "-s", signal, Long.toString(p.pid())))
        .redirectErrorStream(true).start();
    assertEquals(0, kill.waitFor(), "kill -s " + signal + " " + p.pid());
  }
}
