package dev.blinkchroot.emulator.kernel.ipc;

import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.fd.KernelFiles;
import dev.blinkchroot.emulator.kernel.sync.Interrupted;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.util.HashMap;
import java.util.Map;

/**
 * FIFOs opened by name (fifo(7)): every open of one FIFO inode shares one {@link Pipe} while any
 * end is open; when the last closes, the pipe and its unread data go.
 *
 * <p>Open rules (open(2), fifo(7)): O_RDWR always succeeds at once; O_RDONLY|O_NONBLOCK succeeds
 * at once; O_WRONLY|O_NONBLOCK fails with ENXIO when no reader has it open; a blocking open waits
 * until the other end is opened. Within one thread a blocking open that needs a peer from the same
 * thread waits forever, as it would on Linux for a single-threaded process; an interruption of
 * the task (a kill; later a signal) ends the wait with EINTR.
 */
public final class Fifos {
  private record Key(long dev, long ino) {}

  private final Map<Key, Pipe> pipes = new HashMap<>();
  private final KernelFiles files;

  /** The FIFO table of a kernel whose descriptions share {@code files}. */
  public Fifos(KernelFiles files) {
    this.files = files;
  }

  private static Key key(OpenFile file) {
    Stat st = file.stat();
    return new Key(st.dev(), st.ino());
  }

  /** The description for an opened FIFO; closes {@code file} on failure. */
  public FileDescription open(Task t, OpenFile file, byte[] path, int flags) {
    int access = flags & Fcntl.O_ACCMODE;
    boolean nonBlocking = (flags & Fcntl.O_NONBLOCK) != 0;
    boolean reads = access == Fcntl.O_RDONLY || access == Fcntl.O_RDWR;
    boolean writes = access == Fcntl.O_WRONLY || access == Fcntl.O_RDWR;
    Pipe pipe;
    Pipe.End end;
    Key k = key(file);
    synchronized (pipes) {
      pipe = pipes.get(k);
      if (pipe == null) {
        pipe = new Pipe(false, file.stat().uid(), file.stat().gid(), files, this);
        pipes.put(k, pipe);
      }
      if (access == Fcntl.O_WRONLY && nonBlocking && pipe.readers() == 0) {
        if (pipe.isUnused()) {
          pipes.remove(k);
        }
        file.close();
        throw Errno.ENXIO.exception("FIFO has no reader");
      }
      end = pipe.open(flags, reads, writes, file, path);
    }
    if (access != Fcntl.O_RDWR && !nonBlocking) {
      try {
        pipe.awaitPeer(end);
      } catch (ErrnoException | Interrupted e) {
        end.close();
        throw e;
      }
    }
    return end;
  }

  /** Called when an end of a FIFO's pipe closes: the last one drops the shared pipe. */
  void released(Pipe pipe, OpenFile file) {
    Key k = key(file);
    synchronized (pipes) {
      if (pipes.get(k) == pipe && pipe.isUnused()) {
        pipes.remove(k);
      }
    }
  }
}
