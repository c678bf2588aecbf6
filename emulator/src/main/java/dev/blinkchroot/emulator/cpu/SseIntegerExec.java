package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.cpu.OperandAccess.effectiveAddress;
import static dev.blinkchroot.emulator.cpu.OperandAccess.read;
import static dev.blinkchroot.emulator.cpu.OperandAccess.write;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.emulator.sse.Pcmpstr;
import dev.blinkchroot.emulator.sse.SseIntLanes;
import dev.blinkchroot.emulator.sse.SseIntPermute;

/**
 * MMX and SSE2..SSE4.2 integer vector instructions and the moves between general and vector
 * registers: operand fetch, alignment checks and write-back around the semantics in
 * {@link SseIntLanes}, {@link SseIntPermute} and {@link Pcmpstr}.
 *
 * <p>One {@link Op} covers the MMX and the XMM form; operand 0's kind says which. MMX forms read
 * and write MMX registers through {@link Cpu#mmx}/{@link Cpu#setMmx}, and every MMX instruction
 * (those that only read MMX registers too) leaves the x87 unit in MMX mode (TOP = 0, all tags
 * valid, SDM Vol. 1, 9.5.1); like any waiting x87 instruction it first delivers a pending
 * unmasked x87 exception (#MF). The x87 state changes only after the memory accesses succeeded,
 * so a faulting instruction leaves it as it was.
 *
 * <p>Legacy-SSE 16-byte memory operands must be 16-byte aligned (#GP) except for MOVDQU, LDDQU
 * and the PCMPxSTRx string compares (SDM Vol. 2, 2.4 and the instruction pages). VEX encodings
 * are not implemented and raise #UD.
 */
