package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ELF64 x86-64 executable or shared object as execve(2) reads it: the file header and the
 * program headers (elf(5)). Sections are of no interest to a loader. Checks are the ones Linux
 * makes before loading: magic, class, byte order, version, type (ET_EXEC or ET_DYN), machine
 * (EM_X86_64), program header size and count. Reads go straight to the file's content, as the
 * kernel reads an executable it may only execute (mode --x is enough).
 */
final class ElfFile {
  static final int PT_LOAD = 1;
  static final int PT_INTERP = 3;
  static final int PT_PHDR = 6;
  static final int PT_TLS = 7;
  static final int PT_GNU_STACK = 0x6474e551;

  static final int PF_X = 1;
  static final int PF_W = 2;
  static final int PF_R = 4;

  static final int ET_EXEC = 2;
  static final int ET_DYN = 3;
  static final int EM_X86_64 = 62;
  static final int ELFCLASS32 = 1;
  static final int ELFCLASS64 = 2;

  /** sizeof(Elf64_Ehdr) and sizeof(Elf64_Phdr) (elf(5); /usr/include/elf.h). */
  static final int EHDR_SIZE = 64;
  static final int PHDR_SIZE = 56;
  /** Linux refuses a program header table larger than 64 KiB (ENOEXEC). */
  private static final int MAX_PHDR_BYTES = 65536;

