# pgrep finds a job by name and by parent; kill -0 tells whether a process exists.
mkfifo /tmp/f
cat /tmp/f > /dev/null & job=$!
while read -r _ c s _ < /proc/$job/stat; [ "$c $s" != "(cat) S" ]; do :; done
[ "$(pgrep -x cat)" = "$job" ] && echo "pgrep -x cat finds the job"
[ "$(pgrep -P $$ -x cat)" = "$job" ] && echo "pgrep -P \$\$ finds it by its parent"
pgrep -x nosuch; echo "pgrep without a match: $?"
kill -0 $job; echo "kill -0 the job: $?"
kill -0 $$; echo "kill -0 the shell: $?"
echo > /tmp/f; wait $job
kill -0 $job 2>/dev/null; echo "kill -0 after it was reaped: $?"
