package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestAccountsTest {
  @Test
  void parse_firstNameForAnIdWins_malformedLinesSkipped() {
    Map<Integer, String> byId = GuestAccounts.parse(
        "root:x:0:0:root:/root:/bin/sh\n"
            + "toor:x:0:0::/:/bin/sh\n"
            + "garbage line\n"
            + "bad:x:notanumber:0::/:/bin/sh\n"
            + "shadow:x:42:\n"
            + "\n");
    assertEquals(Map.of(0, "root", 42, "shadow"), byId);
  }

  @Test
  void lookups_fallBackToUnknown() {
    GuestAccounts a = GuestAccounts.of(Map.of(0, "root"), Map.of(42, "shadow"));
    assertEquals("root", a.user(0));
    assertEquals("UNKNOWN", a.user(1));
    assertEquals("shadow", a.group(42));
    assertEquals("UNKNOWN", a.group(0));
  }
}
