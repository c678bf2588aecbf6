package dev.blinkchroot.runner.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.blinkchroot.runner.Fixtures;
import dev.blinkchroot.vfs.Stat;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** stat's format against GNU stat's output for the same files (stat-special-files.txt). */
class StatToolTest {
  private static final long MTIME = 1725622445L * 1_000_000_000L;
  private static final long CTIME = 1795247168L * 1_000_000_000L + 906258277L;
  private static final GuestAccounts HOST_ACCOUNTS = accounts(
      "root:x:0:0:root:/root:/bin/bash\ncloudsdk:x:1000:1000::/home/cloudsdk:/bin/sh\n",
      "root:x:0:\nnogroup:x:65534:\n");

  private static GuestAccounts accounts(String passwd, String group) {
    return new GuestAccountsForTest(passwd, group).accounts;
  }

  @Test
  void format_characterDevice_matchesGnuStat() {
    Stat nvme = new Stat(Stat.makedev(254, 0), 2149297, 020644, 1, 0, 0,
        Stat.makedev(259, 1048575), 0, 4096, 0, MTIME, MTIME, CTIME);
    List<String> expected = Fixtures.lines("stat-special-files.txt").subList(1, 7);
    assertEquals(String.join("\n", expected) + "\n Birth: -\n",
        StatTool.format(nvme, HOST_ACCOUNTS, ZoneOffset.UTC));
  }

  @Test
  void format_setgidFileWithNamedIds_matchesGnuStat() {
    Stat big = new Stat(Stat.makedev(254, 0), 2149329, 0102644, 1, 1000, 65534, 0, 123456,
        4096, 248, MTIME, MTIME, CTIME);
    List<String> expected = Fixtures.lines("stat-special-files.txt").subList(9, 15);
    assertEquals(String.join("\n", expected) + "\n Birth: -\n",
        StatTool.format(big, HOST_ACCOUNTS, ZoneOffset.UTC));
  }

  @Test
  void format_unknownIds_showUnknown() {
    Stat st = new Stat(1, 2, 0100600, 1, 4242, 4243, 0, 0, 4096, 0, 0, 0, 0);
    String text = StatTool.format(st, HOST_ACCOUNTS, ZoneOffset.UTC);
    assertEquals(true, text.contains("Uid: ( 4242/ UNKNOWN)   Gid: ( 4243/ UNKNOWN)"), text);
    assertEquals(true, text.contains("regular empty file"), text);
  }

  /** Builds accounts from text without a VFS. */
  private static final class GuestAccountsForTest {
    final GuestAccounts accounts;

    GuestAccountsForTest(String passwd, String group) {
      accounts = GuestAccounts.of(GuestAccounts.parse(passwd), GuestAccounts.parse(group));
    }
  }
}
