# trap on EXIT: at the end of the shell, after exit N (which keeps N), in sh -c and in a
# subshell, and not when the shell is killed by a signal it does not trap. Needs kill(2) and
# default actions.
trap 'echo "EXIT trap, status $?"' EXIT
sh -c 'trap "echo inner EXIT trap" EXIT; echo inner body'; echo "sh -c: $?"
sh -c 'trap "echo EXIT trap after exit 7, status \$?" EXIT; exit 7'; echo "exit 7: $?"
(trap 'echo subshell EXIT trap' EXIT; echo in the subshell); echo "subshell: $?"
sh -c 'trap "echo EXIT trap of a killed shell" EXIT; kill -TERM $$; echo not reached'
echo "killed by TERM: $?"
sh -c 'trap "echo TERM trap; exit 3" TERM; trap "echo EXIT trap after the TERM trap" EXIT; kill $$'
echo "TERM trapped, then exit 3: $?"
sh -c 'trap "echo EXIT trap, status \$?" EXIT; false'; echo "false: $?"
