#!/usr/bin/env bash
# Whole-process timings, in one run on this machine, of programs run natively, under
# blink-chroot (the JIT), blink-chroot --no-jit (the interpreter) and qemu-x86_64 (Debian
# package qemu-user), reported as ratios to native:
#   - the ../shared/bench programs, static musl builds (run in the Alpine image via --bind),
#   - blink-chroot ALPINE /bin/true (start-up, warm cache) and apk info, against a native chroot.
# The JIT's runs set BLINK_CHROOT_JIT=on (or the mode it is already set to) and carry --report,
# whose last lines say what was compiled and how long compiling took (the JIT's own code
# generation, and HotSpot's compiler threads); both are printed.
# Usage: bench/programs-bench.sh [--quick] [--runs N] [--skip-no-jit]
#   --quick        the programs at one tenth of their default sizes (the default is full size)
#   --runs N       timed runs per command (default 3 with --quick, else 1: at full size the
#                  interpreter takes minutes per program)
#   --skip-no-jit  leave out the interpreter's runs
# Needs root for the native chroot, musl-gcc (musl-tools), hyperfine, qemu-user.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(dirname "$repo")/shared"
alpine="${BLINK_CHROOT_ALPINE:-$shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz}"
exe="$repo/runner/target/blink-chroot"
scale=1 runs="" no_jit=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scale=10 ;;
    --runs) runs="$2"; shift ;;
    --skip-no-jit) no_jit=0 ;;
    *) echo "usage: $0 [--quick] [--runs N] [--skip-no-jit]" >&2; exit 2 ;;
  esac
  shift
done
runs="${runs:-$([ "$scale" = 1 ] && echo 1 || echo 3)}"
for tool in musl-gcc hyperfine qemu-x86_64; do
  command -v "$tool" >/dev/null || { echo "programs-bench: install $tool (musl-tools, hyperfine, qemu-user)" >&2; exit 1; }
done
[ -x "$exe" ] || (cd "$repo" && mvn -B -q -DskipTests package)
work="$(mktemp -d)"
trap 'umount "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/root"
tar xzf "$alpine" -C "$work/root"

declare -A size=([primes]=$((3000000 / scale)) [sha]=$((64 / scale > 0 ? 64 / scale : 1))
                 [nbody]=$((5000000 / scale)) [sortbench]=$((2000000 / scale)))
for p in primes sha nbody sortbench; do
  musl-gcc -O2 -static -o "$work/bin/$p" "$shared/bench/$p.c" -lm
done

# The JIT is off unless BLINK_CHROOT_JIT turns it on (the default threshold: hot code only).
jit=(env BLINK_CHROOT_JIT="${BLINK_CHROOT_JIT:-on}" "$exe")

# Warm the image cache once so start-up figures measure the warm path.
"$exe" "$alpine" /bin/true

# time NAME RUNS WARMUP COMMAND...: one hyperfine run per command, so each gets its own count.
# The JIT's runs also send stderr to the output file, for --report's last lines.
time_command() {
  local name="$1" n="$2" warmup="$3" command
  shift 3
  command="$*"
  case "$name" in
    *:jit) command="sh -c 'exec \"\$0\" \"\$@\" 2>&1' $command" ;;
  esac
  hyperfine -N -w "$warmup" -r "$n" --output="$work/$name.out" --export-json "$work/$name.json" \
    -n "$name" "$command" >/dev/null
}

result() { # label, then the names timed: prints the means and their ratios to the first
  python3 - "$work" "$@" <<'PY'
import json, os, re, sys
work, label, names = sys.argv[1], sys.argv[2], sys.argv[3:]
mean = {n: json.load(open(f"{work}/{n}.json"))["results"][0]["mean"] for n in names}
base = mean[names[0]]
line = f"{label:<10}"
for n in names:
    shown = n.split(":", 1)[1]
    line += f"  {shown} {mean[n]:8.2f} s" + ("" if n == names[0] else f" ({mean[n] / base:5.1f}x)")
print(line)
for n in names:
    out = open(f"{work}/{n}.out", errors="replace").read()
    jit = re.findall(r"^jit: .*$", out, re.M)
    jvm = re.findall(r"^jvm: .*$", out, re.M)
    if jit:
        print(f"{'':<12}{jit[-1]}\n{'':<12}{jvm[-1] if jvm else ''}")
PY
}

echo "== programs (static musl, size / $scale, $runs run(s) each; ratios to native) =="
for p in primes sha nbody sortbench; do
  arg=${size[$p]}
  names=("$p:native" "$p:jit")
  time_command "$p:native" "$runs" 1 "$work/bin/$p" "$arg"
  time_command "$p:jit" "$runs" 0 "${jit[@]}" --report --bind "$work/bin:/b:ro" "$alpine" "/b/$p" "$arg"
  if [ "$no_jit" = 1 ]; then
    time_command "$p:no-jit" "$runs" 0 "$exe" --no-jit --bind "$work/bin:/b:ro" "$alpine" "/b/$p" "$arg"
    names+=("$p:no-jit")
  fi
  time_command "$p:qemu" "$runs" 0 qemu-x86_64 "$work/bin/$p" "$arg"
  names+=("$p:qemu")
  result "$p" "${names[@]}"
done

echo "== start-up and apk (warm cache; native = chroot into an unpacked copy) =="
mount -t proc proc "$work/root/proc"
time_command "true:native" 10 2 chroot "$work/root" /bin/true
time_command "true:jit" 10 2 "${jit[@]}" --report "$alpine" /bin/true
time_command "true:no-jit" 10 2 "$exe" --no-jit "$alpine" /bin/true
result "/bin/true" "true:native" "true:jit" "true:no-jit"
time_command "apk:native" 5 1 chroot "$work/root" /sbin/apk info
time_command "apk:jit" 5 1 "${jit[@]}" --report "$alpine" /sbin/apk info
time_command "apk:no-jit" 5 1 "$exe" --no-jit "$alpine" /sbin/apk info
result "apk info" "apk:native" "apk:jit" "apk:no-jit"
