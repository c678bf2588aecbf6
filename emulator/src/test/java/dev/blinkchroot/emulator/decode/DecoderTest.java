package dev.blinkchroot.emulator.decode;

import static dev.blinkchroot.emulator.decode.Insn.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chosen encodings, one family per test; expected text is objdump's {@code -M intel} output. */
class DecoderTest {
  static final long RIP = 0x401000;

  static Insn d(String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    byte[] padded = java.util.Arrays.copyOf(b, b.length + 16); // room for overlong reads
    Insn in = Decoder.decode(padded, RIP);
    return in;
  }

  static void dis(String hex, String expected) {
    Insn in = d(hex);
    assertFalse(in.invalid, hex + ": " + in.reason);
    assertEquals(hex.replace(" ", "").length() / 2, in.length, hex + " length");
    assertEquals(expected, Disassembler.format(in), hex);
  }

  @Test
  void aluForms_allSixEncodings() {
    dis("01 d8", "add    eax,ebx");
    dis("48 01 d8", "add    rax,rbx");
    dis("00 e0", "add    al,ah");
    dis("40 00 e0", "add    al,spl");
    dis("2a 05 10 00 00 00", "sub    al,BYTE PTR [rip+0x10]        # 0x401016");
    dis("04 7f", "add    al,0x7f");
    dis("48 05 ff ff ff ff", "add    rax,0xffffffffffffffff");
    dis("66 05 34 12", "add    ax,0x1234");
    dis("48 83 ec 08", "sub    rsp,0x8");
    dis("83 c0 80", "add    eax,0xffffff80");
    dis("80 38 2f", "cmp    BYTE PTR [rax],0x2f");
    dis("66 81 7f 02 ff 00", "cmp    WORD PTR [rdi+0x2],0xff");
    Insn in = d("48 83 c0 80");
    assertEquals(Op.ADD, in.op);
    assertEquals(8, in.opSize);
    assertEquals(-128L, in.imm);
  }

  @Test
  void rexExtensions_reachR8ToR15() {
    Insn in = d("4d 8b 44 24 08"); // mov r8,QWORD PTR [r12+0x8]
    assertEquals(Op.MOV, in.op);
    assertEquals(K_GPR, in.kind0);
    assertEquals(8, in.reg0);
    assertEquals(K_MEM, in.kind1);
    assertEquals(12, in.base);
    assertEquals(REG_NONE, in.index);
    assertEquals(8, in.disp);
    dis("4d 8b 44 24 08", "mov    r8,QWORD PTR [r12+0x8]");
    dis("4a 8b 04 e8", "mov    rax,QWORD PTR [rax+r13*8]");
    dis("45 31 c9", "xor    r9d,r9d");
    dis("41 88 c7", "mov    r15b,al");
  }

  @Test
  void sib_noBaseAndNoIndex() {
    dis("8b 04 25 78 56 34 12", "mov    eax,DWORD PTR ds:0x12345678");
    dis("8b 04 c5 00 00 00 00", "mov    eax,DWORD PTR [rax*8+0x0]");
    dis("8b 04 24", "mov    eax,DWORD PTR [rsp]");
    dis("8d 74 26 00", "lea    esi,[rsi+riz*1+0x0]");
    Insn in = d("8b 04 25 78 56 34 12");
    assertEquals(REG_NONE, in.base);
    assertEquals(REG_NONE, in.index);
    assertEquals(0x12345678, in.disp);
    Insn r12 = d("42 8b 04 24"); // REX.X: index 12 is a real index
    assertEquals(12, r12.index);
    assertEquals(4, r12.base);
  }

  @Test
  void ripRelative_resolvesAgainstNextInstruction() {
    Insn in = d("48 8b 05 f9 0f 00 00");
    assertEquals(REG_RIP, in.base);
    assertEquals(0x0ff9, in.disp);
    assertEquals(RIP + 7 + 0x0ff9, in.nextAddress() + in.disp);
    dis("48 8b 05 f9 0f 00 00", "mov    rax,QWORD PTR [rip+0xff9]        # 0x402000");
    dis("48 8d 3d f9 ff ff ff", "lea    rdi,[rip+0xfffffffffffffff9]        # 0x401000".replace(
        "+0xfffffffffffffff9", "-0x7"));
  }

