package dev.blinkchroot.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreSpecTest {
  @Test
  void parse_memory_isTheMemoryStore() {
    assertSame(StoreSpec.MEMORY, StoreSpec.parse("memory"));
  }

  @Test
  void parse_directory_isAHostStore() {
    StoreSpec s = StoreSpec.parse("/var/tmp/changes");
    assertFalse(s.isMemory());
    assertEquals(Path.of("/var/tmp/changes"), s.directory());
  }

  @Test
  void parse_dotSlashMemory_isADirectoryNamedMemory() {
    assertEquals(Path.of("./memory"), StoreSpec.parse("./memory").directory());
  }

  @Test
  void parse_empty_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> StoreSpec.parse(""));
  }
}
