# Command substitution in loops, nested, with backquotes, its status, trailing newlines.
for i in $(seq 1 20); do x=$(echo $i | sed s/1/one/); printf '%s ' "$x"; done; echo
echo $(echo a $(echo b $(echo c)))
echo `echo back` `expr 6 \* 7`
x=$(printf 'trailing\n\n\n'); echo "[$x]"
n=0; while [ $n -lt 30 ]; do n=$(( $(echo $n) + 1 )); done; echo "counted to $n"
x=$(exit 5); echo "status of an assignment from \$(exit 5): $?"
