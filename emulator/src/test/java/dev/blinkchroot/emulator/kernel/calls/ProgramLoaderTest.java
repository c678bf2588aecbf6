package dev.blinkchroot.emulator.kernel.calls;

import static dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.blinkchroot.emulator.cpu.Cpu;
import dev.blinkchroot.emulator.kernel.Kernel;
import dev.blinkchroot.emulator.kernel.KernelConfig;
import dev.blinkchroot.emulator.kernel.fd.FdTable;
import dev.blinkchroot.emulator.kernel.loader.InitialStack;
import dev.blinkchroot.emulator.kernel.loader.ProgramLoader;
import dev.blinkchroot.emulator.kernel.mm.AddressSpace;
import dev.blinkchroot.emulator.kernel.mm.FileMappings;
import dev.blinkchroot.emulator.kernel.task.GuestProcess;
import dev.blinkchroot.emulator.kernel.task.Identity;
import dev.blinkchroot.emulator.kernel.task.Task;
import dev.blinkchroot.emulator.kernel.testing.CapturingDescription;
import dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms;
import dev.blinkchroot.emulator.kernel.testing.KernelFixture;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.policies.Policies;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import dev.blinkchroot.vfs.Vfs;
import dev.blinkchroot.vfs.nio.NioBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Loading real programs (built at test time, see {@link ExecTestPrograms}) into a kernel on an
 * in-memory VFS, and every way exec refuses. Expected load addresses are Linux's without ASLR:
 * {@code setarch -R} shows a non-PIE at its link address, a PIE with an interpreter at
 * 0x555555554000, and a static PIE or an interpreter ending at 0x7ffff7fff000.
 */
class ProgramLoaderTest {
  private static final long MMAP_BASE = 0x7ffff7fff000L;
  private final KernelFixture k = new KernelFixture();

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A program's headers, read independently of the loader. */
  private static final class Header {
    final long entry;
    final long spanLow;
    final long spanHigh;
    final long lastEnd;

