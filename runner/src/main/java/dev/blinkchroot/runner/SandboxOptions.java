package dev.blinkchroot.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say how to assemble the sandbox; shared by the main form and {@code fs}. */
final class SandboxOptions {
  @Option(names = "--store", paramLabel = "memory|DIR", converter = StoreSpec.Converter.class,
      description = "Where changes to the image go: 'memory' (default; discarded at exit) or a "
          + "host directory that keeps them between runs.")
  StoreSpec store = StoreSpec.MEMORY;

  @Option(names = {"-v", "--bind"}, paramLabel = "HOST:GUEST[:ro]",
      converter = BindSpec.Converter.class,
      description = "Show the host directory HOST at GUEST inside the sandbox (created if "
          + "missing); ':ro' makes it read-only. Repeatable.")
  List<BindSpec> binds = new ArrayList<>();

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where imported tarballs are cached (default: blink-chroot in "
          + "$XDG_CACHE_HOME or in ~/.cache).")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Import the tarball afresh and cache nothing.")
  boolean noCache;

  SandboxConfig toConfig(Path rootfs, CliContext context) {
    return new SandboxConfig(rootfs, store, binds, cacheDir, !noCache,
        context.stderrIsTerminal());
  }
}
