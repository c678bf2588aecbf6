package dev.blinkchroot.emulator.x87;

/**
 * What the oracle's instruction sequences do, written with the library: a fresh state (FNINIT,
 * FLDCW), the operands loaded as ST(0) = A and ST(1) = B, the instruction, then ST(0) and ST(1)
 * (or the stored memory image) read back. The pops and pushes here are the ones the interpreter
 * will do around the library calls.
 */
final class X87Model {
  private X87Model() {}

  static HostX87.Result run(HostX87.Case c) {
    X87State st = new X87State();
    st.setControlWord(c.cw());
    F80 a = c.a();
    F80 b = c.b();
    F80 r0 = a;
    F80 r1 = b;
    int eflags = 0;
    byte[] mem = new byte[10];
    switch (c.op()) {
      case "add": r0 = X87Arith.add(st, a, b); break;
      case "sub": r0 = X87Arith.sub(st, a, b); break;
      case "mul": r0 = X87Arith.mul(st, a, b); break;
      case "div": r0 = X87Arith.div(st, a, b); break;
      case "sqrt": r0 = X87Arith.sqrt(st, a); break;
      case "fprem": r0 = X87Arith.fprem(st, a, b, false); break;
      case "fprem1": r0 = X87Arith.fprem(st, a, b, true); break;
      case "fscale": r0 = X87Arith.fscale(st, a, b); break;
      case "frndint": r0 = X87Arith.frndint(st, a); break;
      case "fxtract": {
        F80[] r = X87Arith.fxtract(st, a);
        r1 = r[0];
        r0 = r[1];
        break;
      }
      case "fcom": X87Compare.fcom(st, a, b, false); break;
      case "fucom": X87Compare.fcom(st, a, b, true); break;
      case "ftst": X87Compare.ftst(st, a); break;
      case "fxam": X87Compare.fxam(st, a, false); break;
      case "fcomi": eflags = flags(X87Compare.fcomi(st, a, b, false)); break;
      case "fucomi": eflags = flags(X87Compare.fcomi(st, a, b, true)); break;
      case "fsin": r0 = orSame(X87Transcendental.fsin(st, a), a); break;
      case "fcos": r0 = orSame(X87Transcendental.fcos(st, a), a); break;
      case "fsincos": {
        F80[] r = X87Transcendental.fsincos(st, a);
        if (r != null) {
          r0 = r[1];
          r1 = r[0];
        }
        break;
      }
      case "fptan": {
        F80 t = X87Transcendental.fptan(st, a);
        if (t != null) {
          r0 = t.isNaN() ? t : F80.ONE;
          r1 = t;
        }
        break;
      }
      case "fpatan": r0 = X87Transcendental.fpatan(st, b, a); r1 = null; break;
      case "f2xm1": r0 = X87Transcendental.f2xm1(st, a); break;
      case "fyl2x": r0 = X87Transcendental.fyl2x(st, b, a); r1 = null; break;
      case "fyl2xp1": r0 = X87Transcendental.fyl2xp1(st, b, a); r1 = null; break;
      case "fst32": r0 = mem(X87Convert.toFloat32(st, a) & 0xffffffffL); r1 = null; break;
      case "fst64": r0 = mem(X87Convert.toFloat64(st, a)); r1 = null; break;
      case "fist16": r0 = mem(X87Convert.toInt(st, a, 16, false) & 0xffff); r1 = null; break;
      case "fist32": r0 = mem(X87Convert.toInt(st, a, 32, false) & 0xffffffffL); r1 = null; break;
      case "fist64": r0 = mem(X87Convert.toInt(st, a, 64, false)); r1 = null; break;
      case "fisttp16": r0 = mem(X87Convert.toInt(st, a, 16, true) & 0xffff); r1 = null; break;
      case "fisttp32":
        r0 = mem(X87Convert.toInt(st, a, 32, true) & 0xffffffffL);
        r1 = null;
        break;
      case "fisttp64": r0 = mem(X87Convert.toInt(st, a, 64, true)); r1 = null; break;
      case "fbstp":
        X87Convert.toBcd(st, a, mem, 0);
        r0 = F80.fromBytes(mem, 0);
        r1 = null;
        break;
      case "fld32": r0 = X87Convert.fromFloat32(st, (int) a.significand()); r1 = null; break;
      case "fld64": r0 = X87Convert.fromFloat64(st, a.significand()); r1 = null; break;
      case "fild16": r0 = X87Convert.fromInt64((short) a.significand()); r1 = null; break;
      case "fild32": r0 = X87Convert.fromInt64((int) a.significand()); r1 = null; break;
      case "fild64": r0 = X87Convert.fromInt64(a.significand()); r1 = null; break;
      case "fbld":
        a.toBytes(mem, 0);
        r0 = X87Convert.fromBcd(mem, 0);
        r1 = null;
        break;
      default:
        throw new IllegalArgumentException(c.op());
    }
    return new HostX87.Result(r0, r1, st.statusWord(), eflags);
  }

  private static F80 orSame(F80 r, F80 a) {
    return r == null ? a : r;
  }

  /** A memory store as the oracle prints it: the stored bytes as sig, se = 0. */
  private static F80 mem(long bits) {
    return F80.of(0, bits);
  }

  /** The oracle's ZF<<2|PF<<1|CF form of EFLAGS bits. */
  private static int flags(int eflags) {
    return ((eflags & X87Compare.EFLAGS_ZF) != 0 ? 4 : 0)
        | ((eflags & X87Compare.EFLAGS_PF) != 0 ? 2 : 0)
        | ((eflags & X87Compare.EFLAGS_CF) != 0 ? 1 : 0);
  }
}
