package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.Flags;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The flags in generated code: the interpreter's lazy representation ({@link Flags}: operation,
 * width, operands, result, aux, materialised bits) held in seven locals, so that a flag-setting
 * instruction costs a few local stores (which HotSpot drops when nothing reads them) and the
 * state handed back to the {@code Cpu} is exactly the interpreter's.
 *
 * <p>Within straight-line code the compiler knows which operation produced the current flags;
 * a condition on them is then one comparison of the operands (CMP + JL becomes {@code dst <
 * src}). Where paths merge, or after an executor call, the operation is known only at run time
 * and a condition goes through {@link Flags#condition(int, int, int, long, long, long, long,
 * long)}.
 */
final class FlagEmitter implements Opcodes {
  private final Gen g;
  private final MethodVisitor mv;
  /** The operation of the current flags when known here (-1: only at run time). */
  private int knownOp = -1;
  private int knownWidth;

  FlagEmitter(Gen g) {
    this.g = g;
    this.mv = g.mv;
  }

  /** Paths merge here, or an executor ran: the producer is no longer known. */
  void forget() {
    knownOp = -1;
  }

  /**
   * Records a producer: op and width constants, the operand and result longs from their slots
   * (-1: 0), aux from its slot (-1: keep). Materialised bits are unchanged.
   */
  void record(int op, int width, int dstSlot, int srcSlot, int resSlot, int auxSlot) {
    g.flagsWritten = true;
    g.flagsDirty = true;
    g.iconst(op);
    mv.visitVarInsn(ISTORE, Gen.S_FOP);
    g.iconst(width);
    mv.visitVarInsn(ISTORE, Gen.S_FWIDTH);
    storeSlot(dstSlot, Gen.S_FDST);
    storeSlot(srcSlot, Gen.S_FSRC);
    storeSlot(resSlot, Gen.S_FRES);
    if (auxSlot >= 0) {
      mv.visitVarInsn(LLOAD, auxSlot);
      mv.visitVarInsn(LSTORE, Gen.S_FAUX);
    }
    knownOp = op;
    knownWidth = width;
  }

  private void storeSlot(int from, int to) {
    g.flagsRead = true; // a partial record keeps the other locals: they must hold the state
    if (from < 0) {
      mv.visitInsn(LCONST_0);
    } else {
      mv.visitVarInsn(LLOAD, from);
    }
    mv.visitVarInsn(LSTORE, to);
  }

  /**
   * Replaces the status flags by materialised bits: the long on the stack holds the new
   * materialised word (status bits included); the operation becomes OP_NONE.
   */
  void recordMaterialised() {
    g.flagsWritten = true;
    g.flagsDirty = true;
    mv.visitVarInsn(LSTORE, Gen.S_FMAT);
    g.iconst(Flags.OP_NONE);
    mv.visitVarInsn(ISTORE, Gen.S_FOP);
    knownOp = Flags.OP_NONE;
  }

  /** Pushes the seven flag locals (the arguments of the static Flags helpers). */
  void pushState() {
    g.flagsRead = true;
    mv.visitVarInsn(ILOAD, Gen.S_FOP);
    mv.visitVarInsn(ILOAD, Gen.S_FWIDTH);
    mv.visitVarInsn(LLOAD, Gen.S_FDST);
    mv.visitVarInsn(LLOAD, Gen.S_FSRC);
    mv.visitVarInsn(LLOAD, Gen.S_FRES);
    mv.visitVarInsn(LLOAD, Gen.S_FAUX);
    mv.visitVarInsn(LLOAD, Gen.S_FMAT);
  }

  /** Pushes one status flag as its RFLAGS bit (a long: 0 or the bit). */
  void pushFlag(long flag) {
    if (flag == Flags.CF && knownOp >= 0 && pushKnownCarry()) {
      return;
    }
    g.lconst(flag);
    pushState();
    mv.visitMethodInsn(INVOKESTATIC, Gen.FLAGS, "get", "(JIIJJJJJ)J", false);
  }

