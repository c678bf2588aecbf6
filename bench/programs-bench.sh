#!/usr/bin/env bash
# Whole-process timings, in one run on this machine, of programs run natively, under
# blink-chroot (the interpreter; the JIT comes later) and under qemu-x86_64 (Debian package
# qemu-user), reported as ratios to native:
#   - the ../shared/bench programs, static musl builds (run in the Alpine image via --bind),
#   - blink-chroot ALPINE /bin/true (start-up, warm cache) and apk info, against a native chroot.
# Usage: bench/programs-bench.sh [SCALE]   (SCALE divides the programs' default sizes; default 10:
#        the interpreter is slow enough that full sizes take minutes). Needs root for the
#        native chroot, musl-gcc (musl-tools), hyperfine, qemu-user.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(dirname "$repo")/shared"
alpine="${BLINK_CHROOT_ALPINE:-$shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz}"
exe="$repo/runner/target/blink-chroot"
scale="${1:-10}"
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

# Warm the image cache once so start-up figures measure the warm path.
"$exe" "$alpine" /bin/true

result() { # name, json file: prints "name native blink qemu ratios"
  python3 - "$1" "$2" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[2]))["results"]}
native, blink, qemu = r["native"], r["blink-chroot"], r.get("qemu-x86_64")
line = f"{sys.argv[1]:<12} native {native*1000:9.1f} ms  blink-chroot {blink*1000:10.1f} ms ({blink/native:7.1f}x)"
if qemu: line += f"  qemu-x86_64 {qemu*1000:9.1f} ms ({qemu/native:6.1f}x)"
print(line)
PY
}

echo "== programs (static musl, size / $scale) =="
for p in primes sha nbody sortbench; do
  arg=${size[$p]}
  hyperfine -N -w 1 -r 3 --export-json "$work/$p.json" \
    -n native "$work/bin/$p $arg" \
    -n blink-chroot "$exe --bind $work/bin:/b:ro $alpine /b/$p $arg" \
    -n qemu-x86_64 "qemu-x86_64 $work/bin/$p $arg" >/dev/null
  result "$p" "$work/$p.json"
done

echo "== start-up and apk (warm cache; native = chroot into an unpacked copy) =="
mount -t proc proc "$work/root/proc"
hyperfine -N -w 2 -r 10 --export-json "$work/true.json" \
  -n native "chroot $work/root /bin/true" \
  -n blink-chroot "$exe $alpine /bin/true" >/dev/null
result "/bin/true" "$work/true.json"
hyperfine -N -w 1 -r 5 --export-json "$work/apk.json" \
  -n native "chroot $work/root /sbin/apk info" \
  -n blink-chroot "$exe $alpine /sbin/apk info" >/dev/null
result "apk info" "$work/apk.json"
