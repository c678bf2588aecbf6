package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CodeCache;
import dev.blinkchroot.emulator.cpu.CompiledCode;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.ExecutionEngine;
import dev.blinkchroot.emulator.cpu.Interpreter;
import dev.blinkchroot.emulator.cpu.SyscallHandler;
import dev.blinkchroot.emulator.cpu.Tier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

  /** A region's entry points, as installed (the first is its main entry). */
  private record Installed(CodeCache code, List<Long> addresses,
      List<RegionCode.EntryPoint> points, int bytes) {
    RegionCode.EntryPoint main() {
      return points.get(0);
    }

    boolean retired() {
      return points.get(0).isRetired();
    }
  }

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
    Entries entries = entriesOf(code);
    RegionCode.EntryPoint known = entries.reuse(code, entry, stopAddress);
    if (known != null) {
      stats.countReusedEntry();
      return known; // a block inside a region compiled already: entered there, not compiled
    }
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
      RegionCode regionCode = CodeLoader.load(out.classFile(), out.classData());
      Installed installed = entries.add(code, region, regionCode, stopAddress, generation,
          out.classFile().length);
      if (installed == null) {
        stats.notCompiled(System.nanoTime() - start);
        return null; // the code changed while we compiled it
      }
      account(installed);
      stats.compiled(region.size(), out.methodBytes(), System.nanoTime() - start);
      return installed.main();
    }
  }

  /** The entry points of an address space's compiled regions, kept with its code cache. */
  private Entries entriesOf(CodeCache code) {
    synchronized (code) {
      Object state = code.compilerState();
      if (state instanceof Entries e) {
        return e;
      }
      Entries e = new Entries();
      code.setCompilerState(e);
      return e;
    }
  }

  /**
   * Every entry point of the live regions of one address space, by guest address: a block that
   * turns hot at one of them is entered there. An entry point is installed on its block when the
   * region is made (if the block exists) or when the block first asks to be compiled.
   */
  private static final class Entries {
    private final java.util.Map<Long, Registered> byAddress = new java.util.HashMap<>();

    private record Registered(RegionCode.EntryPoint point, Region region, int generation) {}

    synchronized RegionCode.EntryPoint reuse(CodeCache code, long address, long stop) {
      Registered r = byAddress.get(address);
      if (r == null) {
        return null;
      }
      if (r.point.isRetired() || !r.point.stopsAt(stop)
          || !code.install(address, r.point, r.region.pages(), r.generation)) {
        byAddress.remove(address);
        return null;
      }
      return r.point;
    }

    /** Installs a new region's entries; null if its main entry could not be installed. */
    synchronized Installed add(CodeCache code, Region region, RegionCode regionCode, long stop,
        int generation, int bytes) {
      long[] pages = region.pages();
      List<Long> addresses = new ArrayList<>();
      List<RegionCode.EntryPoint> points = new ArrayList<>();
      for (int e = 0; e < region.entries.length; e++) {
        long address = region.insns[region.entries[e]].address;
        RegionCode.EntryPoint point = new RegionCode.EntryPoint(regionCode, e, region.low(),
            region.high(), stop);
        boolean installed = code.install(address, point, pages, generation);
        if (e == 0 && !installed) {
          return null;
        }
        Registered old = byAddress.get(address);
        if (old == null || old.point.isRetired()) {
          byAddress.put(address, new Registered(point, region, generation));
        }
        addresses.add(address);
        points.add(point);
      }
      return new Installed(code, addresses, points, bytes);
    }

    synchronized void forget(List<Long> addresses, List<RegionCode.EntryPoint> points) {
      for (int i = 0; i < addresses.size(); i++) {
        Registered r = byAddress.get(addresses.get(i));
        if (r != null && r.point == points.get(i)) {
          byAddress.remove(addresses.get(i));
        }
      }
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
        if (i.retired()) {
          it.remove();
          liveBytes -= i.bytes;
          entriesOf(i.code).forget(i.addresses, i.points);
          stats.countInvalidation();
        }
      }
      while (liveBytes > options.codeBudget() && installed.size() > 1) {
        Installed oldest = installed.pollFirst();
        for (int e = 0; e < oldest.addresses.size(); e++) {
          oldest.code.uninstall(oldest.addresses.get(e), oldest.points.get(e));
        }
        entriesOf(oldest.code).forget(oldest.addresses, oldest.points);
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
