package dev.blinkchroot.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BindSpecTest {
  @Test
  void parse_hostAndGuest_isReadWrite() {
    BindSpec b = BindSpec.parse("/home/me/src:/src");
    assertEquals(Path.of("/home/me/src"), b.hostPath());
    assertEquals("/src", b.guestPath());
    assertFalse(b.readOnly());
  }

  @Test
  void parse_roSuffix_isReadOnly() {
    BindSpec b = BindSpec.parse("/data:/mnt/data:ro");
    assertEquals(Path.of("/data"), b.hostPath());
    assertEquals("/mnt/data", b.guestPath());
    assertTrue(b.readOnly());
  }

  @Test
  void parse_rwSuffix_isReadWrite() {
    assertFalse(BindSpec.parse("/data:/d:rw").readOnly());
  }

  @Test
  void parse_relativeHostPath_isKept() {
    assertEquals(Path.of("work"), BindSpec.parse("work:/work").hostPath());
  }

  @Test
  void parse_colonInHostPath_splitsAtTheLastColon() {
    // A Windows drive letter must not be taken for the separator.
    BindSpec b = BindSpec.parse("C:/src:/src:ro");
    assertEquals("/src", b.guestPath());
    assertEquals(Path.of("C:/src"), b.hostPath());
    assertTrue(b.readOnly());
  }

  @Test
  void parse_noColon_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> BindSpec.parse("/data"));
  }

  @Test
  void parse_relativeGuestPath_isRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BindSpec.parse("/data:data"));
    assertTrue(e.getMessage().contains("absolute"), e.getMessage());
  }

  @Test
  void parse_emptyHostOrGuest_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> BindSpec.parse(":/x"));
    assertThrows(IllegalArgumentException.class, () -> BindSpec.parse("/x:"));
    assertThrows(IllegalArgumentException.class, () -> BindSpec.parse("/x::ro"));
  }
}
