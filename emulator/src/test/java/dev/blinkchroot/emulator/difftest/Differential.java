package dev.blinkchroot.emulator.difftest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs cases on the host ({@link NativeCpu}) and on an {@link EmulatedCpu} and compares the
 * outcomes field by field, leaving out what an {@link Undefined} mask says.
 *
 * <pre>
 *   Differential.of(myCpu).check("add rax, rbx", Undefined.NONE,
 *       RandomStates.forForm("add r64, r64"));
 *   Differential.of(myCpu).check("imul rax, rbx",
 *       Undefined.flags(RFlags.SF | RFlags.ZF | RFlags.AF | RFlags.PF), states);
 * </pre>
 *
 * A failed check throws an {@link AssertionError} whose message has, for the first few
 * mismatching cases, the instruction text and its disassembly, the seed, the initial state,
 * both final states and the differing fields.
 */
public final class Differential {
  private final NativeCpu host;
  private final EmulatedCpu emulator;
  private int maxReports = 3;

  private Differential(NativeCpu host, EmulatedCpu emulator) {
    this.host = host;
    this.emulator = emulator;
  }

  /** Compares {@code emulator} with the host CPU. */
  public static Differential of(EmulatedCpu emulator) {
    return new Differential(NativeCpu.get(), emulator);
  }

  public static Differential of(NativeCpu host, EmulatedCpu emulator) {
    return new Differential(host, emulator);
  }

  /** How many mismatches a failure message spells out in full (default 3). */
  public Differential maxReports(int n) {
    this.maxReports = n;
    return this;
  }

  /** One case on which the two sides disagree. */
  public record Mismatch(Case c, int index, int count, Outcome host, Outcome emulator,
      Throwable emulatorError, Undefined undefined, List<String> differences, String context) {

    /** The full readable report. */
    public String report() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("difftest mismatch in `%s`, case %d of %d%s%n",
          c.label().replace("\n", "; "), index + 1, count,
          context == null ? "" : " (" + context + ")"));
      sb.append("code:\n").append(Assembler.disassemble(c.code())).append('\n');
      sb.append("undefined: ").append(undefined).append('\n');
      sb.append("host:     ").append(host.summary()).append('\n');
      sb.append("emulator: ").append(emulator != null ? emulator.summary()
          : "threw " + emulatorError).append('\n');
      sb.append("differences:\n");
      for (String d : differences) {
        sb.append("  ").append(d).append('\n');
      }
      sb.append("initial state:\n").append(indent(c.initial().toString()));
      if (host.state() != null) {
        sb.append("host final state:\n").append(indent(host.state().toString()));
      }
      if (emulator != null && emulator.state() != null) {
        sb.append("emulator final state:\n").append(indent(emulator.state().toString()));
      }
      if (emulatorError != null) {
        StringWriter w = new StringWriter();
        emulatorError.printStackTrace(new PrintWriter(w));
        sb.append("emulator exception:\n").append(indent(w.toString()));
      }
      return sb.toString();
    }

    private static String indent(String s) {
      return "  " + s.stripTrailing().replace("\n", "\n  ") + "\n";
    }
  }

  /**
   * The differences between two outcomes, one line each; empty when they agree. Outcomes of
   * different kinds differ only in kind (their states are not compared); two signals compare
   * signal number, si_code, si_addr, RIP and the state at the signal; two timeouts agree.
   */
  public static List<String> compare(Outcome host, Outcome emu, Undefined undefined) {
    List<String> d = new ArrayList<>();
    if (host.kind() == Outcome.Kind.CRASHED) {
      d.add("the host harness crashed; the snippet must not write outside the data region: "
          + host.message());
      return d;
    }
    if (host.kind() != emu.kind()) {
      d.add("outcome: host=" + host.summary() + " emulator=" + emu.summary());
      return d;
    }
    if (host.kind() == Outcome.Kind.TIMEOUT) {
      return d;
    }
    if (host.faulted()) {
      if (host.signal() != emu.signal()) {
        d.add("signal: host=" + Outcome.signalName(host.signal()) + " emulator="
            + Outcome.signalName(emu.signal()));
      }
      if (host.siCode() != emu.siCode()) {
        d.add(String.format("si_code: host=%#x emulator=%#x", host.siCode(), emu.siCode()));
      }
      if (host.siAddr() != emu.siAddr()) {
        d.add(String.format("si_addr: host=%#x emulator=%#x", host.siAddr(), emu.siAddr()));
      }
      if (host.rip() != emu.rip()) {
        d.add(String.format("RIP at signal: host=%#x emulator=%#x", host.rip(), emu.rip()));
      }
    }
    d.addAll(host.state().differences(emu.state(), undefined, "host", "emulator"));
    return d;
  }

  /** Runs every case on both sides; the mismatches, in case order. */
  public List<Mismatch> run(List<Case> cases, Undefined undefined, String context) {
    List<Outcome> hostOutcomes = host.run(cases);
    List<Mismatch> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Outcome h = hostOutcomes.get(i);
      Outcome e = null;
      Throwable error = null;
      try {
        e = emulator.run(c.code().clone(), c.initial().copy());
        if (e == null) {
          throw new IllegalStateException("EmulatedCpu.run returned null");
        }
      } catch (RuntimeException | AssertionError | StackOverflowError t) {
        error = t;
      }
      List<String> d = error != null ? List.of("emulator threw " + error) : compare(h, e,
          undefined);
      if (!d.isEmpty()) {
        out.add(new Mismatch(c, i, cases.size(), h, e, error, undefined, d, context));
      }
    }
    return out;
  }

  /** Fails with a report unless both sides agree on every case. */
  public void check(List<Case> cases, Undefined undefined, String context) {
    List<Mismatch> m = run(cases, undefined, context);
    if (m.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(m.size()).append(" of ").append(cases.size()).append(" cases differ");
    if (context != null) {
      sb.append(" (").append(context).append(')');
    }
    sb.append('\n');
    for (int i = 0; i < Math.min(maxReports, m.size()); i++) {
      sb.append('\n').append(m.get(i).report());
    }
    if (m.size() > maxReports) {
      sb.append("\nfurther mismatching cases:");
      for (int i = maxReports; i < Math.min(m.size(), maxReports + 20); i++) {
        sb.append(' ').append(m.get(i).index() + 1);
      }
      sb.append('\n');
    }
    throw new AssertionError(sb.toString());
  }

  /** {@code asm} from each of {@code initials}. */
  public void check(String asm, Undefined undefined, List<MachineState> initials) {
    check(Case.each(asm, initials), undefined, null);
  }

  /** {@code asm} from {@link RandomStates#cases()} states of {@code states}. */
  public void check(String asm, Undefined undefined, RandomStates states) {
    String context = states.describe();
    check(Case.each(asm, states.batch()), undefined, context);
  }
}
