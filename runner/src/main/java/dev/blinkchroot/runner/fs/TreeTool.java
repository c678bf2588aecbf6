package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.DirEntry;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.Vfs;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tree}: the operand, then its contents indented with box-drawing lines, symlinks as
 * "name -> target" (never descended), and a "N directories, M files" summary, as tree(1) draws
 * it (tree 2.1, C locale). Names in byte order; entries starting with '.' only with -a.
 */
final class TreeTool extends FsTool {
  private OptionSpec allOption;
  private OptionSpec maxDepthOption;
  private PositionalParamSpec operandsParam;

  boolean all;
  int maxDepth = Integer.MAX_VALUE;
  List<String> operands = List.of(".");

  @Override
  public String name() {
    return "tree";
  }

  @Override
  protected void declare(CommandSpec spec) {
    allOption = flag("include entries starting with '.'", "-a");
    maxDepthOption = OptionSpec.builder("-L")
        .paramLabel("LEVEL")
        .type(int.class)
        .initialValue(Integer.MAX_VALUE)
        .description("descend at most LEVEL levels")
        .build();
    operandsParam = operands(0);
    spec.addOption(allOption).addOption(maxDepthOption).addPositional(operandsParam);
  }

  @Override
  protected void configure(ParseResult parsed) {
    all = isSet(parsed, allOption);
    Integer level = maxDepthOption.getValue();
    maxDepth = level == null ? Integer.MAX_VALUE : level;
    operands = operandsOr(parsed, operandsParam, List.of("."));
  }

  /** tree(1) 2.x pads its vertical line with two no-break spaces. */
  private static final String CONTINUATION = "\u2502\u00a0\u00a0 ";

  private long directories;
  private long files;

  @Override
  public void run(Vfs vfs, FsContext ctx, ToolIo io) {
    if (maxDepth < 1) {
      throw usageError("Invalid level, must be greater than 0.");
    }
    for (String text : operands) {
      Location root;
      try {
        root = vfs.lookup(ctx, null, Directories.bytes(text), 0);
      } catch (ErrnoException e) {
        io.error(text, e.errno());
        continue;
      }
      io.write(Directories.bytes(text));
      if (root.isDirectory()) {
        io.newline();
        directories++; // tree(1) counts the directory it starts from
        walk(vfs, ctx, root, "", 1, io);
      } else {
        io.print(" [error opening dir]\n");
      }
    }
    io.print("\n" + directories + (directories == 1 ? " directory, " : " directories, ")
        + files + (files == 1 ? " file" : " files") + "\n");
  }

  private void walk(Vfs vfs, FsContext ctx, Location dir, String indent, int depth,
      ToolIo io) {
    List<DirEntry> shown = new ArrayList<>();
    Directories.Listing listing;
    try {
      listing = Directories.list(vfs, ctx, dir, new byte[] {'.'}, true);
    } catch (ErrnoException e) {
      io.print(indent + "[error opening dir]\n");
      return;
    }
    for (DirEntry e : listing.entries()) {
      byte[] name = e.name().bytes();
      if (Directories.isDotOrDotDot(name) || (!all && Directories.isHidden(name))) {
        continue;
      }
      shown.add(e);
    }
    for (int i = 0; i < shown.size(); i++) {
      boolean last = i == shown.size() - 1;
      byte[] name = shown.get(i).name().bytes();
      io.print(indent + (last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 "));
      io.write(name);
      Location child;
      try {
        child = vfs.lookup(ctx, listing.location(), name, Fcntl.AT_SYMLINK_NOFOLLOW);
      } catch (ErrnoException e) {
        io.print("  [" + e.errno().message() + "]\n");
        continue;
      }
      FileType type = child.stat().type();
      if (type == FileType.SYMLINK) {
        io.print(" -> ");
        io.write(vfs.readlink(ctx, listing.location(), name));
        io.newline();
        // tree(1) counts a link by what it leads to, without descending into it.
        if (leadsToDirectory(vfs, ctx, listing.location(), name)) {
          directories++;
        } else {
          files++;
        }
      } else if (type == FileType.DIRECTORY) {
        io.newline();
        directories++;
        if (depth < maxDepth) {
          walk(vfs, ctx, child, indent + (last ? "    " : CONTINUATION), depth + 1, io);
        }
      } else {
        io.newline();
        files++;
      }
    }
  }

  private static boolean leadsToDirectory(Vfs vfs, FsContext ctx, Location dir, byte[] name) {
    try {
      return vfs.lookup(ctx, dir, name, 0).isDirectory();
    } catch (ErrnoException e) {
      return false; // dangling
    }
  }
}
