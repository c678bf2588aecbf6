/* The signal frame, as Linux x86-64 builds it: the handler's stack pointer aligned as after a
 * call, siginfo and ucontext where rt_sigframe puts them, the 128-byte red zone skipped,
 * uc_flags, uc_link, uc_stack and uc_sigmask, the general registers and flags of the
 * interrupted code in uc_mcontext, the FXSAVE/XSAVE area that fpregs points to (aligned, MXCSR,
 * the x87 control word, XMM registers, both magic numbers), DF clear in the handler; every
 * register restored by rt_sigreturn, and what a handler wrote into the ucontext (a general
 * register, an XMM register, the signal mask) taking effect. Also sigaltstack's errors and
 * flags, SS_AUTODISARM, and alignment on a misaligned alternate stack. See sigs.h for the rules
 * of the output. */
#include "sigs.h"
#include <stdint.h>
#include <ucontext.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* Linux 4.7; glibc does not name it */
#endif

/* long regs_probe(long pid, long sig, long out[3]): loads patterns into rbx, rbp, rdx, r8-r10,
 * r12-r15 and the low halves of xmm0-xmm15, sets DF, calls kill(pid, sig) with the syscall
 * instruction (the handler runs before the instruction after it, regs_probe_after), then stores
 * r12, xmm3's low half and the flags in out[] and returns a bit mask of the registers that do
 * not hold their pattern: bits 0-15 xmm0-15, then 16 rbx, 17 rbp, 18 rdx, 19 r8, 20 r9, 21 r10,
 * 22 r12, 23 r13, 24 r14, 25 r15, 26 rdi, 27 rsi.
 *
 * long redzone_probe(long pid, long sig): fills the 16 words below its stack pointer (the red
 * zone, which a signal frame must not touch), calls kill(pid, sig), and returns how many of
 * them still hold what it wrote.
 *
 * frame_entry: a handler that records its stack pointer, siginfo and ucontext pointers on
 * entry, then jumps to frame_handler with the registers as the kernel set them. */
