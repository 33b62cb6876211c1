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

# Without a usable /dev/kvm, the end-to-end tests run inside a nested KVM
# VM (qemu TCG with an SVM CPU) when that can be set up; NESTED=0 turns
# this off, and then the tests that need KVM report themselves skipped.
use_nested=0
if ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; } && [ "${NESTED:-1}" != 0 ]; then
	if tests/nested/kvm-vm.sh --prepare; then
		use_nested=1
	else
		echo "# note: no /dev/kvm and no nested KVM VM; tests that run guests are skipped"
	fi
fi

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
	# The unit tests once more under valgrind memcheck (not the sanitizer
	# build: ASan and valgrind do not mix).
	if command -v valgrind >/dev/null && ! ldd "$unit" 2>/dev/null | grep -q libasan; then
		echo "# === $label: unit tests under valgrind memcheck"
		if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$unit" >/dev/null 2>"$out.vg"; then
			echo "ok 1 - $unit under valgrind: no memory errors, no leaks" >"$out"
		else
			{ echo "not ok 1 - $unit under valgrind: no memory errors, no leaks"
			  grep '^==' "$out.vg" | head -40 | sed 's/^/#   /'; } >"$out"
		fi
		rm -f "$out.vg"
		cat "$out"; count "$out"
	fi
	if [ "$use_nested" = 1 ]; then
		echo "# === $label: end-to-end tests inside a nested KVM VM (tests/nested/kvm-vm.sh)"
		GDBVM_NESTED_ENV="GDBVM" GDBVM=$gdbvm \
			tests/nested/kvm-vm.sh --timeout 2400 -- bash tests/e2e/all.sh >"$out" 2>&1
		rc=$?
		cat "$out"; count "$out"
		if [ $rc -eq 125 ] || { [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; }; then
			echo "# the nested run failed (status $rc)"; broken=1
		fi
	else
		for script in tests/e2e/test_*.sh; do
			echo "# === $label: $script"
			GDBVM=$gdbvm bash "$script" >"$out" 2>&1
			rc=$?
			cat "$out"; count "$out"
			if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
				echo "# $script exited with status $rc"; broken=1
			fi
		done
	fi
	rm -f "$out"
	echo "$label: $pass passed, $fail failed, $skip skipped"
	total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done
[ "$use_nested" = 1 ] && echo "# note: no /dev/kvm here; guests ran in a nested KVM VM (AMD SVM under qemu TCG)"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ] && [ "$broken" -eq 0 ]
