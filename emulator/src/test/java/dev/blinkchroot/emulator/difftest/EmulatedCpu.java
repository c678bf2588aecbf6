package dev.blinkchroot.emulator.difftest;

/**
 * The emulator side of a differential test: runs one snippet from one state, exactly as
 * {@link NativeCpu} does on the host. Implementations adapt the interpreter (and later the JIT).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Guest memory: {@code code} at {@link MachineState#CODE_BASE} in a region of
 *       {@link MachineState#CODE_SIZE} bytes (read, write, execute; bytes after the code are not
 *       specified), the data region ({@link MachineState#data()}) at
 *       {@link MachineState#DATA_BASE} (read/write, <em>not</em> executable); nothing else is
 *       mapped, so any other access faults (SIGSEGV, SEGV_MAPERR, si_addr = the address).
 *   <li>Registers from {@code initial}; RIP = CODE_BASE; FS/GS bases 0.
 *   <li>The run completes when RIP equals {@code CODE_BASE + code.length}: return
 *       {@link Outcome#completed(MachineState, int)} with the final state (all registers,
 *       RFLAGS as PUSHFQ would read it, so with bits 1 and 9 set, MXCSR, the x87 image with
 *       FOP/FIP/FDP free, XMM, the data region).
 *   <li>A fault returns {@link Outcome#signal} with the Linux signal, si_code, si_addr, the RIP
 *       a handler would see, and the state at that point: SIGSEGV/SI_KERNEL/0 for #GP (a
 *       misaligned MOVDQA, a non-canonical address), SIGSEGV/SEGV_MAPERR or SEGV_ACCERR/address
 *       for page faults, SIGFPE/FPE_INTDIV/insn address for #DE, SIGILL/ILL_ILLOPN/insn address
 *       for #UD, SIGTRAP/SI_KERNEL/0 with RIP after the INT3, SIGFPE with the FPE_* code for
 *       unmasked x87/SSE exceptions. SYSCALL returns SIGSYS (the host refuses it too).
 *   <li>An instruction budget (a few million) ends endless loops with {@link Outcome#timeout}.
 *   <li>{@code initial} must not be modified.
 * </ul>
 */
@FunctionalInterface
public interface EmulatedCpu {
  Outcome run(byte[] code, MachineState initial);
}
