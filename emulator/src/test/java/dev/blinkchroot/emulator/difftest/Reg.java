package dev.blinkchroot.emulator.difftest;

/** The 16 general-purpose registers in encoding order (ModRM/REX register number = ordinal). */
public enum Reg {
  RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;

  private static final Reg[] VALUES = values();

  /** The register with encoding number {@code n} (0..15). */
  public static Reg of(int n) {
    return VALUES[n];
  }
}