__asm__(
    ".text\n"
    ".globl regs_probe, regs_probe_after, redzone_probe, frame_entry\n"
    ".hidden regs_probe, regs_probe_after, redzone_probe, frame_entry\n"
    "regs_probe:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  push %rdx\n" /* out, at 16(%rsp) */
    "  push %rsi\n" /* sig, at 8(%rsp) */
    "  push %rdi\n" /* pid, at 0(%rsp) */
    "  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "  mov $(0x5a5a5a5a00000000 + \\i), %rax\n"
    "  movq %rax, %xmm\\i\n"
    "  .endr\n"
    "  mov $0x6b6b6b6b00000001, %rbx\n"
    "  mov $0x6b6b6b6b00000002, %rbp\n"
    "  mov $0x6b6b6b6b00000003, %rdx\n"
    "  mov $0x6b6b6b6b00000008, %r8\n"
    "  mov $0x6b6b6b6b00000009, %r9\n"
    "  mov $0x6b6b6b6b0000000a, %r10\n"
    "  mov $0x6b6b6b6b0000000c, %r12\n"
    "  mov $0x6b6b6b6b0000000d, %r13\n"
    "  mov $0x6b6b6b6b0000000e, %r14\n"
    "  mov $0x6b6b6b6b0000000f, %r15\n"
    "  std\n"
    "  mov $62, %eax\n" /* SYS_kill */
    "  syscall\n"
    "regs_probe_after:\n"
    "  pushf\n"
    "  cld\n"
    "  pop %rcx\n"
    "  mov 16(%rsp), %rax\n"
    "  mov %r12, (%rax)\n"
    "  movq %xmm3, %r11\n"
    "  mov %r11, 8(%rax)\n"
    "  mov %rcx, 16(%rax)\n"
    "  xor %r11d, %r11d\n"
    "  .macro regs_probe_check reg, value, bit\n"
    "  mov $\\value, %rcx\n"
    "  cmp %rcx, \\reg\n"
    "  je 1f\n"
    "  or $(1 << \\bit), %r11\n"
    "1:\n"
    "  .endm\n"
    "  regs_probe_check %rbx, 0x6b6b6b6b00000001, 16\n"
    "  regs_probe_check %rbp, 0x6b6b6b6b00000002, 17\n"
    "  regs_probe_check %rdx, 0x6b6b6b6b00000003, 18\n"
    "  regs_probe_check %r8, 0x6b6b6b6b00000008, 19\n"
    "  regs_probe_check %r9, 0x6b6b6b6b00000009, 20\n"
    "  regs_probe_check %r10, 0x6b6b6b6b0000000a, 21\n"
    "  regs_probe_check %r12, 0x6b6b6b6b0000000c, 22\n"
    "  regs_probe_check %r13, 0x6b6b6b6b0000000d, 23\n"
    "  regs_probe_check %r14, 0x6b6b6b6b0000000e, 24\n"
    "  regs_probe_check %r15, 0x6b6b6b6b0000000f, 25\n"
    "  cmp (%rsp), %rdi\n"
    "  je 1f\n"
    "  or $(1 << 26), %r11\n"
    "1:\n"
    "  cmp 8(%rsp), %rsi\n"
    "  je 1f\n"
    "  or $(1 << 27), %r11\n"
    "1:\n"
    "  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "  movq %xmm\\i, %rax\n"
    "  mov $(0x5a5a5a5a00000000 + \\i), %rcx\n"
    "  cmp %rcx, %rax\n"
    "  je 1f\n"
    "  or $(1 << \\i), %r11\n"
    "1:\n"
    "  .endr\n"
    "  mov %r11, %rax\n"
    "  add $24, %rsp\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "  ret\n"
    "redzone_probe:\n"
    "  xor %ecx, %ecx\n"
    "1:\n"
    "  lea 0x3c3c0000(%rcx), %rax\n"
    "  mov %rax, -128(%rsp,%rcx,8)\n"
    "  inc %ecx\n"
    "  cmp $16, %ecx\n"
    "  jne 1b\n"
    "  mov $62, %eax\n"
    "  syscall\n"
    "  xor %eax, %eax\n"
    "  xor %ecx, %ecx\n"
    "2:\n"
    "  lea 0x3c3c0000(%rcx), %rdx\n"
    "  cmp %rdx, -128(%rsp,%rcx,8)\n"
    "  jne 3f\n"
    "  inc %eax\n"
    "3:\n"
    "  inc %ecx\n"
    "  cmp $16, %ecx\n"
    "  jne 2b\n"
    "  ret\n"
    "frame_entry:\n"
    "  mov %rsp, entry_rsp(%rip)\n"
    "  mov %rsi, entry_si(%rip)\n"
    "  mov %rdx, entry_uc(%rip)\n"
    "  jmp frame_handler\n");
long regs_probe(long pid, long sig, long out[3]);
extern char regs_probe_after[];
long redzone_probe(long pid, long sig);
void frame_entry(int sig, siginfo_t *si, void *uc);

__attribute__((used)) long entry_rsp, entry_si, entry_uc;

/* The legacy FXSAVE area that uc_mcontext.fpregs points to, with Linux's software bytes at
 * 464 (struct _fpx_sw_bytes); libcs name these fields differently. */
struct fx_area {
  uint16_t cwd, swd, ftw, fop;
  uint64_t rip, rdp;
  uint32_t mxcsr, mxcsr_mask;
  uint8_t st[8][16];
  uint64_t xmm[16][2];
  uint8_t reserved[48];
  uint32_t magic1, extended_size;
  uint64_t xfeatures;
  uint32_t xstate_size, padding[7];
};
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
/* The kernel's struct ucontext before uc_sigmask's padding: flags, link, stack, sigcontext,
 * mask; siginfo follows it in rt_sigframe. */
