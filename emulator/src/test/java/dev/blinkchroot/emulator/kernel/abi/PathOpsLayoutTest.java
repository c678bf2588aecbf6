package dev.blinkchroot.emulator.kernel.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.calls.PathOpsSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure layouts of the path calls against the host's C headers: a small C program
 * built with gcc at test time prints sizeof/offsetof of every field, and each must equal the
 * constant the encoder uses. Fails (never skips) without gcc.
 */
class PathOpsLayoutTest {
  private static final String PROGRAM = String.join("\n",
      "#define _GNU_SOURCE",
      "#include <stdio.h>",
      "#include <stddef.h>",
      "#include <stdint.h>",
      "#include <fcntl.h>",
      "#include <sys/stat.h>",
      "#include <sys/statfs.h>",
      "#include <sys/time.h>",
      "#include <time.h>",
      "#include <linux/stat.h>",
      "/* as getdents(2) defines it */",
      "struct linux_dirent64 { uint64_t d_ino; int64_t d_off; unsigned short d_reclen;",
      "  unsigned char d_type; char d_name[]; };",
      "#define O(s, f) printf(#s \".\" #f \" %zu\\n\", offsetof(struct s, f))",
      "#define S(s) printf(#s \" %zu\\n\", sizeof(struct s))",
      "#define C(c) printf(#c \" %lu\\n\", (unsigned long) (c))",
      "int main(void) {",
      "  S(stat); S(statx); S(statfs); S(linux_dirent64); S(timespec); S(timeval);",
      "  O(stat, st_dev); O(stat, st_ino); O(stat, st_nlink); O(stat, st_mode); O(stat, st_uid);",
      "  O(stat, st_gid); O(stat, st_rdev); O(stat, st_size); O(stat, st_blksize);",
      "  O(stat, st_blocks); O(stat, st_atim); O(stat, st_mtim); O(stat, st_ctim);",
      "  O(statx, stx_mask); O(statx, stx_blksize); O(statx, stx_attributes);",
      "  O(statx, stx_nlink); O(statx, stx_uid); O(statx, stx_gid); O(statx, stx_mode);",
      "  O(statx, stx_ino); O(statx, stx_size); O(statx, stx_blocks);",
      "  O(statx, stx_attributes_mask); O(statx, stx_atime); O(statx, stx_btime);",
      "  O(statx, stx_ctime); O(statx, stx_mtime); O(statx, stx_rdev_major);",
      "  O(statx, stx_rdev_minor); O(statx, stx_dev_major); O(statx, stx_dev_minor);",
      "  O(statx, stx_mnt_id);",
      "  O(statfs, f_type); O(statfs, f_bsize); O(statfs, f_blocks); O(statfs, f_bfree);",
      "  O(statfs, f_bavail); O(statfs, f_files); O(statfs, f_ffree); O(statfs, f_fsid);",
      "  O(statfs, f_namelen); O(statfs, f_frsize); O(statfs, f_flags);",
      "  O(linux_dirent64, d_ino); O(linux_dirent64, d_off); O(linux_dirent64, d_reclen);",
      "  O(linux_dirent64, d_type); O(linux_dirent64, d_name);",
      "  C(STATX_BASIC_STATS); C(STATX_BTIME); C(STATX_MNT_ID); C(STATX__RESERVED);",
      "  C(STATX_ATTR_MOUNT_ROOT); C(STATX_ATTR_AUTOMOUNT); C(AT_STATX_SYNC_TYPE);",
      "  C(AT_STATX_FORCE_SYNC); C(AT_STATX_DONT_SYNC); C(AT_EMPTY_PATH); C(AT_NO_AUTOMOUNT);",
      "  C(AT_SYMLINK_NOFOLLOW); C(AT_SYMLINK_FOLLOW); C(AT_REMOVEDIR); C(AT_EACCESS);",
      "  C(RENAME_NOREPLACE); C(RENAME_EXCHANGE); C(RENAME_WHITEOUT);",
      "  C(UTIME_NOW); C(UTIME_OMIT);",
      "  return 0;",
      "}",
      "");

  private static Map<String, Long> host;

