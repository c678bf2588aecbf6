# yes | head -n1: yes dies of SIGPIPE quietly (no message), the pipeline's status is head's;
# with pipefail it is yes's, 128 + 13. With SIGPIPE ignored, yes gets EPIPE and says so.
# Needs SIGPIPE on a write to a pipe with no reader, and SIG_IGN kept by execve.
yes | head -n1; echo "yes | head -n1: $?"
set -o pipefail
yes | head -n1; echo "with pipefail: $?"
set +o pipefail
seq 1000000 | head -n2; echo "seq | head: $?"
(trap '' PIPE; yes | head -n1); echo "SIGPIPE ignored: $?"
cat /dev/zero | head -c 3 | od -An -c; echo "cat /dev/zero | head -c 3: $?"
