#!/bin/bash
# test_modes_gdb.sh - one gdb session across CPU modes (docs/gdb.md, "CPU
# modes"): guests/modes/switch goes real -> protected -> long -> higher
# half, and gdb must show each mode's registers and disassembly: stepi
# across each switch (the exec stop, then a plain stop where the step
# ended), continue from real mode to a breakpoint in long mode, Ctrl-C in
# long mode after gdb last saw real mode, cr0/cr3/efer as registers, a
# disconnect and a new gdb in long mode, a breakpoint set and hit in the
# higher half; then source-level debugging of the Multiboot C kernel in
# 32-bit protected mode and of the ELF64 C guest in long mode; and with
# LLDB, when it is installed, the switches (with lldb/gdbvm.py) and both C
# guests at source level.  Addresses come from the guests'
# symbol tables and bytes, not from gdbvm.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

SWITCH=guests/modes/switch
sym() { printf '0x%x' "0x$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')"; }
# find_bytes HEX FROM: the address (load address 0x1000) of the first
# occurrence of the bytes HEX in switch.bin at or after address FROM.
find_bytes() {
	python3 -c "import sys; d = open('$SWITCH.bin', 'rb').read()
i = d.find(bytes.fromhex('$1'), $2 - 0x1000)
sys.exit(1) if i < 0 else print(hex(0x1000 + i))"
}
le32() { python3 -c "import struct; print(struct.pack('<I', $1).hex())"; }

PROTECTED=$(sym $SWITCH.elf protected)
LONG_LOW=$(sym $SWITCH.elf long_low)
HIGHER=$(sym $SWITCH.elf higher_half)
PML4=$(sym $SWITCH.elf pml4)
HIGH_BASE=0xffffffff80000000
# The three jumps that switch: to 32-bit code (jmp dword 08:protected), to
# 64-bit code (jmp 18:long_low), to the higher half (jmp rax).
LJMP16=$(find_bytes "66ea$(le32 "$PROTECTED")0800" 0x1000)
LJMP32=$(find_bytes "ea$(le32 "$LONG_LOW")1800" "$PROTECTED")
JMP_RAX=$(find_bytes ffe0 "$LONG_LOW")

# 1. stepi across each switch: the exec stop, then the step's end, with the
#    new mode's disassembly and registers.
name="gdb: stepi across real -> 32-bit -> 64-bit -> higher half: x/i and registers per mode"
if gdb_case "$name"; then
	script step_across <<-EOF
	expect_match("show architecture", cmd("show architecture"), r'"i8086"')
	loud("break *$LJMP16")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("x/i at the far jump", cmd("x/i \$pc"), r"ljmpl\s+\\\$0x8,\\\$$PROTECTED")
	loud("delete")
	loud("stepi")
	expect_pc($PROTECTED, "pc after the jump to 32-bit code")
	expect_match("show architecture", cmd("show architecture"), r'"i386"')
	expect_match("x/i in 32-bit code", cmd("x/i \$pc"), r"mov\s+\\\$0x10,%ax")
	expect_match("info registers eip", cmd("info registers eip"), r"^eip\s+$PROTECTED\s")
	loud("break *$LJMP32")
	resume()
	expect_stop("breakpoint", 2)
	expect_match("x/i at the jump to 64-bit code", cmd("x/i \$pc"), r"ljmp\s+\\\$0x18,\\\$$LONG_LOW")
	loud("delete")
	loud("stepi")
	expect_pc($LONG_LOW, "pc after the jump to 64-bit code")
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	expect_match("x/i in 64-bit code", cmd("x/i \$pc"), r"mov\s+\\\$0xc0000080,%ecx")
	expect_eq("the size of \$pc", gdb.parse_and_eval("\$pc").type.sizeof, 8)
	expect_match("info registers cr3", cmd("info registers cr3"), r"^cr3\s+$PML4\s")
	expect(reg("cr0") & 0x80000001 == 0x80000001, "cr0 has PE and PG")
	expect(reg("efer", 64) & 0x500 == 0x500, "efer has LME and LMA")
	loud("break *$JMP_RAX")
	resume()
	expect_stop("breakpoint", 3)
	expect_match("x/i at the jump to the higher half", cmd("x/i \$pc"), r"jmp\s+\*%rax")
	loud("delete")
	loud("stepi")
	expect_eq("rip in the higher half", reg("rip", 64), $HIGH_BASE + $HIGHER)
	expect_match("info registers rip", cmd("info registers rip"),
	             r"^rip\s+0xffffffff8000[0-9a-f]{4}\s")
	expect_exited(33)
	passed()
	EOF
	batch step_across $SWITCH.bin
	check_batch "$name" 33 step_across \
		'out:Remote target is executing new program: i386$' \
		'out:Remote target is executing new program: i386:x86-64$' \
		'out:Program stopped\.' 'not:Program received signal' "not:Remote 'g' packet reply"
