package dev.blinkchroot.emulator.kernel.loader;

import dev.blinkchroot.vfs.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The "#!" line of an interpreter script, read as execve(2) reads it ("Interpreter scripts"):
 *
 * <pre>#!interpreter [optional-arg]</pre>
 *
 * "The interpreter must be a valid pathname for an executable file." Only the first
 * {@link #HEAD_SIZE} bytes are looked at (BINPRM_BUF_SIZE). Spaces and tabs separate the
 * interpreter from the argument; everything after that whitespace up to the end of the line, with
 * trailing spaces and tabs removed, is ONE argument ("#!/bin/echo a  b" passes "a  b"). A carriage
 * return is not whitespace (the classic "/bin/sh^M: not found"). A NUL ends the name or the
 * argument (they are C strings to the kernel). A line
 * longer than the buffer is cut at the buffer's end, unless even the interpreter's name does not
 * fit, which is ENOEXEC; so is a line with no interpreter.
 */
final class ScriptInterpreter {
  /** BINPRM_BUF_SIZE: how much of a file execve reads to recognise its format. */
  static final int HEAD_SIZE = 256;
  /**
   * How many interpreters may be scripts themselves: Linux allows 5 rounds of interpreter
   * substitution, so a script whose interpreter is a script ... may nest 4 deep; measured on
   * Linux 6.18: s4 -> s3 -> s2 -> s1 -> s0 -> /bin/echo runs, s5 gives ELOOP.
   */
  static final int MAX_SUBSTITUTIONS = 5;

  /** A parsed "#!" line. {@code argument} is null when the line has none. */
  record Line(byte[] interpreter, byte[] argument) {}

  private ScriptInterpreter() {}

  static boolean isScript(byte[] head, int length) {
    return length >= 2 && head[0] == '#' && head[1] == '!';
  }

  /** Parses the first {@code length} bytes of a script (the "#!" already checked). */
  static Line parse(byte[] head, int length) {
    // The buffer as the kernel fills it: the file's first bytes, zeros after a short file.
    byte[] buf = Arrays.copyOf(head, HEAD_SIZE);
    if (length < HEAD_SIZE) {
      Arrays.fill(buf, Math.max(length, 0), HEAD_SIZE, (byte) 0);
    }
    int last = HEAD_SIZE - 1; // the last byte is never part of the line
    int end = -1;
    for (int i = 2; i < HEAD_SIZE; i++) {
      if (buf[i] == '\n') {
        end = i;
        break;
      }
    }
    int i = skipBlanks(buf, 2, end < 0 ? last : end);
    if (end < 0) {
      // No end of line in the buffer: the name must end (blank or NUL) inside it, or it was cut.
      if (i == last) {
        throw Errno.ENOEXEC.exception("#! line of blanks only");
      }
      int j = i;
      while (j < last && !isBlank(buf[j]) && buf[j] != 0) {
        j++;
      }
      if (j == last) {
        throw Errno.ENOEXEC.exception("#! interpreter name too long");
      }
      end = last;
    }
    while (end > i && isBlank(buf[end - 1])) {
      end--;
    }
    // The name and the argument are C strings: a NUL ends either.
    int nameEnd = i;
    while (nameEnd < end && !isBlank(buf[nameEnd]) && buf[nameEnd] != 0) {
      nameEnd++;
    }
    if (nameEnd == i) {
      throw Errno.ENOEXEC.exception("#! without an interpreter");
    }
    byte[] interpreter = Arrays.copyOfRange(buf, i, nameEnd);
    int argStart = nameEnd;
    while (argStart < end && buf[argStart] != 0 && isBlank(buf[argStart])) {
      argStart++;
    }
    int argEnd = argStart;
    while (argEnd < end && buf[argEnd] != 0) {
      argEnd++;
    }
    boolean cut = nameEnd < end && buf[nameEnd] == 0;
    byte[] argument = !cut && argStart < argEnd ? Arrays.copyOfRange(buf, argStart, argEnd) : null;
    return new Line(interpreter, argument);
  }

  /**
   * The argv the interpreter gets: the interpreter as the script names it, the optional argument,
   * the script's path as passed to execve, then the script's arguments after argv[0].
   */
  static List<byte[]> argv(Line line, byte[] scriptPath, List<byte[]> argv) {
    List<byte[]> result = new ArrayList<>(argv.size() + 2);
    result.add(line.interpreter());
    if (line.argument() != null) {
      result.add(line.argument());
    }
    result.add(scriptPath);
    result.addAll(argv.subList(Math.min(1, argv.size()), argv.size()));
    return result;
  }

  private static int skipBlanks(byte[] b, int from, int to) {
    while (from < to && isBlank(b[from])) {
      from++;
    }
    return from;
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }
}
