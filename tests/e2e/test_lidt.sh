#!/bin/bash
# test_lidt.sh - stepping INT n in real mode goes where the CPU would: through
# the vector table at the IDTR base (moved with lidt), a vector past the
# IDTR limit raises #GP (a fault, so the pushed IP is the INT itself), and
# with no deliverable vector at all the CPU shuts down (a triple fault).
# The guest is guests/lidt.asm.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

name="lidt: runs freely to its exit (status 7 where the host checks the IDT limit, 11 where not)"
if have_kvm; then
	run guests/lidt.bin
	if [ "$STATUS" = 7 ] || [ "$STATUS" = 11 ]; then
		ok "$name (status $STATUS)"
	else
		not_ok "$name" "status $STATUS" "$(cat "$TMP/err")"
	fi
else
	skip "$name" "$KVM_SKIP_REASON"
fi

name="gdb: stepi into int 0 follows lidt's table; int 0x20 past its limit steps into the #GP handler"
if gdb_case "$name"; then
	script lidt <<-'EOF'
	addr = address_of
	loud("break *%#x" % addr("int0_site"))
	resume()
	expect_stop("breakpoint", 1)
	table = addr("table")
	expect_match("the IDTR the guest loaded", cmd("x/3hx %#x" % addr("idtr_small")),
	             r"0x0037\s+0x%04x\s+0x0000" % table)
	stepi_to(addr("int0_handler"), "int 0 (through the moved table)")
	expect_reg("cs", 0, 16)
	expect_mem(reg("sp", 16), bytes([addr("int20_site") & 0xff, addr("int20_site") >> 8]))
	stepi_to(addr("int0_handler") + 3, "or bl, 1")
	stepi_to(addr("int20_site"), "iret")
	expect_reg("bx", 1, 16)
	# Vector 0x20's entry lies past the limit (0x37): #GP, vector 13.
	stepi_to(addr("gp_handler"), "int 0x20 (past the IDT limit)")
	site = addr("int20_site")
	expect_mem(reg("sp", 16), bytes([site & 0xff, site >> 8, 0, 0]))
	expect_exited(7)
	passed()
	EOF
	batch lidt guests/lidt.elf
	verdict "$name" 7 "$TMP/lidt.out" "$TMP/lidt.err" -- 'out:exited with code 07'
fi

name="gdb: stepi into int 5 with an IDT limit of 0 is a triple fault"
if gdb_case "$name"; then
	script lidt_zero <<-'EOF'
	addr = address_of
	loud("break *%#x" % addr("int0_site"))
	resume()
	loud("set $pc = %#x" % addr("zero_limit"))
	stepi_to(addr("zero_int"), "lidt with limit 0")
	resume("stepi")
	expect_stop("signal", "SIGSEGV")
	passed()
	loud("kill")
	EOF
	batch lidt_zero guests/lidt.elf
	verdict "$name" '[0-9]+' "$TMP/lidt_zero.out" "$TMP/lidt_zero.err" -- \
		'err:guest triple-faulted .* at 0000:1056' 'out:SIGSEGV'
fi

finish
