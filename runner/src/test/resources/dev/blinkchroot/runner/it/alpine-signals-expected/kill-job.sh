# kill %N: job numbers in a non-interactive shell, `jobs` before and after, wait %N giving
# 128 + the signal. Needs kill(2), default actions and wait4.
# (wait's 2>/dev/null: ash names the signal that killed a background job only if it reaps the
# job inside that wait, not if it reaped it earlier, which is a race; the status is not.)
sleep 10 &
sleep 10 &
jobs
kill %1
wait %1 2>/dev/null; echo "kill %1, wait %1: $?"
kill -KILL %2
wait %2 2>/dev/null; echo "kill -KILL %2, wait %2: $?"
jobs; echo "jobs: $?"
sleep 10 &
kill -HUP %%
wait %% 2>/dev/null; echo "kill -HUP %%: $?"
kill %9; echo "kill %9: $?"
