#!/bin/bash
# test_valgrind.sh - gdbvm under valgrind memcheck: no invalid reads or
# writes, no use of uninitialised memory, no leaks, and no file descriptor
# of its own left open at exit, on the paths a run can take: a normal run,
# serial input, the exit port, long mode with a debug console file, a
# crash report, --timeout, a malformed ELF file, --coverage (counting,
# and refusing a --symbols file), and a gdb session
# (stepping, breakpoints, a watchpoint, kill).
# valgrind makes each start slow (seconds in the nested VM), so this is a
# selection, not every e2e case.  The sanitizer build cannot run under
# valgrind; for it every case here reports SKIP.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

vg_skip=
if ! command -v valgrind >/dev/null; then
	vg_skip="valgrind is not installed"
elif ldd "$GDBVM" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	vg_skip="$GDBVM is the sanitizer build, which cannot run under valgrind"
fi

# vg NAME [--stdin FILE] ARGS...: run gdbvm under memcheck; the log goes to
# $TMP/NAME.vg, gdbvm's output to $TMP/out and $TMP/err, status to $STATUS.
vg() {
	local name=$1 input=/dev/null
	shift
	if [ "$1" = "--stdin" ]; then input=$2; shift 2; fi
	timeout -k 5 300 valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --track-fds=yes \
		--log-file="$TMP/$name.vg" "$GDBVM" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
}

# vg_check NAME WANT_STATUS STDOUT_REGEX: the status, a stdout line, and a
# clean memcheck log: no errors, no leaks, and every descriptor still open
# at exit inherited (stdin, stdout, stderr and the test's own).
vg_check() {
	local name=$1 want=$2 out=$3 problems=() own
	[ "$STATUS" = "$want" ] || problems+=("exit status $STATUS, expected $want")
	[ -z "$out" ] || grep -Eq -- "$out" "$TMP/out" || problems+=("no stdout line matches: $out")
	grep -Eq 'Invalid (read|write)|uninitialised|Conditional jump|definitely lost|indirectly lost|Syscall param' \
		"$TMP/$name.vg" && problems+=("memcheck reported errors")
	own=$(awk '/^==[0-9]+== Open file descriptor/ { fd = $0; getline; if ($0 !~ /inherited from parent/) print fd }' \
		"$TMP/$name.vg")
	[ -z "$own" ] || problems+=("descriptors left open at exit: $own")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "valgrind: $name"
	else
		not_ok "valgrind: $name" "${problems[@]}" "--- memcheck log:" "$(head -60 "$TMP/$name.vg")" \
			"--- stderr:" "$(head -20 "$TMP/err")"
	fi
}

# case NAME: true when the case can run; otherwise reports the skip.
vg_case() {
	local reason=$vg_skip
	[ -z "$reason" ] && ! have_kvm && reason=$KVM_SKIP_REASON
	[ -z "$reason" ] && return 0
	skip "valgrind: $1" "$reason"
	return 1
}

if vg_case "hello.elf runs clean"; then
	vg "hello.elf runs clean" guests/hello.elf
	vg_check "hello.elf runs clean" 0 '^Hello, world!$'
fi

if vg_case "--coverage --coverage-counts runs clean"; then
	vg "--coverage --coverage-counts runs clean" --coverage "$TMP/vg.info" --coverage-counts guests/cguest.elf
	vg_check "--coverage --coverage-counts runs clean" 0 '^total: 152$'
fi

if vg_case "--coverage refusing a --symbols file runs clean"; then
	vg "--coverage refusing a --symbols file runs clean" --coverage "$TMP/vg.info" \
		--symbols guests/count.elf guests/hello.bin
	vg_check "--coverage refusing a --symbols file runs clean" 34 ""
fi

if vg_case "C guest runs clean"; then
	vg "C guest runs clean" guests/cguest.elf
	vg_check "C guest runs clean" 0 '^total: 152$'
fi

if vg_case "serial input (echo) runs clean"; then
	printf 'abc.' >"$TMP/in"
	vg "serial input (echo) runs clean" --stdin "$TMP/in" guests/echo.bin
	vg_check "serial input (echo) runs clean" 0 'abc\.'
fi

if vg_case "exit port status"; then
	vg "exit port status" --reg bl=3 guests/exit.bin
	vg_check "exit port status" 7 ""
fi

if vg_case "long mode with --debugcon FILE"; then
	vg "long mode with --debugcon FILE" --debugcon "$TMP/vg.e9" guests/modes/lm64.elf
	vg_check "long mode with --debugcon FILE" 97 '^lm64: done$'
fi

if vg_case "crash report (triple fault or emulation failure)"; then
	vg "crash report (triple fault or emulation failure)" guests/triple.bin
	case $STATUS in 8|10) want=$STATUS ;; *) want="8 or 10" ;; esac
	vg_check "crash report (triple fault or emulation failure)" "$want" ""
fi

if vg_case "--timeout stops a spinning guest"; then
	vg "--timeout stops a spinning guest" -t 1 guests/spin.bin
	vg_check "--timeout stops a spinning guest" 16 ""
fi

if [ -n "$vg_skip" ]; then
	skip "valgrind: malformed ELF refused" "$vg_skip"
else
	head -c 60 guests/hello.elf >"$TMP/short.elf"
	vg "malformed ELF refused" --kvm-device /nonexistent "$TMP/short.elf"
	vg_check "malformed ELF refused" 4 ""
fi

if vg_case "gdb session: stepi, breakpoints, watchpoint, kill" && command -v gdb >/dev/null; then
	cat >"$TMP/session.gdb" <<-'EOF'
	stepi 5
	info registers
	x/16xb 0x1000
	break *0x1003
	continue
	continue
	delete
	watch *(char *)0x2000
	set var *(char *)0x2000 = 1
	monitor regs
	kill
	EOF
	vg "gdb session: stepi, breakpoints, watchpoint, kill" --gdb-batch "$TMP/session.gdb" guests/count.elf
	vg_check "gdb session: stepi, breakpoints, watchpoint, kill" 0 ""
fi

finish