  @Test
  void segmentOverrides_fsAndGsKept_othersIgnored() {
    Insn in = d("64 48 8b 04 25 28 00 00 00");
    assertEquals(SEG_FS, in.seg);
    dis("64 48 8b 04 25 28 00 00 00", "mov    rax,QWORD PTR fs:0x28");
    dis("65 48 8b 03", "mov    rax,QWORD PTR gs:[rbx]");
    dis("64 48 8b 00", "mov    rax,QWORD PTR fs:[rax]");
    assertEquals(SEG_CS, d("2e 8b 00").seg);
  }

  @Test
  void highByteRegisters_withoutRex() {
    Insn in = d("88 e0"); // mov al,ah
    assertEquals(K_GPR, in.kind0);
    assertEquals(K_GPR8H, in.kind1);
    assertEquals(0, in.reg1);
    dis("88 e0", "mov    al,ah");
    dis("0f b6 c7", "movzx  eax,bh");
    dis("40 0f b6 c7", "movzx  eax,dil");
  }

  @Test
  void immediates_sizesAndExtension() {
    dis("66 b8 34 12", "mov    ax,0x1234");
    dis("b8 78 56 34 12", "mov    eax,0x12345678");
    dis("48 b8 88 77 66 55 44 33 22 11", "movabs rax,0x1122334455667788");
    dis("48 c7 c0 ff ff ff ff", "mov    rax,0xffffffffffffffff");
    dis("6a ff", "push   0xffffffffffffffff");
    dis("66 6a 01", "pushw  0x1");
    dis("69 c0 10 27 00 00", "imul   eax,eax,0x2710");
    dis("6b c0 f6", "imul   eax,eax,0xfffffff6");
    dis("66 c7 00 ff 7f", "mov    WORD PTR [rax],0x7fff");
    dis("c2 08 00", "ret    0x8");
    assertEquals(8L, d("c2 08 00").imm);
  }

  @Test
  void moffs_eightByteAddress() {
    dis("48 a1 88 77 66 55 44 33 22 11", "movabs rax,ds:0x1122334455667788");
    dis("a2 00 00 00 00 00 00 00 00", "movabs ds:0x0,al");
    Insn in = d("67 a1 78 56 34 12");
    assertEquals(6, in.length);
    assertEquals(0x12345678L, in.disp);
  }

  @Test
  void enter_twoImmediates() {
    Insn in = d("c8 10 00 01");
    assertEquals(Op.ENTER, in.op);
    assertEquals(0x10, in.imm);
    assertEquals(1, in.imm2);
    dis("c8 10 00 01", "enter  0x10,0x1");
  }

  @Test
  void branches_targetsResolved() {
    Insn j = d("eb fe");
    assertEquals(RIP, j.target);
    assertTrue(j.branch);
    Insn jz = d("0f 84 00 01 00 00");
    assertEquals(Op.JCC, jz.op);
    assertEquals(4, jz.cond);
    assertEquals(RIP + 6 + 0x100, jz.target);
    dis("e8 fb ff ff ff", "call   0x401000");
    dis("66 e9 00 00 00 00", "jmp    0x401006"); // 66 ignored (Intel)
    dis("e3 fe", "jrcxz  0x401000");
    dis("67 e3 fd", "jecxz  0x401000");
    dis("e2 fe", "loop   0x401000");
    dis("ff e0", "jmp    rax");
    dis("3e ff e0", "notrack jmp rax");
    dis("ff 14 c5 00 10 00 00", "call   QWORD PTR [rax*8+0x1000]");
    dis("f3 c3", "repz ret");
    dis("f2 e9 00 00 00 00", "bnd jmp 0x401006");
  }

  @Test
  void conditions_setccCmovcc() {
    Insn s = d("0f 9f c0");
    assertEquals(Op.SETCC, s.op);
    assertEquals(15, s.cond);
    dis("0f 9f c0", "setg   al");
    dis("48 0f 4c c1", "cmovl  rax,rcx");
    assertEquals(12, d("48 0f 4c c1").cond);
  }

  @Test
  void groups_shiftsUnaryMulDiv() {
    dis("d1 e0", "shl    eax,1");
    dis("d3 f8", "sar    eax,cl");
    dis("c1 e8 05", "shr    eax,0x5");
    dis("48 d1 c8", "ror    rax,1");
    dis("f6 d8", "neg    al");
    dis("48 f7 d0", "not    rax");
    dis("f7 e1", "mul    ecx");
    dis("48 f7 f9", "idiv   rcx");
    dis("f6 c4 01", "test   ah,0x1");
    dis("fe c0", "inc    al");
    dis("48 ff c8", "dec    rax");
    dis("ff 30", "push   QWORD PTR [rax]");
    dis("0f ba e0 03", "bt     eax,0x3");
    dis("0f a4 c2 04", "shld   edx,eax,0x4");
    dis("48 0f ad d0", "shrd   rax,rdx,cl");
    Insn one = d("d1 e0");
    assertEquals(K_IMM, one.kind1);
    assertEquals(1, one.imm);
  }

