package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.decode.Insn;

/** Placeholder: this instruction family is being written. */
final class SseFloatExec {
  private SseFloatExec() {}

  static boolean execute(Cpu cpu, Insn insn) {
    return false;
  }
}
