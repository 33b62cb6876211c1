#!/bin/bash
# run.sh - gdbvm's test runner.  For each build given as LABEL:GDBVM:UNIT
# it runs the C unit tests and every end-to-end script, prints their TAP
# output, a summary line per build, and a final "N passed, N failed,
# N skipped" line.  Exits non-zero when any test failed or a suite broke.
cd "$(dirname "$0")/.." || exit 1

total_pass=0 total_fail=0 total_skip=0 broken=0

# count FILE: add the TAP results in FILE to this build's counters.
count() {
	local p f s
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$1")
	p=$(( $(grep -cE '^ok [0-9]+' "$1") - s ))
	f=$(grep -cE '^not ok [0-9]+' "$1")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

for build in "$@"; do
	IFS=: read -r label gdbvm unit <<<"$build"
	pass=0 fail=0 skip=0
	out=$(mktemp)
	echo "# === $label: unit tests ($unit)"
	"$unit" >"$out" 2>&1
	rc=$?
	cat "$out"; count "$out"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
		echo "# $unit exited with status $rc"; broken=1
	fi
	for script in tests/e2e/test_*.sh; do
		echo "# === $label: $script"
		GDBVM=$gdbvm bash "$script" >"$out" 2>&1
		rc=$?
		cat "$out"; count "$out"
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
			echo "# $script exited with status $rc"; broken=1
		fi
	done
	rm -f "$out"
	echo "$label: $pass passed, $fail failed, $skip skipped"
	total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done
[ -r /dev/kvm ] || echo "# note: no usable /dev/kvm here; tests that run guests were skipped"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "$broken" -eq 0 ]