  @Test
  void dataMovement_family() {
    dis("48 63 c7", "movsxd rax,edi");
    dis("0f be c0", "movsx  eax,al");
    dis("48 0f bf c0", "movsx  rax,ax");
    dis("87 d8", "xchg   eax,ebx");
    dis("48 93", "xchg   rbx,rax");
    dis("f0 0f c1 02", "lock xadd DWORD PTR [rdx],eax");
    dis("f0 48 0f b1 11", "lock cmpxchg QWORD PTR [rcx],rdx");
    dis("f0 0f c7 0f", "lock cmpxchg8b QWORD PTR [rdi]");
    assertEquals(Op.CMPXCHG16B, d("f0 48 0f c7 0f").op);
    dis("0f c8", "bswap  eax");
    dis("49 0f cf", "bswap  r15");
    dis("8c d8", "mov    eax,ds");
    dis("8e d8", "mov    ds,eax");
  }

  @Test
  void bitCountsAndBmi_family() {
    dis("f3 0f b8 c1", "popcnt eax,ecx");
    dis("f3 48 0f bc c1", "tzcnt  rax,rcx");
    dis("66 f3 0f bd c1", "lzcnt  ax,cx");
    dis("0f bc c1", "bsf    eax,ecx");
    dis("c4 e2 70 f2 c2", "andn   eax,ecx,edx");
    dis("c4 e2 e8 f7 c1", "bextr  rax,rcx,rdx");
    dis("c4 e2 78 f3 d9", "blsi   eax,ecx");
    dis("c4 e2 78 f3 d1", "blsmsk eax,ecx");
    dis("c4 e2 78 f3 c9", "blsr   eax,ecx");
    dis("c4 e2 68 f5 c1", "bzhi   eax,ecx,edx");
    dis("c4 e2 73 f5 c2", "pdep   eax,ecx,edx");
    dis("c4 e2 72 f5 c2", "pext   eax,ecx,edx");
    dis("c4 e3 fb f0 c1 07", "rorx   rax,rcx,0x7");
    dis("c4 e2 6a f7 c1", "sarx   eax,ecx,edx");
    dis("c4 e2 69 f7 c1", "shlx   eax,ecx,edx");
    dis("c4 e2 6b f7 c1", "shrx   eax,ecx,edx");
    dis("c4 e2 f3 f6 c2", "mulx   rax,rcx,rdx");
    dis("66 0f 38 f6 c1", "adcx   eax,ecx");
    dis("f3 48 0f 38 f6 c1", "adox   rax,rcx");
    dis("0f 38 f0 07", "movbe  eax,DWORD PTR [rdi]");
    dis("f2 0f 38 f1 c1", "crc32  eax,ecx");
    dis("f2 48 0f 38 f0 c1", "crc32  rax,cl");
    Insn andn = d("c4 e2 f0 f2 c2");
    assertFalse(andn.unsupported, "BMI is implemented");
    assertEquals(8, andn.opSize);
    assertEquals(1, andn.vexV);
    assertEquals(Op.ANDN, andn.op);
  }

  @Test
  void strings_andRepPrefixes() {
    Insn in = d("f3 48 a5");
    assertEquals(Op.MOVS, in.op);
    assertEquals(8, in.opSize);
    assertTrue((in.prefixes & P_REP) != 0);
    dis("f3 48 a5", "rep movs QWORD PTR es:[rdi],QWORD PTR ds:[rsi]");
    dis("f3 aa", "rep stos BYTE PTR es:[rdi],al");
    dis("f2 ae", "repnz scas al,BYTE PTR es:[rdi]");
    dis("f3 a6", "repz cmps BYTE PTR ds:[rsi],BYTE PTR es:[rdi]");
    dis("ac", "lods   al,BYTE PTR ds:[rsi]");
    assertEquals(1, d("ac").opSize);
  }

