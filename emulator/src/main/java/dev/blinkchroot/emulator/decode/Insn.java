package dev.blinkchroot.emulator.decode;

/**
 * One decoded x86-64 instruction: immutable, position-dependent (relative targets are resolved),
 * built by {@link Decoder#decode}. All fields are plain ints/longs so an interpreter reads them
 * without indirection or boxing.
 *
 * <h2>Operands</h2>
 * Up to four operands in Intel order (destination first): {@code kind0..kind3} (a {@code K_*}
 * constant), {@code reg0..reg3} (register number for register kinds), {@code size0..size3} (size in
 * bytes: 1/2/4/8 for GPRs and memory, 10 for x87 registers and m80, 16/32/64 for xmm/ymm/zmm, 8 for
 * mm, 0 for unsized memory such as LEA's or FXSAVE's). Implicit operands are not listed (MUL's
 * rDX:rAX, string instructions' rSI/rDI, CPUID's registers), except where the SDM writes them
 * (AL/eAX/CL/DX/1 in the one-byte map, st(0), xmm0 of BLENDVPS).
 *
 * <ul>
 *   <li>{@link #K_GPR}: general register 0-15 (RAX=0 ... R15=15); its size says which part (an 8-bit
 *       operand names the low byte, SPL/BPL/SIL/DIL when a REX prefix is present).
 *   <li>{@link #K_GPR8H}: AH/CH/DH/BH: bits 8-15 of register {@code reg} (0-3).
 *   <li>{@link #K_MEM}: the one memory operand, described by {@link #seg}, {@link #base}, {@link
 *       #index}, {@link #scale}, {@link #disp}. Effective address = base + index*scale + disp,
 *       truncated to {@link #addrSize}; {@code base == REG_RIP} means the address of the next
 *       instruction ({@link #nextAddress()}); {@code base/index == REG_NONE} when absent.
 *   <li>{@link #K_IMM}: an immediate; the first immediate operand's value is {@link #imm}, the second
 *       (ENTER, EXTRQ/INSERTQ) is {@link #imm2}. Values are sign-extended to 64 bits when the SDM
 *       sign-extends them (imm8 of 83/6B/6A, imm32 of 64-bit operations), else zero-extended
 *       (ports, counts, ENTER/RET sizes, SSE control bytes, imm64 of MOV). The shift-by-one forms
 *       (D0/D1) have an immediate operand of value 1.
 *   <li>{@link #K_REL}: a relative branch; the absolute target is {@link #target}.
 *   <li>{@link #K_XMM} (size 16/32/64 = xmm/ymm/zmm), {@link #K_MMX}, {@link #K_ST} (st(i)), {@link
 *       #K_SEG} (ES=0 CS=1 SS=2 DS=3 FS=4 GS=5), {@link #K_CR}, {@link #K_DR}, {@link #K_MASK}.
 * </ul>
 *
 * <h2>Status</h2>
 * {@link #invalid}: the bytes do not form a valid instruction in 64-bit user mode (undefined
 * opcode, LOCK where not allowed, register operand where memory is required, more than 15 bytes,
 * VEX after a 66/F2/F3/REX prefix, ...): the CPU raises #UD, the emulator SIGILL. {@link #length} is
 * then the number of bytes examined (at least 1) and {@link #reason} says why. {@link #unsupported}:
 * a well-formed instruction the emulator does not implement (AVX/AVX-512/XOP/3DNow!, TSX...),
 * decoded with its full length: SIGILL too. {@link #privileged}: a valid instruction that faults in
 * user mode (#GP: SIGSEGV), e.g. HLT, CLI, IN/OUT, MOV CR.
 */
public final class Insn {
  // ---- operand kinds
  public static final int K_NONE = 0, K_GPR = 1, K_GPR8H = 2, K_MEM = 3, K_IMM = 4, K_REL = 5;
  public static final int K_XMM = 6, K_MMX = 7, K_ST = 8, K_SEG = 9, K_CR = 10, K_DR = 11;
  public static final int K_MASK = 12;

  // ---- register numbers for base/index
  public static final int REG_NONE = -1, REG_RIP = 16;
  public static final int SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3, SEG_FS = 4, SEG_GS = 5;

