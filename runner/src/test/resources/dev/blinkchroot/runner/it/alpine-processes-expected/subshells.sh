# Subshells work on copies of the shell's state and return their status.
x=outer; (x=inner; echo "in: $x"); echo "out: $x"
(cd /etc && pwd); pwd
umask 022; (umask 077; umask); umask
(exit 3); echo "(exit 3): $?"
( (exit 4) ); echo "( (exit 4) ): $?"
(trap 'echo the subshell runs its EXIT trap' EXIT; echo body)
{ echo braces; echo run here; } | cat
(echo "\$\$ is the shell's in a subshell: $( [ "$(echo $$)" = "$$" ] && echo yes)")
