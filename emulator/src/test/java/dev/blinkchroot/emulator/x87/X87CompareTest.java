package dev.blinkchroot.emulator.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FCOM/FUCOM/FCOMI/FTST/FXAM condition codes and invalid-operand rules. */
class X87CompareTest {
  private static final int CC = X87State.C0 | X87State.C1 | X87State.C2 | X87State.C3;
  private static final F80 QNAN = F80.parse("7fff:c000000000000000");
  private static final F80 SNAN = F80.parse("7fff:8000000000000001");

  @Test
  void fcom_orderedResults_setC0ForLessC3ForEqualNoneForGreater() {
    X87State st = new X87State();
    X87Compare.fcom(st, F80.ONE, F80.NEG_ONE, false);
    assertEquals(0, st.statusWord() & CC);
    X87Compare.fcom(st, F80.NEG_ONE, F80.ONE, false);
    assertEquals(X87State.C0, st.statusWord() & CC);
    X87Compare.fcom(st, F80.POS_ZERO, F80.NEG_ZERO, false);
    assertEquals(X87State.C3, st.statusWord() & CC);
    assertEquals(0, st.statusWord() & 0x7f);
  }

  @Test
  void fcom_qnan_isUnorderedAndInvalid_fucomQnanIsQuiet() {
    X87State st = new X87State();
    X87Compare.fcom(st, F80.ONE, QNAN, false);
    assertEquals(X87Compare.UNORDERED, st.statusWord() & CC);
    assertEquals(X87State.IE, st.statusWord() & 0x7f);
    st = new X87State();
    X87Compare.fcom(st, F80.ONE, QNAN, true);
    assertEquals(X87Compare.UNORDERED, st.statusWord() & CC);
    assertEquals(0, st.statusWord() & 0x7f);
  }

  @Test
  void fucom_snan_isInvalid() {
    X87State st = new X87State();
    X87Compare.fcom(st, SNAN, F80.ONE, true);
    assertEquals(X87State.IE, st.statusWord() & 0x7f);
  }

  @Test
  void fcomi_mapsToZfPfCf() {
    X87State st = new X87State();
    assertEquals(X87Compare.EFLAGS_CF, X87Compare.fcomi(st, F80.NEG_ONE, F80.ONE, false));
    assertEquals(X87Compare.EFLAGS_ZF, X87Compare.fcomi(st, F80.ONE, F80.ONE, false));
    assertEquals(0, X87Compare.fcomi(st, F80.ONE, F80.NEG_ONE, false));
    assertEquals(X87Compare.EFLAGS_ZF | X87Compare.EFLAGS_PF | X87Compare.EFLAGS_CF,
        X87Compare.fcomi(st, QNAN, F80.ONE, true));
  }

  @Test
  void fcom_denormalOperand_raisesDe() {
    X87State st = new X87State();
    X87Compare.fcom(st, F80.parse("0000:0000000000000001"), F80.POS_ZERO, false);
    assertEquals(X87State.DE, st.statusWord() & 0x7f);
    assertEquals(0, st.statusWord() & CC); // greater
  }

  @Test
  void fxam_classesAndSignInC1() {
    X87State st = new X87State();
    X87Compare.fxam(st, F80.parse("8000:0000000000000001"), false);
    assertEquals(X87State.C3 | X87State.C2 | X87State.C1, st.statusWord() & CC);
    X87Compare.fxam(st, F80.NEG_INF, false);
    assertEquals(X87State.C2 | X87State.C0 | X87State.C1, st.statusWord() & CC);
    X87Compare.fxam(st, F80.parse("3fff:4000000000000000"), false);
    assertEquals(0, st.statusWord() & CC);
    X87Compare.fxam(st, F80.POS_ZERO, true);
    assertEquals(X87State.C3 | X87State.C0, st.statusWord() & CC);
  }
}
