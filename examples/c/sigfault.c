/* Synchronous signals from the CPU: SIGSEGV for an unmapped page (SEGV_MAPERR) and for a
 * protected one (SEGV_ACCERR) with si_addr the faulting address, handled on an alternate stack
 * and left by siglongjmp; a stack overflow caught on the alternate stack; SIGBUS past the end of
 * a mapped file; handlers that skip the faulting instruction by editing the RIP (and RAX) of the
 * ucontext: UD2 (SIGILL), a load from a bad address, DIV and IDIV (SIGFPE, FPE_INTDIV), HLT
 * (SIGSEGV, SI_KERNEL); INT3 and the trap flag (SIGTRAP); the trap number, error code and cr2
 * of the ucontext; and a synchronous signal that is blocked or ignored, or that faults again in
 * its own handler, killing the process. See sigs.h for the rules of the output. */
#include "sigs.h"
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

/* The faulting instructions, at known addresses, each followed by a ret. Their lengths are in
 * the comments; the handler adds them to RIP to go on after the instruction. */
__asm__(
    ".text\n"
    ".globl probe_ud2, probe_load, probe_store, probe_div, probe_idiv, probe_hlt\n"
    ".globl probe_int3, probe_step, probe_step_after\n"
    ".hidden probe_ud2, probe_load, probe_store, probe_div, probe_idiv, probe_hlt\n"
    ".hidden probe_int3, probe_step, probe_step_after\n"
    "probe_ud2: ud2\n"              /* 0f 0b: 2 bytes */
    "  ret\n"
    "probe_load: mov (%rdi), %rax\n" /* 48 8b 07: 3 bytes; returns what was loaded */
    "  ret\n"
    "probe_store: mov %rsi, (%rdi)\n" /* 48 89 37: 3 bytes */
    "  ret\n"
    "probe_div: mov %rdi, %rax\n"
    "  xor %edx, %edx\n"
    "  .globl probe_div_insn\n .hidden probe_div_insn\n"
    "probe_div_insn: div %rsi\n"    /* 48 f7 f6: 3 bytes; returns the quotient */
    "  ret\n"
    "probe_idiv: mov %rdi, %rax\n"
    "  cqo\n"
    "  .globl probe_idiv_insn\n .hidden probe_idiv_insn\n"
    "probe_idiv_insn: idiv %rsi\n"  /* 48 f7 fe: 3 bytes */
    "  ret\n"
    "probe_hlt: hlt\n"              /* f4: 1 byte, privileged */
    "  ret\n"
    "probe_int3: int3\n"            /* cc: a trap, RIP is already past it */
    "  ret\n"
    "probe_step: pushf\n"
    "  orq $0x100, (%rsp)\n"        /* TF */
    "  popf\n"
    "  nop\n"
    "probe_step_after: nop\n"
    "  ret\n");
void probe_ud2(void);
long probe_load(const void *address);
void probe_store(void *address, long value);
unsigned long probe_div(unsigned long dividend, unsigned long divisor);
extern char probe_div_insn[];
long probe_idiv(long dividend, long divisor);
extern char probe_idiv_insn[];
void probe_hlt(void);
void probe_int3(void);
void probe_step(void);
extern char probe_step_after[];

/* What the last handler saw. */
static struct {
  int runs, signo, code, on_altstack, altstack_flags;
  void *addr;
  long rip, trapno, err, cr2, uc_stack_flags;
} seen;
static long skip_by = -1, set_rax = -1; /* what the handler does to the ucontext */
static char *altstack;
static size_t altstack_size;
static sigjmp_buf back;

static void handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  char here;
  seen.runs++;
  seen.signo = sig;
  seen.code = si->si_code;
  seen.addr = si->si_addr;
  seen.rip = uc->uc_mcontext.gregs[REG_RIP];
  seen.trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
  seen.err = uc->uc_mcontext.gregs[REG_ERR];
  seen.cr2 = uc->uc_mcontext.gregs[REG_CR2];
  seen.uc_stack_flags = uc->uc_stack.ss_flags;
  seen.on_altstack = altstack && &here >= altstack && &here < altstack + altstack_size;
  stack_t now;
  sigaltstack(NULL, &now);
  seen.altstack_flags = now.ss_flags;
  if (skip_by >= 0) {
    uc->uc_mcontext.gregs[REG_RIP] += skip_by;
    if (set_rax >= 0) {
      uc->uc_mcontext.gregs[REG_RAX] = set_rax;
    }
    if (sig == SIGTRAP) {
      uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L; /* TF off */
    }
    return;
  }
  siglongjmp(back, 1);
}

