package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.EmulatedCpu;
import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.Outcome;
import dev.blinkchroot.emulator.jit.Jit;
import dev.blinkchroot.emulator.jit.JitOptions;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.memory.MemoryFault;
import dev.blinkchroot.emulator.sse.Mxcsr;

/**
 * The interpreter as the differential harness's emulator side (see {@link EmulatedCpu}); with
 * {@code -Dblinkchroot.jit=force} every block is compiled by the JIT before it first runs, so
 * the same cases check the compiled code.
 */
final class InterpreterCpu implements EmulatedCpu {
  private static final long BUDGET = 5_000_000;
  private static final int SIGSYS = 31;

  /** Thrown by the test's syscall handler: the host harness refuses syscalls with SIGSYS. */
  private static final class SyscallRefused extends RuntimeException {
    SyscallRefused() {
      super(null, null, false, false);
    }
  }

  @Override
  public Outcome run(byte[] code, MachineState initial) {
    GuestMemory memory = GuestMemory.create();
    memory.map(MachineState.CODE_BASE, MachineState.CODE_SIZE,
        GuestMemory.PROT_READ | GuestMemory.PROT_WRITE | GuestMemory.PROT_EXEC);
    // As the host harness does: the rest of the code region holds INT3 bytes.
    byte[] region = new byte[MachineState.CODE_SIZE];
    java.util.Arrays.fill(region, (byte) 0xcc);
    System.arraycopy(code, 0, region, 0, code.length);
    memory.writeBytes(MachineState.CODE_BASE, region, 0, region.length);
    memory.map(MachineState.DATA_BASE, MachineState.DATA_SIZE,
        GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    byte[] data = initial.data();
    memory.writeBytes(MachineState.DATA_BASE, data, 0, data.length);
    Cpu cpu = new Cpu(memory);
    load(cpu, initial);
    cpu.rip = MachineState.CODE_BASE;
    ExecutionEngine engine = Jit.engine(JitOptions.fromSystem(JitOptions.OFF));
    Interpreter interpreter = engine.runner(cpu, new CodeCache(memory), c -> {
      throw new SyscallRefused();
    });
    long end = MachineState.CODE_BASE + code.length;
    try {
      if (!interpreter.runUntil(end, BUDGET)) {
        return Outcome.timeout(cpu.rip, save(cpu, initial));
      }
      return Outcome.completed(save(cpu, initial), code.length);
    } catch (CpuTrap trap) {
      long addr = trap.kind() == CpuTrap.Kind.DIVIDE_ERROR
          || trap.kind() == CpuTrap.Kind.INVALID_OPCODE ? cpu.rip : trap.faultAddress();
      // #XM: Linux derives si_code from the MXCSR saved at the fault.
      int siCode = trap.kind() == CpuTrap.Kind.SIMD_FLOATING_POINT
          ? Mxcsr.siCode(cpu.mxcsr) : trap.kind().siCode();
      return Outcome.signal(trap.kind().signal(), siCode, addr, cpu.rip, save(cpu, initial));
    } catch (MemoryFault fault) {
      boolean gp = fault.reason() == MemoryFault.Reason.NON_CANONICAL;
      return Outcome.signal(11, fault.reason().siCode(), gp ? 0 : fault.guestAddr(), cpu.rip,
          save(cpu, initial));
    } catch (SyscallRefused refused) {
      cpu.rip -= 2; // the host reports SIGSYS at the syscall instruction
      return Outcome.signal(SIGSYS, 1, 0, cpu.rip, save(cpu, initial));
    }
  }

  static void load(Cpu cpu, MachineState s) {
    for (int i = 0; i < 16; i++) {
      cpu.gpr[i] = s.gpr(i);
    }
    cpu.flags.setRflags(s.rflags(), -1L);
    cpu.mxcsr = s.mxcsr();
    for (int i = 0; i < 16; i++) {
      cpu.xmm[2 * i] = s.xmmLo(i);
      cpu.xmm[2 * i + 1] = s.xmmHi(i);
    }
    byte[] area = new byte[512];
    byte[] fx = s.fxImage();
    System.arraycopy(fx, 0, area, 0, fx.length);
    cpu.x87.decodeFxsave(area, 0);
  }

  static MachineState save(Cpu cpu, MachineState initial) {
    MachineState s = initial.copy();
    for (int i = 0; i < 16; i++) {
      s.setGpr(i, cpu.gpr[i]);
    }
    s.setRflags(cpu.rflags());
    s.setMxcsr(cpu.mxcsr);
    for (int i = 0; i < 16; i++) {
      s.setXmm(i, cpu.xmm[2 * i], cpu.xmm[2 * i + 1]);
    }
    byte[] area = new byte[512];
    cpu.x87.encodeFxsave(area, 0);
    byte[] fx = new byte[s.fxImage().length];
    System.arraycopy(area, 0, fx, 0, fx.length);
    s.setFxImage(fx);
    byte[] data = new byte[MachineState.DATA_SIZE];
    cpu.memory.readBytes(MachineState.DATA_BASE, data, 0, data.length);
    s.write(MachineState.DATA_BASE, data);
    return s;
  }
}
