/*
 * Native side of the differential CPU tests: runs instruction snippets on the host CPU.
 * Built with gcc at test time by NativeCpu.java; the protocol is described in Wire.java.
 *
 * Layout (the emulator maps the same addresses):
 *   DATA_BASE .. +DATA_SIZE   read/write data region (the guest stack lives at its top)
 *   CODE_BASE .. +CODE_SIZE   the snippet at CODE_BASE, then a jump back to dt_exit
 * Everything else the snippet may touch belongs to the harness; tests point registers into the
 * data region only.
 *
 * One case: copy the snippet and the initial data region in place, dt_enter loads the guest
 * state (FXRSTOR, RFLAGS, GPRs) and jumps to the snippet; the snippet falls through into
 * "jmp [rip+0]; .quad dt_exit"; dt_exit stores the guest state and returns to C. A fault in the
 * snippet arrives as a signal on the alternate stack; the handler copies the state at the fault
 * out of the ucontext and siglongjmps back to the loop, which goes on with the next case.
 * A snippet that runs too long is stopped by the interval timer (reported as a timeout), and
 * a system call made from the code region is refused by a seccomp filter (SIGSYS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define DATA_BASE 0x10000000UL
#define DATA_SIZE 8192
#define CODE_BASE 0x20000000UL
#define CODE_SIZE 16384
#define EXIT_STUB_LEN 14

#define MAGIC_HELLO 0x4e525444u /* "DTRN" */
#define MAGIC_CASE 0x45534143u  /* "CASE" */
#define MAGIC_DONE 0x454e4f44u  /* "DONE" */
#define PROTOCOL_VERSION 1

#define KIND_COMPLETED 0
#define KIND_SIGNAL 1
#define KIND_TIMEOUT 2

#define FLAG_MEMORY 1u

#define TICK_USEC 100000 /* interval timer period */
#define TIMEOUT_TICKS 10 /* a case still running after this many ticks is stopped */

/* The wire form of a machine state: 560 bytes, little-endian. */
struct wstate {
  uint64_t gpr[16]; /* RAX RCX RDX RBX RSP RBP RSI RDI R8..R15 */
  uint64_t rflags;
  uint32_t mxcsr;
  uint32_t reserved;
  uint8_t fx[160]; /* FXSAVE bytes 0..159: FCW 0, FSW 2, FTW 4, FOP 6, ST0-7 32+16i;
                      FIP, FDP, MXCSR, MXCSR_MASK and reserved bytes zero */
  uint64_t xmm[32]; /* XMMi = xmm[2i] (low), xmm[2i+1] (high) */
};
_Static_assert(sizeof(struct wstate) == 560, "wire state size");

/* ---- trampoline ---------------------------------------------------------------------------- */

uint64_t dt_in_gpr[16], dt_in_rflags, dt_out_gpr[16], dt_out_rflags, dt_host_rsp, dt_entry;
uint8_t dt_fx_in[512] __attribute__((aligned(64)));
uint8_t dt_fx_out[512] __attribute__((aligned(64)));
uint32_t dt_host_mxcsr;
uint16_t dt_host_fcw;
void dt_enter(void);
void dt_exit(void);
void dt_reset(void);

