#!/bin/bash
# test_gdb.sh - drive gdbvm's GDB remote stub with a real gdb: registers,
# memory, stepping, breakpoints, watchpoints, interrupts, detach and
# reconnect, monitor commands, and how the gdbvm process ends.  Each test
# writes a gdb Python script (helpers in tests/e2e/gdb_helpers.py) and runs
# it with --gdb-batch, or with gdb -batch against gdbvm -g; the script
# prints "gdbtest: PASS" when every check in it held.  Needs /dev/kvm and a
# gdb with Python: without them every test here reports itself skipped.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

. tests/e2e/gdb_lib.sh

# ---------------------------------------------------------------- tests --

# 1. Connecting to the built-in demo: the state at the entry point.
if gdb_case "gdb: connect to the demo: pc, registers, disassembly, architecture"; then
	script connect <<-'EOF'
	expect_pc(0x1000)
	expect_reg("eax", 2)
	expect_reg("ebx", 2)
	expect_reg("cs", 0)
	expect_match("x/i $pc", cmd("x/i $pc"), r"=> 0x1000:\s+mov\s+\$0x3f8,%dx")
	expect_match("show architecture", cmd("show architecture"), r"i8086")
	passed()
	EOF
	batch connect
	check_batch "gdb: connect to the demo: pc, registers, disassembly, architecture" 0 connect
fi

# 2. A register written by gdb is what the guest runs with.
if gdb_case "gdb: set \$eax = 5, continue: the demo prints 7"; then
	script regwrite <<-'EOF'
	loud("set $eax = 5")
	expect_reg("eax", 5)
	expect_reg("ebx", 2)
	expect_exited(0)
	passed()
	EOF
	batch regwrite
	check_batch "gdb: set \$eax = 5, continue: the demo prints 7" 0 regwrite 'out:^7$' 'not:^4$'
fi

# 3. Memory: read the demo's code, patch its immediate.
if gdb_case "gdb: read the demo's code bytes, patch add al,'0' to '1': prints 5"; then
	script memory <<-'EOF'
	expect_mem(0x1000, bytes([0xba, 0xf8, 0x03, 0x00, 0xd8]))
	expect_match("x/5xb 0x1000", cmd("x/5xb 0x1000"), r"0x1000:\s+0xba\s+0xf8\s+0x03\s+0x00\s+0xd8")
	expect_mem(0x1005, b"\x04\x30")
	loud("set {unsigned char}0x1006 = 0x31")
	expect_mem(0x1005, b"\x04\x31")
	expect_exited(0)
	passed()
	EOF
	batch memory
	check_batch "gdb: read the demo's code bytes, patch add al,'0' to '1': prints 5" 0 memory \
		'out:^5$' 'not:^4$'
fi

# 4. stepi N.
if gdb_case "gdb: stepi 3 on the demo: pc 0x1007, AL = '4'"; then
	script stepi3 <<-'EOF'
	resume("stepi 3")
	expect_pc(0x1007)
	expect_reg("al", 0x34, 8)
	expect_reg("dx", 0x3f8, 16)
	passed()
	EOF
	batch stepi3
	check_batch "gdb: stepi 3 on the demo: pc 0x1007, AL = '4'" 0 stepi3 'not:^4$'
fi

# 4b. The thread list gdb reads after every stop comes in one qXfer round
# trip (qXfer:threads:read), which gdb must have detected.
if gdb_case "gdb: thread list through qXfer:threads:read; info threads shows thread 1"; then
	script threads <<-'EOF'
	out = cmd("show remote threads-packet")
	expect_match("show remote threads-packet", out, r"currently enabled")
	resume("stepi")
	out = cmd("info threads")
	expect_match("info threads", out, r"\* 1 +Thread 1 ")
	expect_eq("threads listed", out.count("Thread "), 1)
	passed()
	EOF
	batch threads
	check_batch "gdb: thread list through qXfer:threads:read; info threads shows thread 1" 0 threads 'not:^4$'
fi

