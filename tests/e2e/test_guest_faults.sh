#!/bin/bash
# test_guest_faults.sh - guests that fault or misbehave under gdb: a triple
# fault, an endless invalid-opcode loop, code that rewrites itself under a
# software breakpoint, a guest that never halts under --timeout, and one
# that floods COM1 (into a drained pipe, and into one nobody reads).  Each
# time the gdb session must report what happened, stay usable (registers
# and memory can be read) and end cleanly with the documented exit status
# (README: 0 HLT, 8 triple fault, 15 for exit-port value 7, 16 --timeout,
# 18 SIGTERM, 22 gdb's kill; --gdb-batch: a kill ends with the guest's
# status, 0 when it had none).  gdb scripts use tests/e2e/gdb_helpers.py
# and print "gdbtest: PASS" at their end; some checks use the protocol
# client tests/e2e/rsp_client.py.  Needs /dev/kvm, gdb with Python and
# python3: without them the tests report themselves skipped.
cd "$(dirname "$0")/../.." || exit 1
# A bound for each gdbvm and gdb run: generous, for a loaded nested VM.
RUN_LIMIT=${RUN_LIMIT:-120}
. tests/e2e/lib.sh

. tests/e2e/gdb_lib.sh
. tests/e2e/rsp_lib.sh

# rsp SUITE ARGS...: the protocol client's checks as TAP lines.
rsp() {
	rsp_run "$RUN_LIMIT" "$@"
	[ -n "$RSP_DONE" ] || not_ok "rsp $1: the client ran to its end" \
		"$(tail -n 20 "$TMP/$1.client.err")"
}

# rsp_or_stop SUITE: rsp SUITE against the gdbvm of vm_session, stopping
# that gdbvm when the client did not get to its end (it would wait for 'k').
rsp_or_stop() {
	rsp "$1" --port "$PORT"
	[ -n "$RSP_DONE" ] || kill "$VM_PID" 2>/dev/null
}

# ---------------------------------------------------------------- tests --

# 1. A triple fault (guests/triple.bin; on kvm_pvm hosts an emulation
# failure instead): a signal stop; registers, memory and monitor commands
# still work; kill ends --gdb-batch with the crash's status (8, or 10).
NAME="faults: triple fault: SIGSEGV stop, registers/memory/monitor readable, kill: status 8"
if gdb_case "$NAME"; then
	script triple <<-'EOF'
	resume()
	expect(events.stop in (("signal", "SIGSEGV"), ("signal", "SIGILL")),
	       "a SIGSEGV (or SIGILL) stop: %r" % (events.stop,))
	expect_match("info registers", cmd("info registers"), r"(?m)^eip\s+0x[0-9a-f]+")
	expect_match("info registers", cmd("info registers"), r"(?m)^cs\s+0x")
	# The guest's code is still there to read: cli; xor ax,ax; mov ds,ax.
	expect_mem(0x1000, b"\xfa\x31\xc0\x8e\xd8")
	# Disassembled in the view of the mode the guest crashed in: as 32-bit
	# code when that is protected mode (the bytes are 16-bit code).
	expect_match("x/2i 0x1000", cmd("x/2i 0x1000"), r"cli\s*\n.*xor\s+%e?ax,%e?ax")
	expect_match("monitor regs", cmd("monitor regs"), r"cr0=[0-9a-f]{8}")
	expect_match("monitor exits", cmd("monitor exits"),
	             r"(?m)^KVM_EXIT_(SHUTDOWN|INTERNAL_ERROR)\s+1$")
	expect_match("info program", cmd("info program"), r"stopped with signal SIG(SEGV|ILL)")
	# A memory write still lands (the RAM is the guest's, not gone).
	loud("set {unsigned char}0x3000 = 0x5a")
	expect_mem(0x3000, b"\x5a")
	passed()
	loud("kill")
	EOF
	batch triple guests/triple.bin
	verdict "$NAME" '8|10' "$TMP/triple.out" "$TMP/triple.err" -- \
		'out:Program received signal SIG(SEGV|ILL)' \
		'err:^gdbvm: (guest triple-faulted \(KVM_EXIT_SHUTDOWN\)|KVM could not emulate a guest instruction)' \
		'err:^gdbvm:   cs=.* ds=' 'not:gdb script failed'
