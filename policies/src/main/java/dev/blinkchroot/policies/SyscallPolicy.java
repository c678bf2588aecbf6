package dev.blinkchroot.policies;

/**
 * Decides, for every system call a guest makes, whether it runs. Called on the calling guest
 * thread before the handler, so it must be fast and thread-safe; it must not block.
 */
@FunctionalInterface
public interface SyscallPolicy {
  Decision decide(SyscallCall call);

  /**
   * Whether {@link SyscallCall#path()} matters to this policy. Building it costs a guest read and
   * a path walk on every path call, so policies that decide by name alone say false and get null.
   */
  default boolean needsPaths() {
    return true;
  }
}
