#!/bin/bash
# test_record.sh - the recorder behind reverse debugging (vmm/record.h),
# without gdb: `gdbvm --record-selftest N GUEST` records up to N single
# steps, undoes and redoes them all, and compares registers and all of RAM
# bit for bit with the start and the end (vmm/record_check.c).  Its own TAP
# lines are passed on here, one per guest and check; its "# " lines (steps,
# bytes per step, rates) are shown as diagnostics.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# guest: what it exercises
GUESTS=(
	"guests/count.bin:registers only (a counting loop)"
	"guests/watch.bin:byte, word and rep stosb stores"
	"guests/steps.bin:out, in, int and iret (emulated by gdbvm), rep movsb, a far jump"
	"guests/record.bin:stores, push/pop, call/ret, in, rep movsb, a 64 KiB rep movsw"
)
WANT_CHECKS=8	# the checks record_check.c makes when all goes well

for entry in "${GUESTS[@]}"; do
	guest=${entry%%:*} what=${entry#*:}
	name="record self-test on $guest ($what)"
	kvm_case "$name" || continue
	run --record-selftest 100000 "$guest"
	grep '^#' "$TMP/out"
	passed=$(grep -c '^ok ' "$TMP/out")
	failed=$(grep '^not ok ' "$TMP/out")
	if [ "$STATUS" -eq 0 ] && [ "$passed" -eq "$WANT_CHECKS" ] && [ -z "$failed" ] &&
		grep -qx "1..$WANT_CHECKS" "$TMP/out"; then
		ok "$name: $passed checks"
	else
		not_ok "$name" "status $STATUS (want 0), $passed of $WANT_CHECKS checks passed" \
			"$(grep -E '^(not ok|#)' "$TMP/out")" "$(head -c 2000 "$TMP/err")"
	fi
done

# With a write watchpoint RAM is split into several memory slots (a
# read-only one over the watched page) and watched writes end in MMIO
# exits: every slot must keep its dirty log, and gdbvm's completion of the
# watched writes must reach the history.
WATCHED=(
	"guests/watch.bin:0x2000:the stores hit the watched variable"
	"guests/record.bin:0x4000:stores, stack and copies in the slot after the watched page"
)
for entry in "${WATCHED[@]}"; do
	IFS=: read -r guest addr what <<<"$entry"
	name="record self-test on $guest with a write watchpoint at $addr ($what)"
	kvm_case "$name" || continue
	run --record-selftest 100000 --record-selftest-watch "$addr" "$guest"
	grep '^#' "$TMP/out"
	passed=$(grep -c '^ok ' "$TMP/out")
	stops=$(sed -n 's/^# steps [0-9]* (asked [0-9]*), \([0-9]*\) watchpoint stops, \([0-9]*\) memory slots.*/\1 \2/p' "$TMP/out")
	read -r nstops nslots <<<"$stops"
	if [ "$STATUS" -eq 0 ] && [ "$passed" -eq $((WANT_CHECKS + 1)) ] &&
		! grep -q '^not ok' "$TMP/out" && [ "${nstops:-0}" -gt 0 ] && [ "${nslots:-0}" -gt 1 ]; then
		ok "$name: $passed checks, $nstops watchpoint stops, $nslots slots"
	else
		not_ok "$name" "status $STATUS, $passed checks passed, stops/slots: '$stops'" \
			"$(grep -E '^(not ok|#)' "$TMP/out")" "$(head -c 2000 "$TMP/err")"
	fi
done

# The steps actually went somewhere: the history of the loop guest is not
# trivially empty, and a guest too short for N steps records what it has.
if kvm_case "record self-test stops at the guest's end"; then
	run --record-selftest 100000 guests/count.bin
	steps=$(sed -n 's/^# steps \([0-9]*\) .*/\1/p' "$TMP/out")
	if [ -n "$steps" ] && [ "$steps" -gt 100 ] && [ "$steps" -lt 100000 ]; then
		ok "record self-test stops at the guest's end ($steps steps)"
	else
		not_ok "record self-test stops at the guest's end" "steps: '$steps'"
	fi
fi

if kvm_case "record self-test honours N"; then
	run --record-selftest 50 guests/record.bin
	if grep -q '^# steps 50 (asked 50)' "$TMP/out" && [ "$STATUS" -eq 0 ]; then
		ok "record self-test honours N (50 steps)"
	else
		not_ok "record self-test honours N" "status $STATUS" "$(grep '^#' "$TMP/out")"
	fi
fi

# --record-bench N (make bench's recording figure, vmm/record_bench.c):
# the same steps recorded, stepped by the debugger and by bare KVM_RUNs
# must all end in the state the first count ended in; a guest with port
# I/O has no bare-KVM floor and says so.
if kvm_case "record bench: three ways, one end state"; then
	run --record-bench 2000 guests/count.bin
	rounds=$(grep -cE '^round [0-9]+ record [0-9.]+ [0-9.]+ debugger [0-9.]+ [0-9.]+ kvm [0-9.]+ [0-9.]+$' "$TMP/out")
	steps=$(sed -n 's/^steps \([0-9]*\)$/\1/p' "$TMP/out")
	if [ "$STATUS" -eq 0 ] && [ "${steps:-0}" -gt 100 ] && [ "$steps" -le 2000 ] &&
		grep -qx 'same yes' "$TMP/out" &&
		[ "$rounds" -eq 5 ] && grep -qE '^history [1-9][0-9]*$' "$TMP/out"; then
		ok "record bench: three ways, one end state ($steps steps, $rounds rounds)"
	else
		not_ok "record bench: three ways, one end state" "status $STATUS, steps '$steps', $rounds rounds" \
			"$(head -c 2000 "$TMP/out")" "$(head -c 2000 "$TMP/err")"
	fi
fi
if kvm_case "record bench: no bare-KVM floor with port input"; then
	run --record-bench 2000 guests/record.bin
	if [ "$STATUS" -eq 0 ] && grep -qx 'same yes' "$TMP/out" &&
		grep -q '^kvm none .*KVM_EXIT_DEBUG' "$TMP/out" && ! grep -q ' kvm [0-9]' "$TMP/out"; then
		ok "record bench: no bare-KVM floor with port input"
	else
		not_ok "record bench: no bare-KVM floor with port input" "status $STATUS" \
			"$(head -c 2000 "$TMP/out")" "$(head -c 2000 "$TMP/err")"
	fi
fi

run --record-selftest 0 guests/count.bin
check "--record-selftest 0 is refused" 2 "" \
	"gdbvm: invalid record self-test steps '0': expected a number of steps from 1 to 100000000"
run --record-bench 0 guests/count.bin
check "--record-bench 0 is refused" 2 "" \
	"gdbvm: invalid record bench steps '0': expected a number of steps from 1 to 100000000"

finish
