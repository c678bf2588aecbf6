# The shell leads its session and group (pid 1 in its own pid namespace, as under blink-chroot);
# setsid starts a new one.
read -r pid comm state ppid pgrp sid rest < /proc/$$/stat
echo "shell: pid $pid, ppid $ppid, leads its group $((pgrp == $$)), its session $((sid == $$))"
setsid sh -c 'read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; echo "setsid: leads its group $((pgrp == $$)), its session $((sid == $$))"'
sh -c 'read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; echo "child: in the shell'"'"'s group $((pgrp == 1)), session $((sid == 1))"'
