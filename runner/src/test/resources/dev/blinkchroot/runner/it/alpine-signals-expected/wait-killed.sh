# Jobs killed by signals: wait gives 128 + the signal's number, and the shell names the signal
# on stderr for a foreground job. Background jobs of a non-interactive shell ignore SIGINT and
# SIGQUIT (the shell sets SIG_IGN in the child, execve keeps it): a job is sent those only once
# it runs sleep. Needs kill(2), default actions, SIG_IGN kept by execve, /proc/PID/cmdline and
# the SigIgn line of /proc/PID/status.
# (wait's 2>/dev/null: ash names the signal that killed a background job only if it reaps the
# job inside that wait, not if it reaped it earlier, which is a race; the status is not.)
ulimit -c 0
running_sleep() { until [ "$(tr '\0' ' ' < /proc/$1/cmdline)" = "sleep 10 " ]; do sleep 0.01; done; }
sleep 10 & kill $!; wait $! 2>/dev/null; echo "sleep 10 & kill \$!; wait \$!: $?"
sleep 10 & kill -9 $!; wait $! 2>/dev/null; echo "KILL: $?"
sleep 10 & kill -HUP $!; wait $! 2>/dev/null; echo "HUP: $?"
sleep 10 & kill -USR1 $!; wait $! 2>/dev/null; echo "USR1: $?"
sleep 10 & kill -ALRM $!; wait $! 2>/dev/null; echo "ALRM: $?"
sleep 10 & p=$!
running_sleep $p
grep SigIgn /proc/$p/status
kill -INT $p; kill -QUIT $p; sleep 0.1
kill -0 $p && echo "a background job ignores INT and QUIT"
kill $p; wait $p 2>/dev/null; echo "then TERM: $?"
sh -c 'kill -ABRT $$'; echo "ABRT: $?"
sh -c 'kill -SEGV $$'; echo "SEGV: $?"
sh -c 'kill -PIPE $$'; echo "PIPE: $?"
sh -c 'kill -INT $$'; echo "INT in the foreground: $?"
sleep 10 & a=$!; sleep 10 & b=$!; kill $a $b; wait; echo "wait for all: $?"
