package dev.blinkchroot.rootfs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Alpine minirootfs (env BLINK_CHROOT_ALPINE, else the system property
 * blinkchroot.shared + /rootfs/...) and lists it with the host's GNU tar, the independent
 * reference the image tests compare against. A missing tarball FAILS the test: CI must not pass
 * by silently skipping the image tests.
 */
final class AlpineTarball {
  static final String FILE_NAME = "alpine-minirootfs-3.20.3-x86_64.tar.gz";

  private AlpineTarball() {}

  static Path path() {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Path.of(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared");
      if (shared == null) {
        return fail("the Alpine tarball is needed: set BLINK_CHROOT_ALPINE or the system"
            + " property blinkchroot.shared (surefire sets it to ../shared)");
      }
      p = Path.of(shared, "rootfs", FILE_NAME);
    }
    if (!Files.isRegularFile(p)) {
      return fail("the Alpine tarball is missing at " + p
          + " (set BLINK_CHROOT_ALPINE to its path)");
    }
    return p;
  }

  /** One line of {@code tar --numeric-owner -tv}. */
  record Listed(String name, char type, int permissions, int uid, int gid, long size,
      String mtimeMinute, String symlinkTarget, String hardLinkTarget, int major, int minor) {}

  // mode uid/gid size-or-major,minor date time name [-> target | link to target]
  private static final Pattern LINE = Pattern.compile(
      "([-dlcbpsh])([-rwxsStT]{9}) (\\d+)/(\\d+) +(\\d+|\\d+,\\s*\\d+) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) (.*)");

  /** Runs GNU tar (TZ=UTC, so times compare in UTC) and parses every line. */
  static List<Listed> listWithGnuTar(Path tarball) {
    ProcessBuilder pb = new ProcessBuilder("tar", "--numeric-owner", "-tvzf", tarball.toString());
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    pb.redirectErrorStream(true);
    List<Listed> out = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    try {
      Process proc = pb.start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          raw.add(line);
        }
      }
      int status = proc.waitFor();
      if (status != 0) {
        return fail("GNU tar failed (" + status + "): " + String.join("\n", raw));
      }
    } catch (IOException e) {
      return fail("cannot run GNU tar (the image tests need the host's tar): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
    for (String line : raw) {
      out.add(parse(line));
    }
    return out;
  }

  static Listed parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return fail("unexpected GNU tar listing line: " + line);
    }
    char type = m.group(1).charAt(0);
    int perms = permissions(m.group(2));
    String sizeField = m.group(5);
    long size = 0;
    int major = -1;
    int minor = -1;
    if (sizeField.contains(",")) {
      String[] mm = sizeField.split(",\\s*");
      major = Integer.parseInt(mm[0]);
      minor = Integer.parseInt(mm[1]);
    } else {
      size = Long.parseLong(sizeField);
    }
    String rest = m.group(7);
    String symlink = null;
    String hardlink = null;
    if (type == 'l') {
      int arrow = rest.indexOf(" -> ");
      symlink = rest.substring(arrow + 4);
      rest = rest.substring(0, arrow);
    } else if (rest.contains(" link to ")) {
      int at = rest.indexOf(" link to ");
      hardlink = rest.substring(at + 9);
      rest = rest.substring(0, at);
    }
    return new Listed(rest, type, perms, Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)), size, m.group(6), symlink, hardlink, major, minor);
  }

  /** "rwsr-xr-x" to 04755: s/S set-id (with/without x), t/T sticky. */
  static int permissions(String s) {
    int p = 0;
    for (int i = 0; i < 9; i++) {
      char c = s.charAt(i);
      int bit = 1 << (8 - i);
      if (c == 'r' || c == 'w' || c == 'x' || c == 's' || c == 't') {
        p |= bit;
      }
    }
    if (s.charAt(2) == 's' || s.charAt(2) == 'S') {
      p |= 04000;
    }
    if (s.charAt(5) == 's' || s.charAt(5) == 'S') {
      p |= 02000;
    }
    if (s.charAt(8) == 't' || s.charAt(8) == 'T') {
      p |= 01000;
    }
    return p;
  }
}
