# ps as it looks in a fresh pid namespace, which blink-chroot gives every run: the shell is pid
# 1, and the pids of the processes it starts count up from 2 (mkfifo 2, cat 3, ps 4).
mkfifo /tmp/f
cat /tmp/f > /dev/null &
while read -r _ c s _ < /proc/$!/stat; [ "$c $s" != "(cat) S" ]; do :; done
ps -o pid,ppid,pgid,stat,user,comm
echo > /tmp/f; wait
