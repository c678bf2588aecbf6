#!/usr/bin/env bash
# Whole-process timings of `blink-chroot fs ALPINE cat /etc/alpine-release` (cold cache, warm
# cache, no cache) next to native `cat` on an unpacked copy, then the in-JVM import benchmark.
# Ratios are to native cat: a lone absolute time says little across machines.
#
# Usage: bench/fs-bench.sh            (from anywhere; builds the executable if it is missing)
# Environment: BLINK_CHROOT_ALPINE (the tarball; default ../shared/rootfs/ beside the repo),
#              BENCH_RUNS (runs per case, default 20), JAVA_HOME (the JVM to measure).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
alpine="${BLINK_CHROOT_ALPINE:-$(dirname "$repo")/shared/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz}"
runs="${BENCH_RUNS:-20}"
exe="$repo/runner/target/blink-chroot"
jar="$repo/runner/target/blink-chroot.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ ! -f "$alpine" ]; then
  echo "fs-bench: the Alpine tarball is missing at $alpine (set BLINK_CHROOT_ALPINE)" >&2
  exit 1
fi
if ! command -v hyperfine >/dev/null 2>&1; then
  echo "fs-bench: installing hyperfine" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q hyperfine >/dev/null; else sudo apt-get install -y -q hyperfine >/dev/null; fi
fi
if [ ! -x "$exe" ] || [ ! -f "$jar" ]; then
  echo "fs-bench: building blink-chroot" >&2
  (cd "$repo" && mvn -B -q -DskipTests package)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/fs-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/unpacked"
tar xzf "$alpine" -C "$work/unpacked" 2>/dev/null || tar xzf "$alpine" -C "$work/unpacked" --no-same-owner
"$exe" fs --cache-dir "$work/warm-cache" "$alpine" cat /etc/alpine-release >/dev/null # fill it

csv="$work/results.csv"
: > "$csv"
# bench NAME PREPARE COMMAND...: one hyperfine run; appends "name|mean|stddev|user+system" (s)
# to $csv. Fields are counted from the end of hyperfine's CSV row, whose first field (the
# command) may itself hold commas.
bench() {
  local name="$1" prepare="$2"
  shift 2
  local args=(-N --style basic --warmup 3 --runs "$runs" --export-csv "$work/one.csv")
  if [ -n "$prepare" ]; then args+=(--prepare "$prepare"); fi
  echo "== $name"
  hyperfine "${args[@]}" "$(printf '%q ' "$@")"
  awk -F, -v n="$name" 'NR == 2 { printf "%s|%s|%s|%s\n", n, $(NF-6), $(NF-5), $(NF-3) + $(NF-2) }' \
    "$work/one.csv" >> "$csv"
}

bench "native cat" "" cat "$work/unpacked/etc/alpine-release"
bench "blink-chroot --version (JVM + CLI floor)" "" "$exe" --version
bench "fs cat, warm cache" "" "$exe" fs --cache-dir "$work/warm-cache" "$alpine" cat /etc/alpine-release
bench "fs cat, cold cache" "rm -rf $work/cold-cache" "$exe" fs --cache-dir "$work/cold-cache" "$alpine" cat /etc/alpine-release
bench "fs cat, --no-cache" "" "$exe" fs --no-cache "$alpine" cat /etc/alpine-release

echo
echo "Summary ($runs runs each; $("$java" -version 2>&1 | head -1); $(nproc) CPUs; load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?))"
printf '  %-42s %18s %14s %12s\n' case "wall mean" "x native" "CPU (u+s)"
awk -F'|' 'NR == 1 { native = $2 }
  { printf "  %-42s %9.1f +- %5.1f ms %12.1fx %9.1f ms\n", $1, $2 * 1000, $3 * 1000, $2 / native, $4 * 1000 }' "$csv"

echo
echo "== in-JVM import (dev.blinkchroot.rootfs.ImportBenchmark)"
BLINK_CHROOT_ALPINE="$alpine" "$java" -cp "$jar" dev.blinkchroot.rootfs.ImportBenchmark "$alpine"