fi

# 2. continue from real mode to a breakpoint in 64-bit code: the exec, then
#    the breakpoint, which gdb inserted again (twice, without removing it):
#    the guest still runs to its end past it.
name="gdb: continue from real mode to a breakpoint in long mode: the breakpoint, in the 64-bit view"
if gdb_case "$name"; then
	script continue_to_long <<-EOF
	loud("break *$LONG_LOW")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc($LONG_LOW)
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	expect_match("x/i", cmd("x/i \$pc"), r"mov\s+\\\$0xc0000080,%ecx")
	expect_match("info registers rip", cmd("info registers rip"), r"^rip\s+$LONG_LOW\s")
	expect_exited(33)
	passed()
	EOF
	batch continue_to_long $SWITCH.bin
	check_batch "$name" 33 continue_to_long \
		'out:executing new program: i386:x86-64$' 'out:^Breakpoint 1, 0x0+11eb in' \
		'out:^long mode: EFER.LMA set' 'out:^higher half: running at'
fi

# 3. Ctrl-C in long mode when gdb last saw real mode: exec, then SIGINT.
#    "jmp \$" (eb fe) written over long_low's first instruction holds the guest.
name="gdb: Ctrl-C in long mode after real mode: SIGINT with the 64-bit view"
if gdb_case "$name"; then
	script ctrl_c_long <<-EOF
	loud("set {unsigned short}$LONG_LOW = 0xfeeb")
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	expect_pc($LONG_LOW)
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	expect_match("x/i", cmd("x/i \$pc"), r"jmp\s+0x0*11eb")
	loud("kill")
	passed()
	EOF
	batch ctrl_c_long $SWITCH.bin
	check_batch "$name" '[0-9]+' ctrl_c_long 'out:executing new program: i386:x86-64$' \
		'out:Program received signal SIGINT'
fi

# 4. gdb disconnects in long mode; a new gdb gets the 64-bit view at once.
name="gdb: disconnect in long mode, a new gdb: the 64-bit view from the start"
if gdb_case "$name"; then
	script reconnect1 <<-EOF
	loud("break *$LONG_LOW")
	resume()
	expect_stop("breakpoint", 1)
	loud("disconnect")
	passed()
	EOF
	script reconnect2 <<-EOF
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	expect_not = "executing new program"
	expect_pc($LONG_LOW)
	expect_match("info registers rip", cmd("info registers rip"), r"^rip\s+$LONG_LOW\s")
	expect_match("x/i", cmd("x/i \$pc"), r"mov\s+\\\$0xc0000080,%ecx")
	expect_exited(33)
	passed()
	EOF
	vm_session reconnect 33 -S $SWITCH.bin -- client_passes reconnect1 -- client_passes reconnect2
	! grep -q "executing new program" "$TMP/reconnect2.out" ||
		PROBLEMS+=("the second gdb was told of an exec")
	vm_verdict "$name" "$TMP/reconnect1.out" "$TMP/reconnect2.out" "$TMP/reconnect.vmerr"
fi

