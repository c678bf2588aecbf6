package dev.blinkchroot.emulator.kernel.syscall;

import static dev.blinkchroot.emulator.kernel.syscall.SyscallTable.Support.FULL;
import static dev.blinkchroot.emulator.kernel.syscall.SyscallTable.Support.PARTIAL;

import dev.blinkchroot.emulator.kernel.calls.ExecSyscalls;
import dev.blinkchroot.emulator.kernel.calls.FileIoSyscalls;
import dev.blinkchroot.emulator.kernel.calls.FileOpenSyscalls;
import dev.blinkchroot.emulator.kernel.calls.ForkSyscalls;
import dev.blinkchroot.emulator.kernel.calls.MemorySyscalls;
import dev.blinkchroot.emulator.kernel.calls.PathOpsSyscalls;
import dev.blinkchroot.emulator.kernel.calls.PollSyscalls;
import dev.blinkchroot.emulator.kernel.calls.Prctl;
import dev.blinkchroot.emulator.kernel.calls.ProcessGroupSyscalls;
import dev.blinkchroot.emulator.kernel.calls.ProcessSyscalls;
import dev.blinkchroot.emulator.kernel.calls.SignalsSyscalls;
import dev.blinkchroot.emulator.kernel.calls.SystemSyscalls;
import dev.blinkchroot.emulator.kernel.calls.TimeSyscalls;
import dev.blinkchroot.emulator.kernel.calls.WaitSyscalls;
import dev.blinkchroot.vfs.Errno;

/**
 * Every system call blink-chroot implements, by x86-64 number: the single place a call is
 * registered (gVisor's table is the model). Each row names the handler, the support level and the
 * argument signature that --strace prints and the policy reads path arguments from. A number
 * without a row is unimplemented: the guest gets ENOSYS and the user one line naming it.
 *
 * <p>Signature types: fd, dirfd, path (a path resolved against the preceding dirfd or the cwd),
 * str, buf:N (input bytes, length in argument N), obuf:N / obuf:R (output bytes, length in
 * argument N or the result), size, int, hex, ptr, offset, mode, dev, and flag sets named after
 * their Linux constants' family (oflags, atflags, prot, mapflags...). Result kinds: int, fd,
 * size, ptr, offset, mode, void (does not return).
 */
public final class SyscallRows {
  private SyscallRows() {}

