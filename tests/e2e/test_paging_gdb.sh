#!/bin/bash
# test_paging_gdb.sh - gdb's addresses through the guest's page tables:
# memory reads and writes on virtual addresses (page by page, unmapped pages
# an error, a read into an unmapped page its mapped part), software
# breakpoints and write watchpoints on virtual addresses, a breakpoint whose
# virtual address the guest maps elsewhere while it is set (with a debug
# register to back it up, and with none), a breakpoint in a user page (a
# debug register, hit at CPL 3; with none free an int3 where the host reports
# int3 to the VMM (the nested VM), an error where it does not (kvm_pvm)),
# the monitor views (info mode, info tab, info gdt, info idt, translate)
# with their exact text, and hostile page tables (a loop, a table outside
# RAM).  Guests: guests/paging/remap (one virtual page mapped to two
# physical pages in turn), guests/paging/int3 (an int3 of its own that its
# IDT handler counts, then user code; int3 hosts only) and
# guests/modes/switch (a higher-half kernel).  Raw packets come
# from tests/e2e/paging_client.py (gdb's i8086 view cannot say a 64-bit
# address yet); the 32-bit cases also run under a real gdb.  Every expected
# value is worked out from the guests' sources, symbols and images.
# LLDB 14 runs the remapped-breakpoint case too.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/rsp_lib.sh
. tests/e2e/gdb_lib.sh

REMAP=guests/paging/remap
SWITCH=guests/modes/switch
INT3=guests/paging/int3

# client_run NAME SCENARIO GUEST: one gdbvm session driven by
# paging_client.py SCENARIO; each of its checks is a TAP line, then one for
# gdbvm's exit status (33: the guest's own check passed).
client_run() {
	local name=$1 scenario=$2 guest=$3 line diags=() done= skipped=
	vm_start "$name" -S "$guest.bin"
	if [ -z "$PORT" ]; then
		not_ok "$scenario: gdbvm gave no port" "$(cat "$TMP/$name.vmerr")"
		kill "$VM_PID" 2>/dev/null
		vm_wait
		return
	fi
	while IFS= read -r line; do
		case $line in
		rsp:ok:*) ok "$scenario: ${line#rsp:ok:}"; diags=() ;;
		rsp:diag:*) diags+=("${line#rsp:diag:}") ;;
		rsp:fail:*) not_ok "$scenario: ${line#rsp:fail:}" "${diags[@]}"; diags=() ;;
		rsp:skip:*) skip "$scenario: raw-protocol checks" "${line#rsp:skip:}"; skipped=1 ;;
		rsp:done:*) done=1 ;;
		*) echo "# client: $line" ;;
		esac
	done < <(timeout -k 5 120 "$PYTHON" tests/e2e/paging_client.py "$scenario" "$PORT" \
		"$guest.elf" "$guest.bin" 2>"$TMP/$name.client.err")
	vm_wait
	[ -n "$skipped" ] && [ -n "$done" ] && return
	if [ -n "$done" ] && [ "$VM_STATUS" = 33 ]; then
		ok "$scenario: the client reached its end and the guest's own check passed (33)"
	else
		not_ok "$scenario: the client reached its end and the guest's own check passed (33)" \
			"client done: ${done:-no}; gdbvm status $VM_STATUS" \
			"$(tail -n 20 "$TMP/$name.client.err" "$TMP/$name.vmerr")"
	fi
}

for scenario in remap remap-nodr hostile; do
	if rsp_case "$scenario: raw-protocol checks"; then
		client_run "$scenario" "$scenario" "$REMAP"
	fi
done
if rsp_case "switch: raw-protocol checks"; then
	client_run switch switch "$SWITCH"
fi
# A breakpoint planted as int3 in a user page while the guest runs an int3
# of its own (hosts that report int3 to the VMM: the nested VM).
if rsp_case "int3: raw-protocol checks"; then
	client_run int3 int3 "$INT3"
