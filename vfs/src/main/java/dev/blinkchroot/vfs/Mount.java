package dev.blinkchroot.vfs;

/**
 * One mounted backend: where it is mounted ({@code mountpoint}, a location in the parent mount;
 * null for the root mount) and how (read-only or not).
 */
public final class Mount {
  /** {@code MS_RDONLY}. */
  public static final int MS_RDONLY = 1;

  private final int id;
  private final FileSystemBackend backend;
  private final Location mountpoint;
  private final boolean readOnly;
  private final String source;

  Mount(int id, FileSystemBackend backend, Location mountpoint, boolean readOnly, String source) {
    this.id = id;
    this.backend = backend;
    this.mountpoint = mountpoint;
    this.readOnly = readOnly;
    this.source = source;
  }

  /** The mount id /proc/self/mountinfo shows. */
  public int id() {
    return id;
  }

  public FileSystemBackend backend() {
    return backend;
  }

  /** Where this mount is attached; null for the root mount. */
  public Location mountpoint() {
    return mountpoint;
  }

  public Mount parent() {
    return mountpoint == null ? null : mountpoint.mount();
  }

  /** True when writes through this mount fail with EROFS. */
  public boolean isReadOnly() {
    return readOnly || backend.isReadOnly();
  }

  /** What /proc/mounts shows as the source ("overlay", a host path...). */
  public String source() {
    return source;
  }

  public Location root() {
    return new Location(this, backend.root());
  }

  @Override
  public String toString() {
    return "Mount[" + id + " " + backend.typeName() + " " + source + (isReadOnly() ? " ro" : "") + "]";
  }
}
