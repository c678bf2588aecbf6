/* Prints what a program sees at startup: argv, envp, the auxiliary vector, and where the
 * strings lie relative to AT_EXECFN. Run natively and under blink-chroot; the outputs compare
 * after the lines that depend on the host (vDSO, rseq, HWCAP, addresses of an ASLR run) drop. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  char **e = environ;
  while (*e) e++;
  Elf64_auxv_t *aux = (Elf64_auxv_t *)(e + 1);
  uintptr_t execfn = 0, platform = 0, random = 0;
  for (Elf64_auxv_t *a = aux; a->a_type; a++) {
    if (a->a_type == AT_EXECFN) execfn = a->a_un.a_val;
    if (a->a_type == AT_PLATFORM) platform = a->a_un.a_val;
    if (a->a_type == AT_RANDOM) random = a->a_un.a_val;
  }
  printf("argc %d\n", argc);
  printf("argv%%16 %lu\n", (unsigned long)((uintptr_t)argv % 16));
  printf("envp-after-argv %d\n", environ == argv + argc + 1);
  for (int i = 0; i < argc; i++)
    printf("argv[%d] %s @execfn%+ld\n", i, argv[i], (long)((uintptr_t)argv[i] - execfn));
  for (char **p = environ; *p; p++)
    printf("env %s @execfn%+ld\n", *p, (long)((uintptr_t)*p - execfn));
  printf("execfn %s\n", (char *)execfn);
  printf("platform %s\n", (char *)platform);
  printf("random-platform %ld\n", (long)(random - platform));
  for (Elf64_auxv_t *a = aux; a->a_type; a++)
    printf("aux %lu 0x%lx\n", (unsigned long)a->a_type, (unsigned long)a->a_un.a_val);
  return 3;
}
