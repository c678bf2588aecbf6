/* No libc: write(1, "tiny\n", 5) and exit_group(7). What the loader alone must get right. */
static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}

void _start(void) {
  static const char message[] = "tiny\n";
  sys3(1, 1, (long)message, 5);
  sys3(231, 7, 0, 0);
  for (;;) {
  }
}
