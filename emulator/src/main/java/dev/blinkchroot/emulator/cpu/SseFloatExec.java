package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import dev.blinkchroot.emulator.sse.Mxcsr;
import dev.blinkchroot.emulator.sse.SseFloatApprox;
import dev.blinkchroot.emulator.sse.SseFloatArith;
import dev.blinkchroot.emulator.sse.SseFloatConvert;
import dev.blinkchroot.emulator.sse.SseFloatPacked;

/**
 * The SSE, SSE2, SSE3 and SSE4.1 floating-point instructions (legacy encodings): operand fetch,
 * alignment checks, the #XM decision and write-back around the element semantics in
 * {@code dev.blinkchroot.emulator.sse}.
 *
 * <p>Every arithmetic instruction runs under one {@link Mxcsr} bookkeeping object; when it ends
 * with an unmasked exception the destination is left alone, MXCSR gets the flags and #XM is
 * raised (SIGFPE at the instruction). A 16-byte memory operand must be 16-byte aligned except
 * for MOVUPS/MOVUPD (SDM Vol. 2, 2.4 "legacy SSE": #GP otherwise); scalar and 64-bit operands
 * have no alignment requirement. VEX forms (AVX) are not implemented: #UD.
 */
final class SseFloatExec {
  private SseFloatExec() {}

