package dev.blinkchroot.emulator.difftest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pipe protocol between {@link NativeCpu} and {@code difftest/runner.c}; all integers
 * little-endian.
 *
 * <pre>
 * runner hello:  u32 "DTRN"  u32 version=1  u64 DATA_BASE  u32 DATA_SIZE  u64 CODE_BASE
 *                u32 CODE_SIZE  u32 MXCSR_MASK  u32 STATE_SIZE=560
 * case:          u32 "CASE"  u32 codeLength  u32 flags (bit 0: data region follows, else the
 *                previous case's initial data is reused)  u32 0
 *                code[codeLength]  state[560]  [data[DATA_SIZE]]
 * outcome:       u32 "DONE"  u32 kind (0 completed, 1 signal, 2 timeout)  u32 signo
 *                i32 si_code  u64 si_addr  u64 rip  state[560]
 *                u32 n  n x (u32 offset  u32 length  bytes[length])   changed data ranges
 * state:         u64 gpr[16] (encoding order)  u64 rflags  u32 mxcsr  u32 0
 *                u8 fx[160] (FXSAVE bytes 0..159)  u64 xmm[32] (XMMi = lo, hi)
 * </pre>
 *
 * End of input ends the runner. Cases are answered in order; the runner flushes its output
 * whenever its input runs dry.
 */
final class Wire {
  static final int MAGIC_HELLO = 0x4e525444;
  static final int MAGIC_CASE = 0x45534143;
  static final int MAGIC_DONE = 0x454e4f44;
  static final int VERSION = 1;
  static final int STATE_SIZE = 560;
  static final int HELLO_SIZE = 40;
  static final int OUTCOME_HEADER = 32;
  static final int KIND_COMPLETED = 0;
  static final int KIND_SIGNAL = 1;
  static final int KIND_TIMEOUT = 2;

  private Wire() {}

  static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  static void putState(ByteBuffer bb, MachineState s) {
    for (long g : s.gprLive()) {
      bb.putLong(g);
    }
    bb.putLong(s.rflags());
    bb.putInt(s.mxcsr());
    bb.putInt(0);
    bb.put(s.fxLive());
    for (long x : s.xmmLive()) {
      bb.putLong(x);
    }
  }

  /** Reads the register part of a state into {@code s}, leaving its data region alone. */
  static void getState(ByteBuffer bb, MachineState s) {
    for (int i = 0; i < 16; i++) {
      s.setGpr(i, bb.getLong());
    }
    s.setRflags(bb.getLong());
    s.setMxcsr(bb.getInt());
    bb.getInt();
    bb.get(s.fxLive());
    long[] x = s.xmmLive();
    for (int i = 0; i < 32; i++) {
      x[i] = bb.getLong();
    }
  }

  static byte[] encodeCase(Case c, boolean withData) {
    int len = c.code().length;
    byte[] b = new byte[16 + len + STATE_SIZE + (withData ? MachineState.DATA_SIZE : 0)];
    ByteBuffer bb = le(b);
    bb.putInt(MAGIC_CASE).putInt(len).putInt(withData ? 1 : 0).putInt(0);
    bb.put(c.code());
    putState(bb, c.initial());
    if (withData) {
      bb.put(c.initial().data());
    }
    return b;
  }

  /**
   * Reads one outcome; the final data region is {@code initial}'s with the changed ranges
   * applied. Returns null at a clean end of stream.
   */
  static Outcome readOutcome(DataInputStream in, Case c) throws IOException {
    byte[] head = new byte[OUTCOME_HEADER];
    int first = in.read();
    if (first < 0) {
      return null;
    }
    head[0] = (byte) first;
    in.readFully(head, 1, OUTCOME_HEADER - 1);
    ByteBuffer h = le(head);
    if (h.getInt() != MAGIC_DONE) {
      throw new IOException("difftest runner: bad outcome header");
    }
    int kind = h.getInt();
    int signo = h.getInt();
    int siCode = h.getInt();
    long siAddr = h.getLong();
    long rip = h.getLong();
    byte[] st = new byte[STATE_SIZE + 4];
    in.readFully(st);
    ByteBuffer sb = le(st);
    MachineState s = MachineState.zeroed();
    getState(sb, s);
    byte[] data = s.data();
    System.arraycopy(c.initial().data(), 0, data, 0, MachineState.DATA_SIZE);
    int ranges = sb.getInt();
    byte[] rh = new byte[8];
    for (int i = 0; i < ranges; i++) {
      in.readFully(rh);
      ByteBuffer r = le(rh);
      int off = r.getInt();
      int len = r.getInt();
      if (off < 0 || len < 0 || off + len > MachineState.DATA_SIZE) {
        throw new IOException("difftest runner: bad memory range " + off + "+" + len);
      }
      in.readFully(data, off, len);
    }
    switch (kind) {
      case KIND_COMPLETED:
        return Outcome.completed(s, c.code().length);
      case KIND_SIGNAL:
        return Outcome.signal(signo, siCode, siAddr, rip, s);
      case KIND_TIMEOUT:
        return Outcome.timeout(rip, s);
      default:
        throw new EOFException("difftest runner: unknown outcome kind " + kind);
    }
  }
}
