# The benchmark's loops, for their results: 300 programs run, and a loop of subshells.
for i in $(seq 300); do /bin/true; done; echo "300 runs of /bin/true"
n=0; for i in $(seq 100); do n=$((n + $(echo 1))); done; echo "100 substitutions sum to $n"
for i in $(seq 50); do (exit $((i % 3))); done; echo "last subshell status: $?"
