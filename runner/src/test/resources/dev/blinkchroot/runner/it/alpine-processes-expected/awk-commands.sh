# awk starting commands: getline from a command, system(), printing into a pipe.
awk 'BEGIN { while (("seq 1 4" | getline x) > 0) s += x; print "sum", s }'
awk 'BEGIN { r = system("exit 3"); print "system returned", r }'
awk 'BEGIN { print "b" | "sort"; print "a" | "sort"; close("sort"); print "after sort" }'
