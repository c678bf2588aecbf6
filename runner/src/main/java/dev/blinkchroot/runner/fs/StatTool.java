package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code stat}, in GNU coreutils 9's default format. Names of ids come from the guest's
 * /etc/passwd and /etc/group. The sandbox keeps no birth time, so "Birth: -".
 */
final class StatTool extends FsTool {
  private OptionSpec dereferenceOption;
  private PositionalParamSpec operandsParam;

  boolean dereference;
  List<String> operands = List.of();

  @Override
  public String name() {
    return "stat";
  }

  @Override
  protected void declare(CommandSpec spec) {
    dereferenceOption = flag("follow symlinks", "-L", "--dereference");
    operandsParam = operands(1);
    spec.addOption(dereferenceOption).addPositional(operandsParam);
  }

  @Override
  protected void configure(ParseResult parsed) {
    dereference = isSet(parsed, dereferenceOption);
    operands = operandsOr(parsed, operandsParam, List.of());
  }

  @Override
  public void run(Vfs vfs, FsContext ctx, ToolIo io) {
    ZoneId zone = ZoneId.systemDefault();
    GuestAccounts accounts = null;
    for (String text : operands) {
      byte[] path = Directories.bytes(text);
      Stat st;
      byte[] target = null;
      try {
        st = vfs.stat(ctx, null, path, dereference ? 0 : Fcntl.AT_SYMLINK_NOFOLLOW);
        if (st.type() == FileType.SYMLINK) {
          target = vfs.readlink(ctx, null, path);
        }
      } catch (ErrnoException e) {
        io.error(text, e.errno());
        continue;
      }
      if (accounts == null) {
        accounts = GuestAccounts.read(vfs, ctx);
      }
      io.print("  File: ");
      io.write(ShellQuote.quote(path));
      if (target != null) {
        io.print(" -> ");
        io.write(ShellQuote.quote(target));
      }
      io.newline();
      io.print(format(st, accounts, zone));
    }
  }

  /** Everything after the "File:" line. */
  static String format(Stat st, GuestAccounts accounts, ZoneId zone) {
    StringBuilder s = new StringBuilder(400);
    s.append("  Size: ").append(padRight(Long.toString(st.size()), 10))
        .append("\tBlocks: ").append(padRight(Long.toString(st.blocks()), 10))
        .append(" IO Block: ").append(padRight(Integer.toString(st.blksize()), 6))
        .append(' ').append(typeName(st)).append('\n');
    s.append("Device: ").append(Integer.toUnsignedString(Stat.major(st.dev()))).append(',')
        .append(Integer.toUnsignedString(Stat.minor(st.dev())))
        .append("\tInode: ").append(padRight(Long.toUnsignedString(st.ino()), 11))
        .append(" Links: ");
    FileType type = st.type();
    if (type != null && type.isDevice()) {
      s.append(padRight(Integer.toString(st.nlink()), 5)).append(" Device type: ")
          .append(Integer.toUnsignedString(Stat.major(st.rdev()))).append(',')
          .append(Integer.toUnsignedString(Stat.minor(st.rdev())));
    } else {
      s.append(st.nlink());
    }
    s.append('\n');
    String octal = Integer.toOctalString(st.permissions());
    s.append("Access: (").append("0000", octal.length(), 4).append(octal).append('/')
        .append(ModeString.of(st.mode())).append(")  Uid: (")
        .append(padLeft(Integer.toUnsignedString(st.uid()), 5)).append('/')
        .append(padLeft(accounts.user(st.uid()), 8)).append(")   Gid: (")
        .append(padLeft(Integer.toUnsignedString(st.gid()), 5)).append('/')
        .append(padLeft(accounts.group(st.gid()), 8)).append(")\n");
    s.append("Access: ").append(TimeFormat.stat(st.atimeNs(), zone)).append('\n');
    s.append("Modify: ").append(TimeFormat.stat(st.mtimeNs(), zone)).append('\n');
    s.append("Change: ").append(TimeFormat.stat(st.ctimeNs(), zone)).append('\n');
    s.append(" Birth: -\n");
    return s.toString();
  }

  /** GNU stat's %F. */
  static String typeName(Stat st) {
    FileType type = st.type();
    if (type == null) {
      return "weird file";
    }
    switch (type) {
      case REGULAR: return st.size() == 0 ? "regular empty file" : "regular file";
      case DIRECTORY: return "directory";
      case SYMLINK: return "symbolic link";
      case CHARACTER_DEVICE: return "character special file";
      case BLOCK_DEVICE: return "block special file";
      case FIFO: return "fifo";
      case SOCKET: return "socket";
      default: return "weird file";
    }
  }

  private static String padRight(String value, int width) {
    StringBuilder s = new StringBuilder(value);
    while (s.length() < width) {
      s.append(' ');
    }
    return s.toString();
  }

  private static String padLeft(String value, int width) {
    StringBuilder s = new StringBuilder();
    for (int i = value.length(); i < width; i++) {
      s.append(' ');
    }
    return s.append(value).toString();
  }
}
