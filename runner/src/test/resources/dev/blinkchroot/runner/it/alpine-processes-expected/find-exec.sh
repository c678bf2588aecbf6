# find -exec, one process per file and batched; output sorted (directory order is the file
# system's).
mkdir -p /tmp/t/a/b
echo 1 > /tmp/t/a/x
echo 22 > /tmp/t/a/b/y
find /tmp/t -type f -exec wc -c {} \; | sort
find /tmp/t -type f -exec echo found {} + | tr ' ' '\n' | sort
find /tmp/t -name y -exec sh -c 'echo "in a shell: $1"' sh {} \;
find /tmp/t -type f -exec false {} \; ; echo "find's status when -exec fails: $?"