# 4b. gdb detaches in long mode with the guest spinning there ("jmp $"
#     over long_low's first two bytes); a new gdb stops it in the 64-bit
#     view, puts the bytes back and lets it finish.
name="gdb: detach in long mode while the guest runs, a new gdb: stopped in the 64-bit view"
if gdb_case "$name"; then
	script detach1 <<-EOF
	loud("break *$LONG_LOW")
	resume()
	expect_stop("breakpoint", 1)
	loud("delete")
	expect_mem($LONG_LOW, b"\\xb9\\x80")
	loud("set {unsigned short}$LONG_LOW = 0xfeeb")
	passed()
	loud("detach")
	EOF
	script detach2 <<-EOF
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	expect_pc($LONG_LOW)
	expect_eq("the size of \$pc", gdb.parse_and_eval("\$pc").type.sizeof, 8)
	loud("set {unsigned short}$LONG_LOW = 0x80b9")
	expect_exited(33)
	passed()
	EOF
	vm_session detach 33 -S $SWITCH.bin -- client_passes detach1 -- client_passes detach2
	vm_verdict "$name" "$TMP/detach1.out" "$TMP/detach2.out" "$TMP/detach.vmerr"
fi

# 5. A breakpoint on a higher-half address, set once the guest is there.
#    It needs memory access through the guest's page tables.
name="gdb: break on a higher-half address set in long mode is hit"
if gdb_case "$name"; then
	script high_break <<-EOF
	loud("break *$LONG_LOW")
	resume()
	expect_stop("breakpoint", 1)
	loud("delete")
	try:
	    mem($HIGH_BASE + $HIGHER, 1)
	except gdb.MemoryError:
	    print("gdbtest: SKIP no memory access through the page tables")
	    loud("kill")
	    passed()
	    raise gdb.GdbError("skipped")
	loud("break *($HIGH_BASE + $HIGHER)")
	resume()
	expect_stop("breakpoint", 2)
	expect_eq("rip", reg("rip", 64), $HIGH_BASE + $HIGHER)
	expect_match("x/i", cmd("x/i \$pc"), r"lea\s")
	expect_exited(33)
	passed()
	EOF
	batch high_break $SWITCH.bin
	if grep -q "gdbtest: SKIP" "$TMP/high_break.out"; then
		skip "$name" "gdb's memory accesses do not go through the guest's page tables yet"
	else
		check_batch "$name" 33 high_break
	fi
fi

# 5b. The ELF of the same guest: gdb has its symbols, and --gdb-batch pins
#     i8086 for a guest entered in real mode; after the first switch the
#     script unpins it (set architecture auto, as docs/gdb.md says), and
#     the 64-bit view then comes with the symbols still there.
name="gdb: switch.elf under --gdb-batch: break by name in 32- and 64-bit code, symbols kept"
if gdb_case "$name"; then
	script switch_elf <<-'EOF'
	loud("break protected")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("x/i", cmd("x/i $pc"), r"<protected>:\s+mov\s+\$0x10,%ax")
	loud("set architecture auto")
	loud("break long_low")
	resume()
	expect_stop("breakpoint", 2)
	expect_match("show architecture", cmd("show architecture"), r'currently "i386:x86-64"')
	expect_match("x/i", cmd("x/i $pc"), r"<long_low>:\s+mov\s+\$0xc0000080,%ecx")
	expect_match("frame", cmd("frame"), r"long_low \(\) at guests/modes/switch\.asm:\d+")
	expect_exited(33)
	passed()
	EOF
	batch switch_elf $SWITCH.elf
	check_batch "$name" 33 switch_elf \
		"out:executing new program: .*guests/modes/switch\.elf\$" \
		'out:executing new program: i386:x86-64$'
fi

