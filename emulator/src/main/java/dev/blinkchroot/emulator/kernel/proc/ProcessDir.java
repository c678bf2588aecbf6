package dev.blinkchroot.emulator.kernel.proc;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.synthetic.GeneratedFile;
import dev.blinkchroot.emulator.kernel.synthetic.Owner;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticDir;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticNode;
import dev.blinkchroot.emulator.kernel.synthetic.SyntheticSymlink;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/PID (and /proc/PID/task/TID): a process's files, owned by its effective uid and gid as
 * Linux shows them. The links (exe, cwd, root, fd/N) are read when followed; the files are made
 * when opened.
 */
final class ProcessDir extends SyntheticDir {
  private final ProcFs proc;
  private final GuestProcess process;

  ProcessDir(ProcFs proc, SyntheticDir parent, String name, GuestProcess process, int tid,
      boolean withTasks) {
    super(parent, name, 0555, ownerOf(process));
    this.proc = proc;
    this.process = process;
    ProcessFiles files = new ProcessFiles(proc, process, tid);
    add(GeneratedFile.bytes(this, "auxv", 0400, null, this::auxv, null));
    // A zombie's memory is gone: cmdline and environ read empty, exe, cwd and root dangle.
    add(GeneratedFile.bytes(this, "cmdline", 0444, null, () -> nulJoined(live(process.argv())),
        null));
    // comm is writable: it sets the thread name as prctl(PR_SET_NAME) does.
    add(GeneratedFile.bytes(this, "comm", 0644, null,
        () -> ProcFs.withNewline(process.comm()), this::setComm));
    link("cwd", () -> path(process.fs().cwd()));
    add(GeneratedFile.bytes(this, "environ", 0400, null, () -> nulJoined(live(process.envp())),
        null));
    link("exe", () -> latin1(live(process.exePath())));
    add(new FdDir(this, "fd", 0500, false));
    add(new FdDir(this, "fdinfo", 0555, true));
    text("limits", files::limits);
    text("maps", () -> MemoryMaps.maps(process));
    text("mountinfo", () -> Mounts.mountinfo(proc.kernel.vfs(), process.fs()));
    text("mounts", () -> Mounts.mounts(proc.kernel.vfs(), process.fs()));
    link("root", () -> path(process.fs().root()));
    text("smaps", () -> MemoryMaps.smaps(process));
    text("stat", files::stat);
    text("statm", files::statm);
    text("status", files::status);
    if (withTasks) {
      add(new TaskDir(this));
    }
  }

  GuestProcess process() {
    return process;
  }

  private List<byte[]> live(List<byte[]> strings) {
    return process.live() ? strings : List.of();
  }

  /** A link's target while the process lives; ENOENT once it is a zombie. */
  private byte[] live(byte[] target) {
    if (!process.live()) {
      throw dev.blinkchroot.vfs.Errno.ENOENT.exception();
    }
    return target;
  }

  private static Owner ownerOf(GuestProcess p) {
    return new Owner() {
      @Override
      public int uid() {
        return p.identity().euid();
      }

      @Override
      public int gid() {
        return p.identity().egid();
      }
    };
  }

  /** A directory's path as the reader sees it (Linux shows cwd and root from the reader's root). */
  private String path(Location dir) {
    live(new byte[0]);
    return latin1(proc.kernel.vfs().pathOf(ProcFs.readerFs(process), dir));
  }

  private byte[] auxv() {
    long[] auxv = process.auxv();
    ByteBuffer b = ByteBuffer.allocate(auxv.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : auxv) {
      b.putLong(v);
    }
    return b.array();
  }

  private void setComm(byte[] written) {
    int n = written.length;
    if (n > 0 && written[n - 1] == '\n') {
      n--;
    }
    process.setComm(java.util.Arrays.copyOf(written, n));
  }

