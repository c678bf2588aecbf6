package dev.blinkchroot.vfs.nio;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * A store killed mid-session on hosts this machine is not (see {@link HostStoreJimfsTest}):
 * case-insensitive Windows and macOS, where the journal holds escaped names, and a Unix file
 * system without symlinks, where it holds placeholders.
 */
class StoreCrashJimfsTest {
  @Nested
  class OnWindows extends StoreCrashContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.windows());

    @Override
    protected Path storeDir() {
      return host.getPath("C:\\Users\\me\\store");
    }
  }

  @Nested
  class OnMacOs extends StoreCrashContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.osX());

    @Override
    protected Path storeDir() {
      return host.getPath("/Users/me/store");
    }
  }

  @Nested
  class WithoutSymlinks extends StoreCrashContractTest {
    private final FileSystem host = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setSupportedFeatures(Feature.LINKS, Feature.FILE_CHANNEL).build());

    @Override
    protected Path storeDir() {
      return host.getPath("/store");
    }
  }
}
