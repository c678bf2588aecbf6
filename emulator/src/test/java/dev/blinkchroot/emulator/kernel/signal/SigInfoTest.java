package dev.blinkchroot.emulator.kernel.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** siginfo_t's x86-64 layout: si_signo 0, si_errno 4, si_code 8, the union from 16. */
class SigInfoTest {
  private static ByteBuffer le(SigInfo i) {
    return ByteBuffer.wrap(i.bytes()).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void child_hasPidUidStatusAndTimes() {
    SigInfo i = SigInfo.child(Signals.SIGCHLD, SigInfo.CLD_KILLED, 42, 1000, 9, 7, 3);
    ByteBuffer b = le(i);
    assertEquals(17, b.getInt(0));
    assertEquals(SigInfo.CLD_KILLED, b.getInt(8));
    assertEquals(42, b.getInt(16));
    assertEquals(1000, b.getInt(20));
    assertEquals(9, b.getInt(24));
    assertEquals(7, b.getLong(32));
    assertEquals(3, b.getLong(40));
    assertEquals(SigInfo.Layout.CHLD, i.layout());
  }

  @Test
  void fault_hasTheAddressAt16() {
    SigInfo i = SigInfo.fault(Signals.SIGSEGV, 2, 0xdead000L);
    assertEquals(0xdead000L, le(i).getLong(16));
    assertEquals(SigInfo.Layout.FAULT, i.layout());
  }

  @Test
  void layouts_followTheCode() {
    assertEquals(SigInfo.Layout.KILL, SigInfo.kill(15, SigInfo.SI_USER, 1, 0).layout());
    assertEquals(SigInfo.Layout.KILL, SigInfo.kernel(Signals.SIGSEGV).layout());
    assertEquals(SigInfo.Layout.TIMER, SigInfo.timer(14, 1, 0, 5).layout());
    assertEquals(SigInfo.Layout.RT, SigInfo.kill(10, SigInfo.SI_TKILL, 1, 0).layout());
  }
}
