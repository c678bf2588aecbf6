# Commands that cannot run: 127 when missing, 126 when not executable.
nosuchcmd; echo "missing: $?"
/etc/passwd; echo "not executable: $?"
/tmp; echo "a directory: $?"
printf '#!/nonexistent/interpreter\n' > /tmp/script; chmod +x /tmp/script
/tmp/script; echo "a missing interpreter: $?"
