package dev.blinkchroot.emulator.kernel.testing;

import dev.blinkchroot.emulator.kernel.SyntheticMounts;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@link KernelFixture} with /proc, /dev, /sys and /tmp mounted by {@link SyntheticMounts} and
 * pid 1 registered, plus helpers that go through the VFS as the fixture's task (so /proc/self
 * means pid 1).
 */
public final class SyntheticFsFixture {
  public final KernelFixture k = new KernelFixture();

  public SyntheticFsFixture() {
    SyntheticMounts.mountAll(k.kernel, k.vfs.newContext(k.process.identity().credentials()));
    k.kernel.registerProcess(k.process);
  }

  /** Runs {@code body} as {@code task} would during a system call. */
  public static <T> T as(Task task, Supplier<T> body) {
    Task previous = Task.current();
    Task.setCurrent(task);
    try {
      return body.get();
    } finally {
      Task.setCurrent(previous);
    }
  }

  public <T> T asInit(Supplier<T> body) {
    return as(k.task, body);
  }

  public static byte[] path(String p) {
    return p.getBytes(StandardCharsets.ISO_8859_1);
  }

  public byte[] readBytes(Task task, String p) {
    return as(task, () -> {
      try (OpenFile f = k.vfs.open(task.process().fs(), null, path(p), Fcntl.O_RDONLY, 0)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(7); // small reads: a snapshot must hold together
        while (f.read(buf.clear()) > 0) {
          out.write(buf.array(), 0, buf.position());
        }
        return out.toByteArray();
      }
    });
  }

  public String read(String p) {
    return new String(readBytes(k.task, p), StandardCharsets.ISO_8859_1);
  }

  public String readlink(Task task, String p) {
    return as(task, () -> new String(k.vfs.readlink(task.process().fs(), null, path(p)),
        StandardCharsets.ISO_8859_1));
  }

  public String readlink(String p) {
    return readlink(k.task, p);
  }

  public Stat lstat(String p) {
    return asInit(() -> k.vfs.stat(k.process.fs(), null, path(p), Fcntl.AT_SYMLINK_NOFOLLOW));
  }

  public Stat stat(String p) {
    return asInit(() -> k.vfs.stat(k.process.fs(), null, path(p), 0));
  }

  /** The names in directory {@code p} without "." and "..", in readdir order. */
  public List<String> list(String p) {
    return asInit(() -> {
      try (OpenFile f = k.vfs.open(k.process.fs(), null, path(p),
          Fcntl.O_RDONLY | Fcntl.O_DIRECTORY, 0)) {
        List<String> names = new ArrayList<>();
        List<DirEntry> batch;
        while (!(batch = f.readdir(3)).isEmpty()) { // small batches: resumption by cookie
          for (DirEntry e : batch) {
            String n = e.name().toString();
            if (!n.equals(".") && !n.equals("..")) {
              names.add(n);
            }
          }
        }
        return names;
      }
    });
  }

  public OpenFile open(String p, int flags) {
    return asInit(() -> k.vfs.open(k.process.fs(), null, path(p), flags, 0));
  }

  /** A second process (and its task) sharing the VFS, registered with the kernel. */
  public Task spawn(int pid, int ppid) {
    Identity identity = new Identity(1000, 1000, new int[] {1000, 10});
    GuestProcess p = new GuestProcess(pid, k.kernel.process(ppid),
        dev.blinkchroot.emulator.kernel.mm.AddressSpace.create(), new FdTable(),
        k.vfs.newContext(identity.credentials()), identity);
    k.kernel.registerProcess(p);
    return new Task(k.kernel, p, new dev.blinkchroot.emulator.cpu.Cpu(p.memory()), pid);
  }
}
