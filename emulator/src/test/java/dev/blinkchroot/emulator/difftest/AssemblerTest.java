package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblerTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void assemble_intelSyntax_givesKnownEncodings() {
    assertArrayEquals(bytes(0x48, 0x01, 0xd8), Assembler.assemble("add rax, rbx"));
    assertArrayEquals(bytes(0x90), Assembler.assemble("nop"));
    assertArrayEquals(bytes(0x50, 0x59), Assembler.assemble("push rax; pop rcx"));
    assertArrayEquals(bytes(0x66, 0x0f, 0x6f, 0x07), Assembler.assemble("movdqa xmm0, [rdi]"));
    assertArrayEquals(bytes(0xd9, 0xe8, 0xd9, 0xeb, 0xde, 0xc1),
        Assembler.assemble("fld1\nfldpi\nfaddp"));
  }

  @Test
  void assembleAll_manySnippetsInOneBatch_keepTheirOrderAndOffsets() {
    List<String> snippets = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      snippets.add("mov eax, " + (1000 + i) + "; .balign 8; nop");
    }
    List<byte[]> out = Assembler.assembleAll(snippets);
    for (int i = 0; i < 300; i++) {
      byte[] b = out.get(i);
      assertEquals(9, b.length, "the .balign counts from the snippet's own start");
      assertEquals(0xb8, b[0] & 0xff);
      assertEquals(1000 + i, (b[1] & 0xff) | (b[2] & 0xff) << 8);
      assertEquals(0x90, b[8] & 0xff);
    }
  }

  @Test
  void assembleAll_sameNamedLabelInTwoSnippets_bothAssemble() {
    List<byte[]> out = Assembler.assembleAll(List.of(
        "top: dec ecx; jnz top", "xor eax, eax\ntop: dec ecx\njnz top"));
    assertArrayEquals(bytes(0xff, 0xc9, 0x75, 0xfc), out.get(0));
    assertArrayEquals(bytes(0x31, 0xc0, 0xff, 0xc9, 0x75, 0xfc), out.get(1));
  }

  @Test
  void assembleAll_oneBadSnippet_failsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Assembler.assembleAll(List.of("inc rax", "frobnicate rax, 3", "dec rbx")));
    assertTrue(e.getMessage().contains("frobnicate rax, 3"), e.getMessage());
  }

  @Test
  void assemble_referenceToOutsideSymbol_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Assembler.assemble("call somewhere_else"));
    assertTrue(e.getMessage().contains("self-contained"), e.getMessage());
  }

  @Test
  void assemble_emptySnippet_givesNoBytes() {
    assertEquals(0, Assembler.assemble("").length);
  }

  @Test
  void assemble_resultIsACopy() {
    byte[] a = Assembler.assemble("inc rdx");
    a[0] = 0;
    assertEquals(0x48, Assembler.assemble("inc rdx")[0]);
  }

  @Test
  void disassemble_showsIntelSyntax() {
    String d = Assembler.disassemble(bytes(0x48, 0x01, 0xd8, 0x0f, 0x0b));
    assertTrue(d.contains("add rax,rbx"), d);
    assertTrue(d.contains("ud2"), d);
  }
}
