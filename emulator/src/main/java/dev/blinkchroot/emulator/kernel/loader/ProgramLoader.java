package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileContent;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What execve(2) does to a task, in two phases so that a failure leaves the old program intact:
 * {@link #prepare} finds the file inside the sandbox, follows "#!" lines, and builds the whole
 * new image (ELF segments, the interpreter named by PT_INTERP, the initial stack) in a NEW
 * address space; {@link #commit} is the point of no return: the address space is swapped,
 * close-on-exec descriptors closed, signal handlers reset, registers set.
 *
 * <p>Errors, in the order Linux finds them: those of the path lookup (ENOENT, ENOTDIR, ELOOP,
 * EACCES for a directory that cannot be searched, ENAMETOOLONG); EACCES for a file that is not a
 * regular file (a directory included) or has no execute permission; ENOEXEC for a format that is
 * neither ELF nor "#!", an ELF this loader cannot run (another architecture: one diagnostic line
 * names it), a bad "#!" line; ELOOP after {@link ScriptInterpreter#MAX_SUBSTITUTIONS}
 * interpreters; the interpreter's own lookup errors (ENOENT for a missing one); E2BIG for
 * arguments beyond a quarter of the stack limit; EINVAL/ENOMEM/EPERM for segments that cannot be
 * mapped. Linux gives ELIBBAD for a PT_INTERP interpreter that is not a suitable ELF; that errno
 * is not in our table, so it is ENOEXEC here.
 *
 * <p>Not modelled: set-user-ID and set-group-ID bits (the program runs with the caller's ids and
 * AT_SECURE 0), noexec mounts, ETXTBSY, file-backed pages (segments are copied).
 */
public final class ProgramLoader {
  private static final byte[] EMPTY = new byte[0];

  /** A new program, built and not yet installed. */
  public static final class Image {
    final GuestMemory memory;
    final long entry;
    final long rsp;
    final long brk;
    final long mmapBase;
    final long[] auxv;
    final byte[] exePath;
    final byte[] comm;
    final List<byte[]> argv;
    final List<byte[]> envp;
    final List<FileMappings.Named> mappings;

    Image(GuestMemory memory, long entry, long rsp, long brk, long mmapBase, long[] auxv,
        byte[] exePath, byte[] comm, List<byte[]> argv, List<byte[]> envp,
        List<FileMappings.Named> mappings) {
      this.memory = memory;
      this.entry = entry;
      this.rsp = rsp;
      this.brk = brk;
      this.mmapBase = mmapBase;
      this.auxv = auxv;
      this.exePath = exePath;
      this.comm = comm;
      this.argv = argv;
      this.envp = envp;
      this.mappings = mappings;
    }
  }

  /** An executable file, checked and open. */
  private static final class Exe implements AutoCloseable {
    final Location dir;
    final byte[] path;
    final Location location;
    final Stat stat;
    final FileContent content;
    final byte[] head = new byte[ScriptInterpreter.HEAD_SIZE];
    final int headLength;

    Exe(Location dir, byte[] path, Location location, FileContent content) {
      this.dir = dir;
      this.path = path;
      this.location = location;
      this.stat = location.stat();
      this.content = content;
      this.headLength = ElfFile.readUpTo(content, 0, head, head.length);
    }

    @Override
    public void close() {
      content.close();
    }
  }

  private ProgramLoader() {}

  /**
   * Replaces the task's program with {@code path} (found in the sandbox; a name without a slash
   * is the caller's business): loads the ELF or #! script, builds the initial stack, sets RIP and
   * RSP. Errors as execve(2) gives them; on error the old program is untouched.
   */
  public static void execute(Task task, byte[] path, List<byte[]> argv, List<byte[]> envp) {
    commit(task, prepare(task, null, path, 0, path, argv, envp));
  }

  /**
   * The checks execve(2) makes before it reads argv and envp: the file exists, is a regular file
   * and may be executed (ENOENT, EACCES...). Linux opens the program first, so a missing file
   * gives ENOENT even when argv is a bad pointer.
   */
  public static void checkExecutable(Task task, Location dir, byte[] path, int atFlags) {
    open(task, dir, path, atFlags).close();
  }

  /**
   * Builds the new image. {@code dir} and {@code atFlags} (AT_SYMLINK_NOFOLLOW) say how
   * {@code path} is found, as execveat's; {@code execfn} is what AT_EXECFN shows.
   */
  public static Image prepare(Task task, Location dir, byte[] path, int atFlags, byte[] execfn,
      List<byte[]> argv, List<byte[]> envp) {
    // execve(2): "On Linux, argv and envp can be specified as NULL ... [argv] as a list
    // containing a single empty string" (since Linux 5.18 the kernel inserts the "").
    List<byte[]> args = argv.isEmpty() ? List.of(EMPTY) : argv;
    InitialStack.checkSize(args, envp, LoadLayout.STACK_LIMIT);
    byte[] comm = basename(path.length > 0 ? path : execfn);
    Exe exe = open(task, dir, path, atFlags);
    try {
      for (int substitutions = 0; ; substitutions++) {
        if (ElfFile.hasMagic(exe.head, exe.headLength)) {
          break;
        }
        if (!ScriptInterpreter.isScript(exe.head, exe.headLength)) {
          throw Errno.ENOEXEC.exception();
        }
        if (substitutions == ScriptInterpreter.MAX_SUBSTITUTIONS) {
          throw Errno.ELOOP.exception("#! interpreters nested too deep");
        }
        ScriptInterpreter.Line line = ScriptInterpreter.parse(exe.head, exe.headLength);
        args = ScriptInterpreter.argv(line, exe.path, args);
        InitialStack.checkSize(args, envp, LoadLayout.STACK_LIMIT);
        Exe next = open(task, null, line.interpreter(), 0);
        exe.close();
        exe = next;
      }
      return load(task, exe, args, envp, execfn, comm);
    } finally {
      exe.close();
    }
  }

  private static Image load(Task task, Exe exe, List<byte[]> argv, List<byte[]> envp,
      byte[] execfn, byte[] comm) {
    ElfFile elf = parse(task, exe);
    byte[] interpPath = elf.interpreter(exe.content);
    Exe interp = interpPath == null ? null : open(task, null, interpPath, 0);
    GuestMemory memory = GuestMemory.create();
    try {
      ElfFile interpElf = null;
      if (interp != null) {
        if (!ElfFile.hasMagic(interp.head, interp.headLength)) {
          throw Errno.ENOEXEC.exception("interpreter is not ELF"); // Linux: ELIBBAD
        }
        interpElf = parse(task, interp);
      }
      LoadLayout layout = LoadLayout.forKernel(task.kernel().config());
      long bias;
      if (elf.type == ElfFile.ET_EXEC) {
        bias = 0;
      } else if (interp != null) {
        bias = ElfLoader.placeDyn(elf, layout.dynBase());
      } else {
        bias = ElfLoader.placeTopDown(memory, elf, layout.mmapBase());
      }
      ElfLoader.Loaded main = ElfLoader.load(memory, elf, exe.content, bias);
      ElfLoader.Loaded loadedInterp = null;
      if (interpElf != null) {
        long interpBias = interpElf.type == ElfFile.ET_EXEC ? 0
            : ElfLoader.placeTopDown(memory, interpElf, layout.mmapBase());
        loadedInterp = ElfLoader.load(memory, interpElf, interp.content, interpBias);
      }
      Identity id = task.process().identity();
      InitialStack.Program program = new InitialStack.Program(main.phdrAddr(), main.phnum(),
          loadedInterp == null ? 0 : loadedInterp.bias(), main.entry(), id.ruid(), id.euid(),
          id.rgid(), id.egid(), false);
      int stackProt = GuestMemory.PROT_READ | GuestMemory.PROT_WRITE
          | ((elf.stackFlags() & ElfFile.PF_X) != 0 ? GuestMemory.PROT_EXEC : 0);
      InitialStack.Built stack = InitialStack.build(memory, layout, stackProt, argv, envp, execfn,
          program);

      List<FileMappings.Named> mappings = new ArrayList<>();
      byte[] exePath = guestPath(task, exe, execfn);
      addRanges(mappings, main, exePath, exe.stat);
      if (loadedInterp != null) {
        addRanges(mappings, loadedInterp, guestPath(task, interp, interp.path), interp.stat);
      }
      mappings.add(new FileMappings.Named(stack.stackLow(), stack.stackHigh(), 0,
          "[stack]".getBytes(StandardCharsets.US_ASCII), 0, 0));
      long brk = ElfLoader.pageUp(main.end()) + layout.brkOffset();
      long entry = loadedInterp != null ? loadedInterp.entry() : main.entry();
      return new Image(memory, entry, stack.rsp(), brk, layout.mmapBase(), stack.auxv(), exePath,
          comm,
          List.copyOf(argv), List.copyOf(envp), mappings);
    } catch (RuntimeException e) {
      memory.release();
      throw e;
    } finally {
      if (interp != null) {
        interp.close();
      }
    }
  }

  /**
   * The point of no return: installs {@code image} as the task's program. Linux's exec also
   * clears the alternate signal stack and resets handled signals (the mask and ignored signals
   * stay), closes close-on-exec descriptors, forgets set_tid_address, and starts the new program
   * with zeroed registers (RDX 0: no function for atexit), RFLAGS 0x202, the default MXCSR and
   * an FNINIT x87, and FS and GS bases 0.
   */
  public static void commit(Task task, Image image) {
    GuestProcess process = task.process();
    // Shared file mappings of the old image reach their files before it goes (munmap's work).
    AddressSpace next = AddressSpace.of(image.memory, process.mm().decodes());
    next.areas().setMmapBase(image.mmapBase);
    process.replaceMm(next);
    // A vfork parent waits "until the child ... makes a call to execve(2)": the old memory is
    // the parent's again.
    task.releaseVforkParent();
    Cpu cpu = task.cpu;
    cpu.memory = image.memory;
    Arrays.fill(cpu.gpr, 0);
    Arrays.fill(cpu.xmm, 0);
    cpu.gpr[Cpu.RSP] = image.rsp;
    cpu.rip = image.entry;
    cpu.flags.setRflags(0x202, -1L);
    cpu.mxcsr = Cpu.MXCSR_DEFAULT;
    cpu.x87.finit();
    cpu.fsBase = 0;
    cpu.gsBase = 0;
    process.unshareFds(); // execve(2): "the file descriptor table is unshared"
    process.fds().closeOnExec();
    process.unshareSignalActions();
    process.signalActions().resetForExec();
    process.timers().exec(); // execve(2): "POSIX timers are not preserved"
    task.altStack().disable();
    process.attributes().onExec(process.identity());
    task.setClearChildTid(0);
    FileMappings fileMappings = next.names();
    for (FileMappings.Named m : image.mappings) {
      fileMappings.add(m.start(), m.end(), m.offset(), m.name(), m.dev(), m.ino());
    }
    next.setBrk(image.brk, image.brk);
    process.recordExec(image.exePath, image.argv, image.envp, image.auxv);
    // The command name is the file execve was given, a script's own name included.
    process.setComm(image.comm);
  }

  /**
   * open_exec: the file {@code path} names, which must be a regular file the caller may
   * execute; open for the kernel to read (read permission is not needed, as on Linux).
   */
  private static Exe open(Task task, Location dir, byte[] path, int atFlags) {
    if (path.length == 0 && (atFlags & Fcntl.AT_EMPTY_PATH) == 0) {
      throw Errno.ENOENT.exception();
    }
    Location at = task.vfs().lookup(task.fs(), dir, path,
        atFlags & (Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH));
    FileType type = at.inode().type();
    if (type == FileType.SYMLINK) {
      throw Errno.ELOOP.exception(); // AT_SYMLINK_NOFOLLOW on a symlink
    }
    if (type != FileType.REGULAR) {
      // execve(2): EACCES "The file or a script interpreter is not a regular file."
      throw Errno.EACCES.exception("not a regular file");
    }
    // execve(2): EACCES "Execute permission is denied for the file or a script or ELF
    // interpreter."
    task.vfs().access(task.fs(), at, EMPTY, Fcntl.X_OK, Fcntl.AT_EMPTY_PATH);
    return new Exe(dir, path, at, at.inode().openContent(false));
  }

  private static ElfFile parse(Task task, Exe exe) {
    try {
      return ElfFile.parse(exe.head, exe.headLength, exe.content);
    } catch (ElfFile.WrongMachine e) {
      throw Errno.ENOEXEC.exception(FOREIGN + e.getMessage() + ", not x86-64");
    }
  }

  private static final String FOREIGN = "ELF for ";

  /**
   * What to tell the user about a failed exec: for an ELF of another architecture, which one
   * (the guest only sees ENOEXEC), else null.
   */
  public static String foreignArchitecture(ErrnoException e) {
    String detail = e.detail();
    return e.errno() == Errno.ENOEXEC && detail != null && detail.startsWith(FOREIGN)
        ? detail : null;
  }

  /**
   * The canonical guest path of an executable, as /proc/PID/maps and /proc/PID/exe show it;
   * {@code fallback} (the execve filename) when it has none we can name (fexecve).
   */
  private static byte[] guestPath(Task task, Exe exe, byte[] fallback) {
    if (exe.path.length == 0) {
      return fallback;
    }
    try {
      return task.vfs().realpath(task.fs(), exe.dir, exe.path);
    } catch (ErrnoException e) {
      return exe.path;
    }
  }

  private static void addRanges(List<FileMappings.Named> out, ElfLoader.Loaded loaded,
      byte[] name, Stat stat) {
    for (ElfLoader.FileRange r : loaded.ranges()) {
      out.add(new FileMappings.Named(r.start(), r.end(), r.offset(), name, stat.dev(),
          stat.ino()));
    }
  }

  private static byte[] basename(byte[] path) {
    int end = path.length;
    while (end > 1 && path[end - 1] == '/') {
      end--;
    }
    int start = end;
    while (start > 0 && path[start - 1] != '/') {
      start--;
    }
    return Arrays.copyOfRange(path, start, end);
  }
}
