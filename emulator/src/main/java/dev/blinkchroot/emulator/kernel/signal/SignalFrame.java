package dev.blinkchroot.emulator.kernel.signal;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.Cpuid;
import dev.blinkchroot.emulator.cpu.FpuState;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frame a signal handler runs on, laid out as Linux x86-64 builds it (struct rt_sigframe):
 * the return address (sa_restorer), a ucontext (flags, link, the alternate stack, the
 * sigcontext registers, the signal mask) and the siginfo, with the FPU and SSE state below it
 * in the XSAVE layout and its magic numbers. {@link #setUp} builds it and points the CPU at the
 * handler; {@link #restore} (rt_sigreturn) loads everything back, including what the handler
 * changed.
 */
public final class SignalFrame {
  /** Below RSP that the ABI lets leaf functions use: a frame never overwrites it. */
  static final long RED_ZONE = 128;
  static final int UC = 8;
  static final int UC_STACK = UC + 16;
  static final int MCONTEXT = UC + 40;
  static final int SIGMASK = UC + 296;
  static final int INFO = UC + 304;
  /** sizeof(struct rt_sigframe). */
  static final int FRAME_SIZE = INFO + SigInfo.SIZE;

  /** The XSAVE area (legacy region and header) and FP_XSTATE_MAGIC2 after it. */
  static final int XSTATE_SIZE = 576;
  static final int FP_FRAME_SIZE = XSTATE_SIZE + 4;
  static final int FP_XSTATE_MAGIC1 = 0x46505853;
  static final int FP_XSTATE_MAGIC2 = 0x46505845;
  /** Where struct _fpx_sw_bytes sits in the legacy region (its software-reserved bytes). */
  static final int SW_BYTES = 464;

  static final long UC_FP_XSTATE = 1;
  static final long UC_SIGCONTEXT_SS = 2;
  static final long UC_STRICT_RESTORE_SS = 4;
  static final int USER_CS = 0x33;
  static final int USER_DS = 0x2b;
  /** The kernel's MINSIGSTKSZ on x86-64. */
  static final long MINSIGSTKSZ = 2048;

  private static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7;
  private static final long TF = 1 << 8, DF = 1 << 10, OF = 1 << 11, RF = 1 << 16, AC = 1 << 18;
  /** The RFLAGS bits rt_sigreturn takes from the frame (Linux's FIX_EFLAGS). */
  static final long FIX_EFLAGS = AC | OF | DF | TF | SF | ZF | AF | PF | CF | RF;

  /** sigcontext's order of the general registers, by Cpu index. */
  private static final int[] GPR_ORDER = {Cpu.R8, Cpu.R9, Cpu.R10, Cpu.R11, Cpu.R12, Cpu.R13,
      Cpu.R14, Cpu.R15, Cpu.RDI, Cpu.RSI, Cpu.RBP, Cpu.RBX, Cpu.RDX, Cpu.RAX, Cpu.RCX, Cpu.RSP};

  /** What the CPU reported of a fault: the vector, the error code and CR2 (zero for none). */
  public record Trap(int trapno, long err, long cr2) {
    public static final Trap NONE = new Trap(0, 0, 0);
  }

  private SignalFrame() {}

  /**
   * Builds the frame for {@code info} handled by {@code action} and sets the CPU to enter the
   * handler: RDI the signal, RSI the siginfo, RDX the ucontext, RSP the frame, RIP the handler,
   * DF, TF and RF clear, and the FPU in its initial state. {@code oldMask} is the mask saved in
   * the frame (restored by rt_sigreturn).
   *
   * @return false if the frame cannot be written (no SA_RESTORER, or the stack is not writable):
   *     the caller kills the task with SIGSEGV, as Linux's force_sigsegv
   */
  public static boolean setUp(Cpu cpu, GuestMemory memory, SigInfo info,
      SignalActions.Action action, AltStack alt, long oldMask, Trap trap) {
    if (!action.has(SignalActions.SA_RESTORER)) {
      return false; // x86-64 has no vDSO trampoline to fall back on
    }
    long rsp = cpu.gpr[Cpu.RSP];
    long sp = rsp - RED_ZONE;
    boolean nested = alt.contains(rsp);
    boolean entering = false;
    if (action.has(SignalActions.SA_ONSTACK) && alt.enabled() && !nested) {
      sp = alt.base() + alt.size();
      entering = true;
    }
    long fpstate = (sp - FP_FRAME_SIZE) & ~63L;
    long frame = ((fpstate - FRAME_SIZE) & ~15L) - 8;
    if ((nested || entering) && !(Long.compareUnsigned(frame, alt.base()) > 0
        && Long.compareUnsigned(frame - alt.base(), alt.size()) <= 0)) {
      return false; // the frame would overflow the alternate stack
    }

    ByteBuffer f = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    f.putLong(0, action.restorer());
    f.putLong(UC, UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    f.putLong(UC + 8, 0); // uc_link
    f.putLong(UC_STACK, alt.base());
    f.putInt(UC_STACK + 8, alt.reportedFlags(rsp));
    f.putLong(UC_STACK + 16, alt.size());
    for (int i = 0; i < GPR_ORDER.length; i++) {
      f.putLong(MCONTEXT + 8 * i, cpu.gpr[GPR_ORDER[i]]);
    }
    f.putLong(MCONTEXT + 128, cpu.rip);
    f.putLong(MCONTEXT + 136, cpu.rflags());
    f.putShort(MCONTEXT + 144, (short) USER_CS);
    f.putShort(MCONTEXT + 150, (short) USER_DS); // gs, fs 0; ss
    f.putLong(MCONTEXT + 152, trap.err());
    f.putLong(MCONTEXT + 160, trap.trapno());
    f.putLong(MCONTEXT + 168, oldMask);
    f.putLong(MCONTEXT + 176, trap.cr2());
    f.putLong(MCONTEXT + 184, fpstate);
    f.putLong(SIGMASK, oldMask);
    f.put(INFO, info.bytes());

    byte[] fp = new byte[FP_FRAME_SIZE];
    System.arraycopy(FpuState.save(cpu), 0, fp, 0, FpuState.IMAGE_SIZE);
    ByteBuffer x = ByteBuffer.wrap(fp).order(ByteOrder.LITTLE_ENDIAN);
    x.putInt(SW_BYTES, FP_XSTATE_MAGIC1);
    x.putInt(SW_BYTES + 4, FP_FRAME_SIZE); // extended_size
    x.putLong(SW_BYTES + 8, Cpuid.XCR0); // xfeatures
    x.putInt(SW_BYTES + 16, XSTATE_SIZE); // xstate_size
    x.putLong(FpuState.IMAGE_SIZE, Cpuid.XCR0); // XSTATE_BV: x87 and SSE are always saved
    x.putInt(XSTATE_SIZE, FP_XSTATE_MAGIC2);
    try {
      memory.writeBytes(fpstate, fp, 0, fp.length);
      memory.writeBytes(frame, f.array(), 0, FRAME_SIZE);
    } catch (MemoryFault fault) {
      return false;
    }

    if ((alt.flags() & AltStack.SS_AUTODISARM) != 0) {
      alt.disable(); // the frame holds the settings; rt_sigreturn restores them
    }
    cpu.gpr[Cpu.RDI] = info.signo();
    cpu.gpr[Cpu.RSI] = frame + INFO;
    cpu.gpr[Cpu.RDX] = frame + UC;
    cpu.gpr[Cpu.RAX] = 0;
    cpu.gpr[Cpu.RSP] = frame;
    cpu.rip = action.handler();
    cpu.flags.setRflags(0, DF | TF | RF);
    FpuState.init(cpu);
    return true;
  }

  /**
   * rt_sigreturn: the frame the handler returned from starts 8 bytes below RSP (its return
   * address was popped). Loads the registers (RFLAGS as far as FIX_EFLAGS allows), the FPU state
   * (none: the initial state), the alternate stack settings, and returns the signal mask to
   * restore.
   *
   * @throws MemoryFault if the frame cannot be read, or the FPU image is invalid (the caller
   *     kills the task with SIGSEGV)
   */
  public static long restore(Cpu cpu, GuestMemory memory, AltStack alt) {
    long frame = cpu.gpr[Cpu.RSP] - 8;
    byte[] raw = new byte[FRAME_SIZE];
    memory.readBytes(frame, raw, 0, FRAME_SIZE);
    ByteBuffer f = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long fpstate = f.getLong(MCONTEXT + 184);
    byte[] fp = null;
    if (fpstate != 0) {
      fp = new byte[FpuState.IMAGE_SIZE];
      memory.readBytes(fpstate, fp, 0, fp.length);
    }
    long spNow = cpu.gpr[Cpu.RSP];
    for (int i = 0; i < GPR_ORDER.length; i++) {
      cpu.gpr[GPR_ORDER[i]] = f.getLong(MCONTEXT + 8 * i);
    }
    cpu.rip = f.getLong(MCONTEXT + 128);
    cpu.flags.setRflags(f.getLong(MCONTEXT + 136), FIX_EFLAGS);
    if (fp == null) {
      FpuState.init(cpu);
    } else if (!FpuState.restore(cpu, fp)) {
      throw MemoryFault.of(fpstate + 24, MemoryFault.Access.READ,
          MemoryFault.Reason.PROTECTION);
    }
    restoreAltStack(alt, spNow, f.getLong(UC_STACK), f.getInt(UC_STACK + 8),
        f.getLong(UC_STACK + 16));
    return f.getLong(SIGMASK);
  }

  /**
   * The alternate stack from the frame, with sigaltstack's rules (Linux's restore_altstack,
   * whose errors are ignored): nothing changes while the thread runs on the current one.
   */
  private static void restoreAltStack(AltStack alt, long sp, long base, int flags, long size) {
    if (alt.contains(sp)) {
      return;
    }
    int mode = flags & ~AltStack.SS_AUTODISARM;
    if (mode == AltStack.SS_DISABLE) {
      alt.disable();
    } else if ((mode == 0 || mode == AltStack.SS_ONSTACK) && size >= MINSIGSTKSZ) {
      alt.set(base, size, flags & AltStack.SS_AUTODISARM);
    }
  }
}