  // ---- prefix bits (field prefixes)
  public static final int P_LOCK = 1; // F0
  public static final int P_REP = 1 << 1; // F3 not used as a mandatory prefix (REP/REPE)
  public static final int P_REPNE = 1 << 2; // F2 not used as a mandatory prefix (REPNE)
  public static final int P_OPSIZE = 1 << 3; // 66 seen (whether or not used as mandatory prefix)
  public static final int P_ADDRSIZE = 1 << 4; // 67 seen
  public static final int P_REX = 1 << 5; // a REX prefix applies
  public static final int P_SEG = 1 << 6; // a segment override was given (see seg)
  public static final int P_NOTRACK = 1 << 7; // 3E on an indirect CALL/JMP (CET)

  // ---- vexKind
  public static final int VEX_NONE = 0, VEX = 1, EVEX = 2, XOP = 3;

  // ---- mandatory prefix
  public static final int MP_NONE = 0, MP_66 = 1, MP_F3 = 2, MP_F2 = 3;

  // ---- RFLAGS bits of flagsRead / flagsWritten / flagsUndefined
  public static final int F_CF = FlagUse.CF, F_PF = FlagUse.PF, F_AF = FlagUse.AF;
  public static final int F_ZF = FlagUse.ZF, F_SF = FlagUse.SF, F_DF = FlagUse.DF;
  public static final int F_OF = FlagUse.OF;
  /** CF PF AF ZF SF OF. */
  public static final int F_STATUS = FlagUse.STATUS;

  /** Guest address of the first byte. */
  public final long address;
  /** Length in bytes (1..15); for an invalid encoding, the bytes examined. */
  public final int length;
  private final byte[] bytes;

  public final Op op;
  /** objdump's Intel-syntax mnemonic without prefixes ("add", "movabs", "vpxor", "cmpltsd"). */
  public final String mnemonic;

  public final boolean invalid;
  public final boolean unsupported;
  public final boolean privileged;
  /** Transfers control (branches, calls, returns, INT, SYSCALL, UD2...): ends a decoded block. */
  public final boolean branch;
  /** Why {@link #invalid} (or unsupported); null when neither. */
  public final String reason;

  /**
   * Operand size in bytes: the size of operand 0 if there is one, else the effective operand size
   * (2/4/8; e.g. PUSHF, CWD, string instructions: 1/2/4/8 by element).
   */
  public final int opSize;
  /** Effective operand size from prefixes and REX.W/VEX.W: 2, 4 or 8. */
  public final int effOpSize;
  /** Address size: 8, or 4 with a 67 prefix. */
  public final int addrSize;
  /** P_* bits. */
  public final int prefixes;
  /** The REX byte (0x40-0x4F) that applies, or 0. */
  public final int rex;
  /** Which prefix selected the SSE form: MP_NONE, MP_66, MP_F3, MP_F2. */
  public final int mandatory;
  /** Condition code 0-15 (O NO B AE E NE BE A S NS P NP L GE LE G) for Jcc/SETcc/CMOVcc/FCMOV, else -1. */
  public final int cond;

  public final int nOperands;
  public final int kind0, kind1, kind2, kind3;
  public final int reg0, reg1, reg2, reg3;
  public final int size0, size1, size2, size3;

  /** Segment override (SEG_*), or -1; in 64-bit mode only FS and GS change the address. */
  public final int seg;
  public final int base, index, scale;
  public final long disp;

  public final long imm, imm2;
  /** Absolute target of a relative branch (K_REL), else 0. */
  public final long target;

  // ---- VEX / EVEX / XOP fields (vexKind == VEX_NONE: all 0)
  public final int vexKind;
  /** Vector length code: VEX.L (0/1) or EVEX.L'L (0-2). */
  public final int vexL;
  public final int vexW;
  /** The register VEX.vvvv names (already inverted, 0-15; EVEX: 0-31). */
  public final int vexV;
  /** Opcode map: 1 = 0F, 2 = 0F38, 3 = 0F3A (XOP: 8, 9, 10). Legacy encodings: 0/1/2/3 too. */
  public final int map;
  /** VEX.pp: 0 none, 1 = 66, 2 = F3, 3 = F2. */
  public final int vexPP;
  public final int evexAaa, evexZ, evexB;
  /** The opcode byte (within its map). */
  public final int opcode;

  // ---- flags (F_* bits; see FlagUse for the definitions)
  /** Flags whose value before the instruction matters to it (including any it may pass on). */
  public final int flagsRead;
  /** Flags the instruction may change, undefined ones included. */
  public final int flagsWritten;
  /** The written flags whose value the SDM leaves undefined. */
  public final int flagsUndefined;

