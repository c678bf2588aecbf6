# The brief's example, and kill's own errors and listing. Needs kill(2) and wait4.
# (wait's 2>/dev/null: ash names the signal that killed a background job only if it reaps the
# job inside that wait, not if it reaped it earlier, which is a race; the status is not.)
sleep 10 & kill $!; wait $! 2>/dev/null; echo $?
kill -0 $$; echo "kill -0 \$\$: $?"
kill -0 999999; echo "kill -0 999999: $?"
kill -l 15; kill -l 143; kill -l TERM
kill -s USR2 999999; echo "kill -s USR2 999999: $?"
kill -99 $$; echo "kill -99: $?"
