package dev.blinkchroot.runner;

import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.jit.Jit;
import dev.blinkchroot.emulator.jit.JitOptions;
import dev.blinkchroot.emulator.jit.JitStats;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.KernelConfig;
import dev.blinkchroot.emulator.kernel.ProcessSpec;
import dev.blinkchroot.emulator.kernel.SyntheticMounts;
import dev.blinkchroot.emulator.kernel.loader.ProgramSearch;
import dev.blinkchroot.emulator.kernel.syscall.SyscallObserver;
import dev.blinkchroot.emulator.kernel.syscall.SyscallTable;
import dev.blinkchroot.emulator.kernel.trace.Strace;
import dev.blinkchroot.emulator.kernel.trace.SyscallReport;
import dev.blinkchroot.emulator.kernel.tty.HostStreams;
import dev.blinkchroot.policies.Policies;
import dev.blinkchroot.policies.SyscallPolicy;
import dev.blinkchroot.vfs.Credentials;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FsContext;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the main form's program: builds the kernel over the sandbox (hostname, policy, the host's
 * standard streams, ASLR), the first process's identity, environment and working directory, and
 * returns the program's status as blink-chroot's own (128 + N after death by signal N).
 *
 * <p>Like chroot(1), a COMMAND that cannot be run is reported as "failed to run command 'NAME':
 * REASON" with status 127 when it does not exist and 126 otherwise; a missing working directory
 * gives 125, as chroot's and env's own failures do.
 */
final class GuestRun {
  static final String DEFAULT_HOSTNAME = "blink-chroot";
  /** How guest code runs unless --no-jit or BLINK_CHROOT_JIT says otherwise. */
  static final JitOptions DEFAULT_JIT = JitOptions.OFF;
  /** chroot(1) and env(1) exit 125 when they fail themselves. */
  static final int STATUS_SETUP_FAILED = 125;
  private static final int LARGEST_SYSCALL_NUMBER = 1024;

  /**
   * False (the executable): descriptors 0, 1 and 2 are the host's own streams ({@link
   * HostStreams}: terminal detection, window size, unbuffered writes). True for tests that run
   * the command line in-process and capture the guest's output through the {@link CliContext}.
   */
  static volatile boolean stdioThroughContext;

  private GuestRun() {}

  static int run(Sandbox sandbox, Path image, RunOptions.Values options, List<String> command,
      CliContext context) {
    SyscallPolicy policy = policy(options.denySyscalls());
    GuestUser user = GuestUser.parse(sandbox, options.user());
    String hostname = options.hostname() != null ? options.hostname() : DEFAULT_HOSTNAME;
    List<byte[]> env = environment(options.env(), hostname, user.home(), context.env());
    String workdir = options.workdir() != null ? options.workdir() : defaultWorkdir(image);

    FsContext ctx = sandbox.vfs().newContext(new Credentials(user.uid(), user.gid(),
        user.groups()));
    try {
      sandbox.vfs().chdir(ctx, null, bytes(workdir));
    } catch (ErrnoException e) {
      throw new CliException("cannot change directory to '" + workdir + "': "
          + e.errno().message(), STATUS_SETUP_FAILED);
    }
    String name = command.get(0);
    byte[] program = findProgram(sandbox, ctx, name, env);

    List<byte[]> argv = new ArrayList<>();
    for (String arg : command) {
      argv.add(bytes(arg));
    }
    List<SyscallObserver> observers = new ArrayList<>();
    java.io.PrintStream traceOut = options.strace() ? traceStream(options, context) : null;
    if (traceOut != null) {
      observers.add(new Strace(traceOut));
    }
    SyscallReport report = options.report() ? new SyscallReport() : null;
    if (report != null) {
      observers.add(report);
    }
    ExecutionEngine engine = options.noJit() ? ExecutionEngine.INTERPRETER
        : Jit.engine(jitOptions(context));
    KernelConfig config = stdioThroughContext
        ? new KernelConfig(hostname, context.stderr(), observers, options.aslr(),
            HostStdio.reading(System.in), HostStdio.writing(context.stdout(), 2),
            HostStdio.writing(context.stderr(), 3), engine)
        : new KernelConfig(hostname, context.stderr(), observers, options.aslr(),
            HostStreams.stdin(), HostStreams.stdout(), HostStreams.stderr(), engine);
    Kernel kernel = new Kernel(sandbox.vfs(), policy, config);
    SyntheticMounts.mountAll(kernel, sandbox.vfs().newContext(Credentials.ROOT));
    context.flushStdout();
    int status;
    try (HostSignals signals = HostSignals.forward(kernel, context.stderr())) {
      status = signals.exitStatus(kernel.run(new ProcessSpec(program, argv, env, bytes(workdir),
          user.uid(), user.gid(), user.groups())));
    } finally {
      context.flushStdout();
      if (report != null) {
        report.print(context.stderr());
        JitStats jit = Jit.statsOf(engine);
        if (jit != null) {
          context.stderr().println(jit.summary());
        }
        printHotSpotCompileTime(context.stderr());
      }
      if (traceOut != null && traceOut != context.stderr()) {
        traceOut.close();
      }
    }
    return status;
  }