  @Test
  void misc_nopsAndSystem() {
    dis("90", "nop");
    dis("66 90", "xchg   ax,ax");
    dis("f3 90", "pause");
    assertEquals(Op.PAUSE, d("f3 90").op);
    dis("0f 1f 44 00 00", "nop    DWORD PTR [rax+rax*1+0x0]");
    dis("66 2e 0f 1f 84 00 00 00 00 00", "cs nop WORD PTR [rax+rax*1+0x0]");
    dis("f3 0f 1e fa", "endbr64");
    dis("0f 0b", "ud2");
    dis("0f a2", "cpuid");
    dis("0f 31", "rdtsc");
    dis("0f 01 f9", "rdtscp");
    dis("0f c7 f0", "rdrand eax");
    dis("48 0f c7 f8", "rdseed rax");
    dis("0f 01 d0", "xgetbv");
    dis("0f ae e8", "lfence");
    dis("0f ae f0", "mfence");
    dis("0f ae f8", "sfence");
    dis("0f 18 08", "prefetcht0 BYTE PTR [rax]");
    dis("0f ae 38", "clflush BYTE PTR [rax]");
    dis("0f ae 10", "ldmxcsr DWORD PTR [rax]");
    dis("0f ae 1c 24", "stmxcsr DWORD PTR [rsp]");
    dis("48 0f ae 00", "fxsave64 [rax]");
    dis("0f ae 08", "fxrstor [rax]");
    dis("0f ae 20", "xsave  [rax]");
    dis("0f ae 28", "xrstor [rax]");
    dis("0f 05", "syscall");
    dis("cc", "int3");
    dis("cd 80", "int    0x80");
    dis("98", "cwde");
    dis("48 98", "cdqe");
    dis("66 98", "cbw");
    dis("48 99", "cqo");
    assertEquals(Op.CDQE, d("48 98").op);
    assertEquals(Op.CQO, d("48 99").op);
    dis("9e", "sahf");
    dis("f5", "cmc");
    dis("fd", "std");
    dis("9c", "pushf");
    dis("c9", "leave");
  }

  @Test
  void privileged_decodedAndFlagged() {
    for (String hex : new String[] {"f4", "fa", "fb", "ec", "e6 80", "0f 22 d8", "0f 01 f8",
        "0f 30", "0f 09"}) {
      Insn in = d(hex);
      assertFalse(in.invalid, hex);
      assertTrue(in.privileged, hex);
    }
    dis("f4", "hlt");
    dis("0f 20 c0", "mov    rax,cr0");
  }

  @Test
  void sse_mandatoryPrefixesSelectTheOperation() {
    assertEquals(Op.ADDPS, d("0f 58 c1").op);
    assertEquals(Op.ADDPD, d("66 0f 58 c1").op);
    assertEquals(Op.ADDSS, d("f3 0f 58 c1").op);
    assertEquals(Op.ADDSD, d("f2 0f 58 c1").op);
    assertEquals(MP_F2, d("f2 0f 58 c1").mandatory);
    dis("66 0f ef c0", "pxor   xmm0,xmm0");
    dis("0f ef c0", "pxor   mm0,mm0");
    dis("66 48 0f 6e c0", "movq   xmm0,rax");
    dis("66 0f 6e c0", "movd   xmm0,eax");
    dis("f3 0f 7e 04 24", "movq   xmm0,QWORD PTR [rsp]");
    dis("66 0f d6 07", "movq   QWORD PTR [rdi],xmm0");
    dis("f2 0f 10 05 00 00 00 00", "movsd  xmm0,QWORD PTR [rip+0x0]        # 0x401008");
    dis("f3 0f 6f 06", "movdqu xmm0,XMMWORD PTR [rsi]");
    dis("66 0f 70 c1 1b", "pshufd xmm0,xmm1,0x1b");
    dis("66 0f 73 d8 08", "psrldq xmm0,0x8");
    dis("f2 48 0f 2c c0", "cvttsd2si rax,xmm0");
    dis("f2 48 0f 2a c0", "cvtsi2sd xmm0,rax");
    dis("0f c2 c1 01", "cmpltps xmm0,xmm1");
    dis("0f c2 c1 09", "cmpps  xmm0,xmm1,0x9");
    dis("66 45 0f 3a 0f c8 08", "palignr xmm9,xmm8,0x8");
    assertEquals(Op.MOVQ, d("f3 0f 7e c1").op);
    assertEquals(16, d("66 0f ef c0").opSize);
    assertEquals(8, d("0f ef c0").opSize);
  }

