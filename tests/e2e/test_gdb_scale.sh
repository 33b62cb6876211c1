#!/bin/bash
# test_gdb_scale.sh - gdb with over a thousand software breakpoints at once
# (the table used to hold 256): all go in, memory reads show the guest's
# bytes under them, the one on the running loop stops at the right place
# every pass, and none of the others fires.  Needs /dev/kvm and a gdb with
# Python, like test_gdb.sh.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

. tests/e2e/gdb_lib.sh

# count.bin (flat, at 0x1000) counts CX up to 200, passing 'tick' (0x1003,
# as test_gdb.sh uses it) once per count.  1,200 breakpoints go where it
# never runs: in its own page after the code, and across four pages of
# zeros from 0x20000, three bytes apart.
if gdb_case "gdb scale: 1,201 breakpoints: the loop's stops at tick with CX = 1..5, none of the others fires"; then
	script scale <<-'EOF'
	addrs = [0x1100 + 3 * i for i in range(200)] + [0x20000 + 13 * i for i in range(1000)]
	for a in addrs:
	    gdb.execute("break *%#x" % a, to_string=True)
	gdb.execute("break *0x1003", to_string=True)
	tick = gdb.breakpoints()[-1].number
	if len(gdb.breakpoints()) != len(addrs) + 1:
	    fail("%d breakpoints, expected %d" % (len(gdb.breakpoints()), len(addrs) + 1))
	say("ok: %d breakpoints set" % len(gdb.breakpoints()))
	for i in range(1, 6):
	    resume(loud_output=False)
	    expect_stop("breakpoint", tick)
	    if pc() != 0x1003 or reg("cx", 16) != i:
	        fail("pass %d: pc=%#x cx=%d" % (i, pc(), reg("cx", 16)))
	say("ok: 5 stops at tick with CX = 1..5")
	# gdb keeps its breakpoints inserted while it reads memory here.
	loud("set breakpoint always-inserted on")
	for a in (addrs[0], addrs[199], addrs[200], addrs[-1]):
	    expect_mem(a, b"\x00")
	expect_mem(0x1003, b"\x90")
	stepi_to(0x1004, "cmp after tick")
	expect_reg("cx", 5, 16)
	loud("delete %d" % tick)
	expect_exited(0)
	passed()
	EOF
	batch scale guests/count.bin
	check_batch "gdb scale: 1,201 breakpoints: the loop's stops at tick with CX = 1..5, none of the others fires" 0 scale
fi

finish
