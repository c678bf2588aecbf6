# Pipelines of several stages, one moving more than a pipe holds. Every stage reads its input to
# the end (no head), so that no writer meets a closed pipe (SIGPIPE is sigpipe.sh's).
seq 1 1000 | grep 7 | sort -rn | sed -n '1,5p' | tr 0-9 a-j
seq 1 20000 | sort -rn | sed -n '1,3p'
cut -d: -f1 /etc/passwd | sort | uniq | wc -l
echo one two three | tr ' ' '\n' | sort -r | paste -s -d, -
