package dev.blinkchroot.vfs.nio;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A store killed mid-session on the real host file system, in a temporary directory. */
class StoreCrashTempDirTest extends StoreCrashContractTest {
  @TempDir
  Path tmp;

  @Override
  protected Path storeDir() {
    return tmp.resolve("store");
  }
}
