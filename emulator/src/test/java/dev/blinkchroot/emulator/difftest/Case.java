package dev.blinkchroot.emulator.difftest;

import java.util.ArrayList;
import java.util.List;

/**
 * One snippet and the state it starts from. {@code text} is the assembly it came from (null for
 * raw bytes); it only labels reports.
 */
public record Case(String text, byte[] code, MachineState initial) {
  public Case {
    if (code.length > MachineState.CODE_SIZE - 14) {
      throw new IllegalArgumentException("snippet of " + code.length + " bytes is too long");
    }
  }

  /** Assembles {@code asm} (Intel syntax, cached) and pairs it with {@code initial}. */
  public static Case of(String asm, MachineState initial) {
    return new Case(asm, Assembler.assemble(asm), initial);
  }

  /** Raw machine code. */
  public static Case ofBytes(byte[] code, MachineState initial) {
    return new Case(null, code.clone(), initial);
  }

  /** One case per initial state, all with the same snippet. */
  public static List<Case> each(String asm, List<MachineState> initials) {
    byte[] code = Assembler.assemble(asm);
    List<Case> cases = new ArrayList<>(initials.size());
    for (MachineState s : initials) {
      cases.add(new Case(asm, code, s));
    }
    return cases;
  }

  /** The assembly text, or the bytes in hex. */
  public String label() {
    return text != null ? text : "bytes " + MachineState.hexBytes(code, 0, code.length);
  }
}
