package dev.blinkchroot.emulator.jit;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A method visitor that writes nothing and adds up how many bytes of bytecode the visited
 * instructions take (an upper bound: local slots above 255 are counted as WIDE). The compiler's
 * first pass runs through it, so a region too big for one method is cut down before the real
 * class is built.
 */
final class SizeEstimate extends MethodVisitor {
  private int bytes;

  SizeEstimate() {
    super(Opcodes.ASM9);
  }

  int bytes() {
    return bytes;
  }

  @Override
  public void visitInsn(int opcode) {
    bytes += 1;
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    bytes += opcode == Opcodes.SIPUSH ? 3 : 2;
  }

  @Override
  public void visitVarInsn(int opcode, int slot) {
    bytes += slot <= 3 ? 1 : slot <= 255 ? 2 : 4;
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    bytes += 3;
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    bytes += 3;
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
      boolean isInterface) {
    bytes += opcode == Opcodes.INVOKEINTERFACE ? 5 : 3;
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm,
      Object... bsmArgs) {
    bytes += 5;
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    bytes += 3;
  }

  @Override
  public void visitLdcInsn(Object value) {
    bytes += 3;
  }

  @Override
  public void visitIincInsn(int slot, int increment) {
    bytes += slot <= 255 && increment >= -128 && increment <= 127 ? 3 : 6;
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    bytes += 16 + 4 * labels.length;
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    bytes += 12 + 8 * keys.length;
  }
}
