package dev.blinkchroot.emulator.cpu;

/**
 * A processor exception raised by an instruction, as a user-mode program sees it: the kernel
 * layer turns it into a signal (SDM Vol. 3 ch. 6 vector, Linux's signal for it). Stackless:
 * a guest's SIGFPE costs no Java stack walk.
 */
public final class CpuTrap extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The exception vectors a user-mode instruction can raise, with Linux's signal for each. */
  public enum Kind {
    /** #DE: DIV/IDIV by zero or quotient overflow. SIGFPE, FPE_INTDIV. */
    DIVIDE_ERROR(8, 1),
    /** #DB after an instruction that began with TF set. SIGTRAP, TRAP_TRACE. */
    SINGLE_STEP(5, 2),
    /** #BP: INT3. SIGTRAP, SI_KERNEL (0x80). */
    BREAKPOINT(5, 0x80),
    /**
     * #SS: a non-canonical address reached through the stack segment (implicit stack use, or an
     * RSP- or RBP-based operand). Linux reports SIGBUS, SI_KERNEL.
     */
    STACK_FAULT(7, 0x80),
    /** #UD: an invalid or unimplemented opcode. SIGILL, ILL_ILLOPN. */
    INVALID_OPCODE(4, 2),
    /** #GP: a privileged instruction, a non-canonical address, a misaligned SSE access. SIGSEGV, SI_KERNEL. */
    GENERAL_PROTECTION(11, 0x80),
    /** #MF: an unmasked x87 exception. SIGFPE (the code comes from the status word). */
    X87_FLOATING_POINT(8, 0),
    /** #XM: an unmasked SIMD floating-point exception. SIGFPE (the code comes from MXCSR). */
    SIMD_FLOATING_POINT(8, 0);

    private final int signal;
    private final int siCode;

    Kind(int signal, int siCode) {
      this.signal = signal;
      this.siCode = siCode;
    }

    /** The Linux signal number delivered for this exception. */
    public int signal() {
      return signal;
    }

    /** The default {@code si_code}. */
    public int siCode() {
      return siCode;
    }
  }

  private final Kind kind;
  private final long faultAddress;

  public CpuTrap(Kind kind, long faultAddress, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
    this.faultAddress = faultAddress;
  }

  public static CpuTrap of(Kind kind, String detail) {
    return new CpuTrap(kind, 0, detail);
  }

  public Kind kind() {
    return kind;
  }

  /** The address the signal's {@code si_addr} carries (0 where Linux reports none). */
  public long faultAddress() {
    return faultAddress;
  }
}