  Insn(DecodeState s) {
    address = s.rip;
    length = s.pos;
    bytes = java.util.Arrays.copyOf(s.buf, s.pos);
    op = s.op;
    mnemonic = s.mnemonic;
    invalid = s.invalidReason != null;
    unsupported = !invalid && s.unsupported;
    privileged = s.privileged;
    branch = s.branch;
    reason = invalid ? s.invalidReason : unsupported ? s.unsupportedReason : null;
    effOpSize = s.osize;
    opSize = s.nops > 0 && s.size[0] > 0 ? s.size[0] : s.opSizeOverride > 0 ? s.opSizeOverride : s.osize;
    addrSize = s.asize;
    prefixes = s.prefixBits;
    rex = s.rex;
    mandatory = s.mandatory;
    cond = s.cond;
    nOperands = s.nops;
    kind0 = s.kind[0];
    kind1 = s.kind[1];
    kind2 = s.kind[2];
    kind3 = s.kind[3];
    reg0 = s.reg[0];
    reg1 = s.reg[1];
    reg2 = s.reg[2];
    reg3 = s.reg[3];
    size0 = s.size[0];
    size1 = s.size[1];
    size2 = s.size[2];
    size3 = s.size[3];
    seg = s.seg;
    base = s.base;
    index = s.index;
    scale = s.scale;
    disp = s.disp;
    imm = s.imm;
    imm2 = s.imm2;
    target = s.target;
    vexKind = s.vexKind;
    vexL = s.vexL;
    vexW = s.vexW;
    vexV = s.vexV;
    map = s.map;
    vexPP = s.vexPP;
    evexAaa = s.evexAaa;
    evexZ = s.evexZ;
    evexB = s.evexB;
    opcode = s.opcode;
    dispBytes = s.dispBytes;
    moffs = s.moffs;
    sib = s.sibPresent;
    st0Mask = s.st0Mask;
    FlagUse.Use use = FlagUse.of(this);
    flagsRead = use.read();
    flagsWritten = use.written();
    flagsUndefined = use.undefined();
  }

  /**
   * The flags this instruction always overwrites with a defined value, whatever they were: what
   * a liveness pass may treat as killed.
   */
  public int flagsKilled() {
    return flagsWritten & ~flagsRead & ~flagsUndefined;
  }

  // display-only details (package-private)
  private final int dispBytes;
  private final boolean moffs;
  private final boolean sib;
  private final int st0Mask;

  int dispSize() {
    return dispBytes;
  }

  boolean isMoffs() {
    return moffs;
  }

  boolean hasSib() {
    return sib;
  }

  boolean isSt0Form(int operand) {
    return (st0Mask >> operand & 1) != 0;
  }

  /** Guest address of the next instruction. */
  public long nextAddress() {
    return address + length;
  }

  /** True when executing this instruction must raise SIGILL (invalid or unsupported). */
  public boolean raisesSigill() {
    return invalid || unsupported;
  }

  public int kind(int i) {
    return switch (i) {
      case 0 -> kind0;
      case 1 -> kind1;
      case 2 -> kind2;
      case 3 -> kind3;
      default -> K_NONE;
    };
  }

  public int reg(int i) {
    return switch (i) {
      case 0 -> reg0;
      case 1 -> reg1;
      case 2 -> reg2;
      case 3 -> reg3;
      default -> -1;
    };
  }

  public int size(int i) {
    return switch (i) {
      case 0 -> size0;
      case 1 -> size1;
      case 2 -> size2;
      case 3 -> size3;
      default -> 0;
    };
  }

  /** Index of the memory operand, or -1. */
  public int memOperand() {
    for (int i = 0; i < nOperands; i++) {
      if (kind(i) == K_MEM) {
        return i;
      }
    }
    return -1;
  }

  /** The raw instruction bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Raw byte {@code i} (0 <= i < length), unsigned. */
  public int byteAt(int i) {
    return bytes[i] & 0xff;
  }

  /** The bytes as lowercase hex pairs separated by spaces ("48 89 e5"). */
  public String hexBytes() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(Character.forDigit(bytes[i] >> 4 & 15, 16)).append(Character.forDigit(bytes[i] & 15, 16));
    }
    return sb.toString();
  }

  /**
   * The diagnostic for SIGILL and crash reports: address, bytes, disassembly and the reason, e.g.
   * {@code "0x401000: 0f 0b  ud2"} or {@code "0x401000: f0 01 c0  (bad: LOCK ...)"}.
   */
  public String describe() {
    String text = Disassembler.format(this);
    String s = "0x" + Long.toHexString(address) + ": " + hexBytes() + "  " + text;
    return reason != null && !text.contains(reason) ? s + "  [" + reason + "]" : s;
  }

  @Override
  public String toString() {
    return Disassembler.format(this);
  }
}
