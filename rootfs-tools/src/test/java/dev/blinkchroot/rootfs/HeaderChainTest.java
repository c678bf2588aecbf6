package dev.blinkchroot.rootfs;

import static dev.blinkchroot.rootfs.HostTar.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte-level readers under the importer: numeric fields, PAX records, header chains. */
class HeaderChainTest {
  private static long number(String field) throws IOException {
    byte[] b = bytes(field);
    return HeaderChain.number(b, 0, b.length);
  }

  @Test
  void numericFields_octalAsTarWritesThem() throws IOException {
    assertEquals(0755, number("0000755\0"));
    assertEquals(0755, number("   755 \0"));
    assertEquals(0, number("\0\0\0\0\0\0\0\0"));
    assertEquals(077777777777L, number("77777777777\0"));
    assertThrows(IOException.class, () -> number("0000789\0"));
  }

  @Test
  void numericFields_base256_positiveNegativeAndTooBig() throws IOException {
    assertEquals(4_294_967_301L, number("\u0080\0\0\u0001\0\0\0\u0005"));
    assertEquals(-5, number("\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00fb"));
    // GNU tar: bit 6 of the first byte is the sign of the whole field.
    assertEquals(-64L << 56, number("\u00c0\0\0\0\0\0\0\0"));
    assertThrows(IOException.class, () -> number("\u0080\u0080" + "\0".repeat(10)));
  }

  /** One PAX record, "LENGTH key=value\n", LENGTH counting itself (value chars are bytes). */
  private static String rec(String key, String value) {
    String kv = " " + key + "=" + value + "\n";
    int length = kv.length() + 1;
    while (length != kv.length() + String.valueOf(length).length()) {
      length = kv.length() + String.valueOf(length).length();
    }
    return length + kv;
  }

  private static Map<String, byte[]> pax(String body) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    byte[] b = bytes(body);
    PaxRecords.parse(b, 0, b.length, out);
    return out;
  }

  @Test
  void paxRecords_keepValueBytes_andEmptyValuesMeanDelete() throws IOException {
    // The path record exactly as GNU tar wrote it; a blank line between records is skipped.
    Map<String, byte[]> r = pax("16 path=./caf\u00e9\u00ff\n" + rec("uid", "") + "\n"
        + rec("a", "b=c"));
    assertArrayEquals(bytes("./caf\u00e9\u00ff"), r.get("path"));
    assertFalse(r.containsKey("x"));
    assertNull(r.get("uid"));
    assertTrue(r.containsKey("uid"));
    assertArrayEquals(bytes("b=c"), r.get("a"));
  }

  @Test
  void paxRecords_malformed_areRefused() {
    assertThrows(IOException.class, () -> pax("99 path=x\n")); // longer than the body
    assertThrows(IOException.class, () -> pax("9 pathxx\n")); // no '='
    assertThrows(IOException.class, () -> pax("9 path=xx")); // no newline
    assertThrows(IOException.class, () -> pax("x path=x\n")); // no length
  }

  /** A 512-byte tar header block: name, type flag, octal size; the rest zero. */
  private static byte[] header(String name, char type, int size) {
    byte[] h = new byte[512];
    byte[] n = bytes(name);
    System.arraycopy(n, 0, h, 0, n.length);
    byte[] s = bytes(String.format("%011o", size));
    System.arraycopy(s, 0, h, 124, s.length);
    h[156] = (byte) type;
    return h;
  }

  private static void block(ByteArrayOutputStream chain, char type, String body) {
    byte[] b = bytes(body);
    chain.writeBytes(header(type == 'L' || type == 'K' ? "././@LongLink" : "h", type, b.length));
    chain.writeBytes(b);
    chain.writeBytes(new byte[(512 - b.length % 512) % 512]);
  }

  @Test
  void chain_globalsApplyUntilDeleted_localsWin_sparseNameBeatsPath() {
    HeaderChain chain = new HeaderChain();
    ByteArrayOutputStream g = new ByteArrayOutputStream();
    block(g, 'g', rec("linkpath", "/g") + rec("uid", "42"));
    chain.read(g.toByteArray(), false);

    ByteArrayOutputStream first = new ByteArrayOutputStream();
    block(first, 'x', rec("path", "/p") + rec("GNU.sparse.name", "/sp\u00e9"));
    first.writeBytes(header("header-name", '0', 0));
    HeaderChain.Entry a = chain.read(first.toByteArray(), false);
    assertArrayEquals(bytes("/sp\u00e9"), a.name());
    assertArrayEquals(bytes("/g"), a.linkName());
    assertEquals(42, OwnerIds.uid(a));

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    block(second, 'x', rec("linkpath", ""));
    block(second, 'L', "long\u00ff\0");
    block(second, 'K', "target\u00e9\0");
    second.writeBytes(header("header-name", '2', 0));
    HeaderChain.Entry b = chain.read(second.toByteArray(), false);
    assertArrayEquals(bytes("long\u00ff"), b.name());
    assertArrayEquals(bytes("target\u00e9"), b.linkName()); // the global linkpath deleted
    assertEquals(42, OwnerIds.uid(b));

    HeaderChain.Entry c = chain.read(header("plain", '0', 0), false);
    assertNull(c.name());
    assertArrayEquals(bytes("/g"), c.linkName());
  }

  @Test
  void chain_cutShort_orOverTheLimit_isABadHeader() {
    ByteArrayOutputStream x = new ByteArrayOutputStream();
    block(x, 'x', rec("path", "/p"));
    HeaderChain.BadHeader cut = assertThrows(HeaderChain.BadHeader.class,
        () -> new HeaderChain().read(x.toByteArray(), false));
    assertEquals("header chain cut short", cut.getMessage());
    assertEquals(1024, cut.at);

    byte[] huge = header("h", 'x', HeaderTap.LIMIT + 1);
    HeaderChain.BadHeader big = assertThrows(HeaderChain.BadHeader.class,
        () -> new HeaderChain().read(huge, false));
    assertEquals("extended header larger than 16 MiB", big.getMessage());
    assertEquals(0, big.at);
  }

  @Test
  void nameText_escapesWhatIsNotPrintableUtf8() {
    assertEquals("caf\\xE9\\xFF", NameText.of(bytes("caf\u00e9\u00ff")));
    assertEquals("\u00e9t\u00e9", NameText.of(bytes("\u00c3\u00a9t\u00c3\u00a9")));
    assertEquals("a\\x0Ab\\\\c", NameText.of(bytes("a\nb\\c")));
    assertEquals("\\xC3", NameText.of(bytes("\u00c3"))); // a cut UTF-8 sequence
  }
}
