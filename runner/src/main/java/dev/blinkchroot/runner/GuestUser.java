package dev.blinkchroot.runner;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.OpenFile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the first process runs as: {@code --user UID[:GID]}, each a number or a name looked up in
 * the image's /etc/passwd and /etc/group (as docker run --user). Without a group the user's
 * primary group from /etc/passwd is used (0 when the user is not listed); supplementary groups are
 * those /etc/group lists the user name in. HOME comes from /etc/passwd too ("/root" for root and
 * "/" for an unlisted user otherwise).
 */
record GuestUser(int uid, int gid, int[] groups, String home) {
  static final GuestUser ROOT = new GuestUser(0, 0, new int[0], "/root");

  static GuestUser parse(Sandbox sandbox, String spec) {
    List<String[]> passwd = table(sandbox, "/etc/passwd");
    if (spec == null || spec.isEmpty()) {
      String[] root = find(passwd, 2, "0");
      return new GuestUser(0, 0, new int[0], root != null && root.length > 5 ? root[5] : "/root");
    }
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    String[] entry = isNumber(userPart) ? find(passwd, 2, userPart) : find(passwd, 0, userPart);
    if (entry == null && !isNumber(userPart)) {
      throw new CliException("--user " + spec + ": no user '" + userPart
          + "' in the image's /etc/passwd");
    }
    int uid = isNumber(userPart) ? parseId(userPart, spec) : parseId(entry[2], spec);
    List<String[]> group = table(sandbox, "/etc/group");
    int gid;
    if (groupPart != null) {
      if (isNumber(groupPart)) {
        gid = parseId(groupPart, spec);
      } else {
        String[] g = find(group, 0, groupPart);
        if (g == null) {
          throw new CliException("--user " + spec + ": no group '" + groupPart
              + "' in the image's /etc/group");
        }
        gid = parseId(g[2], spec);
      }
    } else {
      gid = entry != null && entry.length > 3 && isNumber(entry[3]) ? parseId(entry[3], spec) : 0;
    }
    String home = entry != null && entry.length > 5 && !entry[5].isEmpty() ? entry[5]
        : uid == 0 ? "/root" : "/";
    List<Integer> supplementary = new ArrayList<>();
    if (entry != null) {
      for (String[] g : group) {
        if (g.length > 3 && isNumber(g[2]) && List.of(g[3].split(",")).contains(entry[0])) {
          int id = Integer.parseInt(g[2]);
          if (id != gid && !supplementary.contains(id)) {
            supplementary.add(id);
          }
        }
      }
    }
    return new GuestUser(uid, gid, supplementary.stream().mapToInt(Integer::intValue).toArray(),
        home);
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static int parseId(String s, String spec) {
    try {
      long v = Long.parseLong(s);
      if (v < 0 || v > 0xfffffffeL) {
        throw new NumberFormatException();
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new CliException("--user " + spec + ": invalid id '" + s + "'", ExitStatus.USAGE);
    }
  }

  private static String[] find(List<String[]> table, int column, String value) {
    for (String[] row : table) {
      if (row.length > column && row[column].equals(value)) {
        return row;
      }
    }
    return null;
  }

  /** The colon-separated lines of a file in the image; empty if it cannot be read. */
  private static List<String[]> table(Sandbox sandbox, String path) {
    List<String[]> rows = new ArrayList<>();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    try (OpenFile f = sandbox.vfs().open(sandbox.newRootContext(), null,
        path.getBytes(StandardCharsets.UTF_8), Fcntl.O_RDONLY, 0)) {
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (f.read(b.clear()) > 0) {
        content.write(b.array(), 0, b.position());
      }
    } catch (ErrnoException e) {
      return rows;
    }
    for (String line : content.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        rows.add(line.split(":", -1));
      }
    }
    return rows;
  }
}
