# Here-documents: expanded, quoted, tab-stripped, larger than a pipe, feeding a loop.
name=world
cat <<EOT
hello $name $(echo substituted) $((1 + 2))
EOT
cat <<'EOT'
not $expanded `either`
EOT
cat <<-EOT
		tabs stripped
	EOT
cat <<EOT | wc -c
$(seq 1 20000)
EOT
while read n word; do echo "$word=$n"; done <<EOT
1 one
2 two
EOT
