#!/bin/bash
# test_reverse_modes.sh - reverse debugging (--record) where the CPU state is
# more than the general registers, under a real gdb: SSE registers in long
# mode restored going back; going back across the switches from real to
# protected to long mode (gdb's view follows: i8086 / i386 / x86-64) and
# forward again through the replay without the guest's output coming twice;
# timer interrupts taken during a recorded continue, undone and redone at
# the instruction they came before; gdb's own writes undone with the
# instruction before them and redone after it; Ctrl-C in a recorded
# continue.  The expected values come from the guests' sources, assembled
# and listed here, or from the forward run itself (a trace compared with
# the way back).  Needs /dev/kvm, gdb with Python and nasm (else SKIP).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

RUN_LIMIT=120
if [ -z "$gdb_skip_reason" ] && ! command -v nasm >/dev/null; then
	gdb_skip_reason="no nasm on this machine"
fi

# symbol FILE NAME: the address of NAME in the ELF FILE (nm), as 0x...
symbol() { nm "$1" | awk -v n="$2" '$3 == n { print "0x" $1; exit }'; }

# SSE state: movdqu / movaps into xmm0 and xmm1 (instructions KVM's
# emulator carries out on every host), stepped forward with each register
# read, then back one instruction at a time and forward again.
name="record: xmm registers in long mode come back going backwards and forwards"
if gdb_case "$name"; then
	cat >"$TMP/sse.asm" <<-'EOF'
	bits 64
	org 0x100000
	start:
		movdqu xmm0, [rel v1]
		movaps xmm1, xmm0
		movdqu xmm0, [rel v2]
		movaps xmm0, xmm1
		movdqa xmm1, [rel v2]
		mov rcx, 5
		cli
		hlt
	align 16
	v1:	dq 0x1111111122222222, 0x3333333344444444
	v2:	dq 0x5555555566666666, 0x7777777788888888
	EOF
	nasm -f bin -o "$TMP/sse.bin" "$TMP/sse.asm"
	script sse <<-'EOF'
	def state():
	    return (pc(), str(gdb.parse_and_eval("$xmm0.v2_int64")),
	            str(gdb.parse_and_eval("$xmm1.v2_int64")))
	trace = [state()]
	for i in range(5):
	    resume("stepi", loud_output=False)
	    trace.append(state())
	expect(trace[1][1] != trace[0][1], "the first movdqu changed xmm0: %s" % (trace[1],))
	for i in range(5, 0, -1):
	    resume("reverse-stepi", loud_output=False)
	    expect_eq("state after going back to step %d" % (i - 1), state(), trace[i - 1])
	for i in range(1, 6):
	    resume("stepi", loud_output=False)
	    expect_eq("state replaying step %d" % i, state(), trace[i])
	passed()
	EOF
	batch sse --record --mode long -l 0x100000 "$TMP/sse.bin"
	check_batch "$name" 0 sse 'out:state replaying step 5'
fi

# Real mode to protected to long mode and back: the stub's exec stops make
# gdb take the view of each mode again.
name="record: back across long, protected and real mode, gdb's view follows; forward replay prints nothing again"
if gdb_case "$name"; then
	long_low=$(symbol guests/modes/switch.elf long_low)
	protected=$(symbol guests/modes/switch.elf protected)
	start=$(symbol guests/modes/switch.elf _start)
	script switch <<-EOF
	def arch():
	    return gdb.selected_frame().architecture().name()
	loud("break *$long_low")
	resume()
	expect_stop("breakpoint", 1)
	expect_eq("the architecture at long_low", arch(), "i386:x86-64")
	loud("delete")
	loud("break *$protected")
	resume("reverse-continue")
	expect_stop("breakpoint", 2)
	expect_pc($protected, "pc at protected, reached backwards")
	expect_eq("the architecture back in protected mode", arch(), "i386")
	loud("delete")
	resume("reverse-continue")
	expect_pc($start, "pc at the start of the history")
	expect_eq("the architecture back in real mode", arch(), "i8086")
	loud("break *$long_low")
	resume()
	expect_stop("breakpoint", 3)
	expect_eq("the architecture at long_low, replayed", arch(), "i386:x86-64")
	expect_match("monitor record", cmd("monitor record"), r"position: step \d+, the end")
	passed()
	EOF
	batch switch --record guests/modes/switch.bin
	check_batch "$name" 0 switch 'out:the architecture at long_low, replayed' \
		'out:^No more reverse-execution history'
	n=$(grep -c '^protected mode: 32-bit code' "$TMP/switch.out")
	[ "$n" = 1 ] || not_ok "$name: the guest's line printed once" "printed $n times"
