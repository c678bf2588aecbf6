# Traps in subshells: a subshell gets the default actions back but keeps ignored signals (and
# may trap them), `trap` in a command substitution, a subshell's own traps, a signal sent to the
# parent from a subshell, and sh -c started with SIGUSR2 ignored (it cannot trap it). Needs
# kill(2), handlers, SIG_IGN kept across fork and execve, /proc/PID/status's SigIgn. ($PPID of a
# command run in a subshell is the subshell.)
trap 'echo parent got USR1' USR1
trap '' USR2
echo "traps seen by \$(trap): $(trap | tr '\n' ';')"
(kill -USR1 $$; echo subshell sent USR1 to the parent)
(trap 'echo subshell got USR1' USR1; sh -c 'kill -USR1 $PPID'; echo subshell goes on)
echo "status $?"
(sh -c 'kill -USR1 $PPID'; echo not reached); echo "subshell without a trap: $?"
(sh -c 'kill -USR2 $PPID'; echo "USR2 is still ignored in the subshell"); echo "status $?"
(trap 'echo the subshell trapped USR2' USR2; sh -c 'kill -USR2 $PPID'; echo "it goes on"); echo "status $?"
sh -c 'trap "echo not trapped" USR2; kill -USR2 $$; echo "sh -c started with USR2 ignored cannot trap it"'
echo "status $?"
sh -c 'grep SigIgn /proc/$$/status'
echo end