# 6. The Multiboot C kernel, entered in 32-bit protected mode: source-level
#    break, next and print of a struct in the i386 view.
name="gdb: Multiboot C kernel in protected mode: break kmain, next, print *mbi, 32-bit x/i"
if gdb_case "$name"; then
	script mb_source <<-'EOF'
	expect_match("show architecture", cmd("show architecture"), r'"i386"')
	loud("break kmain")
	resume()
	expect_stop("breakpoint", 1)
	line = int(gdb.selected_frame().find_sal().line)
	loud("next")
	expect(int(gdb.selected_frame().find_sal().line) > line, "next went on to a later line")
	expect_match("print magic", cmd("print/x magic"), r"= 0x2badb002")
	expect_match("print *mbi", cmd("print *mbi"), r"mem_lower = \d+, mem_upper = \d+")
	expect_match("print mbi->flags", cmd("print/x mbi->flags"), r"= 0x[0-9a-f]+")
	expect_match("x/i", cmd("x/i $pc"), r"=> 0x[0-9a-f]+ <kmain\+\d+>:")
	expect_eq("the size of $pc", gdb.parse_and_eval("$pc").type.sizeof, 4)
	loud("delete")
	expect_exited(0x7f * 2 + 1)
	passed()
	EOF
	batch mb_source guests/mboot.elf
	check_batch "$name" 255 mb_source 'not:executing new program'
fi

# 7. The ELF64 C guest in long mode: break on a C function, finish, locals.
name="gdb: ELF64 C guest in long mode: break factorial, finish, print, bt"
if gdb_case "$name"; then
	script c64_source <<-'EOF'
	expect_match("show architecture", cmd("show architecture"), r'"i386:x86-64"')
	loud("break factorial")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("print n", cmd("print n"), r"= 20$")
	expect_match("bt", cmd("bt"), r"#1\s+0x[0-9a-f]+ in main \(\)")
	loud("finish")
	expect_match("the value finish returned", cmd("print $"), r"= 2432902008176640000$")
	expect_match("print in", cmd("print in"), r"fact_n = 20, fib_n = 90")
	expect_match("print/x in.dividend", cmd("print/x in.dividend"), r"= 0xfedcba9876543210")
	expect_eq("the size of $pc", gdb.parse_and_eval("$pc").type.sizeof, 8)
	loud("delete")
	resume()
	expect(events.exited, "the guest ran to its end")
	passed()
	EOF
	batch c64_source -m 2M guests/c64.elf
	check_batch "$name" '[0-9]+' c64_source 'out:^C64 guest: 64-bit C in long mode' \
		'out:^Value returned is \$[0-9]+ = 2432902008176640000'
fi


# 8. LLDB across the switches, with lldb/gdbvm.py: 16-bit then 32-bit then
#    64-bit disassembly, registers and memory, a breakpoint set in real
#    mode and hit in long mode.
: "${LLDB:=lldb}"
name="lldb: real -> 32-bit -> 64-bit with lldb/gdbvm.py: disassembly, registers, memory, a breakpoint"
if ! have_kvm; then
	skip "$name" "$KVM_SKIP_REASON"
elif ! command -v "$LLDB" >/dev/null; then
	skip "$name" "no lldb on this machine"
else
	lldb_switch() {
		timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -x -o "command script import lldb/gdbvm.py" \
			-o "gdb-remote 127.0.0.1:$PORT" -o "disassemble -s 0x1001 -c 1" \
			-o "breakpoint set -a $LJMP32" -o "breakpoint set -a $JMP_RAX" -o continue \
			-o "register read eip" -o "disassemble -s $LJMP32 -c 2" -o continue \
			-o "register read rip" -o "register read cr3" \
			-o "memory read -s1 -c5 -fx $LONG_LOW" -o "disassemble -s $LONG_LOW -c 1" \
			-o continue -o "register read rip" -o continue \
			</dev/null >"$TMP/lldb_switch.out" 2>&1 ||
			PROBLEMS+=("lldb exited with $?")
	}
	vm_session lldb_switch 33 -S $SWITCH.bin -- lldb_switch
	rip_long=$(printf 'rip = 0x%016x' "$LONG_LOW")
	rip_jmp=$(printf 'rip = 0x%016x' "$JMP_RAX")
	for want in "0x1001: xorw   %ax, %ax" "stop reason = exec" \
		"gdbvm: CPU mode switch: 2 breakpoint(s) inserted again" \
		"$(printf 'eip = 0x%08x' "$LJMP32")" "pushl  %edx" "$rip_long" \
		"cr3 = $(printf '0x%016x' "$PML4")" "0xb9 0x80 0x00 0x00 0xc0" \
		"movl   \$0xc0000080, %ecx" "stop reason = breakpoint 2.1" "$rip_jmp" \
		"exited with status = 33"; do
		grep -qF -- "$want" "$TMP/lldb_switch.out" || PROBLEMS+=("lldb's output lacks: $want")
	done
	vm_verdict "$name" "$TMP/lldb_switch.out" "$TMP/lldb_switch.vmerr"
