package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ModeStringTest {
  @Test
  void regularFile() {
    assertEquals("-rw-r--r--", ModeString.of(0100644));
  }

  @Test
  void directoryAndSymlink() {
    assertEquals("drwxr-xr-x", ModeString.of(040755));
    assertEquals("lrwxrwxrwx", ModeString.of(0120777));
  }

  @Test
  void setuid_withAndWithoutExecute() {
    assertEquals("-rwsr-xr-x", ModeString.of(0104755));
    assertEquals("-rwSr--r--", ModeString.of(0104644));
  }

  @Test
  void setgid_withAndWithoutExecute() {
    assertEquals("-rwxr-sr-x", ModeString.of(0102755));
    assertEquals("-rw-r-Sr--", ModeString.of(0102644));
  }

  @Test
  void sticky_withAndWithoutExecute() {
    assertEquals("drwxrwxrwt", ModeString.of(041777));
    assertEquals("drwxrwxrwT", ModeString.of(041776));
  }

  @Test
  void devicesFifoSocket() {
    assertEquals("crw-rw-rw-", ModeString.of(020666));
    assertEquals("brw-rw----", ModeString.of(060660));
    assertEquals("prw-r--r--", ModeString.of(010644));
    assertEquals("srwxrwxrwx", ModeString.of(0140777));
  }

  @Test
  void noPermissions() {
    assertEquals("----------", ModeString.of(0100000));
  }

  @Test
  void unknownType_isQuestionMark() {
    assertEquals("?rw-r--r--", ModeString.of(0644));
  }
}
