#!/usr/bin/env bash
# Records the expected outputs of AlpineSignalsIT by running each NAME.sh of this directory in a
# REAL chroot of the Alpine minirootfs (needs root). Run from anywhere:
#
#   sudo setpriv --clear-groups \
#       runner/src/test/resources/dev/blinkchroot/runner/it/alpine-signals-expected/record.sh \
#       ../shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz [OUTPUT-DIR]
#
# (OUTPUT-DIR, default this directory, lets a second recording be compared with the first.)
#
# As alpine-processes-expected/record.sh does, every case runs in a fresh copy of the image as
# pid 1 of a new pid namespace (unshare --pid --fork) leading its own session and process group
# (setsid), with /proc mounted for that namespace inside a private mount namespace, the device
# nodes blink-chroot provides made with mknod (never a bind of the host's /dev), stdin /dev/null,
# and the copy deleted with rm --one-file-system after checking nothing is mounted in it.
#
# Signals add two things. Every signal's disposition is reset to the default (env
# --default-signal) and this script refuses to run with any signal blocked: a recording made
# from a program that ignores SIGPIPE (some terminals, IDEs and agents do) gives "yes: Broken
# pipe" where Linux's default kills yes quietly, and blink-chroot's guest starts with every
# signal at its default. And RLIMIT_CORE is 0 (ulimit -c 0), as blink-chroot's guest has it by
# default, so no shell reports "(core dumped)" because of this host's core_pattern.
#
# Each NAME.expected starts with the exact command line that produced it, then the script's file
# name, the exit status, and stdout and stderr as byte counts followed by the bytes:
#
#   # recorded: env -i --default-signal ... chroot /tmp/alp-signals-native /bin/sh -c "$(cat NAME.sh)" </dev/null
#   script: NAME.sh
#   exit: N
#   stdout: BYTES
#   ...
#   stderr: BYTES
#   ...
#
# The script is passed as sh -c's argument with its trailing newlines removed (what "$(cat
# NAME.sh)" gives); AlpineSignalsIT passes the same text.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="${1:?usage: record.sh ALPINE-TARBALL [OUTPUT-DIR]}"
out="${2:-$here}"
root=/tmp/alp-signals-native
if [ "$(id -u)" != 0 ] || [ "$(id -G)" != 0 ]; then
  echo "record.sh: run as root with no supplementary groups (id -G must print 0)," >&2
  echo "record.sh: e.g. sudo setpriv --clear-groups $0 $*" >&2
  exit 1
fi
for tool in unshare setsid chroot mknod; do
  command -v "$tool" >/dev/null || { echo "record.sh: $tool is missing (util-linux, coreutils)" >&2; exit 1; }
done
env --default-signal true 2>/dev/null || { echo "record.sh: env --default-signal needs GNU coreutils 8.31 or later" >&2; exit 1; }
# What a command started from here inherits (bash itself blocks signals at times).
if ! grep -q '^SigBlk:[[:space:]]*0*$' /proc/self/status; then
  echo "record.sh: signals are blocked ($(grep SigBlk /proc/self/status)); run it from a shell that blocks none" >&2
  exit 1
fi
ulimit -c 0

# The cases, in the order of INDEX.
cases=(
  trap-exit trap-signals trap-subshell kill-job sleep-kill wait-killed stop-cont timeout
  timeout-signal yes-head
)
for f in "$here"/*.sh; do
  name="$(basename "$f" .sh)"
  [ "$name" = record ] && continue
  [[ " ${cases[*]} " == *" $name "* ]] || { echo "record.sh: $name.sh is not in cases" >&2; exit 1; }
done

mounted_under_root() {
  awk -v r="$root" '$5 == r || index($5, r "/") == 1 { found = 1 } END { exit !found }' \
    /proc/self/mountinfo
}

remove_root() {
  [ -e "$root" ] || return 0
  if mounted_under_root; then
    echo "record.sh: something is mounted under $root; not deleting it" >&2
    exit 1
  fi
  rm -rf --one-file-system "$root"
}

# A fresh copy of the image with the device nodes and links blink-chroot's /dev has.
fresh_root() {
  remove_root
  mkdir -p "$root"
  tar xzf "$tarball" -C "$root"
  mknod -m 666 "$root/dev/null" c 1 3
  mknod -m 666 "$root/dev/zero" c 1 5
  mknod -m 666 "$root/dev/full" c 1 7
  mknod -m 666 "$root/dev/random" c 1 8
  mknod -m 666 "$root/dev/urandom" c 1 9
  mknod -m 666 "$root/dev/tty" c 5 0
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  mkdir -p "$root/dev/pts" "$root/dev/shm"
  chmod 1777 "$root/dev/shm"
}
trap remove_root EXIT

# The guest starts with descriptors 0, 1 and 2 only, as under blink-chroot.
for fd in /proc/$$/fd/*; do
  n="${fd##*/}"
  if [ "$n" -gt 2 ] 2>/dev/null; then
    eval "exec $n>&-" 2>/dev/null || true
  fi
done

mkdir -p "$out"
: > "$out/INDEX"
for name in "${cases[@]}"; do
  script="$(cat "$here/$name.sh")"
  fresh_root
  set +e
  started=$(date +%s%N)
  (cd / && env -i --default-signal PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    unshare --pid --fork --mount --mount-proc="$root/proc" \
    setsid chroot "$root" /bin/sh -c "$script") < /dev/null > /tmp/rec-signals.out 2> /tmp/rec-signals.err
  status=$?
  took=$(( ($(date +%s%N) - started) / 1000000 ))
  set -e
  recorded="env -i --default-signal PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root unshare --pid --fork --mount --mount-proc=$root/proc setsid chroot $root /bin/sh -c \"\$(cat $name.sh)\" </dev/null"
  {
    printf '# recorded: %s\n' "$recorded"
    printf 'script: %s.sh\n' "$name"
    printf 'exit: %d\n' "$status"
    printf 'stdout: %d\n' "$(wc -c < /tmp/rec-signals.out)"
    cat /tmp/rec-signals.out
    printf 'stderr: %d\n' "$(wc -c < /tmp/rec-signals.err)"
    cat /tmp/rec-signals.err
  } > "$out/$name.expected"
  echo "$name" >> "$out/INDEX"
  echo "$name: exit $status, $took ms" >&2
done
rm -f /tmp/rec-signals.out /tmp/rec-signals.err