# 5. Software breakpoints (planted HLT): hit, original bytes, step-over.
if gdb_case "gdb: break on add.bin: hits, memory shows the original bytes, continue past it"; then
	script swbreak <<-'EOF'
	loud("break *0x100b")
	loud("break *0x100e")
	expect_mem(0x100b, b"\xee\xb0\x0a\xee\xf4")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x100b)
	expect_reg("al", 0x34, 8)
	expect_mem(0x100b, b"\xee\xb0\x0a\xee\xf4")
	expect_match("x/i $pc", cmd("x/i $pc"), r"=> 0x100b:\s+out\s+%al,\(%dx\)")
	# Continuing from a breakpoint that is still set steps over it.
	resume()
	expect_stop("breakpoint", 2)
	expect_pc(0x100e)
	expect_reg("al", 0x0a, 8)
	loud("delete")
	expect_mem(0x100b, b"\xee\xb0\x0a\xee\xf4")
	expect_exited(0)
	passed()
	EOF
	batch swbreak guests/add.bin
	check_batch "gdb: break on add.bin: hits, memory shows the original bytes, continue past it" 0 \
		swbreak 'out:^4$'
fi

# 6. Breakpoints are linear addresses, whatever the CS:IP split.
if gdb_case "gdb: CS = 07c0: pc is linear, break at 0x7c07 hits"; then
	script linear <<-'EOF'
	expect_pc(0x7c00)
	expect_reg("cs", 0x7c0)
	expect_match("x/i $pc", cmd("x/i $pc"), r"=> 0x7c00:\s+mov\s+\$0x2,%al")
	loud("break *0x7c07")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x7c07)
	expect_reg("cs", 0x7c0)
	expect_match("x/i $pc", cmd("x/i $pc"), r"=> 0x7c07:\s+add\s+%bl,%al")
	expect_match("monitor regs", cmd("monitor regs"), r"cs:ip 07c0:0007")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch linear -l 0x7c00 -e 07c0:0000 guests/add.bin
	check_batch "gdb: CS = 07c0: pc is linear, break at 0x7c07 hits" 0 linear 'out:^4$'
fi

# 7. A breakpoint in a loop hits once per pass, 200 times.
if gdb_case "gdb: count.bin: break at tick hits 200 times with CX = 1..200"; then
	script count <<-'EOF'
	gdb.execute("break *0x1003")
	for i in range(1, 201):
	    resume(loud_output=False)
	    if events.exited or pc() != 0x1003 or reg("cx", 16) != i:
	        fail("pass %d: exited=%r pc=%#x cx=%d" % (i, events.exited, pc(), reg("cx", 16)))
	say("ok: 200 hits with CX = 1..200")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch count guests/count.bin
	check_batch "gdb: count.bin: break at tick hits 200 times with CX = 1..200" 0 count
fi

# 8. Write watchpoints (read-only memory slot).
if gdb_case "gdb: watch on watch.bin: byte store, word store, rep stosb; not a store next to it"; then
	script watch <<-'EOF'
	loud("watch *(char*)0x2000")
	resume()
	expect_stop("breakpoint", 1)
	# The store to VAR+8 (same page) came first and did not stop.
	expect_pc(0x1011, "pc after the byte store")
	expect_mem(0x2000, b"\x42")
	expect_mem(0x2008, b"\x11")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x1018, "pc after the word store")
	expect_mem(0x2000, b"\x34\x12")
	# rep stosb: a stop inside it (pc at the instruction, CX counting
	# down) or after it, with VAR = 0x77 by then.
	resume()
	expect_stop("breakpoint", 1)
	expect(pc() in (0x1021, 0x1023), "stop in or after rep stosb (pc %#x)" % pc())
	expect_mem(0x2000, b"\x77")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch watch guests/watch.bin
	check_batch "gdb: watch on watch.bin: byte store, word store, rep stosb; not a store next to it" \
		0 watch 'out:^w$' 'out:^New value = 66'
fi

