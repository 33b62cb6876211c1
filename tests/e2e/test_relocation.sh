#!/bin/bash
# test_relocation.sh - software breakpoints (planted HLTs) in code that
# copies itself before it runs, as MBRs and bootOS do.  The guest
# (guests/boot/reloc.asm) copies its sector from 0x7C00 to 0x0600 with
# rep movsw, from there to 0x7A00 with a byte loop, then sums 1..10 at
# 0x7Axx, prints "R55" and ends through the exit port with 55 (status 111).
#  - Breakpoints on the original (source side): the copies carry the planted
#    HLT along; each copy must run as the original instruction, the guest
#    must reach its end, and gdb must read the guest's bytes at the copies.
#  - Breakpoints on the copies' addresses (destination side), set before
#    the code is copied there: they must fire when the copied code runs.
#  - Both at once, bootOS style, to the end of the guest.
# A copied trap taken for the guest's own HLT ends the guest with status 0.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

IMG=guests/boot/reloc.img
# Offsets in the sector of the labels the breakpoints go on.
LOW_ENTRY=0x1c HIGH_ENTRY=0x32 SUM=0x37

# needs_exec_breakpoints: script lines that end the guest and say SKIP where
# the host delivers no debug-register execution breakpoints: nothing then
# sees code copied over a planted HLT (docs/gdb.md).
needs_exec_breakpoints() {
	cat <<-'EOF'
	if not host_support()["exec"]:
	    say("SKIP: this host does not deliver debug-register execution breakpoints")
	    expect_exited(111)
	    passed()
	    raise SystemExit
	EOF
}

# skip_if_told NAME SCRIPT: the script found the host lacks what the test
# needs and said so ("gdbtest: SKIP: why"): report the skip, return 0.
skip_if_told() {
	local why
	why=$(sed -n 's/^gdbtest: SKIP: //p' "$TMP/$2.out" | head -n 1)
	[ -n "$why" ] && [ "$STATUS" = 111 ] || return 1
	skip "$1" "$why"
}

name="reloc: runs to its end without a debugger (R55, status 111)"
if kvm_case "$name"; then
	run --boot "$IMG"
	check "$name" 111 'R55\n' ""
fi

# The source-side script, for gdb's default (breakpoints lifted at every
# stop) and with them left planted.
for mode in default always-inserted; do
	name="reloc: breakpoints on the original code ($mode): copies run as the original, guest ends 111"
	gdb_case "$name" || continue
	script "src-$mode" <<-EOF
	LOW_ENTRY, HIGH_ENTRY, SUM = $LOW_ENTRY, $HIGH_ENTRY, $SUM
	if "$mode" == "always-inserted":
	    loud("set breakpoint always-inserted on")
	EOF
	cat >>"$TMP/src-$mode.py" <<-'EOF'
	orig = mem(0x7c00 + HIGH_ENTRY, 2)
	expect_eq("the bytes at high_entry", orig, b"\x31\xdb")
	# Code that only ever runs from the copies: its breakpoints never hit,
	# and the planted HLTs travel with both copies.
	loud("break *%#x" % (0x7c00 + LOW_ENTRY))
	loud("break *%#x" % (0x7c00 + HIGH_ENTRY))
	loud("break *%#x" % (0x7c00 + SUM))
	# Stops after each copy, on code that runs where it was first put
	# (nothing is copied over these breakpoints): the jump at the end of
	# the original, then the jump at the end of the first copy.
	loud("break *0x7c17")
	resume()
	expect_stop("breakpoint", 4)
	expect_pc(0x7c17)
	loud("break *%#x" % (0x0600 + 0x2d))
	resume()
	expect_stop("breakpoint", 5)
	expect_pc(0x0600 + 0x2d)
	stepi_to(0x7a00 + HIGH_ENTRY, "the jump to the second copy")
	# The first copy of high_entry never runs: gdb must see the guest's
	# bytes there, not the copied trap; so at the second copy.
	expect_mem(0x0600 + HIGH_ENTRY, orig)
	expect_mem(0x0600 + LOW_ENTRY, b"\xbe\x00\x06")
	expect_mem(0x7a00 + HIGH_ENTRY, orig)
	expect_match("x/i on the copy", cmd("x/i %#x" % (0x0600 + SUM)), r"add\s+%cx,%bx")
	stepi_to(0x7a00 + HIGH_ENTRY + 2, "xor bx, bx at the second copy")
	expect_reg("bx", 0, 16)
	loud("delete")
	expect_exited(111)
	passed()
	EOF
	batch "src-$mode" --boot "$IMG"
	verdict "$name" 111 "$TMP/src-$mode.out" "$TMP/src-$mode.err" -- 'out:^R55$' \
		'not:exited normally'
