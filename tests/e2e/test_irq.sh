#!/bin/bash
# test_irq.sh - interrupts seen from guests: the PIT's IRQ 0 at 100 Hz
# taking its time in host time while gdbvm sleeps (guests/irq_timer.bin);
# the BIOS's tick count, its INT 1Ch hook, INT 1Ah and INT 15h AH=86h
# (guests/boot/ticks, int1c, int1a); the RTC's periodic IRQ 8 through the
# slave PIC (guests/rtc_irq.bin); the PIC's masks, IRR and ISR, and the HLT
# rule (guests/pic_probe.bin); IRQ 0 at the PIT's highest rates
# (guests/pit_fast.bin).  Then, under a real gdb: breakpoints in an IRQ
# handler, stepping outside it, Ctrl-C while the guest waits in HLT, and
# guest time standing still while gdb holds the guest.  Time bounds are
# generous (a loaded 2-core machine); floors come from the guest's own
# waits.  Needs /dev/kvm (else SKIP); the gdb cases need gdb with Python.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

# timed ARGS...: run $GDBVM ARGS like run, and set WALL (seconds of host
# time) and CPU (user + system seconds of the child, from its rusage).
timed() {
	local r
	r=$(python3 - "$TMP" "$RUN_LIMIT" "$GDBVM" "$@" <<-'PY'
	import resource, subprocess, sys, time
	tmp, limit, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
	with open(tmp + "/out", "wb") as out, open(tmp + "/err", "wb") as err:
	    t0 = time.monotonic()
	    try:
	        status = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
	                                timeout=limit).returncode
	    except subprocess.TimeoutExpired:
	        status = 124
	    wall = time.monotonic() - t0
	u = resource.getrusage(resource.RUSAGE_CHILDREN)
	print(status, "%.3f" % wall, "%.3f" % (u.ru_utime + u.ru_stime))
	PY
	)
	read -r STATUS WALL CPU <<<"$r"
}

# between VALUE LOW HIGH: LOW <= VALUE <= HIGH (decimals allowed).
between() { python3 -c 'import sys; v, a, b = map(float, sys.argv[1:]); sys.exit(not a <= v <= b)' "$@"; }

# symbol ELF NAME: the address of NAME in ELF, as a number.
symbol() { echo $((0x$(nm "$1" | awk -v n="$2" '$3 == n { print $1 }'))); }

# ---- 1. IRQ 0 at 100 Hz: one second, and gdbvm sleeps meanwhile
name="irq_timer: 100 ticks of IRQ 0 at 100 Hz"
if kvm_case "$name"; then
	timed guests/irq_timer.bin
	check "$name: output and exit status" 3 'irq0: 100 ticks\n' ""
	if between "$WALL" 0.7 3; then
		ok "$name take about 1 s of host time ($WALL s)"
	else
		not_ok "$name take about 1 s of host time" "took $WALL s, expected 0.7 to 3"
	fi
	# Waiting in HLT is sleeping: well under half the wall time on the CPU.
	if python3 -c 'import sys; sys.exit(not float(sys.argv[1]) < 0.5 * float(sys.argv[2]))' \
		"$CPU" "$WALL"; then
		ok "$name: gdbvm sleeps while the guest waits in HLT (cpu $CPU s of $WALL s)"
	else
		not_ok "$name: gdbvm sleeps while the guest waits in HLT" \
			"user+sys $CPU s in $WALL s of wall time: more than half"
	fi
fi

# ---- 2. the BIOS's timer services, in boot sectors
name="boot ticks.img: sleeping on the BIOS tick count at 0040:006C"
if kvm_case "$name"; then
	timed --boot guests/boot/ticks.img
	check "$name prints 0000 0001 0002" 0 '0000\r\n0001\r\n0002\r\n' ""
	# Two waits of 9 ticks (18.2 Hz), the first perhaps one tick short.
	if between "$WALL" 0.8 4; then
		ok "$name: two waits of 9 ticks take about 1 s ($WALL s)"
	else
		not_ok "$name: two waits of 9 ticks take about 1 s" "took $WALL s, expected 0.8 to 4"
	fi
fi

