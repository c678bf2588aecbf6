package dev.blinkchroot.runner.it;

import static dev.blinkchroot.runner.it.BlinkChroot.alpineArg;
import static dev.blinkchroot.runner.it.BlinkChroot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --bind HOST:GUEST[:ro] through the real executable. */
class BindIT {
  @TempDir Path host;

  @Test
  void bind_existingGuestDir_showsTheHostFile() throws IOException {
    Files.writeString(host.resolve("hello.txt"), "hello from the host\n");
    String out = run("fs", "--bind", host + ":/mnt", alpineArg(), "cat", "/mnt/hello.txt")
        .assertSuccess().stdout();
    assertEquals("hello from the host\n", out);
  }

  @Test
  void bind_missingGuestDir_isCreated() throws IOException {
    Files.writeString(host.resolve("a"), "A");
    Files.createDirectory(host.resolve("sub"));
    String out = run("fs", "-v", host + ":/work/deep/src:ro", alpineArg(), "ls",
        "/work/deep/src").assertSuccess().stdout();
    assertEquals("a\nsub\n", out);
  }

  @Test
  void bind_twoBinds_bothVisible() throws IOException {
    Path one = Files.createDirectory(host.resolve("one"));
    Path two = Files.createDirectory(host.resolve("two"));
    Files.writeString(one.resolve("f"), "1\n");
    Files.writeString(two.resolve("f"), "2\n");
    String out = run("fs", "-v", one + ":/one", "-v", two + ":/two:ro", alpineArg(), "cat",
        "/one/f", "/two/f").assertSuccess().stdout();
    assertEquals("1\n2\n", out);
  }

  @Test
  void bind_missingHostDir_exits1WithOneLine() {
    Path missing = host.resolve("missing");
    BlinkChroot.Result r = run("fs", "--bind", missing + ":/mnt", alpineArg(), "ls", "/mnt");
    r.assertOneLineError(1);
    assertEquals("blink-chroot: --bind " + missing + ": No such file or directory\n",
        r.stderr());
  }

  @Test
  void bind_ontoAFileInTheImage_exits1WithOneLine() {
    BlinkChroot.Result r = run("fs", "--bind", host + ":/etc/passwd", alpineArg(), "ls", "/");
    r.assertOneLineError(1);
    assertEquals("blink-chroot: --bind " + host + ":/etc/passwd: Not a directory\n", r.stderr());
  }
}
