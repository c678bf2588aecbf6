# A megabyte through pipes, counted and checksummed at the far end.
dd if=/dev/zero bs=1024 count=1024 2>/dev/null | wc -c
head -c 1048576 /dev/zero | tr '\0' x | md5sum
awk 'BEGIN { for (i = 0; i < 65536; i++) print "0123456789abcde" }' | cat | sha256sum
