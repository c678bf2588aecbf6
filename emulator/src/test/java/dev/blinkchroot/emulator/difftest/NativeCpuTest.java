package dev.blinkchroot.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host side of the differential harness, checked against values worked out by hand. */
class NativeCpuTest {
  private static final long CODE = MachineState.CODE_BASE;
  private final NativeCpu cpu = NativeCpu.get();

  private static Outcome completed(Outcome o) {
    assertTrue(o.completed(), () -> "expected completion, got " + o);
    return o;
  }

  @Test
  void nop_leavesRandomStateUnchanged() {
    RandomStates rs = RandomStates.seeded(42).x87Depth(0, 8);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cases.add(Case.of("nop", rs.next()));
    }
    List<Outcome> out = cpu.run(cases);
    for (int i = 0; i < cases.size(); i++) {
      MachineState initial = cases.get(i).initial();
      MachineState fin = completed(out.get(i)).state();
      assertEquals(List.of(), initial.differences(fin), "case " + i);
      assertEquals(CODE + 1, out.get(i).rip());
    }
  }

  @Test
  void addRaxRbx_signedOverflow_setsOfSfAfPf() {
    MachineState s = MachineState.initial().set(Reg.RAX, Long.MAX_VALUE).set(Reg.RBX, 1);
    MachineState f = completed(cpu.run("add rax, rbx", s)).state();
    assertEquals(Long.MIN_VALUE, f.get(Reg.RAX));
    // 0x7fff..ff + 1: no carry out, signed overflow, negative, carry out of bit 3, low byte 0x00
    // has an even number of ones
    assertEquals(RFlags.FIXED | RFlags.OF | RFlags.SF | RFlags.AF | RFlags.PF, f.rflags());
    assertEquals(List.of("RAX: this=7fffffffffffffff other=8000000000000000",
        "RFLAGS: this=0x202 [-] other=0xa96 [PF AF SF OF] (differ in PF AF SF OF)"),
        s.differences(f));
  }

  @Test
  void addRaxRbx_minusOnePlusOne_setsCfZfAfPf() {
    MachineState s = MachineState.initial().set(Reg.RAX, -1).set(Reg.RBX, 1)
        .setFlags(RFlags.SF | RFlags.OF);
    MachineState f = completed(cpu.run("add rax, rbx", s)).state();
    assertEquals(0, f.get(Reg.RAX));
    assertEquals(RFlags.FIXED | RFlags.CF | RFlags.ZF | RFlags.AF | RFlags.PF, f.rflags());
  }

  @Test
  void addRaxRbx_0x7f_plus_0x01_setsNoCarryOddParity() {
    MachineState s = MachineState.initial().set(Reg.RAX, 0x7e).set(Reg.RBX, 0x03)
        .setFlags(RFlags.CF | RFlags.ZF);
    MachineState f = completed(cpu.run("add rax, rbx", s)).state();
    assertEquals(0x81, f.get(Reg.RAX));
    // 0x81 = 1000_0001: two ones, even parity; 0xe + 0x3 carries out of bit 3
    assertEquals(RFlags.FIXED | RFlags.AF | RFlags.PF, f.rflags());
  }

  @Test
  void pushRaxPopRcx_writesStackInDataRegion() {
    MachineState s = MachineState.initial().set(Reg.RAX, 0x1122_3344_5566_7788L);
    MachineState f = completed(cpu.run("push rax; pop rcx", s)).state();
    assertEquals(0x1122_3344_5566_7788L, f.get(Reg.RCX));
    assertEquals(MachineState.STACK_TOP, f.get(Reg.RSP));
    assertEquals(0x1122_3344_5566_7788L, f.readLong(MachineState.STACK_TOP - 8));
    assertEquals(List.of("RCX: this=0000000000000000 other=1122334455667788",
        String.format("memory %#x..%#x (8 bytes): this=00 00 00 00 00 00 00 00 "
            + "other=88 77 66 55 44 33 22 11", MachineState.STACK_TOP - 8,
            MachineState.STACK_TOP - 1)), s.differences(f));
  }

  @Test
  void callAndRet_useTheGuestStack() {
    MachineState s = MachineState.initial();
    MachineState f = completed(cpu.run("call 1f; jmp 2f; 1: mov rax, [rsp]; ret; 2:", s))
        .state();
    // the return address is CODE_BASE + 5 (after the 5-byte call)
    assertEquals(CODE + 5, f.get(Reg.RAX));
    assertEquals(CODE + 5, f.readLong(MachineState.STACK_TOP - 8));
  }

  @Test
  void movdqaMisaligned_faults_andTheNextCaseStillRuns() {
    MachineState bad = MachineState.initial().set(Reg.RDI, MachineState.DATA_BASE + 8);
    MachineState good = MachineState.initial().set(Reg.RDI, MachineState.DATA_BASE + 16);
    good.writeLong(MachineState.DATA_BASE + 16, 0x0123_4567_89ab_cdefL);
    List<Outcome> out = cpu.run(List.of(Case.of("movdqa xmm0, [rdi]", bad),
        Case.of("movdqa xmm0, [rdi]", good), Case.of("nop", bad)));
    Outcome f = out.get(0);
    assertTrue(f.faulted(), f::toString);
    assertTrue(f.signal() == Outcome.SIGSEGV || f.signal() == Outcome.SIGBUS, f::summary);
    assertEquals(CODE, f.rip());
    assertEquals(MachineState.DATA_BASE + 8, f.state().get(Reg.RDI));
    assertEquals(0x0123_4567_89ab_cdefL, completed(out.get(1)).state().xmmLo(0));
    completed(out.get(2));
  }

  @Test
  void divRcx_byZero_givesSigfpeIntdivAtTheInstruction() {
    MachineState s = MachineState.initial().set(Reg.RAX, 10).set(Reg.RCX, 0);
    Outcome o = cpu.run("nop; div rcx", s);
    assertTrue(o.faulted(), o::toString);
    assertEquals(Outcome.SIGFPE, o.signal());
    assertEquals(1, o.siCode()); // FPE_INTDIV
    assertEquals(CODE + 1, o.siAddr());
    assertEquals(CODE + 1, o.rip());
    assertEquals(10, o.state().get(Reg.RAX));
  }

  @Test
  void fld1FldpiFaddp_gives80BitOnePlusPi() {
    Outcome o = completed(cpu.run("fld1; fldpi; faddp", MachineState.initial()));
    MachineState f = o.state();
    // pi = 0xc90fdaa22168c235 * 2^-62; 1 = 2^62 * 2^-62; the 65-bit sum 0x1090fdaa22168c235
    // shifted right once is 0x8487ed5110b4611a with a dropped 1 (a tie, kept even) at exponent 2
    assertEquals(0x4001, f.stSignExp(0));
    assertEquals(0x8487_ed51_10b4_611aL, f.stMantissa(0));
    assertEquals(7, f.x87Top());
    assertEquals(0x80, f.ftw()); // physical R7 valid
    assertEquals(0x20, f.fsw() & 0x3f, "precision exception only"); // PE
    // faddp popped pi from physical R6, which is ST(7) now; FXSAVE still shows it
    assertEquals(0x4000, f.stSignExp(7));
    assertEquals(0xc90f_daa2_2168_c235L, f.stMantissa(7));
  }

  @Test
  void ud2_givesSigill() {
    Outcome o = cpu.run("ud2", MachineState.initial());
    assertEquals(Outcome.SIGILL, o.signal(), o::summary);
    assertEquals(2, o.siCode()); // ILL_ILLOPN
    assertEquals(CODE, o.rip());
    assertEquals(CODE, o.siAddr());
  }

  @Test
  void ud2_stateAtTheSignal_isTheInitialStateForRandomStates() {
    RandomStates rs = RandomStates.seeded(11).x87Depth(0, 8);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cases.add(Case.of("ud2", rs.next()));
    }
    List<Outcome> out = cpu.run(cases);
    for (int i = 0; i < cases.size(); i++) {
      Outcome o = out.get(i);
      assertEquals(Outcome.SIGILL, o.signal(), o::summary);
      assertEquals(List.of(), cases.get(i).initial().differences(o.state()), "case " + i);
    }
  }

  @Test
  void int3_givesSigtrapAfterTheInstruction() {
    Outcome o = cpu.run("int3", MachineState.initial());
    assertEquals(Outcome.SIGTRAP, o.signal(), o::summary);
    assertEquals(Outcome.SI_KERNEL, o.siCode());
    assertEquals(CODE + 1, o.rip());
  }

  @Test
  void loadOutsideDataRegion_givesSegvMaperrWithTheAddress() {
    MachineState s = MachineState.initial().set(Reg.RSI, MachineState.DATA_BASE
        + MachineState.DATA_SIZE);
    Outcome o = cpu.run("mov rax, [rsi]", s);
    assertEquals(Outcome.SIGSEGV, o.signal(), o::summary);
    assertEquals(1, o.siCode()); // SEGV_MAPERR
    assertEquals(MachineState.DATA_BASE + MachineState.DATA_SIZE, o.siAddr());
  }

  @Test
  void storeThenFault_stateAtFaultHasTheStore() {
    MachineState s = MachineState.initial().set(Reg.RDI, MachineState.DATA_BASE)
        .set(Reg.RAX, 0x55);
    Outcome o = cpu.run("mov [rdi], rax; inc rax; ud2", s);
    assertEquals(Outcome.SIGILL, o.signal(), o::summary);
    assertEquals(0x55, o.state().readLong(MachineState.DATA_BASE));
    assertEquals(0x56, o.state().get(Reg.RAX));
    assertEquals(CODE + 6, o.rip());
  }

  @Test
  void jumpIntoDataRegion_faultsBecauseDataIsNotExecutable() {
    MachineState s = MachineState.initial().set(Reg.RAX, MachineState.DATA_BASE);
    Outcome o = cpu.run("jmp rax", s);
    assertEquals(Outcome.SIGSEGV, o.signal(), o::summary);
    assertEquals(MachineState.DATA_BASE, o.rip());
    assertEquals(2, o.siCode()); // SEGV_ACCERR
  }

  @Test
  void syscall_isRefusedWithSigsys() {
    MachineState s = MachineState.initial().set(Reg.RAX, 39); // getpid
    Outcome o = cpu.run("syscall", s);
    assertEquals(Outcome.SIGSYS, o.signal(), o::summary);
  }

  @Test
  void std_isReportedButNotLeakedIntoTheNextCase() {
    List<Outcome> out = cpu.run(List.of(Case.of("std", MachineState.initial()),
        Case.of("pushfq; pop rax", MachineState.initial())));
    assertEquals(RFlags.FIXED | RFlags.DF, completed(out.get(0)).state().rflags());
    assertEquals(RFlags.FIXED, completed(out.get(1)).state().get(Reg.RAX));
  }

  @Test
  void endlessLoop_timesOut_andTheNextCaseStillRuns() {
    List<Outcome> out = cpu.run(List.of(Case.of("1: jmp 1b", MachineState.initial()),
        Case.of("mov eax, 7", MachineState.initial())));
    assertEquals(Outcome.Kind.TIMEOUT, out.get(0).kind(), out.get(0)::summary);
    assertEquals(CODE, out.get(0).rip());
    assertEquals(7, completed(out.get(1)).state().get(Reg.RAX));
  }

  @Test
  void runnerKilledMidBatch_reportsACrashAndRunsTheRestInANewRunner() throws Exception {
    // The first case loops for about a second; the runner is killed once it has spent 100 ms of
    // CPU time, which only the loop spends (its start-up, however slow on a loaded machine,
    // does not), so the kill lands mid-batch, never before the runner said hello.
    Thread killer = new Thread(() -> {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        Optional<ProcessHandle> runner = ProcessHandle.current().children()
            .filter(p -> p.info().command().orElse("").endsWith("difftest-runner")
                && p.info().totalCpuDuration().map(d -> d.toMillis() >= 100).orElse(false))
            .findFirst();
        if (runner.isPresent()) {
          runner.get().destroyForcibly();
          return;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    killer.start();
    List<Outcome> out = cpu.run(List.of(Case.of("1: jmp 1b", MachineState.initial()),
        Case.of("mov eax, 1", MachineState.initial()),
        Case.of("mov eax, 2", MachineState.initial())));
    killer.join();
    assertEquals(Outcome.Kind.CRASHED, out.get(0).kind(), out.get(0)::summary);
    assertTrue(out.get(0).message().contains("killed by signal 9"), out.get(0).message());
    assertEquals(1, completed(out.get(1)).state().get(Reg.RAX));
    assertEquals(2, completed(out.get(2)).state().get(Reg.RAX));
  }

  @Test
  void rawBytes_runLikeAssembledCode() {
    MachineState s = MachineState.initial().set(Reg.RAX, 2).set(Reg.RBX, 3);
    Outcome o = completed(cpu.run(Case.ofBytes(new byte[] {0x48, 0x01, (byte) 0xd8}, s)));
    assertEquals(5, o.state().get(Reg.RAX));
    assertEquals(CODE + 3, o.rip());
  }

  @Test
  void sse_roundingModeFromMxcsr_isApplied() {
    MachineState s = MachineState.initial().setMxcsr(0x1f80 | 2 << 13) // round up
        .setXmm(0, Double.doubleToRawLongBits(1.0), 0)
        .setXmm(1, Double.doubleToRawLongBits(3.0), 0);
    MachineState f = completed(cpu.run("divsd xmm0, xmm1", s)).state();
    assertEquals(0x3fd5_5555_5555_5556L, f.xmmLo(0)); // 1/3 rounded up (nearest ends in 5)
    assertEquals(0x1f80 | 2 << 13 | 0x20, f.mxcsr()); // PE set
  }

  @Test
  void badInitialRflags_isRejected() {
    MachineState s = MachineState.initial().setRflags(RFlags.FIXED | RFlags.TF);
    try {
      cpu.run("nop", s);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("RFLAGS"));
      return;
    }
    throw new AssertionError("TF in the initial state was accepted");
  }

  @Test
  void batchOf2000RandomAddSub_runsInAFewSeconds() {
    RandomStates rs = RandomStates.seeded(7);
    List<Case> cases = new ArrayList<>();
    byte[] add = Assembler.assemble("add rax, rbx");
    byte[] sub = Assembler.assemble("sub rax, rbx");
    for (int i = 0; i < 2000; i++) {
      cases.add(new Case(i % 2 == 0 ? "add rax, rbx" : "sub rax, rbx", i % 2 == 0 ? add : sub,
          rs.next()));
    }
    cpu.run(cases.subList(0, 10)); // warm-up
    long t0 = System.nanoTime();
    List<Outcome> out = cpu.run(cases);
    double secs = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < cases.size(); i++) {
      long a = cases.get(i).initial().get(Reg.RAX);
      long b = cases.get(i).initial().get(Reg.RBX);
      assertEquals(i % 2 == 0 ? a + b : a - b, completed(out.get(i)).state().get(Reg.RAX));
    }
    System.out.printf("difftest: %d native cases in %.3f s = %.0f cases/s%n", cases.size(), secs,
        cases.size() / secs);
    assertTrue(secs < 5, "2000 cases took " + secs + " s");
  }
}
