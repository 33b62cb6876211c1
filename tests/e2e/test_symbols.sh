#!/bin/bash
# test_symbols.sh - ELF guests and source-level debugging: every guest runs
# the same from its ELF file as from its flat binary, and real gdb, given
# the ELF (--gdb-batch passes it), breaks on labels and C functions, by
# FILE:LINE, steps by source line, lists source, unwinds C frames, prints
# locals, structs and globals, and finishes a C function.  Needs /dev/kvm
# (or the nested VM) and a gdb with Python, else the tests report SKIP.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

# 1. ELF and flat binary of the same guest behave alike.
for g in hello count exit cguest; do
	name="the ELF and the flat binary of guests/$g run alike"
	if ! have_kvm; then skip "$name" "$KVM_SKIP_REASON"; continue; fi
	run guests/$g.bin
	bin_status=$STATUS; cp "$TMP/out" "$TMP/bin.out"; cp "$TMP/err" "$TMP/bin.err"
	run guests/$g.elf
	if [ "$STATUS" = "$bin_status" ] && cmp -s "$TMP/out" "$TMP/bin.out" &&
	   cmp -s "$TMP/err" "$TMP/bin.err" && [ -s "$TMP/out" -o -s "$TMP/err" -o "$g" = count ]; then
		ok "$name"
	else
		not_ok "$name" "flat: status $bin_status, stdout $(head -c 200 "$TMP/bin.out")" \
			"ELF: status $STATUS, stdout $(head -c 200 "$TMP/out"), stderr $(cat "$TMP/err")"
	fi
done

if have_kvm; then
	run guests/cguest.elf
	check "the C guest prints its results" 0 \
		"C guest: measuring rectangles\ncard: 12\nbox: 40\nsquare: 100\ntotal: 152\n" ""
else
	skip "the C guest prints its results" "$KVM_SKIP_REASON"
fi

# 2. With -g, an ELF guest's gdbvm says how to start gdb with its symbols.
if have_kvm; then
	# No client: gdbvm is stopped (SIGTERM, status 18) once it has spoken.
	stop_vm() { kill "$(child_pid "$VM_PID")"; }
	vm_session hint 18 -S guests/hello.elf -- stop_vm
	want="gdbvm: with symbols: gdb -iex 'set osabi none' -iex 'set architecture i8086' -ex 'target remote 127.0.0.1:$PORT' guests/hello.elf"
	grep -qxF "$want" "$TMP/hint.vmerr" || PROBLEMS+=("expected: $want")
	vm_verdict "-g with an ELF guest prints the gdb command that loads its symbols" \
		"$TMP/hint.vmerr"
else
	skip "-g with an ELF guest prints the gdb command that loads its symbols" "$KVM_SKIP_REASON"
fi

# 3. Assembly: labels, break by name, list, info line, 16-bit disassembly.
name="gdb + asm ELF: labels, break by name, list, info line, bt, 16-bit x/i"
if gdb_case "$name"; then
	script asm_names <<-'EOF'
	expect_match("info symbol $pc", cmd("info symbol $pc"), r"^start in section \.text")
	expect_match("show architecture", cmd("show architecture"), r'"i8086"')
	expect_match("x/i $pc", cmd("x/i $pc"), r"<start>:\s+xor\s+%ax,%ax")
	puts = source_line("guests/com1.inc", r"^com1_puts:") + 1
	expect_match("break com1_puts", cmd("break com1_puts"),
	             r"Breakpoint 1 at 0x[0-9a-f]+: file guests/com1\.inc, line %d\." % puts)
	resume()
	expect_stop("breakpoint", 1)
	expect_match("frame", cmd("frame"), r"com1_puts \(\) at guests/com1\.inc:%d" % puts)
	expect_eq("pc at the breakpoint", pc(), int(gdb.parse_and_eval("(long)&com1_puts")))
	expect_match("bt", cmd("bt"), r"^#0  com1_puts \(\) at guests/com1\.inc:%d" % puts)
	expect_match("info line *$pc", cmd("info line *$pc"),
	             r'^Line %d of "guests/com1\.inc" starts at address 0x[0-9a-f]+ <com1_puts>' % puts)
	expect_match("x/i $pc", cmd("x/i $pc"), r"<com1_puts>:\s+push\s+%ax")
	expect_match("list start", cmd("list start"), r"call com1_init")
	expect_match("p/x $si", cmd("p/x $si"), r"= 0x%x" % int(gdb.parse_and_eval("(long)&message")))
	expect_match("x/s &message", cmd("x/s &message"), r'"Hello, world!\\n"')
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch asm_names guests/hello.elf
	check_batch "$name" 0 asm_names 'out:^Hello, world!$'
fi

