#!/usr/bin/env bash
# Records the expected outputs of DebianProcessesIT by running each NAME.sh of this directory
# with bash in a REAL chroot of the Debian bookworm minbase image (needs root). Run from anywhere:
#
#   sudo setpriv --clear-groups \
#       runner/src/test/resources/dev/blinkchroot/runner/it/debian-processes-expected/record.sh \
#       ../shared/rootfs/debian-bookworm-minbase.tar.xz [OUTPUT-DIR]
#
# (OUTPUT-DIR, default this directory, lets a second recording be compared with the first.)
#
# Every case runs in a fresh copy of the image, the way blink-chroot runs every command: as pid 1
# of a new pid namespace (unshare --pid --fork) leading its own session and process group
# (setsid), with /proc mounted for that namespace inside a private mount namespace (--mount-proc:
# it goes away with the namespace, the host's mount table is never touched), in a new UTS
# namespace whose host name is blink-chroot's default, "blink-chroot", with exactly
# blink-chroot's default environment (PATH, HOME, TERM=xterm, HOSTNAME) and stdin /dev/null.
# The image brings its own device nodes in /dev (mmdebstrap made them; tar, as root, recreates
# them): nothing of the host's /dev is bound. The copy is deleted with rm --one-file-system after
# checking nothing is mounted in it.
#
# The format of NAME.expected is alpine-processes-expected/record.sh's:
#
#   # recorded: env -i ... chroot /tmp/debian-processes-native /bin/bash -c "$(cat NAME.sh)" </dev/null
#   script: NAME.sh
#   exit: N
#   stdout: BYTES
#   ...
#   stderr: BYTES
#   ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="${1:?usage: record.sh DEBIAN-TARBALL [OUTPUT-DIR]}"
out="${2:-$here}"
root=/tmp/debian-processes-native
if [ "$(id -u)" != 0 ] || [ "$(id -G)" != 0 ]; then
  echo "record.sh: run as root with no supplementary groups (id -G must print 0)," >&2
  echo "record.sh: e.g. sudo setpriv --clear-groups $0 $*" >&2
  exit 1
fi
for tool in unshare setsid chroot hostname; do
  command -v "$tool" >/dev/null || { echo "record.sh: $tool is missing" >&2; exit 1; }
done

# The cases, in the order of INDEX.
cases=(bash-pipelines bash-substitution bash-jobs neofetch)
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

fresh_root() {
  remove_root
  mkdir -p "$root"
  tar xJf "$tarball" -C "$root"
}
trap remove_root EXIT

# The guest starts with descriptors 0, 1 and 2 only, as under blink-chroot.
for fd in /proc/$$/fd/*; do
  n="${fd##*/}"
  if [ "$n" -gt 2 ] 2>/dev/null; then
    eval "exec $n>&-" 2>/dev/null || true
  fi
done

environment=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
  TERM=xterm HOSTNAME=blink-chroot)
mkdir -p "$out"
: > "$out/INDEX"
for name in "${cases[@]}"; do
  script="$(cat "$here/$name.sh")"
  fresh_root
  set +e
  (cd / && env -i "${environment[@]}" \
    unshare --uts --pid --fork --mount --mount-proc="$root/proc" \
    sh -c 'hostname blink-chroot && exec setsid chroot "$0" /bin/bash -c "$1"' "$root" "$script") \
    < /dev/null > /tmp/rec.out 2> /tmp/rec.err
  status=$?
  set -e
  recorded="env -i ${environment[*]} unshare --uts --pid --fork --mount --mount-proc=$root/proc sh -c 'hostname blink-chroot && exec setsid chroot \"\$0\" /bin/bash -c \"\$1\"' $root \"\$(cat $name.sh)\" </dev/null"
  {
    printf '# recorded: %s\n' "$recorded"
    printf 'script: %s.sh\n' "$name"
    printf 'exit: %d\n' "$status"
    printf 'stdout: %d\n' "$(wc -c < /tmp/rec.out)"
    cat /tmp/rec.out
    printf 'stderr: %d\n' "$(wc -c < /tmp/rec.err)"
    cat /tmp/rec.err
  } > "$out/$name.expected"
  echo "$name" >> "$out/INDEX"
  echo "$name: exit $status" >&2
done
rm -f /tmp/rec.out /tmp/rec.err
