package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison machinery, with the host itself or a deliberately wrong CPU as "emulator". */
class DifferentialTest {
  private final NativeCpu host = NativeCpu.get();

  /** The host, with CF flipped in every completed result. */
  private EmulatedCpu carryFlipper() {
    EmulatedCpu h = host.asEmulatedCpu();
    return (code, initial) -> {
      Outcome o = h.run(code, initial);
      if (o.completed()) {
        o.state().setRflags(o.state().rflags() ^ RFlags.CF);
      }
      return o;
    };
  }

  @Test
  void hostAgainstItself_agreesOnRandomCases() {
    Differential.of(host, host.asEmulatedCpu()).check("add rax, rbx; adc rcx, [rsi]",
        Undefined.NONE, RandomStates.forForm("add+adc").pointers(Reg.RSI));
  }

  @Test
  void wrongCarry_failsWithReadableReport() {
    AssertionError e = assertThrows(AssertionError.class, () ->
        Differential.of(host, carryFlipper()).check("sub rax, rbx", Undefined.NONE,
            RandomStates.forForm("sub r64, r64")));
    String m = e.getMessage();
    for (String part : new String[] {"cases differ", "difftest mismatch in `sub rax, rbx`",
        "sub rax,rbx", "48 29 d8", "differ in CF", "initial state:", "host final state:",
        "emulator final state:", "-Ddifftest.seed=", "form 'sub r64, r64'"}) {
      assertTrue(m.contains(part), "missing `" + part + "` in\n" + m);
    }
  }

  @Test
  void wrongCarry_passesWhenCarryIsUndefined() {
    Differential.of(host, carryFlipper()).check("sub rax, rbx", Undefined.flags(RFlags.CF),
        RandomStates.forForm("sub r64, r64"));
  }

  @Test
  void faultOnOneSideOnly_isReportedAsOutcomeMismatch() {
    EmulatedCpu neverFaults = (code, initial) -> Outcome.completed(initial.copy(), code.length);
    List<Differential.Mismatch> m = Differential.of(host, neverFaults).run(
        List.of(Case.of("ud2", MachineState.initial())), Undefined.NONE, null);
    assertEquals(1, m.size());
    assertTrue(m.get(0).differences().get(0).startsWith("outcome: host=SIGILL"),
        m.get(0).report());
  }

  @Test
  void signalDetails_areCompared() {
    EmulatedCpu wrongAddr = (code, initial) -> Outcome.signal(Outcome.SIGILL, 2,
        MachineState.CODE_BASE + 1, MachineState.CODE_BASE, initial.copy());
    List<Differential.Mismatch> m = Differential.of(host, wrongAddr).run(
        List.of(Case.of("ud2", MachineState.initial())), Undefined.NONE, null);
    assertEquals(List.of("si_addr: host=0x20000000 emulator=0x20000001"),
        m.get(0).differences());
  }

  @Test
  void emulatorException_becomesAMismatch() {
    EmulatedCpu unimplemented = (code, initial) -> {
      throw new UnsupportedOperationException("opcode 0f 0b");
    };
    AssertionError e = assertThrows(AssertionError.class, () ->
        Differential.of(host, unimplemented).check("ud2", Undefined.NONE,
            List.of(MachineState.initial())));
    assertTrue(e.getMessage().contains("opcode 0f 0b"), e.getMessage());
  }

  @Test
  void compare_timeoutsOnBothSides_agree() {
    Outcome t = Outcome.timeout(MachineState.CODE_BASE, MachineState.initial());
    assertEquals(List.of(), Differential.compare(t, t, Undefined.NONE));
  }
}
