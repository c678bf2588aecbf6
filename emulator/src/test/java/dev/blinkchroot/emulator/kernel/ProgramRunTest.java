package dev.blinkchroot.emulator.kernel;

import static dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.testing.CapturingDescription;
import dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms;
import dev.blinkchroot.policies.Policies;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Real programs run from exec to exit through {@link Kernel#run}: the loader's work as the
 * program itself sees it, compared with a native run of the same binary. These need the
 * syscalls a program's start-up makes (musl: arch_prctl, set_tid_address, ioctl, writev,
 * exit_group; the no-libc program: write, exit_group).
 */
class ProgramRunTest {
  private final Vfs vfs = Vfs.create(NioBackend.memory(), "test");
  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
  private CapturingDescription stdout;
  private CapturingDescription stderr;

  private int run(String program, List<String> argv, List<String> env, int uid, int gid) {
    stdout = new CapturingDescription(new byte[0]);
    stderr = new CapturingDescription(new byte[0]);
    Kernel kernel = new Kernel(vfs, Policies.allowAll(), new KernelConfig("blink",
        new PrintStream(diagnostics, true, StandardCharsets.UTF_8), List.of(), false,
        new CapturingDescription(new byte[0]), stdout, stderr));
    return kernel.run(new ProcessSpec(program.getBytes(StandardCharsets.UTF_8),
        bytes(argv.toArray(new String[0])), bytes(env.toArray(new String[0])),
        "/".getBytes(StandardCharsets.UTF_8), uid, gid, new int[0]));
  }

  private int run(String program, String... argv) {
    return run(program, List.of(argv), List.of("A=1"), 0, 0);
  }

  @Test
  void noLibcStatic_writesAndExits() {
    ExecTestPrograms.install(vfs, ExecTestPrograms.TINY, "/bin/tiny");
    assertEquals(7, run("/bin/tiny", "tiny"), diagnostics.toString());
    assertEquals("tiny\n", stdout.text());
  }

  @Test
  void noLibcStaticPie_writesAndExits() {
    ExecTestPrograms.install(vfs, ExecTestPrograms.TINY_PIE, "/bin/tiny");
    assertEquals(7, run("/bin/tiny", "tiny"), diagnostics.toString());
    assertEquals("tiny\n", stdout.text());
  }

  @Test
  void guestExecve_replacesTheProgram_scriptsIncluded() {
    ExecTestPrograms.install(vfs, ExecTestPrograms.EXEC, "/bin/exec");
    ExecTestPrograms.install(vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ExecTestPrograms.put(vfs, "/bin/script", "#!/bin/tiny -x\n", 0755);
    assertEquals(7, run("/bin/exec", "exec", "/bin/tiny"), diagnostics.toString());
    assertEquals("tiny\n", stdout.text());
    assertEquals(7, run("/bin/exec", "exec", "/bin/script"), diagnostics.toString());
    assertEquals(100 + 2, run("/bin/exec", "exec", "/bin/missing"), diagnostics.toString());
    assertEquals("No such file or directory\n", stderr.text());
  }

  @Test
  void musl_static_seesWhatItSeesNatively() {
    compareWithNative(ExecTestPrograms.AUXV_STATIC, true);
  }

  @Test
  void musl_staticPie_seesWhatItSeesNatively() {
    compareWithNative(ExecTestPrograms.AUXV_STATIC_PIE, false);
  }

  @Test
  void musl_dynamic_throughTheSandboxsInterpreter_seesWhatItSeesNatively() {
    ExecTestPrograms.copyHostFile(vfs, "/lib/ld-musl-x86_64.so.1");
    compareWithNative(ExecTestPrograms.AUXV_DYNAMIC, false);
  }

  /**
   * Runs the auxv printer natively and in the emulator at the same path with the same argv,
   * environment and ids, and compares everything but what depends on the host kernel and CPU
   * (vDSO, rseq, HWCAP/HWCAP2, MINSIGSTKSZ) and, for position-independent programs, load
   * addresses (native runs are randomised).
   */
  private void compareWithNative(String name, boolean fixedAddresses) {
    Path host = ExecTestPrograms.get(name);
    String path = host.toString();
    ExecTestPrograms.install(vfs, name, path);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");
    env.put("LONGER", "some value with spaces");
    List<String> argv = List.of(path, "x", "", "third arg");
    Map.Entry<Integer, String> nativeRun = ExecTestPrograms.runNative(argv, env);
    int uid = Integer.parseInt(ExecTestPrograms.run("id", "-u").strip());
    int gid = Integer.parseInt(ExecTestPrograms.run("id", "-g").strip());
    List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.toList());
    int status = run(path, argv, envList, uid, gid);
    assertEquals(nativeRun.getKey().intValue(), status, diagnostics.toString());
    assertEquals(comparable(nativeRun.getValue(), fixedAddresses),
        comparable(stdout.text(), fixedAddresses));
  }

  private static String comparable(String output, boolean fixedAddresses) {
    List<String> keep = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("aux ")) {
        int type = Integer.parseInt(line.split(" ")[1]);
        switch (type) {
          case 33: case 27: case 28: // vDSO, rseq: host kernel features we do not offer
          case 16: case 26: case 51: // HWCAP, HWCAP2, MINSIGSTKSZ: the host CPU's
          case 25: case 31: case 15: // stack addresses: checked in InitialStackTest
            continue;
          case 3: case 7: case 9: // AT_PHDR, AT_BASE, AT_ENTRY
            if (!fixedAddresses) {
              continue;
            }
            break;
          default:
            break;
        }
      }
      keep.add(line);
    }
    return String.join("\n", keep);
  }
}
