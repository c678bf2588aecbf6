package dev.blinkchroot.runner.fs;

import java.util.List;

/** The tools of {@code blink-chroot fs}, by name. */
public final class FsTools {
  public static final List<String> NAMES =
      List.of("ls", "stat", "cat", "readlink", "realpath", "tree");

  private FsTools() {}

  /** A fresh tool, or null if there is none of that name. */
  public static FsTool create(String name) {
    switch (name) {
      case "ls": return new LsTool();
      case "stat": return new StatTool();
      case "cat": return new CatTool();
      case "readlink": return new ReadlinkTool();
      case "realpath": return new RealpathTool();
      case "tree": return new TreeTool();
      default: return null;
    }
  }
}
