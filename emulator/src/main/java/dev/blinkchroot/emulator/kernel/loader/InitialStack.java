package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.emulator.cpu.Cpuid;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stack a new program starts with, laid out byte for byte as x86-64 Linux lays it out (the
 * System V x86-64 psABI, "Initial Stack and Register State", and what a native program sees; see
 * InitialStackTest for the addresses of a native run under {@code setarch -R}):
 *
 * <pre>
 *   stack top (0x7ffffffff000 without ASLR)
 *     8 bytes of zero
 *     the execve filename (AT_EXECFN), NUL-terminated
 *     envp strings, then below them argv strings (argv[0] lowest)
 *   ---- aligned down to 16 (after a random 0..8 KiB with ASLR)
 *     "x86_64\0" (AT_PLATFORM)
 *     16 random bytes (AT_RANDOM)
 *     padding, so that RSP ends 16-aligned
 *     auxv pairs ... AT_NULL, 0
 *     envp[0..envc-1], NULL
 *     argv[0..argc-1], NULL
 *   RSP -&gt; argc
 * </pre>
 *
 * The auxiliary vector holds, in Linux's order: AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK,
 * AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID,
 * AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM. Left out: AT_SYSINFO_EHDR, because
 * there is no vDSO (libc then makes real system calls for clock_gettime and friends, which is
 * what we want: every call passes the policy), and AT_RSEQ_FEATURE_SIZE/AT_RSEQ_ALIGN, because
 * rseq is not offered.
 */
public final class InitialStack {
  static final int AT_NULL = 0;
  public static final int AT_PHDR = 3;
  static final int AT_PHENT = 4;
  static final int AT_PHNUM = 5;
  static final int AT_PAGESZ = 6;
  public static final int AT_BASE = 7;
  static final int AT_FLAGS = 8;
  public static final int AT_ENTRY = 9;
  static final int AT_UID = 11;
  static final int AT_EUID = 12;
  static final int AT_GID = 13;
  static final int AT_EGID = 14;
  static final int AT_PLATFORM = 15;
  static final int AT_HWCAP = 16;
  static final int AT_CLKTCK = 17;
  static final int AT_SECURE = 23;
  static final int AT_RANDOM = 25;
  static final int AT_HWCAP2 = 26;
  static final int AT_EXECFN = 31;
  static final int AT_MINSIGSTKSZ = 51;

  /**
   * AT_MINSIGSTKSZ as Linux computes it for this CPU: the signal frame (siginfo, ucontext and
   * padding: 944 bytes, measured as the host's 3376 minus its 2432-byte XSAVE area, with
   * `cpuid` leaf 0xd and getauxval on Linux 6.18) plus the XSAVE area this CPU reports (576:
   * x87 and SSE state only, no AVX), rounded to 16.
   */
  static final long MINSIGSTKSZ = 944 + 576;
  /** USER_HZ. */
  static final long CLOCK_TICKS = 100;
  static final byte[] PLATFORM = "x86_64\0".getBytes(StandardCharsets.US_ASCII);
  /** MAX_ARG_STRLEN: one argument or environment string may be at most 32 pages. */
  static final int MAX_ARG_STRLEN = 32 * 4096;

  /** What the auxiliary vector says about the program. */
  record Program(long phdr, long phnum, long base, long entry, int uid, int euid, int gid,
      int egid, boolean secure) {}

  /** The result: where RSP starts, the auxv as pairs (ending with AT_NULL, 0), the mapping. */
  record Built(long rsp, long[] auxv, long stackLow, long stackHigh) {}

  private InitialStack() {}

  /** The argument and environment strings a stack of {@code limit} bytes may hold; else E2BIG. */
  static void checkSize(List<byte[]> argv, List<byte[]> envp, long stackLimit) {
    // execve(2): "the total size is limited to 1/4 of the allowed stack size" (pointers count).
    long limit = stackLimit / 4;
    long total = 8L * (argv.size() + envp.size());
    for (List<byte[]> strings : List.of(argv, envp)) {
      for (byte[] s : strings) {
        if (s.length + 1 > MAX_ARG_STRLEN) {
          throw Errno.E2BIG.exception();
        }
        total += s.length + 1;
      }
    }
    if (total > limit) {
      throw Errno.E2BIG.exception();
    }
  }

  /** Maps the stack below {@code layout.stackTop()} and writes everything onto it. */
  static Built build(GuestMemory memory, LoadLayout layout, int stackProt, List<byte[]> argv,
      List<byte[]> envp, byte[] execfn, Program program) {
    checkSize(argv, envp, LoadLayout.STACK_LIMIT);
    long top = layout.stackTop();
    long low = top - LoadLayout.STACK_LIMIT;
    int r = memory.map(low, LoadLayout.STACK_LIMIT, stackProt);
    if (r < 0) {
      throw Errno.of(-r).exception();
    }
    long p = top - 8;
    p = putString(memory, p, execfn);
    long execfnAddr = p;
    long[] envAddrs = new long[envp.size()];
    for (int i = envp.size() - 1; i >= 0; i--) {
      p = putString(memory, p, envp.get(i));
      envAddrs[i] = p;
    }
    long[] argAddrs = new long[argv.size()];
    for (int i = argv.size() - 1; i >= 0; i--) {
      p = putString(memory, p, argv.get(i));
      argAddrs[i] = p;
    }
    p = (p - layout.stackAlignOffset()) & ~15L;
    p -= PLATFORM.length;
    memory.writeBytes(p, PLATFORM, 0, PLATFORM.length);
    long platformAddr = p;
    byte[] random = new byte[16];
    layout.random().nextBytes(random);
    p -= 16;
    memory.writeBytes(p, random, 0, 16);
    long randomAddr = p;

    long[] auxv = {
      AT_MINSIGSTKSZ, MINSIGSTKSZ,
      AT_HWCAP, Cpuid.query(1, 0)[3] & 0xffffffffL,
      AT_PAGESZ, GuestMemory.PAGE_SIZE,
      AT_CLKTCK, CLOCK_TICKS,
      AT_PHDR, program.phdr(),
      AT_PHENT, ElfFile.PHDR_SIZE,
      AT_PHNUM, program.phnum(),
      AT_BASE, program.base(),
      AT_FLAGS, 0,
      AT_ENTRY, program.entry(),
      AT_UID, program.uid(),
      AT_EUID, program.euid(),
      AT_GID, program.gid(),
      AT_EGID, program.egid(),
      AT_SECURE, program.secure() ? 1 : 0,
      AT_RANDOM, randomAddr,
      AT_HWCAP2, 0,
      AT_EXECFN, execfnAddr,
      AT_PLATFORM, platformAddr,
      AT_NULL, 0,
    };
    long items = (argv.size() + 1) + (envp.size() + 1) + 1;
    long sp = ((p - 8L * auxv.length) - 8 * items) & ~15L;
    long w = sp;
    memory.write64(w, argv.size());
    w += 8;
    for (long a : argAddrs) {
      memory.write64(w, a);
      w += 8;
    }
    memory.write64(w, 0);
    w += 8;
    for (long a : envAddrs) {
      memory.write64(w, a);
      w += 8;
    }
    memory.write64(w, 0);
    w += 8;
    for (long v : auxv) {
      memory.write64(w, v);
      w += 8;
    }
    return new Built(sp, auxv, low, top);
  }

  /** Writes {@code s} and a NUL just below {@code p}; returns the string's address. */
  private static long putString(GuestMemory memory, long p, byte[] s) {
    long at = p - (s.length + 1);
    memory.writeBytes(at, s, 0, s.length);
    memory.write8(at + s.length, 0);
    return at;
  }
}
