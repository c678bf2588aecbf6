#!/bin/sh
# blink-chroot launcher: this file is a shell script followed by the application jar.
# JVM flags: serial GC, no perf-data file, class-data sharing. C2 stays on: guest programs spend
# their time in the interpreter loop, which C2 runs about twice as fast as C1 (sha 6.7 s vs
# 14.6 s), for ~80 ms more start-up (/bin/true 0.39 s vs 0.31 s; bench/programs-bench.sh).
# JAVA_HOME picks the JVM (else java on PATH); BLINK_CHROOT_JAVA_OPTS replaces the flags.
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null 2>&1; then
  echo "blink-chroot: no Java runtime found: install Java 17 or later, or set JAVA_HOME" >&2
  exit 1
fi
# Java cannot tell whether a standard stream is a terminal, so the launcher says: the guest's
# descriptors 0-2 look like terminals exactly when the host's are, import progress is drawn
# only on a terminal, and --help is bold only there.
if [ -t 0 ]; then BLINK_CHROOT_STDIN_TTY=1; else BLINK_CHROOT_STDIN_TTY=0; fi
if [ -t 1 ]; then BLINK_CHROOT_STDOUT_TTY=1; else BLINK_CHROOT_STDOUT_TTY=0; fi
if [ -t 2 ]; then BLINK_CHROOT_STDERR_TTY=1; else BLINK_CHROOT_STDERR_TTY=0; fi
export BLINK_CHROOT_STDIN_TTY BLINK_CHROOT_STDOUT_TTY BLINK_CHROOT_STDERR_TTY
# TIOCGWINSZ in the guest reports the host terminal's size ("ROWS COLS"), so ls and top fit it.
if [ -t 0 ] || [ -t 1 ] || [ -t 2 ]; then
  BLINK_CHROOT_TTY_SIZE=$(stty size </dev/tty 2>/dev/null) && export BLINK_CHROOT_TTY_SIZE
fi
exec "$java" ${BLINK_CHROOT_JAVA_OPTS:--XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto} -jar "$0" "$@"
