/* The process and the system: ids, uname, rlimits, clocks, prctl names, getrandom, CPU affinity,
 * sysinfo, execve and its errors (fork is in fork.c), and the exit status. Prints properties
 * (relations between values), never the values that differ from run to run or machine to
 * machine. */
#include "t.h"
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

static long long ns(struct timespec t) {
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--exec") == 0) {
    /* The program again, after the execve at the end of the first run. */
    printf("after exec: argv[2]=%s, same pid %d\n", argv[2], getpid() == atoi(argv[3]));
    char name[32] = {0};
    prctl(PR_GET_NAME, name, 0, 0, 0);
    printf("name is the program's %d\n", strncmp(name, strrchr(argv[0], '/') + 1, 15) == 0);
    T(fcntl(20, F_GETFD));
    T(fcntl(21, F_GETFD));
    T(access("notexec", F_OK));
    return 7;
  }
  /* The scratch directory changes the working directory: exec this program by full path. */
  char *self = realpath(argv[0], NULL);
  enter_scratch(argc, argv);

  puts("# ids");
  pid_t pid = getpid();
  SAY("pid positive %d, tid is pid %d, ppid non-negative %d", pid > 0,
      syscall(SYS_gettid) == pid, getppid() >= 0);
  SAY("uid is euid %d, gid is egid %d", getuid() == geteuid(), getgid() == getegid());
  /* getsid(2) returns 0 when the session leader lives outside the caller's pid
     namespace (as under a CI container), so only the sign is portable. */
  SAY("pgid non-negative %d, sid non-negative %d", getpgrp() >= 0, getsid(0) >= 0);
  T(getsid(0) == getsid(pid));
  T(getpgid(0) == getpgrp());
  T(getsid(999999));
  T(syscall(SYS_set_tid_address, NULL) == pid);

  puts("# uname");
  struct utsname u;
  T(uname(&u));
  SAY("sysname %s machine %s", u.sysname, u.machine);
  SAY("release starts with a digit %d", u.release[0] >= '0' && u.release[0] <= '9');

  puts("# rlimits");
  struct rlimit rl;
  T(getrlimit(RLIMIT_NOFILE, &rl));
  SAY("nofile soft <= hard %d", rl.rlim_cur <= rl.rlim_max);
  T(getrlimit(RLIMIT_STACK, &rl));
  SAY("stack soft positive %d", rl.rlim_cur > 0);
  T(getrlimit(12345, &rl));
  struct rlimit low = {32, 32};
  T(setrlimit(RLIMIT_NOFILE, &low));
  T(dup2(0, 31) == 31);
  T(dup2(0, 32));
  T(fcntl(0, F_DUPFD, 40));
  T(close(31));
  struct rlimit higher = {32, 64};
  T(setrlimit(RLIMIT_NOFILE, &higher) == 0 || errno == EPERM);
  struct rlimit inverted = {64, 32};
  T(setrlimit(RLIMIT_NOFILE, &inverted));
  struct rlimit old;
  T(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
  SAY("prlimit sees soft %ld", (long) old.rlim_cur);
  T(syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &old));

  puts("# clocks");
  struct timespec t1, t2, res;
  T(clock_gettime(CLOCK_MONOTONIC, &t1));
  struct timespec nap = {0, 2000000};
  T(nanosleep(&nap, NULL));
  T(clock_gettime(CLOCK_MONOTONIC, &t2));
  SAY("monotonic advanced by >= 2 ms %d", ns(t2) - ns(t1) >= 2000000);
  T(clock_gettime(CLOCK_REALTIME, &t1));
  SAY("realtime after 2020 %d", t1.tv_sec > 1577836800);
  T(clock_getres(CLOCK_MONOTONIC, &res));
  SAY("resolution <= 1 ms %d", res.tv_sec == 0 && res.tv_nsec <= 1000000 && res.tv_nsec > 0);
  T(syscall(SYS_clock_gettime, 12345, &t1));
  T(syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &t1));
  T(syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &t1));
  struct timeval tv;
  T(syscall(SYS_gettimeofday, &tv, NULL));
  SAY("gettimeofday usec in range %d", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  time_t now = syscall(SYS_time, NULL);
  SAY("time after 2020 %d", now > 1577836800);
  struct timespec badnap = {0, 1000000000};
  T(nanosleep(&badnap, NULL));
  T(clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL));
  struct rusage ru;
  T(getrusage(RUSAGE_SELF, &ru));
  T(getrusage(12345, &ru));

  puts("# prctl");
  T(prctl(PR_SET_NAME, "blink-test", 0, 0, 0));
  char name[32] = {0};
  T(prctl(PR_GET_NAME, name, 0, 0, 0));
  SAY("name %s", name);
  T(prctl(PR_SET_NAME, "a-name-longer-than-sixteen", 0, 0, 0));
  T(prctl(PR_GET_NAME, name, 0, 0, 0));
  SAY("name %s", name);
  T(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
  T(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0));
  int sig = -1;
  T(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
  SAY("pdeathsig %d", sig);
  T(prctl(9999, 0, 0, 0, 0));

  puts("# getrandom");
  unsigned char r1[300], r2[300];
  T(syscall(SYS_getrandom, r1, 16, 0));
  T(syscall(SYS_getrandom, r1, 256, 0));
  T(syscall(SYS_getrandom, r2, 256, 0));
  SAY("two draws differ %d", memcmp(r1, r2, 256) != 0);
  T(syscall(SYS_getrandom, r1, 0, 0));
  T(syscall(SYS_getrandom, r1, 16, 0x1000));
  T(syscall(SYS_getrandom, r1, 16, 0x1));

  puts("# sched");
  cpu_set_t set;
  CPU_ZERO(&set);
  T(sched_getaffinity(0, sizeof set, &set));
  SAY("at least one cpu %d", CPU_COUNT(&set) >= 1);
  long bytes = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
  SAY("raw call returns a multiple of 8: %d", bytes > 0 && bytes % 8 == 0);
  T(syscall(SYS_sched_getaffinity, 0, 1, &set));
  T(syscall(SYS_sched_getaffinity, 999999, sizeof set, &set));
  T(sched_yield());
  T(sched_getscheduler(0));
  SAY("nprocs positive %d", get_nprocs() > 0);

  puts("# sysinfo");
  struct sysinfo si;
  T(sysinfo(&si));
  SAY("totalram positive %d mem_unit positive %d procs positive %d", si.totalram > 0,
      si.mem_unit > 0, si.procs > 0);


  puts("# execve errors");
  char *args[] = {"x", NULL};
  T(execv("./nonexistent", args));
  put("notexec", "#!/nowhere\n");
  T(execv("./notexec", args));
  T(chmod("notexec", 0755));
  T(execv("./notexec", args));
  T(execv("notexec/x", args));
  put("garbage", "\177ELF garbage");
  T(chmod("garbage", 0755));
  T(execv("./garbage", args));
  T(execv(".", args));

  puts("# execve");
  T(dup2(open("notexec", O_RDONLY | O_CLOEXEC), 20));
  T(fcntl(20, F_SETFD, FD_CLOEXEC));
  T(dup2(open("notexec", O_RDONLY), 21));
  char pidtext[16];
  snprintf(pidtext, sizeof pidtext, "%d", pid);
  char *again[] = {self, "--exec", "hello", pidtext, NULL};
  fflush(stdout);
  execv(self, again);
  printf("execv of the program itself failed: %s\n", errname(errno));
  return 1;
}
