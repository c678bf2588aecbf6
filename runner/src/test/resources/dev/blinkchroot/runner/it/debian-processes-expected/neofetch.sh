# neofetch --stdout: a bash script that runs dozens of processes (uname, dpkg-query, awk...).
# DebianProcessesIT drops the lines that describe the host before comparing (see there).
neofetch --stdout
