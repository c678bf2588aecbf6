/*
 * Host x87 oracle for X87DifferentialTest. Built with `gcc -O0` at test time.
 *
 * stdin, one case per line:   OP CW ASE ASIG BSE BSIG      (all hex; A goes to ST0, B to ST1)
 * stdout, one line per case:  R0SE R0SIG R1SE R1SIG SW EXTRA
 *   R0/R1: ST0/ST1 after the operation as 80-bit patterns (memory stores: the stored bytes,
 *   read as sig = low 8 bytes, se = high 2 bytes); SW: FNSTSW right after the operation;
 *   EXTRA: ZF<<2|PF<<1|CF for the FCOMI family, 0 otherwise.
 * Every case starts from FNINIT + FLDCW, so cases never influence each other. The caller keeps
 * all exceptions masked: the FSTPs that read the results back are waiting instructions and
 * would trap on an unmasked pending exception.
 */
#include <stdio.h>
#include <string.h>

typedef struct { unsigned char b[10]; } __attribute__((aligned(16))) t80;
static t80 A, B, R0, R1;
static unsigned short CW, SW;
static unsigned long long M;
static unsigned char ZF, PF, CF;

#define HEAD "fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"
#define TAIL "\n\tfnstsw %[sw]\n\tfstpt %[r0]\n\tfstpt %[r1]\n\tfninit"
#define OUTS [sw] "=m"(SW), [r0] "=m"(R0), [r1] "=m"(R1), [m] "+m"(M)
#define INS [cw] "m"(CW), [a] "m"(A), [b] "m"(B)
/* Two-operand stack form: ST0 = A, ST1 = B, run insn, read ST0 and ST1. */
#define STK(insn) __asm__ volatile(HEAD insn TAIL : OUTS : INS : "memory")
/* Store ST0 (= A) to M with insn (the value stays or is popped; the rest is discarded). */
#define STORE(insn) __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn \
    "\n\tfnstsw %[sw]\n\tfninit" : OUTS : INS : "memory")
/* Load from M with insn, read ST0. */
#define LOAD(insn) __asm__ volatile("fninit\n\tfldcw %[cw]\n\t" insn \
    "\n\tfnstsw %[sw]\n\tfstpt %[r0]\n\tfninit" : OUTS : INS : "memory")

static void put(unsigned char *dst, unsigned se, unsigned long long sig) {
  memcpy(dst, &sig, 8);
  dst[8] = se & 0xff;
  dst[9] = se >> 8;
}
static void get(const unsigned char *src, unsigned *se, unsigned long long *sig) {
  memcpy(sig, src, 8);
  *se = src[8] | (src[9] << 8);
}

