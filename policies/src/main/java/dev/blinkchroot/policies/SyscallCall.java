package dev.blinkchroot.policies;

/**
 * One system call as a policy sees it, before its handler runs: the Linux name and x86-64
 * number, the six raw arguments, and for calls that take a path, that path made absolute from the
 * caller's root (null for calls without one).
 */
public record SyscallCall(String name, int number, long[] args, String path, int pid) {
  public SyscallCall {
    args = args.clone();
  }

  public long arg(int i) {
    return args[i];
  }

  @Override
  public long[] args() {
    return args.clone();
  }
}
