# trap on USR1, INT, TERM and HUP: the trap runs after the kill that sent the signal, a trap can
# be reset to the default or set to ignore, `trap` lists them; children of the shell get the
# default actions back (and keep ignored signals). Needs kill(2) and handlers (the shell is pid
# 1 here: without its traps it would not get these signals at all).
trap 'echo got USR1' USR1
trap 'echo got INT' INT
trap 'echo got TERM' TERM
trap 'echo got HUP' HUP
kill -USR1 $$; echo "after USR1"
kill -INT $$; echo "after INT"
kill -TERM $$; echo "after TERM"
kill -HUP $$; echo "after HUP"
kill -USR1 $$; kill -USR1 $$; echo "two USR1"
trap
sh -c 'kill -INT $$; echo not reached'; echo "a child killed by INT: $?"
sh -c 'kill -USR1 $$; echo not reached'; echo "a child killed by USR1: $?"
sh -c 'trap "echo child got INT; exit 5" INT; kill -INT $$; echo not reached'
echo "a child trapping INT: $?"
trap '' INT
trap - USR1
sh -c 'kill -INT $$; echo INT is ignored in the child too'; echo "status $?"
sh -c 'trap "echo cannot trap it" INT; kill -INT $$; echo still ignored'; echo "status $?"
trap
kill -INT $$; echo "INT ignored by the shell"
sh -c 'trap "echo got USR1 while waiting; kill \$p; exit 7" USR1; sleep 10 & p=$!; (sleep 0.1; kill -USR1 $$) & wait $p'
echo "a trap ending wait: $?"