final class SseIntegerExec {
  private SseIntegerExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn) {
    if (insn.vexKind != Insn.VEX_NONE) {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "AVX is not implemented: " + insn.describe());
    }
    boolean mmx = usesMmx(insn);
    if (mmx && cpu.x87.unmaskedPending() != 0) {
      throw CpuTrap.of(CpuTrap.Kind.X87_FLOATING_POINT, "pending x87 exception");
    }
    switch (insn.op) {
      case EMMS: // every tag empty and TOP = 0 (SDM Vol. 1, Table 9-1)
        cpu.x87.setTop(0);
        cpu.x87.setTagWord(0xffff);
        return;
      case MOVD: case MOVQ: case MOVQ2DQ: case MOVDQ2Q: case MOVDQA: case MOVDQU: case MOVNTQ:
      case MOVNTDQ: case MOVNTDQA: case LDDQU:
        move(cpu, insn);
        break;
      case MASKMOVQ: case MASKMOVDQU:
        maskedStore(cpu, insn);
        break;
      case PMOVMSKB: case PEXTRB: case PEXTRW: case PEXTRD:
        extract(cpu, insn);
        break;
      case PINSRB: case PINSRW: case PINSRD:
        insert(cpu, insn);
        break;
      case PTEST:
        test(cpu, insn);
        break;
      case PCMPESTRI: case PCMPESTRM: case PCMPISTRI: case PCMPISTRM:
        stringCompare(cpu, insn);
        break;
      default:
        if (insn.kind0 == Insn.K_MMX) {
          mmxOp(cpu, insn);
        } else {
          xmmOp(cpu, insn);
        }
        break;
    }
    if (mmx) {
      cpu.enterMmxMode();
    }
  }

  private static boolean usesMmx(Insn insn) {
    for (int i = 0; i < insn.nOperands; i++) {
      if (insn.kind(i) == Insn.K_MMX) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- memory operands

  /**
   * The address of a vector memory operand of {@code size} bytes; a 16-byte operand of an
   * instruction that requires alignment must be 16-byte aligned or the instruction raises #GP.
   */
  private static long vectorAddress(Cpu cpu, Insn insn, int size) {
    long ea = effectiveAddress(cpu, insn);
    if (size == 16 && (ea & 15) != 0 && requiresAlignment(insn.op)) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0,
          "misaligned 16-byte operand: " + insn.describe());
    }
    return ea;
  }

  private static boolean requiresAlignment(Op op) {
    switch (op) {
      case MOVDQU: case LDDQU: case PCMPESTRI: case PCMPESTRM: case PCMPISTRI: case PCMPISTRM:
        return false;
      default:
        return true;
    }
  }

  /** Memory loads of 2, 4, 8 or 16 bytes, zero-extended to 128 bits: {@code half} 0 or 1. */
  private static long loadHalf(GuestMemory memory, long ea, int size, int half) {
    if (half == 1) {
      return size == 16 ? memory.read64(ea + 8) : 0;
    }
    return OperandAccess.load(memory, ea, Math.min(size, 8));
  }

  /** Stores 16 bytes so that a faulting store changes nothing ({@link VectorMemory}). */
  private static void store128(GuestMemory memory, long ea, long lo, long hi) {
    VectorMemory.store128(memory, ea, lo, hi);
  }

  // ---------------------------------------------------------------- moves

  private static void move(Cpu cpu, Insn insn) {
    GuestMemory m = cpu.memory;
    switch (insn.op) {
      case MOVD: // GPR/m32/m64 <-> mm/xmm, zero-extending into the vector register
        if (insn.kind0 == Insn.K_MMX) {
          cpu.setMmx(insn.reg0, read(cpu, insn, 1, insn.size1));
        } else if (insn.kind0 == Insn.K_XMM) {
          setXmm(cpu, insn.reg0, read(cpu, insn, 1, insn.size1), 0);
        } else {
          long v = insn.kind1 == Insn.K_MMX ? cpu.mmx(insn.reg1) : cpu.xmm[2 * insn.reg1];
          write(cpu, insn, 0, insn.size0, v);
        }
        return;
      case MOVQ: case MOVNTQ: case MOVDQ2Q: case MOVQ2DQ: { // 64-bit moves
        long v;
        switch (insn.kind1) {
          case Insn.K_MMX: v = cpu.mmx(insn.reg1); break;
          case Insn.K_XMM: v = cpu.xmm[2 * insn.reg1]; break;
          default: v = m.read64(effectiveAddress(cpu, insn)); break;
        }
        switch (insn.kind0) {
          case Insn.K_MMX: cpu.setMmx(insn.reg0, v); break;
          case Insn.K_XMM: setXmm(cpu, insn.reg0, v, 0); break; // the upper half is zeroed
          default: m.write64(effectiveAddress(cpu, insn), v); break;
        }
        return;
      }
      default: { // MOVDQA MOVDQU MOVNTDQ MOVNTDQA LDDQU: 128-bit moves
        long lo;
        long hi;
        if (insn.kind1 == Insn.K_XMM) {
          lo = cpu.xmm[2 * insn.reg1];
          hi = cpu.xmm[2 * insn.reg1 + 1];
        } else {
          long ea = vectorAddress(cpu, insn, 16);
          lo = m.read64(ea);
          hi = m.read64(ea + 8);
        }
        if (insn.kind0 == Insn.K_XMM) {
          setXmm(cpu, insn.reg0, lo, hi);
        } else {
          store128(m, vectorAddress(cpu, insn, 16), lo, hi);
        }
      }
    }
  }

  private static void setXmm(Cpu cpu, int reg, long lo, long hi) {
    cpu.xmm[2 * reg] = lo;
    cpu.xmm[2 * reg + 1] = hi;
  }

  /**
   * MASKMOVQ / MASKMOVDQU: the bytes of operand 0 whose mask byte (operand 1) has its top bit
   * set are stored at DS:rDI (EDI under a 67 prefix; a segment override applies), byte by byte
   * as the SDM allows, so only selected bytes are touched.
   */
  private static void maskedStore(Cpu cpu, Insn insn) {
    boolean mmx = insn.kind0 == Insn.K_MMX;
    long dataLo = mmx ? cpu.mmx(insn.reg0) : cpu.xmm[2 * insn.reg0];
    long dataHi = mmx ? 0 : cpu.xmm[2 * insn.reg0 + 1];
    long maskLo = mmx ? cpu.mmx(insn.reg1) : cpu.xmm[2 * insn.reg1];
    long maskHi = mmx ? 0 : cpu.xmm[2 * insn.reg1 + 1];
    long base = cpu.gpr[Cpu.RDI];
    if (insn.addrSize == 4) {
      base &= 0xffffffffL;
    }
    base += OperandAccess.segmentBase(cpu, insn.seg);
    for (int i = 0; i < (mmx ? 8 : 16); i++) {
      if ((SseIntPermute.byteOf(maskLo, maskHi, i) & 0x80) != 0) {
        cpu.memory.write8(base + i, SseIntPermute.byteOf(dataLo, dataHi, i));
      }
    }
  }

  // ---------------------------------------------------------------- GPR <-> element

  /** PMOVMSKB, PEXTRB/W/D/Q: an element or a byte mask into a GPR (zero-extended) or memory. */
  private static void extract(Cpu cpu, Insn insn) {
    boolean mmx = insn.kind1 == Insn.K_MMX;
    long lo = mmx ? cpu.mmx(insn.reg1) : cpu.xmm[2 * insn.reg1];
    long hi = mmx ? 0 : cpu.xmm[2 * insn.reg1 + 1];
    long v;
    if (insn.op == Op.PMOVMSKB) {
      v = SseIntPermute.moveMaskBytes(lo) | (long) SseIntPermute.moveMaskBytes(hi) << 8;
    } else {
      int bits = insn.op == Op.PEXTRB ? 8 : insn.op == Op.PEXTRW ? 16 : insn.size0 * 8;
      v = element(lo, hi, bits, (int) insn.imm & ((mmx ? 64 : 128) / bits - 1));
    }
    write(cpu, insn, 0, insn.size0, v);
  }

  private static long element(long lo, long hi, int bits, int i) {
    int perChunk = 64 / bits;
    return SseIntLanes.lane(i < perChunk ? lo : hi, bits, i % perChunk);
  }

  /** PINSRB/W/D/Q: the low bits of a GPR or memory into one element. */
  private static void insert(Cpu cpu, Insn insn) {
    int bits = insn.op == Op.PINSRB ? 8 : insn.op == Op.PINSRW ? 16 : insn.size1 * 8;
    long v = read(cpu, insn, 1, bits / 8);
    if (insn.kind0 == Insn.K_MMX) {
      int i = (int) insn.imm & 3;
      cpu.setMmx(insn.reg0, SseIntLanes.withLane(cpu.mmx(insn.reg0), bits, i, v));
      return;
    }
    int i = (int) insn.imm & (128 / bits - 1);
    int perChunk = 64 / bits;
    int at = 2 * insn.reg0 + (i < perChunk ? 0 : 1);
    cpu.xmm[at] = SseIntLanes.withLane(cpu.xmm[at], bits, i % perChunk, v);
  }

  // ---------------------------------------------------------------- flag-setting compares

  /** PTEST: ZF = (src AND dst) == 0, CF = (src AND NOT dst) == 0, the other status flags 0. */
  private static void test(Cpu cpu, Insn insn) {
    long d0 = cpu.xmm[2 * insn.reg0];
    long d1 = cpu.xmm[2 * insn.reg0 + 1];
    long s0;
    long s1;
    if (insn.kind1 == Insn.K_XMM) {
      s0 = cpu.xmm[2 * insn.reg1];
      s1 = cpu.xmm[2 * insn.reg1 + 1];
    } else {
      long ea = vectorAddress(cpu, insn, 16);
      s0 = cpu.memory.read64(ea);
      s1 = cpu.memory.read64(ea + 8);
    }
    long f = ((s0 & d0) | (s1 & d1)) == 0 ? Flags.ZF : 0;
    if (((s0 & ~d0) | (s1 & ~d1)) == 0) {
      f |= Flags.CF;
    }
    cpu.flags.setRflags(f, Flags.STATUS);
  }

  /** PCMPESTRI/M and PCMPISTRI/M: see {@link Pcmpstr}. */
  private static void stringCompare(Cpu cpu, Insn insn) {
    int imm = (int) insn.imm & 0xff;
    long a0 = cpu.xmm[2 * insn.reg0];
    long a1 = cpu.xmm[2 * insn.reg0 + 1];
    long b0;
    long b1;
    if (insn.kind1 == Insn.K_XMM) {
      b0 = cpu.xmm[2 * insn.reg1];
      b1 = cpu.xmm[2 * insn.reg1 + 1];
    } else {
      long ea = vectorAddress(cpu, insn, 16);
      b0 = cpu.memory.read64(ea);
      b1 = cpu.memory.read64(ea + 8);
    }
    boolean explicit = insn.op == Op.PCMPESTRI || insn.op == Op.PCMPESTRM;
    int lenA;
    int lenB;
    if (explicit) {
      boolean wide = (insn.rex & 8) != 0; // REX.W: the lengths are RAX and RDX
      lenA = Pcmpstr.explicitLength(cpu.gpr[Cpu.RAX], wide, imm);
      lenB = Pcmpstr.explicitLength(cpu.gpr[Cpu.RDX], wide, imm);
    } else {
      lenA = Pcmpstr.implicitLength(a0, a1, imm);
      lenB = Pcmpstr.implicitLength(b0, b1, imm);
    }
    int res = Pcmpstr.compare(a0, a1, lenA, b0, b1, lenB, imm);
    if (insn.op == Op.PCMPESTRI || insn.op == Op.PCMPISTRI) {
      cpu.write(Cpu.RCX, 4, Pcmpstr.index(res, imm));
    } else {
      Pcmpstr.mask(res, imm, cpu.xmm, 0);
    }
    cpu.flags.setRflags(Pcmpstr.flags(res, lenA, lenB, imm), Flags.STATUS);
  }

  // ---------------------------------------------------------------- arithmetic and permutes

  /** An MMX form: operand 0 an mm register, operand 1 mm, m64 or an immediate count. */
  private static void mmxOp(Cpu cpu, Insn insn) {
    long d = cpu.mmx(insn.reg0);
    long s;
    switch (insn.kind1) {
      case Insn.K_MMX: s = cpu.mmx(insn.reg1); break;
      case Insn.K_IMM: s = insn.imm & 0xff; break;
      default: {
        // PUNPCKL* read only the 32 bits they use (SDM: mm/m32), so they cannot fault beyond.
        long ea = effectiveAddress(cpu, insn);
        boolean low = insn.op == Op.PUNPCKLBW || insn.op == Op.PUNPCKLWD || insn.op == Op.PUNPCKLDQ;
        s = low ? cpu.memory.read32(ea) & 0xffff_ffffL : cpu.memory.read64(ea);
      }
    }
    int imm = (int) insn.imm & 0xff;
    long r;
    switch (insn.op) {
      case PACKSSWB: r = narrowPair(16, false, d, s); break;
      case PACKSSDW: r = narrowPair(32, false, d, s); break;
      case PACKUSWB: r = narrowPair(16, true, d, s); break;
      case PUNPCKLBW: r = SseIntPermute.interleaveLow(8, d, s); break;
      case PUNPCKLWD: r = SseIntPermute.interleaveLow(16, d, s); break;
      case PUNPCKLDQ: r = SseIntPermute.interleaveLow(32, d, s); break;
      case PUNPCKHBW: r = SseIntPermute.interleaveHigh(8, d, s); break;
      case PUNPCKHWD: r = SseIntPermute.interleaveHigh(16, d, s); break;
      case PUNPCKHDQ: r = SseIntPermute.interleaveHigh(32, d, s); break;
      case PSHUFB: r = SseIntPermute.shuffleBytes(s, d, d, 7); break;
      case PSHUFW: r = SseIntPermute.shuffleWords(s, imm); break;
      case PALIGNR: r = SseIntPermute.window(s, d, 0, 0, imm); break;
      case PHADDW: case PHADDD: case PHADDSW: case PHSUBW: case PHSUBD: case PHSUBSW:
        r = horizontal(insn.op, d) | horizontal(insn.op, s) << 32;
        break;
      default:
        if (isShift(insn.op)) {
          r = shift(insn.op, d, s);
        } else {
          r = chunk(insn, d, s);
        }
    }
    cpu.setMmx(insn.reg0, r);
  }

  /** An SSE form: operand 0 an xmm register, operand 1 xmm, memory or an immediate count. */
  private static void xmmOp(Cpu cpu, Insn insn) {
    int d = 2 * insn.reg0;
    long d0 = cpu.xmm[d];
    long d1 = cpu.xmm[d + 1];
    long s0;
    long s1;
    switch (insn.kind1) {
      case Insn.K_XMM:
        s0 = cpu.xmm[2 * insn.reg1];
        s1 = cpu.xmm[2 * insn.reg1 + 1];
        break;
      case Insn.K_IMM:
        s0 = insn.imm & 0xff;
        s1 = 0;
        break;
      default: {
        int size = insn.size1;
        long ea = vectorAddress(cpu, insn, size);
        s0 = loadHalf(cpu.memory, ea, size, 0);
        s1 = loadHalf(cpu.memory, ea, size, 1);
      }
    }
    int imm = (int) insn.imm & 0xff;
    long[] x = cpu.xmm;
    Op op = insn.op;
    switch (op) {
      case PACKSSWB: case PACKSSDW: case PACKUSWB: case PACKUSDW: {
        int bits = op == Op.PACKSSWB || op == Op.PACKUSWB ? 16 : 32;
        boolean u = op == Op.PACKUSWB || op == Op.PACKUSDW;
        x[d] = narrowPair(bits, u, d0, d1);
        x[d + 1] = narrowPair(bits, u, s0, s1);
        return;
      }
      case PUNPCKLBW: case PUNPCKLWD: case PUNPCKLDQ: {
        int bits = op == Op.PUNPCKLBW ? 8 : op == Op.PUNPCKLWD ? 16 : 32;
        x[d] = SseIntPermute.interleaveLow(bits, d0, s0);
        x[d + 1] = SseIntPermute.interleaveHigh(bits, d0, s0);
        return;
      }
      case PUNPCKHBW: case PUNPCKHWD: case PUNPCKHDQ: {
        int bits = op == Op.PUNPCKHBW ? 8 : op == Op.PUNPCKHWD ? 16 : 32;
        x[d] = SseIntPermute.interleaveLow(bits, d1, s1);
        x[d + 1] = SseIntPermute.interleaveHigh(bits, d1, s1);
        return;
      }
      case PUNPCKLQDQ:
        x[d + 1] = s0;
        return;
      case PUNPCKHQDQ:
        x[d] = d1;
        x[d + 1] = s1;
        return;
      case PHADDW: case PHADDD: case PHADDSW: case PHSUBW: case PHSUBD: case PHSUBSW:
        x[d] = horizontal(op, d0) | horizontal(op, d1) << 32;
        x[d + 1] = horizontal(op, s0) | horizontal(op, s1) << 32;
        return;
      case PSHUFB:
        x[d] = SseIntPermute.shuffleBytes(s0, d0, d1, 15);
        x[d + 1] = SseIntPermute.shuffleBytes(s1, d0, d1, 15);
        return;
      case PSHUFD:
        SseIntPermute.shuffleDwords(s0, s1, imm, x, d);
        return;
      case PSHUFLW:
        x[d] = SseIntPermute.shuffleWords(s0, imm);
        x[d + 1] = s1;
        return;
      case PSHUFHW:
        x[d] = s0;
        x[d + 1] = SseIntPermute.shuffleWords(s1, imm);
        return;
      case PALIGNR:
        SseIntPermute.alignRight(d0, d1, s0, s1, imm, x, d);
        return;
      case PSLLDQ:
        SseIntPermute.shiftLeftBytes(d0, d1, imm, x, d);
        return;
      case PSRLDQ:
        SseIntPermute.shiftRightBytes(d0, d1, imm, x, d);
        return;
      case PBLENDVB:
        x[d] = SseIntPermute.blendBytes(d0, s0, x[0]);
        x[d + 1] = SseIntPermute.blendBytes(d1, s1, x[1]);
        return;
      case PBLENDW:
        x[d] = SseIntPermute.blendWords(d0, s0, imm & 15);
        x[d + 1] = SseIntPermute.blendWords(d1, s1, imm >>> 4);
        return;
      case PHMINPOSUW:
        x[d] = SseIntPermute.minPosition(s0, s1);
        x[d + 1] = 0;
        return;
      case MPSADBW:
        SseIntPermute.multipleSad(d0, d1, s0, s1, imm, x, d);
        return;
      case PMOVSXBW: case PMOVSXBD: case PMOVSXBQ: case PMOVSXWD: case PMOVSXWQ: case PMOVSXDQ:
      case PMOVZXBW: case PMOVZXBD: case PMOVZXBQ: case PMOVZXWD: case PMOVZXWQ: case PMOVZXDQ:
        extend(op, s0, x, d);
        return;
      default:
        if (isShift(op)) { // the count is the low quadword of the source, for both halves
          x[d] = shift(op, d0, s0);
          x[d + 1] = shift(op, d1, s0);
        } else {
          x[d] = chunk(insn, d0, s0);
          x[d + 1] = chunk(insn, d1, s1);
        }
    }
  }

  /**
   * 64 bits of a pack: {@code lo} narrowed into bits 31..0, {@code hi} into 63..32 (MMX: the
   * destination and the source; SSE: the two halves of one register).
   */
  private static long narrowPair(int bits, boolean unsigned, long lo, long hi) {
    return SseIntPermute.narrow(bits, unsigned, lo) | SseIntPermute.narrow(bits, unsigned, hi) << 32;
  }

  private static long horizontal(Op op, long chunk) {
    switch (op) {
      case PHADDW: return SseIntPermute.horizontal(16, false, false, chunk);
      case PHADDD: return SseIntPermute.horizontal(32, false, false, chunk);
      case PHADDSW: return SseIntPermute.horizontal(16, false, true, chunk);
      case PHSUBW: return SseIntPermute.horizontal(16, true, false, chunk);
      case PHSUBD: return SseIntPermute.horizontal(32, true, false, chunk);
      default: return SseIntPermute.horizontal(16, true, true, chunk); // PHSUBSW
    }
  }

  /** PMOVSX/PMOVZX: the low lanes of the source, widened into both halves. */
  private static void extend(Op op, long src, long[] x, int d) {
    int from;
    int to;
    switch (op) {
      case PMOVSXBW: case PMOVZXBW: from = 8; to = 16; break;
      case PMOVSXBD: case PMOVZXBD: from = 8; to = 32; break;
      case PMOVSXBQ: case PMOVZXBQ: from = 8; to = 64; break;
      case PMOVSXWD: case PMOVZXWD: from = 16; to = 32; break;
      case PMOVSXWQ: case PMOVZXWQ: from = 16; to = 64; break;
      default: from = 32; to = 64; break; // DQ
    }
    boolean signed = op.name().startsWith("PMOVSX");
    x[d] = SseIntPermute.extend(src, from, to, signed, 0);
    x[d + 1] = SseIntPermute.extend(src, from, to, signed, 64 / to);
  }

  private static boolean isShift(Op op) {
    switch (op) {
      case PSLLW: case PSLLD: case PSLLQ: case PSRLW: case PSRLD: case PSRLQ: case PSRAW:
      case PSRAD:
        return true;
      default:
        return false;
    }
  }

  /** A lane shift of one chunk by the unsigned 64-bit {@code count}. */
  private static long shift(Op op, long v, long count) {
    switch (op) {
      case PSLLW: return SseIntLanes.shiftLeft(16, v, count);
      case PSLLD: return SseIntLanes.shiftLeft(32, v, count);
      case PSLLQ: return SseIntLanes.shiftLeft(64, v, count);
      case PSRLW: return SseIntLanes.shiftRightLogical(16, v, count);
      case PSRLD: return SseIntLanes.shiftRightLogical(32, v, count);
      case PSRLQ: return SseIntLanes.shiftRightLogical(64, v, count);
      case PSRAW: return SseIntLanes.shiftRightArithmetic(16, v, count);
      default: return SseIntLanes.shiftRightArithmetic(32, v, count); // PSRAD
    }
  }

  /** The lane-wise operations: one 64-bit chunk of the destination with one of the source. */
  private static long chunk(Insn insn, long a, long b) {
    switch (insn.op) {
      case PADDB: return SseIntLanes.add(8, a, b);
      case PADDW: return SseIntLanes.add(16, a, b);
      case PADDD: return SseIntLanes.add(32, a, b);
      case PADDQ: return SseIntLanes.add(64, a, b);
      case PSUBB: return SseIntLanes.sub(8, a, b);
      case PSUBW: return SseIntLanes.sub(16, a, b);
      case PSUBD: return SseIntLanes.sub(32, a, b);
      case PSUBQ: return SseIntLanes.sub(64, a, b);
      case PADDSB: return SseIntLanes.addSigned(8, a, b);
      case PADDSW: return SseIntLanes.addSigned(16, a, b);
      case PSUBSB: return SseIntLanes.subSigned(8, a, b);
      case PSUBSW: return SseIntLanes.subSigned(16, a, b);
      case PADDUSB: return SseIntLanes.addUnsigned(8, a, b);
      case PADDUSW: return SseIntLanes.addUnsigned(16, a, b);
      case PSUBUSB: return SseIntLanes.subUnsigned(8, a, b);
      case PSUBUSW: return SseIntLanes.subUnsigned(16, a, b);
      case PMULLW: return SseIntLanes.mulLow(16, a, b);
      case PMULLD: return SseIntLanes.mulLow(32, a, b);
      case PMULHW: return SseIntLanes.mulHighSigned16(a, b);
      case PMULHUW: return SseIntLanes.mulHighUnsigned16(a, b);
      case PMULHRSW: return SseIntLanes.mulHighRoundScale16(a, b);
      case PMULUDQ: return SseIntLanes.mulUnsignedDq(a, b);
      case PMULDQ: return SseIntLanes.mulSignedDq(a, b);
      case PMADDWD: return SseIntLanes.maddWd(a, b);
      case PMADDUBSW: return SseIntLanes.maddUbsw(a, b);
      case PSADBW: return SseIntLanes.sadBw(a, b);
      case PAVGB: return SseIntLanes.average(8, a, b);
      case PAVGW: return SseIntLanes.average(16, a, b);
      case PMINUB: return SseIntLanes.minUnsigned(8, a, b);
      case PMINUW: return SseIntLanes.minUnsigned(16, a, b);
      case PMINUD: return SseIntLanes.minUnsigned(32, a, b);
      case PMINSB: return SseIntLanes.minSigned(8, a, b);
      case PMINSW: return SseIntLanes.minSigned(16, a, b);
      case PMINSD: return SseIntLanes.minSigned(32, a, b);
      case PMAXUB: return SseIntLanes.maxUnsigned(8, a, b);
      case PMAXUW: return SseIntLanes.maxUnsigned(16, a, b);
      case PMAXUD: return SseIntLanes.maxUnsigned(32, a, b);
      case PMAXSB: return SseIntLanes.maxSigned(8, a, b);
      case PMAXSW: return SseIntLanes.maxSigned(16, a, b);
      case PMAXSD: return SseIntLanes.maxSigned(32, a, b);
      case PAND: return a & b;
      case PANDN: return ~a & b;
      case POR: return a | b;
      case PXOR: return a ^ b;
      case PCMPEQB: return SseIntLanes.compareEqual(8, a, b);
      case PCMPEQW: return SseIntLanes.compareEqual(16, a, b);
      case PCMPEQD: return SseIntLanes.compareEqual(32, a, b);
      case PCMPEQQ: return SseIntLanes.compareEqual(64, a, b);
      case PCMPGTB: return SseIntLanes.compareGreater(8, a, b);
      case PCMPGTW: return SseIntLanes.compareGreater(16, a, b);
      case PCMPGTD: return SseIntLanes.compareGreater(32, a, b);
      case PCMPGTQ: return SseIntLanes.compareGreater(64, a, b);
      case PSIGNB: return SseIntLanes.sign(8, a, b);
      case PSIGNW: return SseIntLanes.sign(16, a, b);
      case PSIGND: return SseIntLanes.sign(32, a, b);
      case PABSB: return SseIntLanes.abs(8, b);
      case PABSW: return SseIntLanes.abs(16, b);
      case PABSD: return SseIntLanes.abs(32, b);
      default:
        throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "no such form: " + insn.describe());
    }
  }
}
