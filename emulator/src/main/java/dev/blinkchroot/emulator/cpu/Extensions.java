package dev.blinkchroot.emulator.cpu;

/** The executors beyond the integer core, tried in order after it. */
final class Extensions {
  private Extensions() {}

  static Interpreter.Executor[] all() {
    return new Interpreter.Executor[] {
      SseIntegerExec::execute, SseFloatExec::execute, X87Exec::execute
    };
  }
}
