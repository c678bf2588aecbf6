# busybox timeout: the command keeps timeout's process (timeout execs it after forking a watcher
# that sends the signal), so the status is the command's own, 128 + 15, not GNU's 124; busybox
# counts whole seconds. Needs kill(2) from another process (the watcher, reparented to pid 1)
# and default actions.
timeout 1 sleep 5; echo "timeout 1 sleep 5: $?"
timeout 5 true; echo "finished in time: $?"
timeout 5 sh -c 'exit 3'; echo "its own status: $?"
