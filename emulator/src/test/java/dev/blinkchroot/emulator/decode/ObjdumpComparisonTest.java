package dev.blinkchroot.emulator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check: every instruction objdump finds in the text sections of the Alpine
 * image's /bin/busybox, /lib/ld-musl-x86_64.so.1 and /lib/libcrypto.so.3 decodes with objdump's
 * length, is not invalid, and has objdump's mnemonic.
 *
 * <p>objdump ({@code -d -w -M intel,intel64}: Intel semantics, where 66 does not shorten near
 * branches) is streamed one function at a time; each instruction's bytes come from the listing
 * itself. Two objdump habits are normalised: a prefix it cannot attach (a REX before a legacy
 * prefix, a lone 66/F0/...) is printed as an "instruction" of its own, and FWAIT is glued to the x87
 * instruction after it; in both cases the decoder must cover the same bytes in one resp. two
 * instructions. {@code (bad)} entries are skipped and counted.
 *
 * <p>libcrypto keeps lookup tables (AES S-boxes, constants) inside .text, which objdump decodes as
 * if they were code. Entries within a few instructions of something no compiler or OpenSSL
 * assembler module emits in user-space code ({@code (bad)}, I/O and system instructions, prefixes
 * objdump could not attach...) are counted as data-in-text: their lengths must still match, but
 * invalid encodings (e.g. LOCK on a register) and mnemonic differences there are only reported.
 */
class ObjdumpComparisonTest {
  private static Path tmp;

  @BeforeAll
  static void extract() throws Exception {
    Path tarball = alpineTarball();
    tmp = Files.createTempDirectory("decode-objdump");
    run(List.of("tar", "-xzf", tarball.toString(), "-C", tmp.toString(),
        "./bin/busybox", "./lib/ld-musl-x86_64.so.1", "./lib/libcrypto.so.3"));
  }

  @AfterAll
  static void cleanup() throws IOException {
    if (tmp != null) {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static Path alpineTarball() {
    String env = System.getenv("BLINK_CHROOT_ALPINE");
    Path p;
    if (env != null && !env.isEmpty()) {
      p = Paths.get(env);
    } else {
      String shared = System.getProperty("blinkchroot.shared", "../shared");
      p = Paths.get(shared, "rootfs", "alpine-minirootfs-3.20.3-x86_64.tar.gz");
    }
    if (!Files.isRegularFile(p)) {
      fail("Alpine minirootfs tarball not found at " + p.toAbsolutePath()
          + " (set BLINK_CHROOT_ALPINE or the blinkchroot.shared system property)");
    }
    return p;
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  @Test
  void busybox_everyInstruction_matchesObjdump() throws Exception {
    check("bin/busybox");
  }

  @Test
  void ldMusl_everyInstruction_matchesObjdump() throws Exception {
    check("lib/ld-musl-x86_64.so.1");
  }

  @Test
  void libcrypto_everyInstruction_matchesObjdump() throws Exception {
    check("lib/libcrypto.so.3");
  }

  // ------------------------------------------------------------------ the comparison

  /** One objdump listing entry. */
  record Entry(long addr, byte[] bytes, String text) {
    String mnemonic() {
      for (String tok : text.trim().split("\\s+")) {
        if (!isPrefixToken(tok)) {
          return tok;
        }
      }
      return null; // a prefix alone
    }
  }

  static boolean isPrefixToken(String t) {
    return PREFIXES.contains(t) || t.startsWith("rex.") || t.startsWith("{");
  }

  private static final Set<String> PREFIXES = Set.of("lock", "rep", "repz", "repnz", "repe",
      "repne", "data16", "addr32", "rex", "cs", "ds", "es", "ss", "fs", "gs", "bnd", "notrack",
      "xacquire", "xrelease");

  /** objdump spellings that are not user-space code: their neighbourhood is data-in-text. */
  private static final Set<String> DATA_MARKERS = Set.of("(bad)", "in", "out", "ins", "outs",
      ".byte", "retf", "retfw", "retfq", "iret", "iretw", "iretq", "int1", "sti", "cli", "lar", "lsl",
      "lgs", "lfs", "lss", "invd", "wbinvd", "rdmsr", "wrmsr", "rdpmc", "sldt", "sgdt", "sidt",
      "str", "clts", "vmread", "vmwrite", "bndldx", "bndstx", "bndmov", "bndcl", "bndcu", "bndmk",
      "femms", "xlat", "fneni(8087", "fndisi(8087", "frstpm(287", "fsetpm(287", "ud0", "ud1",
      "xabort", "jmpw", "callw", "retw", "leavew", "pushfw", "popfw", "pushw", "popw");

  static final class Stats {
    final String file;
    long total;
    long bad;
    long merged;
    long dataEntries;
    long lengthMismatches;
    long codeInvalid;
    long codeMnemonicMismatches;
    long dataInvalid;
    long dataMnemonicMismatches;
    final List<String> samples = new ArrayList<>();
    final TreeMap<String, Integer> mismatchKinds = new TreeMap<>();

    Stats(String file) {
      this.file = file;
    }

    void sample(String kind, String s) {
      mismatchKinds.merge(kind, 1, Integer::sum);
      if (samples.size() < 60) {
        samples.add(kind + ": " + s);
      }
    }

    final List<String> dataSamples = new ArrayList<>();

    void dataSample(String s) {
      if (Boolean.getBoolean("decode.verbose") && dataSamples.size() < 400) {
        dataSamples.add(s);
      }
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s: %d instructions (%d in data-in-text neighbourhoods), %d (bad) skipped, %d"
              + " objdump prefix/fwait splits merged; length mismatches %d; code: %d invalid, %d"
              + " mnemonic mismatches; data-in-text: %d invalid, %d mnemonic mismatches",
          file, total, dataEntries, bad, merged, lengthMismatches, codeInvalid,
          codeMnemonicMismatches, dataInvalid, dataMnemonicMismatches);
    }
  }

  private void check(String rel) throws Exception {
    Path file = tmp.resolve(rel);
    assertTrue(Files.isRegularFile(file), "not extracted: " + file);
    Stats st = new Stats(rel);
    Process p = new ProcessBuilder("objdump", "-d", "-w", "-M", "intel,intel64", file.toString())
        .redirectErrorStream(false).start();
    List<Entry> block = new ArrayList<>();
    try (BufferedReader rd = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = rd.readLine()) != null) {
        Entry e = parse(line);
        if (e == null) {
          if (!block.isEmpty()) {
            compareBlock(block, st);
            block.clear();
          }
          continue;
        }
        if (!block.isEmpty()) {
          Entry last = block.get(block.size() - 1);
          if (last.addr + last.bytes.length != e.addr) {
            compareBlock(block, st);
            block.clear();
          }
        }
        block.add(e);
      }
    }
    if (!block.isEmpty()) {
      compareBlock(block, st);
    }
    assertEquals(0, p.waitFor(), "objdump failed");
    System.out.println("[objdump comparison] " + st);
    if (!st.samples.isEmpty()) {
      System.out.println("  kinds: " + st.mismatchKinds);
      st.samples.forEach(s -> System.out.println("  " + s));
    }
    st.dataSamples.forEach(s -> System.out.println("  data-in-text " + s));
    assertTrue(st.total > 1000, "objdump listed too few instructions: " + st);
    assertEquals(0, st.lengthMismatches, "length mismatches: " + st + "\n" + st.samples);
    assertEquals(0, st.codeInvalid, "invalid/unknown in code: " + st + "\n" + st.samples);
    assertEquals(0, st.codeMnemonicMismatches, "mnemonic mismatches: " + st + "\n" + st.samples);
  }

