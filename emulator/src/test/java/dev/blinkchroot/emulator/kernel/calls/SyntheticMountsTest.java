package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpuid;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.KernelConfig;
import dev.blinkchroot.emulator.kernel.KernelVersion;
import dev.blinkchroot.emulator.kernel.SyntheticMounts;
import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.StatFs;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What SyntheticMounts mounts, /sys, and the system-wide /proc files (cpuinfo against CPUID,
 * meminfo, uptime, loadavg, stat, version, /proc/sys).
 */
class SyntheticMountsTest {
  private final SyntheticFsFixture f = new SyntheticFsFixture();

  // ------------------------------------------------------------------ mounting

  @Test
  void mountAll_createsMissingMountPoints_withLinuxModes() {
    assertEquals(040555, f.stat("/proc").mode());
    assertEquals(040755, f.stat("/dev").mode());
    assertEquals(041777, f.stat("/dev/shm").mode());
    assertEquals(040555, f.stat("/sys").mode());
    assertEquals(041777, f.stat("/tmp").mode());
    assertEquals(StatFs.TMPFS_MAGIC, f.asInit(() -> f.k.vfs.statfs(f.k.process.fs(), null,
        SyntheticFsFixture.path("/tmp"))).type());
    assertEquals(0x9fa0L, f.asInit(() -> f.k.vfs.statfs(f.k.process.fs(), null,
        SyntheticFsFixture.path("/proc"))).type());
  }

  @Test
  void mountAll_keepsExistingMountPoints_andMountsOverThem() {
    Vfs vfs = Vfs.create(NioBackend.memory(), "image");
    var ctx = vfs.newContext(dev.blinkchroot.vfs.Credentials.ROOT);
    vfs.mkdir(ctx, null, SyntheticFsFixture.path("/tmp"), 0700);
    vfs.open(ctx, null, SyntheticFsFixture.path("/tmp/left-behind"), Fcntl.O_CREAT
        | Fcntl.O_WRONLY, 0644).close();
    Kernel kernel = new Kernel(vfs, dev.blinkchroot.policies.Policies.allowAll(),
        new KernelConfig("h", System.err, List.of(), false, null, null, null));
    SyntheticMounts.mountAll(kernel, ctx);
    // The tmpfs hides what the image had there, and has its own 1777 root.
    assertEquals(041777, vfs.stat(ctx, null, SyntheticFsFixture.path("/tmp"), 0).mode());
    ErrnoException e = assertThrows(ErrnoException.class, () -> vfs.stat(ctx, null,
        SyntheticFsFixture.path("/tmp/left-behind"), 0));
    assertEquals(Errno.ENOENT, e.errno());
  }

  @Test
  void tmp_isWritableByAnyone() {
    OpenFile w = f.open("/tmp/x", Fcntl.O_CREAT | Fcntl.O_WRONLY);
    w.write(ByteBuffer.wrap("data".getBytes(StandardCharsets.US_ASCII)));
    w.close();
    assertEquals("data", f.read("/tmp/x"));
  }

  // ------------------------------------------------------------------ /sys