# 9. Hardware breakpoints and read/access watchpoints, where the host
# delivers debug-register exits; elsewhere gdb must fail cleanly.
if gdb_case "gdb: hbreak: hits where the host delivers it, else fails cleanly"; then
	script hbreak <<-'EOF'
	host = host_support()
	loud("hbreak *0x1007")
	if host["exec"]:
	    resume()
	    expect_stop("breakpoint", 1)
	    expect_pc(0x1007)
	    expect_reg("al", 0x34, 8)
	    loud("delete")
	    expect_exited(0)
	else:
	    say("host delivers no exec breakpoints: expecting gdb to fail to insert")
	    try:
	        loud("continue")
	        fail("continue with an hbreak succeeded on a host without exec breakpoints")
	    except gdb.error as e:
	        say("continue failed as expected: %s" % e)
	    expect_pc(0x1000, "pc after the failed continue")
	    loud("delete")
	    stepi_to(0x1003, "mov dx after the failed hbreak")
	    print("gdbtest: branch no")
	passed()
	EOF
	batch hbreak
	if grep -qx 'gdbtest: branch no' "$TMP/hbreak.out"; then
		check_batch "gdb: hbreak: hits where the host delivers it, else fails cleanly (here: no exec breakpoints, fails cleanly)" 0 hbreak \
			'err:(Could not|Cannot) insert hardware breakpoint'
	else
		check_batch "gdb: hbreak: hits where the host delivers it, else fails cleanly (here: delivered, hits)" 0 hbreak 'out:^4$'
	fi
fi

for kind in rwatch awatch; do
	if gdb_case "gdb: $kind: hits where the host delivers it, else fails cleanly"; then
		script "$kind" <<-EOF
		kind = "$kind"
		EOF
		cat >>"$TMP/$kind.py" <<-'EOF'
		host = host_support()
		loud(kind + " *(char*)0x2000")
		if host["data"]:
		    resume()
		    expect_stop("breakpoint", 1)
		    if kind == "rwatch":
		        # The stores change the value (gdb takes them for writes);
		        # the load of VAR into AL is the read.
		        expect_pc(0x102a, "pc after mov al,[VAR]")
		        expect_reg("al", 0x77, 8)
		    else:
		        expect_pc(0x1011, "pc after the byte store")
		        expect_mem(0x2000, b"\x42")
		    loud("delete")
		    expect_exited(0)
		else:
		    say("host delivers no data breakpoints: expecting gdb to fail to insert")
		    try:
		        loud("continue")
		        fail("continue with an %s succeeded on a host without data breakpoints" % kind)
		    except gdb.error as e:
		        say("continue failed as expected: %s" % e)
		    expect_pc(0x1000, "pc after the failed continue")
		    loud("delete")
		    stepi_to(0x1002, "xor ax,ax after the failed " + kind)
		    print("gdbtest: branch no")
		passed()
		EOF
		batch "$kind" guests/watch.bin
		if grep -qx 'gdbtest: branch no' "$TMP/$kind.out"; then
			check_batch "gdb: $kind: hits where the host delivers it, else fails cleanly (here: no data breakpoints, fails cleanly)" 0 "$kind" \
				'err:(Could not|Cannot) insert hardware (watchpoint|breakpoint)'
		else
			check_batch "gdb: $kind: hits where the host delivers it, else fails cleanly (here: delivered, hits)" 0 "$kind" 'out:^w$'
		fi
	fi
done

# 10. The guest's exit port status reaches gdb and gdbvm's exit status.
if gdb_case "gdb: exit.bin with BL=3: gdb sees exit code 07, gdbvm exits 7"; then
	script exitcode <<-'EOF'
	expect_reg("bl", 3, 8)
	expect_exited(7)
	passed()
	EOF
	batch exitcode --reg bl=3 guests/exit.bin
	check_batch "gdb: exit.bin with BL=3: gdb sees exit code 07, gdbvm exits 7" 7 exitcode \
		'out:exited with code 07' 'out:^x$' 'not:^!'
fi

# 11. Interrupting a running guest.
if gdb_case "gdb: interrupt a spinning guest: SIGINT inside the loop, CX counting"; then
	script interrupt <<-'EOF'
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	expect(pc() in (0x100e, 0x100f), "stopped inside the spin loop (pc %#x)" % pc())
	cx1 = reg("cx", 16)
	interrupt_after(0.3)
	resume()
	expect_stop("signal", "SIGINT")
	expect(pc() in (0x100e, 0x100f), "stopped inside the spin loop again (pc %#x)" % pc())
	cx2 = reg("cx", 16)
	# CX counts from 0; both reading 0 (or equal) would mean it never ran.
	expect(cx1 != 0 or cx2 != cx1, "CX advanced (%#x, then %#x)" % (cx1, cx2))
	# One pass of the loop: inc cx, jmp.
	if pc() == 0x100f:
	    stepi_to(0x100e, "jmp .spin")
	cx = reg("cx", 16)
	stepi_to(0x100f, "inc cx")
	expect_reg("cx", (cx + 1) & 0xffff, 16)
	stepi_to(0x100e, "jmp .spin")
	passed()
	EOF
	batch interrupt guests/spin.bin
	check_batch "gdb: interrupt a spinning guest: SIGINT inside the loop, CX counting" 0 interrupt \
		'out:^spinning$' 'out:Program received signal SIGINT'
