package dev.blinkchroot.emulator.kernel.synthetic;

/**
 * Who owns a synthetic file, asked each time it is stat'ed: /proc/PID files belong to the
 * process's effective uid and gid, which setuid can change while the directory is open.
 */
public interface Owner {
  Owner ROOT = new Owner() {
    @Override
    public int uid() {
      return 0;
    }

    @Override
    public int gid() {
      return 0;
    }
  };

  int uid();

  int gid();
}
