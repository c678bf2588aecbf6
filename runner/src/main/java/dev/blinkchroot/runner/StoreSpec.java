package dev.blinkchroot.runner;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where the writable upper layer lives: {@code memory} (gone at exit) or a host directory that
 * keeps the changes between runs. A directory literally named "memory" is {@code ./memory}.
 */
public record StoreSpec(Path directory) {
  public static final StoreSpec MEMORY = new StoreSpec(null);

  public boolean isMemory() {
    return directory == null;
  }

  public static StoreSpec parse(String value) {
    if (value.equals("memory")) {
      return MEMORY;
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException("expected 'memory' or a directory, got ''");
    }
    try {
      return new StoreSpec(Path.of(value));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid directory '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return isMemory() ? "memory" : directory.toString();
  }

  static final class Converter implements ITypeConverter<StoreSpec> {
    @Override
    public StoreSpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