  /** Executes {@code insn}, one of this family's operations ({@link OpTable}). */
  static void execute(Cpu cpu, Insn insn) {
    if (insn.vexKind != Insn.VEX_NONE) {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "AVX is not implemented: " + insn.describe());
    }
    if (!moves(cpu, insn) && !arithmetic(cpu, insn) && !conversions(cpu, insn)) {
      throw OpTable.unhandled(insn);
    }
  }

  // ---- data movement, shuffles, logic, blends ----------------------------------------------------

  private static boolean moves(Cpu cpu, Insn insn) {
    switch (insn.op) {
      case MOVUPS: case MOVUPD: case MOVAPS: case MOVAPD: case MOVNTPS: case MOVNTPD:
        writeVector(cpu, insn, 0, source(cpu, insn, 1));
        return true;
      case MOVSS:
        moveScalar(cpu, insn, 4);
        return true;
      case MOVSD:
        moveScalar(cpu, insn, 8);
        return true;
      case MOVLPS: case MOVLPD: case MOVHPS: case MOVHPD: {
        int half = insn.op == Op.MOVHPS || insn.op == Op.MOVHPD ? 1 : 0;
        if (insn.kind0 == Insn.K_MEM) {
          store(cpu, insn, 8, cpu.xmm[2 * insn.reg1 + half]);
        } else {
          cpu.xmm[2 * insn.reg0 + half] = load(cpu, insn, 8);
        }
        return true;
      }
      case MOVHLPS:
        cpu.xmm[2 * insn.reg0] = cpu.xmm[2 * insn.reg1 + 1];
        return true;
      case MOVLHPS:
        cpu.xmm[2 * insn.reg0 + 1] = cpu.xmm[2 * insn.reg1];
        return true;
      case MOVSLDUP: case MOVSHDUP: {
        long[] s = source(cpu, insn, 1);
        int k = insn.op == Op.MOVSLDUP ? 0 : 1;
        int e0 = SseFloatPacked.lane(s, k);
        int e2 = SseFloatPacked.lane(s, 2 + k);
        setXmm(cpu, insn.reg0, SseFloatPacked.of(e0, e0, e2, e2));
        return true;
      }
      case MOVDDUP: {
        long v = insn.kind1 == Insn.K_MEM ? load(cpu, insn, 8) : cpu.xmm[2 * insn.reg1];
        setXmm(cpu, insn.reg0, new long[] {v, v});
        return true;
      }
      case MOVMSKPS: {
        long[] s = xmm(cpu, insn.reg1);
        int m = 0;
        for (int i = 0; i < 4; i++) {
          m |= (SseFloatPacked.lane(s, i) >>> 31) << i;
        }
        cpu.write(insn.reg0, 4, m);
        return true;
      }
      case MOVMSKPD: {
        int m = (int) (cpu.xmm[2 * insn.reg1] >>> 63 | cpu.xmm[2 * insn.reg1 + 1] >>> 63 << 1);
        cpu.write(insn.reg0, 4, m);
        return true;
      }
      case UNPCKLPS: case UNPCKHPS: {
        long[] a = xmm(cpu, insn.reg0);
        long[] b = source(cpu, insn, 1);
        int k = insn.op == Op.UNPCKLPS ? 0 : 2;
        setXmm(cpu, insn.reg0, SseFloatPacked.of(SseFloatPacked.lane(a, k),
            SseFloatPacked.lane(b, k), SseFloatPacked.lane(a, k + 1), SseFloatPacked.lane(b, k + 1)));
        return true;
      }
      case UNPCKLPD: case UNPCKHPD: {
        long[] b = source(cpu, insn, 1);
        int k = insn.op == Op.UNPCKLPD ? 0 : 1;
        setXmm(cpu, insn.reg0, new long[] {cpu.xmm[2 * insn.reg0 + k], b[k]});
        return true;
      }
      case SHUFPS: {
        long[] a = xmm(cpu, insn.reg0);
        long[] b = source(cpu, insn, 1);
        int imm = (int) insn.imm;
        setXmm(cpu, insn.reg0, SseFloatPacked.of(SseFloatPacked.lane(a, imm & 3),
            SseFloatPacked.lane(a, imm >> 2 & 3), SseFloatPacked.lane(b, imm >> 4 & 3),
            SseFloatPacked.lane(b, imm >> 6 & 3)));
        return true;
      }
      case SHUFPD: {
        long[] a = xmm(cpu, insn.reg0);
        long[] b = source(cpu, insn, 1);
        int imm = (int) insn.imm;
        setXmm(cpu, insn.reg0, new long[] {a[imm & 1], b[imm >> 1 & 1]});
        return true;
      }
      case ANDPS: case ANDPD: case ANDNPS: case ANDNPD: case ORPS: case ORPD: case XORPS:
      case XORPD:
        logic(cpu, insn);
        return true;
      case BLENDPS: case BLENDVPS: {
        long[] a = xmm(cpu, insn.reg0);
        long[] b = source(cpu, insn, 1);
        long[] sel = insn.op == Op.BLENDVPS ? xmm(cpu, 0) : null;
        for (int i = 0; i < 4; i++) {
          boolean pick = sel != null ? SseFloatPacked.lane(sel, i) < 0 : (insn.imm >> i & 1) != 0;
          if (pick) {
            SseFloatPacked.setLane(a, i, SseFloatPacked.lane(b, i));
          }
        }
        setXmm(cpu, insn.reg0, a);
        return true;
      }
      case BLENDPD: case BLENDVPD: {
        long[] a = xmm(cpu, insn.reg0);
        long[] b = source(cpu, insn, 1);
        boolean variable = insn.op == Op.BLENDVPD;
        for (int i = 0; i < 2; i++) {
          if (variable ? cpu.xmm[i] < 0 : (insn.imm >> i & 1) != 0) {
            a[i] = b[i];
          }
        }
        setXmm(cpu, insn.reg0, a);
        return true;
      }
      case INSERTPS: {
        int imm = (int) insn.imm;
        int v = insn.kind1 == Insn.K_MEM ? (int) load(cpu, insn, 4)
            : SseFloatPacked.lane(xmm(cpu, insn.reg1), imm >> 6 & 3);
        long[] a = xmm(cpu, insn.reg0);
        SseFloatPacked.setLane(a, imm >> 4 & 3, v);
        for (int i = 0; i < 4; i++) {
          if ((imm >> i & 1) != 0) {
            SseFloatPacked.setLane(a, i, 0);
          }
        }
        setXmm(cpu, insn.reg0, a);
        return true;
      }
      case EXTRACTPS: {
        int v = SseFloatPacked.lane(xmm(cpu, insn.reg1), (int) insn.imm & 3);
        if (insn.kind0 == Insn.K_MEM) {
          store(cpu, insn, 4, v);
        } else {
          cpu.write(insn.reg0, 4, v & 0xffff_ffffL);
        }
        return true;
      }
      case LDMXCSR: {
        long v = load(cpu, insn, 4);
        if (!Mxcsr.isLoadable(v)) {
          throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0, "LDMXCSR reserved bits: " + v);
        }
        cpu.mxcsr = (int) v;
        return true;
      }
      case STMXCSR:
        store(cpu, insn, 4, cpu.mxcsr);
        return true;
      default:
        return false;
    }
  }

  /** MOVSS/MOVSD: register to register keeps the upper bits, a load zeroes them. */
  private static void moveScalar(Cpu cpu, Insn insn, int size) {
    long mask = size == 4 ? 0xffff_ffffL : -1L;
    if (insn.kind0 == Insn.K_MEM) {
      store(cpu, insn, size, cpu.xmm[2 * insn.reg1]);
    } else if (insn.kind1 == Insn.K_MEM) {
      setXmm(cpu, insn.reg0, new long[] {load(cpu, insn, size), 0});
    } else {
      int d = 2 * insn.reg0;
      cpu.xmm[d] = cpu.xmm[d] & ~mask | cpu.xmm[2 * insn.reg1] & mask;
    }
  }

  private static void logic(Cpu cpu, Insn insn) {
    long[] a = xmm(cpu, insn.reg0);
    long[] b = source(cpu, insn, 1);
    for (int i = 0; i < 2; i++) {
      switch (insn.op) {
        case ANDPS: case ANDPD: a[i] &= b[i]; break;
        case ANDNPS: case ANDNPD: a[i] = ~a[i] & b[i]; break;
        case ORPS: case ORPD: a[i] |= b[i]; break;
        default: a[i] ^= b[i];
      }
    }
    setXmm(cpu, insn.reg0, a);
  }

  // ---- arithmetic ---------------------------------------------------------------------------------

  private static boolean arithmetic(Cpu cpu, Insn insn) {
    Mxcsr mx = Mxcsr.of(cpu.mxcsr);
    long[] r;
    switch (insn.op) {
      case ADDPS: case SUBPS: case MULPS: case DIVPS: case MINPS: case MAXPS:
        r = SseFloatPacked.binaryPs(mx, opOf(insn), xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case ADDPD: case SUBPD: case MULPD: case DIVPD: case MINPD: case MAXPD:
        r = SseFloatPacked.binaryPd(mx, opOf(insn), xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case ADDSS: case SUBSS: case MULSS: case DIVSS: case MINSS: case MAXSS: {
        int b = (int) scalar(cpu, insn, 4);
        int a = (int) cpu.xmm[2 * insn.reg0];
        r = withLow32(cpu, insn.reg0, SseFloatArith.binary(mx, opOf(insn), a, b));
        break;
      }
      case ADDSD: case SUBSD: case MULSD: case DIVSD: case MINSD: case MAXSD: {
        long b = scalar(cpu, insn, 8);
        r = withLow64(cpu, insn.reg0, SseFloatArith.binary(mx, opOf(insn), cpu.xmm[2 * insn.reg0],
            b));
        break;
      }
      case SQRTPS:
        r = SseFloatPacked.sqrtPs(mx, source(cpu, insn, 1));
        break;
      case SQRTPD:
        r = SseFloatPacked.sqrtPd(mx, source(cpu, insn, 1));
        break;
      case SQRTSS:
        r = withLow32(cpu, insn.reg0, SseFloatArith.sqrt(mx, (int) scalar(cpu, insn, 4)));
        break;
      case SQRTSD:
        r = withLow64(cpu, insn.reg0, SseFloatArith.sqrt(mx, scalar(cpu, insn, 8)));
        break;
      case RCPPS: case RSQRTPS:
        r = SseFloatPacked.approxPs(insn.op == Op.RSQRTPS, source(cpu, insn, 1));
        break;
      case RCPSS:
        r = withLow32(cpu, insn.reg0, SseFloatApprox.reciprocal((int) scalar(cpu, insn, 4)));
        break;
      case RSQRTSS:
        r = withLow32(cpu, insn.reg0, SseFloatApprox.reciprocalSqrt((int) scalar(cpu, insn, 4)));
        break;
      case CMPPS:
        r = SseFloatPacked.comparePs(mx, (int) insn.imm & 7, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case CMPPD:
        r = SseFloatPacked.comparePd(mx, (int) insn.imm & 7, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case CMPSS: {
        int b = (int) scalar(cpu, insn, 4);
        boolean t = SseFloatArith.compare(mx, (int) insn.imm & 7, (int) cpu.xmm[2 * insn.reg0], b);
        r = withLow32(cpu, insn.reg0, t ? -1 : 0);
        break;
      }
      case CMPSD: {
        long b = scalar(cpu, insn, 8);
        boolean t = SseFloatArith.compare(mx, (int) insn.imm & 7, cpu.xmm[2 * insn.reg0], b);
        r = withLow64(cpu, insn.reg0, t ? -1L : 0);
        break;
      }
      case COMISS: case UCOMISS: case COMISD: case UCOMISD: {
        boolean signalling = insn.op == Op.COMISS || insn.op == Op.COMISD;
        boolean single = insn.op == Op.COMISS || insn.op == Op.UCOMISS;
        long b = scalar(cpu, insn, single ? 4 : 8);
        long a = cpu.xmm[2 * insn.reg0];
        int flags = single ? SseFloatArith.compareFlags(mx, signalling, (int) a, (int) b)
            : SseFloatArith.compareFlags(mx, signalling, a, b);
        commit(cpu, insn, mx);
        cpu.flags.setRflags(flags, Flags.STATUS);
        return true;
      }
      case ADDSUBPS:
        r = SseFloatPacked.addSubPs(mx, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case ADDSUBPD:
        r = SseFloatPacked.addSubPd(mx, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case HADDPS: case HSUBPS:
        r = SseFloatPacked.horizontalPs(mx, insn.op == Op.HADDPS ? SseFloatArith.ADD : SseFloatArith.SUB,
            xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case HADDPD: case HSUBPD:
        r = SseFloatPacked.horizontalPd(mx, insn.op == Op.HADDPD ? SseFloatArith.ADD : SseFloatArith.SUB,
            xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case ROUNDPS:
        r = SseFloatPacked.roundPs(mx, (int) insn.imm, source(cpu, insn, 1));
        break;
      case ROUNDPD:
        r = SseFloatPacked.roundPd(mx, (int) insn.imm, source(cpu, insn, 1));
        break;
      case ROUNDSS:
        r = withLow32(cpu, insn.reg0,
            SseFloatConvert.roundSingle(mx, (int) insn.imm, (int) scalar(cpu, insn, 4)));
        break;
      case ROUNDSD:
        r = withLow64(cpu, insn.reg0,
            SseFloatConvert.roundDouble(mx, (int) insn.imm, scalar(cpu, insn, 8)));
        break;
      case DPPS:
        r = SseFloatPacked.dotPs(mx, (int) insn.imm, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      case DPPD:
        r = SseFloatPacked.dotPd(mx, (int) insn.imm, xmm(cpu, insn.reg0), source(cpu, insn, 1));
        break;
      default:
        return false;
    }
    commit(cpu, insn, mx);
    setXmm(cpu, insn.reg0, r);
    return true;
  }

  private static int opOf(Insn insn) {
    switch (insn.op) {
      case ADDPS: case ADDPD: case ADDSS: case ADDSD: return SseFloatArith.ADD;
      case SUBPS: case SUBPD: case SUBSS: case SUBSD: return SseFloatArith.SUB;
      case MULPS: case MULPD: case MULSS: case MULSD: return SseFloatArith.MUL;
      case DIVPS: case DIVPD: case DIVSS: case DIVSD: return SseFloatArith.DIV;
      case MINPS: case MINPD: case MINSS: case MINSD: return SseFloatArith.MIN;
      default: return SseFloatArith.MAX;
    }
  }

  // ---- conversions --------------------------------------------------------------------------------

  private static boolean conversions(Cpu cpu, Insn insn) {
    Mxcsr mx = Mxcsr.of(cpu.mxcsr);
    switch (insn.op) {
      case CVTTPS2PI: case CVTTPD2PI: case CVTTSS2SI: case CVTTSD2SI: case CVTTPS2DQ:
      case CVTTPD2DQ:
        mx.withRounding(Mxcsr.RZ);
        break;
      default:
    }
    switch (insn.op) {
      case CVTPI2PS: { // MMX register source: an MMX instruction (x87 TOP=0, all tags valid)
        long v = mmxOrMemory(cpu, insn);
        long lo = SseFloatPacked.intsToSingles(mx, v);
        commit(cpu, insn, mx);
        cpu.xmm[2 * insn.reg0] = lo;
        return true;
      }
      case CVTPI2PD: {
        long v = mmxOrMemory(cpu, insn);
        long[] r = SseFloatPacked.intsToDoubles(mx, v);
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, r);
        return true;
      }
      case CVTPS2PI: case CVTTPS2PI: {
        long v = SseFloatPacked.singlesToInts(mx, scalar(cpu, insn, 8));
        cpu.enterMmxMode(); // before #XM is raised, as the host CPU does
        commit(cpu, insn, mx);
        cpu.setMmx(insn.reg0, v);
        return true;
      }
      case CVTPD2PI: case CVTTPD2PI: {
        long v = SseFloatPacked.doublesToInts(mx, source(cpu, insn, 1));
        cpu.enterMmxMode(); // before #XM is raised, as the host CPU does
        commit(cpu, insn, mx);
        cpu.setMmx(insn.reg0, v);
        return true;
      }
      case CVTSI2SS: {
        long v = integerSource(cpu, insn);
        int r = SseFloatConvert.fromInt64ToSingle(mx, v);
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, withLow32(cpu, insn.reg0, r));
        return true;
      }
      case CVTSI2SD: {
        long v = integerSource(cpu, insn);
        long r = SseFloatConvert.fromInt64ToDouble(mx, v);
        commit(cpu, insn, mx);
        cpu.xmm[2 * insn.reg0] = r;
        return true;
      }
      case CVTSS2SI: case CVTTSS2SI: {
        int a = (int) scalar(cpu, insn, 4);
        long r = insn.size0 == 8 ? SseFloatConvert.toInt64(mx, a) : SseFloatConvert.toInt32(mx, a);
        commit(cpu, insn, mx);
        cpu.write(insn.reg0, insn.size0, r);
        return true;
      }
      case CVTSD2SI: case CVTTSD2SI: {
        long a = scalar(cpu, insn, 8);
        long r = insn.size0 == 8 ? SseFloatConvert.toInt64(mx, a) : SseFloatConvert.toInt32(mx, a);
        commit(cpu, insn, mx);
        cpu.write(insn.reg0, insn.size0, r);
        return true;
      }
      case CVTPS2PD: {
        long[] r = SseFloatPacked.singlesToDoubles(mx, scalar(cpu, insn, 8));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, r);
        return true;
      }
      case CVTPD2PS: {
        long lo = SseFloatPacked.doublesToSingles(mx, source(cpu, insn, 1));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, new long[] {lo, 0});
        return true;
      }
      case CVTSS2SD: {
        long r = SseFloatConvert.singleToDouble(mx, (int) scalar(cpu, insn, 4));
        commit(cpu, insn, mx);
        cpu.xmm[2 * insn.reg0] = r;
        return true;
      }
      case CVTSD2SS: {
        int r = SseFloatConvert.doubleToSingle(mx, scalar(cpu, insn, 8));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, withLow32(cpu, insn.reg0, r));
        return true;
      }
      case CVTDQ2PS: {
        long[] r = SseFloatPacked.intsToSingles(mx, source(cpu, insn, 1));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, r);
        return true;
      }
      case CVTPS2DQ: case CVTTPS2DQ: {
        long[] r = SseFloatPacked.singlesToInts(mx, source(cpu, insn, 1));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, r);
        return true;
      }
      case CVTPD2DQ: case CVTTPD2DQ: {
        long lo = SseFloatPacked.doublesToInts(mx, source(cpu, insn, 1));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, new long[] {lo, 0});
        return true;
      }
      case CVTDQ2PD: {
        long[] r = SseFloatPacked.intsToDoubles(mx, scalar(cpu, insn, 8));
        commit(cpu, insn, mx);
        setXmm(cpu, insn.reg0, r);
        return true;
      }
      default:
        return false;
    }
  }

  /** The 64-bit source of CVTPI2PS/PD: an MMX register (entering MMX mode) or memory. */
  private static long mmxOrMemory(Cpu cpu, Insn insn) {
    if (insn.kind1 == Insn.K_MMX) {
      long v = cpu.mmx(insn.reg1);
      cpu.enterMmxMode();
      return v;
    }
    return load(cpu, insn, 8);
  }

  /** CVTSI2SS/SD's source: a 32- or 64-bit register or memory, sign-extended. */
  private static long integerSource(Cpu cpu, Insn insn) {
    int size = insn.size1;
    long v = OperandAccess.read(cpu, insn, 1, size);
    return size == 8 ? v : (int) v;
  }

  // ---- operands and the exception decision ------------------------------------------------------

  /**
   * Ends the computation: MXCSR takes the raised flags; an unmasked one raises #XM before the
   * destination is written (SDM Vol. 1, 11.5.1).
   */
  private static void commit(Cpu cpu, Insn insn, Mxcsr mx) {
    cpu.mxcsr = mx.result();
    if (mx.faults()) {
      throw new CpuTrap(CpuTrap.Kind.SIMD_FLOATING_POINT, insn.address,
          "unmasked SIMD floating-point exception: " + insn.describe());
    }
  }

  private static long[] xmm(Cpu cpu, int r) {
    return new long[] {cpu.xmm[2 * r], cpu.xmm[2 * r + 1]};
  }

  private static void setXmm(Cpu cpu, int r, long[] v) {
    cpu.xmm[2 * r] = v[0];
    cpu.xmm[2 * r + 1] = v[1];
  }

  private static long[] withLow32(Cpu cpu, int r, int v) {
    return new long[] {cpu.xmm[2 * r] & ~0xffff_ffffL | v & 0xffff_ffffL, cpu.xmm[2 * r + 1]};
  }

  private static long[] withLow64(Cpu cpu, int r, long v) {
    return new long[] {v, cpu.xmm[2 * r + 1]};
  }

  /**
   * Operand {@code i} as a 128-bit value: an XMM register or a 16-byte memory operand, which
   * must be 16-byte aligned except for MOVUPS/MOVUPD.
   */
  private static long[] source(Cpu cpu, Insn insn, int i) {
    if (insn.kind(i) == Insn.K_XMM) {
      return xmm(cpu, insn.reg(i));
    }
    long addr = vectorAddress(cpu, insn);
    return new long[] {cpu.memory.read64(addr), cpu.memory.read64(addr + 8)};
  }

  private static void writeVector(Cpu cpu, Insn insn, int i, long[] v) {
    if (insn.kind(i) == Insn.K_XMM) {
      setXmm(cpu, insn.reg(i), v);
      return;
    }
    long addr = vectorAddress(cpu, insn);
    cpu.memory.write64(addr, v[0]);
    cpu.memory.write64(addr + 8, v[1]);
  }

  private static long vectorAddress(Cpu cpu, Insn insn) {
    long addr = OperandAccess.effectiveAddress(cpu, insn);
    boolean unaligned = insn.op == Op.MOVUPS || insn.op == Op.MOVUPD;
    if (!unaligned && (addr & 15) != 0) {
      throw new CpuTrap(CpuTrap.Kind.GENERAL_PROTECTION, 0,
          "misaligned 16-byte SSE operand at 0x" + Long.toHexString(addr));
    }
    return addr;
  }

  /** The low {@code size} bytes of operand 1 (register or memory; no alignment needed). */
  private static long scalar(Cpu cpu, Insn insn, int size) {
    if (insn.kind1 == Insn.K_XMM) {
      long v = cpu.xmm[2 * insn.reg1];
      return size == 4 ? v & 0xffff_ffffL : v;
    }
    return load(cpu, insn, size);
  }

  private static long load(Cpu cpu, Insn insn, int size) {
    return OperandAccess.load(cpu.memory, OperandAccess.effectiveAddress(cpu, insn), size);
  }

  private static void store(Cpu cpu, Insn insn, int size, long v) {
    OperandAccess.store(cpu.memory, OperandAccess.effectiveAddress(cpu, insn), size, v);
  }
}
