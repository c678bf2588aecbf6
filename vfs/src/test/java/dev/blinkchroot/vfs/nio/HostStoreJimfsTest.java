package dev.blinkchroot.vfs.nio;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The store contract on hosts this machine is not: Windows (case-insensitive, '\' separators,
 * drive letters), macOS (case-insensitive, Unicode-normalizing), and a Unix file system without
 * symlinks, all emulated by Jimfs.
 */
class HostStoreJimfsTest {
  @Nested
  class OnWindows extends StoreContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.windows());

    @Override
    protected Path storeDir() {
      return host.getPath("C:\\Users\\me\\store");
    }

    @Override
    protected boolean caseInsensitiveHost() {
      return true;
    }
  }

  @Nested
  class OnMacOs extends StoreContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.osX());

    @Override
    protected Path storeDir() {
      return host.getPath("/Users/me/store");
    }

    @Override
    protected boolean caseInsensitiveHost() {
      return true;
    }
  }

  @Nested
  class WithoutSymlinks extends StoreContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setSupportedFeatures(Feature.LINKS, Feature.FILE_CHANNEL).build());

    @Override
    protected Path storeDir() {
      return host.getPath("/store");
    }

    @Override
    protected boolean caseInsensitiveHost() {
      return false;
    }
  }
}
