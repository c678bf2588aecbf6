package dev.blinkchroot.vfs.nio;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the real host file system, in a temporary directory. */
class HostStoreTempDirTest extends StoreContractTest {
  @TempDir
  Path tmp;

  @Override
  protected Path storeDir() {
    return tmp.resolve("store");
  }

  @Override
  protected boolean caseInsensitiveHost() {
    return false; // Linux
  }
}
