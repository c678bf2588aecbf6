package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The register stack, tags, status/control words and the FNSTENV/FNSAVE/FXSAVE images. */
class X87StateTest {

  @Test
  void finit_setsDefaultControlWordEmptyTagsAndTopZero() {
    X87State st = new X87State();
    st.setControlWord(0);
    st.push(F80.ONE);
    st.finit();
    assertEquals(0x037f, st.controlWord());
    assertEquals(0, st.statusWord());
    assertEquals(0xffff, st.tagWord());
    assertEquals(0, st.abridgedTagWord());
    assertEquals(0, st.top());
  }

  @Test
  void setControlWord_reservedBit6ReadsAsOne() {
    X87State st = new X87State();
    st.setControlWord(0);
    assertEquals(0x0040, st.controlWord());
  }

  @Test
  void push_decrementsTopAndTagsByContents() {
    X87State st = new X87State();
    st.push(F80.ONE);
    st.push(F80.POS_ZERO);
    st.push(F80.POS_INF);
    st.push(F80.of(0, 1)); // denormal
    assertEquals(4, st.top());
    assertEquals(F80.of(0, 1), st.st(0));
    assertEquals(F80.ONE, st.st(3));
    // R7 = 1.0 valid, R6 = zero, R5 = inf special, R4 = denormal special, R0..R3 empty.
    assertEquals(0b00_01_10_10_11_11_11_11, st.tagWord());
    assertEquals(0xf0, st.abridgedTagWord());
  }

  @Test
  void push_ontoFullStack_isOverflowWithIeSfC1AndIndefinite() {
    X87State st = new X87State();
    for (int i = 0; i < 8; i++) {
      assertTrue(st.push(F80.ONE));
    }
    assertFalse(st.push(F80.POS_ZERO));
    int sw = st.statusWord();
    assertEquals(X87State.IE | X87State.SF | X87State.C1, sw & (X87State.IE | X87State.SF
        | X87State.C1));
    assertEquals(F80.INDEFINITE, st.st(0));
    assertEquals(0, st.unmaskedPending());
  }

  @Test
  void push_ontoFullStackWithIeUnmasked_changesNothingAndReportsFault() {
    X87State st = new X87State();
    st.setControlWord(0x037e);
    for (int i = 0; i < 8; i++) {
      st.push(F80.ONE);
    }
    int top = st.top();
    assertFalse(st.push(F80.POS_ZERO));
    assertEquals(top, st.top());
    assertEquals(F80.ONE, st.st(0));
    assertEquals(X87State.IE, st.unmaskedPending());
    assertEquals(X87State.ES | X87State.B, st.statusWord() & (X87State.ES | X87State.B));
    st.fclex();
    assertEquals(0, st.unmaskedPending());
    assertEquals(0, st.statusWord() & (X87State.ES | X87State.B));
  }

  @Test
  void readOrUnderflow_emptyRegister_isUnderflowWithIeSfC1Clear() {
    X87State st = new X87State();
    st.setStatusWord(X87State.C1);
    assertEquals(F80.INDEFINITE, st.readOrUnderflow(0));
    assertEquals(X87State.IE | X87State.SF, st.statusWord() & 0x2ff);
  }

  @Test
  void pop_marksEmptyAndIncrementsTop() {
    X87State st = new X87State();
    st.push(F80.ONE);
    st.push(F80.ONE);
    st.pop();
    assertEquals(7, st.top());
    assertTrue(st.isEmpty(1));
    assertFalse(st.isEmpty(0));
  }

  @Test
  void setControlWord_unmaskingAPendingFlag_setsEsAndB() {
    X87State st = new X87State();
    st.raise(X87State.PE);
    assertEquals(0, st.statusWord() & X87State.ES);
    st.setControlWord(0x035f); // unmask PE
    assertEquals(X87State.ES | X87State.B, st.statusWord() & (X87State.ES | X87State.B));
  }

  @Test
  void tagWord_unsupportedAndNanAreSpecial_zeroIsZero() {
    X87State st = new X87State();
    st.push(F80.parse("3fff:4000000000000000")); // unnormal
    st.push(F80.INDEFINITE);
    st.push(F80.NEG_ZERO);
    assertEquals(0b10_10_01_11_11_11_11_11, st.tagWord());
  }

