package dev.blinkchroot.vfs;

/**
 * Linux error numbers (x86-64 values from {@code asm-generic/errno-base.h} and {@code errno.h}),
 * with the messages glibc's {@code strerror} gives them. Everything below the syscall boundary
 * speaks these; host {@code IOException}s are translated at the backend boundary.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  ESRCH(3, "No such process"),
  EINTR(4, "Interrupted system call"),
  EIO(5, "Input/output error"),
  ENXIO(6, "No such device or address"),
  E2BIG(7, "Argument list too long"),
  ENOEXEC(8, "Exec format error"),
  EBADF(9, "Bad file descriptor"),
  ECHILD(10, "No child processes"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EFAULT(14, "Bad address"),
  ENOTBLK(15, "Block device required"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  EXDEV(18, "Invalid cross-device link"),
  ENODEV(19, "No such device"),
  ENOTDIR(20, "Not a directory"),
  EISDIR(21, "Is a directory"),
  EINVAL(22, "Invalid argument"),
  ENFILE(23, "Too many open files in system"),
  EMFILE(24, "Too many open files"),
  ENOTTY(25, "Inappropriate ioctl for device"),
  ETXTBSY(26, "Text file busy"),
  EFBIG(27, "File too large"),
  ENOSPC(28, "No space left on device"),
  ESPIPE(29, "Illegal seek"),
  EROFS(30, "Read-only file system"),
  EMLINK(31, "Too many links"),
  EPIPE(32, "Broken pipe"),
  EDOM(33, "Numerical argument out of domain"),
  ERANGE(34, "Numerical result out of range"),
  EDEADLK(35, "Resource deadlock avoided"),
  ENAMETOOLONG(36, "File name too long"),
  ENOLCK(37, "No locks available"),
  ENOSYS(38, "Function not implemented"),
  ENOTEMPTY(39, "Directory not empty"),
  ELOOP(40, "Too many levels of symbolic links"),
  ENOMSG(42, "No message of desired type"),
  ENODATA(61, "No data available"),
  ETIME(62, "Timer expired"),
  EOVERFLOW(75, "Value too large for defined data type"),
  EBADFD(77, "File descriptor in bad state"),
  EILSEQ(84, "Invalid or incomplete multibyte or wide character"),
  ERESTART(85, "Interrupted system call should be restarted"),
  ENOTSOCK(88, "Socket operation on non-socket"),
  EDESTADDRREQ(89, "Destination address required"),
  EMSGSIZE(90, "Message too long"),
  EPROTOTYPE(91, "Protocol wrong type for socket"),
  ENOPROTOOPT(92, "Protocol not available"),
  EPROTONOSUPPORT(93, "Protocol not supported"),
  EOPNOTSUPP(95, "Operation not supported"),
  EAFNOSUPPORT(97, "Address family not supported by protocol"),
  EADDRINUSE(98, "Address already in use"),
  EADDRNOTAVAIL(99, "Cannot assign requested address"),
  ENETUNREACH(101, "Network is unreachable"),
  ECONNABORTED(103, "Software caused connection abort"),
  ECONNRESET(104, "Connection reset by peer"),
  ENOBUFS(105, "No buffer space available"),
  EISCONN(106, "Transport endpoint is already connected"),
  ENOTCONN(107, "Transport endpoint is not connected"),
  ETIMEDOUT(110, "Connection timed out"),
  ECONNREFUSED(111, "Connection refused"),
  EHOSTUNREACH(113, "No route to host"),
  EALREADY(114, "Operation already in progress"),
  EINPROGRESS(115, "Operation now in progress"),
  ESTALE(116, "Stale file handle"),
  EDQUOT(122, "Disk quota exceeded"),
  ECANCELED(125, "Operation canceled");

  /** ENOTSUP is the same number as EOPNOTSUPP on Linux. */
  public static final Errno ENOTSUP = EOPNOTSUPP;
  /** EWOULDBLOCK is the same number as EAGAIN on Linux. */
  public static final Errno EWOULDBLOCK = EAGAIN;

  private static final Errno[] BY_NUMBER = new Errno[126];

  static {
    for (Errno e : values()) {
      BY_NUMBER[e.number] = e;
    }
  }

  private final int number;
  private final String message;

  Errno(int number, String message) {
    this.number = number;
    this.message = message;
  }

  /** The positive Linux error number. */
  public int number() {
    return number;
  }

  /** The strerror text, e.g. "No such file or directory". */
  public String message() {
    return message;
  }

  /** A stackless exception carrying this errno. */
  public ErrnoException exception() {
    return new ErrnoException(this, null);
  }

  /** A stackless exception carrying this errno and a detail for diagnostics (not for the guest). */
  public ErrnoException exception(String detail) {
    return new ErrnoException(this, detail);
  }

  /** The errno with this number, or null if it is not one this enum names. */
  public static Errno of(int number) {
    return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
  }
}
