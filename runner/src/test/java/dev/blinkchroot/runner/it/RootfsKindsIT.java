package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpine;
import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static dev.blinkchroot.runner.it.BlinkChroot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ROOTFS as a directory, as the host root, and --store, through the real executable. */
class RootfsKindsIT {
  @TempDir Path tmp;

  @Test
  void directory_unpackedWithTar_isARootfs() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("alpine"));
    Process tar = new ProcessBuilder("tar", "xzf", alpine().toString(), "-C", dir.toString())
        .redirectErrorStream(true).start();
    String tarOutput = new String(tar.getInputStream().readAllBytes());
    assertEquals(0, tar.waitFor(), "tar failed: " + tarOutput);
    assertEquals("3.20.3\n", run("fs", dir.toString(), "cat", "/etc/alpine-release")
        .assertSuccess().stdout());
    assertEquals("/bin/busybox\n", run("fs", dir.toString(), "readlink", "/bin/ls")
        .assertSuccess().stdout());
  }

  @Test
  void hostRoot_isReadable() throws IOException {
    Path hostFile = Path.of("/etc/hostname");
    String expected = Files.exists(hostFile) ? Files.readString(hostFile) : null;
    if (expected != null) {
      assertEquals(expected, run("fs", "/", "cat", "/etc/hostname").assertSuccess().stdout());
    } else {
      run("fs", "/", "ls", "/").assertSuccess();
    }
  }

  @Test
  void storeDirectory_readOnlyRun_works() {
    Path store = tmp.resolve("store");
    assertEquals("3.20.3\n", run("fs", "--store", store.toString(), alpineArg(), "cat",
        "/etc/alpine-release").assertSuccess().stdout());
  }

  @Test
  void storeDirectory_keepsChangesForTheNextRun() throws IOException {
    // The only change an fs run makes is a bind's missing mount point; it lands in the store.
    Path store = tmp.resolve("store");
    Path host = Files.createDirectory(tmp.resolve("host"));
    run("fs", "--store", store.toString(), "--bind", host + ":/made/by/bind", alpineArg(),
        "ls", "/made/by/bind").assertSuccess();
    String second = run("fs", "--store", store.toString(), alpineArg(), "ls", "-d",
        "/made/by/bind").assertSuccess().stdout();
    assertEquals("/made/by/bind\n", second);
    BlinkChroot.Result withoutStore = run("fs", alpineArg(), "ls", "-d", "/made");
    assertEquals("blink-chroot: /made: No such file or directory\n", withoutStore.stderr());
  }

  @Test
  void storeOnAFile_exits1WithOneLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    BlinkChroot.Result r = run("fs", "--store", file.toString(), alpineArg(), "ls", "/");
    r.assertOneLineError(1);
    assertEquals("blink-chroot: --store " + file + ": Not a directory\n", r.stderr());
  }
}
