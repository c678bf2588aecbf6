package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
  private static String quote(String s) {
    return new String(ShellQuote.quote(s.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  @Test
  void plainPath_isUnquoted() {
    assertEquals("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub",
        quote("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub"));
  }

  @Test
  void spaceOrGlob_isSingleQuoted() {
    assertEquals("'a b'", quote("a b"));
    assertEquals("'/usr/bin/['", quote("/usr/bin/["));
  }

  @Test
  void singleQuote_isEscaped() {
    assertEquals("'it'\\''s'", quote("it's"));
  }
}
