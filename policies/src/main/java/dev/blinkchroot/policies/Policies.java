package dev.blinkchroot.policies;

import java.util.Map;

/** Policies available from the command line until the policy-file format exists. */
public final class Policies {
  /** EPERM, what {@code --deny-syscall NAME} returns when no errno is given. */
  public static final int EPERM = 1;

  private Policies() {}

  public static SyscallPolicy allowAll() {
    return byName(call -> Decision.ALLOW);
  }

  /**
   * Fails each named call with its errno and allows everything else: {@code --deny-syscall
   * NAME[:ERRNO]}.
   */
  public static SyscallPolicy denying(Map<String, Integer> errnoByName) {
    Map<String, Integer> denied = Map.copyOf(errnoByName);
    return byName(call -> {
      Integer errno = denied.get(call.name());
      return errno == null ? Decision.ALLOW : Decision.errno(errno);
    });
  }

  /** A policy that decides by the call's name and arguments only: it is given no paths. */
  private static SyscallPolicy byName(SyscallPolicy decide) {
    return new SyscallPolicy() {
      @Override
      public Decision decide(SyscallCall call) {
        return decide.decide(call);
      }

      @Override
      public boolean needsPaths() {
        return false;
      }
    };
  }

  /**
   * Parses {@code NAME[:ERRNO]} where ERRNO is a number or a Linux name like EACCES; names are
   * resolved by {@code errnoByName}.
   *
   * @throws IllegalArgumentException with a one-line message for a malformed spec
   */
  public static Map.Entry<String, Integer> parseDeny(String spec, Map<String, Integer> errnoByName) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    if (name.isEmpty() || !name.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("bad system call name in '" + spec + "'");
    }
    if (colon < 0) {
      return Map.entry(name, EPERM);
    }
    String errno = spec.substring(colon + 1);
    Integer value = errnoByName.get(errno);
    if (value == null) {
      try {
        value = Integer.parseInt(errno);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("unknown errno '" + errno + "' in '" + spec + "'");
      }
    }
    if (value <= 0 || value > 4095) {
      throw new IllegalArgumentException("errno out of range in '" + spec + "'");
    }
    return Map.entry(name, value);
  }
}