# 4. Assembly: break by FILE:LINE, next and step by source line, advance.
name="gdb + asm ELF: break FILE:LINE, next/step by line, advance"
if gdb_case "$name"; then
	script asm_lines <<-'EOF'
	mov_si = source_line("guests/hello.asm", r"mov si, message")
	call_puts = source_line("guests/hello.asm", r"call com1_puts")
	halt = source_line("guests/hello.asm", r"^\s+hlt")
	puts = source_line("guests/com1.inc", r"^com1_puts:") + 1
	expect_match("break hello.asm:%d" % mov_si, cmd("break hello.asm:%d" % mov_si),
	             r"Breakpoint 1 at 0x[0-9a-f]+: file guests/hello\.asm, line %d\." % mov_si)
	resume()
	expect_stop("breakpoint", 1)
	expect_eq("line at the breakpoint", gdb.selected_frame().find_sal().line, mov_si)
	resume("next")
	expect_eq("line after next", gdb.selected_frame().find_sal().line, call_puts)
	resume("step")
	sal = gdb.selected_frame().find_sal()
	expect_eq("file after step into the call", sal.symtab.filename, "guests/com1.inc")
	expect_eq("line after step into the call", sal.line, puts)
	resume("next")
	expect_eq("line after next inside com1_puts", gdb.selected_frame().find_sal().line, puts + 1)
	loud("delete")
	resume("advance hello.asm:%d" % halt)
	sal = gdb.selected_frame().find_sal()
	expect_eq("line after advance", (sal.symtab.filename, sal.line), ("guests/hello.asm", halt))
	expect_exited(0)
	passed()
	EOF
	batch asm_lines guests/hello.elf
	check_batch "$name" 0 asm_lines 'out:^Hello, world!$'
fi

# 5. C: break on a function, frames, struct and locals, finish, globals.
name="gdb + C guest: break area, bt, print struct and locals, next, finish, break main.c:LINE"
if gdb_case "$name"; then
	script c_debug <<-'EOF'
	src = "guests/c/main.c"
	loop_call = source_line(src, r"test: loop call")
	area_ret = source_line(src, r"test: area return")
	total = source_line(src, r'com1_puts\("total: "\)')
	expect_match("break area", cmd("break area"),
	             r"Breakpoint 1 at 0x[0-9a-f]+: file guests/c/main\.c, line \d+\.")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("frame", cmd("frame"), r"area \(r=0x[0-9a-f]+ <shapes>\) at guests/c/main\.c:\d+")
	bt = cmd("bt")
	expect_match("bt frame 0", bt, r"#0  area \(r=0x[0-9a-f]+ <shapes>\) at guests/c/main\.c:\d+")
	expect_match("bt frame 1", bt, r"#1  0x[0-9a-f]+ in main \(\) at guests/c/main\.c:%d" % loop_call)
	expect_eq("frames unwound (area, main)", frame_count(), 2)
	expect_match("p *r", cmd("p *r"),
	             r'= \{min = \{x = 0, y = 0\}, max = \{x = 4, y = 3\}, name = 0x[0-9a-f]+ "card"\}')
	expect_eq("r->max.y", int(gdb.parse_and_eval("r->max.y")), 3)
	expect_match("ptype r", cmd("ptype r"), r"type = const struct rect \{")
	for _ in range(6):
	    if gdb.selected_frame().find_sal().line == area_ret:
	        break
	    resume("next", loud_output=False)
	expect_eq("line reached by next", gdb.selected_frame().find_sal().line, area_ret)
	locals_ = cmd("info locals")
	expect_match("info locals (w)", locals_, r"(?m)^w = 4$")
	expect_match("info locals (h)", locals_, r"(?m)^h = 3$")
	loud("finish")	# gdb prints "Value returned" itself; the shell checks it
	expect_eq("the value finish returned ($)", int(gdb.parse_and_eval("$")), 12)
	expect_eq("function after finish", gdb.selected_frame().name(), "main")
	resume("next", loud_output=False)
	expect_eq("a after the call", int(gdb.parse_and_eval("a")), 12)
	expect_eq("i in main", int(gdb.parse_and_eval("i")), 0)
	expect_match("p shapes[1]", cmd("p shapes[1]"),
	             r'= \{min = \{x = 2, y = 3\}, max = \{x = 7, y = 11\}, name = 0x[0-9a-f]+ "box"\}')
	loud("delete")
	expect_match("break main.c:%d" % total, cmd("break main.c:%d" % total),
	             r"Breakpoint 2 at 0x[0-9a-f]+: file guests/c/main\.c, line %d\." % total)
	resume()
	expect_stop("breakpoint", 2)
	expect_eq("total_area at the end", int(gdb.parse_and_eval("total_area")), 152)
	expect_match("info line *$pc", cmd("info line *$pc"), r'^Line %d of "guests/c/main\.c"' % total)
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch c_debug guests/cguest.elf
	check_batch "$name" 0 c_debug 'out:^total: 152$' \
		'out:^Value returned is \$[0-9]+ = 12$'
