# bash command substitution: nested, in loops, in arithmetic, its status; subshells and $$.
echo "$(echo "$(echo nested "$(echo deeper)")")"
for i in $(seq 5); do printf '%s ' $(( $(echo $i) * 2 )); done; echo
n=0; while (( n < 50 )); do n=$(( $(echo $n) + 1 )); done; echo "counted to $n"
x=$(exit 6); echo "status of an assignment from \$(exit 6): $?"
echo "lines of /etc/passwd: $(wc -l < /etc/passwd)"
echo "\$\$ inside \$(...) is the shell's: $( [ "$(echo $$)" = "$$" ] && echo yes)"
echo "BASHPID inside \$(...) is another: $( [ "$(echo $BASHPID)" != "$$" ] && echo yes)"
(exit 3); echo "(exit 3): $?"
x=outer; (x=inner); echo "after a subshell: $x"
echo "shell: pid $$, parent $PPID"
[ "$(bash -c 'echo $PPID')" = "$$" ] && echo "a child bash's PPID is \$\$"