int main(void) {
  char op[32];
  unsigned cw, ase, bse;
  unsigned long long asig, bsig;
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  while (scanf("%31s %x %x %llx %x %llx", op, &cw, &ase, &asig, &bse, &bsig) == 6) {
    CW = cw; put(A.b, ase, asig); put(B.b, bse, bsig);
    memset(&R0, 0, sizeof R0); memset(&R1, 0, sizeof R1);
    M = 0; ZF = PF = CF = 0; SW = 0;
    int mem = 0; /* 1: result is M (8 bytes), 2: result is 10 bytes in R0 */
    if (!strcmp(op, "add")) STK("fadd %%st(1), %%st");
    else if (!strcmp(op, "sub")) STK("fsub %%st(1), %%st");
    else if (!strcmp(op, "mul")) STK("fmul %%st(1), %%st");
    else if (!strcmp(op, "div")) STK("fdiv %%st(1), %%st");
    else if (!strcmp(op, "sqrt")) STK("fsqrt");
    else if (!strcmp(op, "fprem")) STK("fprem");
    else if (!strcmp(op, "fprem1")) STK("fprem1");
    else if (!strcmp(op, "fscale")) STK("fscale");
    else if (!strcmp(op, "fxtract")) STK("fxtract");
    else if (!strcmp(op, "frndint")) STK("frndint");
    else if (!strcmp(op, "fcom")) STK("fcom %%st(1)");
    else if (!strcmp(op, "fucom")) STK("fucom %%st(1)");
    else if (!strcmp(op, "ftst")) STK("ftst");
    else if (!strcmp(op, "fxam")) STK("fxam");
    else if (!strcmp(op, "fcomi") || !strcmp(op, "fucomi")) {
      if (op[1] == 'c')
        __asm__ volatile(HEAD "fcomi %%st(1), %%st\n\tsetz %[z]\n\tsetp %[p]\n\tsetc %[c]" TAIL
            : OUTS, [z] "=m"(ZF), [p] "=m"(PF), [c] "=m"(CF) : INS : "memory", "cc");
      else
        __asm__ volatile(HEAD "fucomi %%st(1), %%st\n\tsetz %[z]\n\tsetp %[p]\n\tsetc %[c]" TAIL
            : OUTS, [z] "=m"(ZF), [p] "=m"(PF), [c] "=m"(CF) : INS : "memory", "cc");
    }
    else if (!strcmp(op, "fsin")) STK("fsin");
    else if (!strcmp(op, "fcos")) STK("fcos");
    else if (!strcmp(op, "fsincos")) STK("fsincos");
    else if (!strcmp(op, "fptan")) STK("fptan");
    else if (!strcmp(op, "fpatan")) STK("fpatan");  /* ST1 = atan(ST1/ST0), pop */
    else if (!strcmp(op, "f2xm1")) STK("f2xm1");
    else if (!strcmp(op, "fyl2x")) STK("fyl2x");    /* ST1 = ST1*log2(ST0), pop */
    else if (!strcmp(op, "fyl2xp1")) STK("fyl2xp1");
    else if (!strcmp(op, "fst32")) { STORE("fsts %[m]"); mem = 1; }
    else if (!strcmp(op, "fst64")) { STORE("fstl %[m]"); mem = 1; }
    else if (!strcmp(op, "fist16")) { STORE("fists %[m]"); mem = 1; }
    else if (!strcmp(op, "fist32")) { STORE("fistl %[m]"); mem = 1; }
    else if (!strcmp(op, "fist64")) { STORE("fistpll %[m]"); mem = 1; }
    else if (!strcmp(op, "fisttp16")) { STORE("fisttps %[m]"); mem = 1; }
    else if (!strcmp(op, "fisttp32")) { STORE("fisttpl %[m]"); mem = 1; }
    else if (!strcmp(op, "fisttp64")) { STORE("fisttpll %[m]"); mem = 1; }
    else if (!strcmp(op, "fbstp")) {
      __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\tfbstp %[r0]\n\tfnstsw %[sw]\n\tfninit"
          : OUTS : INS : "memory");
      mem = 2;
    }
    else if (!strcmp(op, "fld32")) { M = asig; LOAD("flds %[m]"); }
    else if (!strcmp(op, "fld64")) { M = asig; LOAD("fldl %[m]"); }
    else if (!strcmp(op, "fild16")) { M = asig; LOAD("filds %[m]"); }
    else if (!strcmp(op, "fild32")) { M = asig; LOAD("fildl %[m]"); }
    else if (!strcmp(op, "fild64")) { M = asig; LOAD("fildll %[m]"); }
    else if (!strcmp(op, "fbld")) {
      __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfbld %[a]\n\tfnstsw %[sw]\n\tfstpt %[r0]\n\tfninit"
          : OUTS : INS : "memory");
    }
    else { fprintf(stderr, "x87_oracle: unknown op %s\n", op); return 2; }
    unsigned s0, s1; unsigned long long g0, g1;
    if (mem == 1) { s0 = 0; g0 = M; } else get(R0.b, &s0, &g0);
    get(R1.b, &s1, &g1);
    printf("%04x %016llx %04x %016llx %04x %x\n", s0, g0, s1, g1, SW, ZF << 2 | PF << 1 | CF);
  }
  fflush(stdout);
  return 0;
}