  /** Parses "  4d6f7:\te6 ec    \tout    0xec,al" ; null for anything else. */
  static Entry parse(String line) {
    int colon = line.indexOf(":\t");
    if (colon <= 0 || line.charAt(0) != ' ') {
      return null;
    }
    long addr;
    try {
      addr = Long.parseLong(line.substring(0, colon).trim(), 16);
    } catch (NumberFormatException ex) {
      return null;
    }
    int tab2 = line.indexOf('\t', colon + 2);
    String hex = tab2 < 0 ? line.substring(colon + 2) : line.substring(colon + 2, tab2);
    String text = tab2 < 0 ? "" : line.substring(tab2 + 1);
    String[] hb = hex.trim().split(" ");
    byte[] bytes = new byte[hb.length];
    for (int i = 0; i < hb.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hb[i], 16);
    }
    return new Entry(addr, bytes, text);
  }

  private static boolean isBad(Entry e) {
    String m = e.mnemonic();
    return m != null && (m.equals(".byte") || e.text.contains("(bad)"));
  }

  private static boolean isData(Entry e) {
    String t = e.text.trim();
    if (t.isEmpty()) {
      return true;
    }
    String m = e.mnemonic();
    if (m == null) {
      return true; // prefix objdump could not attach
    }
    if (DATA_MARKERS.contains(m) || t.contains("?")) {
      return true;
    }
    String first = t.split("\\s+")[0];
    if (first.equals("lock")) { // LOCK on a register destination or a non-lockable instruction
      String ops = t.substring(t.indexOf(m) + m.length()).trim();
      int comma = ops.indexOf(',');
      String dst = comma < 0 ? ops : ops.substring(0, comma);
      return !LOCKABLE.contains(m) || !dst.contains("[");
    }
    // a segment/size prefix objdump had to spell out, or LOCK/REP on something odd
    return !m.equals(first) && !first.equals("lock") && !first.equals("rep")
        && !first.equals("repz") && !first.equals("repnz") && !first.equals("notrack")
        && !first.equals("bnd") && !(first.equals("cs") && m.equals("nop"))
        && !(first.equals("data16") && (m.equals("cs") || m.equals("nop") || m.equals("xchg")))
        && !first.equals("addr32") || first.equals("lock") && !LOCKABLE.contains(m);
  }

  private static final Set<String> LOCKABLE = Set.of("add", "adc", "and", "btc", "btr", "bts",
      "cmpxchg", "cmpxchg8b", "cmpxchg16b", "dec", "inc", "neg", "not", "or", "sbb", "sub", "xor",
      "xadd", "xchg");

  private static final int WINDOW = 8;

  /** objdump spells FWAIT + FNSTSW as FSTSW, and so on. */
  private static final Set<String> WAIT_FORMS = Set.of("fstsw", "fstcw", "fstenv", "fsave",
      "fclex", "finit");

  private static void compareBlock(List<Entry> block, Stats st) {
    int n = block.size();
    long start = block.get(0).addr;
    int total = 0;
    for (Entry e : block) {
      total += e.bytes.length;
    }
    byte[] code = new byte[total];
    int off = 0;
    for (Entry e : block) {
      System.arraycopy(e.bytes, 0, code, off, e.bytes.length);
      off += e.bytes.length;
    }
    boolean[] data = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (isData(block.get(i))) {
        for (int j = Math.max(0, i - WINDOW); j < Math.min(n, i + WINDOW + 1); j++) {
          data[j] = true;
        }
      }
    }
    ByteSource src = ByteSource.of(code, start);
    int i = 0;
    while (i < n) {
      Entry e = block.get(i);
      st.total++;
      if (data[i]) {
        st.dataEntries++;
      }
      if (isBad(e)) {
        st.bad++;
        i++;
        continue;
      }
      // objdump's own splits: a lone prefix, or FWAIT glued to the next x87 instruction
      int j = i;
      long expectLen = e.bytes.length;
      while (block.get(j).mnemonic() == null && j + 1 < n) {
        j++;
        expectLen += block.get(j).bytes.length;
      }
      Entry last = block.get(j);
      if (last.mnemonic() == null || isBad(last)) {
        st.bad++; // a prefix before (bad) or at the end of the section
        i = j + 1;
        continue;
      }
      String expectMn = last.mnemonic();
      Insn in;
      long got;
      try {
        in = Decoder.decode(src, e.addr);
        got = in.length;
        boolean glued = in.op == Op.FWAIT && got < expectLen;
        if (j != i || glued) {
          st.merged++;
          while (glued && got < expectLen) { // decode on to the end of objdump's entry
            in = Decoder.decode(src, e.addr + got);
            got += in.length;
            if (in.invalid) {
              break;
            }
          }
          if (glued && WAIT_FORMS.contains(expectMn)) {
            expectMn = "fn" + expectMn.substring(1); // fstsw = fwait + fnstsw
          }
        }
      } catch (IndexOutOfBoundsException ex) {
        st.lengthMismatches++;
        st.sample("length", hexOf(e) + " " + e.text + " -> runs past the block");
        i = j + 1;
        continue;
      }
      if (got != expectLen) {
        st.lengthMismatches++;
        st.sample("length", String.format("%x: %s | objdump %d '%s' | decoder %d '%s' (%s)",
            e.addr, hexOf(e), expectLen, last.text, got, in, in.reason));
      } else if (in.invalid) {
        if (data[i]) {
          st.dataInvalid++;
          st.dataSample(String.format("invalid %x: %s | objdump '%s' | %s", e.addr, hexOf(e),
              last.text, in.reason));
        } else {
          st.codeInvalid++;
          st.sample("invalid", String.format("%x: %s | objdump '%s' | %s", e.addr, hexOf(e),
              last.text, in.reason));
        }
      } else if (expectMn != null && !normalise(expectMn).equals(normalise(in.mnemonic))) {
        if (data[i]) {
          st.dataMnemonicMismatches++;
          st.dataSample(String.format("mnemonic %x: %s | objdump '%s' | decoder '%s'", e.addr,
              hexOf(e), last.text, in));
        } else {
          st.codeMnemonicMismatches++;
          st.sample("mnemonic " + expectMn + "/" + in.mnemonic, String.format(
              "%x: %s | objdump '%s' | decoder '%s'", e.addr, hexOf(e), last.text, in));
        }
      }
      i = j + 1;
    }
  }

  /** objdump aliases that name the same instruction differently. */
  static String normalise(String m) {
    int sp = m.indexOf(' ');
    return sp < 0 ? m : m.substring(0, sp); // "fneni(8087 only)": objdump's first token

  }

  private static String hexOf(Entry e) {
    StringBuilder sb = new StringBuilder();
    for (byte b : e.bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }
}
