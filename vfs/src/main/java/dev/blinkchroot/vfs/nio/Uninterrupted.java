package dev.blinkchroot.vfs.nio;

import java.io.IOException;

/**
 * Runs host I/O with the calling thread's interrupt flag put aside. The kernel interrupts a guest
 * thread's Java thread to wake it for a signal or a kill, and a java.nio channel used by an
 * interrupted thread closes itself: for the store's own files (the journal, the sidecar), that
 * would lose a record, or every later one. The flag is restored afterwards, so the wake-up still
 * happens at the next wait.
 */
final class Uninterrupted {
  /** Host I/O that may throw. */
  interface IoAction {
    void run() throws IOException;
  }

  private Uninterrupted() {}

  static void run(IoAction action) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      action.run();
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
