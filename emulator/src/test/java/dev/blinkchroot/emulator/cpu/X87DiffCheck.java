package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Decoder;
import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.difftest.Case;
import dev.blinkchroot.emulator.difftest.Differential;
import dev.blinkchroot.emulator.difftest.EmulatedCpu;
import dev.blinkchroot.emulator.difftest.MachineState;
import dev.blinkchroot.emulator.difftest.NativeCpu;
import dev.blinkchroot.emulator.difftest.Outcome;
import dev.blinkchroot.emulator.difftest.RandomStates;
import dev.blinkchroot.emulator.difftest.Reg;
import dev.blinkchroot.emulator.difftest.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one x87 form on the host and in the interpreter and compares them like
 * {@link Differential}, with two refinements the generic {@link Undefined} mask cannot express:
 *
 * <ul>
 *   <li>FSW bits left out per form: only the condition codes the SDM calls undefined for the
 *       instruction (C0/C2/C3 after arithmetic and loads, C1 after transcendentals);
 *   <li>a tolerance in ulps for ST(i) values, used only for the transcendental forms (the
 *       host's approximations are not correctly rounded; the library's are).
 * </ul>
 *
 * Everything else (GPRs, RFLAGS, MXCSR, XMM, FCW, FTW, the other FSW bits, ST values, memory,
 * faults) is compared exactly. Memory bytes that hold FIP/FOP/FDP in a saved image (the
 * harness does not model them: the host's values depend on its own error-pointer policy) and
 * MXCSR_MASK (the host reports its AMD bit 17) are left out where a form says so; those images
 * are written at a fixed address, DATA_BASE, so the masks are exact.
 *
 * <p>The SIGFPE si_code: {@link CpuTrap.Kind#X87_FLOATING_POINT} carries none, the kernel layer
 * computes it from FSW and FCW; the adapter here does the same (Linux {@code
 * fpu__exception_code}) so the comparison covers it.
 */
final class X87DiffCheck {
  private static final EmulatedCpu EMULATOR = new WithSigfpeCode(new InterpreterCpu());
  private static final AtomicLong FORMS = new AtomicLong();
  private static final AtomicLong CASES = new AtomicLong();

  private X87DiffCheck() {}

  static String summary() {
    return String.format("x87 differential: %d forms, %d cases compared with the host",
        FORMS.get(), CASES.get());
  }

  static Form form(String asm) {
    return new Form(asm, 0, 2, -1, 0, 0, s -> { }, false, false);
  }

  /** One instruction form and how to generate and compare its cases. */
  record Form(String asm, int depthMin, int depthMax, int pointerAlign, int fswUndefined,
      int ulps, Consumer<MachineState> prepare, boolean envMask, boolean fxMask) {

    Form depth(int min, int max) {
      return new Form(asm, min, max, pointerAlign, fswUndefined, ulps, prepare, envMask, fxMask);
    }

    /** RDI into the data region at multiples of {@code align}; 0: exactly DATA_BASE. */
    Form pointer(int align) {
      return new Form(asm, depthMin, depthMax, align, fswUndefined, ulps, prepare, envMask,
          fxMask);
    }

    Form fsw(int undefined) {
      return new Form(asm, depthMin, depthMax, pointerAlign, undefined, ulps, prepare, envMask,
          fxMask);
    }

    Form ulps(int n) {
      return new Form(asm, depthMin, depthMax, pointerAlign, fswUndefined, n, prepare, envMask,
          fxMask);
    }

    Form prepare(Consumer<MachineState> p) {
      return new Form(asm, depthMin, depthMax, pointerAlign, fswUndefined, ulps, p, envMask,
          fxMask);
    }

    /** FNSTENV/FNSAVE image at DATA_BASE: its FIP, FCS/FOP, FDP, FDS fields are left out. */
    Form fixedImageMask() {
      return new Form(asm, depthMin, depthMax, pointerAlign, fswUndefined, ulps, prepare, true,
          fxMask);
    }

    /** FXSAVE/XSAVE image at DATA_BASE: FOP, FIP, FDP and MXCSR_MASK are left out. */
    Form fxImageMask() {
      return new Form(asm, depthMin, depthMax, pointerAlign, fswUndefined, ulps, prepare, envMask,
          true);
    }

    String disassembly() {
      return Decoder.decode(Assembler.assemble(asm), MachineState.CODE_BASE).toString();
    }

    Undefined undefined() {
      Undefined u = Undefined.NONE;
      long base = MachineState.DATA_BASE;
      if (envMask) {
        u = asm.contains("data16") ? u.andMemory(base + 6, 8) : u.andMemory(base + 12, 16);
      }
      if (fxMask) {
        u = u.andMemory(base + 6, 18).andMemory(base + 28, 4);
      }
      return u;
    }

    /** Runs the form's cases on both sides; fails with a report on any difference. */
    void check() {
      RandomStates rs = RandomStates.forForm(asm).x87Depth(depthMin, depthMax);
      if (pointerAlign == 0) {
        rs = rs.pointers(64, 64, Reg.RDI); // one slot: RDI = DATA_BASE
      } else if (pointerAlign > 0) {
        rs = rs.pointers(pointerAlign, 2048, Reg.RDI);
      }
      List<MachineState> states = rs.batch();
      for (MachineState s : states) {
        prepare.accept(s);
      }
      List<Case> cases = Case.each(asm, states);
      List<Outcome> host = NativeCpu.get().run(cases);
      Undefined u = undefined();
      List<String> reports = new ArrayList<>();
      int failed = 0;
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        Outcome h = host.get(i);
        Outcome e = EMULATOR.run(c.code().clone(), c.initial().copy());
        List<String> d = new ArrayList<>(Differential.compare(h, e, u.andX87()));
        if (h.kind() == e.kind() && h.state() != null && e.state() != null) {
          d.addAll(x87Differences(h.state(), e.state()));
        }
        if (!d.isEmpty()) {
          failed++;
          if (reports.size() < 3) {
            reports.add(new Differential.Mismatch(c, i, cases.size(), h, e, null, u, d,
                rs.describe() + String.format(", FSW bits left out %#06x, ulps %d",
                    fswUndefined, ulps)).report());
          }
        }
      }
      FORMS.incrementAndGet();
      CASES.addAndGet(cases.size());
      if (failed > 0) {
        throw new AssertionError(failed + " of " + cases.size() + " cases differ\n\n"
            + String.join("\n", reports));
      }
    }

    private List<String> x87Differences(MachineState h, MachineState e) {
      List<String> d = new ArrayList<>();
      if (h.fcw() != e.fcw()) {
        d.add(String.format("FCW: host=%#06x emulator=%#06x", h.fcw(), e.fcw()));
      }
      if (((h.fsw() ^ e.fsw()) & ~fswUndefined) != 0) {
        d.add(String.format("FSW: host=%#06x emulator=%#06x (compared bits %#06x)", h.fsw(),
            e.fsw(), ~fswUndefined & 0xffff));
      }
      if (h.ftw() != e.ftw()) {
        d.add(String.format("FTW: host=%#04x emulator=%#04x", h.ftw(), e.ftw()));
      }
      for (int i = 0; i < 8; i++) {
        int hs = h.stSignExp(i);
        long hm = h.stMantissa(i);
        int es = e.stSignExp(i);
        long em = e.stMantissa(i);
        if ((hs != es || hm != em) && !withinUlps(hs, hm, es, em, ulps)) {
          d.add(String.format("ST%d: host=%04x:%016x emulator=%04x:%016x%s", i, hs, hm, es, em,
              ulps > 0 ? " (more than " + ulps + " ulp apart)" : ""));
        }
      }
      return d;
    }
  }

  /**
   * Whether two finite values of the same sign are at most {@code ulps} representable
   * extended values apart (consecutive normals have consecutive ordinals across exponents).
   */
  static boolean withinUlps(int s1, long m1, int s2, long m2, int ulps) {
    if (ulps == 0 || (s1 & 0x8000) != (s2 & 0x8000) || (s1 & 0x7fff) == 0x7fff
        || (s2 & 0x7fff) == 0x7fff) {
      return false;
    }
    BigInteger d = ordinal(s1, m1).subtract(ordinal(s2, m2)).abs();
    return d.compareTo(BigInteger.valueOf(ulps)) <= 0;
  }

  private static BigInteger ordinal(int signExp, long mantissa) {
    int e = signExp & 0x7fff;
    BigInteger m = new BigInteger(Long.toUnsignedString(mantissa));
    if (e == 0) {
      return m;
    }
    return BigInteger.valueOf(e).shiftLeft(63).add(m.clearBit(63));
  }

  // ---- state preparations --------------------------------------------------------------------

  /** F2XM1 is defined for -1 <= x <= 1: finite ST(0) values are scaled into that range. */
  static void st0InUnitRange(MachineState s) {
    limitSt0(s, 0x3ffe); // |x| < 1
  }

  /** FYL2XP1 is defined for |x| < 1 - sqrt(2)/2 (about 0.29). */
  static void st0InLog1pRange(MachineState s) {
    limitSt0(s, 0x3ffc); // |x| < 0.25
  }

  private static void limitSt0(MachineState s, int maxExp) {
    int se = s.stSignExp(0);
    int e = se & 0x7fff;
    if (e != 0x7fff && e > maxExp) {
      s.setSt(0, se & 0x8000 | maxExp - (e % 40), s.stMantissa(0));
    }
  }

  static void zeroXmm(MachineState s) {
    for (int i = 0; i < 16; i++) {
      s.setXmm(i, 0, 0);
    }
  }

  static void zeroX87(MachineState s) {
    for (int i = 0; i < 8; i++) {
      s.setSt(i, 0, 0);
    }
  }

  /**
   * Unmasks a random subset of IE, DE, ZE and PE (derived from the state's RAX). OE and UE stay
   * masked: with them unmasked the hardware delivers results with a biased exponent (and
   * signals exact tiny results), which the x87 library does not model (a known gap).
   */
  static void unmaskSome(MachineState s) {
    int unmask = (int) (s.get(Reg.RAX) >>> 7) & 0x27;
    s.setFcw(s.fcw() & ~unmask);
  }

  /** Unmasks a random subset of all six: for stores to memory, which deliver no value. */
  static void unmaskAny(MachineState s) {
    int unmask = (int) (s.get(Reg.RAX) >>> 7) & 0x3f;
    s.setFcw(s.fcw() & ~unmask);
  }

  /** An unmasked exception already pending: a flag set in FSW that FCW does not mask. */
  static void pendingException(MachineState s) {
    int flag = 1 << (int) Long.remainderUnsigned(s.get(Reg.RAX), 6);
    s.setFcw(s.fcw() & ~flag);
    s.setFsw(s.fsw() | flag | 0x80); // ES as the hardware keeps it
  }

  /** Fills in the SIGFPE si_code from FSW and FCW at the fault, as Linux does for #MF. */
  private static final class WithSigfpeCode implements EmulatedCpu {
    private final EmulatedCpu inner;

    WithSigfpeCode(EmulatedCpu inner) {
      this.inner = inner;
    }

    @Override
    public Outcome run(byte[] code, MachineState initial) {
      Outcome o = inner.run(code, initial);
      if (!o.faulted() || o.signal() != Outcome.SIGFPE || o.siCode() != 0) {
        return o;
      }
      MachineState s = o.state();
      int err = s.fsw() & ~s.fcw();
      int code1 = (err & 1) != 0 ? 7 : (err & 4) != 0 ? 3 : (err & 8) != 0 ? 4
          : (err & 0x12) != 0 ? 5 : (err & 0x20) != 0 ? 6 : 0;
      return Outcome.signal(o.signal(), code1, o.siAddr(), o.rip(), s);
    }
  }
}
