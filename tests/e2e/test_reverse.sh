#!/bin/bash
# test_reverse.sh - gdb's reverse execution (issue 19, first layer: the
# protocol).  gdbvm offers ReverseStep+/ReverseContinue+ but records nothing
# yet, so reverse-stepi and reverse-continue print how to turn recording on
# and "No more reverse-execution history.", and leave the guest where it
# was.  The whole protocol path (bs, bc, replaylog:begin, breakpoints and
# watchpoints met going back) runs against the toy machine of the unit
# tests, which keeps a short history, served by the real stub
# (build/rel/record_server, made by "make test").
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

: "${RECORD_SERVER:=build/rel/record_server}"
OFF_MSG="recording is off: use --record or monitor record on"

name="gdb on gdbvm: reverse-stepi and reverse-continue say recording is off and stay put"
if gdb_case "$name"; then
	script rev_off <<-'EOF'
	start = pc()
	resume("stepi")
	resume("stepi")
	here = pc()
	expect(here != start, "two stepi moved the pc")
	regs = [reg(r) for r in ("eax", "ebx", "edx", "esp")]
	resume("reverse-stepi")
	expect_pc(here, "pc after reverse-stepi with recording off")
	resume("reverse-continue")
	expect_pc(here, "pc after reverse-continue with recording off")
	expect_eq("registers after both", [reg(r) for r in ("eax", "ebx", "edx", "esp")], regs)
	resume("stepi")
	expect(pc() != here, "stepi goes on forward afterwards")
	expect_exited(0)
	passed()
	EOF
	batch rev_off guests/add.elf
	check_batch "$name" 0 rev_off \
		"err:^$(lit "$OFF_MSG")\$" 'out:^No more reverse-execution history\.$' \
		'not:Remote failure reply' 'not:does not support this command'
fi

# toy NAME: run gdb with $TMP/NAME.py against a fresh record_server.
toy() {
	local fifo=$TMP/$1.port
	mkfifo "$fifo" || return 1
	timeout -k 5 "$RUN_LIMIT" "$RECORD_SERVER" 0 /dev/null >"$fifo" 2>"$TMP/$1.srv" &
	local srv=$!
	PORT=
	read -r -t 10 PORT <"$fifo"
	if [ -z "$PORT" ]; then
		kill "$srv" 2>/dev/null
		wait "$srv" 2>/dev/null
		CLIENT_STATUS=no-port
		return 1
	fi
	client "$1"
	wait "$srv"
	SERVER_STATUS=$?
}

name="gdb on the toy machine: reverse-stepi, reverse-continue to a breakpoint, a watchpoint and the start"
# The toy machine needs no KVM: only gdb with Python.
if ! command -v "$GDB" >/dev/null; then
	skip "$name" "no gdb on this machine"
elif ! timeout 30 "$GDB" -batch -nx -ex 'python print("py" + "ok")' 2>/dev/null | grep -qx pyok; then
	skip "$name" "$GDB has no Python support"
elif [ ! -x "$RECORD_SERVER" ]; then
	skip "$name" "no $RECORD_SERVER (make $RECORD_SERVER)"
else
	script rev_toy <<-'EOF'
	expect_pc(0x1000, "the toy machine's entry")
	for want in (0x1002, 0x1004, 0x1005):
	    stepi_to(want, "forward")
	for want in (0x1004, 0x1002, 0x1000):
	    resume("reverse-stepi", loud_output=False)
	    expect_pc(want, "pc after reverse-stepi")
	expect_reg("eax", 0)
	resume("reverse-stepi")
	expect_pc(0x1000, "pc after reverse-stepi at the start of the history")
	loud("break *0x1005")
	resume("continue")
	resume("continue")
	cx = reg("ecx")
	resume("reverse-continue")
	expect_pc(0x1005, "reverse-continue: back at the breakpoint")
	expect_eq("cx one loop earlier", reg("ecx"), cx + 1)
	resume("reverse-continue")
	expect_pc(0x1000, "reverse-continue to the start of the history")
	loud("delete")
	old = mem(0x2000, 1)
	loud("break *0x100a")
	resume("continue")
	loud("delete")
	new = mem(0x2000, 1)
	expect(new != old, "the store at 0x1007 changed [0x2000]")
	loud("watch *(unsigned char *)0x2000")
	resume("reverse-continue")
	expect_pc(0x1007, "reverse-continue with a watchpoint: at the writer")
	expect_mem(0x2000, old)
	loud("delete")
	loud("monitor record off")
	resume("reverse-stepi")
	expect_pc(0x1007, "reverse-stepi with the toy's recording off")
	passed()
	EOF
	toy rev_toy
	STATUS=$CLIENT_STATUS
	verdict "$name" 0 "$TMP/rev_toy.out" "$TMP/rev_toy.srv" -- \
		'out:^No more reverse-execution history\.$' 'out:^fake: recording is off' \
		'out:Old value = ' 'not:Remote failure reply'
fi

finish