fi


# 9. LLDB at source level in the two modes a C guest starts in: the
#    Multiboot kernel (32-bit) and the ELF64 guest (64-bit).
lldb_source() {
	local out=$1 elf=$2
	shift 2
	timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -x -o "target create $elf" \
		-o "gdb-remote 127.0.0.1:$PORT" "$@" </dev/null >"$TMP/$out" 2>&1 ||
		PROBLEMS+=("lldb exited with $?")
}
name="lldb: Multiboot kernel in protected mode: break kmain, next, variables, 32-bit disassembly"
if ! have_kvm; then
	skip "$name" "$KVM_SKIP_REASON"
elif ! command -v "$LLDB" >/dev/null; then
	skip "$name" "no lldb on this machine"
else
	vm_session lldb_mb 255 -S guests/mboot.elf -- lldb_source lldb_mb.out guests/mboot.elf \
		-o "breakpoint set -n kmain" -o continue -o "frame variable magic" -o next \
		-o "register read eip" -o "disassemble -p -c 1" -o continue
	for want in "(uint32_t) magic = 732803074" "stop reason = step over" \
		"mboot.elf\`kmain + " "calll  0x" "exited with status = 255"; do
		grep -qF -- "$want" "$TMP/lldb_mb.out" || PROBLEMS+=("lldb's output lacks: $want")
	done
	vm_verdict "$name" "$TMP/lldb_mb.out"
fi

name="lldb: ELF64 C guest in long mode: break factorial, variables, bt, finish"
if ! have_kvm; then
	skip "$name" "$KVM_SKIP_REASON"
elif ! command -v "$LLDB" >/dev/null; then
	skip "$name" "no lldb on this machine"
else
	vm_session lldb_c64 '[0-9]+' -S -m 2M guests/c64.elf -- lldb_source lldb_c64.out \
		guests/c64.elf -o "breakpoint set -n factorial" -o continue -o "frame variable n" \
		-o bt -o "register read rip" -o finish -o continue
	for want in "factorial(n=20) at main.c:21" "(unsigned int) n = 20" \
		"c64.elf\`main at main.c:67" "rip = 0x0000000000100038" \
		"Return value: (uint64_t) \$0 = 2432902008176640000" "exited with status = "; do
		grep -qF -- "$want" "$TMP/lldb_c64.out" || PROBLEMS+=("lldb's output lacks: $want")
	done
	vm_verdict "$name" "$TMP/lldb_c64.out"
fi


# 10. After an exec stop gdb inserts every breakpoint again without removing
#     it first: two inserts and one removal must leave nothing behind (a
#     software breakpoint's original byte, a debug-register slot, a write
#     watchpoint).  Raw packets, because gdb resumes silently from a
#     breakpoint stop it has no breakpoint for: the stop reply itself must
#     be the exit.  0x100f is hello's first call, which pushes at 0x0ffe.
name="gdb: breakpoints inserted twice and removed once are gone (Z0, Z1, Z2; gdb's re-insertion after an exec)"
if gdb_case "$name"; then
	script twice <<-'EOF'
	for kind, where in (("0", "100f,1"), ("1", "100f,1"), ("2", "ffe,2")):
	    for packet in ("Z" + kind, "Z" + kind, "z" + kind):
	        packet += "," + where
	        expect_match("maint packet " + packet, cmd("maint packet " + packet), r'received: "OK"')
	expect_mem(0x100f, b"\xe8")
	passed()
	loud("maint packet c")
	EOF
	batch twice guests/hello.bin
	check_batch "$name" 0 twice 'out:^Hello, world!$' 'out:received: "W00"'
fi

finish
