package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Vfs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * User and group names from the guest's /etc/passwd and /etc/group, so that {@code stat} shows
 * the names a tool inside the image would show, not the host's.
 */
final class GuestAccounts {
  /** What GNU stat prints for an id without a name. */
  static final String UNKNOWN = "UNKNOWN";

  private final Map<Integer, String> users;
  private final Map<Integer, String> groups;

  private GuestAccounts(Map<Integer, String> users, Map<Integer, String> groups) {
    this.users = users;
    this.groups = groups;
  }

  static GuestAccounts read(Vfs vfs, FsContext ctx) {
    return new GuestAccounts(parse(readFile(vfs, ctx, "/etc/passwd")),
        parse(readFile(vfs, ctx, "/etc/group")));
  }

  static GuestAccounts of(Map<Integer, String> users, Map<Integer, String> groups) {
    return new GuestAccounts(users, groups);
  }

  String user(int uid) {
    return users.getOrDefault(uid, UNKNOWN);
  }

  String group(int gid) {
    return groups.getOrDefault(gid, UNKNOWN);
  }

  /** "name:password:id:..." lines; the first line naming an id wins, as getpwuid's scan does. */
  static Map<Integer, String> parse(String text) {
    Map<Integer, String> byId = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length < 3 || fields[0].isEmpty()) {
        continue;
      }
      try {
        byId.putIfAbsent(Integer.parseUnsignedInt(fields[2].trim()), fields[0]);
      } catch (NumberFormatException e) {
        // A malformed line is skipped, as libc skips it.
      }
    }
    return byId;
  }

  private static String readFile(Vfs vfs, FsContext ctx, String path) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OpenFile file = vfs.open(ctx, null, path.getBytes(StandardCharsets.UTF_8),
        Fcntl.O_RDONLY, 0)) {
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (file.read(buffer.clear()) > 0) {
        bytes.write(buffer.array(), 0, buffer.position());
      }
    } catch (ErrnoException e) {
      return ""; // no such file: every id is UNKNOWN, as with an empty /etc/passwd
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
