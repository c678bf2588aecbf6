# Shells in shells: statuses pass up, $PPID is the parent.
sh -c 'exit 7'; echo "sh -c 'exit 7': $?"
sh -c 'sh -c "exit 3"; echo "inner: $?"; exit 4'; echo "outer: $?"
[ "$(sh -c 'echo $PPID')" = "$$" ] && echo "a child shell's PPID is \$\$"
sh -c 'p=$$; [ "$(sh -c "echo \$PPID")" = "$p" ] && echo "and its child'"'"'s is its \$\$"'
echo "PPID of the first shell: $PPID"
