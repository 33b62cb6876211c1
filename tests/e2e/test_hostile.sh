#!/bin/bash
# test_hostile.sh - gdbvm's GDB stub against input no debugger sends: bad
# checksums, cut-off and oversized packets, bad hex, odd digit counts, zero
# and gigabyte lengths, 64-bit overflows, memory and breakpoints at and past
# the end of RAM, too many breakpoints, binary garbage, thousands of
# reconnects, a thousand back-to-back connects (closed, cut off, reset), a
# client that stops reading, a second client.  One gdbvm
# (-S, 128 KiB of RAM, a "jmp $" guest) serves the whole suite, driven by
# tests/e2e/rsp_client.py; after every case the client checks that gdbvm
# lives, answers, and that every register and every byte of RAM is as it
# was.  The suite ends with 'k': gdbvm must exit with 22.  Needs /dev/kvm
# and python3: without them every test here reports itself skipped.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

. tests/e2e/rsp_lib.sh

RAM=0x20000
CYCLES=${HOSTILE_CYCLES:-2000}
RAPID=${HOSTILE_RAPID:-1000}
NAME="rsp: the hostile-input suite against gdbvm -g -S"

if ! rsp_case "$NAME"; then
	finish
	exit
fi

# The guest: "jmp $" at 0x1000, so a resumed guest changes no register.
printf '\xeb\xfe' >"$TMP/jmp.bin"

# The client: the whole suite, against the gdbvm of vm_session.  Its
# checks are TAP lines of their own; a client that did not get to its end
# is one more, and gdbvm, which would wait for 'k' until its time limit,
# is stopped.
hostile_client() {
	local gdbvm_pid started=$SECONDS

	gdbvm_pid=$(child_pid "$VM_PID")	# VM_PID is timeout(1)'s
	rsp_run "$((${HOSTILE_LIMIT:-600} - 20))" hostile \
		--port "$PORT" --pid "${gdbvm_pid:-0}" --ram "$RAM" --vmerr "$TMP/hostile.vmerr" \
		--cycles "$CYCLES" --rapid "$RAPID"
	echo "# the suite took $((SECONDS - started)) s"
	if [ -z "$RSP_DONE" ]; then
		not_ok "rsp: the client ran to its end" "$(tail -n 20 "$TMP/hostile.client.err")"
		kill "$gdbvm_pid" 2>/dev/null
	fi
}

# The suite takes a while in a nested VM: a longer bound than RUN_LIMIT's.
RUN_LIMIT=${HOSTILE_LIMIT:-600} vm_session hostile 22 -m 128K -S "$TMP/jmp.bin" -- hostile_client
# Nothing but the listening line and the refusals on gdbvm's stderr: no
# sanitizer report, no crash report.
others=$(grep -v -e '^gdbvm: waiting for gdb on ' \
	-e '^gdbvm: refused a second gdb connection while one is active$' "$TMP/hostile.vmerr")
[ -z "$others" ] || PROBLEMS+=("unexpected lines on gdbvm's stderr:" "$(head -n 30 <<<"$others")")
vm_verdict "rsp: after the suite gdbvm exits 22 on 'k', with nothing unexpected on stderr"
finish
