package dev.blinkchroot.emulator.jit;

import dev.blinkchroot.emulator.cpu.CompiledCode;
import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.cpu.Interpreter;

/**
 * The superclass of the generated region classes: one method that can be entered at any of the
 * region's merge points ({@code entry}: their number in {@link Region#entries}), so that a block
 * that turns hot inside an existing region is given an entry into it instead of a compilation of
 * its own. The {@code CompiledCode} the dispatcher holds for each entry is an {@link EntryPoint}.
 */
abstract class RegionCode {
  /** Runs the region from entry {@code entry}; as {@link CompiledCode#run}. */
  abstract void run(Cpu cpu, Interpreter runner, int entry);

  /** One way into a region: what the code cache holds for the entry's block. */
  static final class EntryPoint extends CompiledCode {
    private final RegionCode code;
    private final int entry;

    EntryPoint(RegionCode code, int entry, long low, long high, long stopAddress) {
      super(low, high, stopAddress);
      this.code = code;
      this.entry = entry;
    }

    @Override
    public void run(Cpu cpu, Interpreter runner) {
      code.run(cpu, runner, entry);
    }
  }
}