  @Test
  void ssse3Sse41Sse42_andCrypto() {
    dis("66 0f 38 00 c1", "pshufb xmm0,xmm1");
    dis("66 0f 38 17 c1", "ptest  xmm0,xmm1");
    dis("66 0f 38 10 c1", "pblendvb xmm0,xmm1,xmm0");
    dis("66 0f 3a 16 c0 01", "pextrd eax,xmm0,0x1");
    dis("66 48 0f 3a 16 c0 01", "pextrq rax,xmm0,0x1");
    dis("66 0f 3a 22 c0 01", "pinsrd xmm0,eax,0x1");
    dis("66 0f 3a 61 c1 0c", "pcmpestri xmm0,xmm1,0xc");
    dis("66 0f 3a 60 c1 0c", "pcmpestrm xmm0,xmm1,0xc");
    dis("66 0f 3a 63 c1 0c", "pcmpistri xmm0,xmm1,0xc");
    dis("66 0f 3a 62 c1 0c", "pcmpistrm xmm0,xmm1,0xc");
    dis("66 0f 38 dc c1", "aesenc xmm0,xmm1");
    dis("66 0f 3a 44 c1 11", "pclmulhqhqdq xmm0,xmm1");
    dis("0f 38 cb d1", "sha256rnds2 xmm2,xmm1,xmm0");
    dis("66 0f 38 30 c1", "pmovzxbw xmm0,xmm1");
  }

  @Test
  void x87_memoryAndRegisterForms() {
    dis("d9 45 f8", "fld    DWORD PTR [rbp-0x8]");
    dis("dd 04 24", "fld    QWORD PTR [rsp]");
    dis("db 2c 24", "fld    TBYTE PTR [rsp]");
    dis("df 2c 24", "fild   QWORD PTR [rsp]");
    dis("de 04 24", "fiadd  WORD PTR [rsp]");
    dis("d9 7c 24 fe", "fnstcw WORD PTR [rsp-0x2]");
    dis("d8 c1", "fadd   st,st(1)");
    dis("dc c1", "fadd   st(1),st");
    dis("de c1", "faddp  st(1),st");
    dis("dc e1", "fsubr  st(1),st");
    dis("de e9", "fsubp  st(1),st");
    dis("d9 c9", "fxch   st(1)");
    dis("d9 e8", "fld1");
    dis("d9 ee", "fldz");
    dis("df e0", "fnstsw ax");
    dis("db e3", "fninit");
    dis("df e9", "fucomip st,st(1)");
    dis("da c1", "fcmovb st,st(1)");
    assertEquals(2, d("da c1").cond);
    dis("dd d8", "fstp   st(0)");
    dis("df 7c 24 08", "fistp  QWORD PTR [rsp+0x8]");
    dis("dd 0c 24", "fisttp QWORD PTR [rsp]");
    dis("9b", "fwait");
    assertTrue(d("d9 d8").invalid, "d9 d8 is blank in the SDM");
  }

  @Test
  void vex_twoAndThreeByteFieldsDecoded() {
    Insn v = d("c5 f9 ef c0"); // vpxor xmm0,xmm0,xmm0
    assertEquals(VEX, v.vexKind);
    assertEquals(Op.PXOR, v.op);
    assertEquals(0, v.vexL);
    assertEquals(1, v.vexPP);
    assertEquals(1, v.map);
    assertTrue(v.unsupported);
    dis("c5 f9 ef c0", "vpxor  xmm0,xmm0,xmm0");
    Insn y = d("c5 fd 6f 06");
    assertEquals(1, y.vexL);
    dis("c5 fe 6f 06", "vmovdqu ymm0,YMMWORD PTR [rsi]");
    Insn v3 = d("c4 42 7d 00 c1"); // vpshufb ymm8,ymm0,ymm9
    assertEquals(2, v3.map);
    assertEquals(8, v3.reg0);
    dis("c4 42 7d 00 c1", "vpshufb ymm8,ymm0,ymm9");
    dis("c5 f8 77", "vzeroupper");
    dis("c4 e3 fd 00 c1 4e", "vpermq ymm0,ymm1,0x4e");
    dis("c4 c1 f9 7e c0", "vmovq  r8,xmm0");
    assertTrue(d("c5 f8 77").unsupported);
  }

