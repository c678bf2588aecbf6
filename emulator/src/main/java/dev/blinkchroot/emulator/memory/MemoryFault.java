package dev.blinkchroot.emulator.memory;

/**
 * A guest memory access that the hardware would have refused. Stackless: guests fault as part of
 * normal operation (stack guard pages, lazy allocators, {@code SIGSEGV} handlers), so a fault must
 * cost no more than a return.
 *
 * <p>Contract for the kernel, which turns a fault into a signal:
 *
 * <ul>
 *   <li>{@link Reason#NOT_MAPPED}: {@code SIGSEGV}, {@code si_code = SEGV_MAPERR}, {@code si_addr
 *       = }{@link #guestAddr()}.
 *   <li>{@link Reason#PROTECTION}: {@code SIGSEGV}, {@code si_code = SEGV_ACCERR}, {@code si_addr
 *       = }{@link #guestAddr()}.
 *   <li>{@link Reason#NON_CANONICAL}: the CPU raises #GP (or #SS for a stack access), not a page
 *       fault, and Linux reports {@code SIGSEGV} with {@code si_code = SI_KERNEL} and {@code
 *       si_addr = 0}; {@link #guestAddr()} still carries the address for tracing.
 * </ul>
 *
 * <p>The address is the first byte of the access that lies in the refused page: the access
 * address itself, or the base of the second page when only the second half of a page-crossing
 * access is refused (what CR2 holds on x86). {@code SIGBUS} (a file mapping beyond end of file)
 * does not arise yet: only anonymous memory exists.
 */
public final class MemoryFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kind of access that faulted, as the page-fault error code distinguishes them. */
  public enum Access {
    READ,
    WRITE,
    /** An instruction fetch. */
    EXEC
  }

  /** Why the access was refused, with the {@code si_code} Linux reports for it. */
  public enum Reason {
    /** No mapping covers the address. */
    NOT_MAPPED(1 /* SEGV_MAPERR */),
    /** A mapping covers the address but its protection forbids this access. */
    PROTECTION(2 /* SEGV_ACCERR */),
    /** A page of a file mapping wholly past the end of the file: SIGBUS, BUS_ADRERR. */
    BEYOND_EOF(2 /* BUS_ADRERR */),
    /** Bits 63..47 of the address are not all equal; see the class comment. */
    NON_CANONICAL(0x80 /* SI_KERNEL */);

    private final int siCode;

    Reason(int siCode) {
      this.siCode = siCode;
    }

    /** The Linux {@code si_code} of the signal this reason becomes. */
    public int siCode() {
      return siCode;
    }
  }

  private final long guestAddr;
  private final Access access;
  private final Reason reason;

  private MemoryFault(long guestAddr, Access access, Reason reason) {
    super(null, null, false, false);
    this.guestAddr = guestAddr;
    this.access = access;
    this.reason = reason;
  }

  /** A fault at {@code guestAddr}. */
  public static MemoryFault of(long guestAddr, Access access, Reason reason) {
    return new MemoryFault(guestAddr, access, reason);
  }

  /** The faulting guest address (see the class comment for which byte). */
  public long guestAddr() {
    return guestAddr;
  }

  public Access access() {
    return access;
  }

  public Reason reason() {
    return reason;
  }

  /** The {@code si_addr} Linux reports: 0 for a non-canonical address, else the address. */
  public long siAddr() {
    return reason == Reason.NON_CANONICAL ? 0 : guestAddr;
  }

  @Override
  public String getMessage() {
    // Built on demand: most faults are handled by the guest and never printed.
    return access + " " + reason + " at 0x" + Long.toHexString(guestAddr);
  }
}
