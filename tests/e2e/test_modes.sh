#!/bin/bash
# test_modes.sh - the guests of the other CPU modes (guests/modes/,
# guests/c64/) with their exact output and status, --reg with 64-bit names
# and values, -e with a linear address, the port-E9 debug console in each
# mode (stdout in order with COM1, or --debugcon FILE), and the refusals:
# a register name the mode lacks, a segment register outside real mode, an
# image over gdbvm's area, too little RAM for it, a debug console file that
# cannot be opened.  The numbers the guests print are worked out here
# independently (python3), addresses come from the guests' symbol tables.
# The runs need /dev/kvm; the refusals come before any VM exists.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# sym ELF NAME: the address of symbol NAME in ELF, as 0x plus hex digits.
sym() { printf '0x%s' "$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')"; }

# hex64 VALUE: 0x and 16 hex digits.
hex64() { python3 -c "print('0x%016x' % (($1) % 2**64))"; }

# ---- switch: real mode -> protected mode -> long mode -> higher half

HIGH=$(python3 -c "print('0x%016x' % (0xffffffff80000000 + $(sym guests/modes/switch.elf higher_half)))")
STACK=$(python3 -c "print('0x%016x' % (0xffffffff80000000 + $(sym guests/modes/switch.elf stack_top)))")
SWITCH_COM1="real mode: checking CPUID
CPUID: long mode supported
protected mode: 32-bit code, own GDT
long mode: EFER.LMA set, identity-mapped
higher half: running at $HIGH
identity mapping dropped, stack at $STACK
"
SWITCH_E9="real mode: hello on port 0xe9
"
if kvm_case "switch: CPUID, protected mode, long mode, the higher half (status 33)"; then
	run guests/modes/switch.bin
	# The debug console's line comes where the guest wrote it: after the first.
	check "switch: CPUID, protected mode, long mode, the higher half (status 33)" 33 \
		"$(head -n 1 <<<"$SWITCH_COM1")\n$SWITCH_E9$(tail -n +2 <<<"$SWITCH_COM1")\n" ""
fi

if kvm_case "switch: --debugcon FILE takes port 0xe9's line off stdout"; then
	run --debugcon "$TMP/e9.txt" guests/modes/switch.bin
	check "switch: --debugcon FILE takes port 0xe9's line off stdout" 33 "$SWITCH_COM1" ""
	if cmp -s "$TMP/e9.txt" <(printf '%s' "$SWITCH_E9"); then
		ok "switch: --debugcon FILE holds the real-mode line"
	else
		not_ok "switch: --debugcon FILE holds the real-mode line" "$(od -c "$TMP/e9.txt" | head -5)"
	fi
fi

# The paths for a CPU without long mode, or without CPUID: gdb stops the
# guest where it tests the CPUID bit (or the EFLAGS.ID toggle) and clears
# the register it tests.
. tests/e2e/gdb_lib.sh
# cpu_lacks NAME LABEL REGISTER STATUS LINE
cpu_lacks() {
	local name=$1 addr
	gdb_case "$name" || return
	addr=$(sym guests/modes/switch.elf "_start.$2")
	printf 'break *%s\ncontinue\nset $%s = 0\ncontinue\n' "$addr" "$3" >"$TMP/lacks.gdb"
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" --gdb-program "$GDB" --gdb-batch "$TMP/lacks.gdb" \
		guests/modes/switch.elf </dev/null >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
	# gdb's own lines are relayed on the same stdout, in no fixed order
	# with the guest's: look for the guest's lines alone.
	if [ "$STATUS" = "$4" ] && grep -qx "$5" "$TMP/out" &&
	   grep -qx "real mode: checking CPUID" "$TMP/out" && ! grep -q "protected mode" "$TMP/out"; then
		ok "$name"
	else
		not_ok "$name" "status $STATUS, expected $4" "$(cat "$TMP/out" "$TMP/err")"
	fi
}
cpu_lacks "switch: CPUID without long mode ends with 'no long mode' (status 35)" \
	check_lm edx 35 "no long mode"
cpu_lacks "switch: no CPUID instruction (EFLAGS.ID fixed) ends with status 37" \
	check_id eax 37 "no CPUID instruction"

