package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * Reads and writes the operands an {@link Insn} names: general registers (with x86's partial-
 * register rules), AH..BH, memory through the effective address, immediates. Every executor goes
 * through here, so effective-address rules (RIP-relative, 32-bit address size, FS/GS bases) live
 * in one place.
 */
public final class OperandAccess {
  private OperandAccess() {}

  /**
   * The effective address of the instruction's memory operand: base + index * scale + disp,
   * RIP-relative to the next instruction, truncated to 32 bits under a 67 prefix, plus the FS or
   * GS base when overridden (the other segment bases are 0 in 64-bit mode).
   */
  public static long effectiveAddress(Cpu cpu, Insn insn) {
    long ea = insn.disp;
    if (insn.base == Insn.REG_RIP) {
      ea += insn.nextAddress();
    } else if (insn.base >= 0) {
      ea += cpu.gpr[insn.base];
    }
    if (insn.index >= 0) {
      ea += cpu.gpr[insn.index] * insn.scale;
    }
    if (insn.addrSize == 4) {
      ea &= 0xffffffffL;
    }
    return ea + segmentBase(cpu, insn.seg);
  }

  /** The base a segment override adds in 64-bit mode: FS and GS only. */
  public static long segmentBase(Cpu cpu, int seg) {
    if (seg == Insn.SEG_FS) {
      return cpu.fsBase;
    }
    return seg == Insn.SEG_GS ? cpu.gsBase : 0;
  }

  /** Operand {@code i} read at {@code size} bytes (1, 2, 4 or 8), zero-extended. */
  public static long read(Cpu cpu, Insn insn, int i, int size) {
    switch (insn.kind(i)) {
      case Insn.K_GPR:
        return cpu.read(insn.reg(i), size);
      case Insn.K_GPR8H:
        return cpu.readHigh8(insn.reg(i));
      case Insn.K_MEM:
        return load(cpu.memory, effectiveAddress(cpu, insn), size);
      case Insn.K_IMM:
        return size == 8 ? insn.imm : insn.imm & Flags.mask(size * 8);
      default:
        throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "operand kind " + insn.kind(i));
    }
  }

  /** Writes operand {@code i} at {@code size} bytes. */
  public static void write(Cpu cpu, Insn insn, int i, int size, long value) {
    switch (insn.kind(i)) {
      case Insn.K_GPR:
        cpu.write(insn.reg(i), size, value);
        return;
      case Insn.K_GPR8H:
        cpu.writeHigh8(insn.reg(i), value);
        return;
      case Insn.K_MEM:
        store(cpu.memory, effectiveAddress(cpu, insn), size, value);
        return;
      default:
        throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "operand kind " + insn.kind(i));
    }
  }

  /** A little-endian load of 1, 2, 4 or 8 bytes, zero-extended. */
  public static long load(GuestMemory memory, long guestAddr, int size) {
    switch (size) {
      case 1: return memory.read8(guestAddr);
      case 2: return memory.read16(guestAddr);
      case 4: return memory.read32(guestAddr) & 0xffffffffL;
      default: return memory.read64(guestAddr);
    }
  }

  /** A little-endian store of the low 1, 2, 4 or 8 bytes of {@code value}. */
  public static void store(GuestMemory memory, long guestAddr, int size, long value) {
    switch (size) {
      case 1: memory.write8(guestAddr, (int) value); return;
      case 2: memory.write16(guestAddr, (int) value); return;
      case 4: memory.write32(guestAddr, (int) value); return;
      default: memory.write64(guestAddr, value);
    }
  }

  /** PUSH of {@code size} bytes (8, or 2 with a 66 prefix). */
  public static void push(Cpu cpu, int size, long value) {
    long rsp = cpu.gpr[Cpu.RSP] - size;
    store(cpu.memory, rsp, size, value);
    cpu.gpr[Cpu.RSP] = rsp;
  }

  /** POP of {@code size} bytes. */
  public static long pop(Cpu cpu, int size) {
    long rsp = cpu.gpr[Cpu.RSP];
    long value = load(cpu.memory, rsp, size);
    cpu.gpr[Cpu.RSP] = rsp + size;
    return value;
  }
}
