package dev.blinkchroot.emulator.kernel.calls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.kernel.dev.Devices;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.fd.FileDescription;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.proc.MagicLinks;
import dev.blinkchroot.emulator.kernel.signal.SignalActions;
import dev.blinkchroot.emulator.kernel.sync.WaitQueue;
import dev.blinkchroot.emulator.kernel.sync.Waiter;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.testing.SyntheticFsFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Fcntl;
import dev.blinkchroot.vfs.FileType;
import dev.blinkchroot.vfs.Location;
import dev.blinkchroot.vfs.OpenFile;
import dev.blinkchroot.vfs.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /proc per process: self, the links, fd/fdinfo, maps, stat, status, statm, cmdline, mounts. */
class ProcFsTest {
  private final SyntheticFsFixture f = new SyntheticFsFixture();

  private static void assertErrno(Errno expected, Runnable r) {
    ErrnoException e = assertThrows(ErrnoException.class, r::run);
    assertEquals(expected, e.errno());
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The output of a command run natively on this Linux host. */
  static String nativeOutput(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  // ------------------------------------------------------------------ self and the links

  @Test
  void self_dependsOnTheCallingTask() {
    Task other = f.spawn(7, 1);
    assertEquals("1", f.readlink("/proc/self"));
    assertEquals("7", f.readlink(other, "/proc/self"));
    assertEquals("1/task/1", f.readlink("/proc/thread-self"));
    assertEquals("7/task/7", f.readlink(other, "/proc/thread-self"));
    // Through the link, each reads its own status.
    assertTrue(f.read("/proc/self/status").contains("\nPid:\t1\n"));
    String otherStatus = new String(f.readBytes(other, "/proc/self/status"),
        StandardCharsets.ISO_8859_1);
    assertTrue(otherStatus.contains("\nPid:\t7\n"), otherStatus);
    assertTrue(otherStatus.contains("\nPPid:\t1\n"));
    assertTrue(otherStatus.contains("\nUid:\t1000\t1000\t1000\t1000\n"));
    assertTrue(otherStatus.contains("\nGroups:\t1000 10 \n"));
  }

  @Test
  void self_outsideASystemCall_isEnoent() {
    assertErrno(Errno.ENOENT, () -> f.k.vfs.readlink(f.k.process.fs(), null, b("/proc/self")));
  }

  @Test
  void exeCwdRoot_followTheProcess() {
    f.k.process.recordExec(b("/bin/busybox"), List.of(b("ls")), List.of(), new long[0]);
    assertEquals("/bin/busybox", f.readlink("/proc/self/exe"));
    assertEquals("/", f.readlink("/proc/1/cwd"));
    assertEquals("/", f.readlink("/proc/1/root"));
    f.asInit(() -> {
      f.k.vfs.chdir(f.k.process.fs(), null, b("/dev/shm"));
      return null;
    });
    assertEquals("/dev/shm", f.readlink("/proc/self/cwd"));
    // Following cwd lands in the directory itself.
    assertEquals(f.stat("/dev/shm").ino(), f.stat("/proc/self/cwd").ino());
  }

  @Test
  void exe_beforeAnyExec_isEnoent() {
    assertErrno(Errno.ENOENT, () -> f.readlink("/proc/self/exe"));
  }

  @Test
  void readlinkSyscall_onProcSelfExe_whenImplemented() {
    f.k.process.recordExec(b("/usr/bin/env"), List.of(b("env")), List.of(), new long[0]);
    long buf = f.k.alloc(256);
    long r = f.k.call("readlink", f.k.string("/proc/self/exe"), buf, 256);
    assertTrue(r != -Errno.ENOSYS.number(), "readlink is not implemented yet");
    assertEquals(12, r);
    assertEquals("/usr/bin/env", new String(f.k.read(buf, 12), StandardCharsets.US_ASCII));
  }

  // ------------------------------------------------------------------ listing and lifetime

  @Test
  void root_listsFixedFilesThenOneDirectoryPerProcess() {
    f.spawn(42, 1);
    List<String> names = f.list("/proc");
    assertTrue(names.containsAll(List.of("self", "thread-self", "cpuinfo", "meminfo", "uptime",
        "loadavg", "stat", "version", "filesystems", "mounts", "sys", "1", "42")),
        names.toString());
    assertTrue(names.indexOf("1") < names.indexOf("42"));
    assertEquals(FileType.DIRECTORY, f.stat("/proc/42").type());
    assertEquals(1000, f.stat("/proc/42").uid());
    assertEquals(0, f.stat("/proc/1").uid());
    assertTrue(f.list("/proc/1").containsAll(List.of("cmdline", "comm", "cwd", "environ", "exe",
        "fd", "fdinfo", "maps", "mountinfo", "mounts", "root", "smaps", "stat", "statm",
        "status", "task")));
  }

  @Test
  void processDirectory_goesAwayWithTheProcess_andAReusedPidShowsTheNewOne() {
    Task t = f.spawn(9, 1);
    assertEquals(1000, f.stat("/proc/9/status").uid());
    f.k.kernel.pids().remove(t.process());
    assertErrno(Errno.ENOENT, () -> f.stat("/proc/9"));
    assertFalse(f.list("/proc").contains("9"));
    Identity rootId = new Identity(0, 0, new int[0]);
    f.k.kernel.registerProcess(new GuestProcess(9, f.k.process, AddressSpace.create(), new FdTable(),
        f.k.vfs.newContext(rootId.credentials()), rootId));
    assertEquals(0, f.stat("/proc/9/status").uid());
    assertTrue(t.process().pid() == 9);
  }

  @Test
  void task_listsTheThreads() {
    assertEquals(List.of("1"), f.list("/proc/self/task"));
    assertTrue(f.read("/proc/self/task/1/stat").startsWith("1 ("));
  }

  @Test
  void files_reportSizeZero_andCannotBeWrittenOrRemoved() {
    Stat st = f.stat("/proc/cpuinfo");
    assertEquals(0, st.size());
    assertEquals(0100444, st.mode());
    OpenFile w = f.open("/proc/cpuinfo", Fcntl.O_WRONLY);
    assertErrno(Errno.EIO, () -> w.write(ByteBuffer.wrap(b("x"))));
    w.close();
    assertErrno(Errno.ENOENT, () -> f.open("/proc/newfile", Fcntl.O_CREAT | Fcntl.O_WRONLY));
    assertErrno(Errno.EPERM, () -> f.asInit(() -> {
      f.k.vfs.unlink(f.k.process.fs(), null, b("/proc/cpuinfo"), 0);
      return null;
    }));
    assertErrno(Errno.EPERM, () -> f.asInit(() -> {
      f.k.vfs.chmod(f.k.process.fs(), null, b("/proc/cpuinfo"), 0666, 0);
      return null;
    }));
  }

  // ------------------------------------------------------------------ fd and fdinfo

  /** A description with a given location (a directory, as opening one gives) or /proc link. */
  private static final class StubDescription implements FileDescription {
    private final Location at;
    private final String link;

    StubDescription(Location at, String link) {
      this.at = at;
      this.link = link;
    }

    @Override
    public int read(ByteBuffer dst) {
      return 0;
    }

    @Override
    public int write(ByteBuffer src) {
      return 0;
    }

    @Override
    public Stat stat() {
      return new Stat(0, 4242, 010600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public int flags() {
      return Fcntl.O_RDWR;
    }

    @Override
    public void setStatusFlags(int flags) {}

    @Override
    public Location location() {
      return at;
    }

    @Override
    public String procLink() {
      return link;
    }

    @Override
    public void close() {}
  }

  @Test
  void fd_linksNameWhatEachDescriptorIs() {
    OpenFile nullFile = f.open("/dev/null", Fcntl.O_WRONLY);
    int nullFd = f.k.process.fds().add(Devices.open(f.k.task, nullFile,
        nullFile.stat().rdev(), Fcntl.O_WRONLY), true);
    Location tmp = f.asInit(() -> f.k.vfs.lookup(f.k.process.fs(), null, b("/tmp"), 0));
    int dirFd = f.k.process.fds().add(new StubDescription(tmp, null), false);
    int pipeFd = f.k.process.fds().add(new StubDescription(null, "pipe:[4242]"), false);
    assertEquals(List.of("0", "1", "2", "" + nullFd, "" + dirFd, "" + pipeFd),
        f.list("/proc/self/fd"));
    assertEquals("/dev/null", f.readlink("/proc/self/fd/" + nullFd));
    assertEquals("/tmp", f.readlink("/proc/self/fd/" + dirFd));
    assertEquals("pipe:[4242]", f.readlink("/proc/self/fd/" + pipeFd));
    // lr-x------ / l-wx------ / lrwx------ by access mode.
    assertEquals(0120300, f.lstat("/proc/self/fd/" + nullFd).mode());
    assertEquals(0120700, f.lstat("/proc/self/fd/" + pipeFd).mode());
    assertEquals(040500, f.stat("/proc/self/fd").mode());
    // The /dev/fd link reaches the same directory.
    assertTrue(f.list("/dev/fd/").contains("" + pipeFd));

    String info = f.read("/proc/self/fdinfo/" + nullFd);
    Matcher m = Pattern.compile("pos:\t0\nflags:\t0(\\d+)\nmnt_id:\t(\\d+)\nino:\t(\\d+)\n")
        .matcher(info);
    assertTrue(m.matches(), info);
    assertEquals(Fcntl.O_WRONLY | Fcntl.O_CLOEXEC, Integer.parseInt(m.group(1), 8));
    assertEquals(f.stat("/dev/null").ino(), Long.parseLong(m.group(3)));

    // A closed descriptor disappears; a reused number shows the new description.
    f.k.process.fds().close(pipeFd);
    assertErrno(Errno.ENOENT, () -> f.readlink("/proc/self/fd/" + pipeFd));
    f.k.process.fds().add(new StubDescription(tmp, null), false);
    assertEquals("/tmp", f.readlink("/proc/self/fd/" + pipeFd));
  }

  @Test
  void open_ofAPipesFdLink_opensThePipeAnew_withTheModeAsked() {
    var k = f.k;
    long fds = k.alloc(8);
    assertEquals(0, k.call("pipe", fds));
    int r = k.process.memory().read32(fds);
    int w = k.process.memory().read32(fds + 4);
    long path = k.string("/dev/fd/" + r);
    int writer = f.asInit(() -> k.call("open", path, Fcntl.O_WRONLY, 0)).intValue();
    assertTrue(writer > w, "a new descriptor: " + writer);
    assertEquals(3, k.call("write", writer, k.string("abc"), 3));
    assertEquals(0, k.call("close", writer));
    assertEquals(0, k.call("close", w));
    long buf = k.alloc(8);
    assertEquals(3, k.call("read", r, buf, 8));
    assertEquals(0, k.call("read", r, buf, 8), "end of file: every write end is closed");
  }

  @Test
  void open_ofAStreamsFdLink_sharesIt_andSurvivesTheOriginalsClose() {
    var k = f.k;
    int fd = f.asInit(() -> k.call("open", k.string("/proc/self/fd/1"), Fcntl.O_WRONLY, 0))
        .intValue();
    assertEquals(0, k.call("close", 1));
    assertEquals(2, k.call("write", fd, k.string("hi"), 2));
    assertEquals("hi", k.stdout.written.toString(StandardCharsets.UTF_8));
    assertEquals(GuestStructs.err(Errno.ENOENT),
        f.asInit(() -> k.call("open", k.string("/dev/fd/1"), Fcntl.O_WRONLY, 0)));
  }

  @Test
  void magicLinks_reachTheDescriptionBehindDevStdinAndProcSelfFd() {
    var vfs = f.k.vfs;
    var ctx = f.k.process.fs();
    assertTrue(f.asInit(() -> MagicLinks.descriptionAt(vfs,
        ctx, null, b("/dev/stdin"))) == f.k.stdin);
    assertTrue(f.asInit(() -> MagicLinks.descriptionAt(vfs,
        ctx, null, b("/proc/self/fd/1"))) == f.k.stdout);
    assertTrue(f.asInit(() -> MagicLinks.descriptionAt(vfs,
        ctx, null, b("/dev/fd/2"))) == f.k.stderr);
    Location devDir = f.asInit(() -> vfs.lookup(ctx, null, b("/dev"), 0));
    assertTrue(f.asInit(() -> MagicLinks.descriptionAt(vfs,
        ctx, devDir, b("stderr"))) == f.k.stderr);
    // Anything else is for the normal open.
    assertEquals(null, f.asInit(() -> MagicLinks.descriptionAt(vfs, ctx, null, b("/dev/null"))));
    assertEquals(null, f.asInit(() -> MagicLinks.descriptionAt(vfs, ctx, null, b("/dev/fd"))));
    f.k.process.fds().close(0);
    assertEquals(null, f.asInit(() -> MagicLinks.descriptionAt(vfs, ctx, null, b("/dev/stdin"))));
  }

  @Test
  void fdinfo_matchesTheNativeLayout() throws Exception {
    String nativeInfo = nativeOutput("cat", "/proc/self/fdinfo/0");
    List<String> keys = new ArrayList<>();
    for (String line : nativeInfo.split("\n")) {
      keys.add(line.substring(0, line.indexOf(':')));
    }
    String ours = f.read("/proc/self/fdinfo/1");
    List<String> ourKeys = new ArrayList<>();
    for (String line : ours.split("\n")) {
      ourKeys.add(line.substring(0, line.indexOf(':')));
      assertTrue(line.matches("[a-z_]+:\t\\d+"), line);
    }
    assertEquals(keys.subList(0, ourKeys.size()), ourKeys);
  }

  // ------------------------------------------------------------------ maps and smaps

  private static final long EXE = 0x400000L;

  private void mapAProgram() {
    GuestMemory m = f.k.process.memory();
    m.map(EXE, 0x1000, GuestMemory.PROT_READ);
    m.map(EXE + 0x1000, 0x2000, GuestMemory.PROT_READ | GuestMemory.PROT_EXEC);
    m.map(EXE + 0x3000, 0x1000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    long dev = Stat.makedev(0xfe, 0);
    f.k.process.fileMappings().add(EXE, EXE + 0x4000, 0, b("/bin/busybox"), dev, 260131);
    m.map(0x7fff_f000_0000L, 0x21000, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE);
    f.k.process.fileMappings().add(0x7fff_f000_0000L, 0x7fff_f002_1000L, 0, b("[stack]"), 0, 0);
    f.k.process.recordExec(b("/bin/busybox"), List.of(b("busybox"), b("ps")),
        List.of(b("PATH=/bin")), new long[] {6, 4096, 0, 0});
  }

  @Test
  void maps_splitsRangesByNameAndProtection_inLinuxFormat() {
    mapAProgram();
    String maps = f.read("/proc/self/maps");
    String pad = " ".repeat(73 - "00400000-00401000 r--p 00000000 fe:00 260131 ".length());
    assertEquals(String.join("\n",
        "00400000-00401000 r--p 00000000 fe:00 260131 " + pad + "/bin/busybox",
        "00401000-00403000 r-xp 00001000 fe:00 260131 " + pad + "/bin/busybox",
        "00403000-00404000 rw-p 00003000 fe:00 260131 " + pad + "/bin/busybox",
        "10000000-10100000 rw-p 00000000 00:00 0 ",
        "7ffff0000000-7ffff0021000 rw-p 00000000 00:00 0"
            + " ".repeat(73 - "7ffff0000000-7ffff0021000 rw-p 00000000 00:00 0".length())
            + "[stack]",
        ""), maps);
  }

  /** One maps line: address range, perms, offset, dev, inode, then padding and the name. */
  private static final Pattern MAPS_LINE = Pattern.compile(
      "([0-9a-f]{8,})-([0-9a-f]{8,}) [r-][w-][x-][ps] [0-9a-f]{8,} [0-9a-f]{2,}:[0-9a-f]{2,} \\d+ "
          + "( *)(\\S.*)?");

  /** The column names start at, from a sample: where a short prefix is padded to. */
  private static int nameColumn(String maps) {
    int column = -1;
    for (String line : maps.split("\n")) {
      Matcher m = MAPS_LINE.matcher(line);
      assertTrue(m.matches(), line);
      if (m.group(4) != null && m.start(3) < 72) {
        int c = m.start(4);
        assertTrue(column == -1 || column == c, "one column in " + maps);
        column = c;
      }
    }
    return column;
  }

  @Test
  void maps_columnsMatchARealProcSelfMaps() throws Exception {
    mapAProgram();
    String nativeMaps = nativeOutput("cat", "/proc/self/maps");
    int nativeColumn = nameColumn(nativeMaps);
    assertEquals(73, nativeColumn, "this kernel's name column");
    String ours = f.read("/proc/self/maps");
    assertEquals(nativeColumn, nameColumn(ours));
    // Unnamed lines end in the inode and one space, as Linux prints them.
    for (String line : nativeMaps.split("\n")) {
      if (line.matches(".* 0 $")) {
        assertTrue(ours.contains(" 00:00 0 \n"));
      }
    }
  }

  @Test
  void smaps_givesEachMappingItsSizes() {
    mapAProgram();
    String smaps = f.read("/proc/self/smaps");
    assertTrue(smaps.contains("00401000-00403000 r-xp 00001000 fe:00 260131"));
    assertTrue(smaps.contains("\nSize:                  8 kB\nKernelPageSize:        4 kB\n"),
        smaps);
    assertTrue(smaps.contains("\nVmFlags: rd ex mr mw me \n"), smaps);
    int headers = 0;
    for (String line : smaps.split("\n")) {
      if (MAPS_LINE.matcher(line).matches()) {
        headers++;
      } else {
        assertTrue(line.matches("[A-Za-z_]+:\\s+\\d+ kB|THPeligible:\\s+\\d|VmFlags:( \\w\\w)* ")
            || line.isEmpty(), line);
      }
    }
    assertEquals(5, headers);
  }

  // ------------------------------------------------------------------ stat, statm, status

  /** The fields of a stat line: the comm (which may hold spaces) kept whole. */
  static List<String> statFields(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    List<String> fields = new ArrayList<>();
    fields.add(stat.substring(0, open).trim());
    fields.add(stat.substring(open, close + 1));
    for (String s : stat.substring(close + 1).trim().split(" ")) {
      fields.add(s);
    }
    return fields;
  }

  @Test
  void stat_has52FieldsInProcPidStatOrder_likeTheNativeOne() throws Exception {
    mapAProgram();
    List<String> nativeFields = statFields(nativeOutput("cat", "/proc/self/stat").trim());
    String ours = f.read("/proc/self/stat");
    assertTrue(ours.endsWith("\n"));
    List<String> fields = statFields(ours.trim());
    assertEquals(nativeFields.size(), fields.size());
    assertEquals(52, fields.size());
    assertEquals("1", fields.get(0));
    assertEquals("(busybox)", fields.get(1));
    assertEquals("R", fields.get(2));
    assertEquals("0", fields.get(3)); // ppid
    assertEquals(nativeFields.get(24), fields.get(24)); // rsslim: RLIM_INFINITY
    assertEquals("17", fields.get(37)); // exit_signal SIGCHLD, as natively
    assertEquals(nativeFields.get(37), fields.get(37));
    long vsize = Long.parseLong(fields.get(22));
    assertEquals(0x4000 + 0x100000 + 0x21000, vsize);
    assertEquals(vsize / 4096, Long.parseLong(fields.get(23))); // rss in pages
    assertEquals(EXE + 0x1000, Long.parseLong(fields.get(25))); // startcode
    assertEquals(EXE + 0x3000, Long.parseLong(fields.get(26))); // endcode
    for (String field : fields.subList(3, 52)) {
      assertTrue(field.matches("-?\\d+"), field);
    }
    // Another process sees pid 1 running, and sleeping while it blocks.
    Task other = f.spawn(5, 1);
    String seen = new String(f.readBytes(other, "/proc/1/stat"), StandardCharsets.ISO_8859_1);
    assertEquals("R", statFields(seen.trim()).get(2));
    Waiter w = f.k.task.waiter();
    Thread blocked = new Thread(() -> w.await(new WaitQueue[0], new int[0], Waiter.FOREVER,
        () -> false));
    blocked.start();
    while (!w.waiting()) {
      Thread.onSpinWait();
    }
    seen = new String(f.readBytes(other, "/proc/1/stat"), StandardCharsets.ISO_8859_1);
    assertEquals("S", statFields(seen.trim()).get(2));
    w.interrupt();
    blocked.join();
    w.clearInterrupt();
  }

  @Test
  void statm_hasSevenPageCounts() {
    mapAProgram();
    String statm = f.read("/proc/self/statm");
    assertTrue(statm.matches("\\d+ \\d+ \\d+ \\d+ 0 \\d+ 0\n"), statm);
    String[] v = statm.trim().split(" ");
    assertEquals((0x4000 + 0x100000 + 0x21000) / 4096, Integer.parseInt(v[0]));
    assertEquals(2, Integer.parseInt(v[3])); // text: the exe's r-x pages
  }

  @Test
  void status_keysAppearInTheNativeOrder() throws Exception {
    String nativeStatus = nativeOutput("cat", "/proc/self/status");
    List<String> nativeKeys = new ArrayList<>();
    for (String line : nativeStatus.split("\n")) {
      nativeKeys.add(line.substring(0, line.indexOf(':')));
    }
    f.k.process.signalActions().setAction(13, new SignalActions.Action(SignalActions.SIG_IGN, 0, 0, 0));
    f.k.process.signalActions().setAction(2, new SignalActions.Action(0x401000, 0, 0, 0));
    f.k.task.setSignalMask(1L << 9);
    String status = f.read("/proc/self/status");
    int last = -1;
    for (String line : status.split("\n")) {
      assertTrue(line.matches("[A-Za-z_]+:\t.*"), line);
      String key = line.substring(0, line.indexOf(':'));
      int at = nativeKeys.indexOf(key);
      assertTrue(at > last, key + " out of Linux's order (or unknown to it)");
      last = at;
    }
    for (String required : List.of("Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid",
        "TracerPid", "Uid", "Gid", "FDSize", "Groups", "VmPeak", "VmSize", "VmRSS", "Threads",
        "SigQ", "SigPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd",
        "CapAmb", "Seccomp", "voluntary_ctxt_switches")) {
      assertTrue(status.contains("\n" + required + ":\t") || status.startsWith(required + ":"),
          required);
    }
    assertTrue(status.contains("\nUmask:\t0022\n"));
    assertTrue(status.contains("\nState:\tR (running)\n"));
    assertTrue(status.contains("\nSigIgn:\t0000000000001000\n"), status);
    assertTrue(status.contains("\nSigCgt:\t0000000000000002\n"));
    assertTrue(status.contains("\nSigBlk:\t0000000000000200\n"));
    assertTrue(status.contains("\nCapEff:\t000001ffffffffff\n"));
    assertTrue(status.contains("\nThreads:\t1\n"));
    assertTrue(status.matches("(?s).*\nVmSize:\t +\\d+ kB\n.*"));
  }

  // ------------------------------------------------------------------ cmdline, environ, comm

  @Test
  void cmdlineEnvironComm_comeFromExec() {
    mapAProgram();
    assertArrayEquals(b("busybox\0ps\0"), f.readBytes(f.k.task, "/proc/self/cmdline"));
    assertArrayEquals(b("PATH=/bin\0"), f.readBytes(f.k.task, "/proc/self/environ"));
    assertEquals("busybox\n", f.read("/proc/self/comm"));
    byte[] auxv = f.readBytes(f.k.task, "/proc/self/auxv");
    assertEquals(32, auxv.length);
    assertEquals(6, auxv[0]);
  }

  @Test
  void comm_isWritable_likePrSetName() {
    OpenFile w = f.open("/proc/self/comm", Fcntl.O_WRONLY | Fcntl.O_TRUNC);
    w.write(ByteBuffer.wrap(b("a-rather-long-thread-name\n")));
    w.close();
    assertEquals("a-rather-long-t\n", f.read("/proc/self/comm"));
    assertTrue(f.read("/proc/self/stat").startsWith("1 (a-rather-long-t) R "));
  }

  // ------------------------------------------------------------------ mounts

  @Test
  void mounts_listEveryMountFromTheProcessRoot() {
    String mounts = f.read("/proc/mounts");
    assertEquals(String.join("\n",
        "test / tmpfs rw,relatime 0 0",
        "proc /proc proc rw,relatime 0 0",
        "devtmpfs /dev devtmpfs rw,relatime 0 0",
        "tmpfs /dev/shm tmpfs rw,relatime 0 0",
        "devpts /dev/pts devpts rw,relatime 0 0",
        "sysfs /sys sysfs rw,relatime 0 0",
        "tmpfs /tmp tmpfs rw,relatime 0 0",
        ""), mounts);
    assertEquals(mounts, f.read("/proc/self/mounts"));
  }

  @Test
  void mountinfo_hasLinuxsFieldsAndParents() {
    String info = f.read("/proc/self/mountinfo");
    Pattern line = Pattern.compile("(\\d+) (\\d+) (\\d+):(\\d+) / (\\S+) (\\S+) - (\\S+) (\\S+) "
        + "(rw|ro)");
    java.util.Map<String, String[]> byPoint = new java.util.HashMap<>();
    for (String l : info.split("\n")) {
      Matcher m = line.matcher(l);
      assertTrue(m.matches(), l);
      byPoint.put(m.group(5), new String[] {m.group(1), m.group(2), m.group(7)});
    }
    assertEquals(7, byPoint.size());
    assertEquals(byPoint.get("/dev")[0], byPoint.get("/dev/shm")[1]);
    assertEquals(byPoint.get("/")[0], byPoint.get("/proc")[1]);
    assertEquals("devtmpfs", byPoint.get("/dev")[2]);
    assertEquals("sysfs", byPoint.get("/sys")[2]);
  }
}
