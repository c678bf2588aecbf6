package dev.blinkchroot.emulator.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JitOptionsTest {
  @Test
  void parse_namedModes_andNumbers() {
    assertSame(JitOptions.OFF, JitOptions.parse(" Off ", JitOptions.ON));
    assertSame(JitOptions.ON, JitOptions.parse("1", JitOptions.OFF));
    assertSame(JitOptions.FORCE, JitOptions.parse("force", JitOptions.OFF));
    assertSame(JitOptions.ON, JitOptions.parse("", JitOptions.ON));
    assertSame(JitOptions.OFF, JitOptions.parse(null, JitOptions.OFF));
    assertEquals(7, JitOptions.parse("threshold=7", JitOptions.OFF).threshold());
    assertEquals(3000, JitOptions.parse("budget=3000", JitOptions.OFF).codeBudget());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sometimes", "threshold=", "threshold=0", "threshold=-3",
      "threshold=x", "threshold=99999999999", "budget=0"})
  void parse_badSetting_saysWhatIsExpectedInOneLine(String setting) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JitOptions.parse(setting, JitOptions.OFF));
    assertTrue(e.getMessage().startsWith("JIT mode '" + setting + "': "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
