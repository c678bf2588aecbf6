package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.OperandAccess.effectiveAddress;
import static dev.blinkchroot.emulator.cpu.OperandAccess.read;
import static dev.blinkchroot.emulator.cpu.OperandAccess.write;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.GuestMemory;

/**
 * Integer arithmetic, logic, moves and bit instructions: operand fetch and write-back around the
 * semantics in {@link Alu}, {@link MulDiv} and {@link Bits}. LOCK-prefixed read-modify-writes
 * of memory go through compare-and-exchange loops so they are atomic across guest threads.
 */
final class IntegerExec {
  private IntegerExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn) {
    Flags f = cpu.flags;
    int size = insn.opSize;
    int width = size * 8;
    switch (insn.op) {
      case ADD: case ADC: case SUB: case SBB: case AND: case OR: case XOR:
        readModifyWrite(cpu, insn, size, read(cpu, insn, 1, size));
        return;
      case CMP:
        Alu.sub(f, width, read(cpu, insn, 0, size), read(cpu, insn, 1, size));
        return;
      case TEST:
        Alu.and(f, width, read(cpu, insn, 0, size), read(cpu, insn, 1, size));
        return;
      case INC: case DEC: case NEG: case NOT:
        readModifyWrite(cpu, insn, size, 0);
        return;
      case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR:
        shift(cpu, insn, size);
        return;
      case SHLD: case SHRD: {
        long count = read(cpu, insn, 2, 1);
        long dst = read(cpu, insn, 0, size);
        long src = read(cpu, insn, 1, size);
        long res = insn.op == Op.SHLD ? Alu.shld(f, width, dst, src, count)
            : Alu.shrd(f, width, dst, src, count);
        write(cpu, insn, 0, size, res); // even a count of 0 zero-extends a 32-bit register
        return;
      }
      case MUL: case IMUL: case DIV: case IDIV:
        multiplyOrDivide(cpu, insn, size);
        return;
      case MOV: case MOVNTI:
        write(cpu, insn, 0, size, read(cpu, insn, 1, size));
        return;
      case MOVZX:
        write(cpu, insn, 0, size, read(cpu, insn, 1, insn.size1));
        return;
      case MOVSX: case MOVSXD:
        write(cpu, insn, 0, size, Alu.signExtend(read(cpu, insn, 1, insn.size1), insn.size1 * 8));
        return;
      case LEA:
        write(cpu, insn, 0, size, effectiveAddress(cpu, insn) - OperandAccess.segmentBase(cpu, insn.seg));
        return;
      case XCHG:
        exchange(cpu, insn, size);
        return;
      case XADD:
        exchangeAndAdd(cpu, insn, size);
        return;
      case CMPXCHG:
        compareExchange(cpu, insn, size);
        return;
      case CMPXCHG8B: case CMPXCHG16B:
        compareExchangeDouble(cpu, insn);
        return;
      case BSWAP:
        write(cpu, insn, 0, size, Bits.bswap(width, read(cpu, insn, 0, size)));
        return;
      case MOVBE: {
        long v = read(cpu, insn, 1, size);
        write(cpu, insn, 0, size,
            size == 2 ? Short.reverseBytes((short) v) & 0xffffL : Bits.bswap(width, v));
        return;
      }
      case XLAT: {
        long base = cpu.gpr[Cpu.RBX] + (cpu.gpr[Cpu.RAX] & 0xff);
        if (insn.addrSize == 4) {
          base &= 0xffffffffL;
        }
        base += OperandAccess.segmentBase(cpu, insn.seg);
        cpu.write(Cpu.RAX, 1, cpu.memory.read8(base));
        return;
      }
      case BT: case BTS: case BTR: case BTC:
        bitTest(cpu, insn, size);
        return;
      case BSF: case BSR: {
        // A zero source leaves the whole destination untouched (not even zero-extended).
        long src = read(cpu, insn, 1, size);
        long res = insn.op == Op.BSF ? Bits.bsf(f, width, 0, src) : Bits.bsr(f, width, 0, src);
        if ((src & Flags.mask(width)) != 0) {
          write(cpu, insn, 0, size, res);
        }
        return;
      }
      case LZCNT:
        write(cpu, insn, 0, size, Bits.lzcnt(f, width, read(cpu, insn, 1, size)));
        return;
      case TZCNT:
        write(cpu, insn, 0, size, Bits.tzcnt(f, width, read(cpu, insn, 1, size)));
        return;
      case POPCNT:
        write(cpu, insn, 0, size, Bits.popcnt(f, width, read(cpu, insn, 1, size)));
        return;
      case CRC32: {
        int srcSize = insn.size1;
        long crc = Crc32c.update((int) read(cpu, insn, 0, 4), read(cpu, insn, 1, srcSize), srcSize);
        write(cpu, insn, 0, size, crc & 0xffffffffL);
        return;
      }
      case ADCX:
        write(cpu, insn, 0, size, Bits.adcx(f, width, read(cpu, insn, 0, size), read(cpu, insn, 1, size)));
        return;
      case ADOX:
        write(cpu, insn, 0, size, Bits.adox(f, width, read(cpu, insn, 0, size), read(cpu, insn, 1, size)));
        return;
      default:
        bmi(cpu, insn, size);
    }
  }

  /** The VEX-encoded BMI1/BMI2 group, operands in Intel order with VEX.vvvv as a GPR. */
  private static void bmi(Cpu cpu, Insn insn, int size) {
    Flags f = cpu.flags;
    int width = size * 8;
    long res;
    switch (insn.op) {
      case ANDN: res = Bits.andn(f, width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case BEXTR: res = Bits.bextr(f, width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case BLSI: res = Bits.blsi(f, width, read(cpu, insn, 1, size)); break;
      case BLSMSK: res = Bits.blsmsk(f, width, read(cpu, insn, 1, size)); break;
      case BLSR: res = Bits.blsr(f, width, read(cpu, insn, 1, size)); break;
      case BZHI: res = Bits.bzhi(f, width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case PDEP: res = Bits.pdep(width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case PEXT: res = Bits.pext(width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case RORX: res = Bits.rorx(width, read(cpu, insn, 1, size), (int) insn.imm); break;
      case SARX: res = Bits.sarx(width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case SHLX: res = Bits.shlx(width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case SHRX: res = Bits.shrx(width, read(cpu, insn, 1, size), read(cpu, insn, 2, size)); break;
      case MULX: {
        // MULX hi, lo, src: unsigned rDX * src, no flags; written low then high, so hi wins if equal.
        MulDiv.Wide w = MulDiv.mulNoFlags(width, cpu.read(Cpu.RDX, size), read(cpu, insn, 2, size));
        write(cpu, insn, 1, size, w.low());
        write(cpu, insn, 0, size, w.high());
        return;
      }
      default:
        throw OpTable.unhandled(insn);
    }
    write(cpu, insn, 0, size, res);
  }

  // ---------------------------------------------------------------- read-modify-write

  /** The binary or unary ALU operation of {@code insn} applied to {@code dst} (and {@code src}). */
  private static long apply(Flags f, Op op, int width, long dst, long src) {
    switch (op) {
      case ADD: return Alu.add(f, width, dst, src);
      case ADC: return Alu.adc(f, width, dst, src);
      case SUB: return Alu.sub(f, width, dst, src);
      case SBB: return Alu.sbb(f, width, dst, src);
      case AND: return Alu.and(f, width, dst, src);
      case OR: return Alu.or(f, width, dst, src);
      case XOR: return Alu.xor(f, width, dst, src);
      case INC: return Alu.inc(f, width, dst);
      case DEC: return Alu.dec(f, width, dst);
      case NEG: return Alu.neg(f, width, dst);
      default: return ~dst; // NOT: no flags
    }
  }

  private static void readModifyWrite(Cpu cpu, Insn insn, int size, long src) {
    int width = size * 8;
    if (insn.kind0 == Insn.K_MEM && (insn.prefixes & Insn.P_LOCK) != 0) {
      long addr = effectiveAddress(cpu, insn);
      // ADC/SBB read CF: take it once, before the loop, so a retry sees the same carry.
      long carry = cpu.flags.rflags() & Flags.CF;
      while (true) {
        long old = OperandAccess.load(cpu.memory, addr, size);
        cpu.flags.setRflags(carry, Flags.CF);
        long res = apply(cpu.flags, insn.op, width, old, src) & Flags.mask(width);
        if (compareAndSet(cpu.memory, addr, size, old, res)) {
          return;
        }
      }
    }
    long res = apply(cpu.flags, insn.op, width, read(cpu, insn, 0, size), src);
    write(cpu, insn, 0, size, res);
  }

  /** Atomically replaces {@code expected} with {@code value}; false if memory held another. */
  static boolean compareAndSet(GuestMemory m, long addr, int size, long expected, long value) {
    switch (size) {
      case 1: return m.compareAndExchange8(addr, (int) expected, (int) value) == (int) expected;
      case 2: return m.compareAndExchange16(addr, (int) expected, (int) value) == (int) expected;
      case 4: return m.compareAndExchange32(addr, (int) expected, (int) value) == (int) expected;
      default: return m.compareAndExchange64(addr, expected, value) == expected;
    }
  }

  private static void shift(Cpu cpu, Insn insn, int size) {
    Flags f = cpu.flags;
    int width = size * 8;
    long count = read(cpu, insn, 1, 1);
    long dst = read(cpu, insn, 0, size);
    long res;
    switch (insn.op) {
      case ROL: res = Alu.rol(f, width, dst, count); break;
      case ROR: res = Alu.ror(f, width, dst, count); break;
      case RCL: res = Alu.rcl(f, width, dst, count); break;
      case RCR: res = Alu.rcr(f, width, dst, count); break;
      case SHL: res = Alu.shl(f, width, dst, count); break;
      case SHR: res = Alu.shr(f, width, dst, count); break;
      default: res = Alu.sar(f, width, dst, count); break;
    }
    // Even a masked count of 0 writes back: a 32-bit register loses its upper half, as on
    // hardware.
    write(cpu, insn, 0, size, res);
  }

  private static void multiplyOrDivide(Cpu cpu, Insn insn, int size) {
    Flags f = cpu.flags;
    int width = size * 8;
    if (insn.op == Op.IMUL && insn.nOperands > 1) {
      long a = read(cpu, insn, insn.nOperands == 3 ? 1 : 0, size);
      long b = read(cpu, insn, insn.nOperands == 3 ? 2 : 1, size);
      write(cpu, insn, 0, size, MulDiv.imul(f, width, a, b));
      return;
    }
    long src = read(cpu, insn, 0, size);
    long acc = cpu.read(Cpu.RAX, size);
    long high = size == 1 ? cpu.readHigh8(Cpu.RAX) : cpu.read(Cpu.RDX, size);
    MulDiv.Wide w;
    switch (insn.op) {
      case MUL: w = MulDiv.mul(f, width, acc, src); break;
      case IMUL: w = MulDiv.imulWide(f, width, acc, src); break;
      case DIV: w = MulDiv.div(width, high, acc, src); break;
      default: w = MulDiv.idiv(width, high, acc, src); break;
    }
    if (size == 1) {
      // 8-bit forms use AX: MUL gives AH:AL, DIV gives AL quotient and AH remainder.
      cpu.write(Cpu.RAX, 1, w.low());
      cpu.writeHigh8(Cpu.RAX, w.high());
    } else {
      cpu.write(Cpu.RAX, size, w.low());
      cpu.write(Cpu.RDX, size, w.high());
    }
  }

  private static void exchange(Cpu cpu, Insn insn, int size) {
    if (insn.kind0 == Insn.K_MEM || insn.kind1 == Insn.K_MEM) {
      // XCHG with memory is always locked.
      int regOperand = insn.kind0 == Insn.K_MEM ? 1 : 0;
      long addr = effectiveAddress(cpu, insn);
      long value = read(cpu, insn, regOperand, size);
      long old;
      GuestMemory m = cpu.memory;
      switch (size) {
        case 1: old = m.getAndSet8(addr, (int) value) & 0xffL; break;
        case 2: old = m.getAndSet16(addr, (int) value) & 0xffffL; break;
        case 4: old = m.getAndSet32(addr, (int) value) & 0xffffffffL; break;
        default: old = m.getAndSet64(addr, value); break;
      }
      write(cpu, insn, regOperand, size, old);
      return;
    }
    long a = read(cpu, insn, 0, size);
    long b = read(cpu, insn, 1, size);
    write(cpu, insn, 0, size, b);
    write(cpu, insn, 1, size, a);
  }

  private static void exchangeAndAdd(Cpu cpu, Insn insn, int size) {
    int width = size * 8;
    long src = read(cpu, insn, 1, size);
    if (insn.kind0 == Insn.K_MEM && (insn.prefixes & Insn.P_LOCK) != 0) {
      long addr = effectiveAddress(cpu, insn);
      long old;
      do {
        old = OperandAccess.load(cpu.memory, addr, size);
      } while (!compareAndSet(cpu.memory, addr, size, old,
          (old + src) & Flags.mask(width)));
      Alu.add(cpu.flags, width, old, src);
      write(cpu, insn, 1, size, old);
      return;
    }
    long dst = read(cpu, insn, 0, size);
    long sum = Alu.add(cpu.flags, width, dst, src);
    write(cpu, insn, 1, size, dst);
    write(cpu, insn, 0, size, sum);
  }

  /** CMPXCHG: compares the accumulator with the destination (flags as CMP). */
  private static void compareExchange(Cpu cpu, Insn insn, int size) {
    int width = size * 8;
    long acc = cpu.read(Cpu.RAX, size);
    long src = read(cpu, insn, 1, size);
    long old;
    boolean equal;
    if (insn.kind0 == Insn.K_MEM) {
      long addr = effectiveAddress(cpu, insn);
      GuestMemory m = cpu.memory;
      switch (size) {
        case 1: old = m.compareAndExchange8(addr, (int) acc, (int) src) & 0xffL; break;
        case 2: old = m.compareAndExchange16(addr, (int) acc, (int) src) & 0xffffL; break;
        case 4: old = m.compareAndExchange32(addr, (int) acc, (int) src) & 0xffffffffL; break;
        default: old = m.compareAndExchange64(addr, acc, src); break;
      }
      equal = old == acc;
    } else {
      old = read(cpu, insn, 0, size);
      equal = old == acc;
      if (equal) {
        write(cpu, insn, 0, size, src);
      }
    }
    Alu.sub(cpu.flags, width, acc, old);
    if (!equal) {
      cpu.write(Cpu.RAX, size, old);
    }
  }

  /** CMPXCHG8B and CMPXCHG16B (16-byte alignment or #GP). Only ZF changes. */
  private static void compareExchangeDouble(Cpu cpu, Insn insn) {
    long addr = effectiveAddress(cpu, insn);
    GuestMemory m = cpu.memory;
    boolean equal;
    if (insn.op == Op.CMPXCHG16B) {
      if ((addr & 15) != 0) {
        throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "cmpxchg16b misaligned");
      }
      long[] witness = new long[2];
      equal = m.compareAndExchange128(addr, cpu.gpr[Cpu.RAX], cpu.gpr[Cpu.RDX],
          cpu.gpr[Cpu.RBX], cpu.gpr[Cpu.RCX], witness);
      if (!equal) {
        cpu.gpr[Cpu.RAX] = witness[0];
        cpu.gpr[Cpu.RDX] = witness[1];
      }
    } else {
      long expected = (cpu.gpr[Cpu.RDX] << 32) | (cpu.gpr[Cpu.RAX] & 0xffffffffL);
      long replacement = (cpu.gpr[Cpu.RCX] << 32) | (cpu.gpr[Cpu.RBX] & 0xffffffffL);
      long old = m.compareAndExchange64(addr, expected, replacement);
      equal = old == expected;
      if (!equal) {
        cpu.write(Cpu.RAX, 4, old);
        cpu.write(Cpu.RDX, 4, old >>> 32);
      }
    }
    cpu.flags.put(Flags.ZF, equal);
  }

  /**
   * BT family. With a register bit offset and a memory operand the offset is signed and may
   * reach outside the operand: the address moves by whole operands (SDM "Bit(BitBase,
   * BitOffset)").
   */
  private static void bitTest(Cpu cpu, Insn insn, int size) {
    int width = size * 8;
    Flags f = cpu.flags;
    long offset = read(cpu, insn, 1, insn.kind1 == Insn.K_IMM ? 1 : size);
    if (insn.kind0 != Insn.K_MEM || insn.kind1 == Insn.K_IMM) {
      long value = read(cpu, insn, 0, size);
      long res = bitOp(f, insn.op, width, value, offset);
      if (insn.op != Op.BT) {
        write(cpu, insn, 0, size, res);
      }
      return;
    }
    long signed = Alu.signExtend(offset, width);
    long addr = effectiveAddress(cpu, insn) + Math.floorDiv(signed, width) * size;
    long bit = Math.floorMod(signed, width);
    if (insn.op != Op.BT && (insn.prefixes & Insn.P_LOCK) != 0) {
      long carry;
      long old;
      long res;
      do {
        old = OperandAccess.load(cpu.memory, addr, size);
        res = bitOp(f, insn.op, width, old, bit);
        carry = f.rflags() & Flags.CF;
      } while (!compareAndSet(cpu.memory, addr, size, old, res & Flags.mask(width)));
      f.setRflags(carry, Flags.CF);
      return;
    }
    long value = OperandAccess.load(cpu.memory, addr, size);
    long res = bitOp(f, insn.op, width, value, bit);
    if (insn.op != Op.BT) {
      OperandAccess.store(cpu.memory, addr, size, res);
    }
  }

  private static long bitOp(Flags f, Op op, int width, long value, long bit) {
    switch (op) {
      case BT: Bits.bt(f, width, value, bit); return value;
      case BTS: return Bits.bts(f, width, value, bit);
      case BTR: return Bits.btr(f, width, value, bit);
      default: return Bits.btc(f, width, value, bit);
    }
  }
}
