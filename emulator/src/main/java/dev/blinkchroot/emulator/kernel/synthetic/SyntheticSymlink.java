package dev.blinkchroot.emulator.kernel.synthetic;

import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileType;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A symlink whose target is computed when it is read: /proc/self depends on who reads it,
 * /proc/PID/cwd on where the process is now. A target supplier may throw an ErrnoException
 * (ENOENT when there is nothing to point at, as Linux gives for a kernel thread's exe).
 */
public final class SyntheticSymlink extends SyntheticNode {
  private final Supplier<String> target;
  private final Object attachment;

  private SyntheticSymlink(SyntheticDir parent, String name, int permissions, Owner owner,
      Supplier<String> target, Object attachment) {
    super(parent, name, permissions, owner);
    this.target = target;
    this.attachment = attachment;
  }

  public static SyntheticSymlink of(SyntheticDir parent, String name, int permissions,
      Supplier<String> target) {
    return new SyntheticSymlink(parent, name, permissions, null, target, null);
  }

  /** A link carrying what it stands for beyond its text (a /proc/PID/fd link's descriptor). */
  public static SyntheticSymlink of(SyntheticDir parent, String name, int permissions,
      Supplier<String> target, Object attachment) {
    return new SyntheticSymlink(parent, name, permissions, null, target, attachment);
  }

  /** What the link stands for, or null. */
  public Object attachment() {
    return attachment;
  }

  @Override
  public FileType type() {
    return FileType.SYMLINK;
  }

  @Override
  public byte[] readlink() {
    String t = target.get();
    if (t == null || t.isEmpty()) {
      throw Errno.ENOENT.exception();
    }
    // Guest paths are bytes; they are carried through Java strings as ISO-8859-1, one char a byte.
    return t.getBytes(StandardCharsets.ISO_8859_1);
  }
}
