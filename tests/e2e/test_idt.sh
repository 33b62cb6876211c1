#!/bin/bash
# test_idt.sh - interrupts and exceptions taken through a protected-mode and
# a long-mode IDT (guests/idt/pm_idt.bin, lm_idt.bin: int 0x80, a divide
# error, a page fault; pm_timer.bin: IRQ 0 from the PIT at 100 Hz), and the
# reports in those modes.
#
# Where the host delivers (Intel VT-x, AMD-V), each case must print exactly
# the vector, error code and CR2 the CPU gives.  On kvm_pvm hosts, which
# cannot deliver some of them (docs/modes.md), each such case must end in
# the report that says what the guest was delivering and what runs it; and
# the delivery cases then run again inside the nested KVM VM
# (tests/nested/kvm-vm.sh, AMD SVM; one boot for all of them), where the
# exact output is required.  That part is skipped, with the reason, when the
# nested VM cannot be prepared.  Also: --trace and --timeout locations in
# protected and long mode.  Needs /dev/kvm, else the tests report SKIP.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

PVM=0
[ -d /sys/module/kvm_pvm ] && PVM=1

# delivered GUEST CASE: the exact stdout of a run that took every case
# (CASE 0) or one of them (1 int 0x80, 2 divide error, 3 page fault).
delivered() {
	local g=$1 c=$2
	case $g in
	pm_idt) printf 'pm_idt: protected mode, IDT loaded\n' ;;
	lm_idt) printf 'lm_idt: long mode, IDT loaded\n' ;;
	esac
	if [ "$c" = 0 ] || [ "$c" = 1 ]; then
		printf 'int 0x80: vector 0x80 error 0x00000000 cr2 0x00000000\n'
	fi
	if [ "$c" = 0 ] || [ "$c" = 2 ]; then
		printf 'divide error: vector 0x00 error 0x00000000 cr2 0x00000000\n'
	fi
	if [ "$c" = 0 ] || [ "$c" = 3 ]; then
		# A write (bit 1) to a page that is not present (bit 0 clear).
		printf 'page fault: vector 0x0e error 0x00000002 cr2 0x0dead000\n'
	fi
	printf '%s: done\n' "$g"
}

# The exit status of a delivered run: the number of deliveries N, (N << 1) | 1.
delivered_status() { if [ "$1" = 0 ]; then echo 7; else echo 3; fi; }

CASE_NAMES=("every case" "int 0x80" "divide error" "page fault")

# delivery_cases: the exact output of every case, required (where the host
# delivers: VT-x, AMD-V, the nested VM).
delivery_cases() {
	local g c
	for g in pm_idt lm_idt; do
		for c in 0 1 2 3; do
			run --reg "bl=$c" "guests/idt/$g.bin"
			check "$g: ${CASE_NAMES[$c]}: delivered through the IDT, exact output" \
				"$(delivered_status "$c")" "$(delivered "$g" "$c")\n" ""
		done
	done
	timer_case
	step_irq_cases
	step_flags_case
	coverage_cases
}

