package dev.blinkchroot.emulator.difftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Intel-syntax snippets ({@code "add rax, rbx"}, {@code "push rax; pop rcx"}) into machine
 * code with the host's GNU {@code as --64 -msyntax=intel -mnaked-reg}, many snippets per
 * invocation, cached for the JVM run.
 *
 * <p>Each snippet of a batch goes into its own section {@code .text.dtN}, so its offsets (and
 * {@code .balign}) start at 0 as they do at CODE_BASE; the bytes come from the object file's
 * section table. Statements are separated by newlines or {@code ;}. Labels are global to a
 * batch: a snippet whose named label collides with another's is assembled again on its own,
 * so {@code 1:} / {@code jnz 1b} local labels are cheapest. A snippet may not refer to symbols
 * outside itself (it would need a relocation).
 */
public final class Assembler {
  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
  private static final AtomicInteger FILES = new AtomicInteger();
  private static final Pattern ERROR_LINE = Pattern.compile("^[^:\\n]*\\.s:(\\d+): (.*)$",
      Pattern.MULTILINE);

  private Assembler() {}

  /** Machine code for one snippet. */
  public static byte[] assemble(String asm) {
    return assembleAll(List.of(asm)).get(0);
  }

  /** Machine code for each snippet, in order; one {@code as} run for all uncached ones. */
  public static List<byte[]> assembleAll(List<String> snippets) {
    Set<String> missing = new LinkedHashSet<>();
    for (String s : snippets) {
      if (!CACHE.containsKey(s)) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      CACHE.putAll(batch(new ArrayList<>(missing)));
    }
    List<byte[]> out = new ArrayList<>(snippets.size());
    for (String s : snippets) {
      out.add(CACHE.get(s).clone());
    }
    return out;
  }

  private static Map<String, byte[]> batch(List<String> snippets) {
    Path dir = Tools.tempDir();
    int n = FILES.incrementAndGet();
    Path src = dir.resolve("snippets" + n + ".s");
    Path obj = dir.resolve("snippets" + n + ".o");
    StringBuilder sb = new StringBuilder();
    int line = 1;
    int[] firstLine = new int[snippets.size() + 1];
    for (int i = 0; i < snippets.size(); i++) {
      sb.append(".section .text.dt").append(i).append(",\"ax\",@progbits\n");
      line++;
      firstLine[i] = line;
      String text = snippets.get(i);
      sb.append(text).append('\n');
      line += text.split("\n", -1).length;
    }
    firstLine[snippets.size()] = line + 1;
    try {
      Files.writeString(src, sb.toString(), StandardCharsets.UTF_8);
      Tools.Result r = Tools.run(List.of("as", "--64", "-msyntax=intel", "-mnaked-reg", "-o",
          obj.toString(), src.toString()), "binutils");
      if (r.exit() != 0) {
        return retryWithoutFailures(snippets, firstLine, r.output());
      }
      Map<String, byte[]> sections = sections(Files.readAllBytes(obj));
      Map<String, byte[]> out = new HashMap<>();
      for (int i = 0; i < snippets.size(); i++) {
        if (sections.containsKey(".rela.text.dt" + i)) {
          throw new IllegalArgumentException("snippet `" + snippets.get(i) + "` refers to a"
              + " symbol outside itself; snippets must be self-contained");
        }
        out.put(snippets.get(i), sections.getOrDefault(".text.dt" + i, new byte[0]));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      src.toFile().delete();
      obj.toFile().delete();
    }
  }

  /**
   * After a failed batch: snippets named in error messages are assembled alone (and fail with
   * their own message if they are wrong), the others as a batch again.
   */
  private static Map<String, byte[]> retryWithoutFailures(List<String> snippets, int[] firstLine,
      String errors) {
    if (snippets.size() == 1) {
      throw new IllegalArgumentException("cannot assemble `" + snippets.get(0) + "`:\n"
          + errors.replaceAll("(?m)^[^:\\n]*\\.s:", "line "));
    }
    Set<Integer> bad = new TreeSet<>();
    Matcher m = ERROR_LINE.matcher(errors);
    while (m.find()) {
      int l = Integer.parseInt(m.group(1));
      for (int i = 0; i < snippets.size(); i++) {
        if (l >= firstLine[i] - 1 && l < firstLine[i + 1] - 1) {
          bad.add(i);
        }
      }
    }
    if (bad.isEmpty()) { // unattributed: one at a time
      for (int i = 0; i < snippets.size(); i++) {
        bad.add(i);
      }
    }
    Map<String, byte[]> out = new HashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      if (bad.contains(i)) {
        out.putAll(batch(List.of(snippets.get(i))));
      } else {
        rest.add(snippets.get(i));
      }
    }
    if (!rest.isEmpty()) {
      out.putAll(batch(rest));
    }
    return out;
  }

  /** Section name to contents for an ELF64 little-endian relocatable object. */
  static Map<String, byte[]> sections(byte[] elf) {
    ByteBuffer bb = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    if (elf.length < 64 || bb.getInt(0) != 0x464c457f || elf[4] != 2) {
      throw new IllegalStateException("as did not produce an ELF64 object");
    }
    long shoff = bb.getLong(0x28);
    int shentsize = bb.getShort(0x3a) & 0xffff;
    int shnum = bb.getShort(0x3c) & 0xffff;
    int shstrndx = bb.getShort(0x3e) & 0xffff;
    int strBase = (int) bb.getLong((int) (shoff + (long) shstrndx * shentsize) + 0x18);
    Map<String, byte[]> out = new HashMap<>();
    for (int i = 0; i < shnum; i++) {
      int h = (int) (shoff + (long) i * shentsize);
      int name = bb.getInt(h);
      int type = bb.getInt(h + 4);
      int off = (int) bb.getLong(h + 0x18);
      int size = (int) bb.getLong(h + 0x20);
      int end = strBase + name;
      while (elf[end] != 0) {
        end++;
      }
      String s = new String(elf, strBase + name, end - strBase - name, StandardCharsets.US_ASCII);
      byte[] content = new byte[type == 8 ? 0 : size]; // SHT_NOBITS has no file bytes
      System.arraycopy(elf, off, content, 0, content.length);
      out.put(s, content);
    }
    return out;
  }

  /**
   * Intel-syntax disassembly of {@code code} with objdump, one instruction per line
   * ({@code offset: bytes  instruction}); falls back to hex if objdump fails.
   */
  public static String disassemble(byte[] code) {
    if (code.length == 0) {
      return "(empty)";
    }
    Path f = Tools.tempDir().resolve("dis" + FILES.incrementAndGet() + ".bin");
    try {
      Files.write(f, code);
      Tools.Result r = Tools.run(List.of("objdump", "-D", "-b", "binary", "-m", "i386:x86-64",
          "-M", "intel", f.toString()), "binutils");
      if (r.exit() != 0) {
        return MachineState.hexBytes(code, 0, code.length);
      }
      StringBuilder sb = new StringBuilder();
      boolean body = false;
      for (String l : r.output().split("\n")) {
        if (l.contains("<.data>:")) {
          body = true;
        } else if (body && l.matches("\\s*[0-9a-f]+:\\t.*")) {
          String[] parts = l.trim().split("\t");
          sb.append(String.format("  +%-4s %-24s %s%n", parts[0].replace(":", ""),
              parts.length > 1 ? parts[1].trim() : "",
              parts.length > 2 ? parts[2].trim().replaceAll("\\s+", " ") : ""));
        }
      }
      return sb.toString().stripTrailing();
    } catch (IOException e) {
      return MachineState.hexBytes(code, 0, code.length);
    } finally {
      f.toFile().delete();
    }
  }
}
