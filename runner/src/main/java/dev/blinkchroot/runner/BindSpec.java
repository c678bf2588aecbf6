package dev.blinkchroot.runner;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code --bind HOST:GUEST[:ro|rw]}: a host directory shown at an absolute guest path. The
 * string is split from the right, so a Windows host path with a drive letter ({@code
 * C:\src:/src}) still parses.
 */
public record BindSpec(Path hostPath, String guestPath, boolean readOnly) {
  public static BindSpec parse(String spec) {
    String rest = spec;
    boolean readOnly = false;
    if (rest.endsWith(":ro") || rest.endsWith(":rw")) {
      readOnly = rest.endsWith(":ro");
      rest = rest.substring(0, rest.length() - 3);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1) {
      throw new IllegalArgumentException("expected HOST:GUEST[:ro], got '" + spec + "'");
    }
    String host = rest.substring(0, colon);
    String guest = rest.substring(colon + 1);
    if (!guest.startsWith("/")) {
      throw new IllegalArgumentException(
          "the guest path must be absolute (start with '/'), got '" + guest + "'");
    }
    Path hostPath;
    try {
      hostPath = Path.of(host);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid host path '" + host + "'");
    }
    return new BindSpec(hostPath, guest, readOnly);
  }

  @Override
  public String toString() {
    return hostPath + ":" + guestPath + (readOnly ? ":ro" : "");
  }

  /** picocli's hook: a malformed spec is a usage error. */
  static final class Converter implements ITypeConverter<BindSpec> {
    @Override
    public BindSpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
