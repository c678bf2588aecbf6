package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.decode.Op.*;

import dev.blinkchroot.emulator.decode.Insn;
import dev.blinkchroot.emulator.decode.Op;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * The one table from operation to executor: every {@link Op} belongs to exactly one {@link
 * Family}, whose executor runs it. The interpreter looks an instruction's executor up here
 * instead of offering it to each family in turn, and the JIT's fallback for an operation it does
 * not compile inline calls the same executor. Ownership is declared once, in {@link
 * Family#ops}; building the table fails if an operation is claimed twice or not at all.
 */
public final class OpTable {
  /** The executor families, each with the operations it owns. */
  enum Family {
    INTEGER(EnumSet.of(ADD, ADC, SUB, SBB, AND, OR, XOR, CMP, TEST, INC, DEC, NEG, NOT, ROL, ROR,
        RCL, RCR, SHL, SHR, SAR, SHLD, SHRD, MUL, IMUL, DIV, IDIV, MOV, MOVZX, MOVSX, MOVSXD, LEA,
        XCHG, XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B, BSWAP, MOVBE, MOVNTI, XLAT, BT, BTS, BTR,
        BTC, BSF, BSR, LZCNT, TZCNT, POPCNT, CRC32, ADCX, ADOX, ANDN, BEXTR, BLSI, BLSMSK, BLSR,
        BZHI, PDEP, PEXT, RORX, SARX, SHLX, SHRX, MULX),
        (cpu, insn, syscalls) -> IntegerExec.execute(cpu, insn)),
    CONTROL(EnumSet.of(SETCC, CMOVCC, JCC, JMP, CALL, RET, LOOP, LOOPE, LOOPNE, JRCXZ, INT3,
        SYSCALL, ENTER, LEAVE, PUSH, POP, PUSHF, POPF, CBW, CWDE, CDQE, CWD, CDQ, CQO, LAHF, SAHF,
        CLC, STC, CMC, CLD, STD, NOP, ENDBR64, ENDBR32, PAUSE, UD0, UD1, UD2, LFENCE, MFENCE,
        SFENCE, PREFETCH, CLFLUSH, CLFLUSHOPT, CLWB, BOUNDS_NOP),
        ControlExec::execute),
    STRING(EnumSet.of(MOVS, STOS, LODS, SCAS, CMPS),
        (cpu, insn, syscalls) -> StringExec.execute(cpu, insn)),
    /** CPUID and friends, and the instructions user mode may not run (#GP). */
    SYSTEM(EnumSet.of(CPUID, RDTSC, RDTSCP, RDRAND, RDSEED, XGETBV, MOV_SREG, HLT, CLI, STI, IN,
        OUT, INS, OUTS, INT, MOV_CR, MOV_DR, RDMSR, WRMSR, RDPMC, XSETBV, INVD, WBINVD, INVLPG,
        LGDT, LIDT, LLDT, LTR, LMSW, CLTS, SWAPGS, SYSRET, SYSENTER, SYSEXIT, IRET, MONITOR,
        MWAIT, RSM, Op.SYSTEM, JMP_FAR, CALL_FAR, RET_FAR, INT1),
        (cpu, insn, syscalls) -> SystemExec.execute(cpu, insn)),
    SSE_INTEGER(EnumSet.range(EMMS, PMOVZXDQ),
        (cpu, insn, syscalls) -> SseIntegerExec.execute(cpu, insn)),
    SSE_FLOAT(EnumSet.of(MOVUPS, MOVUPD, MOVSS, MOVSD, MOVAPS, MOVAPD, MOVLPS, MOVLPD, MOVHPS,
        MOVHPD, MOVHLPS, MOVLHPS, MOVSLDUP, MOVSHDUP, MOVDDUP, MOVNTPS, MOVNTPD, MOVMSKPS,
        MOVMSKPD, UNPCKLPS, UNPCKLPD, UNPCKHPS, UNPCKHPD, SHUFPS, SHUFPD, ADDPS, ADDPD, ADDSS,
        ADDSD, SUBPS, SUBPD, SUBSS, SUBSD, MULPS, MULPD, MULSS, MULSD, DIVPS, DIVPD, DIVSS, DIVSD,
        MINPS, MINPD, MINSS, MINSD, MAXPS, MAXPD, MAXSS, MAXSD, SQRTPS, SQRTPD, SQRTSS, SQRTSD,
        RSQRTPS, RSQRTSS, RCPPS, RCPSS, ANDPS, ANDPD, ANDNPS, ANDNPD, ORPS, ORPD, XORPS, XORPD,
        CMPPS, CMPPD, CMPSS, CMPSD, COMISS, COMISD, UCOMISS, UCOMISD, ADDSUBPS, ADDSUBPD, HADDPS,
        HADDPD, HSUBPS, HSUBPD, ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD, BLENDPS, BLENDPD, BLENDVPS,
        BLENDVPD, DPPS, DPPD, INSERTPS, EXTRACTPS, CVTPI2PS, CVTPI2PD, CVTSI2SS, CVTSI2SD,
        CVTTPS2PI, CVTTPD2PI, CVTTSS2SI, CVTTSD2SI, CVTPS2PI, CVTPD2PI, CVTSS2SI, CVTSD2SI,
        CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS, CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ, CVTTPD2DQ,
        CVTDQ2PD, CVTPD2DQ, LDMXCSR, STMXCSR),
        (cpu, insn, syscalls) -> SseFloatExec.execute(cpu, insn)),
    /** The x87 unit, its environment and state images, and XSAVE/XRSTOR. */
    X87(x87Ops(), (cpu, insn, syscalls) -> {
      if (!X87Exec.execute(cpu, insn)) {
        throw unhandled(insn);
      }
    }),
    /**
     * Decoded but not implemented (CPUID does not advertise them, or they exist only with VEX,
     * EVEX, XOP or 3DNow!): #UD, as on a processor without them.
     */
    NOT_IMPLEMENTED(notImplementedOps(), (cpu, insn, syscalls) -> {
      throw CpuTrap.of(CpuTrap.Kind.INVALID_OPCODE, "not implemented: " + insn.describe());
    });

    final EnumSet<Op> ops;
    final Executor executor;

    Family(EnumSet<Op> ops, Executor executor) {
      this.ops = ops;
      this.executor = executor;
    }

    private static EnumSet<Op> x87Ops() {
      EnumSet<Op> ops = EnumSet.range(FLD, FX87_LEGACY);
      ops.addAll(EnumSet.of(FXSAVE, FXRSTOR, XSAVE, XRSTOR, XSAVEOPT, XSAVEC, XSAVES, XRSTORS));
      return ops;
    }

    /** Everything no other family claims, listed explicitly so a new Op must be placed. */
    private static EnumSet<Op> notImplementedOps() {
      EnumSet<Op> ops = EnumSet.of(INVALID, RDPID, LAR, LSL, SLDT, STR, VERR, VERW, SGDT, SIDT,
          SMSW, CLAC, STAC, LSS, LFS, LGS, RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE, XBEGIN, XABORT,
          XEND, XTEST, RDPKRU, WRPKRU, EXTRQ, INSERTQ);
      ops.addAll(EnumSet.range(PCLMULQDQ, SHA256MSG2));
      ops.addAll(EnumSet.range(VZEROUPPER, AMD3DNOW));
      return ops;
    }
  }

  private static final Family[] FAMILY_BY_OP = build();
  private static final Executor[] EXECUTOR_BY_OP = executors(FAMILY_BY_OP);

  private OpTable() {}

  /** The executor of {@code op}. */
  public static Executor executor(Op op) {
    return EXECUTOR_BY_OP[op.ordinal()];
  }

  /** The name of the family that owns {@code op} (INTEGER, SSE_FLOAT, X87, ...). */
  public static String familyName(Op op) {
    return family(op).name();
  }

  /** The family that owns {@code op}. */
  static Family family(Op op) {
    return FAMILY_BY_OP[op.ordinal()];
  }

  /** Executes {@code insn} through its operation's executor. */
  static void execute(Cpu cpu, Insn insn, SyscallHandler syscalls) {
    EXECUTOR_BY_OP[insn.op.ordinal()].execute(cpu, insn, syscalls);
  }

  private static Family[] build() {
    Family[] byOp = new Family[Op.values().length];
    for (Family f : Family.values()) {
      for (Op op : f.ops) {
        if (byOp[op.ordinal()] != null) {
          throw new IllegalStateException(op + " claimed by " + byOp[op.ordinal()] + " and " + f);
        }
        byOp[op.ordinal()] = f;
      }
    }
    for (Op op : Op.values()) {
      if (byOp[op.ordinal()] == null) {
        throw new IllegalStateException(op + " has no executor");
      }
    }
    return byOp;
  }

  private static Executor[] executors(Family[] byOp) {
    Executor[] executors = new Executor[byOp.length];
    for (int i = 0; i < byOp.length; i++) {
      executors[i] = byOp[i].executor;
    }
    return executors;
  }

  /**
   * An executor was given an operation the table says is its own but that it does not handle:
   * a bug in the table or the executor, never a guest's doing.
   */
  static IllegalStateException unhandled(Insn insn) {
    return new IllegalStateException("no executor implements " + insn.op + ": " + insn.describe());
  }

  /** How many families claim {@code op} (the completeness test wants exactly one). */
  static int claims(Op op) {
    int n = 0;
    for (Family f : Family.values()) {
      if (f.ops.contains(op)) {
        n++;
      }
    }
    return n;
  }

  /** The operations of every family, for tests. */
  static Map<Family, EnumSet<Op>> ownership() {
    Map<Family, EnumSet<Op>> m = new EnumMap<>(Family.class);
    for (Family f : Family.values()) {
      m.put(f, EnumSet.copyOf(f.ops));
    }
    return m;
  }
}
