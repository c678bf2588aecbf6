# The status of a pipeline is its last command's; with pipefail, the last failing one's.
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
true | (exit 3); echo "true | (exit 3): $?"
! true | true; echo "! true | true: $?"
set -o pipefail
(exit 4) | true; echo "pipefail (exit 4) | true: $?"
(exit 4) | (exit 5) | true; echo "pipefail (exit 4) | (exit 5) | true: $?"