  @BeforeAll
  static void compileAndRun(@TempDir Path dir) throws IOException, InterruptedException {
    Path source = dir.resolve("layout.c");
    Files.writeString(source, PROGRAM);
    Path exe = dir.resolve("layout");
    // gcc -o layout layout.c && ./layout
    run(List.of("gcc", "-o", exe.toString(), source.toString()));
    String out = run(List.of(exe.toString()));
    host = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] parts = line.trim().split(" ");
      host.put(parts[0], Long.parseLong(parts[1]));
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + " (gcc is required): " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), command + " failed:\n" + out);
    return out;
  }

  private static void check(String name, long ours) {
    Long theirs = host.get(name);
    assertNotNull(theirs, name + " not printed");
    assertEquals(theirs.longValue(), ours, name);
  }

  @Test
  void structStat_matchesSysStatH() {
    check("stat", StatLayout.STAT_SIZE);
    check("stat.st_dev", StatLayout.ST_DEV);
    check("stat.st_ino", StatLayout.ST_INO);
    check("stat.st_nlink", StatLayout.ST_NLINK);
    check("stat.st_mode", StatLayout.ST_MODE);
    check("stat.st_uid", StatLayout.ST_UID);
    check("stat.st_gid", StatLayout.ST_GID);
    check("stat.st_rdev", StatLayout.ST_RDEV);
    check("stat.st_size", StatLayout.ST_SIZE);
    check("stat.st_blksize", StatLayout.ST_BLKSIZE);
    check("stat.st_blocks", StatLayout.ST_BLOCKS);
    check("stat.st_atim", StatLayout.ST_ATIM);
    check("stat.st_mtim", StatLayout.ST_MTIM);
    check("stat.st_ctim", StatLayout.ST_CTIM);
    check("timespec", StatLayout.TIMESPEC_SIZE);
    check("timeval", StatLayout.TIMEVAL_SIZE);
  }

  @Test
  void structStatx_matchesLinuxStatH() {
    check("statx", StatLayout.STATX_SIZE);
    check("statx.stx_mask", StatLayout.STX_MASK);
    check("statx.stx_blksize", StatLayout.STX_BLKSIZE);
    check("statx.stx_attributes", StatLayout.STX_ATTRIBUTES);
    check("statx.stx_nlink", StatLayout.STX_NLINK);
    check("statx.stx_uid", StatLayout.STX_UID);
    check("statx.stx_gid", StatLayout.STX_GID);
    check("statx.stx_mode", StatLayout.STX_MODE);
    check("statx.stx_ino", StatLayout.STX_INO);
    check("statx.stx_size", StatLayout.STX_SIZE);
    check("statx.stx_blocks", StatLayout.STX_BLOCKS);
    check("statx.stx_attributes_mask", StatLayout.STX_ATTRIBUTES_MASK);
    check("statx.stx_atime", StatLayout.STX_ATIME);
    check("statx.stx_btime", StatLayout.STX_BTIME);
    check("statx.stx_ctime", StatLayout.STX_CTIME);
    check("statx.stx_mtime", StatLayout.STX_MTIME);
    check("statx.stx_rdev_major", StatLayout.STX_RDEV_MAJOR);
    check("statx.stx_rdev_minor", StatLayout.STX_RDEV_MINOR);
    check("statx.stx_dev_major", StatLayout.STX_DEV_MAJOR);
    check("statx.stx_dev_minor", StatLayout.STX_DEV_MINOR);
    check("statx.stx_mnt_id", StatLayout.STX_MNT_ID);
    check("STATX_BASIC_STATS", StatLayout.STATX_BASIC_STATS);
    check("STATX_BTIME", StatLayout.STATX_BTIME);
    check("STATX_MNT_ID", StatLayout.STATX_MNT_ID);
    check("STATX__RESERVED", StatLayout.STATX__RESERVED & 0xffffffffL);
    check("STATX_ATTR_MOUNT_ROOT", StatLayout.STATX_ATTR_MOUNT_ROOT);
    check("STATX_ATTR_AUTOMOUNT", StatLayout.STATX_ATTR_AUTOMOUNT);
  }

  @Test
  void structStatfs_matchesSysStatfsH() {
    check("statfs", StatLayout.STATFS_SIZE);
    check("statfs.f_type", StatLayout.F_TYPE);
    check("statfs.f_bsize", StatLayout.F_BSIZE);
    check("statfs.f_blocks", StatLayout.F_BLOCKS);
    check("statfs.f_bfree", StatLayout.F_BFREE);
    check("statfs.f_bavail", StatLayout.F_BAVAIL);
    check("statfs.f_files", StatLayout.F_FILES);
    check("statfs.f_ffree", StatLayout.F_FFREE);
    check("statfs.f_fsid", StatLayout.F_FSID);
    check("statfs.f_namelen", StatLayout.F_NAMELEN);
    check("statfs.f_frsize", StatLayout.F_FRSIZE);
    check("statfs.f_flags", StatLayout.F_FLAGS);
  }

  @Test
  void linuxDirent64_matchesTheManPageDefinition() {
    check("linux_dirent64.d_ino", DirentWriter.D_INO);
    check("linux_dirent64.d_off", DirentWriter.D_OFF);
    check("linux_dirent64.d_reclen", DirentWriter.D_RECLEN);
    check("linux_dirent64.d_type", DirentWriter.D_TYPE);
    check("linux_dirent64.d_name", DirentWriter.D_NAME);
    // The fixed part rounded up: the smallest record.
    check("linux_dirent64", DirentWriter.recordLength(0));
  }

  @Test
  void flagConstants_matchFcntlH() {
    check("AT_STATX_SYNC_TYPE", PathOpsSyscalls.AT_STATX_SYNC_TYPE);
    check("AT_STATX_FORCE_SYNC", PathOpsSyscalls.AT_STATX_FORCE_SYNC);
    check("AT_STATX_DONT_SYNC", PathOpsSyscalls.AT_STATX_DONT_SYNC);
    check("AT_EMPTY_PATH", dev.blinkchroot.vfs.Fcntl.AT_EMPTY_PATH);
    check("AT_NO_AUTOMOUNT", dev.blinkchroot.vfs.Fcntl.AT_NO_AUTOMOUNT);
    check("AT_SYMLINK_NOFOLLOW", dev.blinkchroot.vfs.Fcntl.AT_SYMLINK_NOFOLLOW);
    check("AT_SYMLINK_FOLLOW", dev.blinkchroot.vfs.Fcntl.AT_SYMLINK_FOLLOW);
    check("AT_REMOVEDIR", dev.blinkchroot.vfs.Fcntl.AT_REMOVEDIR);
    check("AT_EACCESS", dev.blinkchroot.vfs.Fcntl.AT_EACCESS);
    check("RENAME_NOREPLACE", PathOpsSyscalls.RENAME_NOREPLACE);
    check("RENAME_EXCHANGE", PathOpsSyscalls.RENAME_EXCHANGE);
    check("RENAME_WHITEOUT", PathOpsSyscalls.RENAME_WHITEOUT);
    check("UTIME_NOW", dev.blinkchroot.vfs.Fcntl.UTIME_NOW);
    check("UTIME_OMIT", dev.blinkchroot.vfs.Fcntl.UTIME_OMIT);
  }
}
