# Jobs ended by a signal: wait gives 128 + the signal's number. Needs kill(2) and default actions.
sleep 10 & p=$!
kill $p; wait $p; echo "SIGTERM: $?"
sleep 10 & p=$!
kill -9 $p; wait $p; echo "SIGKILL: $?"
sh -c 'kill -9 $$'; echo "a shell that killed itself: $?"
