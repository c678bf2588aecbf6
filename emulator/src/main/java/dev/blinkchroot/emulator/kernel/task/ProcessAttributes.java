package dev.blinkchroot.emulator.kernel.task;


/**
 * A process's resource limits, scheduling (nice, policy, priority), personality, the prctl
 * flags and the capability sets: one bundle owned by its {@link GuestProcess}, so that the
 * process class stays small. Fork copies it ({@link #forkCopy}) and exec updates it ({@link
 * #onExec}) by Linux's rules, which are quoted there.
 */
public final class ProcessAttributes {
  /** SCHED_* policies (sched(7)). */
  public static final int SCHED_OTHER = 0;
  public static final int SCHED_FIFO = 1;
  public static final int SCHED_RR = 2;
  public static final int SCHED_BATCH = 3;
  public static final int SCHED_IDLE = 5;
  public static final int SCHED_DEADLINE = 6;
  public static final int SCHED_RESET_ON_FORK = 0x4000_0000;

  public final Rlimits rlimits;
  /** The nice value, -20..19. */
  public int nice;
  public int schedPolicy = SCHED_OTHER;
  public int schedPriority;
  public boolean resetOnFork;
  /** personality(2)'s persona. */
  public int personality;
  /** PR_SET_DUMPABLE: 1 (SUID_DUMP_USER) by default. */
  public int dumpable = 1;
  public boolean noNewPrivs;
  public boolean childSubreaper;
  public boolean keepCaps;
  public boolean thpDisable;
  /** Capability sets as 64-bit masks (capabilities(7)); see {@link Capabilities}. */
  long capEffective;
  public long capPermitted;
  public long capInheritable;
  public long capBounding = Capabilities.ALL;
  public long capAmbient;

  private ProcessAttributes(Rlimits rlimits) {
    this.rlimits = rlimits;
  }

  /** A login's defaults, with every capability for root. */
  static ProcessAttributes initial(Identity id) {
    ProcessAttributes a = new ProcessAttributes(new Rlimits());
    if (id.euid() == 0 || id.ruid() == 0) {
      a.capPermitted = Capabilities.ALL;
      a.capEffective = id.euid() == 0 ? Capabilities.ALL : 0;
    }
    return a;
  }

  /**
   * What a child created by fork(2) gets: "The child inherits ... resource limits", the nice
   * value, the scheduling policy ("unless SCHED_RESET_ON_FORK", which resets a real-time policy
   * to SCHED_OTHER and a negative nice to 0), the personality, the capability sets and the
   * no_new_privs bit; "the child's parent death signal is reset to 0" (a thread attribute) and
   * the child-subreaper flag is not inherited (prctl(2)).
   */
  synchronized ProcessAttributes forkCopy() {
    ProcessAttributes from = this;
    ProcessAttributes to;
    {
      to = new ProcessAttributes(from.rlimits.copy());
      to.nice = from.nice;
      to.schedPolicy = from.schedPolicy;
      to.schedPriority = from.schedPriority;
      if (from.resetOnFork) {
        if (from.schedPolicy == SCHED_FIFO || from.schedPolicy == SCHED_RR) {
          to.schedPolicy = SCHED_OTHER;
          to.schedPriority = 0;
        }
        to.nice = Math.max(0, from.nice);
      }
      to.personality = from.personality;
      to.dumpable = from.dumpable;
      to.noNewPrivs = from.noNewPrivs;
      to.keepCaps = from.keepCaps;
      to.thpDisable = from.thpDisable;
      to.capEffective = from.capEffective;
      to.capPermitted = from.capPermitted;
      to.capInheritable = from.capInheritable;
      to.capBounding = from.capBounding;
      to.capAmbient = from.capAmbient;
    }
    return to;
  }

  /**
   * What execve(2) changes, for a program without file capabilities (capabilities(7)): when the
   * real or effective uid is 0 the permitted set becomes the bounding set (plus inheritable) and
   * the effective set all of it if the effective uid is 0; otherwise both become the ambient set.
   * PR_SET_KEEPCAPS "is cleared on execve"; the dumpable flag returns to 1.
   */
  public void onExec(Identity id) {
    ProcessAttributes a = this;
    synchronized (a) {
      if (id.euid() == 0 || id.ruid() == 0) {
        a.capPermitted = (a.capInheritable | a.capBounding) & Capabilities.ALL;
        a.capEffective = id.euid() == 0 ? a.capPermitted : 0;
        a.capAmbient = 0;
      } else {
        a.capPermitted = a.capAmbient;
        a.capEffective = a.capAmbient;
      }
      a.keepCaps = false;
      a.dumpable = 1;
    }
  }
}