fi

# 12. Detach, the guest runs on, a new gdb connects and kills it.
if gdb_case "gdb: detach, guest runs on, a second gdb connects, kill: gdbvm exits 22"; then
	script detach1 <<-'EOF'
	expect_pc(0x1000)
	loud("break *0x100e")
	stepi_to(0x1003, "mov dx")
	loud("detach")
	passed()
	EOF
	script detach2 <<-'EOF'
	expect(pc() in (0x100e, 0x100f), "the new connection stopped the guest in the spin loop (pc %#x)" % pc())
	expect_match("info breakpoints", cmd("info breakpoints"), r"No breakpoints")
	# No breakpoint of the first session is left planted: continuing runs
	# until the interrupt.
	interrupt_after(0.3)
	resume()
	expect_stop("signal", "SIGINT")
	expect(pc() in (0x100e, 0x100f), "stopped in the spin loop (pc %#x)" % pc())
	passed()
	loud("kill")
	EOF
	vm_session detach 22 -S guests/spin.bin -- client_passes detach1 -- client_passes detach2
	grep -qx spinning "$TMP/detach.vmout" || PROBLEMS+=("the guest did not print 'spinning' after the detach")
	vm_verdict "gdb: detach, guest runs on, a second gdb connects, kill: gdbvm exits 22" \
		"$TMP/detach1.out" "$TMP/detach2.out" "$TMP/detach.vmout" "$TMP/detach.vmerr"
fi

# 13. One gdb at a time.
if gdb_case "gdb: a second connection is refused while one is active"; then
	script refuse <<-'EOF'
	import os, socket, subprocess
	port = int(os.environ["GDBTEST_PORT"])
	expect_pc(0x1000)
	# A raw connection is told why and closed.
	with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
	    got = b""
	    while True:
	        chunk = s.recv(256)
	        if not chunk:
	            break
	        got += chunk
	expect_eq("what the second connection received", got, b"gdbvm: another gdb is already connected\n")
	# A second gdb cannot take over.
	r = subprocess.run([os.environ["GDBTEST_GDB"], "-batch", "-nx", "-ex", "set confirm off",
	                    "-ex", "target remote 127.0.0.1:%d" % port, "-ex", "info registers eip"],
	                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
	                   timeout=20, text=True)
	print("second gdb said:\n" + r.stdout)
	expect(not re.search(r"^eip\s+0x", r.stdout, re.M), "the second gdb read no registers")
	# This session is unharmed.
	stepi_to(0x1003, "mov dx")
	expect_reg("dx", 0x3f8, 16)
	passed()
	loud("kill")
	EOF
	vm_session refuse 22 -S guests/spin.bin -- client_passes refuse
	grep -q 'gdbvm: refused a second gdb connection' "$TMP/refuse.vmerr" ||
		PROBLEMS+=("gdbvm did not report the refused connection")
	vm_verdict "gdb: a second connection is refused while one is active" \
		"$TMP/refuse.out" "$TMP/refuse.vmerr"
fi

# 14. Every stepi lands exactly on the next instruction.  Two runs, so that
# a wrong landing in the first part does not hide the second.
if gdb_case "gdb: steps.bin: stepi over out, in, and int 0x40 (into the handler)"; then
	script steps1 <<-'EOF'
	# Run to at_out with a breakpoint: stepping over mov ss would also
	# execute mov sp (the hardware holds the trap for one instruction).
	loud("break *0x101c")
	resume()
	expect_pc(0x101c)
	loud("delete")
	stepi_to(0x101d, "out dx,al")
	stepi_to(0x101e, "in al,dx")
	stepi_to(0x1036, "int 0x40 (the handler's first instruction)")
	expect_reg("cs", 0)
	expect_reg("sp", 0x1000 - 6, 16)
	expect_mem(0x1000 - 6, bytes([0x20, 0x10, 0x00, 0x00]))
	stepi_to(0x1037, "the handler's nop")
	stepi_to(0x1020, "iret (after_int)")
	expect_reg("sp", 0x1000, 16)
	passed()
	EOF
	batch steps1 guests/steps.bin
	check_batch "gdb: steps.bin: stepi over out, in, and int 0x40 (into the handler)" 0 steps1
