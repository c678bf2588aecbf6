# /proc/PID of a background job, read by the shell: comm, cmdline, environ, exe, cwd, root, fd,
# status, stat, maps, task.
mkdir /tmp/w; cd /tmp/w; mkfifo f
env -i A=1 B='two words' cat f > /dev/null & job=$!
while read -r _ c s _ < /proc/$job/stat; [ "$c $s" != "(cat) S" ]; do :; done
cd /
cat /proc/$job/comm
tr '\0' '|' < /proc/$job/cmdline; echo
tr '\0' '|' < /proc/$job/environ; echo
for link in exe cwd root fd/1; do echo "$link: $(readlink /proc/$job/$link)"; done
echo "fd: $(ls /proc/$job/fd | sort -n | tr '\n' ' ')"
grep -E '^(Name|State|Threads):' /proc/$job/status
read -r pid comm state ppid pgrp rest < /proc/$job/stat
echo "stat: pid is \$! $((pid == job)), $comm, state $state, parent is the shell $((ppid == $$)), the shell's group $((pgrp == $$))"
grep -q ' /bin/busybox$' /proc/$job/maps && echo "maps: busybox is mapped"
ls /proc/$job/task | grep -qx "$job" && echo "task: holds the job's thread"
echo > /tmp/w/f; wait $job
ls /proc/$job 2>/dev/null || echo "gone once reaped"
