package dev.blinkchroot.emulator.kernel.synthetic;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.DirectoryIndex;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.FileName;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Inode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A synthetic directory: fixed children added when it is built, in readdir order, and optionally
 * dynamic ones (one per process, per descriptor) that a subclass lists and makes on demand.
 *
 * <p>Readdir positions: fixed children get {@link DirectoryIndex#FIRST_COOKIE} upwards in the
 * order they were added; a subclass gives each dynamic child a fixed position above those
 * (e.g. 1000 + pid), so a listing resumed from a cookie neither repeats nor skips an entry.
 *
 * <p>Dynamic children are made once and kept while they exist (the same inode for the same
 * file, as the SPI asks); one that has gone is forgotten on the next lookup or listing.
 */
public class SyntheticDir extends SyntheticNode {
  /** A dynamic entry: its name and its fixed readdir position. */
  public record Listed(String name, long cookie) {}

  private final LinkedHashMap<String, SyntheticNode> fixed = new LinkedHashMap<>();
  private final Map<String, SyntheticNode> dynamic = new HashMap<>();

  /** A backend's root. */
  public SyntheticDir(SyntheticBackend backend, int permissions) {
    super(backend, permissions, Owner.ROOT);
  }

  /** A subdirectory; {@code owner} null inherits this directory's owner. */
  public SyntheticDir(SyntheticDir parent, String name, int permissions, Owner owner) {
    super(parent, name, permissions, owner);
  }

  @Override
  public final FileType type() {
    return FileType.DIRECTORY;
  }

  // ---------------------------------------------------------------- building

  /** Adds a fixed child (made with this directory as its parent) and returns it. */
  public final synchronized <T extends SyntheticNode> T add(T child) {
    if (child.parentDir() != this) {
      throw new IllegalArgumentException("child of another directory");
    }
    fixed.put(child.fileName().toString(), child);
    return child;
  }

  /** Adds a fixed subdirectory (mode 0555, this directory's owner). */
  public final SyntheticDir dir(String name) {
    return dir(name, 0555);
  }

  /** Adds a fixed subdirectory with the given permissions and this directory's owner. */
  public final SyntheticDir dir(String name, int permissions) {
    return add(new SyntheticDir(this, name, permissions, null));
  }

  /** Adds a read-only file (0444) whose text is made when it is opened. */
  public final GeneratedFile text(String name, Supplier<String> text) {
    return add(GeneratedFile.text(this, name, 0444, text));
  }

  /** Adds a symlink (0777) whose target is computed when it is read. */
  public final SyntheticSymlink link(String name, Supplier<String> target) {
    return add(SyntheticSymlink.of(this, name, 0777, target));
  }

  // ---------------------------------------------------------------- dynamic children

  /** The dynamic children that exist now, with their positions (above the fixed ones). */
  protected List<Listed> dynamicEntries() {
    return List.of();
  }

  /** Whether dynamic child {@code name} exists now; by default, whether it is listed. */
  protected boolean dynamicExists(String name) {
    for (Listed l : dynamicEntries()) {
      if (l.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Makes dynamic child {@code name} (which exists), with this directory as its parent. */
  protected SyntheticNode makeDynamic(String name) {
    return null;
  }

  /**
   * Whether a dynamic child made earlier still stands for what {@code name} names now; false
   * when the name was reused (a new process with a recycled pid, a descriptor closed and opened
   * again), and a new child is made.
   */
  protected boolean stillValid(String name, SyntheticNode made) {
    return true;
  }

  // ---------------------------------------------------------------- Inode

  @Override
  public Inode lookup(FileName name) {
    String s = new String(name.bytes(), StandardCharsets.ISO_8859_1);
    synchronized (this) {
      SyntheticNode f = fixed.get(s);
      if (f != null) {
        return f;
      }
    }
    boolean exists = dynamicExists(s);
    synchronized (this) {
      if (!exists) {
        dynamic.remove(s);
        return null;
      }
      SyntheticNode d = dynamic.get(s);
      if (d != null && !stillValid(s, d)) {
        d = null;
      }
      if (d == null) {
        d = makeDynamic(s);
        if (d == null) {
          return null;
        }
        dynamic.put(s, d);
      }
      return d;
    }
  }

  @Override
  public Inode parent() {
    return parentDir() == null ? this : parentDir();
  }

  @Override
  public FileName name() {
    return fileName();
  }

  @Override
  public List<DirEntry> readdir(long cookie, int max) {
    List<Listed> all = new ArrayList<>();
    List<String> fixedNames;
    synchronized (this) {
      fixedNames = new ArrayList<>(fixed.keySet());
    }
    for (int i = 0; i < fixedNames.size(); i++) {
      all.add(new Listed(fixedNames.get(i), DirectoryIndex.FIRST_COOKIE + i));
    }
    List<Listed> dyn = dynamicEntries();
    forgetAllBut(dyn);
    all.addAll(dyn);
    all.sort(Comparator.comparingLong(Listed::cookie));
    List<DirEntry> out = new ArrayList<>();
    for (Listed l : all) {
      if (out.size() >= max) {
        break;
      }
      if (l.cookie() <= cookie) {
        continue;
      }
      Inode child = lookup(FileName.of(l.name()));
      if (child != null) {
        out.add(new DirEntry(FileName.of(l.name()), child.ino(), child.type(), l.cookie()));
      }
    }
    return out;
  }

  private synchronized void forgetAllBut(List<Listed> present) {
    if (dynamic.isEmpty()) {
      return;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Listed l : present) {
      names.add(l.name());
    }
    dynamic.keySet().retainAll(names);
  }

  // ---------------------------------------------------------------- refused changes

  private dev.blinkchroot.vfs.ErrnoException refusal(Errno otherwise) {
    return (syntheticBackend().newNamesMissing() ? Errno.ENOENT : otherwise).exception();
  }

  @Override
  public Inode create(FileName name, FileType type, int permissions, int uid, int gid, long rdev) {
    throw refusal(type == FileType.REGULAR ? Errno.EACCES : Errno.EPERM);
  }

  @Override
  public Inode symlink(FileName name, byte[] target, int uid, int gid) {
    throw refusal(Errno.EPERM);
  }

  @Override
  public void link(FileName name, Inode target) {
    throw refusal(Errno.EPERM);
  }

  /** Removing a kernel-made entry: EPERM, as rm /proc/cpuinfo gives (ENOENT if absent). */
  @Override
  public void unlink(FileName name) {
    if (lookup(name) == null) {
      throw Errno.ENOENT.exception();
    }
    throw Errno.EPERM.exception();
  }

  @Override
  public void rmdir(FileName name) {
    unlink(name);
  }

  @Override
  public void rename(FileName name, Inode newParent, FileName newName, int flags) {
    throw refusal(Errno.EPERM);
  }

  @Override
  public boolean isEmpty() {
    synchronized (this) {
      if (!fixed.isEmpty()) {
        return false;
      }
    }
    return dynamicEntries().isEmpty();
  }
}
