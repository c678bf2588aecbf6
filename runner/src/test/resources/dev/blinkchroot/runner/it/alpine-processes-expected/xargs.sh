# xargs runs commands in batches and reports their failures.
seq 1 10 | xargs -n 3 echo
printf 'a\nb c\n' | xargs -I{} sh -c 'echo "[{}]"'
seq 1 5 | xargs sh -c 'echo "$# arguments: $*"' sh
echo | xargs -r echo never; echo "empty input: $?"
seq 1 3 | xargs false; echo "a failing command: $?"
