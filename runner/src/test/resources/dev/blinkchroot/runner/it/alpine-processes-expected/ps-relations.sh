# ps sees the shell and a blocked job: parent, group, state, command, arguments.
mkfifo /tmp/f
cat /tmp/f > /dev/null & job=$!
# Builtins only until the job has exec'd and blocked (no process of ours comes and goes).
while read -r _ c s _ < /proc/$job/stat; [ "$c $s" != "(cat) S" ]; do :; done
ps -o pid,ppid,pgid,stat,comm,args | awk -v job=$job -v me=$$ '
  NR == 1 { print "header:", $0 }
  $1 == me { print "shell: ppid", $2, "own group", ($3 == me), "state", $4, "comm", $5 }
  $1 == job { print "job: parent is the shell", ($2 == me), "shell'"'"'s group", ($3 == me), "state", $4, "comm", $5, "args", $6, $7 }
  $5 == "ps" { print "ps: parent is the shell", ($2 == me), "state", $4 }'
echo > /tmp/f; wait $job; echo "job: $?"
