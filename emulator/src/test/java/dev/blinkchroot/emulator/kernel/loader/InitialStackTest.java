package dev.blinkchroot.emulator.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.blinkchroot.emulator.cpu.Cpuid;
import dev.blinkchroot.emulator.kernel.testing.ExecTestPrograms;
import dev.blinkchroot.emulator.memory.GuestMemory;
import dev.blinkchroot.vfs.Errno;
import dev.blinkchroot.vfs.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The initial stack, byte by byte. The string addresses are those a native run shows on Linux
 * 6.18 with ASLR off: {@code setarch -R env -i A=1 ./auxv-static x y} printed argv[0..2] at
 * 0x7fffffffefd4, efe2, efe4, AT_EXECFN 0x7fffffffefea, AT_PLATFORM 0x7fffffffefc9, AT_RANDOM
 * 0x7fffffffefb9, and argv at 0x7fffffffee18 with its 23 auxv pairs; ours has 20 (no
 * AT_SYSINFO_EHDR, AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN), so argv is 48 bytes higher.
 */
public class InitialStackTest {
  private static final long TOP = 0x7ffffffff000L;

  private static InitialStack.Built build(GuestMemory m, List<byte[]> argv, List<byte[]> envp,
      String execfn) {
    LoadLayout layout = new LoadLayout(TOP, 0, LoadLayout.MMAP_BASE, LoadLayout.ELF_ET_DYN_BASE,
        0, new Random(42));
    InitialStack.Program program = new InitialStack.Program(0x400040, 6, 0, 0x40102b, 1000, 1001,
        2000, 2001, false);
    return InitialStack.build(m, layout, GuestMemory.PROT_READ | GuestMemory.PROT_WRITE, argv,
        envp, execfn.getBytes(StandardCharsets.UTF_8), program);
  }

  private static String cString(GuestMemory m, long a) {
    StringBuilder s = new StringBuilder();
    for (int c; (c = m.read8(a)) != 0; a++) {
      s.append((char) c);
    }
    return s.toString();
  }

  @Test
  void layout_matchesANativeRunWithoutAslr() {
    GuestMemory m = GuestMemory.create();
    InitialStack.Built b = build(m, ExecTestPrograms.bytes("./auxv-static", "x", "y"),
        ExecTestPrograms.bytes("A=1"), "./auxv-static");
    long sp = b.rsp();
    assertEquals(0x7fffffffee40L, sp);
    assertEquals(0, sp % 16, "RSP is 16-byte aligned at entry");
    assertEquals(3, m.read64(sp));
    assertEquals(0x7fffffffefd4L, m.read64(sp + 8));
    assertEquals(0x7fffffffefe2L, m.read64(sp + 16));
    assertEquals(0x7fffffffefe4L, m.read64(sp + 24));
    assertEquals(0, m.read64(sp + 32));
    assertEquals(0x7fffffffefe6L, m.read64(sp + 40));
    assertEquals(0, m.read64(sp + 48));
    assertEquals("./auxv-static", cString(m, 0x7fffffffefd4L));
    assertEquals("x", cString(m, 0x7fffffffefe2L));
    assertEquals("y", cString(m, 0x7fffffffefe4L));
    assertEquals("A=1", cString(m, 0x7fffffffefe6L));
    assertEquals("./auxv-static", cString(m, 0x7fffffffefeaL));
    assertEquals(0, m.read64(TOP - 8), "8 zero bytes at the very top");

    long[] expected = {
      51, 1520, 16, Cpuid.query(1, 0)[3] & 0xffffffffL, 6, 4096, 17, 100, 3, 0x400040, 4, 56,
      5, 6, 7, 0, 8, 0, 9, 0x40102b, 11, 1000, 12, 1001, 13, 2000, 14, 2001, 23, 0,
      25, 0x7fffffffefb9L, 26, 0, 31, 0x7fffffffefeaL, 15, 0x7fffffffefc9L, 0, 0,
    };
    long a = sp + 56;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], m.read64(a + 8L * i), "auxv word " + i);
    }
    assertArrayEquals(expected, b.auxv());
    assertEquals("x86_64", cString(m, 0x7fffffffefc9L));
    byte[] random = new byte[16];
    m.readBytes(0x7fffffffefb9L, random, 0, 16);
    byte[] expectedRandom = new byte[16];
    new Random(42).nextBytes(expectedRandom);
    assertArrayEquals(expectedRandom, random);
    // Nothing but padding between the end of auxv and AT_RANDOM's bytes.
    long auxEnd = a + 8L * expected.length;
    for (long p = auxEnd; p < 0x7fffffffefb9L; p++) {
      assertEquals(0, m.read8(p), "padding at 0x" + Long.toHexString(p));
    }
  }

  @Test
  void layout_staysAligned_forEveryArgumentCountParity() {
    for (int argc = 1; argc <= 4; argc++) {
      for (int envc = 0; envc <= 3; envc++) {
        GuestMemory m = GuestMemory.create();
        String[] args = new String[argc];
        for (int i = 0; i < argc; i++) {
          args[i] = "a".repeat(i + 1);
        }
        String[] env = new String[envc];
        for (int i = 0; i < envc; i++) {
          env[i] = "E" + i + "=" + "v".repeat(i);
        }
        InitialStack.Built b = build(m, ExecTestPrograms.bytes(args), ExecTestPrograms.bytes(env),
            "/p");
        assertEquals(0, b.rsp() % 16, argc + "/" + envc);
        assertEquals(argc, m.read64(b.rsp()));
        assertEquals(0, m.read64(b.rsp() + 8L * (argc + 1)), "argv NULL");
        assertEquals(0, m.read64(b.rsp() + 8L * (argc + 1 + envc + 1)), "envp NULL");
        assertEquals(InitialStack.AT_MINSIGSTKSZ, m.read64(b.rsp() + 8L * (argc + envc + 3)));
      }
    }
  }

  @Test
  void stack_isMappedBelowTheTop_readWriteNotExecutable() {
    GuestMemory m = GuestMemory.create();
    InitialStack.Built b = build(m, ExecTestPrograms.bytes("p"), List.of(), "/p");
    assertEquals(TOP, b.stackHigh());
    assertEquals(TOP - (8 << 20), b.stackLow());
    assertEquals(GuestMemory.PROT_READ | GuestMemory.PROT_WRITE, m.protectionAt(TOP - 1));
    assertEquals(-1, m.protectionAt(b.stackLow() - 1));
  }

  @Test
  void checkSize_argumentsBeyondAQuarterOfTheStack_areE2big() {
    byte[] big = new byte[100_000];
    java.util.Arrays.fill(big, (byte) 'x');
    List<byte[]> many = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(big);
    }
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> InitialStack.checkSize(many, List.of(), LoadLayout.STACK_LIMIT));
    assertEquals(Errno.E2BIG, e.errno());
    byte[] tooLong = new byte[InitialStack.MAX_ARG_STRLEN];
    assertEquals(Errno.E2BIG, assertThrows(ErrnoException.class,
        () -> InitialStack.checkSize(List.of(tooLong), List.of(), LoadLayout.STACK_LIMIT))
        .errno());
  }
}
