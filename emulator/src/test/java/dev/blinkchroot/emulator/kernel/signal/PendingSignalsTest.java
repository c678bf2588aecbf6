package dev.blinkchroot.emulator.kernel.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendingSignalsTest {
  private static SigInfo queued(int signo, int value) {
    return SigInfo.fromGuest(signo, rt(value));
  }

  private static byte[] rt(int value) {
    byte[] b = new byte[SigInfo.SIZE];
    b[8] = (byte) SigInfo.SI_QUEUE; // si_code -1: the RT layout
    b[9] = (byte) 0xff;
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    b[24] = (byte) value;
    return b;
  }

  @Test
  void standardSignal_isPendingOnce_laterInstancesMerge() {
    PendingSignals p = new PendingSignals();
    assertTrue(p.add(SigInfo.kernel(Signals.SIGUSR1)));
    assertFalse(p.add(SigInfo.kernel(Signals.SIGUSR1)));
    assertEquals(1, p.size());
    assertEquals(Signals.SIGUSR1, p.take(-1L).signo());
    assertNull(p.take(-1L));
    assertEquals(0, p.bits());
  }

  @Test
  void realtimeSignals_queueEveryInstance_inOrder() {
    PendingSignals p = new PendingSignals();
    int rt = Signals.SIGRTMIN + 2;
    p.add(queued(rt, 1));
    p.add(queued(rt, 2));
    p.add(queued(rt, 3));
    assertEquals(3, p.size());
    for (int v = 1; v <= 3; v++) {
      assertTrue(p.has(rt));
      assertEquals(v, p.take(-1L).bytes()[24]);
    }
    assertFalse(p.has(rt));
  }

  @Test
  void take_prefersSynchronousSignals_thenTheLowestNumber() {
    PendingSignals p = new PendingSignals();
    p.add(SigInfo.kernel(Signals.SIGTERM));
    p.add(SigInfo.kernel(Signals.SIGHUP));
    p.add(SigInfo.fault(Signals.SIGSEGV, 1, 0x1000));
    assertEquals(Signals.SIGSEGV, p.take(-1L).signo());
    assertEquals(Signals.SIGHUP, p.take(-1L).signo());
    assertEquals(Signals.SIGTERM, p.take(-1L).signo());
  }

  @Test
  void take_skipsWhatIsNotAllowed() {
    PendingSignals p = new PendingSignals();
    p.add(SigInfo.kernel(Signals.SIGINT));
    assertNull(p.take(~Signals.bit(Signals.SIGINT)));
    assertTrue(p.has(Signals.SIGINT));
  }

  @Test
  void discard_dropsEveryInstanceOfTheSet() {
    PendingSignals p = new PendingSignals();
    int rt = Signals.SIGRTMIN;
    p.add(queued(rt, 1));
    p.add(queued(rt, 2));
    p.add(SigInfo.kernel(Signals.SIGCONT));
    p.discard(Signals.bit(rt));
    assertEquals(1, p.size());
    assertEquals(Signals.bit(Signals.SIGCONT), p.bits());
  }
}
