#!/usr/bin/env bash
# Spawning processes, the shell's inner loop: three workloads in Alpine's busybox sh, each timed in
# one hyperfine run under a native chroot, proot -r and blink-chroot (warm cache), reported as
# ratios to the native chroot, with the project's aims:
#   spawn     for i in $(seq 300); do /bin/true; done        300 fork+exec+wait   aim: <= 5x native
#   subshell  for i in $(seq 300); do x=$(echo $i); done      300 forks, no exec
#   pipeline  dd if=/dev/zero bs=64k count=1600 | wc -c      100 MiB through a pipe  aim: <= 10x
# Usage: bench/spawn-bench.sh [RUNS]   (RUNS per command, default 10). Needs root (chroot, mknod),
#        hyperfine, proot. The native chroot is a scratch copy of the image under /tmp with
#        /dev/null and /dev/zero made by mknod (nothing bound, nothing mounted), deleted at exit.
# If blink-chroot cannot run a workload, it prints the native and proot figures, then says why
# blink-chroot could not be measured and exits 1; every blink-chroot run is under a timeout.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(dirname "$repo")/shared"
alpine="${BLINK_CHROOT_ALPINE:-$shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz}"
exe="$repo/runner/target/blink-chroot"
runs="${1:-10}"
limit=600 # seconds any one command may take

[ "$(id -u)" = 0 ] || { echo "spawn-bench: run as root (the native reference is a chroot)" >&2; exit 1; }
for tool in hyperfine proot python3 timeout; do
  command -v "$tool" >/dev/null || { echo "spawn-bench: install $tool (Debian: hyperfine, proot)" >&2; exit 1; }
done
[ -f "$alpine" ] || { echo "spawn-bench: the Alpine tarball is missing at $alpine (or set BLINK_CHROOT_ALPINE)" >&2; exit 1; }
[ -x "$exe" ] || (cd "$repo" && mvn -B -q -DskipTests package)

work="$(mktemp -d /tmp/spawn-bench.XXXXXX)"
root="$work/root"
cleanup() {
  if awk -v r="$root" 'index($5, r) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    echo "spawn-bench: something is mounted under $root; leaving $work" >&2
    return
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
mkdir -p "$root"
tar xzf "$alpine" -C "$root"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
export XDG_CACHE_HOME="$work/cache"

declare -A script=(
  [spawn]='for i in $(seq 300); do /bin/true; done'
  [subshell]='for i in $(seq 300); do x=$(echo $i); done'
  [pipeline]='dd if=/dev/zero bs=64k count=1600 2>/dev/null | wc -c'
)
declare -A expected=([spawn]='' [subshell]='' [pipeline]='104857600')
declare -A aim=([spawn]=5 [pipeline]=10)
order=(spawn subshell pipeline)

native_cmd() { echo "chroot $root /bin/sh -c '$1'"; }
proot_cmd() { echo "proot -r $root -w / /bin/sh -c '$1'"; }
blink_cmd() { echo "$exe $alpine /bin/sh -c '$1'"; }

# Each workload must give its answer natively and under proot before anything is timed.
for w in "${order[@]}"; do
  for how in native proot; do
    got="$(timeout "$limit" sh -c "$(${how}_cmd "${script[$w]}")" 2>&1)" || {
      echo "spawn-bench: $w under $how failed: $got" >&2; exit 1; }
    [ "$got" = "${expected[$w]}" ] || { echo "spawn-bench: $w under $how printed '$got'" >&2; exit 1; }
  done
done

# blink-chroot: warm the image cache, then check it can run the workloads at all.
blink_ready=1
blink_problem=""
"$exe" "$alpine" /bin/true || true
for w in "${order[@]}"; do
  set +e
  got="$(timeout "$limit" sh -c "$(blink_cmd "${script[$w]}")" 2>"$work/blink.err")"
  status=$?
  set -e
  if [ "$status" != 0 ] || [ "$got" != "${expected[$w]}" ]; then
    blink_ready=0
    [ "$status" = 124 ] && blink_problem="$w: timed out after $limit s" \
      || blink_problem="$w: exit $status, stdout '$got', stderr: $(head -c 600 "$work/blink.err")"
    break
  fi
done

report() { # workload json: one line per command with its mean and ratio to native
  python3 - "$1" "$2" "${aim[$1]:-}" <<'PY'
import json, sys
name, path, aim = sys.argv[1], sys.argv[2], sys.argv[3]
r = {x["command"]: x for x in json.load(open(path))["results"]}
native = r["native"]["mean"]
line = f"{name:<9} native {native*1000:8.1f} ms ± {r['native']['stddev']*1000:5.1f}"
for how in ("proot", "blink-chroot"):
    if how in r:
        m = r[how]["mean"]
        line += f"  {how} {m*1000:9.1f} ms ({m/native:6.2f}x)"
if "blink-chroot" in r and aim:
    ratio = r["blink-chroot"]["mean"] / native
    line += f"  aim <= {aim}x: {'met' if ratio <= float(aim) else 'not met'}"
print(line)
PY
}

echo "== spawning in Alpine's sh: native chroot, proot -r, blink-chroot (means of $runs runs) =="
for w in "${order[@]}"; do
  args=(-N -w 2 -r "$runs" --export-json "$work/$w.json"
    -n native "timeout $limit $(native_cmd "${script[$w]}")"
    -n proot "timeout $limit $(proot_cmd "${script[$w]}")")
  if [ "$blink_ready" = 1 ]; then
    args+=(-n blink-chroot "timeout $limit $(blink_cmd "${script[$w]}")")
  fi
  hyperfine "${args[@]}" >/dev/null
  report "$w" "$work/$w.json"
done

if [ "$blink_ready" != 1 ]; then
  echo "spawn-bench: blink-chroot could not run the workloads, so it was not measured:" >&2
  echo "spawn-bench:   $blink_problem" >&2
  exit 1
fi