fi

if gdb_case "gdb: steps.bin: stepi over iret, rep movsb, far jmp, and the final hlt"; then
	script steps2 <<-'EOF'
	# Into the handler by running (not by stepping over int).
	loud("break *0x1037")
	resume()
	expect_pc(0x1037)
	loud("delete")
	stepi_to(0x1020, "iret (after_int)")
	expect_reg("sp", 0x1000, 16)
	stepi_to(0x1023, "mov si")
	stepi_to(0x1026, "mov di")
	stepi_to(0x1029, "mov cx")
	stepi_to(0x102a, "cld")
	n = 0
	while pc() == 0x102a and n < 7:
	    resume("stepi", loud_output=False)
	    n += 1
	expect_eq("pc after %d stepi over rep movsb" % n, pc(), 0x102c)
	expect_reg("cx", 0, 16)
	expect_reg("si", 0x103d, 16)
	expect_reg("di", 0x3005, 16)
	expect_mem(0x3000, b"hello")
	stepi_to(0x1032, "the far jmp (far_target)")
	expect_reg("cs", 0x100)
	expect_match("monitor regs", cmd("monitor regs"), r"cs:ip 0100:0032")
	stepi_to(0x1034, "mov al,10")
	stepi_to(0x1035, "out dx,al")
	expect_exited(0, "stepi")
	passed()
	EOF
	batch steps2 guests/steps.bin
	check_batch "gdb: steps.bin: stepi over iret, rep movsb, far jmp, and the final hlt" 0 steps2 \
		'out:exited normally'
fi

# Single-stepping is invisible to the guest: a stepped pushf pushes the
# guest's FLAGS, without the trap flag a debugger may use to step.
if gdb_case "gdb: gdb_pushf.bin: stepi over pushf leaves TF out of the pushed FLAGS"; then
	script pushf <<-'EOF'
	loud("break *0x100a")
	resume()
	expect_pc(0x100a)
	loud("delete")
	stepi_to(0x100b, "pushf")
	expect_reg("sp", 0x0ffe, 16)
	image = int.from_bytes(mem(0x0ffe, 2), "little")
	say("pushed FLAGS image %#06x" % image)
	expect(image & 0x100 == 0, "TF (0x100) is clear in the pushed FLAGS image %#06x" % image)
	expect_exited(0)
	passed()
	EOF
	batch pushf guests/gdb_pushf.bin
	check_batch "gdb: gdb_pushf.bin: stepi over pushf leaves TF out of the pushed FLAGS" 0 pushf \
		'out:^c$'
fi

# 15. Monitor commands.
if gdb_case "gdb: monitor help, regs, exits, unknown command; monitor quit ends --gdb-batch"; then
	script monitor <<-'EOF'
	text = cmd("monitor help")
	for name in ("help", "regs", "exits", "host", "quit"):
	    expect_match("monitor help", text, r"(?m)^monitor %s\s" % name)
	text = cmd("monitor regs")
	expect_match("monitor regs", text, r"cr0=[0-9a-f]{8}")
	expect_match("monitor regs", text, r"(?m)^cs\s+sel=0000 base=00000000")
	expect_match("monitor regs", text, r"cs:ip 0000:1000")
	loud("break *0x100b")
	resume()
	expect_pc(0x100b)
	expect_match("monitor exits", cmd("monitor exits"), r"(?m)^KVM_EXIT_IO\s+2$")
	expect_match("monitor frobnicate", cmd("monitor frobnicate"),
	             r'unknown monitor command; try "monitor help"')
	passed()
	loud("monitor quit")
	EOF
	batch monitor
	check_batch "gdb: monitor help, regs, exits, unknown command; monitor quit ends --gdb-batch" 0 \
		monitor 'out:^4$'
