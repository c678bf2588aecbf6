# Processes that share an open file share its offset: a pipe read in turns, a file too.
printf 'a\nb\nc\n' | { read x; echo "the shell read $x"; cat; }
printf 'l1\nl2\nl3\n' > /tmp/in
{ head -n 1; echo "--"; cat; } < /tmp/in
{ echo first; sh -c 'echo second'; echo third; } > /tmp/out; cat /tmp/out
