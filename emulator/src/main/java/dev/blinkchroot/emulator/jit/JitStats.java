package dev.blinkchroot.emulator.jit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the JIT did in one run: regions compiled, the guest instructions and bytecode in them,
 * the time spent compiling, and how much compiled code went away (evicted for the code budget,
 * or invalidated because its guest code changed). Shown by {@code --report}.
 */
public final class JitStats {
  private final AtomicLong regions = new AtomicLong();
  private final AtomicLong guestInsns = new AtomicLong();
  private final AtomicLong bytecodeBytes = new AtomicLong();
  private final AtomicLong compileNanos = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong invalidated = new AtomicLong();
  private final AtomicLong notCompiled = new AtomicLong();
  private final AtomicLong reusedEntries = new AtomicLong();

  void compiled(int insns, int bytes, long nanos) {
    regions.incrementAndGet();
    guestInsns.addAndGet(insns);
    bytecodeBytes.addAndGet(bytes);
    compileNanos.addAndGet(nanos);
  }

  void notCompiled(long nanos) {
    notCompiled.incrementAndGet();
    compileNanos.addAndGet(nanos);
  }

  void countReusedEntry() {
    reusedEntries.incrementAndGet();
  }

  /** Hot blocks given an entry into a region compiled already, instead of a region of their own. */
  public long reusedEntries() {
    return reusedEntries.get();
  }

  void countEviction() {
    evicted.incrementAndGet();
  }

  void countInvalidation() {
    invalidated.incrementAndGet();
  }

  public long regions() {
    return regions.get();
  }

  public long guestInsns() {
    return guestInsns.get();
  }

  public long bytecodeBytes() {
    return bytecodeBytes.get();
  }

  public long compileNanos() {
    return compileNanos.get();
  }

  public long evicted() {
    return evicted.get();
  }

  public long invalidated() {
    return invalidated.get();
  }

  public long notCompiled() {
    return notCompiled.get();
  }

  /** One line for --report. */
  public String summary() {
    return String.format("jit: %d regions compiled (%d guest instructions, %d bytes of bytecode)"
        + " in %.1f ms, %d more hot blocks entered them; %d evicted, %d invalidated, %d not"
        + " compiled", regions(), guestInsns(), bytecodeBytes(), compileNanos() / 1e6,
        reusedEntries(), evicted(), invalidated(), notCompiled());
  }
}