__asm__(
    ".intel_syntax noprefix\n"
    ".text\n"
    ".globl dt_enter\n"
    ".type dt_enter, @function\n"
    "dt_enter:\n"
    "  push rbx\n"
    "  push rbp\n"
    "  push r12\n"
    "  push r13\n"
    "  push r14\n"
    "  push r15\n"
    "  sub rsp, 8\n"
    "  mov [rip + dt_host_rsp], rsp\n"
    "  fxrstor64 [rip + dt_fx_in]\n"
    "  push QWORD PTR [rip + dt_in_rflags]\n"
    "  popfq\n" /* from here on nothing may change a flag */
    "  mov rax, [rip + dt_in_gpr + 0]\n"
    "  mov rcx, [rip + dt_in_gpr + 8]\n"
    "  mov rdx, [rip + dt_in_gpr + 16]\n"
    "  mov rbx, [rip + dt_in_gpr + 24]\n"
    "  mov rsp, [rip + dt_in_gpr + 32]\n"
    "  mov rbp, [rip + dt_in_gpr + 40]\n"
    "  mov rsi, [rip + dt_in_gpr + 48]\n"
    "  mov rdi, [rip + dt_in_gpr + 56]\n"
    "  mov r8, [rip + dt_in_gpr + 64]\n"
    "  mov r9, [rip + dt_in_gpr + 72]\n"
    "  mov r10, [rip + dt_in_gpr + 80]\n"
    "  mov r11, [rip + dt_in_gpr + 88]\n"
    "  mov r12, [rip + dt_in_gpr + 96]\n"
    "  mov r13, [rip + dt_in_gpr + 104]\n"
    "  mov r14, [rip + dt_in_gpr + 112]\n"
    "  mov r15, [rip + dt_in_gpr + 120]\n"
    "  jmp QWORD PTR [rip + dt_entry]\n"
    ".size dt_enter, .-dt_enter\n"
    "\n"
    ".globl dt_exit\n"
    ".type dt_exit, @function\n"
    "dt_exit:\n"
    "  mov [rip + dt_out_gpr + 32], rsp\n" /* the guest RSP; its stack is never written */
    "  mov rsp, [rip + dt_host_rsp]\n"
    "  pushfq\n"
    "  pop QWORD PTR [rip + dt_out_rflags]\n"
    "  mov [rip + dt_out_gpr + 0], rax\n"
    "  mov [rip + dt_out_gpr + 8], rcx\n"
    "  mov [rip + dt_out_gpr + 16], rdx\n"
    "  mov [rip + dt_out_gpr + 24], rbx\n"
    "  mov [rip + dt_out_gpr + 40], rbp\n"
    "  mov [rip + dt_out_gpr + 48], rsi\n"
    "  mov [rip + dt_out_gpr + 56], rdi\n"
    "  mov [rip + dt_out_gpr + 64], r8\n"
    "  mov [rip + dt_out_gpr + 72], r9\n"
    "  mov [rip + dt_out_gpr + 80], r10\n"
    "  mov [rip + dt_out_gpr + 88], r11\n"
    "  mov [rip + dt_out_gpr + 96], r12\n"
    "  mov [rip + dt_out_gpr + 104], r13\n"
    "  mov [rip + dt_out_gpr + 112], r14\n"
    "  mov [rip + dt_out_gpr + 120], r15\n"
    "  fxsave64 [rip + dt_fx_out]\n"
    "  push 0x202\n" /* clear DF, AC, TF and the status flags for the C code */
    "  popfq\n"
    "  fninit\n"
    "  fldcw [rip + dt_host_fcw]\n"
    "  ldmxcsr [rip + dt_host_mxcsr]\n"
    "  add rsp, 8\n"
    "  pop r15\n"
    "  pop r14\n"
    "  pop r13\n"
    "  pop r12\n"
    "  pop rbp\n"
    "  pop rbx\n"
    "  ret\n"
    ".size dt_exit, .-dt_exit\n"
    "\n"
    ".globl dt_reset\n"
    ".type dt_reset, @function\n"
    "dt_reset:\n" /* after a siglongjmp: the same host state that dt_exit restores */
    "  push 0x202\n"
    "  popfq\n"
    "  fninit\n"
    "  fldcw [rip + dt_host_fcw]\n"
    "  ldmxcsr [rip + dt_host_mxcsr]\n"
    "  ret\n"
    ".size dt_reset, .-dt_reset\n"
    ".att_syntax prefix\n");

/* ---- buffered pipe I/O: output is flushed whenever input runs dry ------------------------- */

static uint8_t ibuf[1 << 20];
static size_t ipos, ilen;
static uint8_t obuf[1 << 20];
static size_t olen;

static void die(const char *what) {
  fprintf(stderr, "difftest runner: %s: %s\n", what, strerror(errno));
  exit(3);
}

static void oflush(void) {
  size_t off = 0;
  while (off < olen) {
    ssize_t w = write(1, obuf + off, olen - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) die("write");
    off += (size_t)w;
  }
  olen = 0;
}

static void oput(const void *p, size_t n) {
  if (olen + n > sizeof obuf) oflush();
  memcpy(obuf + olen, p, n);
  olen += n;
}

static void oput32(uint32_t v) { oput(&v, 4); }
static void oput64(uint64_t v) { oput(&v, 8); }

/* Makes n bytes available at ibuf+ipos; 0 at end of input. */
static int ifill(size_t n) {
  if (ilen - ipos >= n) return 1;
  memmove(ibuf, ibuf + ipos, ilen - ipos);
  ilen -= ipos;
  ipos = 0;
  while (ilen < n) {
    oflush();
    ssize_t r = read(0, ibuf + ilen, sizeof ibuf - ilen);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) die("read");
    if (r == 0) return 0;
    ilen += (size_t)r;
  }
  return 1;
}