fi

# 6. C: step into a call by line, up/down the stack, a nested call's frames.
name="gdb + C guest: step into area and width, bt of three frames, up, watch a global"
if gdb_case "$name"; then
	script c_step <<-'EOF'
	src = "guests/c/main.c"
	loop_call = source_line(src, r"test: loop call")
	first = source_line(src, r"test: area first line")
	loud("break main.c:%d" % loop_call)
	resume()
	expect_eq("line at the loop call", gdb.selected_frame().find_sal().line, loop_call)
	resume("step")
	expect_eq("function after step", gdb.selected_frame().name(), "area")
	for _ in range(3):
	    if gdb.selected_frame().find_sal().line == first:
	        break
	    resume("next", loud_output=False)
	expect_eq("line in area", gdb.selected_frame().find_sal().line, first)
	resume("step")
	expect_eq("function after a second step", gdb.selected_frame().name(), "width")
	bt = cmd("bt")
	expect_match("bt #0", bt, r"#0  width \(r=0x[0-9a-f]+ <shapes>\)")
	expect_match("bt #1", bt, r"#1  0x[0-9a-f]+ in area \(r=0x[0-9a-f]+ <shapes>\) at guests/c/main\.c:%d" % first)
	expect_match("bt #2", bt, r"#2  0x[0-9a-f]+ in main \(\) at guests/c/main\.c:%d" % loop_call)
	expect_eq("frames unwound (width, area, main)", frame_count(), 3)
	loud("up 2")
	expect_eq("i seen from main's frame", int(gdb.parse_and_eval("i")), 0)
	expect_eq("count seen from main's frame", int(gdb.parse_and_eval("count")), 3)
	loud("delete")
	loud("watch total_area")
	resume()
	out = cmd("p total_area")
	expect_match("total_area after the first write", out, r"= 12$")
	expect_eq("the watchpoint stopped in main", gdb.selected_frame().name(), "main")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch c_step guests/cguest.elf
	check_batch "$name" 0 c_step 'out:^total: 152$'
fi

# 7. gdb alone ("target remote", no file named) finds an ELF guest's
# symbols: the stub names the guest's file (qXfer:exec-file:read, an
# absolute path, so gdb may run anywhere).  A flat binary has no file to
# name: gdb says so in its own words, as before, and the session works.
exec_file_case() {
	local name=$1 guest=$2 want_warning=$3 problems=()
	vm_start "$4" -S "$guest"
	if [ -z "$PORT" ]; then
		problems+=("no port from gdbvm")
	else
		(cd / && client "$4")
		grep -qx 'gdbtest: PASS' "$TMP/$4.out" || problems+=("the gdb script did not pass")
		if [ "$want_warning" = yes ]; then
			grep -q 'No executable has been specified' "$TMP/$4.out" ||
				problems+=("gdb did not say that no executable is known")
		else
			! grep -q 'No executable has been specified' "$TMP/$4.out" ||
				problems+=("gdb warned that no executable has been specified")
		fi
		! grep -Eiq 'exec-file|Remote failure|E0[0-9]' "$TMP/$4.out" ||
			problems+=("gdb printed an error about the exec file")
	fi
	vm_wait
	[ "$VM_STATUS" = 0 ] || problems+=("gdbvm exited with $VM_STATUS, expected 0")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name" "${problems[@]}" "$(diag "$TMP/$4.out" "$TMP/$4.vmerr")"
	fi
}

name="gdb + ELF guest: 'target remote' alone loads the guest's symbols (qXfer:exec-file)"
if gdb_case "$name"; then
	script exec_elf <<-EOF
	import os
	expect_eq("the file gdb loaded", gdb.current_progspace().filename,
	          os.path.realpath("$PWD/guests/hello.elf"))
	EOF
	cat >>"$TMP/exec_elf.py" <<-'EOF'
	expect_match("info symbol $pc", cmd("info symbol $pc"), r"^start in section \.text")
	expect_match("break com1_puts", cmd("break com1_puts"), r"Breakpoint 1 at 0x[0-9a-f]+: file ")
	resume()
	expect_stop("breakpoint", 1)
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	exec_file_case "$name" guests/hello.elf no exec_elf
fi

name="gdb + flat guest: no exec file to name; gdb says so itself, the session works"
if gdb_case "$name"; then
	script exec_flat <<-'EOF'
	expect_eq("the file gdb loaded", gdb.current_progspace().filename, None)
	expect_match("info symbol $pc", cmd("info symbol $pc"), r"^No symbol matches")
	expect_exited(0)
	passed()
	EOF
	exec_file_case "$name" guests/hello.bin yes exec_flat
fi

finish