    Header(Path file) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      entry = b.getLong(24);
      long phoff = b.getLong(32);
      int phnum = b.getShort(56);
      long low = Long.MAX_VALUE;
      long high = 0;
      for (int i = 0; i < phnum; i++) {
        int at = (int) phoff + 56 * i;
        if (b.getInt(at) == 1) {
          long vaddr = b.getLong(at + 16);
          long memsz = b.getLong(at + 40);
          low = Math.min(low, vaddr & ~0xfffL);
          high = Math.max(high, vaddr + memsz);
        }
      }
      spanLow = low;
      lastEnd = high;
      spanHigh = (high + 0xfff) & ~0xfffL;
    }
  }

  private long aux(int type) {
    long[] auxv = k.process.auxv();
    for (int i = 0; i < auxv.length; i += 2) {
      if (auxv[i] == type) {
        return auxv[i + 1];
      }
    }
    throw new AssertionError("no auxv entry " + type);
  }

  private void exec(String path, String... argv) {
    ProgramLoader.execute(k.task, path.getBytes(StandardCharsets.UTF_8), bytes(argv),
        bytes("A=1"));
  }

  private Errno execFails(String path, String... argv) {
    GuestMemory before = k.process.memory();
    List<GuestMemory.Mapping> mappings = before.mappings();
    long rip = k.task.cpu.rip;
    ErrnoException e = assertThrows(ErrnoException.class, () -> exec(path, argv));
    assertSame(before, k.process.memory(), "the old image stays");
    assertEquals(mappings, before.mappings(), "the old mappings stay");
    assertEquals(rip, k.task.cpu.rip);
    return e.errno();
  }

  private List<String> argv() {
    return k.process.argv().stream().map(ProgramLoaderTest::s).collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ ELF

  @Test
  void staticExecutable_loadsAtItsLinkAddress_withEntryStackAndRegisters() throws IOException {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_STATIC, "/bin/auxv");
    Header h = new Header(ExecTestPrograms.get(ExecTestPrograms.AUXV_STATIC));
    k.task.cpu.gpr[Cpu.RBX] = 99;
    k.task.cpu.fsBase = 1234;
    exec("/bin/auxv", "auxv", "x");
    Cpu cpu = k.task.cpu;
    assertEquals(h.entry, cpu.rip);
    assertEquals(0x400000L, h.spanLow);
    assertEquals(GuestMemory.PROT_READ, k.process.memory().protectionAt(0x400000));
    assertEquals(GuestMemory.PROT_READ | GuestMemory.PROT_EXEC,
        k.process.memory().protectionAt(h.entry));
    assertEquals(0x7f, k.process.memory().read8(0x400000), "the ELF header is mapped");
    long rsp = cpu.gpr[Cpu.RSP];
    assertEquals(0, rsp % 16);
    assertEquals(2, k.process.memory().read64(rsp));
    for (int r = 0; r < 16; r++) {
      if (r != Cpu.RSP) {
        assertEquals(0, cpu.gpr[r], "register " + r);
      }
    }
    assertEquals(0x202, cpu.rflags());
    assertEquals(0x1f80, cpu.mxcsr);
    assertEquals(0x37f, cpu.x87.controlWord());
    assertEquals(0, cpu.fsBase);
    assertSame(k.process.memory(), cpu.memory);
    assertEquals(0x400040L, aux(InitialStack.AT_PHDR));
    assertEquals(0, aux(InitialStack.AT_BASE));
    assertEquals(h.entry, aux(InitialStack.AT_ENTRY));
    assertEquals(h.spanHigh, k.process.mm().brk());
    assertEquals(h.spanHigh, k.process.mm().brkStart());
    assertEquals("/bin/auxv", s(k.process.exePath()));
    assertEquals("auxv", s(k.process.comm()));
    assertEquals(List.of("auxv", "x"), argv());
    FileMappings.Named text = k.process.fileMappings().at(h.entry);
    assertNotNull(text);
    assertEquals("/bin/auxv", text.nameString());
    assertEquals(h.entry - text.start() + text.offset(), h.entry - 0x400000L,
        "file offset of the entry = its distance from the ELF header");
    assertEquals("[stack]", k.process.fileMappings().at(rsp).nameString());
    assertEquals(GuestMemory.PROT_READ | GuestMemory.PROT_WRITE,
        k.process.memory().protectionAt(rsp), "PT_GNU_STACK RW: no execute");
    assertEquals(-1, k.process.memory().protectionAt(KernelFixture.SCRATCH),
        "the old address space is gone");
  }

  @Test
  void bss_isZero_andTheLastFilePageHoldsNoFileBytesPastFilesz() throws IOException {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_STATIC, "/bin/auxv");
    Header h = new Header(ExecTestPrograms.get(ExecTestPrograms.AUXV_STATIC));
    exec("/bin/auxv", "auxv");
    GuestMemory m = k.process.memory();
    // The writable segment ends with .bss: everything up to the page end reads zero.
    for (long a = h.lastEnd - 64; a < h.spanHigh; a++) {
      assertEquals(0, m.read8(a), "0x" + Long.toHexString(a));
    }
    assertEquals(GuestMemory.PROT_READ | GuestMemory.PROT_WRITE, m.protectionAt(h.lastEnd - 1));
  }

  @Test
  void staticPie_loadsTopDownFromTheMmapBase() throws IOException {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_STATIC_PIE, "/bin/spie");
    Header h = new Header(ExecTestPrograms.get(ExecTestPrograms.AUXV_STATIC_PIE));
    exec("/bin/spie", "spie");
    long base = MMAP_BASE - (h.spanHigh - h.spanLow);
    assertEquals(base + h.entry, k.task.cpu.rip);
    assertEquals(base + h.entry, aux(InitialStack.AT_ENTRY));
    assertEquals(base + 0x40, aux(InitialStack.AT_PHDR));
    assertEquals(0, aux(InitialStack.AT_BASE));
    assertEquals(base + h.spanHigh, k.process.mm().brk());
  }

  @Test
  void dynamicPie_loadsAt0x555555554000_andItsInterpreterBelowTheMmapBase() throws IOException {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_DYNAMIC, "/bin/dyn");
    ExecTestPrograms.copyHostFile(k.vfs, "/lib/ld-musl-x86_64.so.1");
    Header h = new Header(ExecTestPrograms.get(ExecTestPrograms.AUXV_DYNAMIC));
    Header ld = new Header(Path.of("/lib/ld-musl-x86_64.so.1"));
    exec("/bin/dyn", "dyn");
    long interpBase = MMAP_BASE - (ld.spanHigh - ld.spanLow);
    assertEquals(interpBase, aux(InitialStack.AT_BASE));
    assertEquals(interpBase + ld.entry, k.task.cpu.rip, "starts in the interpreter");
    assertEquals(0x555555554000L + h.entry, aux(InitialStack.AT_ENTRY));
    assertEquals(0x555555554040L, aux(InitialStack.AT_PHDR));
    assertEquals("/lib/ld-musl-x86_64.so.1",
        k.process.fileMappings().at(interpBase).nameString());
    assertEquals("/bin/dyn", k.process.fileMappings().at(0x555555554000L).nameString());
    assertEquals("/bin/dyn", s(k.process.exePath()));
  }

  @Test
  void segmentsAligned2MiB_loadAligned_asLinuxPlacesThem() {
    // setarch -R on Linux 6.18: the PIE's AT_PHDR 0x555555400040, the static PIE's 0x7ffff7600040.
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_DYNAMIC + ExecTestPrograms.ALIGNED_2M,
        "/bin/dyn");
    ExecTestPrograms.copyHostFile(k.vfs, "/lib/ld-musl-x86_64.so.1");
    exec("/bin/dyn", "dyn");
    assertEquals(0x555555400040L, aux(InitialStack.AT_PHDR));
    ExecTestPrograms.install(k.vfs,
        ExecTestPrograms.AUXV_STATIC_PIE + ExecTestPrograms.ALIGNED_2M, "/bin/spie");
    exec("/bin/spie", "spie");
    assertEquals(0x7ffff7600040L, aux(InitialStack.AT_PHDR));
  }

  @Test
  void aslr_movesTheStackThePieAndTheInterpreter() {
    Vfs vfs = Vfs.create(NioBackend.memory(), "test");
    ExecTestPrograms.install(vfs, ExecTestPrograms.AUXV_DYNAMIC, "/bin/dyn");
    ExecTestPrograms.copyHostFile(vfs, "/lib/ld-musl-x86_64.so.1");
    CapturingDescription io = new CapturingDescription(new byte[0]);
    Kernel kernel = new Kernel(vfs, Policies.allowAll(), new KernelConfig("h", System.err,
        List.of(), true, io, io, io));
    Identity id = new Identity(0, 0, new int[0]);
    GuestProcess p = new GuestProcess(1, null, AddressSpace.create(), new FdTable(),
        vfs.newContext(id.credentials()), id);
    Task task = new Task(kernel, p, new Cpu(p.memory()), 1);
    ProgramLoader.execute(task, "/bin/dyn".getBytes(StandardCharsets.UTF_8), bytes("dyn"),
        List.of());
    KernelFixture r = new KernelFixture();
    r.task.cpu.gpr[Cpu.RSP] = task.cpu.gpr[Cpu.RSP];
    long[] auxv = p.auxv();
    long phdr = 0;
    for (int i = 0; i < auxv.length; i += 2) {
      phdr = auxv[i] == InitialStack.AT_PHDR ? auxv[i + 1] : phdr;
    }
    assertTrue(phdr != 0x555555554040L, "PIE randomised");
    assertTrue(r.task.cpu.gpr[Cpu.RSP] < 0x7fffffffe000L - 8192 * 2
        || r.task.cpu.gpr[Cpu.RSP] > 0x7fffffffe000L, "stack moved (or the 1 in 2^22 case)");
    assertEquals(0, r.task.cpu.gpr[Cpu.RSP] % 16);
  }

  @Test
  void interpreter_isFoundInsideTheSandbox_notOnTheHost() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.AUXV_DYNAMIC, "/bin/dyn");
    assertEquals(Errno.ENOENT, execFails("/bin/dyn", "dyn"));
  }

  @Test
  void symlinkToTheProgram_isFollowed_andMapsNameTheTarget() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    k.vfs.symlink(k.process.fs(), "tiny".getBytes(StandardCharsets.UTF_8), null,
        "/bin/link".getBytes(StandardCharsets.UTF_8));
    exec("/bin/link", "link");
    assertEquals("/bin/tiny", s(k.process.exePath()));
    assertEquals("link", s(k.process.comm()));
  }

  // ------------------------------------------------------------------ errors

  @Test
  void missingFile_isEnoent() {
    assertEquals(Errno.ENOENT, execFails("/bin/nothing", "nothing"));
  }

  @Test
  void fileWithoutExecutePermission_isEacces() {
    ExecTestPrograms.put(k.vfs, "/bin/plain", "#!/bin/sh\n", 0644);
    assertEquals(Errno.EACCES, execFails("/bin/plain", "plain"));
  }

  @Test
  void directory_isEacces() {
    ExecTestPrograms.put(k.vfs, "/bin/x", "x", 0755);
    assertEquals(Errno.EACCES, execFails("/bin", "bin"));
  }

  @Test
  void unknownFormat_isEnoexec() {
    ExecTestPrograms.put(k.vfs, "/bin/text", "echo hello\n", 0755);
    assertEquals(Errno.ENOEXEC, execFails("/bin/text", "text"));
    ExecTestPrograms.put(k.vfs, "/bin/empty", "", 0755);
    assertEquals(Errno.ENOEXEC, execFails("/bin/empty", "empty"));
  }

  @Test
  void elfForAnotherArchitecture_isEnoexec_namingTheArchitecture() {
    ExecTestPrograms.put(k.vfs, "/bin/arm", ExecTestPrograms.aarch64Elf(), 0755);
    ErrnoException e = assertThrows(ErrnoException.class, () -> exec("/bin/arm", "arm"));
    assertEquals(Errno.ENOEXEC, e.errno());
    assertEquals("ELF for aarch64, not x86-64", ProgramLoader.foreignArchitecture(e));
    assertEquals("", k.diagnostics()); // the caller reports it, once
  }

  @Test
  void truncatedElf_isEnoexec() throws IOException {
    byte[] whole = Files.readAllBytes(ExecTestPrograms.get(ExecTestPrograms.TINY));
    ExecTestPrograms.put(k.vfs, "/bin/cut", java.util.Arrays.copyOf(whole, 60), 0755);
    assertEquals(Errno.ENOEXEC, execFails("/bin/cut", "cut"));
  }

  // ------------------------------------------------------------------ #! scripts

  @Test
  void script_runsItsInterpreter_withOneArgumentAndTheScriptPath() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ExecTestPrograms.put(k.vfs, "/s", "#!/bin/tiny  one   two \t\nbody\n", 0755);
    exec("/s", "called-as", "a", "b");
    assertEquals(List.of("/bin/tiny", "one   two", "/s", "a", "b"), argv());
    assertEquals("/bin/tiny", s(k.process.exePath()), "/proc/PID/exe is the interpreter");
    assertEquals("s", s(k.process.comm()), "comm is the script's name");
    long rsp = k.task.cpu.gpr[Cpu.RSP];
    assertEquals(5, k.process.memory().read64(rsp));
  }

  @Test
  void script_relativeInterpreter_isResolvedFromTheWorkingDirectory() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ExecTestPrograms.put(k.vfs, "/s", "#!bin/tiny\n", 0755);
    exec("/s", "s");
    assertEquals(List.of("bin/tiny", "/s"), argv());
  }

  @Test
  void scripts_nestFourDeep_butNotFive() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ExecTestPrograms.put(k.vfs, "/s0", "#!/bin/tiny\n", 0755);
    for (int i = 1; i <= 5; i++) {
      ExecTestPrograms.put(k.vfs, "/s" + i, "#!/s" + (i - 1) + "\n", 0755);
    }
    exec("/s4", "s4", "arg");
    assertEquals(List.of("/bin/tiny", "/s0", "/s1", "/s2", "/s3", "/s4", "arg"), argv());
    assertEquals(Errno.ELOOP, execFails("/s5", "s5"));
  }

  @Test
  void script_withMissingInterpreter_isEnoent() {
    ExecTestPrograms.put(k.vfs, "/s", "#!/bin/nope\n", 0755);
    assertEquals(Errno.ENOENT, execFails("/s", "s"));
  }

  @Test
  void script_withCarriageReturn_looksForANameEndingInIt() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ExecTestPrograms.put(k.vfs, "/s", "#!/bin/tiny\r\n", 0755);
    assertEquals(Errno.ENOENT, execFails("/s", "s"));
  }

  @Test
  void script_withNonExecutableOrDirectoryInterpreter_isEacces() {
    ExecTestPrograms.put(k.vfs, "/bin/notexec", "#!/bin/x\n", 0644);
    ExecTestPrograms.put(k.vfs, "/s", "#!/bin/notexec\n", 0755);
    ExecTestPrograms.put(k.vfs, "/t", "#!/bin\n", 0755);
    assertEquals(Errno.EACCES, execFails("/s", "s"));
    assertEquals(Errno.EACCES, execFails("/t", "t"));
  }

  @Test
  void script_withEmptyLine_isEnoexec() {
    ExecTestPrograms.put(k.vfs, "/s", "#!\n", 0755);
    assertEquals(Errno.ENOEXEC, execFails("/s", "s"));
  }

  @Test
  void emptyArgv_getsOneEmptyString_asLinuxGives() {
    ExecTestPrograms.install(k.vfs, ExecTestPrograms.TINY, "/bin/tiny");
    ProgramLoader.execute(k.task, "/bin/tiny".getBytes(StandardCharsets.UTF_8), new ArrayList<>(),
        List.of());
    assertEquals(List.of(""), argv());
    assertArrayEquals(new byte[0], k.process.argv().get(0));
  }
}