fi

# ---- the same through a real gdb: remap's addresses fit in 32 bits

sym() { printf '0x%s' "$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')"; }
PAGE_A=$(sym $REMAP.elf page_a)
PAGE_B=$(sym $REMAP.elf page_b)
FIRST_CALL=$(sym $REMAP.elf first_call)
AFTER_REMAP=$(sym $REMAP.elf after_remap)

name="gdb: break and watch on virtual addresses, the page remapped under a breakpoint, unmapped memory"
if gdb_case "$name"; then
	script remap <<-EOF
	image = open("$REMAP.bin", "rb").read()
	page_a = image[$PAGE_A - 0x1000:][:5]
	page_b = image[$PAGE_B - 0x1000:][:5]
	loud("break *$FIRST_CALL")
	resume()
	expect_pc($FIRST_CALL)
	expect_match("monitor info mode", cmd("monitor info mode"),
	             r"^mode: long mode, 64-bit code\npaging: 4-level, cr3 0x10000\ncpl: 0\n$")
	loud("delete")
	loud("break *0x400000")
	loud("watch *(int *)0x401000")
	expect_mem(0x400000, page_a)
	expect_error("x/4xb 0x600000", r"Cannot access memory at address 0x600000")
	resume()
	expect_pc(0x400000)
	if not host_support()["exec"]:
	    # No backup debug register: the remapping is seen at a stop.
	    loud("tbreak *$AFTER_REMAP")
	    resume()
	    expect_pc($AFTER_REMAP)
	resume()
	expect_pc(0x400000)
	expect_mem(0x400000, page_b)
	stop = resume()
	expect_mem(0x401000, (0xa1 + 0xb2).to_bytes(4, "little"))
	loud("delete")
	passed()
	expect_exited(0o41)
	EOF
	batch remap $REMAP.bin
	check_batch "$name" 33 remap
fi

# ---- LLDB 14: the same breakpoint and memory through paging

name="lldb: a breakpoint on a virtual address remapped under it, memory through paging"
if ! have_kvm; then
	skip "$name" "$KVM_SKIP_REASON"
elif ! command -v "${LLDB:=lldb}" >/dev/null; then
	skip "$name" "no lldb on this machine"
else
	A=$(python3 -c "import sys; b=open('$REMAP.bin','rb').read()[$PAGE_A - 0x1000:][:5]; print(' '.join('0x%02x' % x for x in b))")
	B=$(python3 -c "import sys; b=open('$REMAP.bin','rb').read()[$PAGE_B - 0x1000:][:5]; print(' '.join('0x%02x' % x for x in b))")
	lldb_session() {
		timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -o "gdb-remote 127.0.0.1:$PORT" \
			-o "breakpoint set -a $FIRST_CALL" -o continue -o "breakpoint delete -f" \
			-o "breakpoint set -a 0x400000" -o continue \
			-o "memory read -s1 -c5 -fx 0x400000" -o "breakpoint set -a $AFTER_REMAP" \
			-o continue -o continue \
			-o "memory read -s1 -c5 -fx 0x400000" -o "breakpoint delete -f" -o continue \
			</dev/null >"$TMP/lldb.out" 2>&1
		local hits
		hits=$(grep -c 'stop reason = breakpoint 2' "$TMP/lldb.out")
		[ "$hits" = 2 ] || PROBLEMS+=("breakpoint at 0x400000 hit $hits times, expected 2")
		grep -qx "0x00400000: $A" "$TMP/lldb.out" ||
			PROBLEMS+=("no memory line with page A's bytes ($A)")
		grep -qx "0x00400000: $B" "$TMP/lldb.out" ||
			PROBLEMS+=("no memory line with page B's bytes ($B)")
	}
	vm_session lldb 33 -S $REMAP.bin -- lldb_session
	vm_verdict "$name" "$TMP/lldb.out" "$TMP/lldb.vmerr"
fi

finish
