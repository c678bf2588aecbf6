#!/usr/bin/env bash
# Interpreter throughput against native execution, in one run on this machine.
# For each loop in bench/cpu/*.s: assemble it once into a flat snippet for the emulator and
# into a static executable for the host (same instructions, same iteration count), time both,
# and print guest instructions per second and the ratio of wall times.
# Usage: bench/cpu/cpu-bench.sh [ITERATIONS_SCALE]   (needs: gcc, binutils, a built runner jar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
jar="$top/runner/target/blink-chroot.jar"
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
scale=${1:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A iters=([arith]=$((20000000 * scale)) [memory]=$((400 * scale)) [sse]=$((20000 * scale)))
printf '%-8s %14s %12s %12s %8s\n' loop guest-insns native-s emulator-s ratio
for name in arith memory sse; do
  src="$here/$name.s"
  n=${iters[$name]}
  # The snippet alone (the emulator maps it and sets rcx, rsi itself).
  printf '.intel_syntax noprefix\n.text\n' > "$work/$name.flat.s"
  cat "$src" >> "$work/$name.flat.s"
  as --64 -o "$work/$name.flat.o" "$work/$name.flat.s"
  objcopy -O binary -j .text "$work/$name.flat.o" "$work/$name.bin"
  # The native program: set up the same registers, run the snippet, exit.
  cat > "$work/$name.native.s" <<ASM
.intel_syntax noprefix
.globl _start
.bss
.balign 64
buffer: .skip 65536
.text
_start:
    mov rcx, $n
    lea rsi, [rip+buffer]
    xor eax, eax
    xor ebx, ebx
$(cat "$src")
    mov eax, 60
    xor edi, edi
    syscall
ASM
  gcc -nostdlib -static -o "$work/$name.native" "$work/$name.native.s"
  start=$(date +%s.%N)
  "$work/$name.native"
  end=$(date +%s.%N)
  native=$(echo "$end - $start" | bc -l)
  out=$(java -cp "$jar" dev.blinkchroot.emulator.cpu.InterpreterBenchmark "$work/$name.bin" "$n")
  insns=$(echo "$out" | awk '/^retired/ {print $2}')
  emu=$(echo "$out" | awk '/^seconds/ {print $2}')
  printf '%-8s %14s %12.3f %12.3f %7.0fx   (%s guest insns/s)\n' "$name" "$insns" "$native" "$emu" \
    "$(echo "$emu / $native" | bc -l)" "$(echo "$insns / $emu" | bc -l | cut -d. -f1)"
done
