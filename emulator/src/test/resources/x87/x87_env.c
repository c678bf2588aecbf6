/*
 * Host reference for X87StateTest: a fixed x87 state, then its FNSTENV, FNSAVE and FXSAVE
 * images as hex lines ("env ...", "save ...", "fxsave ..." for the first 160 bytes).
 * Sequence: FNINIT; FLDCW 0x0a7f (53-bit precision, round up... see below); push 1.0, +0.0,
 * the smallest denormal, -inf, an SNaN, an unnormal (all via FLD m80, which raises nothing);
 * then FLD1; FLDZ; FDIVP (1/0: ZE, stack back to six); FXCH? no: FCOM ST(1) sets C0..C3.
 */
#include <stdio.h>
#include <string.h>

typedef struct { unsigned char b[10]; } t80;
static void mk(t80 *t, unsigned se, unsigned long long sig) {
  memcpy(t->b, &sig, 8); t->b[8] = se & 0xff; t->b[9] = se >> 8;
}
static void dump(const char *name, const unsigned char *p, int n) {
  printf("%s", name);
  for (int i = 0; i < n; i++) printf(" %02x", p[i]);
  printf("\n");
}

int main(void) {
  static t80 v[6];
  static unsigned char env[28], save[108], fx[512] __attribute__((aligned(16)));
  unsigned short cw = 0x0a7f;
  mk(&v[0], 0x3fff, 0x8000000000000000ULL); /* 1.0 */
  mk(&v[1], 0x0000, 0);                     /* +0 */
  mk(&v[2], 0x0000, 1);                     /* smallest denormal */
  mk(&v[3], 0xffff, 0x8000000000000000ULL); /* -inf */
  mk(&v[4], 0x7fff, 0x8000000000000001ULL); /* SNaN */
  mk(&v[5], 0x3fff, 0x4000000000000000ULL); /* unnormal */
  __asm__ volatile(
      "fninit\n\tfldcw %[cw]\n\t"
      "fldt %[v0]\n\tfldt %[v1]\n\tfldt %[v2]\n\tfldt %[v3]\n\tfldt %[v4]\n\tfldt %[v5]\n\t"
      "fld1\n\tfldz\n\tfdivrp\n\t"       /* ST(0) = 1/0 = +inf, ZE */
      "fcom %%st(3)\n\t"                 /* +inf vs denormal: greater, DE */
      "fxsave %[fx]\n\t"
      "fnstenv %[env]\n\t"
      "fldenv %[env]\n\t"
      "fnsave %[save]\n\t"
      : [env] "=m"(env), [save] "=m"(save), [fx] "=m"(fx)
      : [cw] "m"(cw), [v0] "m"(v[0]), [v1] "m"(v[1]), [v2] "m"(v[2]), [v3] "m"(v[3]),
        [v4] "m"(v[4]), [v5] "m"(v[5])
      : "memory");
  dump("env", env, 28);
  dump("save", save, 108);
  dump("fxsave", fx, 160);
  return 0;
}
