package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Insn.*;

/**
 * Intel-syntax disassembly of a decoded {@link Insn}, in the style of {@code objdump -d -M intel}:
 * prefixes spelled as objdump spells them ({@code lock}, {@code rep}/{@code repz}/{@code repnz},
 * {@code bnd}, {@code notrack}, {@code cs}...), the mnemonic padded to six columns, operands
 * destination first, memory as {@code QWORD PTR fs:[rax+rbx*8+0x10]}, RIP-relative memory as
 * {@code [rip+0x10]        # 0x401234}, branch targets as absolute addresses. Used by crash reports,
 * tracing and tests.
 */
public final class Disassembler {
  private Disassembler() {}

  private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
  private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
  private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
  private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
  private static final String[] R8H = {"ah", "ch", "dh", "bh"};
  private static final String[] SEGS = {"es", "cs", "ss", "ds", "fs", "gs", "?6", "?7"};

  /** Name of general register {@code reg} (0-15) at {@code size} bytes (1/2/4/8). */
  public static String gprName(int reg, int size) {
    String[] t = switch (size) {
      case 1 -> R8;
      case 2 -> R16;
      case 4 -> R32;
      default -> R64;
    };
    return reg >= 0 && reg < 16 ? t[reg] : "?";
  }

  /** The whole instruction: {@code "lock add DWORD PTR [rax],0x1"}; {@code "(bad)"} if invalid. */
  public static String format(Insn in) {
    if (in.invalid) {
      return "(bad)";
    }
    StringBuilder sb = new StringBuilder();
    prefixes(in, sb);
    sb.append(in.mnemonic);
    if (in.nOperands == 0 && !isString(in.op)) {
      return sb.toString();
    }
    while (sb.length() < 6) {
      sb.append(' ');
    }
    sb.append(' ');
    int start = sb.length();
    if (isString(in.op)) {
      stringOperands(in, sb);
    }
    for (int i = 0; i < in.nOperands; i++) {
      if (i > 0) {
        sb.append(',');
      }
      operand(in, i, sb);
      if (i == 0 && in.vexKind == EVEX) {
        if (in.evexAaa != 0) {
          sb.append("{k").append(in.evexAaa).append('}');
        }
        if (in.evexZ != 0) {
          sb.append("{z}");
        }
      }
    }
    if (sb.length() == start) {
      sb.setLength(start - 1);
    }
    if (in.base == REG_RIP && in.memOperand() >= 0) {
      sb.append("        # 0x").append(Long.toHexString(in.nextAddress() + in.disp));
    }
    return sb.toString();
  }

  private static boolean isString(Op op) {
    return switch (op) {
      case MOVS, STOS, LODS, SCAS, CMPS, INS, OUTS -> true;
      default -> false;
    };
  }

  private static void prefixes(Insn in, StringBuilder sb) {
    if ((in.prefixes & P_LOCK) != 0) {
      sb.append("lock ");
    }
    boolean str = isString(in.op);
    boolean cmp = in.op == Op.CMPS || in.op == Op.SCAS;
    if ((in.prefixes & P_REP) != 0) {
      sb.append(str && !cmp ? "rep " : "repz ");
    }
    if ((in.prefixes & P_REPNE) != 0) {
      sb.append(in.branch && !str ? "bnd " : "repnz ");
    }
    if ((in.prefixes & P_NOTRACK) != 0) {
      sb.append("notrack ");
    } else if (in.seg >= 0 && in.seg < SEG_FS || in.seg >= SEG_FS && in.memOperand() < 0
        && !str) {
      sb.append(SEGS[in.seg]).append(' ');
    }
  }

  private static void stringOperands(Insn in, StringBuilder sb) {
    int sz = in.opSize;
    String acc = gprName(0, sz);
    String si = mem(sz) + (in.seg >= 0 ? SEGS[in.seg] : "ds") + ":[" + (in.addrSize == 4 ? "esi" : "rsi") + "]";
    String di = mem(sz) + "es:[" + (in.addrSize == 4 ? "edi" : "rdi") + "]";
    switch (in.op) {
      case MOVS -> sb.append(di).append(',').append(si);
      case CMPS -> sb.append(si).append(',').append(di);
      case STOS -> sb.append(di).append(',').append(acc);
      case LODS -> sb.append(acc).append(',').append(si);
      case SCAS -> sb.append(acc).append(',').append(di);
      case INS -> sb.append(di).append(",dx");
      case OUTS -> sb.append("dx,").append(si);
      default -> {}
    }
  }

