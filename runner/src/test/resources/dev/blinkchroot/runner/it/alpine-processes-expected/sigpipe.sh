# A writer whose reader has gone: killed by SIGPIPE, or EPIPE when SIGPIPE is ignored. Needs
# signal delivery.
yes | head -n 2; echo "yes | head: $?"
(trap '' PIPE; yes | head -n 1); echo "with SIGPIPE ignored: $?"
