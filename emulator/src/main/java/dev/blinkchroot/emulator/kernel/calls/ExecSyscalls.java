package dev.blinkchroot.emulator.kernel.calls;

import dev.blinkchroot.emulator.kernel.abi.GuestIo;
import dev.blinkchroot.emulator.kernel.loader.LoadLayout;
import dev.blinkchroot.emulator.kernel.loader.ProgramLoader;
import dev.blinkchroot.emulator.kernel.syscall.Outcome;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.Location;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * execve(2) and execveat(2): read the arguments, build the new program in a new address space
 * ({@link ProgramLoader#prepare}), and only then replace the old one ({@link
 * ProgramLoader#commit}) and end the syscall with {@link Outcome#exec}, on which the task's run
 * loop starts decoding the new program. A failure returns the errno with the old program intact.
 */
public final class ExecSyscalls {
  /**
   * How many bytes of argv and envp (strings, NULs and pointers) exec reads at most: a quarter of
   * the default 8 MiB stack limit, the limit execve(2) describes (E2BIG past it).
   */
  static final int ARG_MAX = (int) (LoadLayout.STACK_LIMIT / 4);

  private ExecSyscalls() {}

  /** execve(path,argv,envp) */
  public static Outcome execve(Task t) {
    byte[] path = t.pathArg(0);
    ProgramLoader.checkExecutable(t, null, path, 0);
    List<byte[]> argv = Arrays.asList(GuestIo.readStringArray(t.memory(), t.arg(1), ARG_MAX));
    List<byte[]> envp = Arrays.asList(GuestIo.readStringArray(t.memory(), t.arg(2), ARG_MAX));
    ProgramLoader.Image image = prepare(t, null, path, 0, path, argv, envp);
    ProgramLoader.commit(t, image);
    return Outcome.exec();
  }

  /**
   * {@link ProgramLoader#prepare}, telling the user (not the guest, which sees ENOEXEC) when the
   * program is an ELF for another architecture.
   */
  private static ProgramLoader.Image prepare(Task t, Location dir, byte[] path, int atFlags,
      byte[] execfn, List<byte[]> argv, List<byte[]> envp) {
    try {
      return ProgramLoader.prepare(t, dir, path, atFlags, execfn, argv, envp);
    } catch (ErrnoException e) {
      String foreign = ProgramLoader.foreignArchitecture(e);
      if (foreign != null) {
        t.kernel().config().diagnostics().println("blink-chroot: "
            + new String(path, StandardCharsets.UTF_8) + ": " + foreign);
      }
      throw e;
    }
  }

  /**
   * execveat(dirfd,path,argv,envp,flags): as execve with the path resolved as the *at calls
   * resolve it; AT_EMPTY_PATH runs the file dirfd refers to (fexecve), AT_SYMLINK_NOFOLLOW fails
   * with ELOOP on a symbolic link. AT_EXECFN is "/dev/fd/N" or "/dev/fd/N/PATH" for a relative
   * path with a dirfd, as execveat(2) describes.
   */
  public static Outcome execveat(Task t) {
    int dirfd = t.intArg(0);
    byte[] path = t.pathArg(1);
    int flags = t.intArg(4);
    if ((flags & ~(Fcntl.AT_EMPTY_PATH | Fcntl.AT_SYMLINK_NOFOLLOW)) != 0) {
      throw Errno.EINVAL.exception();
    }
    boolean absolute = path.length > 0 && path[0] == '/';
    Location dir = null;
    byte[] execfn = path;
    if (!absolute && (path.length > 0 || (flags & Fcntl.AT_EMPTY_PATH) != 0)) {
      dir = t.dirfd(dirfd);
      if (dirfd != Fcntl.AT_FDCWD) {
        byte[] prefix = ("/dev/fd/" + dirfd + (path.length == 0 ? "" : "/"))
            .getBytes(StandardCharsets.US_ASCII);
        execfn = Arrays.copyOf(prefix, prefix.length + path.length);
        System.arraycopy(path, 0, execfn, prefix.length, path.length);
      }
    }
    if (path.length == 0 && dir == null && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
      dir = t.fs().cwd();
    }
    ProgramLoader.checkExecutable(t, dir, path, flags);
    List<byte[]> argv = Arrays.asList(GuestIo.readStringArray(t.memory(), t.arg(2), ARG_MAX));
    List<byte[]> envp = Arrays.asList(GuestIo.readStringArray(t.memory(), t.arg(3), ARG_MAX));
    ProgramLoader.Image image = prepare(t, dir, path, flags, execfn, argv, envp);
    ProgramLoader.commit(t, image);
    return Outcome.exec();
  }
}