fi

# 2. An invalid-opcode loop (guests/ud_loop.bin: #UD's vector points at the
# ud2 that raises it): gdb interrupts it; stepi over the ud2 is carried out
# by gdbvm (the #UD is delivered without the trap flag, so the step ends on
# the handler, here the same ud2, one frame lower); kill: status 0.
NAME="faults: invalid-opcode loop: interrupt, stepi into the #UD handler, frames on the stack, kill"
if gdb_case "$NAME"; then
	script udloop <<-'EOF'
	UD = 0x1023                 # ud_loop: the ud2, and vector 6's target
	STACK = 0x20000             # SS = 0x2000
	def frame_at(sp):           # IP, CS, FLAGS at SS:SP (SP wraps in SS)
	    return bytes(mem(STACK + ((sp + i) & 0xffff), 1)[0] for i in range(6))
	interrupt_after(1.0)
	resume()
	expect_stop("signal", "SIGINT")
	expect_pc(UD)
	expect_reg("ss", 0x2000)
	sp1 = reg("sp", 16)
	expect(sp1 != 0, "SP %#x: #UD frames were pushed (from SP = 0)" % sp1)
	expect_eq("the last frame's IP:CS", frame_at(sp1)[:4], b"\x23\x10\x00\x00")
	flags = reg("eflags") & 0xffff
	if bounded("stepi", 10.0):
	    fail("stepi over ud2 did not end (interrupted after 10 s)")
	expect_pc(UD, "pc after stepi over ud2 (its #UD handler)")
	sp2 = reg("sp", 16)
	expect_eq("SP after stepi over ud2", sp2, (sp1 - 6) & 0xffff)
	frame = frame_at(sp2)
	expect_eq("the new frame's IP:CS", frame[:4], b"\x23\x10\x00\x00")
	pushed = int.from_bytes(frame[4:], "little")
	expect_eq("the FLAGS pushed (no TF from the step)", pushed, flags)
	if bounded("stepi", 10.0):
	    fail("the second stepi over ud2 did not end")
	expect_eq("SP after another stepi", reg("sp", 16), (sp1 - 12) & 0xffff)
	# It loops on when continued, and can be interrupted again.
	interrupt_after(1.0)
	resume()
	expect_stop("signal", "SIGINT")
	expect_pc(UD)
	expect(reg("sp", 16) != (sp1 - 12) & 0xffff, "the loop went on (SP %#x)" % reg("sp", 16))
	expect_match("info registers", cmd("info registers"), r"(?m)^eip\s+0x1023\s")
	passed()
	loud("kill")
	EOF
	batch udloop guests/ud_loop.bin
	verdict "$NAME" 0 "$TMP/udloop.out" "$TMP/udloop.err" -- 'out:^ud$' \
		'out:Program received signal SIGINT' 'not:gdb script failed'
fi

# 3. Code that rewrites itself under software breakpoints (planted HLTs),
# with gdb's default (breakpoints out of memory while stopped) and with
# "breakpoint always-inserted on" (they stay planted): reads show the
# guest's bytes, never the HLT nor a stale byte; breakpoints still hit;
# the guest's own writes are what runs; it ends through the exit port
# with 7 (status 15).
for mode in default always-inserted; do
	NAME="faults: self-modifying code under break (gdb, $mode): guest's bytes shown and run, exit 15"
	gdb_case "$NAME" || continue
	script "selfmod-$mode" <<-EOF
	if "$mode" == "always-inserted":
	    loud("set breakpoint always-inserted on")
	EOF
	cat >>"$TMP/selfmod-$mode.py" <<-'EOF'
	loud("break *0x100d")       # after_patch: the store over 'target' is done
	loud("break *0x100e")       # target: was inc si (0x46), the guest wrote inc di
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x100d)
	expect_mem(0x100e, b"\x47")
	expect_match("x/i 0x100e", cmd("x/i 0x100e"), r"inc\s+%di")
	resume()
	expect_stop("breakpoint", 2)
	expect_pc(0x100e)
	expect_mem(0x100e, b"\x47")
	stepi_to(0x100f, "inc di (written by the guest)")
	expect_reg("di", 1, 16)
	expect_reg("si", 0, 16)
	loud("delete")
	loud("break *0x1021")       # self: mov [bx],al rewrites its own first byte
	resume()
	expect_stop("breakpoint", 3)
	expect_pc(0x1021)
	expect_mem(0x1021, b"\x88\x07")
	expect_reg("cx", 2, 16)
	resume()
	expect_stop("breakpoint", 3)
	expect_pc(0x1021)
	expect_reg("cx", 1, 16)
	expect_mem(0x1021, b"\xb0\x07")
	expect_match("x/i $pc", cmd("x/i $pc"), r"mov\s+\$0x7,%al")
	stepi_to(0x1023, "mov al,7 (written by the guest)")
	expect_reg("al", 7, 8)
	loud("delete")
	expect_mem(0x1021, b"\xb0\x07")
	expect_exited(15)
	passed()
	EOF
	batch "selfmod-$mode" guests/selfmod.bin
	verdict "$NAME" 15 "$TMP/selfmod-$mode.out" "$TMP/selfmod-$mode.err" -- 'out:^7$' \
		'out:exited with code 017'