fi

if gdb_case "gdb: monitor quit ends gdbvm -g with status 0"; then
	script quit <<-'EOF'
	expect_pc(0x1000)
	passed()
	loud("monitor quit")
	EOF
	vm_session quit 0 -S guests/spin.bin -- client_passes quit
	vm_verdict "gdb: monitor quit ends gdbvm -g with status 0" \
		"$TMP/quit.out" "$TMP/quit.vmout" "$TMP/quit.vmerr"
fi

# 16. Writing pc.
if gdb_case "gdb: set \$pc moves IP; stepi runs from there"; then
	script setpc <<-'EOF'
	loud("set $pc = 0x1005")
	loud("maint flush register-cache")
	expect_pc(0x1005)
	stepi_to(0x1007, "add al,'0' (from the new pc)")
	expect_reg("al", 0x32, 8)
	expect_match("monitor regs", cmd("monitor regs"), r"cs:ip 0000:1007")
	passed()
	EOF
	batch setpc
	check_batch "gdb: set \$pc moves IP; stepi runs from there" 0 setpc
fi

if gdb_case "gdb: set \$pc outside CS's reach fails; within it, works (CS = 07c0)"; then
	script setpc2 <<-'EOF'
	expect_pc(0x7c00)
	expect_error("set $pc = 0x7000", r"Could not write register")
	loud("maint flush register-cache")
	expect_pc(0x7c00, "pc after the refused write below CS.base")
	expect_error("set $pc = 0x17c00", r"Could not write register")
	loud("maint flush register-cache")
	expect_pc(0x7c00, "pc after the refused write past CS.base + 0xffff")
	loud("set $pc = 0x7c04")
	loud("maint flush register-cache")
	expect_pc(0x7c04)
	expect_reg("cs", 0x7c0)
	stepi_to(0x7c07, "mov dx (from the new pc)")
	expect_match("monitor regs", cmd("monitor regs"), r"cs:ip 07c0:0007")
	passed()
	EOF
	batch setpc2 -l 0x7c00 -e 07c0:0000 guests/add.bin
	check_batch "gdb: set \$pc outside CS's reach fails; within it, works (CS = 07c0)" 0 setpc2
fi

# 17. A crashing guest under gdb.
if gdb_case "gdb: triple.bin: a signal stop, session usable, crash report, status 8/10"; then
	script triple <<-'EOF'
	resume()
	expect(events.stop in (("signal", "SIGSEGV"), ("signal", "SIGILL")),
	       "a SIGSEGV or SIGILL stop (%r)" % (events.stop,))
	expect_match("info registers", cmd("info registers"), r"(?m)^eip\s+0x")
	expect_match("info program", cmd("info program"), r"stopped with signal SIG(SEGV|ILL)")
	passed()
	EOF
	batch triple guests/triple.bin
	check_batch "gdb: triple.bin: a signal stop, session usable, crash report, status 8/10" '8|10' \
		triple 'out:Program received signal SIG(SEGV|ILL)' \
		'err:^gdbvm: (guest triple-faulted \(KVM_EXIT_SHUTDOWN\)|KVM could not emulate a guest instruction)'
fi


# 18. --gdb-batch with --timeout: the alarm ends a guest running under
# continue.  gdb hears that the target was killed by SIGALRM (an X stop
# reply) and the rest of the script runs: gdbvm waits for it (bounded)
# rather than ending gdb at once, which a Python script would see as a
# KeyboardInterrupt wherever it was.  Commands that need the target fail
# with gdb's own message.  The timeout leaves gdb a few seconds to start.
NAME="gdb: --gdb-batch, --timeout ends a running guest: SIGALRM, the rest of the script runs, 16"
if gdb_case "$NAME"; then
	script alarm <<-'EOF'
	import time
	resume()
	expect(events.exited, "continue ends with the target gone")
	for i in range(8):	# slow, to be cut off if gdbvm ended gdb at once
	    time.sleep(0.1)
	    say("after the end: %d" % i)
	expect_error("info registers", r"The program has no registers now")
	expect_error("stepi", r"The program is not being run")
	passed()
	EOF
	batch alarm -t 4 guests/spin.bin
	check_batch "$NAME" 16 alarm 'out:^Program terminated with signal SIGALRM' \
		'out:^gdbtest: after the end: 7$' \
		'err:^gdbvm: guest still running after 4 seconds \(--timeout\); stopped at ' \
		'not:KeyboardInterrupt|Traceback|Fatal signal|Exception ignored'