static void iget(void *p, size_t n) {
  if (!ifill(n)) {
    fprintf(stderr, "difftest runner: truncated case\n");
    exit(3);
  }
  memcpy(p, ibuf + ipos, n);
  ipos += n;
}

/* ---- state conversion ----------------------------------------------------------------------- */

static void fx_to_state(const uint8_t *img, struct wstate *st) {
  memcpy(st->fx, img, 160);
  memcpy(&st->mxcsr, img + 24, 4);
  st->fx[5] = 0; /* reserved */
  memset(st->fx + 8, 0, 24); /* FIP, FDP, MXCSR, MXCSR_MASK */
  for (int i = 0; i < 8; i++) memset(st->fx + 32 + 16 * i + 10, 0, 6);
  memcpy(st->xmm, img + 160, 256);
}

/* ---- faults --------------------------------------------------------------------------------- */

static sigjmp_buf jb;
static volatile sig_atomic_t in_guest;
static volatile uint64_t case_seq, alarm_seq;
static volatile int alarm_ticks;
static struct {
  int signo, code;
  uint64_t addr, rip;
  struct wstate st;
} fault;

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  if (sig == SIGALRM) {
    if (!in_guest) return;
    if (alarm_seq != case_seq) {
      alarm_seq = case_seq;
      alarm_ticks = 0;
      return;
    }
    if (++alarm_ticks < TIMEOUT_TICKS) return;
  } else if (!in_guest) {
    static const char msg[] = "difftest runner: fault in the harness itself\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
    }
    signal(sig, SIG_DFL); /* the faulting instruction runs again and the process dies */
    return;
  }
  greg_t *g = uc->uc_mcontext.gregs;
  fault.signo = sig;
  fault.code = sig == SIGALRM ? 0 : si->si_code;
  fault.addr = sig == SIGALRM ? 0 : (uint64_t)si->si_addr;
  fault.rip = (uint64_t)g[REG_RIP];
  static const int order[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                REG_R12, REG_R13, REG_R14, REG_R15};
  for (int i = 0; i < 16; i++) fault.st.gpr[i] = (uint64_t)g[order[i]];
  fault.st.rflags = (uint64_t)g[REG_EFL] & ~0x10000ull; /* RF is not visible to PUSHF */
  if (uc->uc_mcontext.fpregs != NULL) {
    fx_to_state((const uint8_t *)uc->uc_mcontext.fpregs, &fault.st);
  } else {
    memset(fault.st.fx, 0, sizeof fault.st.fx);
    memset(fault.st.xmm, 0, sizeof fault.st.xmm);
    fault.st.mxcsr = 0;
  }
  in_guest = 0;
  siglongjmp(jb, sig == SIGALRM ? 2 : 1);
}

static void install_handlers(void) {
  static uint8_t altstack[1 << 16] __attribute__((aligned(16)));
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) die("sigaltstack");
  int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGALRM};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sigs[i], &sa, NULL) != 0) die("sigaction");
  }
  struct itimerval it = {{0, TICK_USEC}, {0, TICK_USEC}};
  if (setitimer(ITIMER_REAL, &it, NULL) != 0) die("setitimer");
}

/* System calls made from the code region get SIGSYS instead of running with random arguments. */
static void install_seccomp(void) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
      BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)CODE_BASE, 0, 2),
      BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)(CODE_BASE + CODE_SIZE), 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    fprintf(stderr, "difftest runner: warning: no seccomp filter (%s); snippets must not make"
                    " system calls\n", strerror(errno));
  }
}

static void *map_fixed(uint64_t addr, size_t size, int prot) {
  void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
                 0);
  if (p == MAP_FAILED || p != (void *)addr) {
    fprintf(stderr, "difftest runner: cannot map %zu bytes at 0x%llx: %s\n", size,
            (unsigned long long)addr, p == MAP_FAILED ? strerror(errno) : "address taken");
    exit(3);
  }
  return p;
}

/* ---- main loop ------------------------------------------------------------------------------ */

static uint8_t mem_in[DATA_SIZE] __attribute__((aligned(64)));
static uint8_t fx_probe[512] __attribute__((aligned(64)));

