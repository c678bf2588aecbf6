# Background jobs: $!, wait for one, for all, their statuses; wait for what is not a child.
(exit 3) & a=$!
(exit 5) & b=$!
sleep 0.1 & c=$!
[ "$a" != "$b" ] && [ "$b" != "$c" ] && echo "three distinct pids"
wait $b; echo "wait b: $?"
wait $a; echo "wait a: $?"
wait; echo "wait (all): $?"
wait $c; echo "wait c afterwards: $?"
for i in 1 2 3 4 5; do (exit $i) & done; wait; echo "five jobs, wait: $?"
wait 12345; echo "wait for a pid that is not a child: $?"
