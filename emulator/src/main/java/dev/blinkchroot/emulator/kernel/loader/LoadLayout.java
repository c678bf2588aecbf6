package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.emulator.kernel.KernelConfig;
import dev.blinkchroot.emulator.memory.GuestMemory;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Where exec puts things in a new address space: the values x86-64 Linux uses with ASLR off
 * ({@code setarch -R}, or {@code kernel.randomize_va_space=0}) by default, so runs are
 * reproducible and addresses match a native run under {@code setarch -R}; randomised as Linux
 * randomises them with {@code --aslr}.
 *
 * <ul>
 *   <li>stack top: STACK_TOP = TASK_SIZE = 0x7ffffffff000 (randomised: up to 16 GiB lower, the
 *       22 bits of STACK_RND_MASK in pages, then 0..8 KiB for arch_align_stack);
 *   <li>mmap base: TASK_SIZE minus the stack gap, which is the 8 MiB stack limit plus the 1 MiB
 *       guard gap raised to the 128 MiB minimum, so 0x7ffff7fff000; the interpreter and a static
 *       PIE go just below it, top-down, as mmap without a hint places them (randomised: the
 *       gap also covers the stack's randomisation, and 28 bits of pages come off);
 *   <li>a PIE with an interpreter: ELF_ET_DYN_BASE = 2/3 TASK_SIZE rounded to a page,
 *       0x555555554000 (randomised: plus 28 bits of pages);
 *   <li>the program break: right after the program's last segment (randomised: up to 32 MiB
 *       above it, as arch_randomize_brk).
 * </ul>
 */
public record LoadLayout(long stackTop, long stackAlignOffset, long mmapBase, long dynBase,
    long brkOffset, Random random) {
  static final long TASK_SIZE = GuestMemory.TASK_SIZE;
  static final long PAGE = GuestMemory.PAGE_SIZE;
  /** The default RLIMIT_STACK: how much stack is mapped below the stack top. */
  public static final long STACK_LIMIT = 8L << 20;
  static final long STACK_GUARD_GAP = 256 * PAGE;
  static final long MIN_GAP = 128L << 20;
  /** Without randomisation. */
  public static final long MMAP_BASE = TASK_SIZE - MIN_GAP;
  static final long ELF_ET_DYN_BASE = (TASK_SIZE / 3 * 2) & ~(PAGE - 1);
  private static final long STACK_RND_PAGES = 0x3fffffL + 1;
  private static final long MMAP_RND_PAGES = 1L << 28;
  private static final long BRK_RND_RANGE = 0x02000000L;

  /** Linux's layout with ASLR off; AT_RANDOM's bytes still come from a secure source. */
  static LoadLayout fixed() {
    return new LoadLayout(TASK_SIZE, 0, MMAP_BASE, ELF_ET_DYN_BASE, 0, Entropy.SOURCE);
  }

  /** One seeded source for the whole run: seeding costs more than an exec should. */
  private static final class Entropy {
    static final SecureRandom SOURCE = new SecureRandom();
  }

  /** A layout randomised the way Linux's defaults randomise (randomize_va_space=2). */
  static LoadLayout randomised() {
    SecureRandom r = Entropy.SOURCE;
    long stackShift = (nextLong(r, STACK_RND_PAGES)) * PAGE;
    long stackTop = TASK_SIZE - stackShift;
    long gap = STACK_LIMIT + STACK_GUARD_GAP + STACK_RND_PAGES * PAGE;
    gap = Math.max(gap, MIN_GAP);
    long mmapBase = (TASK_SIZE - gap - nextLong(r, MMAP_RND_PAGES) * PAGE) & ~(PAGE - 1);
    long dynBase = ELF_ET_DYN_BASE + nextLong(r, MMAP_RND_PAGES) * PAGE;
    long brkOffset = nextLong(r, BRK_RND_RANGE / PAGE) * PAGE;
    long alignOffset = nextLong(r, 8192);
    return new LoadLayout(stackTop, alignOffset, mmapBase, dynBase, brkOffset, r);
  }

  static LoadLayout forKernel(KernelConfig config) {
    return config.aslr() ? randomised() : fixed();
  }

  private static long nextLong(Random r, long bound) {
    return (r.nextLong() >>> 1) % bound;
  }
}