#define KERNEL_UCONTEXT_SIZE (8 + 8 + 24 + 256 + 8)

static int edit; /* what frame_handler does: 0 only looks, 1 edits the ucontext */
static struct {
  int runs, df_in_handler;
  long rsp_mod16, si_offset, uc_offset, uc_flags, uc_link_null, rip_after_syscall;
  long rax, rdi_is_pid, r8, rbx, rdx, efl_df, mask_usr2, mask_usr1;
  long fp_aligned, magic1, magic2, sizes, xfeatures, mxcsr, cwd, xmm5, on_altstack;
} seen;
static char *altstack;
static size_t altstack_size;

__attribute__((used)) static void frame_handler(int sig, siginfo_t *si, void *ucv) {
  (void) sig;
  ucontext_t *uc = ucv;
  long flags;
  __asm__ volatile("pushf\n pop %0" : "=r"(flags));
  seen.df_in_handler = (flags & 0x400) != 0;
  seen.runs++;
  seen.rsp_mod16 = (entry_rsp + 8) % 16;
  seen.uc_offset = (long) uc - entry_rsp;
  seen.si_offset = (long) si - (long) uc;
  seen.on_altstack = altstack && entry_rsp >= (long) altstack
      && entry_rsp < (long) (altstack + altstack_size);
  seen.uc_flags = uc->uc_flags;
  seen.uc_link_null = uc->uc_link == NULL;
  greg_t *g = uc->uc_mcontext.gregs;
  seen.rip_after_syscall = g[REG_RIP] == (long) regs_probe_after;
  seen.rax = g[REG_RAX];
  seen.rdi_is_pid = g[REG_RDI] == getpid();
  seen.r8 = g[REG_R8];
  seen.rbx = g[REG_RBX];
  seen.rdx = g[REG_RDX];
  seen.efl_df = (g[REG_EFL] & 0x400) != 0;
  seen.mask_usr1 = sigismember(&uc->uc_sigmask, SIGUSR1);
  seen.mask_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
  struct fx_area *fp = (struct fx_area *) uc->uc_mcontext.fpregs;
  seen.fp_aligned = (long) fp % 64 == 0;
  seen.magic1 = fp->magic1 == FP_XSTATE_MAGIC1;
  seen.magic2 = *(uint32_t *) ((char *) fp + fp->xstate_size) == FP_XSTATE_MAGIC2;
  seen.sizes = fp->extended_size == fp->xstate_size + 4 && fp->xstate_size >= 512 + 64;
  seen.xfeatures = (fp->xfeatures & 3) == 3;
  seen.mxcsr = fp->mxcsr;
  seen.cwd = fp->cwd;
  seen.xmm5 = fp->xmm[5][0];
  if (edit) {
    g[REG_R12] = 0xfeed;
    fp->xmm[3][0] = 0xbeef;
    sigaddset(&uc->uc_sigmask, SIGTERM);
  }
  /* Clobber what a handler may: the C code around already does, this makes sure. */
  __asm__ volatile("pxor %%xmm0, %%xmm0\n pxor %%xmm3, %%xmm3\n pxor %%xmm5, %%xmm5\n"
                   "pxor %%xmm15, %%xmm15\n xor %%r8d, %%r8d\n xor %%r9d, %%r9d\n"
                   "xor %%r10d, %%r10d\n xor %%r11d, %%r11d\n"
                   ::: "xmm0", "xmm3", "xmm5", "xmm15", "r8", "r9", "r10", "r11");
}

static void install_frame_handler(int flags) {
  on(SIGUSR1, frame_entry, SA_SIGINFO | flags);
}

static void show_frame(void) {
  SAY("handler ran %d: (rsp + 8) %% 16 = %ld, ucontext at rsp + %ld, siginfo at ucontext + %ld",
      seen.runs, seen.rsp_mod16, seen.uc_offset, seen.si_offset);
}