# coverage_cases: --coverage and --coverage-counts on a host where the
# traps are met as on VT-x and AMD-V (kept traps stepped over with TF):
# each marked line of tests/e2e/cov/branch.asm and hlt_nops.asm shows
# what its comment says (test_coverage.sh does the rest on this host).
coverage_cases() {
	local src mode loops=7 want got
	for src in branch hlt_nops; do
		nasm -f elf32 -g -F dwarf -DLOOPS=$loops -o "$TMP/$src.o" tests/e2e/cov/$src.asm &&
			ld -m elf_i386 -z noexecstack -Ttext=0x1000 -e _start -o "$TMP/$src.elf" "$TMP/$src.o" ||
			{ not_ok "coverage: $src builds"; continue; }
		for mode in first counts; do
			want=$(awk -v loops=$loops -v counts=$([ $mode = counts ] && echo 1 || echo 0) '
				/; once$/ { print "DA:" NR "," 1 }
				/; loop$/ { print "DA:" NR "," (counts ? loops : 1) }
				/; never$/ { print "DA:" NR ",0" }' tests/e2e/cov/$src.asm)
			run --coverage "$TMP/$src-$mode.info" $([ $mode = counts ] && echo --coverage-counts) \
				"$TMP/$src.elf"
			got=$(grep '^DA:' "$TMP/$src-$mode.info" 2>/dev/null)
			if [ "$STATUS" = 0 ] && [ "$got" = "$want" ]; then
				ok "coverage: $src, $mode: every line as its comment says"
			else
				not_ok "coverage: $src, $mode: every line as its comment says" "status $STATUS" \
					"want: $(echo $want)" "got: $(echo $got)" "$(tail -3 "$TMP/err")"
			fi
		done
	done
}

# step_flags_case: KVM single-steps with TF, which a guest's IRET loads
# from the stack: the step after a real-mode handler's IRET must run one
# instruction, not the rest of the guest (VT-x and AMD-V hosts; vmm/debug.c
# debug_apply sets the step up again before every step).
step_flags_case() {
	local name="steps: the stepi after a handler's IRET runs one instruction"
	if gdb_case "$name"; then
		script iretstep <<-'EOF'
		after_int = address_of("after_int")
		for i in range(100):
		    resume("stepi", loud_output=False)
		    if pc() == after_int:
		        break
		expect_pc(after_int, "pc after the step over the handler's IRET")
		nxt = gdb.selected_frame().architecture().disassemble(after_int, count=2)[1]["addr"]
		resume("stepi")
		expect_pc(nxt, "pc after the step that follows")
		passed()
		EOF
		batch iretstep guests/steps.elf
		check_batch "$name" 0 iretstep 'out:pc after the step that follows'
	fi
}

# step_irq_cases: under gdb, a step that takes IRQ 0 in protected mode
# ends on the handler's first instruction (the CPU clears TF entering it:
# vmm/step_irq.h), with irq-while-stepping and in a recorded continue,
# where one step back leaves the handler and one step forward enters it.
step_irq_cases() {
	local name="pm_timer under gdb: a step that takes IRQ 0 stops on the handler's first instruction"
	if gdb_case "$name"; then
		script pmstep <<-'EOF'
		irq0, end = address_of("irq0"), address_of("putc")
		loud("monitor irq-while-stepping on")
		for i in range(50000):
		    resume("stepi", loud_output=False)
		    if pc() == irq0:
		        break
		    if irq0 < pc() < end:
		        fail("step %d landed inside the handler at %#x" % (i + 1, pc()))
		expect_pc(irq0, "pc after the step that took IRQ 0")
		expect(not (reg("eflags") & 0x200), "IF is clear on the handler's first instruction")
		passed()
		EOF
		batch pmstep guests/idt/pm_timer.elf
		check_batch "$name" 0 pmstep 'out:IF is clear on the handler'
	fi
	name="pm_timer with --record: back and forth over IRQ 0's delivery in protected mode"
	if gdb_case "$name"; then
		script pmrec <<-'EOF'
		irq0, end = address_of("irq0"), address_of("putc")
		loud("break *%#x" % irq0)
		for n in range(3):
		    resume()
		    expect_stop("breakpoint", 1)
		loud("delete")
		resume("reverse-stepi")
		expect(not irq0 <= pc() < end, "one step back leaves the handler (pc %#x)" % pc())
		expect(reg("eflags") & 0x200, "IF is set where IRQ 0 came")
		resume("stepi")
		expect_pc(irq0, "one step forward enters the handler")
		expect_exited(3)
		passed()
		EOF
		batch pmrec --record guests/idt/pm_timer.elf
		check_batch "$name" 3 pmrec 'out:pm_timer: 100 ticks' 'out:one step forward enters'
	fi
}

# timer_case: pm_timer takes 100 IRQ 0s from the PIT through its IDT.
PM_TIMER_OUT='pm_timer: protected mode, IDT loaded\npm_timer: 100 ticks\n'
timer_case() {
	run -t 20 guests/idt/pm_timer.bin
	check "pm_timer: 100 ticks of IRQ 0 (100 Hz) through a protected-mode IDT, exact output" \
		3 "$PM_TIMER_OUT" ""
}

# Inside the nested VM only the delivery cases run (the outer run judges them).
if [ "${GDBVM_IDT_INNER:-}" = 1 ]; then
	if have_kvm; then delivery_cases; else skip "delivery cases" "$KVM_SKIP_REASON"; fi
	echo "1..$TEST_N"
	[ "$TEST_FAILED" = 0 ]
	exit
fi

if ! have_kvm; then
	skip "IDT delivery and reports outside real mode" "$KVM_SKIP_REASON"
	echo "1..$TEST_N"
	exit 0
fi

PMLOC='0008:[0-9a-f]{8} \(linear 0x[0-9a-f]+\)'
LMLOC='rip 0x[0-9a-f]+ \(physical 0x[0-9a-f]+\)'
EMUL='gdbvm: KVM could not emulate a guest instruction \(KVM_EXIT_INTERNAL_ERROR, emulation failure\)'
NESTED="Intel VT-x and AMD-V hosts can, and so can gdbvm's nested VM \(tests/nested/kvm-vm\.sh\)"
PMMODE='gdbvm:   mode: protected mode, 32-bit code, paging off'
LMMODE='gdbvm:   mode: long mode, 64-bit code, paging 4-level'
PMREGS='gdbvm:   eax=[0-9a-f]{8} .*.gdbvm:   cs=0008 ds=0010 es=0010 ss=0010 fs=0010 gs=0010.gdbvm:   cr0=[0-9a-f]{8} cr2=[0-9a-f]{8} cr3=[0-9a-f]{8} cr4=[0-9a-f]{8} efer=[0-9a-f]{8}'
LMREGS='gdbvm:   rax=[0-9a-f]{16} .* r15=[0-9a-f]{16}.gdbvm:   rip=[0-9a-f]{16} rflags=[0-9a-f]{8}.gdbvm:   cs=0008 .*.gdbvm:   cr0=e0000011 cr2=[0-9a-f]{8} cr3=00020000 cr4=[0-9a-f]{8} efer=00000500'

# pvm_report GUEST CASE: set W_STATUS, W_OUT (printf %b text) and W_ERR (a
# regex) to the kvm_pvm report for a case this host cannot run (measured:
# docs/modes.md), or return 1 when it runs the case.
pvm_report() {
	local pm='pm_idt: protected mode, IDT loaded\n' lm='lm_idt: long mode, IDT loaded\n'
	case $1:$2 in
	pm_idt:0 | pm_idt:1)
		W_STATUS=10 W_OUT="${pm}int 0x80: "
		W_ERR="$EMUL at $PMLOC.gdbvm:   suberror 1.gdbvm:   the guest was delivering vector 0x80 \(int 0x80\) through its protected-mode IDT.gdbvm:   this host's KVM \(kvm_pvm\) cannot deliver it outside real mode; $NESTED.$PMMODE.$PMREGS.gdbvm:   code at 0x[0-9a-f]+: cd 80( [0-9a-f]{2}){14}" ;;
	pm_idt:2)
		# The divide error is delivered; the handler's iret is not.
		W_STATUS=10 W_OUT="${pm}divide error: vector 0x00 error 0x00000000 cr2 0x00000000\n"
		W_ERR="$EMUL at $PMLOC.gdbvm:   suberror 1.gdbvm:   the guest was returning from an interrupt or exception handler \(iret\) in protected mode.gdbvm:   this host's KVM \(kvm_pvm\) cannot execute iret outside real mode; $NESTED.$PMMODE.$PMREGS.gdbvm:   code at 0x[0-9a-f]+: cf( [0-9a-f]{2}){15}" ;;
	pm_idt:3)
		W_STATUS=8 W_OUT="${pm}page fault: "
		W_ERR="gdbvm: guest triple-faulted \(KVM_EXIT_SHUTDOWN\) at $PMLOC.gdbvm:   the guest was turning paging on \(mov to CR0 with PG set\) in protected mode.gdbvm:   this host's KVM \(kvm_pvm\) refuses paging outside long mode \(#GP\); Intel VT-x and AMD-V hosts run it, and so does gdbvm's nested VM \(tests/nested/kvm-vm\.sh\).$PMMODE.$PMREGS.gdbvm:   code at 0x[0-9a-f]+: 0f 22 c0( [0-9a-f]{2}){13}" ;;
	lm_idt:0 | lm_idt:1)
		W_STATUS=10 W_OUT="${lm}int 0x80: "
		W_ERR="$EMUL at $LMLOC.gdbvm:   suberror 1.gdbvm:   the guest was delivering vector 0x80 \(int 0x80\) through its long-mode IDT.gdbvm:   this host's KVM \(kvm_pvm\) cannot deliver it outside real mode; $NESTED.$LMMODE.$LMREGS.gdbvm:   code at 0x[0-9a-f]+: cd 80( [0-9a-f]{2}){14}" ;;
	*) return 1 ;;
	esac
}

