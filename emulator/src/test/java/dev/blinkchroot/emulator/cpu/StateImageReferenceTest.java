package dev.blinkchroot.emulator.cpu;

import dev.blinkchroot.emulator.difftest.CpuReference;
import dev.blinkchroot.emulator.difftest.ReferenceTally;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FXSAVE, FNSAVE, FNSTENV, XSAVE and XSAVEC images against the Intel recording (section
 * {@code state}): FOP, FIP, FDP, FCS/FDS, MXCSR_MASK, the bytes each form leaves unwritten and
 * the XSAVE header, byte for byte. Each sequence runs as the recorder ran it: XMM0-15 and MXCSR
 * loaded, {@code fninit} and eight {@code fldz}, the recorded code at L, then
 * {@code mov eax, 3; xor edx, edx} and the save to a buffer filled with a5. Addresses in FIP
 * and FDP are turned into offsets from L and from the data block M the way the recorder did.
 */
class StateImageReferenceTest {
  private static final long IMAGE = SnippetMachine.DATA + 0x400; // 64-byte aligned
  private static final long MEM = SnippetMachine.DATA + 0x100;
  private static final int FMT32 = 0, FMT64 = 1, FMTENV = 2;

  /** METHOD name, its encoding with ModRM [rdi], its FIP/FDP format. */
  private static final Map<String, Object[]> METHODS = Map.of(
      "fxsave", new Object[] {SnippetMachine.bytes(0x0f, 0xae, 0x07), FMT32},
      "fxsave64", new Object[] {SnippetMachine.bytes(0x48, 0x0f, 0xae, 0x07), FMT64},
      "fnsave", new Object[] {SnippetMachine.bytes(0xdd, 0x37), FMTENV},
      "fnstenv", new Object[] {SnippetMachine.bytes(0xd9, 0x37), FMTENV},
      "xsave", new Object[] {SnippetMachine.bytes(0x0f, 0xae, 0x27), FMT32},
      "xsave64", new Object[] {SnippetMachine.bytes(0x48, 0x0f, 0xae, 0x27), FMT64},
      "xsavec", new Object[] {SnippetMachine.bytes(0x0f, 0xc7, 0x27), FMT32},
      "xsavec64", new Object[] {SnippetMachine.bytes(0x48, 0x0f, 0xc7, 0x27), FMT64});

  @Test
  void stateImages_matchTheIntelRecording() {
    checkAll();
  }

  static void checkAll() {
    List<CpuReference.Line> lines = CpuReference.intel().section("state");
    byte[] data = null;
    Map<String, String> xmm = new HashMap<>();
    Map<String, byte[]> code = new HashMap<>();
    ReferenceTally tally = new ReferenceTally("state");
    for (CpuReference.Line l : lines) {
      switch (l.field(0)) {
        case "stdata":
          data = CpuReference.bytes(l.field(1));
          break;
        case "stxmm":
          xmm.put(l.field(1), l.field(2));
          break;
        case "stcode":
          code.put(l.field(1), CpuReference.bytes(l.field(2)));
          break;
        case "stimg": {
          String seq = l.field(1);
          String actual = run(seq, l.field(2), code.get(seq), data,
              xmm.get(seq.equals("init") ? "zero" : "pattern"));
          tally.check(l, String.join(" ", List.of(l.fields()).subList(4, l.fields().length)),
              actual);
          break;
        }
        default:
          throw new AssertionError("unknown line in the state section: " + l);
      }
    }
    tally.assertAllMatched();
  }

  /** Runs one sequence and describes the image as the recorder prints it (after LEN). */
  private static String run(String seq, String method, byte[] seqCode, byte[] data,
      String xmmHex) {
    Object[] m = METHODS.get(method);
    byte[] save = (byte[]) m[0];
    int format = (Integer) m[1];
    int len = method.startsWith("xsave") ? 576 : method.equals("fnsave") ? 108
        : method.equals("fnstenv") ? 28 : 512;
    SnippetMachine machine = new SnippetMachine();
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    prefix.writeBytes(SnippetMachine.bytes(0xdb, 0xe3)); // fninit
    for (int i = 0; i < 8; i++) {
      prefix.writeBytes(SnippetMachine.bytes(0xd9, 0xee)); // fldz
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(prefix.toByteArray());
    all.writeBytes(seqCode);
    all.writeBytes(SnippetMachine.bytes(0xb8, 3, 0, 0, 0, 0x31, 0xd2)); // mov eax, 3; xor edx, edx
    all.writeBytes(save);
    byte[] bytes = all.toByteArray();
    long start = machine.place(bytes);
    long labelL = start + prefix.size();
    byte[] xmmBytes = CpuReference.bytes(xmmHex);
    Cpu cpu = machine.cpu;
    for (int i = 0; i < 32; i++) {
      long q = 0;
      for (int k = 7; k >= 0; k--) {
        q = q << 8 | xmmBytes[8 * i + k] & 0xff;
      }
      cpu.xmm[i] = q;
    }
    cpu.mxcsr = (xmmBytes[256] & 0xff) | (xmmBytes[257] & 0xff) << 8;
    byte[] fill = new byte[576];
    java.util.Arrays.fill(fill, (byte) 0xa5);
    machine.memory.writeBytes(IMAGE, fill, 0, fill.length);
    machine.memory.writeBytes(MEM, data, 0, data.length);
    cpu.gpr[Cpu.RDI] = IMAGE;
    cpu.gpr[Cpu.RSI] = MEM;
    machine.run(start, start + bytes.length);
    byte[] img = new byte[len];
    machine.memory.readBytes(IMAGE, img, 0, len);

    long span = seqCode.length;
    String fop;
    String fip;
    String fdp;
    String fcs = "-";
    String fds = "-";
    if (format == FMTENV) {
      fop = String.format("%04x", read(img, 18, 2) & 0x7ff);
      fcs = String.format("%04x", read(img, 16, 2));
      fds = String.format("%04x", read(img, 24, 2));
      fip = patch(img, 12, 4, labelL, span, 'L');
      fdp = patch(img, 20, 4, MEM, 64, 'M');
    } else {
      fop = String.format("%04x", read(img, 6, 2));
      if (format == FMT32) {
        fcs = String.format("%04x", read(img, 12, 2));
        fds = String.format("%04x", read(img, 20, 2));
        fip = patch(img, 8, 4, labelL, span, 'L');
        fdp = patch(img, 16, 4, MEM, 64, 'M');
      } else {
        fip = patch(img, 8, 8, labelL, span, 'L');
        fdp = patch(img, 16, 8, MEM, 64, 'M');
      }
    }
    return String.format("FOP=%s FIP=%s FCS=%s FDP=%s FDS=%s %s", fop, fip, fcs, fdp, fds,
        CpuReference.hex(img, 0, len));
  }

  private static long read(byte[] b, int off, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) {
      v = v << 8 | b[off + i] & 0xff;
    }
    return v;
  }

  /** As the recorder: an address inside [base, base+span) becomes the offset, in the image too. */
  private static String patch(byte[] img, int off, int width, long base, long span, char tag) {
    long raw = read(img, off, width);
    long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
    long d = (raw - base) & mask;
    if (raw == 0) {
      return "0";
    }
    if (Long.compareUnsigned(d, span) < 0) {
      for (int i = 0; i < width; i++) {
        img[off + i] = (byte) (d >>> 8 * i);
      }
      return String.format("%c+0x%x", tag, d);
    }
    return String.format("raw:%0" + (2 * width) + "x", raw);
  }
}
