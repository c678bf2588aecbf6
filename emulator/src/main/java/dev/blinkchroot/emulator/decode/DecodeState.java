package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Forms.*;
import static dev.blinkchroot.emulator.decode.Insn.*;

/**
 * The working state of one {@link Decoder#decode} call: prefixes, escapes and opcode (this file),
 * then ModRM/SIB/displacement/immediates and operands ({@link Operands}). Fields are package-private
 * and read by the {@link Insn} constructor. One instance per call, never shared.
 */
final class DecodeState {
  static final int MAX_LENGTH = 15;

  /** Thrown (stackless, shared) when a 16th byte would be needed. */
  static final class TooLong extends RuntimeException {
    static final TooLong INSTANCE = new TooLong();

    private TooLong() {
      super("instruction longer than 15 bytes", null, false, false);
    }
  }

  /** Thrown (stackless) to abandon decoding as invalid. */
  static final class Bad extends RuntimeException {
    Bad(String why) {
      super(why, null, false, false);
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private static final Row PAUSE = Row.r(Op.PAUSE);

  final ByteSource src;
  final long rip;
  final byte[] buf = new byte[MAX_LENGTH];
  int pos;
  boolean fetching;

  // ---- prefixes
  int prefixBits;
  int rex;
  int lastRep; // 0, 0xF2 or 0xF3
  boolean opsize66;
  int seg = -1;
  boolean lock;

  // ---- VEX/EVEX/XOP
  int vexKind;
  int vexL, vexW, vexV, vexPP, evexAaa, evexZ, evexB;
  int vexR, vexX, vexB; // extension bits (REX.R/X/B equivalents); EVEX R' in rPrime, V' in vHigh
  int rPrime;

  // ---- opcode
  int map;
  int opcode;
  Row row;
  int mandatory;
  int modrm = -1;
  boolean imm8Forced; // 0F3A / XOP map 8: an imm8 follows even for unknown rows

  // ---- results
  Op op = Op.INVALID;
  String mnemonic = "(bad)";
  String invalidReason;
  boolean unsupported;
  String unsupportedReason;
  boolean privileged;
  boolean branch;
  int osize = 4;
  int asize = 8;
  int opSizeOverride;
  int cond = -1;
  int nops;
  final int[] kind = new int[4];
  final int[] reg = new int[4];
  final int[] size = new int[4];
  int base = REG_NONE;
  int index = REG_NONE;
  int scale = 1;
  long disp;
  long imm;
  long imm2;
  int nImm;
  long target;
  boolean hasRel;
  long rel;
  boolean moffs;
  boolean sibPresent;
  boolean memParsed;
  int dispBytes;
  int st0Mask; // operands written "st" (the ST0 form) rather than "st(i)"

  DecodeState(ByteSource src, long rip) {
    this.src = src;
    this.rip = rip;
  }

  int fetch() {
    if (pos >= MAX_LENGTH) {
      throw TooLong.INSTANCE;
    }
    fetching = true;
    int b = src.byteAt(rip + pos) & 0xff;
    fetching = false;
    buf[pos++] = (byte) b;
    return b;
  }

  int modrm() {
    if (modrm < 0) {
      modrm = fetch();
    }
    return modrm;
  }

  int mod() {
    return modrm >> 6;
  }

  int modReg() {
    return modrm >> 3 & 7;
  }

  int modRm() {
    return modrm & 7;
  }

  Insn invalid(String why) {
    invalidReason = why;
    if (pos == 0) {
      pos = 1; // never zero-length; the first byte may not have been readable
    }
    op = Op.INVALID;
    if (mnemonic == null) {
      mnemonic = "(bad)";
    }
    nops = 0;
    return new Insn(this);
  }

  // ------------------------------------------------------------------ prefixes and escapes

  Insn run() {
    int b;
    prefixes:
    while (true) {
      b = fetch();
      switch (b) {
        case 0xF0 -> { lock = true; prefixBits |= P_LOCK; rex = 0; }
        case 0xF2, 0xF3 -> { lastRep = b; rex = 0; }
        case 0x66 -> { opsize66 = true; prefixBits |= P_OPSIZE; rex = 0; }
        case 0x67 -> { asize = 4; prefixBits |= P_ADDRSIZE; rex = 0; }
        case 0x26 -> { seg = SEG_ES; prefixBits |= P_SEG; rex = 0; }
        case 0x2E -> { seg = SEG_CS; prefixBits |= P_SEG; rex = 0; }
        case 0x36 -> { seg = SEG_SS; prefixBits |= P_SEG; rex = 0; }
        case 0x3E -> { seg = SEG_DS; prefixBits |= P_SEG; rex = 0; }
        case 0x64 -> { seg = SEG_FS; prefixBits |= P_SEG; rex = 0; }
        case 0x65 -> { seg = SEG_GS; prefixBits |= P_SEG; rex = 0; }
        default -> {
          if ((b & 0xF0) == 0x40) {
            rex = b; // a REX prefix counts only if the opcode follows it directly
          } else {
            break prefixes;
          }
        }
      }
    }
    if (rex != 0) {
      prefixBits |= P_REX;
      vexR = rex >> 2 & 1;
      vexX = rex >> 1 & 1;
      vexB = rex & 1;
      vexW = rex >> 3 & 1;
    }
    if (b == 0x0F) {
      int b2 = fetch();
      if (b2 == 0x38) {
        map = 2;
        opcode = fetch();
        row = ThreeByteMaps.T38[opcode];
      } else if (b2 == 0x3A) {
        map = 3;
        opcode = fetch();
        row = ThreeByteMaps.T3A[opcode];
        imm8Forced = true;
      } else if (b2 == 0x0F) {
        return amd3dnow();
      } else {
        map = 1;
        opcode = b2;
        row = TwoByteMap.T[b2];
      }
      return Operands.finish(this);
    }
    opcode = b;
    switch (b) {
      case 0xC4, 0xC5 -> {
        return Vex.vex(this, b);
      }
      case 0x62 -> {
        return Vex.evex(this);
      }
      case 0x8F -> {
        int next = fetch();
        if ((next & 0x1F) >= 8) {
          return Vex.xop(this, next);
        }
        modrm = next; // POP Ev
        row = OneByteMap.T[b];
        return Operands.finish(this);
      }
      case 0x90 -> {
        if ((rex & 1) == 0 && lastRep == 0xF3) {
          mandatory = MP_F3;
          row = PAUSE; // F3 90 pause
        } else if ((rex & 1) != 0 || opsize66) {
          row = OneByteMap.T[0x91]; // REX.B 90: xchg r8,rax; 66 90: xchg ax,ax
        } else {
          row = OneByteMap.T[0x90]; // 90 nop
        }
        return Operands.finish(this);
      }
      default -> {
        if (b >= 0xD8 && b <= 0xDF) {
          return x87(b);
        }
        row = OneByteMap.T[b];
        return Operands.finish(this);
      }
    }
  }

  private Insn x87(int b) {
    int m = modrm();
    int esc = b - 0xD8;
    Row r;
    if (m >> 6 != 3) {
      r = X87Map.MEM[esc][m >> 3 & 7];
    } else {
      r = X87Map.REG[esc][m >> 3 & 7];
    }
    row = r;
    return Operands.finish(this);
  }

  /** 0F 0F /r ib: the operation is in the trailing byte. */
  private Insn amd3dnow() {
    map = 1;
    opcode = 0x0F;
    row = Row.r("3dnow", Op.AMD3DNOW, Pq, Qq, Ib).flag(Row.UNSUP);
    Insn probe = Operands.finish(this);
    if (probe.invalid) {
      return probe;
    }
    String name = VexMaps.amd3dnowName((int) imm);
    if (name == null) {
      return invalid("undefined 3DNow! operation");
    }
    mnemonic = name;
    nops = 2; // the suffix byte is not an operand
    return new Insn(this);
  }
}
