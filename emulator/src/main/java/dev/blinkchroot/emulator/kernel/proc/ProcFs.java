package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.KernelVersion;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.UtsNamespace;
import dev.blinkchroot.emulator.kernel.synthetic.GeneratedFile;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticBackend;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticDir;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticNode;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileSystemBackend;
import dev.blinkchroot.vfs.FsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * /proc (proc(5)): one directory per live process, {@code self} and {@code thread-self} (which
 * depend on who reads them: {@link Task#current()}), the system-wide files busybox ps, top, free
 * and uptime read, and the /proc/sys values programs probe. Every file is generated when opened.
 */
public final class ProcFs {
  /** Readdir positions of process directories: above every fixed entry of the root. */
  static final long PID_COOKIE_BASE = 1000;
  /** /proc/sys/kernel/pid_max: Linux's default. */
  static final int PID_MAX = 32768;

  final Kernel kernel;
  private final String bootId = UUID.randomUUID().toString();

  private ProcFs(Kernel kernel) {
    this.kernel = kernel;
  }

  /** A /proc showing {@code kernel}'s processes. */
  public static FileSystemBackend create(Kernel kernel) {
    ProcFs proc = new ProcFs(kernel);
    SyntheticBackend backend =
        new SyntheticBackend("proc", SyntheticBackend.PROC_SUPER_MAGIC, true);
    Root root = proc.new Root(backend);
    backend.setRoot(root);
    proc.populate(root);
    return backend;
  }

  private void populate(Root root) {
    SystemFiles sys = new SystemFiles(this);
    root.link("self", () -> Integer.toString(reader().process().pid()));
    root.link("thread-self", () -> {
      Task t = reader();
      return t.process().pid() + "/task/" + t.tid();
    });
    root.text("cpuinfo", CpuInfo::text);
    root.text("meminfo", sys::meminfo);
    root.text("uptime", sys::uptime);
    root.text("loadavg", sys::loadavg);
    root.text("stat", sys::stat);
    root.text("version", () -> KernelVersion.procVersion() + "\n");
    root.text("filesystems", SystemFiles::filesystems);
    // On Linux /proc/mounts is a link to self/mounts.
    root.link("mounts", () -> "self/mounts");

    SyntheticDir sysDir = root.dir("sys");
    SyntheticDir kernelDir = sysDir.dir("kernel");
    // hostname and domainname are the UTS names uname reports; root may set them by writing.
    UtsNamespace uts = kernel.uts();
    kernelDir.add(GeneratedFile.bytes(kernelDir, "hostname", 0644, null,
        () -> withNewline(uts.hostname()), b -> uts.setHostname(firstLine(b))));
    kernelDir.add(GeneratedFile.bytes(kernelDir, "domainname", 0644, null,
        () -> withNewline(uts.domainname()), b -> uts.setDomainname(firstLine(b))));
    kernelDir.text("ostype", () -> KernelVersion.SYSNAME + "\n");
    kernelDir.text("osrelease", () -> KernelVersion.OSRELEASE + "\n");
    kernelDir.text("version", () -> KernelVersion.VERSION + "\n");
    kernelDir.text("pid_max", () -> PID_MAX + "\n");
    kernelDir.text("ngroups_max", () -> "65536\n");
    // CAP_CHECKPOINT_RESTORE (40) is the last capability of Linux 6.1; libcap reads this.
    kernelDir.text("cap_last_cap", () -> "40\n");
    SyntheticDir random = kernelDir.dir("random");
    random.text("boot_id", () -> bootId + "\n");
    random.text("uuid", () -> UUID.randomUUID() + "\n");
    random.text("entropy_avail", () -> "256\n");
    random.text("poolsize", () -> "256\n");
    SyntheticDir vm = sysDir.dir("vm");
    // glibc's malloc reads overcommit_memory; 0 is Linux's heuristic default.
    vm.text("overcommit_memory", () -> "0\n");
    vm.text("max_map_count", () -> "65530\n");
    SyntheticDir fs = sysDir.dir("fs");
    fs.text("nr_open", () -> "1048576\n");
    fs.text("file-max", () -> "9223372036854775807\n");
  }

  static byte[] withNewline(byte[] b) {
    byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
    out[b.length] = '\n';
    return out;
  }

  /** What a write to a /proc/sys string sets: the bytes up to the first newline. */
  static byte[] firstLine(byte[] written) {
    int n = 0;
    while (n < written.length && written[n] != '\n') {
      n++;
    }
    return java.util.Arrays.copyOf(written, n);
  }

  /** The task reading /proc now; ENOENT outside a system call (as for a kernel thread). */
  static Task reader() {
    Task t = Task.current();
    if (t == null) {
      throw Errno.ENOENT.exception();
    }
    return t;
  }

  /** The file-system view paths are shown from: the reader's, or {@code fallback}'s. */
  static FsContext readerFs(GuestProcess fallback) {
    Task t = Task.current();
    return t != null ? t.process().fs() : fallback.fs();
  }

  /** The live processes: the kernel's registry, plus the reader's own process. */
  List<GuestProcess> processes() {
    List<GuestProcess> all = new ArrayList<>(kernel.processes());
    Task t = Task.current();
    if (t != null && kernel.process(t.process().pid()) == null) {
      int i = 0;
      while (i < all.size() && all.get(i).pid() < t.process().pid()) {
        i++;
      }
      all.add(i, t.process());
    }
    return all;
  }

  /** Process {@code pid} if it lives, else null. */
  GuestProcess process(int pid) {
    GuestProcess p = kernel.process(pid);
    if (p == null) {
      Task t = Task.current();
      if (t != null && t.process().pid() == pid) {
        p = t.process();
      }
    }
    return p;
  }

  /** A positive decimal number without leading zeros, as /proc names pids; else -1. */
  static int parsePid(String name) {
    int n = parseNumber(name);
    return n > 0 ? n : -1;
  }

  /** A decimal number without leading zeros ("0" itself allowed), as fd/ names; else -1. */
  static int parseNumber(String name) {
    if (name.isEmpty() || name.length() > 9 || (name.charAt(0) == '0' && name.length() > 1)) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }

  /** The root: fixed files, then one directory per process. */
  private final class Root extends SyntheticDir {
    Root(SyntheticBackend backend) {
      super(backend, 0555);
    }

    @Override
    protected List<Listed> dynamicEntries() {
      List<Listed> out = new ArrayList<>();
      for (GuestProcess p : processes()) {
        out.add(new Listed(Integer.toString(p.pid()), PID_COOKIE_BASE + p.pid()));
      }
      return out;
    }

    @Override
    protected boolean dynamicExists(String name) {
      int pid = parsePid(name);
      return pid > 0 && process(pid) != null;
    }

    @Override
    protected SyntheticNode makeDynamic(String name) {
      GuestProcess p = process(parsePid(name));
      return p == null ? null : new ProcessDir(ProcFs.this, this, name, p, p.pid(), true);
    }

    @Override
    protected boolean stillValid(String name, SyntheticNode made) {
      return ((ProcessDir) made).process() == process(parsePid(name));
    }
  }
}