  @Test
  void evexAndXop_lengthAndNames() {
    Insn e = d("62 f1 fd 48 ef c0"); // vpxorq zmm0,zmm0,zmm0
    assertEquals(EVEX, e.vexKind);
    assertEquals(6, e.length);
    assertEquals("vpxorq", e.mnemonic);
    assertEquals(2, e.vexL);
    assertTrue(e.unsupported);
    dis("62 d1 7f c9 6f 6a 03", "vmovdqu8 zmm5{k1}{z},ZMMWORD PTR [r10+0x3]");
    Insn x = d("8f e8 78 c2 c1 05");
    assertEquals(XOP, x.vexKind);
    assertEquals("vprotd", x.mnemonic);
    assertEquals(6, x.length);
    dis("8f c0", "pop    rax");
  }

  @Test
  void invalid_undefinedOpcodes() {
    for (String hex : new String[] {"06", "0e", "27", "60", "9a", "ce", "d4", "d6", "ea", "0f 04",
        "0f 0a", "0f 24", "0f 38 ff", "fe d0", "ff f8", "8f c8 00", "c4 e1 78 00 00"}) {
      Insn in = d(hex);
      assertTrue(in.invalid, hex + " should be invalid, got " + in);
      assertTrue(in.length >= 1 && in.length <= 15, hex);
      assertEquals("(bad)", Disassembler.format(in));
      assertNotNull(in.reason);
      assertTrue(in.raisesSigill());
    }
  }

  @Test
  void invalid_lockOnNonLockableOrRegisterDestination() {
    Insn reg = d("f0 01 c0"); // lock add eax,eax
    assertTrue(reg.invalid);
    assertEquals(3, reg.length);
    assertTrue(reg.reason.contains("register"), reg.reason);
    assertTrue(d("f0 8b 00").invalid, "lock mov");
    assertTrue(d("f0 90").invalid, "lock nop");
    assertFalse(d("f0 83 00 01").invalid, "lock add [rax],1");
    assertFalse(d("f0 87 00").invalid, "lock xchg [rax],eax");
    assertTrue(d("f0 c5 f9 ef c0").invalid, "lock vex");
    assertTrue(d("66 c5 f9 ef c0").invalid, "66 before vex");
    assertTrue(d("48 c5 f9 ef c0").invalid, "rex before vex");
    assertTrue(d("8d c0").invalid, "lea with a register");
    assertTrue(d("0f 01 ff").invalid, "0f 01 /7 rm 7");
    assertTrue(d("8e c8").invalid, "mov cs,eax");
  }

  @Test
  void overlong_fifteenByteLimit() {
    Insn ok = d("66 66 66 66 66 66 66 66 66 66 66 2e 0f 1f 00"); // 15 bytes exactly
    assertFalse(ok.invalid, ok.reason);
    assertEquals(15, ok.length);
    Insn longer = d("66 66 66 66 66 66 66 66 66 66 66 66 2e 0f 1f 00");
    assertTrue(longer.invalid);
    assertEquals(15, longer.length);
    assertTrue(longer.reason.contains("15"), longer.reason);
    Insn prefixesOnly = d("f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3");
    assertTrue(prefixesOnly.invalid);
  }

  @Test
  void rexBeforeLegacyPrefix_isIgnored() {
    Insn in = d("48 66 01 c0"); // REX.W is not adjacent to the opcode: add ax,ax
    assertEquals(2, in.opSize);
    assertEquals(0, in.rex);
    dis("48 66 01 c0", "add    ax,ax");
  }

  @Test
  void byteSourceFault_propagatesUnchanged() {
    class Fault extends RuntimeException {}
    ByteSource src = a -> {
      if (a >= 0x1002) {
        throw new Fault();
      }
      return 0x48; // rex.W forever, then the fault
    };
    assertThrows(Fault.class, () -> Decoder.decode(src, 0x1000));
    assertThrows(IndexOutOfBoundsException.class,
        () -> Decoder.decode(new byte[] {0x48, (byte) 0x8b}, 0));
  }

  @Test
  void randomBytes_neverThrow() {
    Random rnd = new Random(12345);
    byte[] buf = new byte[32];
    for (int i = 0; i < 300_000; i++) {
      rnd.nextBytes(buf);
      Insn in = Decoder.decode(buf, 0x10000);
      assertTrue(in.length >= 1 && in.length <= 15);
      assertNotNull(Disassembler.format(in));
      assertNotNull(in.describe());
    }
  }

  @Test
  void describe_namesAddressBytesAndDisassembly() {
    assertEquals("0x401000: 0f 0b  ud2", d("0f 0b").describe());
    String bad = d("f0 01 c0").describe();
    assertTrue(bad.startsWith("0x401000: f0 01 c0  (bad)"), bad);
    assertTrue(bad.contains("LOCK"), bad);
  }
}
