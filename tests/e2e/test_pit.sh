#!/bin/bash
# test_pit.sh - the 8254 timer seen from guests: channel 0's count changes
# and counts down (what boot-sector games read for randomness), a mode 0
# wait on channel 2 polled through port 0x61 takes its guest time in host
# time, and under gdb the timer stands still while gdb holds the guest.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

. tests/e2e/gdb_lib.sh

name="pit: channel 0 read without programming changes; latched counts fall"
if have_kvm; then
	run guests/pit_read.bin
	check "$name" 1 'pit: changes\npit: counts down\n' ""
else
	skip "$name" "$KVM_SKIP_REASON"
fi

name="pit: 20 waits of 50 ms on channel 2 (port 0x61 bit 5) take 1 s of host time"
if have_kvm; then
	t0=$(date +%s%N)
	run guests/pit_wait.bin
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	check "$name: output" 1 'pit: waited 20 x 50 ms\n' ""
	# Guest time never runs ahead of the host: 1000 ms is a hard floor.
	# The ceiling is generous for a loaded machine.
	if [ "$ms" -ge 1000 ] && [ "$ms" -le 6000 ]; then
		ok "$name ($ms ms)"
	else
		not_ok "$name" "took $ms ms, expected 1000 to 6000"
	fi
else
	skip "$name" "$KVM_SKIP_REASON"
	skip "$name: output" "$KVM_SKIP_REASON"
fi

# gdb holds the guest at 'held' for at least 0.3 s of host time (reading
# guest memory over and over, a command that takes real time), far beyond
# the 55 ms channel 2 was given: its count must barely move and its OUT
# stay low.
name="pit under gdb: the counter stands still while gdb holds the guest"
if gdb_case "$name"; then
	script held <<-'EOF'
	import time
	addr = address_of
	loud("break *%#x" % addr("held"))
	loud("break *%#x" % addr("done"))
	resume()
	expect_stop("breakpoint", 1)
	stopped = time.monotonic()
	reads = 0
	while time.monotonic() - stopped < 0.3 and reads < 100000:
	    mem(0x1000, 4096)
	    reads += 1
	held = time.monotonic() - stopped
	say("held %.3f s (%d memory reads)" % (held, reads))
	expect(held >= 0.3, "gdb held the guest for 0.3 s")
	resume()
	expect_stop("breakpoint", 2)
	before, after = reg("si", 16), reg("di", 16)
	moved = (before - after) & 0xffff
	say("count moved %d ticks across the stop" % moved)
	expect(moved < 20000, "the count moved %d ticks (< 20000) in %.3f s held" % (moved, held))
	expect_eq("port 0x61 bit 5 (channel 2 OUT) after the stop", reg("bl", 8) & 0x20, 0)
	passed()
	EOF
	batch held guests/pit_gdb.elf
	check_batch "$name" 0 held 'out:count moved'
fi

finish
