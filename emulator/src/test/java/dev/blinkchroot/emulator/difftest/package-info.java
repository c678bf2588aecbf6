/**
 * Differential CPU tests: the same instruction snippet runs on the host CPU and in the emulator,
 * and registers, flags, x87/SSE state, memory and faults must match.
 *
 * <pre>
 *   Intel-syntax text ──Assembler (as, batched, cached)──> code bytes ─┐
 *   RandomStates (seeded) ──> MachineState (initial) ──────────────────┤  Case
 *                                                                      v
 *   NativeCpu: runner.c built with gcc, one process per batch, pipes ──> Outcome (host)
 *   EmulatedCpu (the interpreter/JIT adapter) ─────────────────────────> Outcome (emulator)
 *   Differential.compare(host, emulator, Undefined) ──> differences ──> readable report
 * </pre>
 *
 * <p>A test for one instruction form:
 *
 * <pre>
 *   EmulatedCpu cpu = (code, initial) -&gt; myInterpreterAdapter.run(code, initial);
 *   Differential.of(cpu).check("shl rax, cl",
 *       Undefined.flags(RFlags.AF).andFlags(RFlags.OF),      // OF undefined for counts != 1
 *       RandomStates.forForm("shl r64, cl"));
 *   Differential.of(cpu).check("movdqu xmm1, [rsi]", Undefined.NONE,
 *       RandomStates.forForm("movdqu x, m128").pointers(Reg.RSI));
 * </pre>
 *
 * {@code -Ddifftest.cases=N} sets the number of random states per form (default 20),
 * {@code -Ddifftest.seed=N} the base seed; a failure report names both.
 *
 * <p>Snippets must stay inside the harness's world: memory operands through registers that
 * point into the data region ({@link dev.blinkchroot.emulator.difftest.RandomStates#pointers}),
 * no system calls (the host refuses them with SIGSYS), no segment register loads, no AVX (the
 * upper YMM halves are neither loaded nor compared).
 */
package dev.blinkchroot.emulator.difftest;