name="boot int1c.img: a chained INT 1Ch hook is called once per BIOS tick"
if kvm_case "$name"; then
	run --boot guests/boot/int1c.img
	# 18 calls (the guest's own goal); the tick count moved by as many.
	check "$name" 0 'int 1ch: calls 0012 ticks 0012\r\n' ""
fi

name="boot int1a.img: INT 1Ah and INT 15h AH=86h"
if kvm_case "$name"; then
	before=$(date -u +%s)
	timed --boot guests/boot/int1a.img
	after=$(date -u +%s)
	out=$(tr -d '\r' <"$TMP/out")
	if [ "$STATUS" = 0 ] && [ ! -s "$TMP/err" ] && [ "$(wc -l <<<"$out")" = 5 ]; then
		ok "$name: runs and halts cleanly"
	else
		not_ok "$name: runs and halts cleanly" "status $STATUS" "stdout: $out" \
			"stderr: $(cat "$TMP/err")"
	fi
	time_line=$(sed -n 1p <<<"$out") date_line=$(sed -n 2p <<<"$out")
	t=$(date -u -d "$(date -u -d "@$before" +%F) ${time_line#time }" +%s 2>/dev/null)
	# The host's UTC time, one second either side for the boundaries.
	if [ -n "$t" ] && [ "$t" -ge $((before - 1)) ] && [ "$t" -le $((after + 1)) ]; then
		ok "$name: AH=02h reads the host's UTC time ($time_line)"
	else
		not_ok "$name: AH=02h reads the host's UTC time" "guest: '$time_line'" \
			"host: $(date -u -d "@$before" +%T) to $(date -u -d "@$after" +%T)"
	fi
	if [ "$date_line" = "date $(date -u -d "@$before" +%F)" ] ||
	   [ "$date_line" = "date $(date -u -d "@$after" +%F)" ]; then
		ok "$name: AH=04h reads the host's UTC date ($date_line)"
	else
		not_ok "$name: AH=04h reads the host's UTC date" "guest: '$date_line'" \
			"host: $(date -u -d "@$before" +%F)"
	fi
	wait_line=$(sed -n 3p <<<"$out")
	ticks=$((16#${wait_line##*+}))
	# 500 ms at 18.2065 Hz: 9.1 ticks; one either side for the phase.
	if [[ $wait_line =~ ^wait\ 500000\ us:\ ticks\ \+[0-9a-f]{4}$ ]] &&
	   [ "$ticks" -ge 8 ] && [ "$ticks" -le 10 ] && between "$WALL" 0.5 4; then
		ok "$name: AH=86h waits 500 ms while the ticks go on ($ticks ticks, run $WALL s)"
	else
		not_ok "$name: AH=86h waits 500 ms while the ticks go on" "guest: '$wait_line'" \
			"run took $WALL s (at least 0.5 expected), ticks expected 8 to 10"
	fi
	line=$(sed -n 4p <<<"$out")
	if [[ $line =~ ^set\ ticks\ 00123456\ read\ 0012345[67]$ ]]; then
		ok "$name: AH=01h sets the tick count, AH=00h reads it back"
	else
		not_ok "$name: AH=01h sets the tick count, AH=00h reads it back" "guest: '$line'"
	fi
	line=$(sed -n 5p <<<"$out")
	if [[ $line =~ ^set\ time\ 12:34:56\ read\ 12:34:5[67]$ ]]; then
		ok "$name: AH=03h sets the RTC's time, AH=02h reads it back"
	else
		not_ok "$name: AH=03h sets the RTC's time, AH=02h reads it back" "guest: '$line'"
	fi
fi

# ---- 3. the RTC's periodic interrupt through the slave PIC
name="rtc_irq: IRQ 8 at 1024 Hz counted over one RTC second"
if kvm_case "$name"; then
	run -t 10 guests/rtc_irq.bin
	n=$(sed -n 's/^rtc irq8: \([0-9]*\) in 1 s at 1024 Hz$/\1/p' "$TMP/out")
	if [ "$STATUS" = 3 ] && [ -n "$n" ] && [ "$n" -ge 800 ] && [ "$n" -le 1100 ]; then
		ok "$name ($n)"
	else
		not_ok "$name" "status $STATUS (3 expected)" "stdout: $(cat "$TMP/out")" \
			"expected 800 to 1100 interrupts" "stderr: $(cat "$TMP/err")"
	fi
fi

# ---- 4. the PIC and the HLT rule
name="pic_probe: a masked IRQ 0 waits in IRR and never arrives; unmasked, ISR in the handler"
if kvm_case "$name"; then
	run -t 10 guests/pic_probe.bin
	check "$name" 3 'masked: irr 01 ticks 0\nunmasked: ticks 1 isr 01 after eoi 00\n' ""
fi
for c in "1:cli; hlt with the timer unmasked ends the guest at once" \
	 "2:sti; hlt with every IRQ masked ends the guest at once"; do
	name="HLT rule: ${c#*:}"
	kvm_case "$name" || continue
	timed -t 10 --reg "bl=${c%%:*}" guests/pic_probe.bin
	check "$name: status 0" 0 "" ""
	if between "$WALL" 0 1; then
		ok "$name: no wait ($WALL s)"
	else
		not_ok "$name: no wait" "took $WALL s"
	fi
done
name="HLT rule: sti; hlt with the timer unmasked waits (until --timeout)"
if kvm_case "$name"; then
	timed -t 0.5 --reg bl=3 guests/pic_probe.bin
	check "$name" 16 "" \
		"gdbvm: guest still running after 0\.5 seconds \(--timeout\); stopped at 0000:[0-9a-f]{4} \(linear 0x[0-9a-f]+\)(, waiting in HLT for an interrupt)?"
	at=$(sed -n 's/.*(linear \(0x[0-9a-f]*\)).*$/\1/p' "$TMP/err")
	lo=$(symbol guests/pic_probe.elf waits) hi=$(symbol guests/pic_probe.elf irq0)
	if [ -n "$at" ] && [ $((at)) -ge "$lo" ] && [ $((at)) -lt "$hi" ]; then
		ok "$name: the report says it was in the HLT loop ($at)"
	else
		not_ok "$name: the report says it was in the HLT loop" "at '$at'," \
			"expected $(printf '%#x' "$lo") to $(printf '%#x' "$hi")"
	fi
	if between "$WALL" 0.5 3 && python3 -c \
		'import sys; sys.exit(not float(sys.argv[1]) < 0.5 * float(sys.argv[2]))' "$CPU" "$WALL"; then
		ok "$name: sleeping (cpu $CPU s of $WALL s)"
	else
		not_ok "$name: sleeping" "cpu $CPU s of $WALL s"
	fi
fi

# ---- 5. IRQ 0 as fast as the PIT goes: no hang, no crash; the rate
for count in 2 100; do
	name="pit_fast: PIT count $count (IRQ 0 at $((1193182 / count)) Hz)"
	kvm_case "$name" || continue
	run -t 10 --reg "cx=$count" guests/pit_fast.bin
	n=$(sed -n "s/^pit count $count: \([0-9]*\) interrupts in 1 s\$/\1/p" "$TMP/out")
	# At most what the PIT gives (with slack for the RTC second's edges).
	if [ "$STATUS" = 3 ] && [ -n "$n" ] && [ "$n" -gt 0 ] &&
	   [ "$n" -le $((1193182 / count * 11 / 10)) ] && [ ! -s "$TMP/err" ]; then
		ok "$name: the guest goes on and counts $n interrupts in 1 s"
	else
		not_ok "$name: the guest goes on" "status $STATUS (3 expected)" \
			"stdout: $(cat "$TMP/out")" "stderr: $(cat "$TMP/err")"
	fi
done

# ---- 6. under gdb
# ticks(): the guest's tick counter (a word at the label `ticks`).
TICKS_PY='
import struct
def ticks():
    return struct.unpack("<H", mem(address_of("ticks"), 2))[0]
'

name="gdb: a breakpoint in irq_timer's IRQ 0 handler is hit, and hit again one tick later"
if gdb_case "$name"; then
	script handler <<-EOF
	$TICKS_PY
	loud("break *%#x" % address_of("irq0"))
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(address_of("irq0"), "pc at the handler")
	first = ticks()
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(address_of("irq0"), "pc at the handler again")
	expect_eq("the tick count at the second hit", ticks(), first + 1)
	loud("delete")
	expect_exited(3)
	passed()
	EOF
	batch handler guests/irq_timer.elf
	check_batch "$name" 3 handler 'out:irq0: 100 ticks'
fi

# The main loop is busy (never HLT) with the timer at 1 kHz: 300 steps stay
# in it, the ticks do not move; with irq-while-stepping on a step enters
# the handler at its first instruction.
name="gdb: stepi in a busy main loop with a 1 kHz timer never lands in the handler"
if gdb_case "$name"; then
	script steps <<-EOF
	$TICKS_PY
	busy, end, irq0 = address_of("busy"), address_of("busy_end"), address_of("irq0")
	loud("break *%#x" % busy)
	resume()
	expect_stop("breakpoint", 1)
	loud("delete")
	before = ticks()
	for i in range(300):
	    resume("stepi", loud_output=False)
	    if not busy <= pc() < end:
	        fail("step %d landed at %#x, outside the main loop" % (i + 1, pc()))
	say("ok: 300 steps stayed in the main loop")
	expect_eq("the tick count after 300 steps", ticks(), before)
	expect_match("monitor irq-while-stepping on", cmd("monitor irq-while-stepping on"),
	             "irq-while-stepping on")
	for i in range(5000):
	    resume("stepi", loud_output=False)
	    if pc() == irq0:
	        break
	    if not busy <= pc() < end:
	        fail("step %d landed at %#x: neither the loop nor the handler" % (i + 1, pc()))
	expect_pc(irq0, "pc after stepping with irq-while-stepping on")
	say("the handler was entered after %d steps" % (i + 1))
	passed()
	EOF
	batch steps --reg bl=0 guests/irq_step.elf
	check_batch "$name" 0 steps 'out:entered after'
fi

name="gdb: Ctrl-C while the guest waits in HLT stops it; continue waits on, ticks keep coming"
if gdb_case "$name"; then
	script hltwait <<-EOF
	$TICKS_PY
	idle, irq0 = address_of("idle"), address_of("irq0")
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	expect(idle <= pc() < irq0, "stopped in the HLT loop (pc %#x)" % pc())
	first = ticks()
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	expect(idle <= pc() < irq0, "stopped in the HLT loop again (pc %#x)" % pc())
	second = ticks()
	# 0.5 s at 18.2 Hz: about 9 ticks.
	expect(first < second, "ticks came while it waited: %d, then %d" % (first, second))
	passed()
	EOF
	batch hltwait --reg bl=1 guests/irq_step.elf
	check_batch "$name" 0 hltwait 'out:ticks came while it waited'
fi

# Held at the handler's breakpoint for 0.3 s (reading memory over and over:
# a command that takes real time), far more than the 55 ms tick.  If time
# ran meanwhile the next request would be waiting at the handler's IRET and
# the next hit come at once; with guest time stopped it comes about one
# tick (55 ms) later.
name="gdb: the ticks do not run ahead while gdb holds the guest"
if gdb_case "$name"; then
	script hold <<-EOF
	import time
	$TICKS_PY
	loud("break *%#x" % address_of("irq0"))
	resume()
	expect_stop("breakpoint", 1)
	first = ticks()
	stopped = time.monotonic()
	reads = 0
	while time.monotonic() - stopped < 0.3 and reads < 100000:
	    mem(0x1000, 4096)
	    reads += 1
	held = time.monotonic() - stopped
	expect(held >= 0.3, "gdb held the guest for %.3f s" % held)
	t0 = time.monotonic()
	resume()
	took = time.monotonic() - t0
	expect_stop("breakpoint", 1)
	expect_eq("the tick count at the next hit", ticks(), first + 1)
	say("the next tick came %.3f s after continue" % took)
	expect(0.025 <= took <= 2, "it came a tick later (0.025 to 2 s), not at once")
	passed()
	EOF
	batch hold --reg bl=1 guests/irq_step.elf
	check_batch "$name" 0 hold 'out:next tick came'
fi

finish