  @Test
  void sys_hasTheCpuListsAndThp() {
    assertEquals("0\n", f.read("/sys/devices/system/cpu/online"));
    assertEquals("0\n", f.read("/sys/devices/system/cpu/possible"));
    assertEquals("0\n", f.read("/sys/devices/system/cpu/present"));
    assertEquals(FileType.DIRECTORY, f.stat("/sys/devices/system/cpu/cpu0").type());
    assertTrue(f.read("/sys/kernel/mm/transparent_hugepage/enabled").matches(
        "(\\w+ )*\\[\\w+\\]( \\w+)*\n"));
    assertEquals(List.of(), f.list("/sys/class"));
    assertEquals(List.of(), f.list("/sys/fs"));
    assertTrue(f.list("/sys").containsAll(List.of("block", "bus", "class", "dev", "devices",
        "firmware", "fs", "kernel", "module", "power")));
    // sysfs refuses new files as a directory without the operation does.
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> f.open("/sys/new", Fcntl.O_CREAT | Fcntl.O_WRONLY));
    assertEquals(Errno.EACCES, e.errno());
    e = assertThrows(ErrnoException.class, () -> f.asInit(() -> {
      f.k.vfs.mkdir(f.k.process.fs(), null, SyntheticFsFixture.path("/sys/kernel/x"), 0755);
      return null;
    }));
    assertEquals(Errno.EPERM, e.errno());
  }

  // ------------------------------------------------------------------ /proc global files

  /** Linux's /proc/cpuinfo names for what Cpuid claims; checked bit by bit below. */
  private static final List<String> CPUID_FLAGS = List.of("fpu", "tsc", "cx8", "cmov", "clflush",
      "mmx", "fxsr", "sse", "sse2", "syscall", "nx", "rdtscp", "lm", "pni", "ssse3", "cx16",
      "sse4_1", "sse4_2", "movbe", "popcnt", "xsave", "rdrand", "hypervisor", "lahf_lm", "abm",
      "3dnowprefetch", "bmi1", "bmi2", "rdseed", "adx", "xsavec");

  private static boolean bit(int leaf, int reg, int bit) {
    return (Cpuid.query(leaf, 0)[reg] & (1 << bit)) != 0;
  }

  @Test
  void cpuinfo_flagsAreExactlyWhatCpuidClaims() {
    // The bits behind each expected flag really are set...
    assertTrue(bit(1, 3, 0) && bit(1, 3, 4) && bit(1, 3, 8) && bit(1, 3, 15) && bit(1, 3, 19)
        && bit(1, 3, 23) && bit(1, 3, 24) && bit(1, 3, 25) && bit(1, 3, 26));
    assertTrue(bit(0x80000001, 3, 11) && bit(0x80000001, 3, 20) && bit(0x80000001, 3, 27)
        && bit(0x80000001, 3, 29));
    assertTrue(bit(1, 2, 0) && bit(1, 2, 9) && bit(1, 2, 13) && bit(1, 2, 19) && bit(1, 2, 20)
        && bit(1, 2, 22) && bit(1, 2, 23) && bit(1, 2, 26) && bit(1, 2, 30) && bit(1, 2, 31));
    assertTrue(bit(0x80000001, 2, 0) && bit(0x80000001, 2, 5) && bit(0x80000001, 2, 8));
    assertTrue(bit(7, 1, 3) && bit(7, 1, 8) && bit(7, 1, 18) && bit(7, 1, 19));
    // ...and features it does not claim are not listed.
    assertTrue(!bit(1, 2, 28) && !bit(7, 1, 5)); // avx, avx2
    String cpuinfo = f.read("/proc/cpuinfo");
    String flagsLine = Arrays.stream(cpuinfo.split("\n")).filter(l -> l.startsWith("flags\t"))
        .findFirst().orElseThrow();
    List<String> flags = Arrays.asList(flagsLine.substring(flagsLine.indexOf(": ") + 2)
        .split(" "));
    assertEquals(CPUID_FLAGS, flags);
    // The number of bits set in the reported leaves equals the number of flags, but for the
    // three Linux does not list: OSXSAVE, FDP_EXCPTN_ONLY and ZERO_FCS_FDS (leaf 7 bits 6, 13).
    assertTrue(bit(7, 1, 6) && bit(7, 1, 13));
    int bits = Integer.bitCount(Cpuid.query(1, 0)[3]) + Integer.bitCount(Cpuid.query(1, 0)[2])
        + Integer.bitCount(Cpuid.query(0x80000001, 0)[3])
        + Integer.bitCount(Cpuid.query(0x80000001, 0)[2]) + Integer.bitCount(Cpuid.query(7, 0)[1])
        + Integer.bitCount(Cpuid.query(0xd, 1)[0]);
    assertEquals(bits - 3, flags.size());
  }

  @Test
  void cpuinfo_identifiesTheCpuAsCpuidDoes() {
    String cpuinfo = f.read("/proc/cpuinfo");
    assertTrue(cpuinfo.startsWith("processor\t: 0\nvendor_id\t: GenuineIntel\n"
        + "cpu family\t: 6\nmodel\t\t: 207\n"
        + "model name\t: Intel Xeon 06_CFH (emulated by blink-chroot)\nstepping\t: 2\n"), cpuinfo);
    assertTrue(cpuinfo.contains("\nsiblings\t: 1\n"));
    assertTrue(cpuinfo.contains("\ncpuid level\t: 13\n"));
    assertTrue(cpuinfo.contains("\ncache size\t: 5120 KB\n"));
    assertTrue(cpuinfo.contains("\naddress sizes\t: 46 bits physical, 48 bits virtual\n"));
    assertTrue(cpuinfo.endsWith("\n\n"));
    assertEquals(1, cpuinfo.split("processor\t:").length - 1, "one processor");
  }

  @Test
  void meminfo_reportsTheHeap_inLinuxColumns() throws Exception {
    String meminfo = f.read("/proc/meminfo");
    long max = Runtime.getRuntime().maxMemory() / 1024;
    assertTrue(meminfo.startsWith(String.format("MemTotal:       %8d kB\n", max)), meminfo);
    Set<String> keys = new LinkedHashSet<>();
    for (String line : meminfo.split("\n")) {
      assertTrue(line.matches("[A-Za-z0-9_()]+: +\\d+( kB)?"), line);
      int colon = line.indexOf(':');
      keys.add(line.substring(0, colon));
      String number = line.replace(" kB", "");
      if (number.length() <= 24) {
        assertEquals(24, number.length(), "label to 16, value to 8: " + line);
      }
    }
    for (String k : List.of("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
        "SwapTotal", "SwapFree", "Shmem", "SReclaimable")) {
      assertTrue(keys.contains(k), k);
    }
    // The same layout as this host's.
    String nativeLine = ProcFsTest.nativeOutput("head", "-1", "/proc/meminfo");
    assertTrue(nativeLine.matches("MemTotal: +\\d+ kB\n"));
    assertEquals(nativeLine.indexOf(" kB"), Math.max(24, nativeLine.indexOf(" kB")));
  }

  @Test
  void uptimeLoadavgStat_haveLinuxFormats() {
    assertTrue(f.read("/proc/uptime").matches("\\d+\\.\\d\\d \\d+\\.\\d\\d\n"));
    f.spawn(12, 1);
    assertEquals("0.00 0.00 0.00 1/2 12\n", f.read("/proc/loadavg"));
    String stat = f.read("/proc/stat");
    assertTrue(stat.matches("cpu  (\\d+ ){9}\\d+\ncpu0 (\\d+ ){9}\\d+\n(?s).*"), stat);
    assertTrue(stat.contains("\nbtime "));
    assertTrue(stat.contains("\nprocesses 12\n"));
    assertTrue(stat.contains("\nprocs_running 1\n"));
  }

  @Test
  void versionAndSysKernel_agreeWithKernelVersion() {
    assertTrue(f.read("/proc/version").startsWith("Linux version " + KernelVersion.OSRELEASE
        + " "));
    assertTrue(f.read("/proc/version").trim().endsWith(KernelVersion.VERSION));
    assertEquals(KernelVersion.OSRELEASE + "\n", f.read("/proc/sys/kernel/osrelease"));
    assertEquals("Linux\n", f.read("/proc/sys/kernel/ostype"));
    assertEquals("blink\n", f.read("/proc/sys/kernel/hostname"));
    // Root sets the host name by writing it, as sethostname(2) would.
    OpenFile w = f.open("/proc/sys/kernel/hostname", Fcntl.O_WRONLY | Fcntl.O_TRUNC);
    w.write(ByteBuffer.wrap("box\n".getBytes(StandardCharsets.US_ASCII)));
    w.close();
    assertEquals("box\n", f.read("/proc/sys/kernel/hostname"));
    assertEquals("box", new String(f.k.kernel.uts().hostname(),
        StandardCharsets.US_ASCII));
    assertEquals("(none)\n", f.read("/proc/sys/kernel/domainname"));
    assertEquals("32768\n", f.read("/proc/sys/kernel/pid_max"));
    assertEquals("40\n", f.read("/proc/sys/kernel/cap_last_cap"));
    assertEquals("0\n", f.read("/proc/sys/vm/overcommit_memory"));
    assertEquals(f.read("/proc/sys/kernel/random/boot_id"),
        f.read("/proc/sys/kernel/random/boot_id"));
    assertTrue(!f.read("/proc/sys/kernel/random/uuid").equals(
        f.read("/proc/sys/kernel/random/uuid")));
    assertTrue(f.read("/proc/filesystems").contains("nodev\tproc\n"));
  }
}
