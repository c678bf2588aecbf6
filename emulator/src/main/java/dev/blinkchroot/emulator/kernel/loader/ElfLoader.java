package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileContent;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the PT_LOAD segments of an {@link ElfFile} into a guest address space, as Linux's ELF
 * loader maps them, except that file data is copied (guest memory has no file-backed pages yet):
 *
 * <ul>
 *   <li>each segment covers [page-down(vaddr), page-up(vaddr + memsz)) with its own protection;
 *       where two segments share a page the later one's protection wins (MAP_FIXED order);
 *   <li>the file pages are those mmap would map: from page-down(vaddr) at file offset
 *       {@code p_offset - (p_vaddr % PAGE)}, which is why vaddr and offset must be congruent
 *       modulo the page size (otherwise EINVAL, as mmap's unaligned offset gives);
 *   <li>with memsz > filesz (.bss) the rest of the last file page is zeroed and further pages are
 *       anonymous zero pages; with memsz == filesz the last page holds what the file holds;
 *   <li>bytes of a file page past the end of the file read as zero (Linux would SIGBUS).
 * </ul>
 *
 * An ET_EXEC is loaded where it says; an ET_DYN at a bias the caller chooses ({@link #placeDyn}).
 */
final class ElfLoader {
  private static final long PAGE = GuestMemory.PAGE_SIZE;
  private static final int CHUNK = 1 << 16;
  /** vm.mmap_min_addr's usual value: nothing is mapped below it. */
  static final long MMAP_MIN_ADDR = 65536;

  /** A range of the image that came from the file, for /proc/PID/maps. */
  record FileRange(long start, long end, long offset) {}

  /** What loading produced. All addresses are biased (absolute). */
  record Loaded(long bias, long entry, long phdrAddr, int phnum, long end, List<FileRange> ranges) {}

  private ElfLoader() {}

  /** The lowest PT_LOAD vaddr (page-aligned down) and the highest end (page-aligned up). */
  static long[] span(ElfFile elf) {
    long low = Long.MAX_VALUE;
    long high = 0;
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() != ElfFile.PT_LOAD || h.memsz() == 0) {
        continue;
      }
      low = Math.min(low, pageDown(h.vaddr()));
      high = Math.max(high, pageUp(h.vaddr() + h.memsz()));
    }
    if (low == Long.MAX_VALUE) {
      throw Errno.ENOEXEC.exception("no PT_LOAD segment");
    }
    return new long[] {low, high};
  }

  /**
   * The bias of an ET_DYN placed top-down below {@code ceiling} in the highest hole that fits, as
   * an mmap without a hint places it (the interpreter, a static PIE, ld.so run directly), at an
   * address aligned to the largest power-of-two p_align above a page (measured on Linux 6.18: a
   * static PIE linked with max-page-size=0x200000 loads at 0x7ffff7600000 under setarch -R).
   */
  static long placeTopDown(GuestMemory memory, ElfFile elf, long ceiling) {
    long[] span = span(elf);
    long length = span[1] - span[0];
    long alignment = alignment(elf);
    if (length <= 0 || length > ceiling - alignment) {
      throw Errno.ENOMEM.exception();
    }
    long at = memory.findUnmapped(length + alignment - PAGE, MMAP_MIN_ADDR, ceiling);
    if (at < 0) {
      throw Errno.ENOMEM.exception();
    }
    at = (at + alignment - 1) & ~(alignment - 1);
    return at - span[0];
  }

  /** The largest power-of-two p_align of the PT_LOADs, at least a page. */
  private static long alignment(ElfFile elf) {
    long alignment = PAGE;
    for (ElfFile.ProgramHeader h : elf.headers) {
      long a = h.align();
      if (h.type() == ElfFile.PT_LOAD && a > alignment && Long.bitCount(a) == 1) {
        alignment = a;
      }
    }
    return alignment;
  }

  /**
   * The bias of a PIE that has an interpreter: its first segment goes to {@code dynBase}, aligned
   * down to the largest power-of-two p_align above a page (Linux does both).
   */
  static long placeDyn(ElfFile elf, long dynBase) {
    long firstVaddr = -1;
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() == ElfFile.PT_LOAD) {
        firstVaddr = h.vaddr();
        break;
      }
    }
    if (firstVaddr < 0) {
      throw Errno.ENOEXEC.exception("no PT_LOAD segment");
    }
    long bias = pageDown(dynBase - firstVaddr);
    return bias & ~(alignment(elf) - 1);
  }

  /** Maps and fills every PT_LOAD at {@code bias}; then applies the segments' protections. */
  static Loaded load(GuestMemory memory, ElfFile elf, FileContent content, long bias) {
    List<FileRange> ranges = new ArrayList<>();
    long end = 0;
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() != ElfFile.PT_LOAD || h.memsz() == 0) {
        continue;
      }
      check(h);
      long vaddr = bias + h.vaddr();
      long start = pageDown(vaddr);
      long memEnd = vaddr + h.memsz();
      long mapEnd = pageUp(memEnd);
      if (Long.compareUnsigned(mapEnd, start) <= 0
          || Long.compareUnsigned(mapEnd, GuestMemory.TASK_SIZE) > 0) {
        throw Errno.ENOMEM.exception("segment outside the address space");
      }
      if (Long.compareUnsigned(start, MMAP_MIN_ADDR) < 0) {
        throw Errno.EPERM.exception("segment below mmap_min_addr"); // as mmap refuses it
      }
      map(memory, start, mapEnd - start, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
      if (h.filesz() > 0) {
        long fileEnd = vaddr + h.filesz();
        long fileOffset = h.offset() - (h.vaddr() & (PAGE - 1));
        // Beyond filesz only the page mmap maps from the file, and only when there is no bss.
        long copyEnd = h.memsz() > h.filesz() ? fileEnd : Math.min(pageUp(fileEnd), mapEnd);
        copy(memory, content, fileOffset, start, copyEnd - start);
        ranges.add(new FileRange(start, Math.min(pageUp(fileEnd), mapEnd), fileOffset));
      }
      end = Math.max(end, memEnd);
    }
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() == ElfFile.PT_LOAD && h.memsz() > 0) {
        long start = pageDown(bias + h.vaddr());
        int r = memory.protect(start, pageUp(bias + h.vaddr() + h.memsz()) - start, h.prot());
        if (r < 0) {
          throw Errno.of(-r).exception();
        }
      }
    }
    return new Loaded(bias, bias + elf.entry, bias + phdrVaddr(elf), elf.headers.size(), end,
        ranges);
  }

  /** Where the program headers are in memory: PT_PHDR, else inside the segment that holds them. */
  private static long phdrVaddr(ElfFile elf) {
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() == ElfFile.PT_PHDR) {
        return h.vaddr();
      }
    }
    for (ElfFile.ProgramHeader h : elf.headers) {
      if (h.type() == ElfFile.PT_LOAD && h.offset() <= elf.phoff
          && elf.phoff < h.offset() + h.filesz()) {
        return h.vaddr() + (elf.phoff - h.offset());
      }
    }
    return 0; // not mapped: AT_PHDR 0, as Linux reports then
  }

  private static void check(ElfFile.ProgramHeader h) {
    if (h.offset() < 0 || h.filesz() < 0 || h.memsz() < 0) {
      throw Errno.EINVAL.exception("segment size");
    }
    if (Long.compareUnsigned(h.filesz(), h.memsz()) > 0) {
      throw Errno.EINVAL.exception("p_filesz > p_memsz");
    }
    if (((h.vaddr() - h.offset()) & (PAGE - 1)) != 0) {
      throw Errno.EINVAL.exception("p_vaddr and p_offset not congruent modulo the page size");
    }
  }

  private static void map(GuestMemory memory, long start, long length, int prot) {
    if (length == 0) {
      return;
    }
    int r = memory.map(start, length, prot);
    if (r < 0) {
      throw Errno.of(-r).exception();
    }
  }

  /** Copies {@code length} file bytes at {@code fileOffset} to {@code guestAddr}; EOF reads 0. */
  private static void copy(GuestMemory memory, FileContent content, long fileOffset,
      long guestAddr, long length) {
    byte[] buffer = new byte[(int) Math.min(CHUNK, length)];
    for (long done = 0; done < length; ) {
      int want = (int) Math.min(buffer.length, length - done);
      int got = ElfFile.readUpTo(content, fileOffset + done, buffer, want);
      if (got == 0) {
        return; // the rest stays zero
      }
      memory.writeBytes(guestAddr + done, buffer, 0, got);
      done += got;
      if (got < want) {
        return;
      }
    }
  }

  static long pageDown(long a) {
    return a & ~(PAGE - 1);
  }

  static long pageUp(long a) {
    return (a + PAGE - 1) & ~(PAGE - 1);
  }
}