static void frame_layout(void) {
  puts("# the frame: where things are");
  install_frame_handler(0);
  mask(SIG_BLOCK, SIGUSR2, 0);
  long out[3];
  long clobbered = regs_probe(getpid(), SIGUSR1, out);
  show_frame();
  SAY("kernel ucontext size %d: siginfo right after it %d", KERNEL_UCONTEXT_SIZE,
      seen.si_offset == KERNEL_UCONTEXT_SIZE);
  SAY("uc_flags %#lx, uc_link NULL %ld, uc_sigmask: SIGUSR2 %ld, SIGUSR1 %ld", seen.uc_flags,
      seen.uc_link_null, seen.mask_usr2, seen.mask_usr1);
  SAY("gregs: rip after the syscall %ld, rax (kill's result) %ld, rdi the pid %ld, "
      "rbx %#lx, rdx %#lx, r8 %#lx, DF in eflags %ld",
      seen.rip_after_syscall, seen.rax, seen.rdi_is_pid, seen.rbx, seen.rdx, seen.r8,
      seen.efl_df);
  SAY("fpregs: 64-byte aligned %ld, FP_XSTATE_MAGIC1 %ld, FP_XSTATE_MAGIC2 after xstate_size %ld,"
      " extended_size = xstate_size + 4 %ld, xfeatures x87|SSE %ld",
      seen.fp_aligned, seen.magic1, seen.magic2, seen.sizes, seen.xfeatures);
  SAY("fpregs: mxcsr %#lx, x87 control word %#lx, xmm5 %#lx", seen.mxcsr, seen.cwd, seen.xmm5);
  SAY("DF clear in the handler %d", !seen.df_in_handler);
  puts("# rt_sigreturn restores every register");
  SAY("registers not restored: %#lx; r12 %#lx, xmm3 %#lx, DF %d", clobbered, out[0], out[1],
      (out[2] & 0x400) != 0);
  memset(&seen, 0, sizeof seen);

  puts("# what the handler wrote into the ucontext takes effect");
  edit = 1;
  clobbered = regs_probe(getpid(), SIGUSR1, out);
  edit = 0;
  SAY("registers changed: %#lx (r12 is bit 22, xmm3 bit 3); r12 %#lx, xmm3 %#lx", clobbered,
      out[0], out[1]);
  SAY("SIGTERM blocked now %d, SIGUSR2 still blocked %d", is_blocked(SIGTERM),
      is_blocked(SIGUSR2));
  mask(SIG_UNBLOCK, SIGTERM, SIGUSR2, 0);
  memset(&seen, 0, sizeof seen);

  puts("# the red zone below the interrupted stack pointer is left alone");
  SAY("words of the red zone intact: %ld of 16", redzone_probe(getpid(), SIGUSR1));
  memset(&seen, 0, sizeof seen);
}

static void noting_altstack_handler(int sig) {
  stack_t now;
  sigaltstack(NULL, &now);
  note(sig, now.ss_flags);
}

