package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.CompiledCode;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.cpu.SyscallHandler;
import dev.blinkchroot.emulator.cpu.Tier;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The JIT of one sandbox: the {@link Tier} the interpreter hands hot blocks to, and the owner of
 * the code budget. A region is built from the hot block ({@link RegionBuilder}), compiled
 * ({@link RegionCompiler}), loaded as a hidden class and installed on the block in the address
 * space's {@link CodeCache}, where every thread of the process finds it. When more bytecode is
 * alive than the budget allows, the oldest regions are taken off their blocks (their code is
 * interpreted again, and compiled again if it stays hot).
 */
public final class Jit implements ExecutionEngine, Tier {
  private final JitOptions options;
  private final JitStats stats = new JitStats();
  /** Installed regions, oldest first; guarded by itself. */
  private final ArrayDeque<Installed> installed = new ArrayDeque<>();
  private long liveBytes;

  private record Installed(CodeCache code, long entry, CompiledCode compiled, int bytes) {}

  private Jit(JitOptions options) {
    this.options = options;
  }

  /** The engine {@code options} describe: the interpreter alone when the JIT is off. */
  public static ExecutionEngine engine(JitOptions options) {
    return options.enabled() ? new Jit(options) : ExecutionEngine.INTERPRETER;
  }

  /** The statistics of {@code engine}, or null if it does not compile. */
  public static JitStats statsOf(ExecutionEngine engine) {
    return engine instanceof Jit jit ? jit.stats : null;
  }

  @Override
  public Interpreter runner(Cpu cpu, CodeCache code, SyscallHandler syscalls) {
    return Interpreter.create(cpu, code, syscalls, this);
  }

  @Override
  public int threshold() {
    return options.threshold();
  }

  @Override
  public CompiledCode compile(CodeCache code, long entry, long stopAddress) {
    long start = System.nanoTime();
    int generation = code.generation();
    int maxInsns = options.maxRegionInsns();
    while (true) {
      Region region = RegionBuilder.build(code, entry, stopAddress, maxInsns,
          options.followColdEdges());
      if (region == null) {
        stats.notCompiled(System.nanoTime() - start);
        return null;
      }
      RegionCompiler.Output out = RegionCompiler.compile(region, code);
      if (out.tooBig() || out.methodBytes() > RegionCompiler.MAX_METHOD_BYTES) {
        if (region.size() == 1) {
          stats.notCompiled(System.nanoTime() - start);
          return null;
        }
        // Too big for HotSpot to compile: fewer instructions, in proportion.
        maxInsns = Math.max(1, (int) ((long) region.size() * RegionCompiler.MAX_METHOD_BYTES
            / out.methodBytes() * 9 / 10));
        continue;
      }
      dump(region, out);
      CompiledCode compiled = CodeLoader.load(out.classFile(), out.classData(), region.low(),
          region.high(), stopAddress);
      if (!code.install(entry, compiled, region.pages(), generation)) {
        stats.notCompiled(System.nanoTime() - start);
        return null; // the code changed while we compiled it
      }
      account(new Installed(code, entry, compiled, out.classFile().length));
      stats.compiled(region.size(), out.methodBytes(), System.nanoTime() - start);
      return compiled;
    }
  }

  /**
   * With the {@value #DUMP_PROPERTY} system property (or BLINK_CHROOT_JIT_DUMP) naming a
   * directory, writes each region's class file there (for {@code javap -c -p}) and a listing of
   * its guest instructions: a debugging aid.
   */
  private static void dump(Region region, RegionCompiler.Output out) {
    String dir = System.getProperty(DUMP_PROPERTY, System.getenv("BLINK_CHROOT_JIT_DUMP"));
    if (dir == null || dir.isEmpty()) {
      return;
    }
    String name = "Region_" + Long.toHexString(region.entry);
    StringBuilder listing = new StringBuilder();
    for (dev.blinkchroot.emulator.decode.Insn insn : region.insns) {
      listing.append(insn.describe()).append('\n');
    }
    try {
      java.nio.file.Path d = java.nio.file.Path.of(dir);
      java.nio.file.Files.createDirectories(d);
      java.nio.file.Files.write(d.resolve(name + ".class"), out.classFile());
      java.nio.file.Files.writeString(d.resolve(name + ".txt"), listing);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The system property naming a directory to dump compiled regions into. */
  public static final String DUMP_PROPERTY = "blinkchroot.jit.dump";

  /** Counts a new region against the budget, evicting the oldest ones beyond it. */
  private void account(Installed fresh) {
    synchronized (installed) {
      installed.addLast(fresh);
      liveBytes += fresh.bytes;
      if (liveBytes <= options.codeBudget()) {
        return;
      }
      for (Iterator<Installed> it = installed.iterator(); it.hasNext(); ) {
        Installed i = it.next();
        if (i.compiled.isRetired()) {
          it.remove();
          liveBytes -= i.bytes;
          stats.countInvalidation();
        }
      }
      while (liveBytes > options.codeBudget() && installed.size() > 1) {
        Installed oldest = installed.pollFirst();
        oldest.code.uninstall(oldest.entry, oldest.compiled);
        liveBytes -= oldest.bytes;
        stats.countEviction();
      }
    }
  }

  public JitStats stats() {
    return stats;
  }

  public JitOptions options() {
    return options;
  }
}
