package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Stat;
import dev.blinkchroot.vfs.Vfs;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ls}, as GNU ls prints to a pipe in the C locale: one name per line; with {@code -l}
 * the long format with numeric ids ({@code ls -ln}). Operands that are not directories are
 * listed first, then each directory's contents under a "NAME:" header when there are several
 * operands. On the command line a symlink to a directory is followed unless -l or -d is given.
 */
final class LsTool extends FsTool {
  private OptionSpec longFormatOption;
  private OptionSpec numericLongFormatOption;
  private OptionSpec allOption;
  private OptionSpec almostAllOption;
  private OptionSpec directoryItselfOption;
  private OptionSpec onePerLineOption;
  private PositionalParamSpec operandsParam;

  boolean longFormat;
  boolean numericLongFormat;
  boolean all;
  boolean almostAll;
  boolean directoryItself;
  boolean onePerLine;
  List<String> operands = List.of(".");

  @Override
  public String name() {
    return "ls";
  }

  @Override
  protected void declare(CommandSpec spec) {
    longFormatOption = flag("long format, numeric ids", "-l");
    numericLongFormatOption = flag("long format with numeric ids (same as -l here)", "-n");
    allOption = flag("include entries starting with '.'", "-a");
    almostAllOption = flag("like -a, but without . and ..", "-A");
    directoryItselfOption = flag("list directories themselves", "-d");
    onePerLineOption = flag("one per line (always the case)", "-1");
    operandsParam = operands(0);
    spec.addOption(longFormatOption).addOption(numericLongFormatOption).addOption(allOption)
        .addOption(almostAllOption).addOption(directoryItselfOption).addOption(onePerLineOption)
        .addPositional(operandsParam);
  }

  @Override
  protected void configure(ParseResult parsed) {
    longFormat = isSet(parsed, longFormatOption);
    numericLongFormat = isSet(parsed, numericLongFormatOption);
    all = isSet(parsed, allOption);
    almostAll = isSet(parsed, almostAllOption);
    directoryItself = isSet(parsed, directoryItselfOption);
    onePerLine = isSet(parsed, onePerLineOption);
    operands = operandsOr(parsed, operandsParam, List.of("."));
  }

  private static final byte[] DOT = {(byte) '.'};

  private record Operand(String text, Location location, Stat stat) {}

  @Override
  public void run(Vfs vfs, FsContext ctx, ToolIo io) {
    boolean isLong = longFormat || numericLongFormat;
    List<Operand> files = new ArrayList<>();
    List<Operand> dirs = new ArrayList<>();
    for (String text : operands) {
      byte[] path = Directories.bytes(text);
      try {
        Location at = vfs.lookup(ctx, null, path, Fcntl.AT_SYMLINK_NOFOLLOW);
        Stat st = at.stat();
        if (st.type() == FileType.SYMLINK && !isLong && !directoryItself) {
          Location target = followIfDirectory(vfs, ctx, path);
          if (target != null) {
            at = target;
            st = target.stat();
          }
        }
        Operand op = new Operand(text, at, st);
        (st.type() == FileType.DIRECTORY && !directoryItself ? dirs : files).add(op);
      } catch (ErrnoException e) {
        io.error(text, e.errno());
      }
    }
    Comparator<Operand> byName =
        (a, b) -> Directories.BYTE_ORDER.compare(Directories.bytes(a.text()),
            Directories.bytes(b.text()));
    files.sort(byName);
    dirs.sort(byName);

    long nowNs = nowNs();
    ZoneId zone = isLong ? ZoneId.systemDefault() : null;
    boolean printed = false;
    if (!files.isEmpty()) {
      List<LongListing.Row> rows = new ArrayList<>();
      for (Operand f : files) {
        byte[] name = Directories.bytes(f.text());
        rows.add(row(vfs, ctx, null, name, name, f.stat(), isLong));
      }
      print(rows, io, isLong, nowNs, zone);
      printed = true;
    }
    boolean headers = operands.size() > 1;
    for (Operand d : dirs) {
      if (printed) {
        io.newline();
      }
      if (headers) {
        io.print(d.text() + ":\n");
      }
      printed = true;
      listDirectory(vfs, ctx, d, io, isLong, nowNs, zone);
    }
  }

  private void listDirectory(Vfs vfs, FsContext ctx, Operand d, ToolIo io, boolean isLong,
      long nowNs, ZoneId zone) {
    Directories.Listing listing;
    try {
      listing = Directories.list(vfs, ctx, d.location(), DOT, true);
    } catch (ErrnoException e) {
      io.error(d.text(), e.errno());
      return;
    }
    List<LongListing.Row> rows = new ArrayList<>();
    for (DirEntry e : listing.entries()) {
      byte[] name = e.name().bytes();
      boolean show = all || (almostAll ? !Directories.isDotOrDotDot(name)
          : !Directories.isHidden(name));
      if (!show) {
        continue;
      }
      try {
        Stat st = isLong ? vfs.lookup(ctx, listing.location(), name,
            Fcntl.AT_SYMLINK_NOFOLLOW).stat() : null;
        rows.add(row(vfs, ctx, listing.location(), name, name, st, isLong));
      } catch (ErrnoException ex) {
        io.error(d.text() + "/" + e.name(), ex.errno());
      }
    }
    if (isLong) {
      io.print("total " + LongListing.totalKibibytes(rows) + "\n");
    }
    print(rows, io, isLong, nowNs, zone);
  }

  private static LongListing.Row row(Vfs vfs, FsContext ctx, Location dir, byte[] path,
      byte[] shownName, Stat st, boolean isLong) {
    byte[] target = null;
    if (isLong && st.type() == FileType.SYMLINK) {
      target = vfs.readlink(ctx, dir, path);
    }
    return new LongListing.Row(shownName, st, target);
  }

  private static void print(List<LongListing.Row> rows, ToolIo io, boolean isLong, long nowNs,
      ZoneId zone) {
    if (isLong) {
      LongListing.write(rows, io, nowNs, zone);
      return;
    }
    for (LongListing.Row row : rows) {
      io.write(row.name());
      io.newline();
    }
  }

  /** The location a symlink operand leads to, if that is a directory; null otherwise. */
  private static Location followIfDirectory(Vfs vfs, FsContext ctx, byte[] path) {
    try {
      Location target = vfs.lookup(ctx, null, path, 0);
      return target.isDirectory() ? target : null;
    } catch (ErrnoException e) {
      return null; // a dangling link is listed as the link itself
    }
  }

  static long nowNs() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