# 1. Each case on this host: delivered exactly, or (kvm_pvm) the report.
for g in pm_idt lm_idt; do
	for c in 0 1 2 3; do
		run --reg "bl=$c" "guests/idt/$g.bin"
		name="$g: ${CASE_NAMES[$c]}"
		if [ "$PVM" = 1 ] && pvm_report "$g" "$c"; then
			check "$name: kvm_pvm says what was being delivered and what runs it" \
				"$W_STATUS" "$W_OUT" "$W_ERR"
		else
			check "$name: delivered through the IDT, exact output" \
				"$(delivered_status "$c")" "$(delivered "$g" "$c")\n" ""
		fi
	done
done

# The device interrupt gdbvm injects is delivered through the IDT on
# kvm_pvm too; its handler's iret is not: the report says so.
if [ "$PVM" = 1 ]; then
	run -t 20 guests/idt/pm_timer.bin
	check "pm_timer: kvm_pvm says the IRQ handler's iret cannot run and what runs it" 10 \
		'pm_timer: protected mode, IDT loaded\n' \
		"$EMUL at $PMLOC.gdbvm:   suberror 1.gdbvm:   the guest was returning from an interrupt or exception handler \(iret\) in protected mode.gdbvm:   the last interrupt gdbvm injected: vector 0x20 \(IRQ 0\).gdbvm:   this host's KVM \(kvm_pvm\) cannot execute iret outside real mode; $NESTED.$PMMODE.$PMREGS.gdbvm:   code at 0x[0-9a-f]+: cf( [0-9a-f]{2}){15}"
