# tar through pipes: with gzip (a compressor process), and copying a tree.
tar czf - /etc/apk | tar tzf - | sort
tar cf - -C /etc passwd group | tar xf - -C /tmp && cmp /etc/passwd /tmp/passwd && echo "copied through a pipe"
