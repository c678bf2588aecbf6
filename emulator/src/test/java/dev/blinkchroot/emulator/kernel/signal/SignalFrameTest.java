package dev.blinkchroot.emulator.kernel.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.memory.GuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rt_sigframe layout against the offsets of Linux's x86-64 headers (struct rt_sigframe,
 * struct ucontext, struct sigcontext_64: uc_mcontext at 40, rip at 128 in it, uc_sigmask at 296,
 * the siginfo after the 304-byte ucontext) and the System V ABI's alignment at function entry.
 */
class SignalFrameTest {
  static final long STACK = 0x7000_0000L;
  static final long HANDLER = 0x40_1000L;
  static final long RESTORER = 0x40_2000L;
  static final SignalActions.Action ACTION = new SignalActions.Action(HANDLER,
      SignalActions.SA_SIGINFO | SignalActions.SA_RESTORER, RESTORER, 0);

  GuestMemory memory;
  Cpu cpu;

  @BeforeEach
  void setUp() {
    memory = GuestMemory.create();
    memory.map(STACK - 0x10000, 0x20000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    cpu = new Cpu(memory);
    for (int r = 0; r < 16; r++) {
      cpu.gpr[r] = 0x1111L * (r + 1);
    }
    cpu.gpr[Cpu.RSP] = STACK;
    cpu.rip = 0x40_0123L;
  }

  @Test
  void frame_isLaidOutAsLinuxBuildsIt_andTheHandlerEntryFollowsTheAbi() {
    assertTrue(SignalFrame.setUp(cpu, memory, SigInfo.kernel(Signals.SIGUSR1), ACTION,
        new AltStack(), 0x5, new SignalFrame.Trap(14, 6, 0xbad)));
    long frame = cpu.gpr[Cpu.RSP];
    assertEquals(8, frame & 15, "RSP + 8 is 16-byte aligned, as after a call");
    assertTrue(frame < STACK - SignalFrame.RED_ZONE, "the red zone is left alone");
    assertEquals(RESTORER, memory.read64(frame), "pretcode");
    assertEquals(HANDLER, cpu.rip);
    assertEquals(Signals.SIGUSR1, cpu.gpr[Cpu.RDI]);
    assertEquals(frame + 312, cpu.gpr[Cpu.RSI], "&frame->info");
    assertEquals(frame + 8, cpu.gpr[Cpu.RDX], "&frame->uc");
    long mc = frame + 8 + 40;
    assertEquals(0x1111L * (Cpu.R8 + 1), memory.read64(mc), "r8 first");
    assertEquals(0x1111L * (Cpu.RAX + 1), memory.read64(mc + 13 * 8), "rax");
    assertEquals(STACK, memory.read64(mc + 15 * 8), "rsp");
    assertEquals(0x40_0123L, memory.read64(mc + 128), "rip");
    assertEquals(6, memory.read64(mc + 152), "err");
    assertEquals(14, memory.read64(mc + 160), "trapno");
    assertEquals(0x5, memory.read64(mc + 168), "oldmask");
    assertEquals(0xbad, memory.read64(mc + 176), "cr2");
    long fpstate = memory.read64(mc + 184);
    assertEquals(0, fpstate & 63, "the XSAVE area is 64-byte aligned");
    assertTrue(fpstate > frame + SignalFrame.FRAME_SIZE - 1);
    assertEquals(SignalFrame.FP_XSTATE_MAGIC1, memory.read32(fpstate + 464));
    assertEquals(SignalFrame.FP_XSTATE_MAGIC2, memory.read32(fpstate + 576));
    assertEquals(0x5, memory.read64(frame + 8 + 296), "uc_sigmask");
    assertEquals(AltStack.SS_DISABLE, memory.read32(frame + 8 + 16 + 8), "uc_stack.ss_flags");
  }

  @Test
  void sigreturn_restoresWhatTheHandlerLeftInTheFrame() {
    long[] before = cpu.gpr.clone();
    cpu.xmm[3] = 0x1234;
    SignalFrame.setUp(cpu, memory, SigInfo.kernel(Signals.SIGUSR1), ACTION, new AltStack(), 0x9,
        SignalFrame.Trap.NONE);
    assertEquals(0, cpu.xmm[3], "the handler starts with a clean FPU state");
    long frame = cpu.gpr[Cpu.RSP];
    memory.write64(frame + 8 + 40 + 128, 0x40_0200L); // the handler moves RIP
    cpu.gpr[Cpu.RSP] = frame + 8; // as after the handler's ret
    cpu.gpr[Cpu.RBX] = 0;
    long mask = SignalFrame.restore(cpu, memory, new AltStack());
    assertEquals(0x9, mask);
    assertEquals(0x40_0200L, cpu.rip);
    assertArrayEquals(before, cpu.gpr);
    assertEquals(0x1234, cpu.xmm[3]);
  }

  @Test
  void onstack_usesTheAlternateStack_andAutodisarmDisarmsIt() {
    AltStack alt = new AltStack();
    alt.set(STACK - 0x8000, 0x4000, AltStack.SS_AUTODISARM);
    SignalActions.Action onStack = new SignalActions.Action(HANDLER,
        ACTION.flags() | SignalActions.SA_ONSTACK, RESTORER, 0);
    assertTrue(SignalFrame.setUp(cpu, memory, SigInfo.kernel(Signals.SIGSEGV), onStack, alt, 0,
        SignalFrame.Trap.NONE));
    long frame = cpu.gpr[Cpu.RSP];
    assertTrue(frame > STACK - 0x8000 && frame < STACK - 0x4000);
    assertFalse(alt.enabled(), "disarmed while the handler runs");
    assertEquals(AltStack.SS_AUTODISARM, memory.read32(frame + 8 + 16 + 8));
    cpu.gpr[Cpu.RSP] = frame + 8;
    SignalFrame.restore(cpu, memory, alt);
    assertTrue(alt.enabled(), "rt_sigreturn re-arms it");
  }

  @Test
  void noRestorer_cannotBuildAFrame() {
    SignalActions.Action bare = new SignalActions.Action(HANDLER, 0, 0, 0);
    assertFalse(SignalFrame.setUp(cpu, memory, SigInfo.kernel(Signals.SIGUSR1), bare,
        new AltStack(), 0, SignalFrame.Trap.NONE));
  }
}
