package dev.blinkchroot.runner;

import java.io.IOException;

/**
 * Writing to stdout failed, almost always because the reader went away ({@code | head}). Linux
 * tools die of SIGPIPE silently there; so do we, with the status a shell would show for that.
 */
public final class StdoutClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StdoutClosedException(IOException cause) {
    super(cause.getMessage(), cause, false, false);
  }
}