static void put_memory_changes(void) {
  const uint64_t *now = (const uint64_t *)DATA_BASE;
  const uint64_t *was = (const uint64_t *)mem_in;
  const size_t words = DATA_SIZE / 8;
  uint32_t count = 0;
  for (size_t i = 0; i < words; i++) {
    if (now[i] != was[i] && (i == 0 || now[i - 1] == was[i - 1])) count++;
  }
  oput32(count);
  size_t i = 0;
  while (i < words) {
    if (now[i] == was[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < words && now[j] != was[j]) j++;
    oput32((uint32_t)(i * 8));
    oput32((uint32_t)((j - i) * 8));
    oput(now + i, (j - i) * 8);
    i = j;
  }
}

/* Runs the prepared case; 0 when the snippet completed, 1 after a signal, 2 after a timeout. */
static __attribute__((noinline)) int run_guest(void) {
  int jumped = sigsetjmp(jb, 0);
  if (jumped == 0) {
    in_guest = 1;
    dt_enter();
    in_guest = 0;
  }
  return jumped;
}

int main(void) {
  uint8_t *data = map_fixed(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  uint8_t *code = map_fixed(CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  memset(code, 0xcc, CODE_SIZE);
  size_t code_dirty = 0;

  __asm__ volatile("stmxcsr %0" : "=m"(dt_host_mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(dt_host_fcw));
  __asm__ volatile("fxsave64 %0" : "=m"(fx_probe));
  uint32_t mxcsr_mask;
  memcpy(&mxcsr_mask, fx_probe + 28, 4);
  if (mxcsr_mask == 0) mxcsr_mask = 0xffbf;

  install_handlers();
  install_seccomp();

  oput32(MAGIC_HELLO);
  oput32(PROTOCOL_VERSION);
  oput64(DATA_BASE);
  oput32(DATA_SIZE);
  oput64(CODE_BASE);
  oput32(CODE_SIZE);
  oput32(mxcsr_mask);
  oput32((uint32_t)sizeof(struct wstate));
  oflush();

  struct wstate in, out;
  uint64_t exit_addr = (uint64_t)(uintptr_t)dt_exit;
  dt_entry = CODE_BASE;
  for (;;) {
    if (!ifill(16)) break;
    uint32_t hdr[4];
    iget(hdr, 16);
    if (hdr[0] != MAGIC_CASE || hdr[1] > CODE_SIZE - EXIT_STUB_LEN) {
      fprintf(stderr, "difftest runner: bad case header %08x %u\n", hdr[0], hdr[1]);
      return 3;
    }
    uint32_t len = hdr[1];
    size_t used = len + EXIT_STUB_LEN;
    if (code_dirty > used) memset(code + used, 0xcc, code_dirty - used);
    iget(code, len);
    /* jmp [rip+0]; .quad dt_exit */
    static const uint8_t jmp[6] = {0xff, 0x25, 0, 0, 0, 0};
    memcpy(code + len, jmp, 6);
    memcpy(code + len + 6, &exit_addr, 8);
    code_dirty = used;
    iget(&in, sizeof in);
    if (hdr[2] & FLAG_MEMORY) iget(mem_in, DATA_SIZE);
    if ((in.mxcsr & ~mxcsr_mask) != 0) {
      fprintf(stderr, "difftest runner: MXCSR %08x has reserved bits (mask %08x)\n", in.mxcsr,
              mxcsr_mask);
      return 3;
    }
    memcpy(data, mem_in, DATA_SIZE);
    memcpy(dt_in_gpr, in.gpr, sizeof in.gpr);
    dt_in_rflags = (in.rflags & 0xcd5) | 0x202;
    memcpy(dt_fx_in, in.fx, 160);
    memset(dt_fx_in + 8, 0, 24);
    memcpy(dt_fx_in + 24, &in.mxcsr, 4);
    memcpy(dt_fx_in + 160, in.xmm, 256);

    case_seq++;
    int jumped = run_guest();
    uint32_t kind = KIND_COMPLETED;
    uint64_t rip = CODE_BASE + len;
    int signo = 0, fault_code = 0;
    uint64_t fault_addr = 0;
    if (jumped == 0) {
      memcpy(out.gpr, dt_out_gpr, sizeof out.gpr);
      out.rflags = dt_out_rflags;
      fx_to_state(dt_fx_out, &out);
    } else {
      dt_reset();
      kind = jumped == 2 ? KIND_TIMEOUT : KIND_SIGNAL;
      signo = fault.signo;
      fault_code = fault.code;
      fault_addr = fault.addr;
      rip = fault.rip;
      out = fault.st;
    }
    out.reserved = 0;
    oput32(MAGIC_DONE);
    oput32(kind);
    oput32((uint32_t)signo);
    oput32((uint32_t)fault_code);
    oput64(fault_addr);
    oput64(rip);
    oput(&out, sizeof out);
    put_memory_changes();
  }
  oflush();
  return 0;
}
