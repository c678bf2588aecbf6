package dev.blinkchroot.emulator.kernel.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.emulator.kernel.calls.Clocks;
import dev.blinkchroot.emulator.kernel.calls.Prctl;
import dev.blinkchroot.emulator.kernel.calls.ProcessSyscalls;
import dev.blinkchroot.emulator.kernel.calls.Scheduling;
import dev.blinkchroot.emulator.kernel.calls.SystemSyscalls;
import dev.blinkchroot.emulator.kernel.signal.AltStack;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.task.Capabilities;
import dev.blinkchroot.emulator.kernel.task.ProcessAttributes;
import dev.blinkchroot.emulator.kernel.task.Rlimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The structure layouts and constants of the process, system, time and signal calls, checked
 * against the host's C headers: a C program built with gcc at test time prints offsetof/sizeof
 * and the constants; gcc missing fails the test (the architecture brief does not let it skip).
 * (SA_RESTORER is only in asm/signal.h, which cannot be included beside glibc's signal.h.)
 */
class StructLayoutsTest {
  private static final String PROGRAM = String.join("\n",
      "#define _GNU_SOURCE",
      "#include <stdio.h>",
      "#include <stddef.h>",
      "#include <signal.h>",
      "#include <sched.h>",
      "#include <time.h>",
      "#include <sys/time.h>",
      "#include <sys/times.h>",
      "#include <sys/utsname.h>",
      "#include <sys/sysinfo.h>",
      "#include <sys/resource.h>",
      "#include <sys/prctl.h>",
      "#include <sys/personality.h>",
      "#include <sys/random.h>",
      "#include <asm/prctl.h>",
      "#include <linux/capability.h>",
      "#define V(name, value) printf(\"%s %lld\\n\", name, (long long)(value))",
      "#define O(t, f) V(#t \".\" #f, offsetof(struct t, f))",
      "#define S(t) V(\"sizeof \" #t, sizeof(struct t))",
      "int main(void) {",
      "  S(utsname); O(utsname, nodename); O(utsname, release); O(utsname, version);",
      "  O(utsname, machine); O(utsname, domainname);",
      "  S(sysinfo); O(sysinfo, uptime); O(sysinfo, loads); O(sysinfo, totalram);",
      "  O(sysinfo, freeram); O(sysinfo, sharedram); O(sysinfo, bufferram);",
      "  O(sysinfo, totalswap); O(sysinfo, freeswap); O(sysinfo, procs);",
      "  O(sysinfo, totalhigh); O(sysinfo, freehigh); O(sysinfo, mem_unit);",
      "  S(rusage); O(rusage, ru_utime); O(rusage, ru_stime); O(rusage, ru_maxrss);",
      "  O(rusage, ru_minflt); O(rusage, ru_majflt); O(rusage, ru_nvcsw); O(rusage, ru_nivcsw);",
      "  S(tms); S(rlimit); S(timespec); O(timespec, tv_nsec); S(timeval); O(timeval, tv_usec);",
      "  S(timezone); S(sched_param);",
      "  V(\"sizeof stack_t\", sizeof(stack_t)); V(\"stack_t.ss_flags\", offsetof(stack_t, ss_flags));",
      "  V(\"stack_t.ss_size\", offsetof(stack_t, ss_size));",
      "  S(__user_cap_header_struct); S(__user_cap_data_struct);",
      "  V(\"VERSION_1\", _LINUX_CAPABILITY_VERSION_1); V(\"VERSION_2\", _LINUX_CAPABILITY_VERSION_2);",
      "  V(\"VERSION_3\", _LINUX_CAPABILITY_VERSION_3); V(\"CAP_LAST_CAP\", CAP_LAST_CAP);",
      "  V(\"CAP_SYS_ADMIN\", CAP_SYS_ADMIN); V(\"CAP_SETUID\", CAP_SETUID);",
      "  V(\"CAP_SETGID\", CAP_SETGID); V(\"CAP_SYS_NICE\", CAP_SYS_NICE);",
      "  V(\"CAP_SYS_RESOURCE\", CAP_SYS_RESOURCE); V(\"CAP_SETPCAP\", CAP_SETPCAP);",
      "  V(\"CAP_WAKE_ALARM\", CAP_WAKE_ALARM);",
      "  V(\"ARCH_SET_GS\", ARCH_SET_GS); V(\"ARCH_SET_FS\", ARCH_SET_FS);",
      "  V(\"ARCH_GET_FS\", ARCH_GET_FS); V(\"ARCH_GET_GS\", ARCH_GET_GS);",
      "  V(\"ARCH_GET_CPUID\", ARCH_GET_CPUID); V(\"ARCH_SET_CPUID\", ARCH_SET_CPUID);",
      "  V(\"PR_SET_PDEATHSIG\", PR_SET_PDEATHSIG); V(\"PR_GET_DUMPABLE\", PR_GET_DUMPABLE);",
      "  V(\"PR_SET_NAME\", PR_SET_NAME); V(\"PR_GET_NAME\", PR_GET_NAME);",
      "  V(\"PR_GET_SECCOMP\", PR_GET_SECCOMP); V(\"PR_CAPBSET_READ\", PR_CAPBSET_READ);",
      "  V(\"PR_SET_TIMERSLACK\", PR_SET_TIMERSLACK); V(\"PR_SET_CHILD_SUBREAPER\", PR_SET_CHILD_SUBREAPER);",
      "  V(\"PR_SET_NO_NEW_PRIVS\", PR_SET_NO_NEW_PRIVS); V(\"PR_GET_TID_ADDRESS\", PR_GET_TID_ADDRESS);",
      "  V(\"PR_SET_THP_DISABLE\", PR_SET_THP_DISABLE); V(\"PR_CAP_AMBIENT\", PR_CAP_AMBIENT);",
      "  V(\"PR_SET_KEEPCAPS\", PR_SET_KEEPCAPS);",
      "  V(\"ADDR_NO_RANDOMIZE\", ADDR_NO_RANDOMIZE);",
      "  V(\"GRND_NONBLOCK\", GRND_NONBLOCK); V(\"GRND_RANDOM\", GRND_RANDOM);",
      "  V(\"GRND_INSECURE\", GRND_INSECURE);",
      "  V(\"RLIMIT_NOFILE\", RLIMIT_NOFILE); V(\"RLIMIT_STACK\", RLIMIT_STACK);",
      "  V(\"RLIMIT_RTPRIO\", RLIMIT_RTPRIO); V(\"RLIMIT_NICE\", RLIMIT_NICE);",
      "  V(\"RLIMIT_NLIMITS\", RLIMIT_NLIMITS); V(\"RUSAGE_THREAD\", RUSAGE_THREAD);",
      "  V(\"CLOCK_MONOTONIC_RAW\", CLOCK_MONOTONIC_RAW); V(\"CLOCK_BOOTTIME\", CLOCK_BOOTTIME);",
      "  V(\"CLOCK_TAI\", CLOCK_TAI); V(\"CLOCK_BOOTTIME_ALARM\", CLOCK_BOOTTIME_ALARM);",
      "  V(\"SS_DISABLE\", SS_DISABLE);",
      "  V(\"SA_ONSTACK\", SA_ONSTACK); V(\"SA_RESETHAND\", (unsigned)SA_RESETHAND);",
      "  V(\"SA_NODEFER\", SA_NODEFER); V(\"SA_RESTART\", SA_RESTART);",
      "  V(\"SCHED_IDLE\", SCHED_IDLE); V(\"SCHED_RESET_ON_FORK\", SCHED_RESET_ON_FORK);",
      "  V(\"PRIO_USER\", PRIO_USER);",
      "  return 0;",
      "}", "");

  @Test
  void layoutsAndConstants_matchTheHostHeaders() throws Exception {
    Map<String, Long> c = compileAndRun();
    expect(c, "sizeof utsname", StructLayouts.UTSNAME_SIZE);
    expect(c, "utsname.nodename", StructLayouts.UTS_NODENAME);
    expect(c, "utsname.release", StructLayouts.UTS_RELEASE);
    expect(c, "utsname.version", StructLayouts.UTS_VERSION);
    expect(c, "utsname.machine", StructLayouts.UTS_MACHINE);
    expect(c, "utsname.domainname", StructLayouts.UTS_DOMAINNAME);
    expect(c, "sizeof sysinfo", StructLayouts.SYSINFO_SIZE);
    expect(c, "sysinfo.uptime", StructLayouts.SYSINFO_UPTIME);
    expect(c, "sysinfo.loads", StructLayouts.SYSINFO_LOADS);
    expect(c, "sysinfo.totalram", StructLayouts.SYSINFO_TOTALRAM);
    expect(c, "sysinfo.freeram", StructLayouts.SYSINFO_FREERAM);
    expect(c, "sysinfo.sharedram", StructLayouts.SYSINFO_SHAREDRAM);
    expect(c, "sysinfo.bufferram", StructLayouts.SYSINFO_BUFFERRAM);
    expect(c, "sysinfo.totalswap", StructLayouts.SYSINFO_TOTALSWAP);
    expect(c, "sysinfo.freeswap", StructLayouts.SYSINFO_FREESWAP);
    expect(c, "sysinfo.procs", StructLayouts.SYSINFO_PROCS);
    expect(c, "sysinfo.totalhigh", StructLayouts.SYSINFO_TOTALHIGH);
    expect(c, "sysinfo.freehigh", StructLayouts.SYSINFO_FREEHIGH);
    expect(c, "sysinfo.mem_unit", StructLayouts.SYSINFO_MEM_UNIT);
    expect(c, "sizeof rusage", StructLayouts.RUSAGE_SIZE);
    expect(c, "rusage.ru_utime", StructLayouts.RUSAGE_UTIME);
    expect(c, "rusage.ru_stime", StructLayouts.RUSAGE_STIME);
    expect(c, "rusage.ru_maxrss", StructLayouts.RUSAGE_MAXRSS);
    expect(c, "rusage.ru_minflt", StructLayouts.RUSAGE_MINFLT);
    expect(c, "rusage.ru_majflt", StructLayouts.RUSAGE_MAJFLT);
    expect(c, "rusage.ru_nvcsw", StructLayouts.RUSAGE_NVCSW);
    expect(c, "rusage.ru_nivcsw", StructLayouts.RUSAGE_NIVCSW);
    expect(c, "sizeof tms", StructLayouts.TMS_SIZE);
    expect(c, "sizeof rlimit", StructLayouts.RLIMIT_SIZE);
    expect(c, "sizeof timespec", StructLayouts.TIMESPEC_SIZE);
    expect(c, "timespec.tv_nsec", StructLayouts.TIMESPEC_TV_NSEC);
    expect(c, "sizeof timeval", StructLayouts.TIMEVAL_SIZE);
    expect(c, "timeval.tv_usec", StructLayouts.TIMEVAL_TV_USEC);
    expect(c, "sizeof timezone", StructLayouts.TIMEZONE_SIZE);
    expect(c, "sizeof sched_param", StructLayouts.SCHED_PARAM_SIZE);
    expect(c, "sizeof stack_t", StructLayouts.STACK_T_SIZE);
    expect(c, "stack_t.ss_flags", StructLayouts.STACK_T_SS_FLAGS);
    expect(c, "stack_t.ss_size", StructLayouts.STACK_T_SS_SIZE);
    expect(c, "sizeof __user_cap_header_struct", StructLayouts.CAP_HEADER_SIZE);
    expect(c, "sizeof __user_cap_data_struct", StructLayouts.CAP_DATA_SIZE);
    expect(c, "VERSION_1", Capabilities.VERSION_1);
    expect(c, "VERSION_2", Capabilities.VERSION_2);
    expect(c, "VERSION_3", Capabilities.VERSION_3);
    expect(c, "CAP_LAST_CAP", Capabilities.CAP_LAST_CAP);
    expect(c, "CAP_SYS_ADMIN", Capabilities.CAP_SYS_ADMIN);
    expect(c, "CAP_SETUID", Capabilities.CAP_SETUID);
    expect(c, "CAP_SETGID", Capabilities.CAP_SETGID);
    expect(c, "CAP_SYS_NICE", Capabilities.CAP_SYS_NICE);
    expect(c, "CAP_SYS_RESOURCE", Capabilities.CAP_SYS_RESOURCE);
    expect(c, "CAP_SETPCAP", Capabilities.CAP_SETPCAP);
    expect(c, "CAP_WAKE_ALARM", Capabilities.CAP_WAKE_ALARM);
    expect(c, "ARCH_SET_GS", ProcessSyscalls.ARCH_SET_GS);
    expect(c, "ARCH_SET_FS", ProcessSyscalls.ARCH_SET_FS);
    expect(c, "ARCH_GET_FS", ProcessSyscalls.ARCH_GET_FS);
    expect(c, "ARCH_GET_GS", ProcessSyscalls.ARCH_GET_GS);
    expect(c, "ARCH_GET_CPUID", ProcessSyscalls.ARCH_GET_CPUID);
    expect(c, "ARCH_SET_CPUID", ProcessSyscalls.ARCH_SET_CPUID);
    expect(c, "PR_SET_PDEATHSIG", Prctl.PR_SET_PDEATHSIG);
    expect(c, "PR_GET_DUMPABLE", Prctl.PR_GET_DUMPABLE);
    expect(c, "PR_SET_NAME", Prctl.PR_SET_NAME);
    expect(c, "PR_GET_NAME", Prctl.PR_GET_NAME);
    expect(c, "PR_GET_SECCOMP", Prctl.PR_GET_SECCOMP);
    expect(c, "PR_CAPBSET_READ", Prctl.PR_CAPBSET_READ);
    expect(c, "PR_SET_TIMERSLACK", Prctl.PR_SET_TIMERSLACK);
    expect(c, "PR_SET_CHILD_SUBREAPER", Prctl.PR_SET_CHILD_SUBREAPER);
    expect(c, "PR_SET_NO_NEW_PRIVS", Prctl.PR_SET_NO_NEW_PRIVS);
    expect(c, "PR_GET_TID_ADDRESS", Prctl.PR_GET_TID_ADDRESS);
    expect(c, "PR_SET_THP_DISABLE", Prctl.PR_SET_THP_DISABLE);
    expect(c, "PR_CAP_AMBIENT", Prctl.PR_CAP_AMBIENT);
    expect(c, "PR_SET_KEEPCAPS", Prctl.PR_SET_KEEPCAPS);
    expect(c, "ADDR_NO_RANDOMIZE", ProcessSyscalls.ADDR_NO_RANDOMIZE);
    expect(c, "GRND_NONBLOCK", SystemSyscalls.GRND_NONBLOCK);
    expect(c, "GRND_RANDOM", SystemSyscalls.GRND_RANDOM);
    expect(c, "GRND_INSECURE", SystemSyscalls.GRND_INSECURE);
    expect(c, "RLIMIT_NOFILE", Rlimits.RLIMIT_NOFILE);
    expect(c, "RLIMIT_STACK", Rlimits.RLIMIT_STACK);
    expect(c, "RLIMIT_RTPRIO", Rlimits.RLIMIT_RTPRIO);
    expect(c, "RLIMIT_NICE", Rlimits.RLIMIT_NICE);
    expect(c, "RLIMIT_NLIMITS", Rlimits.RLIM_NLIMITS);
    expect(c, "RUSAGE_THREAD", SystemSyscalls.RUSAGE_THREAD);
    expect(c, "CLOCK_MONOTONIC_RAW", Clocks.CLOCK_MONOTONIC_RAW);
    expect(c, "CLOCK_BOOTTIME", Clocks.CLOCK_BOOTTIME);
    expect(c, "CLOCK_TAI", Clocks.CLOCK_TAI);
    expect(c, "CLOCK_BOOTTIME_ALARM", Clocks.CLOCK_BOOTTIME_ALARM);
    expect(c, "SS_DISABLE", AltStack.SS_DISABLE);
    expect(c, "SA_ONSTACK", SignalActions.SA_ONSTACK);
    expect(c, "SA_RESETHAND", SignalActions.SA_RESETHAND);
    expect(c, "SA_NODEFER", SignalActions.SA_NODEFER);
    expect(c, "SA_RESTART", SignalActions.SA_RESTART);
    expect(c, "SCHED_IDLE", ProcessAttributes.SCHED_IDLE);
    expect(c, "SCHED_RESET_ON_FORK", ProcessAttributes.SCHED_RESET_ON_FORK);
    expect(c, "PRIO_USER", Scheduling.PRIO_USER);
  }

  private static void expect(Map<String, Long> fromC, String name, long javaValue) {
    Long c = fromC.get(name);
    if (c == null) {
      throw new AssertionError("the C program did not print " + name);
    }
    assertEquals(c.longValue(), javaValue, name);
  }

  private static Map<String, Long> compileAndRun() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("structlayouts");
    try {
      Path source = dir.resolve("layouts.c");
      Path binary = dir.resolve("layouts");
      Files.writeString(source, PROGRAM);
      String built = run(List.of("gcc", "-O0", "-o", binary.toString(), source.toString()));
      String out = run(List.of(binary.toString()));
      Map<String, Long> values = new HashMap<>();
      for (String line : out.split("\n")) {
        int space = line.lastIndexOf(' ');
        if (space > 0) {
          values.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
      }
      return values;
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("this test needs `" + cmd.get(0) + "` (Debian package gcc), "
          + "which could not be started: " + e.getMessage(), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd.get(0) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
    return out;
  }
}
