#!/bin/bash
# test_guests.sh - run each example guest in a real KVM VM and check its
# exact output, stderr and exit status.  Needs /dev/kvm: without it every
# test here reports itself skipped with the reason.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOC='[0-9a-f]{4}:[0-9a-f]{4} \(linear 0x[0-9a-f]+\)'

if kvm_case "built-in demo prints 4"; then
	run
	check "built-in demo prints 4" 0 "4\n" ""
fi

if kvm_case "built-in demo with --reg al=5 prints 7"; then
	run --reg al=5
	check "built-in demo with --reg al=5 prints 7" 0 "7\n" ""
fi

if kvm_case "guests/demo.bin with AL=BL=2 prints 4"; then
	run --reg al=2 --reg bl=2 guests/demo.bin
	check "guests/demo.bin with AL=BL=2 prints 4" 0 "4\n" ""
fi

if kvm_case "guests/add.bin prints 4"; then
	run guests/add.bin
	check "guests/add.bin prints 4" 0 "4\n" ""
fi

if kvm_case "loaded at 0x7c00 and entered at 07c0:0000"; then
	run -l 0x7c00 -e 07c0:0000 guests/add.bin
	check "loaded at 0x7c00 and entered at 07c0:0000" 0 "4\n" ""
fi

if kvm_case "loaded above 64K, entered at the default 2000:0000"; then
	run -l 0x20000 guests/add.bin
	check "loaded above 64K, entered at the default 2000:0000" 0 "4\n" ""
fi

if kvm_case "3G of guest RAM"; then
	run -m 3G guests/add.bin
	check "3G of guest RAM" 0 "4\n" ""
fi

if kvm_case "hello world through the polled UART"; then
	run guests/hello.bin
	check "hello world through the polled UART" 0 "Hello, world!\n" ""
fi

if kvm_case "echo copies input up to the terminator"; then
	printf 'hi there.and not this' >"$TMP/in"
	run --stdin "$TMP/in" guests/echo.bin
	check "echo copies input up to the terminator" 0 "hi there." ""
fi

if kvm_case "echo passes every byte value through"; then
	# All bytes but '.', then the terminator.
	for i in $(seq 0 255); do [ "$i" -ne 46 ] && printf "\\$(printf '%03o' "$i")"; done >"$TMP/in"
	printf '.' >>"$TMP/in"
	run --stdin "$TMP/in" guests/echo.bin
	if [ "$STATUS" = 0 ] && cmp -s "$TMP/in" "$TMP/out"; then
		ok "echo passes every byte value through"
	else
		not_ok "echo passes every byte value through" "status $STATUS" \
			"$(cmp "$TMP/in" "$TMP/out" 2>&1)"
	fi
fi

if kvm_case "echo without a terminator stops at --timeout"; then
	printf 'abc' >"$TMP/in"
	run --stdin "$TMP/in" -t 0.3 guests/echo.bin
	check "echo without a terminator stops at --timeout" 16 "abc" \
		"gdbvm: guest still running after 0\.3 seconds \(--timeout\); stopped at $LOC"
fi

for v in 0 3 127 128; do
	if kvm_case "exit port value $v"; then
		run --reg bl=$v guests/exit.bin
		check "exit port value $v gives status $(( ((v << 1) | 1) & 255 ))" \
			$(( ((v << 1) | 1) & 255 )) "x\n" ""
	fi
done

if kvm_case "16-bit write to the exit port"; then
	run --reg bx=0x0102 guests/exit.bin
	check "16-bit write to the exit port" $(( ((0x102 << 1) | 1) & 255 )) "x\n" ""
fi

