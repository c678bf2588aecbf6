package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.CpuTrap;
import dev.blinkchroot.emulator.cpu.Flags;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.MemoryFault;

/**
 * Static helpers that generated code calls: small, so HotSpot inlines them into the region's
 * method. Package-private: the generated classes live in this package.
 */
final class JitRuntime {
  private JitRuntime() {}

  /** CF|OF after IMUL of {@code x} and {@code y} (sign-extended) giving {@code low} (MulDiv.imul). */
  static long imulOverflow(int width, long x, long y, long low) {
    boolean overflow;
    if (width == 64) {
      overflow = Math.multiplyHigh(x, y) != (low >> 63);
    } else {
      int shift = 64 - width;
      overflow = (low << shift >> shift) != low;
    }
    return overflow ? Flags.CF | Flags.OF : 0;
  }

  /** The high half of the unsigned product of {@code width}-bit {@code x} and {@code y}. */
  static long mulHigh(int width, long x, long y) {
    if (width == 64) {
      return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
    return (x * y) >>> width & Flags.mask(width);
  }

  /** The high half of the signed product of sign-extended {@code x} and {@code y}. */
  static long imulHigh(int width, long x, long y) {
    if (width == 64) {
      return Math.multiplyHigh(x, y);
    }
    return (x * y) >> width & Flags.mask(width);
  }

  /** CF|OF after MUL (the high half is not zero) or one-operand IMUL (it is not the sign). */
  static long wideMultiplyFlags(int width, long low, long high, boolean signed) {
    boolean overflow;
    if (signed) {
      int shift = 64 - width;
      overflow = (low << shift >> shift) >> 63 != (high << shift >> shift);
    } else {
      overflow = high != 0;
    }
    return overflow ? Flags.CF | Flags.OF : 0;
  }

  /**
   * A throwable left compiled code in instruction {@code pc} (inline code; its locals were
   * already written back) or {@code -(pc + 1)} (inside its executor call): the state the
   * interpreter would leave, and the exception to rethrow.
   */
  static Throwable fault(Cpu cpu, Insn[] insns, int pc, Throwable thrown) {
    Insn insn = insns[pc >= 0 ? pc : -(pc + 1)];
    if (thrown instanceof CpuTrap || thrown instanceof MemoryFault) {
      return Interpreter.faultAt(cpu, insn, (RuntimeException) thrown);
    }
    if (pc >= 0) {
      cpu.rip = insn.address;
    }
    return thrown; // from an executor (a syscall ending the thread, exec): RIP is past it
  }
}
