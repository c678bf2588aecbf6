# bash background jobs: wait for one, wait -n, wait for all, statuses.
(exit 3) & a=$!
(exit 5) & b=$!
wait $b; echo "b: $?"
wait $a; echo "a: $?"
sleep 0.2 & (exit 4) & wait -n; echo "wait -n: $?"
wait; echo "wait: $?"
for i in 1 2 3; do (exit $i) & done; wait; echo "three jobs: $?"
