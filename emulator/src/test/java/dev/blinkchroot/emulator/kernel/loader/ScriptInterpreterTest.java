package dev.blinkchroot.emulator.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The "#!" line as Linux splits it. Expected values were checked on Linux 6.18 with
 * {@code printf '#!/bin/echo  one   two  \t \nrest\n' > sp; ./sp A} (prints "one   two ./sp A").
 */
class ScriptInterpreterTest {
  private static ScriptInterpreter.Line parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return ScriptInterpreter.parse(b, b.length);
  }

  private static String s(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void parse_interpreterOnly_hasNoArgument() {
    ScriptInterpreter.Line l = parse("#!/bin/sh\necho hi\n");
    assertEquals("/bin/sh", s(l.interpreter()));
    assertNull(l.argument());
  }

  @Test
  void parse_everythingAfterTheName_isOneTrimmedArgument() {
    ScriptInterpreter.Line l = parse("#!/bin/echo  one   two  \t \nrest\n");
    assertEquals("/bin/echo", s(l.interpreter()));
    assertEquals("one   two", s(l.argument()));
  }

  @Test
  void parse_blanksBeforeTheName_areSkipped() {
    ScriptInterpreter.Line l = parse("#! \t/usr/bin/env python3\n");
    assertEquals("/usr/bin/env", s(l.interpreter()));
    assertEquals("python3", s(l.argument()));
  }

  @Test
  void parse_carriageReturn_isPartOfTheName() {
    assertEquals("/bin/sh\r", s(parse("#!/bin/sh\r\n").interpreter()));
  }

  @Test
  void parse_noNewlineInAShortFile_endsAtTheEndOfTheFile() {
    ScriptInterpreter.Line l = parse("#!/bin/sh -e");
    assertEquals("/bin/sh", s(l.interpreter()));
    assertEquals("-e", s(l.argument()));
  }

  @Test
  void parse_emptyLine_isEnoexec() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> parse("#!   \nx"));
    assertEquals(Errno.ENOEXEC, e.errno());
    assertEquals(Errno.ENOEXEC,
        assertThrows(ErrnoException.class, () -> parse("#!\n")).errno());
  }

  @Test
  void parse_longLine_isCutAtTheBuffer_butANameThatDoesNotFitIsEnoexec() {
    String longArg = "x".repeat(400);
    ScriptInterpreter.Line l = parse("#!/bin/sh " + longArg + "\n");
    assertEquals("/bin/sh", s(l.interpreter()));
    assertEquals(255 - "#!/bin/sh ".length(), l.argument().length);
    String longName = "#!/" + "n".repeat(300) + " arg\n";
    assertEquals(Errno.ENOEXEC,
        assertThrows(ErrnoException.class, () -> parse(longName)).errno());
  }

  @Test
  void argv_replacesArgv0WithInterpreterArgumentAndScriptPath() {
    ScriptInterpreter.Line l = parse("#!/bin/echo one two\n");
    List<byte[]> argv = ScriptInterpreter.argv(l, "./script".getBytes(StandardCharsets.UTF_8),
        ExecTestPrograms.bytes("name-as-called", "a", "b"));
    assertEquals(List.of("/bin/echo", "one two", "./script", "a", "b"),
        argv.stream().map(ScriptInterpreterTest::s).collect(Collectors.toList()));
  }
}