else
	timer_case
fi

# 2. Locations in the mode's form: --trace, and --timeout's message.
printf '\xeb\xfe' >"$TMP/jmp.bin"	# jmp $ (the same bytes in every mode)
run --trace --reg bl=2 guests/idt/lm_idt.bin
if grep -Eq '^gdbvm: trace: KVM_EXIT_IO at rip 0x[0-9a-f]+ \(physical 0x[0-9a-f]+\) out port=0x00f4 size=1 count=1 data=0x1$' "$TMP/err"; then
	ok "--trace: RIP (and its physical address) in long mode"
else
	not_ok "--trace: RIP (and its physical address) in long mode" "$(tail -n 5 "$TMP/err")"
fi
run --trace --reg bl=1 guests/idt/pm_idt.bin
if grep -Eq '^gdbvm: trace: KVM_EXIT_IO at 0008:[0-9a-f]{8} \(linear 0x[0-9a-f]+\) out port=0x03f8' "$TMP/err"; then
	ok "--trace: CS:EIP in protected mode"
else
	not_ok "--trace: CS:EIP in protected mode" "$(head -n 5 "$TMP/err")"
fi
run --mode long --timeout 0.3 "$TMP/jmp.bin"
check "--timeout in long mode: stopped at RIP" 16 "" \
	"gdbvm: guest still running after 0\.3 seconds \(--timeout\); stopped at rip 0x1000 \(physical 0x1000\)"
run --mode protected --timeout 0.3 "$TMP/jmp.bin"
check "--timeout in protected mode: stopped at CS:EIP" 16 "" \
	"gdbvm: guest still running after 0\.3 seconds \(--timeout\); stopped at 0008:00001000 \(linear 0x1000\)"

# 3. On kvm_pvm: the delivery cases again, inside the nested VM (AMD SVM).
if [ "$PVM" = 1 ]; then
	GDBVM_NESTED_ENV="GDBVM GDBVM_IDT_INNER" GDBVM_IDT_INNER=1 \
		tests/nested/kvm-vm.sh --timeout 900 -- bash tests/e2e/test_idt.sh \
		>"$TMP/nested.out" 2>"$TMP/nested.err"
	rc=$?
	if [ "$rc" = 125 ]; then
		skip "nested VM: delivery cases" \
			"the nested VM could not run: $(grep -m1 '^kvm-vm:' "$TMP/nested.err" || echo "status 125")"
	else
		n=0
		while IFS= read -r line; do
			case $line in
			"ok "*) n=$((n + 1)); ok "nested VM: ${line#ok * - }" ;;
			"not ok "*)
				n=$((n + 1))
				not_ok "nested VM: ${line#not ok * - }" \
					"$(grep -A12 -F -- "$line" "$TMP/nested.out" | sed -n '2,$p' | grep '^#' | head -n 12)" ;;
			esac
		done <"$TMP/nested.out"
		[ "$n" -gt 0 ] || not_ok "nested VM: delivery cases ran" \
			"status $rc" "$(tail -n 20 "$TMP/nested.out" "$TMP/nested.err")"
	fi
fi

echo "1..$TEST_N"
[ "$TEST_FAILED" = 0 ]
