package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.Assembler;
import dev.blinkchroot.emulator.difftest.CpuReference;
import dev.blinkchroot.emulator.difftest.ReferenceTally;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an instruction form of the differential tests through the interpreter on the inputs the
 * Intel recording has for that instruction, and compares with the recorded results: the path a
 * differential test takes for an implementation-specific form when the host CPU is not of the
 * emulated model ({@link dev.blinkchroot.emulator.difftest.HostVendor}). Forms are the tests'
 * own text: "dpps xmm1, xmm2, 0xff", "dppd xmm1, xmmword ptr [rdi], 0x31",
 * "rcpss xmm14, dword ptr [rdi+4]".
 */
final class IntelReferenceForms {
  private static final Pattern XMM = Pattern.compile("xmm(\\d+)");
  private static final Pattern MEM = Pattern.compile("\\[rdi(?:\\+(\\d+))?\\]");

  private IntelReferenceForms() {}

  /** DPPS/DPPD: every recorded line with the form's imm8 (A in the destination, B the source). */
  static void checkDotProduct(String asm) {
    String op = asm.substring(0, 4);
    int imm = Integer.decode(asm.substring(asm.lastIndexOf(',') + 1).trim());
    Form form = Form.of(asm);
    ReferenceTally tally = new ReferenceTally(asm);
    for (CpuReference.Line l : CpuReference.intel().section(op)) {
      if (l.hex(1) != imm) {
        continue;
      }
      long[] a = CpuReference.xmm(l.field(3));
      long[] b = CpuReference.xmm(l.field(4));
      long[] r = form.run(a, b, (int) l.hex(2));
      tally.check(l, l.field(6) + " " + l.field(7),
          String.format("%016x%016x %08x", r[1], r[0], form.machine.cpu.mxcsr));
    }
    tally.assertAllMatched();
  }

  /**
   * RCPSS/RCPPS/RSQRTSS/RSQRTPS: every recorded sample, under MXCSR 1F80 and DAZ|FTZ. The scalar
   * forms must keep the destination's upper lanes; the packed forms get the input in all lanes
   * (as the recorder placed it) and must give the recorded result in each.
   */
  static void checkApproximation(String asm) {
    String op = asm.substring(0, asm.indexOf(' '));
    boolean scalar = op.endsWith("ss");
    Form form = Form.of(asm);
    ReferenceTally tally = new ReferenceTally(asm);
    long[] upper = {0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L};
    for (String section : List.of("rcp-sample", "rcp-sample-dazftz")) {
      int mxcsr = section.equals("rcp-sample") ? 0x1f80 : 0x9fc0;
      for (CpuReference.Line l : CpuReference.intel().section(section)) {
        if (!l.field(0).equals(op)) {
          continue;
        }
        long in = l.hex(1);
        long lanes = in << 32 | in;
        long[] r = form.run(upper.clone(), new long[] {lanes, lanes}, mxcsr);
        long out = l.hex(2);
        long[] expected = scalar ? new long[] {upper[0] & ~0xffff_ffffL | out, upper[1]}
            : new long[] {out << 32 | out, out << 32 | out};
        tally.check(l, String.format("%016x%016x %08x", expected[1], expected[0], l.hex(3)),
            String.format("%016x%016x %08x", r[1], r[0], form.machine.cpu.mxcsr));
      }
    }
    tally.assertAllMatched();
  }

  /** One assembled form: destination register, source register or memory at [rdi+disp]. */
  private static final class Form {
    final SnippetMachine machine = new SnippetMachine();
    final long start;
    final long end;
    final int dest;
    final int source; // -1: memory
    final int displacement;

    private Form(String asm) {
      byte[] code = Assembler.assemble(asm);
      start = machine.place(code);
      end = start + code.length;
      Matcher x = XMM.matcher(asm);
      if (!x.find()) {
        throw new IllegalArgumentException("no destination register in " + asm);
      }
      dest = Integer.parseInt(x.group(1));
      Matcher m = MEM.matcher(asm);
      if (m.find()) {
        source = -1;
        displacement = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
      } else if (x.find()) {
        source = Integer.parseInt(x.group(1));
        displacement = 0;
      } else {
        throw new IllegalArgumentException("no source operand in " + asm);
      }
    }

    static Form of(String asm) {
      return new Form(asm);
    }

    /** Runs with dest = a, source = b (register or memory), MXCSR; returns the destination. */
    long[] run(long[] a, long[] b, int mxcsr) {
      Cpu cpu = machine.cpu;
      cpu.xmm[2 * dest] = a[0];
      cpu.xmm[2 * dest + 1] = a[1];
      if (source >= 0) {
        cpu.xmm[2 * source] = b[0];
        cpu.xmm[2 * source + 1] = b[1];
      } else {
        machine.memory.write64(SnippetMachine.DATA + displacement, b[0]);
        machine.memory.write64(SnippetMachine.DATA + displacement + 8, b[1]);
      }
      cpu.gpr[Cpu.RDI] = SnippetMachine.DATA;
      cpu.mxcsr = mxcsr;
      machine.run(start, end);
      return new long[] {cpu.xmm[2 * dest], cpu.xmm[2 * dest + 1]};
    }
  }
}