  /**
   * CF of the known producer, computed here (ADC, SBB, INC and DEC need the carry going in);
   * false, emitting nothing, for producers left to Flags.get.
   */
  private boolean pushKnownCarry() {
    switch (knownOp) {
      case Flags.OP_SUB -> { // dst < src, unsigned at the width
        Label set = new Label();
        Label done = new Label();
        compareUnsigned(knownWidth, IFLT, set);
        mv.visitInsn(LCONST_0);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(set);
        mv.visitInsn(LCONST_1);
        mv.visitLabel(done);
      }
      case Flags.OP_LOGIC -> mv.visitInsn(LCONST_0);
      case Flags.OP_INC, Flags.OP_DEC -> mv.visitVarInsn(LLOAD, Gen.S_FAUX);
      case Flags.OP_RESULT -> {
        mv.visitVarInsn(LLOAD, Gen.S_FAUX);
        mv.visitInsn(LCONST_1);
        mv.visitInsn(LAND);
      }
      case Flags.OP_NONE -> {
        mv.visitVarInsn(LLOAD, Gen.S_FMAT);
        mv.visitInsn(LCONST_1);
        mv.visitInsn(LAND);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Pushes the whole RFLAGS value of the current state. */
  void pushRflags() {
    pushState();
    mv.visitMethodInsn(INVOKESTATIC, Gen.FLAGS, "rflags", "(IIJJJJJ)J", false);
  }

  /** Jumps to {@code target} if condition code {@code cc} holds. */
  void jumpIf(int cc, Label target) {
    if (knownOp >= 0 && specialized(cc, target)) {
      return;
    }
    g.iconst(cc);
    pushState();
    mv.visitMethodInsn(INVOKESTATIC, Gen.FLAGS, "condition", "(IIIJJJJJ)Z", false);
    mv.visitJumpInsn(IFNE, target);
  }

  /** Pushes 1 or 0 (an int) for condition {@code cc}. */
  void pushCondition(int cc) {
    Label yes = new Label();
    Label done = new Label();
    jumpIf(cc, yes);
    mv.visitInsn(ICONST_0);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(yes);
    mv.visitInsn(ICONST_1);
    mv.visitLabel(done);
  }

  // ---------------------------------------------------------------- specialized conditions

  /**
   * Emits condition {@code cc} of the known producer as a direct comparison, if this producer
   * and condition have one; returns false (nothing emitted) otherwise.
   */
  private boolean specialized(int cc, Label target) {
    boolean negate = (cc & 1) != 0;
    int kind = cc >> 1; // 0 O, 1 B, 2 E, 3 BE, 4 S, 5 P, 6 L, 7 LE
    int w = knownWidth;
    switch (knownOp) {
      case Flags.OP_SUB:
        switch (kind) {
          case 1 -> compareUnsigned(w, negate ? IFGE : IFLT, target); // B: dst < src
          case 2 -> compareSigned(w, negate ? IFNE : IFEQ, target); // E: dst == src
          case 3 -> compareUnsigned(w, negate ? IFGT : IFLE, target); // BE: dst <= src
          case 4 -> signOfResult(w, negate ? IFGE : IFLT, target);
          case 6 -> compareSigned(w, negate ? IFGE : IFLT, target); // L: dst < src signed
          case 7 -> compareSigned(w, negate ? IFGT : IFLE, target); // LE
          default -> {
            return false;
          }
        }
        return true;
      case Flags.OP_LOGIC:
        switch (kind) {
          case 0, 1 -> { // O, B: always clear after a logical operation
            if (negate) {
              mv.visitJumpInsn(GOTO, target);
            }
          }
          case 2, 3 -> resultZero(w, negate ? IFNE : IFEQ, target); // E, BE (CF = 0)
          case 4, 6 -> signOfResult(w, negate ? IFGE : IFLT, target); // S, L (OF = 0)
          case 7 -> signOfResult(w, negate ? IFGT : IFLE, target); // LE: ZF or SF
          default -> {
            return false;
          }
        }
        return true;
      case Flags.OP_ADD: case Flags.OP_INC: case Flags.OP_DEC: case Flags.OP_RESULT:
      case Flags.OP_ADC: case Flags.OP_SBB: case Flags.OP_NEG:
        switch (kind) {
          case 2 -> resultZero(w, negate ? IFNE : IFEQ, target);
          case 4 -> signOfResult(w, negate ? IFGE : IFLT, target);
          default -> {
            return false;
          }
        }
        return true;
      case Flags.OP_NONE: // materialised bits (after UCOMISD, a rotate, an executor)
        long bit;
        switch (kind) {
          case 0 -> bit = Flags.OF;
          case 1 -> bit = Flags.CF;
          case 2 -> bit = Flags.ZF;
          case 3 -> bit = Flags.CF | Flags.ZF;
          case 4 -> bit = Flags.SF;
          case 5 -> bit = Flags.PF;
          default -> {
            return false;
          }
        }
        g.flagsRead = true;
        mv.visitVarInsn(LLOAD, Gen.S_FMAT);
        g.lconst(bit);
        mv.visitInsn(LAND);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(negate ? IFEQ : IFNE, target);
        return true;
      default:
        return false;
    }
  }

  /** Pushes a value of {@code slot} reduced to {@code width} bits, signed, for comparison. */
  private void pushSigned(int slot, int width) {
    mv.visitVarInsn(LLOAD, slot);
    if (width < 64) {
      g.iconst(64 - width);
      mv.visitInsn(LSHL);
      g.iconst(64 - width);
      mv.visitInsn(LSHR);
    }
  }

  /** dst vs src as signed width-bit values, then {@code jump} on the comparison. */
  private void compareSigned(int width, int jump, Label target) {
    pushSigned(Gen.S_FDST, width);
    pushSigned(Gen.S_FSRC, width);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(jump, target);
  }

  /**
   * dst vs src as unsigned width-bit values. Below 64 bits the operands are zero-extended
   * already (they were read at the operand size), so a signed long comparison is exact.
   */
  private void compareUnsigned(int width, int jump, Label target) {
    if (width == 64) {
      mv.visitVarInsn(LLOAD, Gen.S_FDST);
      mv.visitVarInsn(LLOAD, Gen.S_FSRC);
      mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
      mv.visitJumpInsn(jump, target);
      return;
    }
    mv.visitVarInsn(LLOAD, Gen.S_FDST);
    g.lconst(Flags.mask(width));
    mv.visitInsn(LAND);
    mv.visitVarInsn(LLOAD, Gen.S_FSRC);
    g.lconst(Flags.mask(width));
    mv.visitInsn(LAND);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(jump, target);
  }

  /** The result as a signed width-bit value compared with 0. */
  private void signOfResult(int width, int jump, Label target) {
    pushSigned(Gen.S_FRES, width);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(jump, target);
  }

  private void resultZero(int width, int jump, Label target) {
    mv.visitVarInsn(LLOAD, Gen.S_FRES);
    if (width < 64) {
      g.lconst(Flags.mask(width));
      mv.visitInsn(LAND);
    }
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(jump, target);
  }
}
