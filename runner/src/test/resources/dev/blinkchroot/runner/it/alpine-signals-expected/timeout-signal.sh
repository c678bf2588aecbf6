# busybox timeout -s: SIGKILL, and SIGINT to a command that traps it. Needs kill(2) from another
# process, default actions and handlers.
timeout -s KILL 1 sleep 5; echo "timeout -s KILL 1 sleep 5: $?"
timeout -s INT 1 sh -c 'trap "echo got INT; exit 9" INT; sleep 5 & wait'
echo "INT trapped by the command: $?"
