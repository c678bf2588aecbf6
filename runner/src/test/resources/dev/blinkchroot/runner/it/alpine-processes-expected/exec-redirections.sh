# exec with only redirections changes the shell's descriptors; with a command it replaces it.
exec 3>/tmp/three
echo "written to fd 3" >&3
exec 3>&-
cat /tmp/three
exec 4</etc/alpine-release
read line <&4; echo "read from fd 4: $line"
exec 4<&-
exec 5>&1
echo "written to fd 5" >&5
exec 2>/tmp/err
ls /nonexistent
exec 2>&1
cat /tmp/err
(exec >/tmp/sub; echo "redirected in a subshell"); cat /tmp/sub
echo "fd 3 is closed again: $(echo x 2>/dev/null >&3 || echo yes)"
exec echo "replaced by exec"
echo never