  static void register(SyscallTable.Builder t) {
    t.row(0, "read", FULL, FileIoSyscalls::read, "fd,obuf:2,size", "size");
    t.row(1, "write", FULL, FileIoSyscalls::write, "fd,buf:2,size", "size");
    t.row(2, "open", FULL, FileOpenSyscalls::open, "path,oflags,mode", "fd");
    t.row(3, "close", FULL, FileOpenSyscalls::close, "fd", "int");
    t.row(4, "stat", FULL, PathOpsSyscalls::stat, "path,ostat", "int");
    t.row(5, "fstat", FULL, PathOpsSyscalls::fstat, "fd,ostat", "int");
    t.row(6, "lstat", FULL, PathOpsSyscalls::lstat, "path,ostat", "int");
    t.partial(7, "poll", "waits by polling every 1-10 ms; a host stdin pipe at end of file is not reported readable", PollSyscalls::poll, "ptr,int,int", "int");
    t.partial(8, "lseek", "files have no holes except at the end: SEEK_HOLE finds only the end", FileIoSyscalls::lseek, "fd,offset,whence", "offset");
    t.partial(9, "mmap", "MAP_SHARED of a regular file shares the file's page cache with its other mappings and with read/write; MAP_PRIVATE copies the file's bytes at map time (later writes to the file are not seen, which mmap(2) leaves unspecified); zeros, not SIGBUS, past EOF; MAP_SHARED of a device is a private copy; MAP_SHARED anonymous memory will not be shared with fork children", MemorySyscalls::mmap, "ptr,size,prot,mapflags,fd,offset", "ptr");
    t.row(10, "mprotect", FULL, MemorySyscalls::mprotect, "ptr,size,prot", "int");
    t.row(11, "munmap", FULL, MemorySyscalls::munmap, "ptr,size", "int");
    t.row(12, "brk", FULL, MemorySyscalls::brk, "ptr", "ptr");
    t.partial(13, "rt_sigaction", "actions are recorded; signals are not delivered yet", SignalsSyscalls::rtSigaction, "signal,ptr,ptr,size", "int");
    t.partial(14, "rt_sigprocmask", "the mask is recorded; signals are not delivered yet", SignalsSyscalls::rtSigprocmask, "sighow,ptr,ptr,size", "int");
    t.partial(16, "ioctl", "terminal ioctls answer from a simulated tty; settings do not reach the host terminal yet", FileOpenSyscalls::ioctl, "fd,ioctl,ptr", "int");
    t.row(17, "pread64", FULL, FileIoSyscalls::pread64, "fd,obuf:2,size,offset", "size");
    t.row(18, "pwrite64", FULL, FileIoSyscalls::pwrite64, "fd,buf:2,size,offset", "size");
    t.row(19, "readv", FULL, FileIoSyscalls::readv, "fd,iovec:2,int", "size");
    t.row(20, "writev", FULL, FileIoSyscalls::writev, "fd,iovec:2,int", "size");
    t.row(21, "access", FULL, PathOpsSyscalls::access, "path,accessmode", "int");
    t.partial(22, "pipe", "a write with no reader gives EPIPE without SIGPIPE until signal delivery", FileOpenSyscalls::pipe, "ptr", "int");
    t.partial(23, "select", "waits by polling every 1-10 ms", PollSyscalls::select, "int,ptr,ptr,ptr,ptr", "int");
    t.row(24, "sched_yield", FULL, SystemSyscalls::schedYield, "", "int");
    t.partial(25, "mremap", "old_size 0 (duplicating a shared mapping) is EINVAL", MemorySyscalls::mremap, "ptr,size,size,mremapflags,ptr", "ptr");
    t.partial(26, "msync", "MS_INVALIDATE does not refresh the mapping from the file", MemorySyscalls::msync, "ptr,size,msyncflags", "int");
    t.partial(27, "mincore", "every mapped page is reported resident", MemorySyscalls::mincore, "ptr,size,ptr", "int");
    t.partial(28, "madvise", "MADV_DONTFORK/WIPEONFORK are not applied at fork; MADV_HWPOISON/SOFT_OFFLINE are EINVAL", MemorySyscalls::madvise, "ptr,size,madvice", "int");
    t.row(32, "dup", FULL, FileOpenSyscalls::dup, "fd", "fd");
    t.row(33, "dup2", FULL, FileOpenSyscalls::dup2, "fd,fd", "fd");
    t.row(35, "nanosleep", FULL, TimeSyscalls::nanosleep, "timespec,ptr", "int");
    t.row(39, "getpid", FULL, ProcessSyscalls::getpid, "", "int");
    t.row(40, "sendfile", FULL, FileIoSyscalls::sendfile, "fd,fd,ptr,size", "size");
    t.partial(56, "clone", "processes only: CLONE_THREAD (threads), new namespaces and CLONE_PIDFD are EINVAL", ForkSyscalls::clone, "hex,ptr,ptr,ptr,hex", "int");
    t.row(57, "fork", FULL, ForkSyscalls::fork, "", "int");
    t.row(58, "vfork", FULL, ForkSyscalls::vfork, "", "int");
    t.control(59, "execve", PARTIAL, "set-user-ID/set-group-ID bits not honoured (AT_SECURE 0); no vDSO; segments copied, not file-backed", ExecSyscalls::execve, "path,argv,envp", "int");
    t.control(60, "exit", FULL, null, ProcessSyscalls::exit, "int", "void");
    t.partial(61, "wait4", "stopped and continued children are not reported until signals stop processes", WaitSyscalls::wait4, "int,ptr,hex,ptr", "int");
    t.row(63, "uname", FULL, SystemSyscalls::uname, "ptr", "int");
    t.partial(72, "fcntl", "F_SETOWN/F_SETSIG/F_NOTIFY/F_SETLEASE accepted without effect (no SIGIO, dnotify or lease breaks)", FileOpenSyscalls::fcntl, "fd,fcntlcmd,hex", "int");
    t.row(73, "flock", FULL, FileOpenSyscalls::flock, "fd,flockop", "int");
    t.row(74, "fsync", FULL, FileIoSyscalls::fsync, "fd", "int");
    t.row(75, "fdatasync", FULL, FileIoSyscalls::fdatasync, "fd", "int");
    t.row(76, "truncate", FULL, FileIoSyscalls::truncate, "path,offset", "int");
    t.row(77, "ftruncate", FULL, FileIoSyscalls::ftruncate, "fd,offset", "int");
    t.row(79, "getcwd", FULL, PathOpsSyscalls::getcwd, "obuf:R,size", "size");
    t.row(80, "chdir", FULL, PathOpsSyscalls::chdir, "path", "int");
    t.row(81, "fchdir", FULL, PathOpsSyscalls::fchdir, "fd", "int");
    t.row(82, "rename", FULL, PathOpsSyscalls::rename, "path,path", "int");
    t.row(83, "mkdir", FULL, PathOpsSyscalls::mkdir, "path,mode", "int");
    t.row(84, "rmdir", FULL, PathOpsSyscalls::rmdir, "path", "int");
    t.row(85, "creat", FULL, FileOpenSyscalls::creat, "path,mode", "fd");
    t.row(86, "link", FULL, PathOpsSyscalls::link, "path,path", "int");
    t.row(87, "unlink", FULL, PathOpsSyscalls::unlink, "path", "int");
    t.row(88, "symlink", FULL, PathOpsSyscalls::symlink, "str,path", "int");
    t.row(89, "readlink", FULL, PathOpsSyscalls::readlink, "path,obuf:R,size", "size");
    t.row(90, "chmod", FULL, PathOpsSyscalls::chmod, "path,mode", "int");
    t.row(91, "fchmod", FULL, PathOpsSyscalls::fchmod, "fd,mode", "int");
    t.row(92, "chown", FULL, PathOpsSyscalls::chown, "path,int,int", "int");
    t.row(93, "fchown", FULL, PathOpsSyscalls::fchown, "fd,int,int", "int");
    t.row(94, "lchown", FULL, PathOpsSyscalls::lchown, "path,int,int", "int");
    t.row(95, "umask", FULL, PathOpsSyscalls::umask, "mode", "mode");
    t.row(96, "gettimeofday", FULL, TimeSyscalls::gettimeofday, "ptr,ptr", "int");
    t.row(97, "getrlimit", FULL, SystemSyscalls::getrlimit, "rlimit,ptr", "int");
    t.partial(98, "getrusage", "CPU times of the calling JVM thread; ru_maxrss is JVM heap use; other counters and RUSAGE_CHILDREN are 0", SystemSyscalls::getrusage, "int,ptr", "int");
    t.partial(99, "sysinfo", "RAM figures are the JVM heap's, loads the host's; no swap; procs 1", SystemSyscalls::sysinfo, "ptr", "int");
    t.row(100, "times", FULL, SystemSyscalls::times, "ptr", "int");
    t.row(102, "getuid", FULL, ProcessSyscalls::getuid, "", "int");
    t.row(104, "getgid", FULL, ProcessSyscalls::getgid, "", "int");
    t.row(105, "setuid", FULL, ProcessSyscalls::setuid, "int", "int");
    t.row(106, "setgid", FULL, ProcessSyscalls::setgid, "int", "int");
    t.row(107, "geteuid", FULL, ProcessSyscalls::geteuid, "", "int");
    t.row(108, "getegid", FULL, ProcessSyscalls::getegid, "", "int");
    t.row(109, "setpgid", FULL, ProcessGroupSyscalls::setpgid, "int,int", "int");
    t.row(110, "getppid", FULL, ProcessSyscalls::getppid, "", "int");
    t.row(111, "getpgrp", FULL, ProcessGroupSyscalls::getpgrp, "", "int");
    t.row(112, "setsid", FULL, ProcessGroupSyscalls::setsid, "", "int");
    t.row(113, "setreuid", FULL, ProcessSyscalls::setreuid, "int,int", "int");
    t.row(114, "setregid", FULL, ProcessSyscalls::setregid, "int,int", "int");
    t.row(115, "getgroups", FULL, ProcessSyscalls::getgroups, "int,ptr", "int");
    t.row(116, "setgroups", FULL, ProcessSyscalls::setgroups, "int,ptr", "int");
    t.row(117, "setresuid", FULL, ProcessSyscalls::setresuid, "int,int,int", "int");
    t.row(118, "getresuid", FULL, ProcessSyscalls::getresuid, "ptr,ptr,ptr", "int");
    t.row(119, "setresgid", FULL, ProcessSyscalls::setresgid, "int,int,int", "int");
    t.row(120, "getresgid", FULL, ProcessSyscalls::getresgid, "ptr,ptr,ptr", "int");
    t.row(121, "getpgid", FULL, ProcessGroupSyscalls::getpgid, "int", "int");
    t.row(124, "getsid", FULL, ProcessGroupSyscalls::getsid, "int", "int");
    t.row(125, "capget", FULL, ProcessSyscalls::capget, "ptr,ptr", "int");
    t.partial(126, "capset", "sets are kept and checked by the process/system calls; the VFS still treats euid 0 as all-powerful", ProcessSyscalls::capset, "ptr,ptr", "int");
    t.partial(131, "sigaltstack", "the stack is recorded; signals are not delivered yet", SignalsSyscalls::sigaltstack, "ptr,ptr", "int");
    t.row(133, "mknod", FULL, PathOpsSyscalls::mknod, "path,mode,dev", "int");
    t.row(135, "personality", FULL, ProcessSyscalls::personality, "hex", "int");
    t.row(137, "statfs", FULL, PathOpsSyscalls::statfs, "path,ptr", "int");
    t.row(138, "fstatfs", FULL, PathOpsSyscalls::fstatfs, "fd,ptr", "int");
    t.row(140, "getpriority", FULL, SystemSyscalls::getpriority, "int,int", "int");
    t.row(141, "setpriority", FULL, SystemSyscalls::setpriority, "int,int,int", "int");
    t.row(142, "sched_setparam", FULL, SystemSyscalls::schedSetparam, "int,ptr", "int");
    t.row(143, "sched_getparam", FULL, SystemSyscalls::schedGetparam, "int,ptr", "int");
    t.row(144, "sched_setscheduler", FULL, SystemSyscalls::schedSetscheduler, "int,int,ptr", "int");
    t.row(145, "sched_getscheduler", FULL, SystemSyscalls::schedGetscheduler, "int", "int");
    t.row(146, "sched_get_priority_max", FULL, SystemSyscalls::schedGetPriorityMax, "int", "int");
    t.row(147, "sched_get_priority_min", FULL, SystemSyscalls::schedGetPriorityMin, "int", "int");
    t.errno(155, "pivot_root", Errno.EPERM, "mount namespaces are not offered", "path,path", "int");
    t.partial(157, "prctl", "the options in Prctl; others (PR_SET_SECCOMP, PR_SET_MM, PR_SET_VMA, ...) fail with EINVAL", ProcessSyscalls::prctl, "prctl,hex,hex,hex,hex", "int");
    t.row(158, "arch_prctl", FULL, ProcessSyscalls::archPrctl, "archprctl,ptr", "int");
    t.row(160, "setrlimit", FULL, SystemSyscalls::setrlimit, "rlimit,ptr", "int");
    t.row(161, "chroot", FULL, PathOpsSyscalls::chroot, "path", "int");
    t.row(162, "sync", FULL, FileIoSyscalls::sync, "", "int");
    t.errno(165, "mount", Errno.EPERM, "mount namespaces are not offered", "str,path,str,hex,ptr", "int");
    t.errno(166, "umount2", Errno.EPERM, "mount namespaces are not offered", "path,hex", "int");
    t.row(170, "sethostname", FULL, SystemSyscalls::sethostname, "str,size", "int");
    t.row(186, "gettid", FULL, ProcessSyscalls::gettid, "", "int");
    t.row(187, "readahead", FULL, FileIoSyscalls::readahead, "fd,offset,size", "int");
    t.row(188, "setxattr", FULL, PathOpsSyscalls::setxattr, "path,str,buf:3,size,xattrflags", "int");
    t.row(189, "lsetxattr", FULL, PathOpsSyscalls::lsetxattr, "path,str,buf:3,size,xattrflags", "int");
    t.row(190, "fsetxattr", FULL, PathOpsSyscalls::fsetxattr, "fd,str,buf:3,size,xattrflags", "int");
    t.row(191, "getxattr", FULL, PathOpsSyscalls::getxattr, "path,str,obuf:R,size", "size");
    t.row(192, "lgetxattr", FULL, PathOpsSyscalls::lgetxattr, "path,str,obuf:R,size", "size");
    t.row(193, "fgetxattr", FULL, PathOpsSyscalls::fgetxattr, "fd,str,obuf:R,size", "size");
    t.row(194, "listxattr", FULL, PathOpsSyscalls::listxattr, "path,ptr,size", "size");
    t.row(195, "llistxattr", FULL, PathOpsSyscalls::llistxattr, "path,ptr,size", "size");
    t.row(196, "flistxattr", FULL, PathOpsSyscalls::flistxattr, "fd,ptr,size", "size");
    t.row(197, "removexattr", FULL, PathOpsSyscalls::removexattr, "path,str", "int");
    t.row(198, "lremovexattr", FULL, PathOpsSyscalls::lremovexattr, "path,str", "int");
    t.row(199, "fremovexattr", FULL, PathOpsSyscalls::fremovexattr, "fd,str", "int");
    t.row(201, "time", FULL, TimeSyscalls::time, "ptr", "int");
    t.row(203, "sched_setaffinity", FULL, SystemSyscalls::schedSetaffinity, "int,size,ptr", "int");
    t.row(204, "sched_getaffinity", FULL, SystemSyscalls::schedGetaffinity, "int,size,ptr", "int");
    t.row(217, "getdents64", FULL, PathOpsSyscalls::getdents64, "fd,ptr,size", "size");
    t.row(218, "set_tid_address", FULL, ProcessSyscalls::setTidAddress, "ptr", "int");
    t.row(221, "fadvise64", FULL, FileIoSyscalls::fadvise64, "fd,offset,size,int", "int");
    t.row(228, "clock_gettime", FULL, TimeSyscalls::clockGettime, "clockid,ptr", "int");
    t.row(229, "clock_getres", FULL, TimeSyscalls::clockGetres, "clockid,ptr", "int");
    t.partial(230, "clock_nanosleep", "CPU-time clocks cannot be slept on (process clock: ENOTSUP)", TimeSyscalls::clockNanosleep, "clockid,hex,timespec,ptr", "int");
    t.control(231, "exit_group", FULL, null, ProcessSyscalls::exitGroup, "int", "void");
    t.row(235, "utimes", FULL, PathOpsSyscalls::utimes, "path,ptr", "int");
    t.partial(247, "waitid", "WEXITED only: stopped and continued children are not reported until signals stop processes; P_PIDFD is EINVAL (no pidfds)", WaitSyscalls::waitid, "int,int,ptr,hex,ptr", "int");
    t.row(257, "openat", FULL, FileOpenSyscalls::openat, "dirfd,path,oflags,mode", "fd");
    t.row(258, "mkdirat", FULL, PathOpsSyscalls::mkdirat, "dirfd,path,mode", "int");
    t.row(259, "mknodat", FULL, PathOpsSyscalls::mknodat, "dirfd,path,mode,dev", "int");
    t.row(260, "fchownat", FULL, PathOpsSyscalls::fchownat, "dirfd,path,int,int,atflags", "int");
    t.row(261, "futimesat", FULL, PathOpsSyscalls::futimesat, "dirfd,path,ptr", "int");
    t.row(262, "newfstatat", FULL, PathOpsSyscalls::newfstatat, "dirfd,path,ostat,atflags", "int");
    t.row(263, "unlinkat", FULL, PathOpsSyscalls::unlinkat, "dirfd,path,atflags", "int");
    t.row(264, "renameat", FULL, PathOpsSyscalls::renameat, "dirfd,path,dirfd,path", "int");
    t.row(265, "linkat", FULL, PathOpsSyscalls::linkat, "dirfd,path,dirfd,path,atflags", "int");
    t.row(266, "symlinkat", FULL, PathOpsSyscalls::symlinkat, "str,dirfd,path", "int");
    t.row(267, "readlinkat", FULL, PathOpsSyscalls::readlinkat, "dirfd,path,obuf:R,size", "size");
    t.row(268, "fchmodat", FULL, PathOpsSyscalls::fchmodat, "dirfd,path,mode", "int");
    t.row(269, "faccessat", FULL, PathOpsSyscalls::faccessat, "dirfd,path,accessmode", "int");
    t.partial(270, "pselect6", "the signal mask is installed for the wait but signals are not delivered yet; waits by polling", PollSyscalls::pselect6, "int,ptr,ptr,ptr,timespec,ptr", "int");
    t.partial(271, "ppoll", "the signal mask is installed for the wait but signals are not delivered yet; waits by polling", PollSyscalls::ppoll, "ptr,int,timespec,ptr,size", "int");
    t.row(273, "set_robust_list", FULL, ProcessSyscalls::setRobustList, "ptr,size", "int");
    t.row(275, "splice", FULL, FileIoSyscalls::splice, "fd,ptr,fd,ptr,size,hex", "size");
    t.row(280, "utimensat", FULL, PathOpsSyscalls::utimensat, "dirfd,path,ptr,atflags", "int");
    t.row(285, "fallocate", FULL, FileIoSyscalls::fallocate, "fd,int,offset,offset", "int");
    t.row(290, "eventfd2", FULL, FileOpenSyscalls::eventfd2, "int,oflags", "fd");
    t.row(292, "dup3", FULL, FileOpenSyscalls::dup3, "fd,fd,oflags", "fd");
    t.partial(293, "pipe2", "a write with no reader gives EPIPE without SIGPIPE until signal delivery", FileOpenSyscalls::pipe2, "ptr,oflags", "int");
    t.row(295, "preadv", FULL, FileIoSyscalls::preadv, "fd,iovec:2,int,offset", "size");
    t.row(296, "pwritev", FULL, FileIoSyscalls::pwritev, "fd,iovec:2,int,offset", "size");
    t.row(302, "prlimit64", FULL, SystemSyscalls::prlimit64, "int,rlimit,ptr,ptr", "int");
    t.row(306, "syncfs", FULL, FileIoSyscalls::syncfs, "fd", "int");
    t.row(309, "getcpu", FULL, SystemSyscalls::getcpu, "ptr,ptr,ptr", "int");
    t.partial(316, "renameat2", "RENAME_WHITEOUT gives EINVAL: no backend stores whiteouts", PathOpsSyscalls::renameat2, "dirfd,path,dirfd,path,renameflags", "int");
    t.row(318, "getrandom", FULL, SystemSyscalls::getrandom, "obuf:R,size,hex", "size");
    t.partial(319, "memfd_create", "MFD_HUGETLB uses ordinary memory; F_SEAL_WRITE does not check for writable shared mappings", FileOpenSyscalls::memfdCreate, "str,hex", "fd");
    t.row(324, "membarrier", FULL, MemorySyscalls::membarrier, "int,int,int", "int");
    t.control(322, "execveat", PARTIAL, "as execve; AT_EMPTY_PATH (fexecve) and AT_SYMLINK_NOFOLLOW", ExecSyscalls::execveat, "dirfd,path,argv,envp,atflags", "int");
    t.row(326, "copy_file_range", FULL, FileIoSyscalls::copyFileRange, "fd,ptr,fd,ptr,size,int", "size");
    t.row(327, "preadv2", FULL, FileIoSyscalls::preadv2, "fd,iovec:2,int,offset,int,hex", "size");
    t.row(328, "pwritev2", FULL, FileIoSyscalls::pwritev2, "fd,iovec:2,int,offset,int,hex", "size");
    t.row(332, "statx", FULL, PathOpsSyscalls::statx, "dirfd,path,atflags,hex,ptr", "int");
    t.errno(334, "rseq", Errno.ENOSYS, "restartable sequences are not offered; glibc and other callers fall back when rseq fails with ENOSYS", "ptr,size,hex,hex", "int");
    t.partial(435, "clone3", "as clone; set_tid and CLONE_INTO_CGROUP are EINVAL", ForkSyscalls::clone3, "ptr,size", "int");
    t.row(436, "close_range", FULL, FileOpenSyscalls::closeRange, "fd,fd,hex", "int");
    t.partial(437, "openat2", "RESOLVE_* checked by a component walk; the last name is looked up again at open, so a symlink swapped in by another thread meanwhile is not checked", FileOpenSyscalls::openat2, "dirfd,path,ptr,size", "fd");
    t.row(439, "faccessat2", FULL, PathOpsSyscalls::faccessat2, "dirfd,path,accessmode,atflags", "int");
    t.row(452, "fchmodat2", FULL, PathOpsSyscalls::fchmodat2, "dirfd,path,mode,atflags", "int");
  }
}