done

name="reloc: breakpoints on the copies' addresses, set before the copies exist, fire"
if gdb_case "$name"; then
	script dst <<-EOF
	LOW_ENTRY, HIGH_ENTRY, SUM = $LOW_ENTRY, $HIGH_ENTRY, $SUM
	EOF
	needs_exec_breakpoints >>"$TMP/dst.py"
	cat >>"$TMP/dst.py" <<-'EOF'
	expect_mem(0x0600 + LOW_ENTRY, b"\x00")
	loud("break *%#x" % (0x0600 + LOW_ENTRY))     # written by rep movsw
	loud("break *%#x" % (0x7a00 + HIGH_ENTRY))    # written by the byte loop
	loud("break *%#x" % (0x7a00 + SUM))
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x0600 + LOW_ENTRY)
	expect_mem(0x0600 + LOW_ENTRY, b"\xbe\x00\x06")
	expect_reg("cs", 0, 16)
	resume()
	expect_stop("breakpoint", 2)
	expect_pc(0x7a00 + HIGH_ENTRY)
	expect_mem(0x7a00 + HIGH_ENTRY, b"\x31\xdb")
	stepi_to(0x7a00 + HIGH_ENTRY + 2, "xor bx,bx at its copy")
	resume()
	expect_stop("breakpoint", 3)
	expect_pc(0x7a00 + SUM)
	expect_reg("cx", 10, 16)
	resume()
	expect_stop("breakpoint", 3)
	expect_reg("cx", 9, 16)
	expect_reg("bx", 10, 16)
	loud("delete")
	expect_exited(111)
	passed()
	EOF
	batch dst --boot "$IMG"
	skip_if_told "$name" dst ||
	verdict "$name" 111 "$TMP/dst.out" "$TMP/dst.err" -- 'out:^R55$'
fi

# bootOS style: breakpoints on both sides of each copy at once; only the
# copies that run stop, each exactly once per pass, and the guest ends.
name="reloc: breakpoints on both sides of both copies, run to the end (gdb-batch)"
if gdb_case "$name"; then
	script both <<-EOF
	LOW_ENTRY, HIGH_ENTRY, SUM = $LOW_ENTRY, $HIGH_ENTRY, $SUM
	EOF
	needs_exec_breakpoints >>"$TMP/both.py"
	cat >>"$TMP/both.py" <<-'EOF'
	for base in (0x7c00, 0x0600, 0x7a00):
	    for off in (LOW_ENTRY, HIGH_ENTRY):
	        loud("break *%#x" % (base + off))
	# Stops expected, in order: low_entry at its first copy, high_entry at
	# its second; nothing else runs those labels.
	seen = []
	while True:
	    resume()
	    if events.exited:
	        break
	    seen.append(pc())
	    if len(seen) > 4:
	        fail("too many stops: %s" % [hex(x) for x in seen])
	expect_eq("the breakpoint stops", [hex(x) for x in seen],
	          [hex(0x0600 + LOW_ENTRY), hex(0x7a00 + HIGH_ENTRY)])
	expect_eq("the guest's exit code", events.exit_code, 111)
	passed()
	EOF
	batch both --boot "$IMG"
	skip_if_told "$name" both ||
	verdict "$name" 111 "$TMP/both.out" "$TMP/both.err" -- 'out:^R55$'
fi

finish
