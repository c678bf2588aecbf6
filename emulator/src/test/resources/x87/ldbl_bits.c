/*
 * The computations of ../shared/bench/ldbl.c, printed as 80-bit patterns (SSSS:XXXXXXXXXXXXXXXX)
 * next to the decimal the benchmark prints, for LdblBenchTest.
 */
#include <stdio.h>
#include <string.h>
#include <math.h>

static void show(const char *name, long double v) {
  unsigned char b[16];
  unsigned long long sig;
  memset(b, 0, sizeof b);
  memcpy(b, &v, 10);
  memcpy(&sig, b, 8);
  printf("%s %04x:%016llx %.21Lg\n", name, b[8] | b[9] << 8, sig, v);
}

int main(void) {
  volatile long double one = 1.0L, three = 3.0L, e18 = 1e18L, two = 2.0L;
  long double third = one / three;
  long double big = e18 + one;
  long double s = 0;
  for (int i = 1; i <= 1000; i++) s += one / i;
  show("third", third);
  show("bigdiff", big - e18);
  show("harmonic", s);
  show("sqrt2", sqrtl(two));
  return 0;
}