fi

# Timer interrupts during a recorded continue: the handler's breakpoint is
# met as without recording; one step back from its first instruction is
# the interrupted code (IF set), one step forward the handler again (IF
# clear).  The guest then runs to its end, recorded, with its usual output.
name="record: IRQ 0 in a recorded continue, undone and redone at the instruction it came before"
if gdb_case "$name"; then
	script irq <<-'EOF'
	irq0 = address_of("irq0")
	loud("break *%#x" % irq0)
	for n in range(3):
	    resume()
	    expect_stop("breakpoint", 1)
	expect_pc(irq0, "pc at the handler")
	expect(not (reg("eflags") & 0x200), "IF is clear in the handler")
	resume("reverse-stepi")
	expect(pc() != irq0, "one step back leaves the handler (pc %#x)" % pc())
	expect(reg("eflags") & 0x200, "IF is set where the interrupt came")
	resume("stepi")
	expect_pc(irq0, "one step forward enters the handler again")
	expect(not (reg("eflags") & 0x200), "IF is clear again")
	loud("delete")
	expect_exited(3)
	passed()
	EOF
	batch irq --record guests/irq_timer.elf
	check_batch "$name" 3 irq 'out:irq0: 100 ticks' 'out:IF is clear again'
fi

# gdb's write between two instructions is a step of its own: one step
# back shows the value gdb wrote, two steps back the guest's own; forward
# again, the write comes back with the instruction before it.
name="record: gdb's writes are undone with the instruction before them and redone after it"
if gdb_case "$name"; then
	script write <<-'EOF'
	VAR = 0x4000
	for i in range(8):
	    resume("stepi", loud_output=False)
	before = mem(VAR, 2)
	loud("set var *(unsigned short *)%#x = 0x1234" % VAR)
	loud("set var $ebx = 0xabcd")
	resume("stepi")
	resume("reverse-stepi")
	expect_mem(VAR, bytes([0x34, 0x12]))
	expect_reg("ebx", 0xabcd)
	resume("reverse-stepi")
	expect_mem(VAR, before)
	expect(reg("ebx") != 0xabcd, "ebx is the guest's own again (%#x)" % reg("ebx"))
	resume("stepi")
	expect_mem(VAR, bytes([0x34, 0x12]))
	expect_reg("ebx", 0xabcd)
	expect_match("monitor record", cmd("monitor record"), r"1 before the end \(replaying\)")
	passed()
	EOF
	batch write --record guests/record.elf
	check_batch "$name" 0 write 'out:1 before the end'
fi

# Ctrl-C (gdb's interrupt) stops a recorded continue in a loop that never
# ends; the history holds what ran.
name="record: Ctrl-C stops a recorded continue; reverse-stepi then works"
if gdb_case "$name"; then
	printf 'bits 16\nstart: inc ax\n\tjmp start\n' >"$TMP/loop.asm"
	nasm -f bin -o "$TMP/loop.bin" "$TMP/loop.asm"
	script ctrlc <<-'EOF'
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	ax = reg("eax") & 0xffff
	expect(ax > 10, "the loop ran (ax %#x)" % ax)
	resume("reverse-stepi")
	resume("reverse-stepi")
	expect_eq("ax two steps back", reg("eax") & 0xffff, ax - 1)
	text = cmd("monitor record")
	m = re.search(r"history: (\d+) steps", text)
	expect(m and int(m.group(1)) > 20, "the history holds the loop: %r" % text)
	passed()
	EOF
	batch ctrlc --record "$TMP/loop.bin"
	check_batch "$name" 0 ctrlc 'out:ax two steps back'
fi

finish