# ---- pm32: 32-bit protected mode, linked at 1 MiB

PM32_BUF=$(sym guests/modes/pm32.elf buffer)
PM32_FNV=$(python3 -c "
m = b'pm32: 32-bit protected mode, flat segments, no paging\n\0'
m += bytes(-len(m) % 4)		# the copy is whole dwords
h = 0x811c9dc5
for b in m:
    h = ((h ^ b) * 0x01000193) % 2**32
print('0x%08x' % h)")
# pm32_out ENTRY EAX: the whole output, the debug console's line included.
pm32_out() {
	printf '%s\n' "pm32: 32-bit protected mode, flat segments, no paging" \
		"entered at $1 with eax=$2" "CR0.PE=1 CR0.PG=0" \
		"copied the first line to $(printf '0x%08x' "$PM32_BUF"), FNV-1a $PM32_FNV" \
		"pm32: this line went to port 0xe9" "pm32: back on COM1"
}

if kvm_case "pm32.elf in protected mode (status 65)"; then
	run -m 2M --mode protected guests/modes/pm32.elf
	check "pm32.elf in protected mode (status 65)" 65 "$(pm32_out _start 0x00000000)\n" ""
fi

if kvm_case "pm32.bin loaded at 1 MiB, --reg eax=0xdeadbeef"; then
	run -m 2M --mode protected -l 0x100000 --reg eax=0xdeadbeef guests/modes/pm32.bin
	check "pm32.bin loaded at 1 MiB, --reg eax=0xdeadbeef" 65 \
		"$(pm32_out _start 0xdeadbeef)\n" ""
fi

ALT=$(sym guests/modes/pm32.elf alt_entry)
if kvm_case "pm32: -e $ALT (alt_entry, a linear address)"; then
	run -m 2M --mode protected -l 0x100000 -e "$ALT" guests/modes/pm32.bin
	check "pm32: -e $ALT (alt_entry, a linear address)" 65 \
		"$(pm32_out alt_entry 0x00000000)\n" ""
fi

if kvm_case "pm32: COM1 and port 0xe9 keep their order through a pipe"; then
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" -m 2M --mode protected guests/modes/pm32.elf \
		</dev/null 2>"$TMP/err" | cat >"$TMP/out"
	STATUS=${PIPESTATUS[0]}
	check "pm32: COM1 and port 0xe9 keep their order through a pipe" 65 \
		"$(pm32_out _start 0x00000000)\n" ""
fi

if kvm_case "pm32: --debugcon /dev/stdout shares stdout, in order"; then
	run -m 2M --mode protected --debugcon /dev/stdout guests/modes/pm32.elf
	check "pm32: --debugcon /dev/stdout shares stdout, in order" 65 \
		"$(pm32_out _start 0x00000000)\n" ""
fi

if kvm_case "pm32: --debugcon FILE in protected mode"; then
	run -m 2M --mode protected --debugcon "$TMP/pm32.e9" guests/modes/pm32.elf
	check "pm32: --debugcon FILE in protected mode" 65 \
		"$(pm32_out _start 0x00000000 | grep -v 'port 0xe9')\n" ""
	if [ "$(cat "$TMP/pm32.e9")" = "pm32: this line went to port 0xe9" ]; then
		ok "pm32: the debug console file holds its line"
	else
		not_ok "pm32: the debug console file holds its line" "$(cat "$TMP/pm32.e9")"
	fi
fi

# ---- lm64: 64-bit long mode

read -r MUL_HI MUL_LO SUM < <(python3 -c "
p = 0xfedcba9876543210 * 0x0123456789abcdef
s = sum(i * 0x1111111111111111 for i in range(1, 9)) % 2**64
print('0x%016x 0x%016x 0x%016x' % (p >> 64, p % 2**64, s))")
lm64_out() {
	printf '%s\n' "lm64: 64-bit long mode" "rax at entry: $1" "EFER.LMA=1" \
		"0xfedcba9876543210 * 0x0123456789abcdef = high $MUL_HI, low $MUL_LO" \
		"r8 + r9 + ... + r15 = $SUM" "lm64: hello on port 0xe9" "lm64: done"
}

if kvm_case "lm64.bin with --mode long (status 97)"; then
	run --mode long guests/modes/lm64.bin
	check "lm64.bin with --mode long (status 97)" 97 "$(lm64_out "$(hex64 0)")\n" ""
fi

if kvm_case "lm64.elf (ELF64: long mode without --mode), --reg rax=0x123456789abcdef0"; then
	run --reg rax=0x123456789abcdef0 guests/modes/lm64.elf
	check "lm64.elf (ELF64: long mode without --mode), --reg rax=0x123456789abcdef0" 97 \
		"$(lm64_out 0x123456789abcdef0)\n" ""
fi

if kvm_case "lm64: --reg eax= sets the low half, --reg rax= all 64 bits"; then
	run --reg rax=0xffffffffffffffff --reg eax=0x5 guests/modes/lm64.elf
	# Writing EAX in 64-bit code zero-extends into RAX; --reg eax= sets
	# only the low 32 bits, as the ah/al names do in real mode.
	check "lm64: --reg eax= sets the low half, --reg rax= all 64 bits" 97 \
		"$(lm64_out 0xffffffff00000005)\n" ""
fi

if kvm_case "lm64: --debugcon FILE in long mode"; then
	run --debugcon "$TMP/lm64.e9" guests/modes/lm64.elf
	check "lm64: --debugcon FILE in long mode" 97 \
		"$(lm64_out "$(hex64 0)" | grep -v 'port 0xe9')\n" ""
	if [ "$(cat "$TMP/lm64.e9")" = "lm64: hello on port 0xe9" ]; then
		ok "lm64: the debug console file holds its line"
	else
		not_ok "lm64: the debug console file holds its line" "$(cat "$TMP/lm64.e9")"
	fi
fi

# ---- c64: an ELF64 guest in C, linked at 1 MiB

C64_WANT=$(python3 -c "
import math
f = math.factorial(20)
a, b = 0, 1
for _ in range(90):
    a, b = b, a + b
d, q = 0xfedcba9876543210, 1000003
v = (f ^ a) % 127
print('C64 guest: 64-bit C in long mode')
print('sizeof(long) = 8, sizeof(void *) = 8')
print('20! = %d' % f)
print('fib(90) = %d' % a)
print('0x%x / %d = %d, remainder %d' % (d, q, d // q, d % q))
print('isqrt(%d) = %d' % (f, math.isqrt(f)))
print('popcount(0x%016x) = %d' % (d, bin(d).count('1')))
print('INT64_MIN = %d' % -2**63)
print('exit value: (20! xor fib(90)) mod 127 = %d' % v)
print(((v << 1) | 1) % 256)")
C64_STATUS=$(tail -n 1 <<<"$C64_WANT")
C64_OUT=$(head -n -1 <<<"$C64_WANT")

if kvm_case "c64.elf: entered in long mode by default (status $C64_STATUS)"; then
	run -m 2M guests/c64.elf
	check "c64.elf: entered in long mode by default (status $C64_STATUS)" "$C64_STATUS" \
		"$C64_OUT\n" ""
fi

if kvm_case "c64.bin: --mode long -l 0x100000"; then
	run -m 2M --mode long -l 0x100000 guests/c64.bin
	check "c64.bin: --mode long -l 0x100000" "$C64_STATUS" "$C64_OUT\n" ""
fi

# Without -m, a guest that starts beyond real mode gets 128M (an ELF64 file,
# or --mode); a real-mode one keeps 1M, so the same -l is refused.
if kvm_case "c64.elf and c64.bin --mode long without -m: 128M of RAM"; then
	run guests/c64.elf
	check "c64.elf without -m: 128M of RAM, room at 1 MiB" "$C64_STATUS" "$C64_OUT\n" ""
	run --mode long -l 0x100000 guests/c64.bin
	check "c64.bin --mode long without -m: 128M of RAM" "$C64_STATUS" "$C64_OUT\n" ""
fi

# ---- refusals, before any VM exists (no KVM needed)

# refused NAME STATUS EXPECTED_STDERR ARGS...: nothing on stdout.
refused() {
	local name=$1 status=$2 msg=$3
	shift 3
	run --kvm-device /nonexistent/kvm "$@"
	check "$name" "$status" "" "$(lit "$msg")"
}

refused "a 64-bit register name in real mode" 2 \
	"gdbvm: --reg rax: rax exists only in long mode, and this guest starts in real mode" \
	--reg rax=1 guests/hello.bin
refused "r8 in protected mode" 2 \
	"gdbvm: --reg r8: r8 exists only in long mode, and this guest starts in protected mode" \
	-m 2M --mode protected --reg r8=1 guests/modes/pm32.elf
refused "a segment register in protected mode" 2 \
	"gdbvm: --reg ds: in protected mode the segment registers hold gdbvm's flat segments (docs/modes.md); only real mode takes them from --reg" \
	-m 2M --mode protected --reg ds=0x10 guests/modes/pm32.elf
refused "a segment register in long mode" 2 \
	"gdbvm: --reg cs: in long mode the segment registers hold gdbvm's flat segments (docs/modes.md); only real mode takes them from --reg" \
	--reg cs=0x18 guests/modes/lm64.elf
refused "a real-mode SEG:OFF entry in long mode" 2 \
	"gdbvm: --entry 0000:1000 is a real-mode entry point; in long mode give a linear address (--entry 0x100000)" \
	-e 0000:1000 guests/modes/lm64.elf

# A flat binary loaded across the area (0x8f000-0x9efff with 1M of RAM).
head -c 8192 /dev/zero >"$TMP/8k.bin"
refused "a flat binary loaded across gdbvm's area" 4 \
	"gdbvm: guest '$TMP/8k.bin' (0x8e000-0x8ffff) overlaps gdbvm's own structures at 0x8f000-0x9efff (docs/modes.md): load or link it elsewhere" \
	--mode long -l 0x8e000 "$TMP/8k.bin"
PM32_MEMSZ=$(readelf -lW guests/modes/pm32.elf | awk '$1 == "LOAD" { print $6 }')
refused "pm32 linked at 1 MiB but -m 1M" 4 \
	"gdbvm: guest 'guests/modes/pm32.elf': ELF segment 0 at physical address 0x100000 ($(printf '0x%x' "$PM32_MEMSZ") bytes) lies outside guest RAM (0x100000 bytes)" \
	-m 1M --mode protected guests/modes/pm32.elf
refused "-m 64K --mode long: no room for the area" 4 \
	"gdbvm: long mode needs at least 128K of guest RAM (gdbvm's GDT and page tables take 64K of it); -m gives 64K" \
	-m 64K --mode long guests/modes/lm64.bin
refused "a flat binary at 1 MiB in real mode keeps the 1M default" 2 \
	"gdbvm: invalid load address '0x100000': past the end of guest RAM (0x100000 bytes)" \
	-l 0x100000 guests/c64.bin

refused "--debugcon in a missing directory" 2 \
	"gdbvm: cannot open debug console file '$TMP/missing/e9.txt': No such file or directory" \
	--debugcon "$TMP/missing/e9.txt" guests/hello.bin
mkdir "$TMP/adir"
refused "--debugcon naming a directory" 2 \
	"gdbvm: cannot open debug console file '$TMP/adir': Is a directory" \
	--debugcon "$TMP/adir" guests/hello.bin
mkfifo "$TMP/fifo"
refused "--debugcon naming a FIFO nobody reads (no hang)" 2 \
	"gdbvm: cannot open debug console file '$TMP/fifo': a FIFO that nobody reads" \
	--debugcon "$TMP/fifo" guests/hello.bin
if [ "$(id -u)" != 0 ]; then
	: >"$TMP/ro.txt"
	chmod a-w "$TMP/ro.txt"
	refused "--debugcon naming a read-only file" 2 \
		"gdbvm: cannot open debug console file '$TMP/ro.txt': Permission denied" \
		--debugcon "$TMP/ro.txt" guests/hello.bin
else
	skip "--debugcon naming a read-only file" "running as root, which may write any file"
fi

finish