  /**
   * The JVM's own compile time: the JIT's bytecode runs only once HotSpot has compiled it, so
   * this is the other half of the time the JIT spends compiling (with the emulator's own code).
   */
  private static void printHotSpotCompileTime(PrintStream err) {
    CompilationMXBean hotspot = ManagementFactory.getCompilationMXBean();
    if (hotspot != null && hotspot.isCompilationTimeMonitoringSupported()) {
      err.printf("jvm: %d ms in HotSpot's compiler threads (the emulator's own code included)%n",
          hotspot.getTotalCompilationTime());
    }
  }

  /**
   * The JIT's mode: the {@code blinkchroot.jit} system property, else BLINK_CHROOT_JIT in the
   * environment (off, on, force, threshold=N, budget=N), else {@link #DEFAULT_JIT}.
   */
  private static JitOptions jitOptions(CliContext context) {
    String property = System.getProperty(JitOptions.PROPERTY);
    boolean fromProperty = property != null && !property.isBlank();
    String setting = fromProperty ? property : context.env().get(JitOptions.ENVIRONMENT);
    try {
      return JitOptions.parse(setting, DEFAULT_JIT);
    } catch (IllegalArgumentException e) {
      String source = fromProperty ? "-D" + JitOptions.PROPERTY : JitOptions.ENVIRONMENT;
      throw new CliException(source + ": " + e.getMessage(), ExitStatus.USAGE);
    }
  }

  /** Where --strace writes: stderr, or the --strace-file (created or truncated). */
  private static java.io.PrintStream traceStream(RunOptions.Values options, CliContext context) {
    if (options.straceFile() == null) {
      return context.stderr();
    }
    try {
      return new java.io.PrintStream(java.nio.file.Files.newOutputStream(options.straceFile()),
          true, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new CliException("--strace-file " + options.straceFile() + ": "
          + Cli.ioMessage(e), ExitStatus.FAILURE);
    }
  }

  /** The program execvp would run for {@code name}, or chroot's message and status. */
  private static byte[] findProgram(Sandbox sandbox, FsContext ctx, String name,
      List<byte[]> env) {
    try {
      byte[] program = ProgramSearch.find(sandbox.vfs(), ctx, bytes(name), env);
      Errno problem = ProgramSearch.problem(sandbox.vfs(), ctx, program);
      if (problem != null) {
        throw problem.exception();
      }
      return program;
    } catch (ErrnoException e) {
      throw new CliException("failed to run command '" + name + "': " + e.errno().message(),
          e.errno() == Errno.ENOENT ? Kernel.STATUS_NOT_FOUND : Kernel.STATUS_CANNOT_EXECUTE);
    }
  }

  /** The host's working directory when the image is the host's root, else "/". */
  private static String defaultWorkdir(Path image) {
    Path absolute = image.toAbsolutePath().normalize();
    if (absolute.getParent() == null && absolute.toString().equals("/")) {
      return System.getProperty("user.dir", "/");
    }
    return "/";
  }

  /**
   * PATH, HOME, TERM (the host's, else xterm) and HOSTNAME, as a container starts with; then each
   * -e: NAME=VALUE sets, NAME alone copies the host's value if it has one.
   */
  static List<byte[]> environment(List<String> settings, String hostname, String home,
      Map<String, String> hostEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", ProgramSearch.DEFAULT_PATH);
    env.put("HOME", home);
    String term = hostEnv.get("TERM");
    env.put("TERM", term == null || term.isEmpty() ? "xterm" : term);
    env.put("HOSTNAME", hostname);
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq == 0) {
        throw new CliException("--env " + setting + ": missing NAME", ExitStatus.USAGE);
      }
      if (eq < 0) {
        String value = hostEnv.get(setting);
        if (value != null) {
          env.put(setting, value);
        }
      } else {
        env.put(setting.substring(0, eq), setting.substring(eq + 1));
      }
    }
    List<byte[]> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(bytes(k + "=" + v)));
    return out;
  }

  /** --deny-syscall NAME[:ERRNO]...: allow everything else. */
  static SyscallPolicy policy(List<String> denies) {
    if (denies.isEmpty()) {
      return Policies.allowAll();
    }
    Map<String, Integer> errnoByName = new HashMap<>();
    for (Errno e : Errno.values()) {
      errnoByName.put(e.name(), e.number());
    }
    errnoByName.put("ENOTSUP", Errno.ENOTSUP.number());
    errnoByName.put("EWOULDBLOCK", Errno.EWOULDBLOCK.number());
    Map<String, Integer> denied = new HashMap<>();
    for (String spec : denies) {
      Map.Entry<String, Integer> entry;
      try {
        entry = Policies.parseDeny(spec, errnoByName);
      } catch (IllegalArgumentException e) {
        throw new CliException("--deny-syscall: " + e.getMessage(), ExitStatus.USAGE);
      }
      if (!isSyscallName(entry.getKey())) {
        throw new CliException("--deny-syscall: unknown system call '" + entry.getKey() + "'",
            ExitStatus.USAGE);
      }
      denied.put(entry.getKey(), entry.getValue());
    }
    return Policies.denying(denied);
  }

  private static boolean isSyscallName(String name) {
    for (int n = 0; n < LARGEST_SYSCALL_NUMBER; n++) {
      if (SyscallTable.nameOf(n).equals(name)) {
        return true;
      }
    }
    return false;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