fi

# 19. The wait for the rest of the script is bounded, and a second
# signal cuts it short: a script that lingers after the end is ended at
# once (SIGTERM to gdb) when gdbvm gets SIGTERM, not after the 5 s grace.
# gdbvm is signalled by its pid: timeout(1) would signal gdb too.
NAME="gdb: --gdb-batch after --timeout: a second signal ends a lingering script at once (16)"
if gdb_case "$NAME"; then
	script linger <<-'EOF'
	import time
	resume()
	expect(events.exited, "continue ends with the target gone")
	say("lingering")
	time.sleep(60)
	passed()
	EOF
	mkfifo "$TMP/linger.errfifo"
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" --gdb-program "$GDB" --gdb-batch "$TMP/linger.py" \
		-t 4 guests/spin.bin </dev/null >"$TMP/linger.out" 2>"$TMP/linger.errfifo" &
	vm=$!
	PROBLEMS=()
	exec 6<"$TMP/linger.errfifo"
	seen=
	while IFS= read -r -t "$RUN_LIMIT" line <&6; do
		printf '%s\n' "$line" >>"$TMP/linger.err"
		case $line in "gdbvm: guest still running after 4 seconds"*) seen=1; break ;; esac
	done
	cat <&6 >>"$TMP/linger.err" &
	cat_pid=$!
	exec 6<&-
	gdbvm_pid=$(child_pid "$vm")
	[ -n "$seen" ] || PROBLEMS+=("gdbvm did not report the timeout")
	# The second signal must find the script lingering: on a loaded
	# machine gdb may still be taking the target's end when the timeout's
	# line appears (bounded wait: the script prints the line once).
	for _ in $(seq 1 $((RUN_LIMIT * 10))); do
		grep -qx 'gdbtest: lingering' "$TMP/linger.out" 2>/dev/null && break
		sleep 0.1
	done
	start=${EPOCHREALTIME/./}
	[ -n "$gdbvm_pid" ] && kill -TERM "$gdbvm_pid"
	wait "$vm"
	STATUS=$?
	took=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	wait "$cat_pid"
	echo "# gdbvm ended ${took} ms after the second signal"
	[ "$STATUS" = 16 ] || PROBLEMS+=("exit status $STATUS, expected 16")
	grep -qx 'gdbtest: lingering' "$TMP/linger.out" || PROBLEMS+=("the script did not get past the end")
	[ "$took" -lt 3000 ] || PROBLEMS+=("gdbvm took $took ms to end after the second signal")
	vm_verdict "$NAME" "$TMP/linger.out" "$TMP/linger.err"
fi

# 20. A gdb that ignores SIGTERM must not keep gdbvm from ending: at
# --timeout gdbvm gives it time to finish its script, then sends it
# SIGTERM, then SIGKILL after a grace period.
if gdb_case "gdb: --gdb-batch with a gdb that ignores SIGTERM: --timeout still ends gdbvm (16)"; then
	printf '#!/bin/sh\ntrap "" TERM\nexec sleep 120\n' >"$TMP/stubborn-gdb"
	chmod +x "$TMP/stubborn-gdb"
	: >"$TMP/unused.gdb"
	timeout -k 5 60 "$GDBVM" -t 1 --gdb-program "$TMP/stubborn-gdb" --gdb-batch "$TMP/unused.gdb" \
		guests/spin.bin </dev/null >"$TMP/stubborn.out" 2>"$TMP/stubborn.err"
	STATUS=$?
	if [ "$STATUS" = 16 ]; then
		ok "gdb: --gdb-batch with a gdb that ignores SIGTERM: --timeout still ends gdbvm (16)"
	else
		not_ok "gdb: --gdb-batch with a gdb that ignores SIGTERM: --timeout still ends gdbvm (16)" \
			"exit status $STATUS (124: gdbvm was still waiting for gdb after 60 s)" \
			"$(cat "$TMP/stubborn.err")"
	fi
fi

finish
