package dev.blinkchroot.runner.fs;

import dev.blinkchroot.vfs.FsContext;
import dev.blinkchroot.vfs.Vfs;

/**
 * One {@code blink-chroot fs} tool. Subclasses carry picocli annotations for their own options
 * and operands, which are parsed before {@link #run}. A failing operand is reported through
 * {@link ToolIo#error} and the tool goes on with the next, as the Linux tools do.
 */
public abstract class FsTool {
  public abstract void run(Vfs vfs, FsContext ctx, ToolIo io);
}
