package dev.blinkchroot.runner;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options that say how to assemble the sandbox; shared by the main form and {@code fs}.
 * Declared through picocli's programmatic API (no annotations, so no reflection or annotation
 * proxies at start-up); the values are read from the specs after parsing.
 */
final class SandboxOptions {
  private final OptionSpec store;
  private final OptionSpec binds;
  private final OptionSpec cacheDir;
  private final OptionSpec noCache;

  private SandboxOptions(OptionSpec store, OptionSpec binds, OptionSpec cacheDir,
      OptionSpec noCache) {
    this.store = store;
    this.binds = binds;
    this.cacheDir = cacheDir;
    this.noCache = noCache;
  }

  /** Adds --store, --bind, --cache-dir and --no-cache to {@code spec}, in that order. */
  static SandboxOptions addTo(CommandSpec spec) {
    OptionSpec store = OptionSpec.builder("--store")
        .paramLabel("memory|DIR")
        .type(StoreSpec.class)
        .converters(new StoreSpec.Converter())
        .initialValue(StoreSpec.MEMORY)
        .description("Where changes to the image go: 'memory' (default; discarded at exit) or a "
            + "host directory that keeps them between runs.")
        .build();
    OptionSpec binds = OptionSpec.builder("-v", "--bind")
        .paramLabel("HOST:GUEST[:ro]")
        .type(List.class)
        .auxiliaryTypes(BindSpec.class)
        .converters(new BindSpec.Converter())
        .description("Show the host directory HOST at GUEST inside the sandbox (created if "
            + "missing); ':ro' makes it read-only. Repeatable.")
        .build();
    OptionSpec cacheDir = OptionSpec.builder("--cache-dir")
        .paramLabel("DIR")
        .type(Path.class)
        .description("Where imported tarballs are cached (default: blink-chroot in "
            + "$XDG_CACHE_HOME or in ~/.cache).")
        .build();
    OptionSpec noCache = OptionSpec.builder("--no-cache")
        .type(boolean.class)
        .description("Import the tarball afresh and cache nothing.")
        .build();
    spec.addOption(store).addOption(binds).addOption(cacheDir).addOption(noCache);
    return new SandboxOptions(store, binds, cacheDir, noCache);
  }

  /** The sandbox these options (as parsed) and {@code rootfs} describe. */
  SandboxConfig toConfig(Path rootfs, CliContext context) {
    StoreSpec storeValue = store.getValue();
    List<BindSpec> bindValues = binds.getValue();
    Boolean noCacheValue = noCache.getValue();
    return new SandboxConfig(rootfs, storeValue == null ? StoreSpec.MEMORY : storeValue,
        bindValues == null ? List.of() : bindValues, cacheDir.getValue(),
        !Boolean.TRUE.equals(noCacheValue), context.stderrIsTerminal());
  }
}
