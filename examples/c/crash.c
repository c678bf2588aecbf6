/* Dies of the signal named by argv[1]: "segv" reads address 0, "ill" executes UD2, "fpe"
 * divides by zero. Used to check the one-line crash report and the 128+N exit status. */
#include <string.h>

int main(int argc, char **argv) {
  volatile int zero = 0;
  volatile int hundred = 100; /* GCC turns 1 / x into compares: divide two volatiles */
  if (argc > 1 && strcmp(argv[1], "ill") == 0) {
    __asm__ volatile("ud2");
  }
  if (argc > 1 && strcmp(argv[1], "fpe") == 0) {
    return hundred / zero;
  }
  return *(volatile int *) (long) zero;
}