done

# The same through the protocol, breakpoints left in across every stop so
# that gdbvm steps over them itself (as LLDB makes it do).
if rsp_case "rsp selfmod: breakpoints left inserted: the guest's bytes are shown, kept and run"; then
	vm_session selfmod 15 -S guests/selfmod.bin -- rsp_or_stop selfmod
	grep -qx 7 "$TMP/selfmod.vmout" || PROBLEMS+=("the guest did not print 7")
	vm_verdict "rsp selfmod: gdbvm exits 15 and the guest printed 7" \
		"$TMP/selfmod.vmout" "$TMP/selfmod.vmerr"
fi

# 4. A guest that never halts, under gdb, with --timeout: the clock runs
# from gdbvm's start, whether the guest runs or gdb holds it.  When it
# runs out, gdb (waiting in continue) is told the target was killed by
# SIGALRM, gdbvm says so on stderr and exits 16.  The gdb session goes on
# (the target is gone) and ends cleanly.  gdb is started first and connects
# as soon as gdbvm gives its port, so a slow gdb start cannot eat the time.
NAME="faults: spin.bin under gdb with --timeout 8: gdb hears SIGALRM, gdbvm says why, status 16"
if gdb_case "$NAME"; then
	script spin <<-'EOF'
	import os, select
	# Ready: then wait (at most 60 s) for gdbvm's port, and connect.
	port_fd = os.open(os.environ["GDBTEST_PORT_FIFO"], os.O_RDWR)
	with open(os.environ["GDBTEST_READY_FIFO"], "w") as f:
	    f.write("ready\n")
	if not select.select([port_fd], [], [], 60)[0]:
	    fail("no port from the test within 60 s")
	loud("target remote 127.0.0.1:%d" % int(os.read(port_fd, 32)))
	# Connecting stopped the running guest somewhere in its code.
	expect(0x1000 <= pc() < 0x1020, "pc %#x is in spin.bin's code" % pc())
	expect_match("info registers", cmd("info registers"), r"(?m)^eip\s+0x10")
	resume()
	expect(events.exited, "continue ends with the target gone")
	expect_match("info program", cmd("info program"), r"not being run")
	expect_error("info registers", r"The program has no registers now")
	passed()
	EOF
	mkfifo "$TMP/spin.ready" "$TMP/spin.port"
	exec 4<>"$TMP/spin.ready" 5<>"$TMP/spin.port"	# opening both ends: no blocking
	GDBTEST_READY_FIFO=$TMP/spin.ready GDBTEST_PORT_FIFO=$TMP/spin.port \
		timeout -k 5 "$RUN_LIMIT" "$GDB" -batch -nx -ex 'set pagination off' \
		-ex 'set confirm off' -x "$TMP/spin.py" </dev/null >"$TMP/spin.out" 2>&1 4<&- 5<&- &
	gdb_pid=$!
	ready=yes
	read -r -t 60 -u 4 _ || ready=
	# The session's client is that gdb, waiting for the port.
	send_port() { echo "$PORT" >&5; }
	vm_session spin 16 -t 8 guests/spin.bin -- send_port
	exec 4<&- 5<&-
	[ -n "$ready" ] || PROBLEMS+=("gdb was not ready within 60 s")
	wait "$gdb_pid"
	CLIENT_STATUS=$?
	[ "$CLIENT_STATUS" = 0 ] || PROBLEMS+=("gdb exited with $CLIENT_STATUS, expected 0")
	grep -qx 'gdbtest: PASS' "$TMP/spin.out" || PROBLEMS+=("the gdb script did not pass")
	grep -q '^Program terminated with signal SIGALRM' "$TMP/spin.out" ||
		PROBLEMS+=("gdb did not report SIGALRM")
	grep -Eq '^gdbvm: guest still running after 8 seconds \(--timeout\); stopped at 0000:10[0-1][0-9a-f] \(linear 0x10[0-1][0-9a-f]\)$' \
		"$TMP/spin.vmerr" || PROBLEMS+=("gdbvm did not report the timeout on stderr")
	grep -qx spinning "$TMP/spin.vmout" || PROBLEMS+=("the guest did not print 'spinning'")
	vm_verdict "$NAME" "$TMP/spin.out" "$TMP/spin.vmerr"