  static byte[] nulJoined(List<byte[]> strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] s : strings) {
      out.writeBytes(s);
      out.write(0);
    }
    return out.toByteArray();
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /**
   * What /proc/PID/fd/N links to: a directory's path from the reader's root; otherwise what the
   * description says (a file's path, "pipe:[N]", "/dev/null", "anon_inode:[eventfd]"...).
   */
  static String linkOf(ProcFs proc, GuestProcess owner, FileDescription d) {
    Location at = d.location();
    if (at != null && at.isDirectory()) {
      try {
        return latin1(proc.kernel.vfs().pathOf(ProcFs.readerFs(owner), at));
      } catch (ErrnoException e) {
        return d.procLink();
      }
    }
    return d.procLink();
  }


  /** fd/ (links named by descriptor) or fdinfo/ (one small text file per descriptor). */
  private final class FdDir extends SyntheticDir {
    private final boolean info;
    /** The description each made child stands for: a reused number gets a new child. */
    private final Map<String, FileDescription> madeFor = new HashMap<>();

    FdDir(SyntheticDir parent, String name, int permissions, boolean info) {
      super(parent, name, permissions, null);
      this.info = info;
    }

    @Override
    protected List<Listed> dynamicEntries() {
      List<Listed> out = new ArrayList<>();
      for (int fd : process.fds().openDescriptors()) {
        out.add(new Listed(Integer.toString(fd), 3L + fd));
      }
      return out;
    }

    @Override
    protected boolean dynamicExists(String name) {
      return description(name) != null;
    }

    private FileDescription description(String name) {
      int fd = ProcFs.parseNumber(name);
      if (fd < 0) {
        return null;
      }
      try {
        return process.fds().get(fd);
      } catch (ErrnoException e) {
        return null;
      }
    }

    @Override
    protected synchronized SyntheticNode makeDynamic(String name) {
      FileDescription d = description(name);
      if (d == null) {
        return null;
      }
      madeFor.put(name, d);
      int fd = Integer.parseInt(name);
      if (info) {
        return GeneratedFile.text(this, name, 0444, () -> fdinfo(fd, d));
      }
      // The link's mode shows the access mode: lr-x------ read, l-wx------ write, lrwx------ both.
      int acc = d.flags() & Fcntl.O_ACCMODE;
      int mode = acc == Fcntl.O_RDONLY ? 0500 : acc == Fcntl.O_WRONLY ? 0300 : 0700;
      return SyntheticSymlink.of(this, name, mode, () -> linkOf(proc, process, d),
          new MagicLinks.FdLink(process, fd, d));
    }

    @Override
    protected synchronized boolean stillValid(String name, SyntheticNode made) {
      return madeFor.get(name) == description(name);
    }

    /** proc(5) fdinfo: pos, flags (octal, with O_CLOEXEC), mnt_id, ino. */
    private String fdinfo(int fd, FileDescription d) {
      long pos;
      try {
        pos = d.seek(0, Fcntl.SEEK_CUR);
      } catch (ErrnoException e) {
        pos = 0; // pipes and sockets have no position
      }
      int flags = d.flags();
      try {
        if (process.fds().closeOnExec(fd)) {
          flags |= Fcntl.O_CLOEXEC;
        }
      } catch (ErrnoException e) {
        // closed since it was opened: show what we had
      }
      Location at = d.location();
      int mntId = at != null ? at.mount().id() : 0;
      long ino;
      try {
        ino = d.stat().ino();
      } catch (ErrnoException e) {
        ino = 0;
      }
      return "pos:\t" + pos + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + mntId
          + "\nino:\t" + ino + "\n";
    }
  }

  /** task/: one directory per thread. Only the thread reading /proc is known besides the leader. */
  private final class TaskDir extends SyntheticDir {
    TaskDir(SyntheticDir parent) {
      super(parent, "task", 0555, null);
    }

    private List<Integer> tids() {
      List<Integer> tids = new ArrayList<>();
      tids.add(process.pid());
      Task t = Task.current();
      if (t != null && t.process() == process && t.tid() != process.pid()) {
        tids.add(t.tid());
      }
      return tids;
    }

    @Override
    protected List<Listed> dynamicEntries() {
      List<Listed> out = new ArrayList<>();
      for (int tid : tids()) {
        out.add(new Listed(Integer.toString(tid), ProcFs.PID_COOKIE_BASE + tid));
      }
      return out;
    }

    @Override
    protected boolean dynamicExists(String name) {
      return tids().contains(ProcFs.parsePid(name));
    }

    @Override
    protected SyntheticNode makeDynamic(String name) {
      return new ProcessDir(proc, this, name, process, ProcFs.parsePid(name), false);
    }
  }

}
