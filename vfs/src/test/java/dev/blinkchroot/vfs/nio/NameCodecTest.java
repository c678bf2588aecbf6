package dev.blinkchroot.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.FileName;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameCodecTest {
  private final NameCodec sensitive = NameCodec.escaping(false);
  private final NameCodec insensitive = NameCodec.escaping(true);

  @Test
  void escaping_plainLinuxNames_stayReadable() {
    for (String s : new String[] {"busybox", "libc.musl-x86_64.so.1", "ld-linux.so", "a b",
        "x+y=z", "[brackets]", "~tilde", "-dash"}) {
      assertEquals(s, sensitive.toHost(FileName.of(s)));
      assertEquals(s, insensitive.toHost(FileName.of(s)));
    }
    assertEquals("Makefile", sensitive.toHost(FileName.of("Makefile")));
  }

  @Test
  void escaping_hostHostileNames_areEscaped() {
    assertEquals("%4Dakefile", insensitive.toHost(FileName.of("Makefile")));
    assertEquals("a%3Ab%2A%3F", sensitive.toHost(FileName.of("a:b*?")));
    assertEquals("%43ON", sensitive.toHost(FileName.of("CON")));
    assertEquals("%6Eul.txt", sensitive.toHost(FileName.of("nul.txt")));
    assertEquals("%63om1 .tar", sensitive.toHost(FileName.of("com1 .tar")));
    assertEquals("console", sensitive.toHost(FileName.of("console")));
    assertEquals("trail%2E", sensitive.toHost(FileName.of("trail.")));
    assertEquals("trail%20", sensitive.toHost(FileName.of("trail ")));
    assertEquals("..%2E", sensitive.toHost(FileName.of("...")));
    assertEquals("%2Eblink-chroot", sensitive.toHost(FileName.of(".blink-chroot")));
    assertEquals("%25_x", sensitive.toHost(FileName.of("%_x")));
    assertEquals("caf%C3%A9", sensitive.toHost(FileName.of("caf\u00e9")));
    assertEquals("%01%7F", sensitive.toHost(FileName.of("\u0001\u007f")));
  }

  @Test
  void escaping_everyByte_roundTrips() {
    for (int b = 1; b < 256; b++) {
      if (b == '/') {
        continue;
      }
      FileName name = FileName.of(new byte[] {'a', (byte) b, 'z'});
      assertEquals(name, sensitive.toGuest(sensitive.toHost(name)));
      assertEquals(name, insensitive.toGuest(insensitive.toHost(name)));
    }
  }

  @Test
  void escaping_randomNames_roundTripAndStayDistinctWithoutCase() {
    Random random = new Random(42);
    java.util.Map<String, FileName> folded = new java.util.HashMap<>();
    for (int i = 0; i < 5000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(40)];
      for (int j = 0; j < bytes.length; j++) {
        int b;
        do {
          b = random.nextInt(4) == 0 ? 'A' + random.nextInt(6) : random.nextInt(256);
        } while (b == 0 || b == '/');
        bytes[j] = (byte) b;
      }
      FileName name;
      try {
        name = FileName.of(bytes);
      } catch (ErrnoException e) {
        continue;
      }
      if (name.isDot() || name.isDotDot()) {
        continue;
      }
      String host = insensitive.toHost(name);
      assertEquals(name, insensitive.toGuest(host));
      FileName twin = folded.putIfAbsent(host.toLowerCase(Locale.ROOT), name);
      assertTrue(twin == null || twin.equals(name), host);
    }
  }

  @Test
  void escaping_longName_isHashedWithinHostLimit() {
    byte[] bytes = new byte[200];
    java.util.Arrays.fill(bytes, (byte) 0xe2);
    String host = sensitive.toHost(FileName.of(bytes));
    assertTrue(host.startsWith("%_"));
    assertEquals(66, host.length());
    assertTrue(sensitive.isHashed(host));
    assertNull(sensitive.toGuest(host)); // only the sidecar knows its guest name
  }

  @Test
  void escaping_foreignSpellings_decodeToNull() {
    assertNull(sensitive.toGuest("%41"));   // 'A' would be spelled plainly
    assertNull(sensitive.toGuest("%zz"));
    assertNull(sensitive.toGuest("abc%4"));
    assertNull(sensitive.toGuest("caf\u00e9"));
    assertNull(insensitive.toGuest("Abc"));  // capitals are always escaped here
    assertNull(sensitive.toGuest("%2E"));    // "." is never a name
  }

  @Test
  void verbatim_utf8Names_passUnchanged_othersAreEILSEQ() {
    NameCodec v = NameCodec.verbatim();
    assertEquals("h\u00e9llo:*", v.toHost(FileName.of("h\u00e9llo:*")));
    assertEquals(FileName.of("\u00c5"), v.toGuest("\u00c5"));
    ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class,
        () -> v.toHost(FileName.of(new byte[] {(byte) 0xc3})));
    assertEquals(Errno.EILSEQ, e.errno());
    assertNull(v.toGuest(".blink-chroot~x3"));
  }

  @Test
  void latin1_everyByte_roundTrips() {
    NameCodec l = NameCodec.latin1();
    byte[] all = new byte[254];
    for (int i = 0, b = 1; i < all.length; b++) {
      if (b != '/') {
        all[i++] = (byte) b;
      }
    }
    FileName name = FileName.of(all);
    assertEquals(name, l.toGuest(l.toHost(name)));
  }
}
