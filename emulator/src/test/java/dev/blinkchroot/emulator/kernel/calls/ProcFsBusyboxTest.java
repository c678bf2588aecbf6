package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our /proc read by the real busybox ps, top and free: the Alpine minirootfs is unpacked
 * into a temporary directory, a copy of our /proc is written into its /proc as plain files and
 * links, and busybox runs natively chrooted there. Needs root (chroot) and the Alpine tarball
 * (../shared/rootfs or BLINK_CHROOT_ALPINE); skipped without them.
 */
class ProcFsBusyboxTest {
  @TempDir
  Path scratch;

  private final SyntheticFsFixture f = new SyntheticFsFixture();

  static Path alpineTarball() {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    if (env != null && Files.isRegularFile(Paths.get(env))) {
      return Paths.get(env);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path rootfs = dir.resolve("shared/rootfs");
      if (Files.isDirectory(rootfs)) {
        try (var s = Files.list(rootfs)) {
          Path t = s.filter(p -> p.getFileName().toString()
              .matches("alpine-minirootfs.*\\.tar\\.gz")).findFirst().orElse(null);
          if (t != null) {
            return t;
          }
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String run(Path root, String... command) throws Exception {
    String[] full = new String[command.length + 2];
    full[0] = "chroot";
    full[1] = root.toString();
    System.arraycopy(command, 0, full, 2, command.length);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  /** Copies guest directory {@code guest} to {@code host}: files by content, links as links. */
  private void copy(String guest, Path host) throws IOException {
    Files.createDirectories(host);
    List<String> names = f.list(guest);
    for (String name : names) {
      String g = guest + "/" + name;
      Path h = host.resolve(name);
      Stat st = f.lstat(g);
      if (st.type() == FileType.SYMLINK) {
        try {
          Files.createSymbolicLink(h, Paths.get(f.readlink(g)));
        } catch (ErrnoException e) {
          // a link with nothing to point at (exe before exec)
        }
      } else if (st.type() == FileType.DIRECTORY) {
        if (!name.equals("task")) {
          copy(g, h);
        }
      } else {
        Files.write(h, f.readBytes(f.k.task, g));
      }
    }
  }

  @Test
  void busyboxPsTopFreeUptime_readOurProc() throws Exception {
    Path tarball = alpineTarball();
    boolean root = "root".equals(System.getProperty("user.name"));
    assertTrue(tarball != null && root && Files.isExecutable(Paths.get("/usr/sbin/chroot")),
        "needs root, chroot and the Alpine minirootfs");
    Path rootDir = scratch.resolve("alpine");
    Files.createDirectories(rootDir);
    Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", rootDir.toString())
        .redirectErrorStream(true).start();
    tar.getInputStream().readAllBytes();
    assertEquals(0, tar.waitFor());

    GuestMemory m = f.k.process.memory();
    m.map(0x400000, 0x10000, GuestMemory.PROT_READ | GuestMemory.PROT_EXEC);
    f.k.process.fileMappings().add(0x400000, 0x410000, 0,
        "/bin/busybox".getBytes(StandardCharsets.US_ASCII), Stat.makedev(0, 40), 12);
    f.k.process.recordExec("/bin/busybox".getBytes(StandardCharsets.US_ASCII),
        List.of("sh".getBytes(), "-c".getBytes(), "ps".getBytes()), List.of(), new long[0]);
    f.k.process.setComm("sh".getBytes()); // Linux names it after the path exec'd: /bin/sh
    Task child = f.spawn(2, 1);
    child.process().recordExec("/bin/sleep".getBytes(), List.of("sleep".getBytes(),
        "100".getBytes()), List.of(), new long[0]);

    Path proc = rootDir.resolve("proc");
    copy("/proc", proc);
    Files.delete(proc.resolve("self"));
    Files.createSymbolicLink(proc.resolve("self"), Paths.get("1"));

    // The copies are the host's files, owned by root: USER is not checked; nor is the order,
    // which is the host directory's.
    String ps = run(rootDir, "/bin/busybox", "ps");
    assertTrue(ps.startsWith("PID   USER     TIME  COMMAND\n"), ps);
    assertTrue(ps.matches("(?s).*\n +1 \\S+ +0:\\d\\d sh -c ps\n.*"), ps);
    assertTrue(ps.matches("(?s).*\n +2 \\S+ +0:00 sleep 100\n.*"), ps);
    assertEquals(3, ps.split("\n").length, ps);
    String top = run(rootDir, "/bin/busybox", "top", "-b", "-n1");
    assertTrue(top.startsWith("Mem: "), top);
    assertTrue(top.contains("Load average: 0.00 0.00 0.00 1/2 2"), top);
    assertTrue(top.matches("(?s).*\n +1 +0 \\S+ +R +\\d+ +\\d+% +0 +\\d+% sh -c ps\n.*"), top);
    // The child is made by the test and never runs: runnable (R), where a real sleep shows S.
    assertTrue(top.matches("(?s).*\n +2 +1 \\S+ +[RS]W? +0 +0% +0 +0% sleep 100\n.*"), top);
    // busybox free takes total/used/free/shared/buffers from sysinfo(2) (here the host's) and
    // only "available" (and cached) from /proc/meminfo: that column must be our heap's.
    String free = run(rootDir, "/bin/busybox", "free");
    java.util.regex.Matcher mem = java.util.regex.Pattern.compile("(?s).*\nMem:[^\n]* (\\d+)\n.*")
        .matcher(free);
    assertTrue(mem.matches(), free);
    long available = Long.parseLong(mem.group(1));
    assertTrue(available > 0 && available <= Runtime.getRuntime().maxMemory() / 1024, free);
    // busybox uptime reads sysinfo(2) only (here the host's): it must simply run.
    assertTrue(run(rootDir, "/bin/busybox", "uptime").contains(" up "));
  }
}