static void altstacks(void) {
  puts("# sigaltstack");
  stack_t ss, old;
  T(sigaltstack(NULL, &old));
  SAY("none at first: SS_DISABLE %d", old.ss_flags == SS_DISABLE);
  char *mem = malloc(128 * 1024);
  /* The system call itself for its errors: musl's wrapper checks some first. */
  ss = (stack_t) {.ss_sp = mem, .ss_size = 1024, .ss_flags = 0};
  T(syscall(SYS_sigaltstack, &ss, NULL));
  ss.ss_size = 64 * 1024;
  ss.ss_flags = SS_ONSTACK;
  T(syscall(SYS_sigaltstack, &ss, NULL)); /* SS_ONSTACK means 0, for old programs */
  ss.ss_flags = 0x1234;
  T(syscall(SYS_sigaltstack, &ss, NULL));
  ss.ss_flags = 0;
  T(sigaltstack(&ss, &old));
  T(sigaltstack(NULL, &old));
  SAY("read back: same %d, ss_flags %d", old.ss_sp == mem && old.ss_size == 64 * 1024,
      old.ss_flags);

  puts("# a handler on it, then on a misaligned one");
  altstack = mem;
  altstack_size = 64 * 1024;
  install_frame_handler(SA_ONSTACK);
  long out[3];
  regs_probe(getpid(), SIGUSR1, out);
  show_frame();
  SAY("on the alternate stack %ld", seen.on_altstack);
  memset(&seen, 0, sizeof seen);
  ss = (stack_t) {.ss_sp = mem + 8, .ss_size = 64 * 1024 + 3, .ss_flags = 0};
  altstack = ss.ss_sp;
  altstack_size = ss.ss_size;
  T(sigaltstack(&ss, NULL));
  regs_probe(getpid(), SIGUSR1, out);
  show_frame();
  SAY("on the alternate stack %ld", seen.on_altstack);
  memset(&seen, 0, sizeof seen);

  puts("# SS_AUTODISARM: disabled while the handler runs, back after");
  ss = (stack_t) {.ss_sp = mem, .ss_size = 64 * 1024, .ss_flags = SS_AUTODISARM};
  T(sigaltstack(&ss, NULL));
  T(sigaltstack(NULL, &old));
  SAY("ss_flags SS_AUTODISARM %d", old.ss_flags == SS_AUTODISARM);
  on(SIGUSR2, noting_altstack_handler, SA_ONSTACK);
  T(raise(SIGUSR2));
  notes_print("inside, ss_flags is SS_DISABLE", 1);
  SAY("(SS_DISABLE is %d)", SS_DISABLE);
  T(sigaltstack(NULL, &old));
  SAY("after: ss_flags SS_AUTODISARM %d", old.ss_flags == SS_AUTODISARM);

  puts("# inside a handler on it: SS_ONSTACK, and it cannot be changed");
  ss = (stack_t) {.ss_sp = mem, .ss_size = 64 * 1024, .ss_flags = 0};
  T(sigaltstack(&ss, NULL));
  T(raise(SIGUSR2));
  notes_print("inside, ss_flags", 1);
  SAY("(SS_ONSTACK is %d)", SS_ONSTACK);
  on(SIGUSR2, SIG_DFL, 0);
  ss.ss_flags = SS_DISABLE;
  T(sigaltstack(&ss, NULL));
  T(sigaltstack(NULL, &old));
  SAY("disabled: SS_DISABLE %d", old.ss_flags == SS_DISABLE);
  altstack = NULL;
}

static int report_fd;

static void change_stack_handler(int sig) {
  (void) sig;
  stack_t ss = {.ss_sp = altstack, .ss_size = 64 * 1024, .ss_flags = SS_DISABLE};
  char line[64];
  int r = sigaltstack(&ss, NULL);
  int n = snprintf(line, sizeof line, "sigaltstack(SS_DISABLE) on it = %d %s\n", r,
      r ? errname(errno) : "");
  write(report_fd, line, n);
}

static void change_while_on_it(void) {
  puts("# sigaltstack on the alternate stack: EPERM");
  altstack = malloc(64 * 1024);
  stack_t ss = {.ss_sp = altstack, .ss_size = 64 * 1024, .ss_flags = 0};
  T(sigaltstack(&ss, NULL));
  int report[2];
  must_pipe(report);
  report_fd = report[1];
  on(SIGUSR2, change_stack_handler, SA_ONSTACK);
  T(raise(SIGUSR2));
  close(report[1]);
  relay(report[0]);
  close(report[0]);
  on(SIGUSR2, SIG_DFL, 0);
  ss.ss_flags = SS_DISABLE;
  T(sigaltstack(&ss, NULL));
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  frame_layout();
  altstacks();
  change_while_on_it();
  return 0;
}
