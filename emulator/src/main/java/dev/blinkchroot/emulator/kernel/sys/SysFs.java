package dev.blinkchroot.emulator.kernel.sys;

import dev.blinkchroot.emulator.kernel.synthetic.SyntheticBackend;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticDir;
import dev.blinkchroot.vfs.FileSystemBackend;

/**
 * A minimal /sys: the top-level directories Linux has, the CPU lists (one CPU, as CPUID says),
 * and the transparent-hugepage setting, so programs that probe /sys (glibc counting CPUs, JVMs
 * and allocators reading THP) find sane answers instead of crashing.
 */
public final class SysFs {
  private SysFs() {}

  public static FileSystemBackend create() {
    SyntheticBackend backend =
        new SyntheticBackend("sysfs", SyntheticBackend.SYSFS_MAGIC, false);
    SyntheticDir root = new SyntheticDir(backend, 0555);
    backend.setRoot(root);
    root.dir("block");
    root.dir("bus");
    root.dir("class");
    root.dir("dev");
    SyntheticDir devices = root.dir("devices");
    root.dir("firmware");
    root.dir("fs");
    SyntheticDir kernel = root.dir("kernel");
    root.dir("module");
    root.dir("power");

    SyntheticDir cpu = devices.dir("system").dir("cpu");
    cpu.dir("cpu0");
    // The CPU lists use the cpulist format ("0", "0-3"): one processor, number 0.
    cpu.text("online", () -> "0\n");
    cpu.text("possible", () -> "0\n");
    cpu.text("present", () -> "0\n");
    cpu.text("kernel_max", () -> "0\n");

    SyntheticDir thp = kernel.dir("mm").dir("transparent_hugepage");
    // The selected value is bracketed; we have no huge pages, so "never".
    thp.text("enabled", () -> "always madvise [never]\n");
    thp.text("defrag", () -> "always defer defer+madvise madvise [never]\n");
    return backend;
  }
}
