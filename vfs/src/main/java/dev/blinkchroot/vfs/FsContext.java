package dev.blinkchroot.vfs;

/**
 * The file-system state of a caller (a task's {@code fs_struct} and credentials): its root (which
 * {@code chroot} changes and absolute paths and ".." never leave), its working directory, its
 * credentials and its umask. Not thread-safe: tasks that share one (CLONE_FS) synchronise.
 */
public final class FsContext {
  private Location root;
  private Location cwd;
  private Credentials credentials;
  private int umask;

  public FsContext(Location root, Location cwd, Credentials credentials, int umask) {
    this.root = root;
    this.cwd = cwd;
    this.credentials = credentials;
    this.umask = umask & 0777;
  }

  public Location root() {
    return root;
  }

  public Location cwd() {
    return cwd;
  }

  public Credentials credentials() {
    return credentials;
  }

  public int umask() {
    return umask;
  }

  public void setRoot(Location root) {
    this.root = root;
  }

  public void setCwd(Location cwd) {
    this.cwd = cwd;
  }

  public void setCredentials(Credentials credentials) {
    this.credentials = credentials;
  }

  /** Sets the umask and returns the previous one, as umask(2). */
  public int setUmask(int umask) {
    int old = this.umask;
    this.umask = umask & 0777;
    return old;
  }

  /** An independent copy, as fork gives a child without CLONE_FS. */
  public FsContext copy() {
    return new FsContext(root, cwd, credentials, umask);
  }
}