  private static String mem(int size) {
    return switch (size) {
      case 1 -> "BYTE PTR ";
      case 2 -> "WORD PTR ";
      case 4 -> "DWORD PTR ";
      case 6 -> "FWORD PTR ";
      case 8 -> "QWORD PTR ";
      case 10 -> "TBYTE PTR ";
      case 16 -> "XMMWORD PTR ";
      case 32 -> "YMMWORD PTR ";
      case 64 -> "ZMMWORD PTR ";
      default -> "";
    };
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  private static long mask(long v, int size) {
    return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
  }

  private static void operand(Insn in, int i, StringBuilder sb) {
    int reg = in.reg(i);
    int size = in.size(i);
    switch (in.kind(i)) {
      case K_GPR -> sb.append(gprName(reg, size));
      case K_GPR8H -> sb.append(R8H[reg & 3]);
      case K_IMM -> {
        if (in.map == 0 && (in.opcode == 0xD0 || in.opcode == 0xD1) && in.vexKind == VEX_NONE) {
          sb.append('1'); // shift by one
          return;
        }
        long v = firstImm(in, i) ? in.imm : in.imm2;
        sb.append(hex(mask(v, size)));
      }
      case K_REL -> sb.append(hex(in.target));
      case K_XMM -> sb.append(size >= 64 ? "zmm" : size == 32 ? "ymm" : "xmm").append(reg);
      case K_MMX -> sb.append("mm").append(reg);
      case K_ST -> sb.append(in.isSt0Form(i) ? "st" : "st(" + reg + ")");
      case K_SEG -> sb.append(SEGS[reg & 7]);
      case K_CR -> sb.append("cr").append(reg);
      case K_DR -> sb.append("db").append(reg);
      case K_MASK -> sb.append('k').append(reg);
      case K_MEM -> memory(in, size, sb);
      default -> sb.append('?');
    }
  }

  private static boolean firstImm(Insn in, int i) {
    for (int j = 0; j < i; j++) {
      if (in.kind(j) == K_IMM) {
        return false;
      }
    }
    return true;
  }

  private static void memory(Insn in, int size, StringBuilder sb) {
    if (in.op != Op.LEA && !in.isMoffs()) {
      sb.append(mem(size));
    }
    String segName = in.seg >= SEG_FS ? SEGS[in.seg] : "ds";
    if (in.isMoffs() || in.base == REG_NONE && in.index == REG_NONE) {
      sb.append(segName).append(':').append(hex(in.isMoffs() ? in.disp : mask(in.disp, in.addrSize)));
      return;
    }
    if (in.seg >= SEG_FS) {
      sb.append(SEGS[in.seg]).append(':');
    }
    int asz = in.addrSize;
    sb.append('[');
    boolean any = false;
    if (in.base == REG_RIP) {
      sb.append(asz == 4 ? "eip" : "rip");
      any = true;
    } else if (in.base != REG_NONE) {
      sb.append(gprName(in.base, asz));
      any = true;
    }
    if (in.index != REG_NONE) {
      if (any) {
        sb.append('+');
      }
      sb.append(gprName(in.index, asz)).append('*').append(in.scale);
      any = true;
    } else if (in.hasSib() && (in.base == REG_NONE || (in.base & 7) != 4 || in.scale != 1)) {
      sb.append(any ? "+" : "").append(asz == 4 ? "eiz" : "riz").append('*').append(in.scale);
      any = true;
    }
    if (in.dispSize() > 0 || !any) {
      long d = in.disp;
      if (in.base == REG_NONE && in.dispSize() == 4) {
        sb.append('+').append(hex(mask(d, asz)));
      } else if (d < 0) {
        sb.append('-').append(hex(-d));
      } else {
        sb.append('+').append(hex(d));
      }
    }
    sb.append(']');
  }
}