fi

if rsp_case "rsp timeout: X0e after c, the connection closes, status 16"; then
	rsp timeout --gdbvm "$GDBVM" --guest guests/spin.bin --seconds 5
fi

# 5. A guest that floods COM1 (stdout a pipe, drained): gdb interrupts it
# between two of its countless port writes, reads registers and memory,
# continues, detaches (the flood goes on); a second gdb stops it again and
# kills it: status 22.  Every line that came out is whole and the same.
NAME="faults: flood.bin: interrupt, inspect, detach while flooding, reattach, kill: status 22"
if gdb_case "$NAME"; then
	script flood1 <<-'EOF'
	LINE = b"flood 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU\n"
	def in_loop():
	    expect(0x1009 <= pc() <= 0x1013, "pc %#x is in the print loop" % pc())
	interrupt_after(1.0)
	resume()
	expect_stop("signal", "SIGINT")
	in_loop()
	n1 = reg("bx", 16)
	expect(n1 > 0, "BX = %d lines written" % n1)
	expect_mem(0x1015, LINE)
	expect_reg("dx", 0x3f8, 16)
	interrupt_after(1.0)
	resume()
	expect_stop("signal", "SIGINT")
	in_loop()
	expect(reg("bx", 16) != n1, "more lines since (BX = %d)" % reg("bx", 16))
	passed()
	loud("detach")
	EOF
	script flood2 <<-'EOF'
	expect(0x1009 <= pc() <= 0x1013, "pc %#x is in the print loop" % pc())
	n = reg("bx", 16)
	say("lines: %d" % n)
	expect(n > 0, "the guest ran on after the detach (BX = %d)" % n)
	passed()
	loud("kill")
	EOF
	vm_session flood 22 -S guests/flood.bin -- client_passes flood1 -- client_passes flood2
	# Whole lines only: the last one may be cut where the guest was killed.
	lines=$(tr -cd '\n' <"$TMP/flood.vmout" | wc -c)
	bad=$(head -n "$lines" "$TMP/flood.vmout" |
		grep -cvx 'flood 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU')
	last=$(sed -n 's/^gdbtest: lines: \([0-9]*\)$/\1/p' "$TMP/flood2.out")
	echo "# flood: $lines lines on stdout, BX = ${last:-?} at the end"
	[ "$bad" = 0 ] || PROBLEMS+=("$bad lines of the output are not the guest's line")
	[ -n "$last" ] && [ "$lines" -ge "$last" ] ||
		PROBLEMS+=("$lines lines came out, the guest counted ${last:-?}")
	vm_verdict "$NAME" "$TMP/flood1.out" "$TMP/flood2.out" "$TMP/flood.vmerr"
fi

# 6. The same flood with stdout a pipe nobody reads (rsp_client.py starts
# gdbvm itself, with a one-page pipe): a full pipe must not make gdbvm deaf
# to SIGTERM, nor to a gdb that connects.
if rsp_case "stalled stdout: SIGTERM and a connecting client still work"; then
	rsp stalled --gdbvm "$GDBVM" --guest guests/flood.bin
fi

finish
