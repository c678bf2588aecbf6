#!/usr/bin/env bash
# Records the expected outputs of AlpineCommandsIT by running each command in a REAL chroot of
# the Alpine minirootfs (needs root). Run from anywhere:
#
#   sudo runner/src/test/resources/dev/blinkchroot/runner/it/alpine-expected/record.sh \
#       ../shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz
#
# Each NAME.expected starts with the exact command line that produced it, then the guest script,
# the exit status, and stdout and stderr as byte counts followed by the bytes:
#
#   # recorded: env -i ... chroot /tmp/alp-native /bin/sh -c '...'
#   script: ...
#   exit: N
#   stdout: BYTES
#   ...
#   stderr: BYTES
#   ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="${1:?usage: record.sh ALPINE-TARBALL}"
root=/tmp/alp-native
if [ "$(id -u)" != 0 ] || [ "$(id -G)" != 0 ]; then
  echo "record.sh: run as root with no supplementary groups (id -G must print 0)," >&2
  echo "record.sh: e.g. sudo setpriv --clear-groups $0 $*" >&2
  exit 1
fi
if [ ! -d "$root/bin" ]; then
  mkdir -p "$root"
  tar xzf "$tarball" -C "$root"
fi

# name|chroot options|script. Recorded as root with no supplementary groups (chroot keeps the
# caller's, and blink-chroot's default user is root with none), so "id" shows no groups=.
# Single-process commands only: a shell runs a lone command by exec, without fork. Pipelines
# and command lists need fork, which comes with processes (a later issue).
cases=(
  "ls-l||ls -l /bin/ls /bin/sh"
  "ls-bin||ls /bin"
  "sha256sum||sha256sum /bin/busybox /lib/ld-musl-x86_64.so.1"
  "ld-musl-usage||/lib/ld-musl-x86_64.so.1"
  "apk-version||apk --version"
  "apk-info||apk info"
  "awk-float||awk 'BEGIN{printf \"%.6f\\n\", 3.14159*2.5; print 1/3}'"
  "date||date -u -d @1000000000"
  "printf||printf '%5.2f|%x\\n' 3.14159 255"
  "stat||stat -c '%n|%a|%F|%u|%g|%h' /etc /etc/shadow /tmp"
  "od||od -c /etc/alpine-release"
  "hexdump||hexdump -C /etc/alpine-release"
  "md5sum||md5sum /etc/passwd"
  "sort||sort /etc/passwd"
  "cut||cut -d: -f1 /etc/passwd"
  "id||id"
  "id-user||id -un"
  "cat-missing||cat /does/not/exist"
  "exit-status||exit 42"
  "sh-arith||echo \$((6 * 7)) \$((1 << 40)) \$((-17 / 5)) \$((-17 % 5))"
  "wc||wc -l /etc/passwd /etc/group"
  "grep||grep -n root /etc/passwd /etc/group"
  "sed||sed -n 's/:.*//p' /etc/group"
  "tar-create||tar -cvf /tmp/x.tar /etc/hostname /etc/alpine-release"
  "seq||seq 1 5"
  "write-tmp||echo hello > /tmp/f"
)

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

: > "$here/INDEX"
for c in "${cases[@]}"; do
  name="${c%%|*}"
  rest="${c#*|}"
  opts="${rest%%|*}"
  script="${rest#*|}"
  cmd=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root chroot)
  [ -n "$opts" ] && cmd+=("$opts")
  cmd+=("$root" /bin/sh -c "$script")
  set +e
  (cd / && "${cmd[@]}") > /tmp/rec.out 2> /tmp/rec.err
  status=$?
  set -e
  recorded="env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root chroot ${opts:+$opts }$root /bin/sh -c $(quote "$script")"
  {
    printf '# recorded: %s\n' "$recorded"
    printf 'script: %s\n' "$script"
    printf 'exit: %d\n' "$status"
    printf 'stdout: %d\n' "$(wc -c < /tmp/rec.out)"
    cat /tmp/rec.out
    printf 'stderr: %d\n' "$(wc -c < /tmp/rec.err)"
    cat /tmp/rec.err
  } > "$here/$name.expected"
  echo "$name" >> "$here/INDEX"
  echo "$name: exit $status" >&2
done
rm -f /tmp/rec.out /tmp/rec.err
