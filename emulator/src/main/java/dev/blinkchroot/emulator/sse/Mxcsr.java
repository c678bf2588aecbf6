package dev.blinkchroot.emulator.sse;

/**
 * MXCSR (SDM Vol. 1, 10.2.3) and the exception bookkeeping of one SSE floating-point
 * instruction. An instruction starts with {@link #of(int)}, its element operations read the
 * control bits and raise flags here, and the executor then asks {@link #faults()} whether an
 * unmasked exception must become #XM (the destination is then left alone) and takes the new
 * register value from {@link #result()}.
 *
 * <p>Flags are kept in two groups because the SDM (Vol. 1, 11.5.1) orders them: the
 * pre-computation exceptions (invalid, denormal operand, divide by zero) are detected on every
 * element first; if any of them is unmasked, #XM is raised with only those flags set and the
 * post-computation exceptions (overflow, underflow, precision) are never looked at.
 */
public final class Mxcsr {
  public static final int IE = 1;
  public static final int DE = 1 << 1;
  public static final int ZE = 1 << 2;
  public static final int OE = 1 << 3;
  public static final int UE = 1 << 4;
  public static final int PE = 1 << 5;
  /** The six sticky exception flags. */
  public static final int FLAGS = 0x3f;
  public static final int DAZ = 1 << 6;
  /** The exception mask bits (IM DM ZM OM UM PM), bits 7-12, in flag order. */
  public static final int MASK_SHIFT = 7;
  public static final int MASKS = FLAGS << MASK_SHIFT;
  public static final int RC_SHIFT = 13;
  public static final int FTZ = 1 << 15;
  /**
   * The bits LDMXCSR/FXRSTOR accept: everything in the low 16 bits (DAZ included, as CPUID
   * and FXSAVE's MXCSR_MASK report it). AMD's misaligned-SSE bit 17 is not emulated, so
   * setting it faults like any other reserved bit.
   */
  public static final int WRITABLE = 0xffff;
  public static final int DEFAULT = 0x1f80;

  /** Rounding control values (MXCSR.RC, and ROUNDSS's imm8[1:0]). */
  public static final int RN = 0;
  public static final int RD = 1;
  public static final int RU = 2;
  public static final int RZ = 3;

  /** Linux si_code values for SIGFPE (asm-generic/siginfo.h). */
  public static final int FPE_FLTDIV = 3;
  public static final int FPE_FLTOVF = 4;
  public static final int FPE_FLTUND = 5;
  public static final int FPE_FLTRES = 6;
  public static final int FPE_FLTINV = 7;

  private final int control;
  private int rounding;
  private int pre;
  private int post;
  /** Flags of the finished steps of a multi-step instruction ({@link #endStep}). */
  private int earlier;

  private Mxcsr(int value) {
    this.control = value;
    this.rounding = value >>> RC_SHIFT & 3;
  }

  /** The bookkeeping for one instruction that runs under MXCSR {@code value}. */
  public static Mxcsr of(int value) {
    return new Mxcsr(value);
  }

  /** True when {@code value} may be loaded into MXCSR (LDMXCSR raises #GP otherwise). */
  public static boolean isLoadable(long value) {
    return (value & ~(long) WRITABLE) == 0;
  }

  /**
   * The si_code Linux puts in the SIGFPE of a #XM, from the MXCSR saved at the fault: the
   * highest-priority flag that is set and unmasked (arch/x86 fpu exception_code), old sticky
   * flags included, as the kernel does.
   */
  public static int siCode(int mxcsr) {
    int err = ~(mxcsr >>> MASK_SHIFT) & mxcsr;
    if ((err & IE) != 0) {
      return FPE_FLTINV;
    }
    if ((err & ZE) != 0) {
      return FPE_FLTDIV;
    }
    if ((err & OE) != 0) {
      return FPE_FLTOVF;
    }
    if ((err & (UE | DE)) != 0) {
      return FPE_FLTUND;
    }
    return (err & PE) != 0 ? FPE_FLTRES : 0;
  }

  // ---- control ---------------------------------------------------------------------------------

  /** The rounding mode in force (RN RD RU RZ). */
  public int rounding() {
    return rounding;
  }

  /**
   * Overrides the rounding mode for the rest of this instruction: ROUNDSS's immediate and the
   * truncating conversions (CVTT*) round with their own mode, not MXCSR.RC.
   */
  public Mxcsr withRounding(int mode) {
    this.rounding = mode & 3;
    return this;
  }

  public boolean daz() {
    return (control & DAZ) != 0;
  }

  public boolean ftz() {
    return (control & FTZ) != 0;
  }

  /** True when exception {@code flag} (one of IE..PE) is masked. */
  public boolean masked(int flag) {
    return (control >>> MASK_SHIFT & flag) != 0;
  }

  // ---- flags -----------------------------------------------------------------------------------

  /** Raises invalid operation (a pre-computation exception). */
  public void invalid() {
    pre |= IE;
  }

  /** Raises denormal operand (a pre-computation exception). */
  public void denormal() {
    pre |= DE;
  }

  /** Raises divide by zero (a pre-computation exception). */
  public void divideByZero() {
    pre |= ZE;
  }

  /** Raises post-computation flags (OE, UE, PE) as the rounding step found them. */
  public void post(int flags) {
    post |= flags;
  }

  /**
   * Ends one step of an instruction that computes in dependent steps (DPPS: products, then
   * sums). The host CPU applies the pre/post rule to each step on its own: the products'
   * overflow and precision flags stay set when the sum then raises an unmasked invalid
   * operation. A caller stops after a step that {@link #faults()}.
   */
  public void endStep() {
    earlier = stepFlags();
    pre = 0;
    post = 0;
  }

  private int unmasked() {
    return ~(control >>> MASK_SHIFT) & FLAGS;
  }

  /** The flags the steps so far leave in MXCSR. */
  private int stepFlags() {
    return earlier | ((pre & unmasked()) != 0 ? pre : pre | post);
  }

  /** The flags raised so far, whether or not they fault. */
  public int raised() {
    return earlier | pre | post;
  }

  /** True when the instruction must raise #XM: a raised flag is unmasked. */
  public boolean faults() {
    return (raised() & unmasked()) != 0;
  }

  /**
   * MXCSR after the instruction: the sticky flags or-ed in. When a pre-computation exception
   * is unmasked, only the pre-computation flags are (SDM Vol. 1, 11.5.1).
   */
  public int result() {
    return control | stepFlags();
  }
}
