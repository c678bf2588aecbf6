# A shell that stops itself with kill -STOP $$, seen stopped in /proc, resumed by kill -CONT
# from its parent; wait goes on through the stop. A stopped job killed by SIGTERM dies only
# when continued; SIGKILL needs no SIGCONT. Needs SIGSTOP/SIGCONT, /proc/PID/stat's state.
# (wait's 2>/dev/null: ash names the signal that killed a background job only if it reaps the
# job inside that wait, not if it reaped it earlier, which is a race; the status is not.)
state() { read -r line < /proc/$1/stat; set -- ${line##*) }; echo $1; }
sh -c 'echo child stopping; kill -STOP $$; echo child continued; exit 4' & p=$!
while [ "$(state $p)" != T ]; do sleep 0.01; done
echo "the child is stopped: $(state $p)"
kill -CONT $p
wait $p 2>/dev/null; echo "wait after kill -CONT: $?"
sleep 10 & p=$!
kill -STOP $p
while [ "$(state $p)" != T ]; do sleep 0.01; done
kill -TERM $p
sleep 0.1
echo "SIGTERM to a stopped job, still there: $(state $p)"
kill -CONT $p
wait $p 2>/dev/null; echo "then SIGCONT: $?"
sleep 10 & p=$!
kill -STOP $p
while [ "$(state $p)" != T ]; do sleep 0.01; done
kill -KILL $p
wait $p 2>/dev/null; echo "SIGKILL to a stopped job: $?"