static void show_seen(const char *label, const void *expected_addr, const void *fault_rip) {
  printf("%s: runs %d, %s %s, si_addr is the address %d, rip is the instruction %d, trapno %ld",
      label, seen.runs, sigtext(seen.signo), code_text(seen.signo, seen.code),
      seen.addr == expected_addr, seen.rip == (long) fault_rip, seen.trapno);
  if (seen.trapno == 14) {
    /* The page fault's error code: write (2), user (4), instruction fetch (0x10); without the
     * present bit (1), which says whether the host had populated the page. */
    printf(", err & ~1 %#lx, cr2 is the address %d", seen.err & ~1L,
        seen.cr2 == (long) expected_addr);
  } else {
    printf(", err %#lx", seen.err);
  }
  putchar('\n');
  memset(&seen, 0, sizeof seen);
}

static void catch_all(int flags) {
  int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
  for (int i = 0; i < 5; i++) {
    on(sigs[i], handler, SA_SIGINFO | flags);
  }
}

static char *map(int prot) {
  char *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    printf("mmap = -1 %s\n", errname(errno));
    exit(1);
  }
  return p;
}

static void segv_on_altstack(void) {
  puts("# SIGSEGV on an alternate stack, left by siglongjmp");
  altstack_size = 64 * 1024;
  altstack = malloc(altstack_size);
  stack_t ss = {.ss_sp = altstack, .ss_size = altstack_size, .ss_flags = 0};
  T(sigaltstack(&ss, NULL));
  catch_all(SA_ONSTACK);
  char *gone = map(PROT_READ | PROT_WRITE);
  char *none = map(PROT_NONE);
  char *ro = map(PROT_READ);
  T(munmap(gone, 4096)); /* after the others, which could otherwise reuse its address */
  struct {
    const char *label;
    char *addr;
    int write;
  } cases[] = {
      {"read of an unmapped page", gone + 0x123, 0},
      {"write to an unmapped page", gone + 0x456, 1},
      {"read of a PROT_NONE page", none + 0x789, 0},
      {"write to a PROT_NONE page", none + 8, 1},
      {"write to a read-only page", ro + 0xff8, 1},
      {"read of the null page", NULL, 0},
      {"a jump to a page without PROT_EXEC", ro + 0x10, 2},
  };
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (sigsetjmp(back, 1) == 0) {
      if (cases[i].write == 2) {
        ((void (*)(void)) cases[i].addr)();
      } else if (cases[i].write) {
        probe_store(cases[i].addr, 1);
      } else {
        probe_load(cases[i].addr);
      }
      printf("%s: no fault\n", cases[i].label);
    } else {
      void *insn = cases[i].write == 2 ? (void *) cases[i].addr
          : cases[i].write ? (void *) probe_store : (void *) probe_load;
      show_seen(cases[i].label, cases[i].addr, insn);
    }
  }
  /* Where the handler ran, and what it saw of the alternate stack. */
  SAY("SIGSEGV still blocked after siglongjmp with savesigs: %d", is_blocked(SIGSEGV));
  if (sigsetjmp(back, 1) == 0) {
    probe_load(none);
  }
  SAY("on the alternate stack %d, sigaltstack inside says SS_ONSTACK %d, uc_stack.ss_flags %ld",
      seen.on_altstack, seen.altstack_flags == SS_ONSTACK, seen.uc_stack_flags);
  memset(&seen, 0, sizeof seen);
  stack_t now;
  T(sigaltstack(NULL, &now));
  SAY("after: ss_flags %d, same stack %d", now.ss_flags,
      now.ss_sp == altstack && now.ss_size == altstack_size);

  puts("# without SA_ONSTACK the handler runs on the normal stack");
  catch_all(0);
  if (sigsetjmp(back, 1) == 0) {
    probe_load(none);
  }
  SAY("on the alternate stack %d, SS_ONSTACK %d", seen.on_altstack,
      seen.altstack_flags == SS_ONSTACK);
  memset(&seen, 0, sizeof seen);
  munmap(none, 4096);
  munmap(ro, 4096);
}

static volatile int depth_limit = 1 << 30;

static int recurse(int n) {
  volatile char pad[1024];
  pad[0] = (char) n;
  return n > depth_limit ? 0 : recurse(n + 1) + pad[0];
}