  /** One Elf64_Phdr. */
  record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz,
      long align) {
    /** PROT_* bits from PF_* bits. */
    int prot() {
      int prot = 0;
      if ((flags & PF_R) != 0) {
        prot |= 1;
      }
      if ((flags & PF_W) != 0) {
        prot |= 2;
      }
      if ((flags & PF_X) != 0) {
        prot |= 4;
      }
      return prot;
    }
  }

  final int type;
  final long entry;
  final long phoff;
  final List<ProgramHeader> headers;

  private ElfFile(int type, long entry, long phoff, List<ProgramHeader> headers) {
    this.type = type;
    this.entry = entry;
    this.phoff = phoff;
    this.headers = headers;
  }

  /** True if {@code head} starts with the ELF magic "\177ELF". */
  static boolean hasMagic(byte[] head, int length) {
    return length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
  }

  /**
   * Parses the headers of an ELF file whose first bytes are {@code head}.
   *
   * @throws WrongMachine for a well-formed ELF of another architecture (its name inside)
   * @throws dev.blinkchroot.vfs.ErrnoException ENOEXEC for anything else this loader cannot run
   */
  static ElfFile parse(byte[] head, int length, FileContent content) {
    if (!hasMagic(head, length) || length < EHDR_SIZE) {
      throw Errno.ENOEXEC.exception("not ELF");
    }
    ByteBuffer b = ByteBuffer.wrap(head, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    int elfClass = head[4];
    int data = head[5];
    int machine = b.getShort(18) & 0xffff;
    if (data == 2) { // ELFDATA2MSB: the machine field must be read big-endian
      machine = ((head[18] & 0xff) << 8) | (head[19] & 0xff);
    }
    if (machine != EM_X86_64 || elfClass != ELFCLASS64) {
      throw new WrongMachine(machineName(machine, elfClass));
    }
    if (data != 1 || head[6] != 1) { // ELFDATA2LSB, EV_CURRENT
      throw Errno.ENOEXEC.exception("ELF data/version");
    }
    int type = b.getShort(16) & 0xffff;
    if (type != ET_EXEC && type != ET_DYN) {
      throw Errno.ENOEXEC.exception("ELF type " + type);
    }
    long entry = b.getLong(24);
    long phoff = b.getLong(32);
    int phentsize = b.getShort(54) & 0xffff;
    int phnum = b.getShort(56) & 0xffff;
    if (phentsize != PHDR_SIZE || phnum < 1 || phnum * PHDR_SIZE > MAX_PHDR_BYTES) {
      throw Errno.ENOEXEC.exception("program headers");
    }
    byte[] table = readFully(content, phoff, phnum * PHDR_SIZE);
    if (table == null) {
      throw Errno.ENOEXEC.exception("program headers past the end of the file");
    }
    ByteBuffer p = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
    List<ProgramHeader> headers = new ArrayList<>(phnum);
    for (int i = 0; i < phnum; i++) {
      int at = i * PHDR_SIZE;
      headers.add(new ProgramHeader(p.getInt(at), p.getInt(at + 4), p.getLong(at + 8),
          p.getLong(at + 16), p.getLong(at + 32), p.getLong(at + 40), p.getLong(at + 48)));
    }
    return new ElfFile(type, entry, phoff, Collections.unmodifiableList(headers));
  }

  /**
   * The PT_INTERP path, or null. Linux: ENOEXEC unless the path is 2..PATH_MAX bytes and
   * NUL-terminated within the segment.
   */
  byte[] interpreter(FileContent content) {
    for (ProgramHeader h : headers) {
      if (h.type() != PT_INTERP) {
        continue;
      }
      if (h.filesz() < 2 || h.filesz() > 4096) {
        throw Errno.ENOEXEC.exception("PT_INTERP size");
      }
      byte[] path = readFully(content, h.offset(), (int) h.filesz());
      if (path == null || path[path.length - 1] != 0) {
        throw Errno.ENOEXEC.exception("PT_INTERP not terminated");
      }
      int end = 0;
      while (path[end] != 0) {
        end++;
      }
      return java.util.Arrays.copyOf(path, end);
    }
    return null;
  }

  /** The PF_* flags of PT_GNU_STACK; without one, x86-64 Linux gives a non-executable stack. */
  int stackFlags() {
    for (ProgramHeader h : headers) {
      if (h.type() == PT_GNU_STACK) {
        return h.flags();
      }
    }
    return PF_R | PF_W;
  }

  /** {@code length} bytes at {@code offset}, or null if the file ends first. */
  static byte[] readFully(FileContent content, long offset, int length) {
    if (offset < 0 || length < 0) {
      return null;
    }
    byte[] b = new byte[length];
    ByteBuffer dst = ByteBuffer.wrap(b);
    while (dst.hasRemaining()) {
      int n = content.read(offset + dst.position(), dst);
      if (n <= 0) {
        return null;
      }
    }
    return b;
  }

  /**
   * Reads up to {@code dst.length} bytes at {@code offset}; returns how many the file had
   * (fewer at its end).
   */
  static int readUpTo(FileContent content, long offset, byte[] dst, int length) {
    ByteBuffer b = ByteBuffer.wrap(dst, 0, length);
    while (b.hasRemaining()) {
      int n = content.read(offset + b.position(), b);
      if (n <= 0) {
        break;
      }
    }
    return b.position();
  }

  /** A human name for e_machine, for the one-line diagnostic about a foreign binary. */
  static String machineName(int machine, int elfClass) {
    String bits = elfClass == ELFCLASS32 ? " (32-bit)" : "";
    switch (machine) {
      case 3: return "i386";
      case 62: return elfClass == ELFCLASS32 ? "x32 (32-bit x86-64)" : "x86-64";
      case 8: return "MIPS" + bits;
      case 20: return "PowerPC";
      case 21: return "PowerPC64";
      case 22: return "s390" + bits;
      case 40: return "ARM (32-bit)";
      case 43: return "SPARC64";
      case 50: return "IA-64";
      case 183: return "aarch64";
      case 243: return "RISC-V" + (elfClass == ELFCLASS32 ? " (32-bit)" : " (64-bit)");
      case 258: return "LoongArch";
      default: return "machine " + machine + bits;
    }
  }

  /** A valid ELF header for another architecture: ENOEXEC, and the user is told which. */
  static final class WrongMachine extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrongMachine(String machine) {
      super(machine, null, false, false);
    }
  }
}
