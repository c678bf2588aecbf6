package dev.blinkchroot.emulator.kernel.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real programs the exec tests load, built once per test run from the C sources in
 * resources/.../kernel/exec with gcc and musl-gcc (Debian package musl-tools; .ci/run installs
 * it). A missing compiler fails the test: it never skips.
 */
public final class ExecTestPrograms {
  /** No libc, non-PIE: write and exit_group only. */
  public static final String TINY = "tiny";
  /** No libc, static PIE. */
  public static final String TINY_PIE = "tiny-pie";
  /** musl, static, non-PIE. */
  public static final String AUXV_STATIC = "auxv-static";
  /** musl, static PIE (rcrt1.o, linked by hand: musl-gcc's specs ignore -static-pie). */
  public static final String AUXV_STATIC_PIE = "auxv-static-pie";
  /** musl, dynamic PIE with PT_INTERP /lib/ld-musl-x86_64.so.1. */
  public static final String AUXV_DYNAMIC = "auxv-dynamic";
  /** musl, static: execve(argv[1], argv + 1, environ), else exit 100 + errno. */
  public static final String EXEC = "exec";
  /** Suffix: the same program linked with 2 MiB segment alignment (max-page-size=0x200000). */
  public static final String ALIGNED_2M = "-2m";
  public static final String MUSL_LIB = "/usr/lib/x86_64-linux-musl";

  private static Path dir;
  private static final Map<String, Path> BUILT = new HashMap<>();

  private ExecTestPrograms() {}

  /** The host path of program {@code name}, built on first use. */
  public static synchronized Path get(String name) {
    Path built = BUILT.get(name);
    if (built != null) {
      return built;
    }
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("blink-chroot-exec-");
        Path toDelete = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(toDelete)));
        for (String source : List.of("tiny.c", "auxv.c", "exec.c")) {
          try (InputStream in = ExecTestPrograms.class.getResourceAsStream("exec/" + source)) {
            Files.write(dir.resolve(source), in.readAllBytes());
          }
        }
      }
      Path out = dir.resolve(name);
      String src = dir.resolve(name.startsWith("tiny") ? "tiny.c"
          : name.equals(EXEC) ? "exec.c" : "auxv.c").toString();
      String align = name.endsWith(ALIGNED_2M) ? "-Wl,-z,max-page-size=0x200000" : "-O1";
      switch (name.endsWith(ALIGNED_2M) ? name.substring(0, name.length() - 3) : name) {
        case TINY:
          run("gcc", "-O1", "-static", "-no-pie", "-nostdlib", "-fno-stack-protector", "-o",
              out.toString(), src);
          break;
        case TINY_PIE:
          run("gcc", "-O1", "-static-pie", "-fPIE", "-nostdlib", "-fno-stack-protector", "-o",
              out.toString(), src);
          break;
        case AUXV_STATIC:
        case EXEC:
          run(musl(), "-O1", "-static", "-o", out.toString(), src);
          break;
        case AUXV_DYNAMIC:
          run(musl(), "-O1", align, "-o", out.toString(), src);
          break;
        case AUXV_STATIC_PIE:
          String obj = out + ".o";
          run(musl(), "-O1", "-fPIE", "-c", "-o", obj, src);
          run("gcc", "-static-pie", "-nostdlib", "-nostartfiles", align, "-o", out.toString(),
              MUSL_LIB + "/rcrt1.o", MUSL_LIB + "/crti.o", gccFile("crtbeginS.o"), obj,
              "-L" + MUSL_LIB, "-lc", gccFile("libgcc.a"), gccFile("crtendS.o"),
              MUSL_LIB + "/crtn.o");
          break;
        default:
          throw new IllegalArgumentException(name);
      }
      BUILT.put(name, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }

  private static String musl() {
    if (!Files.isExecutable(Path.of("/usr/bin/musl-gcc"))) {
      fail("musl-gcc is needed to build the exec test programs: apt-get install musl-tools");
    }
    return "musl-gcc";
  }

  private static String gccFile(String file) {
    return run("gcc", "-print-file-name=" + file).strip();
  }

  /** Runs a command; its stdout, or fails the test with its output. */
  public static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail(String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return fail("cannot run " + command[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** Runs a host program natively; its exit status and stdout. */
  public static Map.Entry<Integer, String> runNative(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder b = new ProcessBuilder(command);
      b.environment().clear();
      b.environment().putAll(env);
      Process p = b.start();
      byte[] output = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      return Map.entry(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code content} at {@code guestPath} (parents made) with {@code mode}. */
  public static void put(Vfs vfs, String guestPath, byte[] content, int mode) {
    FsContext ctx = vfs.newContext(Credentials.ROOT);
    mkdirs(vfs, ctx, guestPath);
    byte[] path = guestPath.getBytes(StandardCharsets.UTF_8);
    try (OpenFile f = vfs.open(ctx, null, path,
        Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_TRUNC, mode)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        f.write(b);
      }
    }
    vfs.chmod(ctx, null, path, mode, 0);
  }

  public static void put(Vfs vfs, String guestPath, String text, int mode) {
    put(vfs, guestPath, text.getBytes(StandardCharsets.UTF_8), mode);
  }

  /** Copies host program {@code name} to {@code guestPath}, mode 0755. */
  public static void install(Vfs vfs, String name, String guestPath) {
    try {
      put(vfs, guestPath, Files.readAllBytes(get(name)), 0755);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a host file (like /lib/ld-musl-x86_64.so.1) to the same guest path. */
  public static void copyHostFile(Vfs vfs, String hostPath) {
    try {
      put(vfs, hostPath, Files.readAllBytes(Path.of(hostPath)), 0755);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mkdirs(Vfs vfs, FsContext ctx, String guestPath) {
    List<String> parts = new ArrayList<>(List.of(guestPath.split("/")));
    StringBuilder prefix = new StringBuilder();
    for (int i = 1; i < parts.size() - 1; i++) {
      prefix.append('/').append(parts.get(i));
      try {
        vfs.mkdir(ctx, null, prefix.toString().getBytes(StandardCharsets.UTF_8), 0755);
      } catch (ErrnoException e) {
        // exists
      }
    }
  }

  public static List<byte[]> bytes(String... strings) {
    List<byte[]> out = new ArrayList<>();
    for (String s : strings) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The first 128 bytes of an ELF64 executable for AArch64 (EM_AARCH64, 183): enough to refuse. */
  public static byte[] aarch64Elf() {
    byte[] elf = new byte[128];
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    b.putShort(16, (short) 2); // ET_EXEC
    b.putShort(18, (short) 183);
    return elf;
  }
}
