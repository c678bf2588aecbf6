# bash pipelines (GNU tools, glibc): PIPESTATUS, pipefail, stderr into a pipe, process
# substitution, a coprocess, a megabyte through pipes. No stage stops reading early (SIGPIPE
# is not what this tests).
seq 1 1000 | grep 7 | sort -rn | sed -n '1,3p' | tr 0-9 a-j
seq 1 3 | cat | (cat > /dev/null; exit 3) | true; echo "PIPESTATUS: ${PIPESTATUS[*]}"
set -o pipefail
(exit 2) | true; echo "pipefail: $?"
set +o pipefail
{ echo out; echo err >&2; } 2>&1 | sort
diff <(seq 1 3) <(seq 1 4); echo "diff of two process substitutions: $?"
mapfile -t lines < <(printf 'a\nb\n'); echo "mapfile from a process substitution: ${#lines[@]} ${lines[1]}"
coproc { read -r x; echo "the coprocess got $x"; }
echo hello >&"${COPROC[1]}"; read -r y <&"${COPROC[0]}"; echo "$y"; wait
seq 1 100000 | awk '{ s += $1 } END { print "sum", s }'
dd if=/dev/zero bs=64k count=16 2>/dev/null | tr '\0' x | sha256sum