static int overflow_child(long with_altstack) {
  struct rlimit small = {1 << 20, 1 << 20}; /* stack overflows sooner: less to fill */
  setrlimit(RLIMIT_STACK, &small);
  /* The alternate stack of the parent is inherited: a new one, or none. */
  stack_t ss = {.ss_sp = malloc(64 * 1024), .ss_size = 64 * 1024, .ss_flags = 0};
  if (!with_altstack) {
    ss.ss_flags = SS_DISABLE;
  }
  sigaltstack(&ss, NULL);
  altstack = ss.ss_sp;
  altstack_size = ss.ss_size;
  on(SIGSEGV, handler, SA_SIGINFO | SA_ONSTACK);
  no_core_dump();
  if (sigsetjmp(back, 1) == 0) {
    recurse(0);
  }
  printf("stack overflow caught: %s %s, on the alternate stack %d\n", sigtext(seen.signo),
      code_text(seen.signo, seen.code), seen.on_altstack);
  return 0;
}

static void stack_overflow(void) {
  puts("# a stack overflow");
  pid_t child = child_running(overflow_child, 1);
  show_end("with an alternate stack", child);
  child = child_running(overflow_child, 0);
  show_end("without one (the handler cannot run)", child);
}

static void sigbus(void) {
  puts("# SIGBUS past the end of a mapped file");
  put("one-byte", "x");
  int fd = open("one-byte", O_RDONLY);
  char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    printf("mmap = -1 %s\n", errname(errno));
    return;
  }
  SAY("in the first page, past EOF: %ld", probe_load(p + 8) & 0xff);
  if (sigsetjmp(back, 1) == 0) {
    probe_load(p + 4096 + 16);
    puts("no fault");
  } else {
    show_seen("the page after EOF", p + 4096 + 16, probe_load);
  }
  munmap(p, 8192);
}

static void skip_instructions(void) {
  puts("# handlers that edit the ucontext: RIP past the instruction, a value in RAX");
  char *none = map(PROT_NONE);
  skip_by = 2;
  probe_ud2();
  show_seen("ud2, RIP += 2", probe_ud2, probe_ud2);
  skip_by = 3;
  set_rax = 42;
  SAY("the load returned %ld", probe_load(none + 16));
  show_seen("load, RIP += 3, RAX = 42", none + 16, probe_load);
  set_rax = 7;
  SAY("100 / 0 = %lu", probe_div(100, 0));
  show_seen("div by zero, RIP += 3, RAX = 7", probe_div_insn, probe_div_insn);
  set_rax = 8;
  SAY("INT64_MIN / -1 = %ld", probe_idiv(INT64_MIN, -1));
  show_seen("idiv overflow, RIP += 3, RAX = 8", probe_idiv_insn, probe_idiv_insn);
  set_rax = -1;
  skip_by = 1;
  probe_hlt();
  show_seen("hlt, RIP += 1", NULL, probe_hlt);
  skip_by = 0;
  probe_int3();
  show_seen("int3 (a trap: RIP is past it)", NULL, (char *) probe_int3 + 1);
  probe_step();
  show_seen("trap flag (the handler clears it)", probe_step_after, probe_step_after);
  skip_by = -1;
  munmap(none, 4096);
}

static int report_fd;

static void reporting_handler(int sig) {
  char line[] = "the handler ran\n";
  write(report_fd, line, sizeof line - 1);
  if (sig == SIGSEGV) {
    probe_load(NULL); /* faults again, with SIGSEGV blocked */
  }
}

/* How: 0 blocked with a handler, 1 ignored, 2 default, 3 faulting again in its handler. */
static int fatal_child(long how) {
  no_core_dump();
  on(SIGSEGV, how == 1 ? SIG_IGN : how == 2 ? SIG_DFL : (void *) reporting_handler, 0);
  on(SIGILL, how == 1 ? SIG_IGN : how == 2 ? SIG_DFL : (void *) reporting_handler, 0);
  if (how == 0) {
    mask(SIG_BLOCK, SIGSEGV, SIGILL, 0);
  }
  if (how == 3) {
    probe_load(NULL);
  } else {
    probe_load(NULL);
    probe_ud2();
  }
  return 0;
}

static void fatal(void) {
  puts("# a synchronous signal that cannot be handled kills");
  const char *labels[] = {"SIGSEGV blocked, with a handler", "SIGSEGV ignored",
      "SIGSEGV default", "SIGSEGV in its own handler"};
  for (int how = 0; how < 4; how++) {
    int report[2];
    must_pipe(report);
    report_fd = report[1];
    pid_t child = child_running(fatal_child, how);
    close(report[1]);
    show_end(labels[how], child);
    relay(report[0]);
    close(report[0]);
  }
}

int main(int argc, char **argv) {
  sigs_init();
  enter_scratch(argc, argv);
  segv_on_altstack();
  stack_overflow();
  sigbus();
  skip_instructions();
  fatal();
  return 0;
}