if kvm_case "triple fault is reported with registers and code bytes"; then
	run guests/triple.bin
	# VT-x and AMD-V: a triple fault; hosts that emulate every instruction
	# (kvm_pvm) end in an emulation failure instead.  Both are reported.
	regs="gdbvm:   eax=[0-9a-f]{8} ebx=[0-9a-f]{8} ecx=[0-9a-f]{8} edx=[0-9a-f]{8}.gdbvm:   esi=.*"
	code="gdbvm:   code at 0x[0-9a-f]+:( [0-9a-f]{2}){16}"
	# AMD hosts reset the vCPU at a shutdown: CS:IP is then f000:fff0,
	# outside RAM, and gdbvm says so.
	reset="gdbvm:   \(this host reset the vCPU at the shutdown, as KVM does on AMD: .*\)"
	amd_code="gdbvm:   code at 0xfffffff0: \(outside guest RAM\)"
	# In protected mode the location is CS:EIP, and the report says what
	# the guest was delivering, the mode, and (on kvm_pvm) that this host
	# cannot deliver it (docs/modes.md).
	PMLOC='0008:[0-9a-f]{8} \(linear 0x[0-9a-f]+\)'
	int3="gdbvm:   the guest was delivering vector 0x03 \(int3\) through its protected-mode IDT"
	pvm="gdbvm:   this host's KVM \(kvm_pvm\) cannot deliver it outside real mode; Intel VT-x and AMD-V hosts can, and so can gdbvm's nested VM \(tests/nested/kvm-vm.sh\)"
	pmmode="gdbvm:   mode: protected mode, 32-bit code, paging off"
	if [ "$STATUS" = 8 ] && grep -q 'at f000:fff0' "$TMP/err"; then
		check "triple fault is reported with registers and code bytes" 8 "" \
			"gdbvm: guest triple-faulted \(KVM_EXIT_SHUTDOWN\) at $LOC.$reset.$regs.$amd_code"
	elif [ "$STATUS" = 8 ]; then
		check "triple fault is reported with registers and code bytes" 8 "" \
			"gdbvm: guest triple-faulted \(KVM_EXIT_SHUTDOWN\) at $PMLOC.($int3.)?$pmmode.$regs.$code"
	else
		check "triple fault is reported with registers and code bytes" 10 "" \
			"gdbvm: KVM could not emulate a guest instruction \(KVM_EXIT_INTERNAL_ERROR, emulation failure\) at $PMLOC.gdbvm:   suberror 1.$int3.$pvm.$pmmode.$regs.$code"
	fi
fi

if kvm_case "unknown ports and unmapped memory read as all ones, reported once"; then
	run -m 64K guests/devices.bin
	check "unknown ports and unmapped memory read as all ones, reported once" 0 "PPPPPPP\n" \
		"$(lit "gdbvm: guest read from unknown I/O port 0x0080 (read as all ones; reported once)
gdbvm: guest read from unknown I/O port 0x1234 (read as all ones; reported once)
gdbvm: guest wrote to unmapped physical address 0x20000 (1 bytes; write ignored; reported once)" | tr '\n' '\001' | sed 's/\x01/./g')"
fi

if kvm_case "--trace prints one line per exit"; then
	run --trace
	io="gdbvm: trace: KVM_EXIT_IO at $LOC out port=0x03f8 size=1 count=1"
	check "--trace prints one line per exit" 0 "4\n" \
		"$io data=0x34.$io data=0xa.gdbvm: trace: KVM_EXIT_HLT at $LOC"
fi

if kvm_case "--timeout stops a spinning guest"; then
	run -t 0.2 guests/spin.bin
	check "--timeout stops a spinning guest" 16 "spinning\n" \
		"gdbvm: guest still running after 0\.2 seconds \(--timeout\); stopped at $LOC"
fi

# stop_with SIGNAL: start the spinning guest, wait until it has printed,
# send the signal, and check the clean stop.
stop_with() {
	local sig=$1 line pid
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	# gdbvm's own --timeout bounds the run (timeout(1) would sit between
	# the signal and gdbvm).
	"$GDBVM" -t "$RUN_LIMIT" guests/spin.bin >"$TMP/fifo" 2>"$TMP/err" </dev/null &
	pid=$!
	exec 3<"$TMP/fifo"
	read -r -t 20 line <&3
	kill -"$sig" "$pid"
	cat <&3 >/dev/null
	exec 3<&-
	wait "$pid"
	STATUS=$?
	printf '%s\n' "$line" >"$TMP/out"
}

for sig in TERM INT; do
	if kvm_case "SIG$sig stops the guest cleanly"; then
		stop_with $sig
		check "SIG$sig stops the guest cleanly" 18 "spinning\n" \
			"gdbvm: stopped by SIG$sig at $LOC"
	fi
done

finish
