#!/bin/bash
# all.sh - run every end-to-end script in turn (used inside the nested KVM
# VM, where one boot runs them all).  Prints each script's TAP; exits 1
# when any script failed.
cd "$(dirname "$0")/../.." || exit 1
rc=0
for script in tests/e2e/test_*.sh; do
	echo "# === $script"
	bash "$script" || rc=1
done
exit $rc