  @Test
  void fldenv_recomputesNonEmptyTagsFromContents() {
    X87State st = new X87State();
    st.push(F80.ONE);
    st.push(F80.POS_ZERO);
    byte[] env = st.encodeEnv();
    env[8] = 0; // claim every register valid
    env[9] = 0;
    st.decodeEnv(env, 0);
    // R7 = 1.0 valid, R6 = zero; R0..R5 hold +0 (from FNINIT), so they are tagged zero.
    assertEquals(0b00_01_01_01_01_01_01_01, st.tagWord());
  }

  /** The state that x87_env.c builds on the host, built with the library. */
  private static X87State hostSequence() {
    X87State st = new X87State();
    st.setControlWord(0x0a7f);
    st.push(F80.ONE);
    st.push(F80.POS_ZERO);
    st.push(F80.of(0, 1));
    st.push(F80.NEG_INF);
    st.push(F80.parse("7fff:8000000000000001"));
    st.push(F80.parse("3fff:4000000000000000"));
    st.push(F80.ONE);
    st.push(F80.POS_ZERO);
    F80 q = X87Arith.div(st, st.st(1), st.st(0)); // FDIVRP as gas assembles it: 1/0 = +inf
    st.setSt(1, q);
    st.pop();
    X87Compare.fcom(st, st.st(0), st.st(3), false);
    return st;
  }

  private static Map<String, byte[]> hostImages() {
    Map<String, byte[]> m = new HashMap<>();
    for (String line : HostX87.runProgram("x87_env").split("\n")) {
      String[] f = line.trim().split(" ");
      byte[] b = new byte[f.length - 1];
      for (int i = 1; i < f.length; i++) {
        b[i - 1] = (byte) Integer.parseInt(f[i], 16);
      }
      m.put(f[0], b);
    }
    return m;
  }

  /** Zeroes the instruction/data pointer fields, which differ between host and library. */
  private static byte[] withoutPointers(byte[] env, int off) {
    byte[] b = env.clone();
    for (int i = 12; i < 24; i++) {
      b[off + i] = 0;
    }
    b[off + 24] = 0;
    b[off + 25] = 0;
    return b;
  }

  @Test
  void encodeEnv_matchesHostFnstenvExceptPointers() {
    byte[] host = hostImages().get("env");
    byte[] mine = hostSequence().encodeEnv();
    assertArrayEquals(withoutPointers(host, 0), withoutPointers(mine, 0));
  }

  @Test
  void encodeSave_matchesHostFnsaveExceptPointers() {
    byte[] host = hostImages().get("save");
    byte[] mine = hostSequence().encodeSave();
    assertArrayEquals(withoutPointers(host, 0), withoutPointers(mine, 0));
  }

  @Test
  void encodeFxsave_matchesHostX87PartExceptPointers() {
    byte[] host = hostImages().get("fxsave");
    byte[] mine = new byte[512];
    hostSequence().encodeFxsave(mine, 0);
    for (int i = 0; i < 160; i++) {
      if (i >= 6 && i < 32) {
        continue; // FOP, FIP, FDP (and MXCSR, which is not x87 state)
      }
      assertEquals(host[i], mine[i], "FXSAVE byte " + i);
    }
  }

  @Test
  void decodeSave_thenEncode_reproducesHostImageExactly() {
    byte[] host = hostImages().get("save");
    X87State st = new X87State();
    st.decodeSave(host, 0);
    assertArrayEquals(host, st.encodeSave());
    assertEquals(1, st.top());
    assertEquals(F80.POS_INF, st.st(0));
  }

  @Test
  void decodeFxsave_thenEncode_reproducesX87Part() {
    byte[] area = new byte[512];
    hostSequence().encodeFxsave(area, 0);
    area[8] = 0x34; // FIP
    area[16] = 0x56; // FDP
    area[6] = 0x12; // FOP
    X87State st = new X87State();
    st.decodeFxsave(area, 0);
    byte[] again = new byte[512];
    st.encodeFxsave(again, 0);
    assertArrayEquals(area, again);
    assertEquals(hostSequence().tagWord(), st.tagWord());
  }
}
