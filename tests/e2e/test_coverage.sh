#!/bin/bash
# test_coverage.sh - --coverage end to end (docs/coverage.md).
# - Guests from guests/ run with --coverage: the same exit status and output
#   as without, a summary line, and a report that names exactly the lines
#   with code (dwarf-lines' is_stmt rows, the reader objdump checks in
#   test_dwarf_lines.sh) and marks as run exactly those a single-step trace
#   of the same guest reached (gdb --gdb-batch stepping with a Python loop,
#   cov/trace.gdb; compared by cov/compare.py).
# - A guest with an untaken branch: 0 hits there; --coverage-counts: each
#   loop line's count is the LOOPS the test assembles it with.
# - genhtml renders the reports with no warning.
# - --boot with --symbols for a two-stage loader (stage 2 linked at 0, run
#   at 0x8000: --symbols stage2.elf@0x8000), against the trace too.
# - Under --gdb-batch: gdb reads the original bytes where traps are planted,
#   its own breakpoint stops, and the report is the one of a run alone;
#   under --record with reverse-stepi, the counts of a run alone.
# - A crashing guest and --timeout: the report is written and the summary
#   says the run ended badly.
# - Bad input: a stripped ELF, no .debug_line, a corrupt line table, a
#   --symbols file that does not match, a flat GUEST without --symbols, an
#   unwritable report: exit status 34, one clear line, no report.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

case "$GDBVM" in
*/san/*) : "${DWARF_LINES:=build/san/dwarf-lines}" ;;
*) : "${DWARF_LINES:=build/rel/dwarf-lines}" ;;
esac
COV=tests/e2e/cov
SUMMARY='gdbvm: coverage: [0-9]+ of [0-9]+ lines \([0-9]+\.[0-9]%\) in [0-9]+ files? -> '

if ! have_kvm; then
	skip "coverage" "$KVM_SKIP_REASON"
	echo "1..$TEST_N"
	exit 0
fi
have_gdb=1
command -v gdb >/dev/null || have_gdb=0

# trace NAME ARGS...: the pcs a single-step run of ARGS reaches, in $TMP/NAME.pcs.
trace() {
	local name=$1
	shift
	rm -f "$TMP/$name.pcs"
	TRACE_OUT=$TMP/$name.pcs timeout -k 5 "${TRACE_TIMEOUT:-120}" "$GDBVM" --gdb-batch $COV/trace.gdb "$@" \
		</dev/null >/dev/null 2>"$TMP/$name.terr"
	grep -q '^# steps' "$TMP/$name.pcs" 2>/dev/null	# the guest's status is no failure
}

# asm_elf NAME SRC LINK_ADDR [NASM_ARGS...]: $TMP/NAME.elf from SRC.
asm_elf() {
	local name=$1 src=$2 at=$3
	shift 3
	nasm -f elf32 -g -F dwarf "$@" -o "$TMP/$name.o" "$src" &&
		ld -m elf_i386 -z noexecstack -Ttext="$at" -e _start -o "$TMP/$name.elf" "$TMP/$name.o"
}

# compare_guest NAME GUEST [GDBVM_ARGS...]: the report against the trace.
compare_guest() {
	local name=$1 g=$2 problems=() want_status want_out
	shift 2
	run "$@" "$g"
	want_status=$STATUS
	cp "$TMP/out" "$TMP/$name.want_out"
	run --coverage "$TMP/$name.info" "$@" "$g"
	[ "$STATUS" = "$want_status" ] || problems+=("exit status $STATUS, $want_status without --coverage")
	cmp -s "$TMP/out" "$TMP/$name.want_out" || problems+=("the output differs from a run without --coverage")
	grep -Eq "^$SUMMARY$(lit "$TMP/$name.info")( \(the run ended badly: exit status [0-9]+\))?\$" \
		"$TMP/err" || problems+=("no summary line: $(tail -2 "$TMP/err")")
	if [ $have_gdb = 0 ]; then
		skip "coverage: $name: the report is the trace's lines" "no gdb"
		return
	fi
	"$DWARF_LINES" "$g" >"$TMP/$name.rows"
	trace "$name" "$@" "$g" || problems+=("the trace run failed: $(tail -3 "$TMP/$name.terr")")
	python3 $COV/compare.py "$TMP/$name.info" "$TMP/$name.pcs" "$TMP/$name.rows" \
		>"$TMP/$name.cmp" || problems+=("report and trace differ:" "$(cat "$TMP/$name.cmp")")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "coverage: $name: status and output as without, the report is the trace's lines ($(tail -1 "$TMP/$name.cmp"))"
	else
		not_ok "coverage: $name: status and output as without, the report is the trace's lines" "${problems[@]}"
	fi
}

# ---- every guest whose run a single-step trace reproduces
for g in add count demo devices exit gdb_pushf hello steps watch cguest mboot mboot2 c64 record triple \
	modes/lm64 modes/switch reverse/longloop reverse/overwrite reverse/trace pit_gdb pit_read pit_wait \
	irq_timer; do
	compare_guest "$(echo $g | tr / _)" "guests/$g.elf"
done
# Where KVM cannot deliver through a protected- or long-mode IDT (kvm_pvm)
# these guests end at their first INT, fault or CPL 3 entry.  Where it can,
# a step over INT n or a fault runs the handler untrapped (its gate clears
# TF: docs/gdb.md, stepping), so a trace cannot see the handler's lines, and
# paging/int3 enters CPL 3 code, where a coverage trap faults (see
# paging/remap below).
if [ -d /sys/module/kvm_pvm ]; then
	for g in idt/pm_idt idt/lm_idt paging/int3; do
		compare_guest "$(echo $g | tr / _)" "guests/$g.elf"
	done
else
	skip "coverage: idt/pm_idt, idt/lm_idt, paging/int3 against a trace" \
		"this host delivers through their IDTs: a step runs a handler untrapped, and int3 enters CPL 3"
fi
# Guests left out:
# - those that wait for input or run for ever (echo, reverse/echo, flood,
#   spin, ud_loop, kbd_poll, kbd_irq, irq_step);
# - those whose path or output depends on how fast guest time runs against
#   the instructions (pic_probe polls for a tick that a single-stepped
#   guest, whose time stands still between steps, never sees; pit_fast
#   prints how many interrupts came in a second, rtc_irq too; rtc prints
#   the time of day);
# - pm32 (needs its own options, test_modes.sh);
# - lidt: on kvm_pvm a guest running freely is not held to its IVT's limit
#   and a stepped one is (guests/lidt.asm), so the two runs take other
#   paths by design;
# - paging/remap: its last page runs at CPL 3, where a coverage trap (a
#   HLT) faults (docs/coverage.md, "What it cannot see"); checked below.

# ---- a higher-half 64-bit kernel: lines at virtual 0xffffffff8010xxxx,
# loaded (and trapped) at the segment's physical address
if nasm -f elf64 -g -F dwarf -o "$TMP/higher.o" $COV/higher.asm &&
   ld -m elf_x86_64 -z noexecstack --no-warn-rwx-segments -T $COV/higher.ld -o "$TMP/higher.elf" "$TMP/higher.o"; then
	compare_guest higher "$TMP/higher.elf"
else
	not_ok "coverage: higher: the guest builds"
fi

# ---- selfmod: the instruction the guest rewrites (its label "target")
# before running it counts as not run (0 hits); every other line as the trace.
g=guests/selfmod.elf
target=$(nm "$g" | awk '$3 == "target" { print $1 }')
run --coverage "$TMP/selfmod.info" "$g"
st=$STATUS
"$DWARF_LINES" "$g" >"$TMP/selfmod.all"
tline=$(awk -F'\t' -v t="$target" '$3 == "x" && tolower($1) == "0x" tolower(substr(t, 5)) { print $2 }' "$TMP/selfmod.all")
awk -F'\t' -v l="$tline" '$2 != l' "$TMP/selfmod.all" >"$TMP/selfmod.rows"
grep -v "^DA:$tline," "$TMP/selfmod.info" >"$TMP/selfmod.rest"
if [ $have_gdb = 1 ] && [ -n "$tline" ] && grep -q "^DA:$tline,0\$" "$TMP/selfmod.info" && trace selfmod "$g" &&
   python3 $COV/compare.py "$TMP/selfmod.rest" "$TMP/selfmod.pcs" "$TMP/selfmod.rows" >"$TMP/selfmod.cmp"; then
	ok "coverage: selfmod (status $st): the report is the trace's lines but the rewritten one"
else
	not_ok "coverage: selfmod: the report is the trace's lines but the rewritten one" "$(cat "$TMP/selfmod.cmp" 2>/dev/null)"
fi

# ---- an untaken branch, and exact loop counts
LOOPS=7
if asm_elf branch $COV/branch.asm 0x1000 -DLOOPS=$LOOPS; then
	for mode in first counts; do
		args=(--coverage "$TMP/branch-$mode.info")
		[ $mode = counts ] && args+=(--coverage-counts)
		run "${args[@]}" "$TMP/branch.elf"
		# What each marked line must show, from the source's comments.
		awk -v loops=$LOOPS -v counts=$([ $mode = counts ] && echo 1 || echo 0) '
			/; once$/ { print "DA:" NR "," 1 }
			/; loop$/ { print "DA:" NR "," (counts ? loops : 1) }
			/; never$/ { print "DA:" NR ",0" }' $COV/branch.asm >"$TMP/branch.want"
		grep '^DA:' "$TMP/branch-$mode.info" >"$TMP/branch.got"
		if [ "$STATUS" = 0 ] && cmp -s "$TMP/branch.want" "$TMP/branch.got" &&
		   grep -q "^SF:$(realpath $COV/branch.asm)\$" "$TMP/branch-$mode.info"; then
			ok "coverage: untaken branch, $mode: 0 hits there$([ $mode = counts ] && echo ", each loop line $LOOPS")"
		else
			not_ok "coverage: untaken branch, $mode" "status $STATUS" "want: $(tr '\n' ' ' <"$TMP/branch.want")" \
				"got: $(tr '\n' ' ' <"$TMP/branch.got")" "$(cat "$TMP/err")"
		fi
	done
else
	not_ok "coverage: untaken branch: the guest builds"
fi

# ---- the guest's HLT among one-byte lines, each with a trap: it ends there
if asm_elf hlt_nops $COV/hlt_nops.asm 0x1000; then
	run --coverage "$TMP/hlt_nops.info" "$TMP/hlt_nops.elf"
	awk '/; once$/ { print "DA:" NR ",1" } /; never$/ { print "DA:" NR ",0" }' $COV/hlt_nops.asm \
		>"$TMP/hlt_nops.want"
	grep '^DA:' "$TMP/hlt_nops.info" >"$TMP/hlt_nops.got"
	if [ "$STATUS" = 0 ] && cmp -s "$TMP/hlt_nops.want" "$TMP/hlt_nops.got"; then
		ok "coverage: the guest's HLT among trapped one-byte lines ends the run there"
	else
		not_ok "coverage: the guest's HLT among trapped one-byte lines ends the run there" "status $STATUS" \
			"$(diff "$TMP/hlt_nops.want" "$TMP/hlt_nops.got" | head -5)" "$(tail -3 "$TMP/err")"
	fi
else
	not_ok "coverage: hlt_nops: the guest builds"
fi

# ---- genhtml renders every report with no warning
if command -v genhtml >/dev/null; then
	for info in "$TMP/hello.info" "$TMP/cguest.info" "$TMP/branch-counts.info"; do
		if genhtml -q -o "$TMP/html-$(basename "$info" .info)" "$info" >"$TMP/genhtml.out" 2>&1 &&
		   ! grep -qi 'warning\|error' "$TMP/genhtml.out" &&
		   [ -s "$TMP/html-$(basename "$info" .info)/index.html" ]; then
			ok "coverage: genhtml renders $(basename "$info") with no warning"
		else
			not_ok "coverage: genhtml renders $(basename "$info") with no warning" "$(head -5 "$TMP/genhtml.out")"
		fi
	done
else
	skip "coverage: genhtml renders the reports" "genhtml not installed (lcov)"
fi

# ---- docs/coverage.md's GitLab CI regex reads the summary's percentage
re=$(sed -n "s/^  coverage: '\/\(.*\)\/'\$/\1/p" docs/coverage.md)
run --coverage "$TMP/branch-counts.info" --coverage-counts "$TMP/branch.elf"
want_pct=$(awk -F: '/^LF:/ { lf += $2 } /^LH:/ { lh += $2 } END { if (lf) printf "%.1f", 100 * lh / lf }' \
	"$TMP/branch-counts.info")
pct=$(RE="$re" perl -ne 'print "$1\n" if /$ENV{RE}/' "$TMP/err" | head -1)
if [ -n "$re" ] && [ -n "$pct" ] && [ "$pct" = "$want_pct" ]; then
	ok "coverage: the docs' GitLab regex reads $pct% from the summary (LH/LF of the report)"
else
	not_ok "coverage: the docs' GitLab regex reads the summary's percentage" "regex '$re'" \
		"read '$pct', the report says '$want_pct'" "$(cat "$TMP/err")"
fi

# ---- --boot with --symbols: a two-stage loader, stage 2 run at 0x8000
if asm_elf stage1 $COV/stage1.asm 0x7c00 && asm_elf stage2 $COV/stage2.asm 0; then
	objcopy -O binary "$TMP/stage1.elf" "$TMP/stage1.bin"
	objcopy -O binary "$TMP/stage2.elf" "$TMP/stage2.bin"
	{ head -c 510 "$TMP/stage1.bin"; head -c $((510 - $(stat -c %s "$TMP/stage1.bin"))) /dev/zero
	  printf '\x55\xaa'; cat "$TMP/stage2.bin"; } >"$TMP/boot.img"
	truncate -s 1474560 "$TMP/boot.img"
	problems=()
	run --coverage "$TMP/boot.info" --symbols "$TMP/stage1.elf" --symbols "$TMP/stage2.elf@0x8000" \
		--boot "$TMP/boot.img"
	[ "$STATUS" = 5 ] || problems+=("exit status $STATUS, expected 5 (stage 2's exit port)" "$(cat "$TMP/err")")
	grep -Eq "^$SUMMARY" "$TMP/err" || problems+=("no summary: $(cat "$TMP/err")")
	"$DWARF_LINES" "$TMP/stage1.elf" >"$TMP/stage1.rows"
	"$DWARF_LINES" "$TMP/stage2.elf" >"$TMP/stage2.rows"
	if [ $have_gdb = 1 ]; then
		trace boot --boot "$TMP/boot.img"
		python3 $COV/compare.py "$TMP/boot.info" "$TMP/boot.pcs" "$TMP/stage1.rows" "$TMP/stage2.rows@0x8000" \
			>"$TMP/boot.cmp" || problems+=("report and trace differ:" "$(cat "$TMP/boot.cmp")")
	fi
	grep -q "^SF:$(realpath $COV/stage2.asm)\$" "$TMP/boot.info" || problems+=("stage 2 is not in the report")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "coverage: --boot with --symbols stage1.elf and stage2.elf@0x8000: the trace's lines"
	else
		not_ok "coverage: --boot with --symbols stage1.elf and stage2.elf@0x8000" "${problems[@]}"
	fi
else
	not_ok "coverage: --boot: the two stages build"
fi

# ---- under --gdb-batch: gdb sees the guest's bytes and its own breakpoint
if [ $have_gdb = 1 ]; then
	objcopy -O binary guests/hello.elf "$TMP/hello.flat"
	n=$(stat -c %s "$TMP/hello.flat")
	cat >"$TMP/cov.gdb" <<-GDB
	dump binary memory $TMP/seen.bin 0x1000 $((0x1000 + n))
	break *0x1004
	continue
	stepi
	stepi
	dump binary memory $TMP/seen2.bin 0x1000 $((0x1000 + n))
	continue
	GDB
	run --coverage "$TMP/gdb.info" --gdb-batch "$TMP/cov.gdb" guests/hello.elf
	problems=()
	[ "$STATUS" = 0 ] || problems+=("exit status $STATUS" "$(tail -5 "$TMP/err")")
	cmp -s "$TMP/seen.bin" "$TMP/hello.flat" || problems+=("gdb read other bytes than the guest's before the run")
	cmp -s "$TMP/seen2.bin" "$TMP/hello.flat" || problems+=("gdb read other bytes than the guest's at its breakpoint")
	grep -q "Breakpoint 1, " "$TMP/out" || problems+=("gdb's breakpoint did not stop")
	[ "$(grep -c "Breakpoint 1, \|Program received\|stopped" "$TMP/out")" = 1 ] ||
		problems+=("gdb stopped more than at its breakpoint: $(cat "$TMP/out")")
	cmp -s <(grep -v '^TN:' "$TMP/gdb.info") <(grep -v '^TN:' "$TMP/hello.info") ||
		problems+=("the report differs from the run alone's: $(diff "$TMP/hello.info" "$TMP/gdb.info" | head -5)")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "coverage: under --gdb-batch gdb never sees a trap; the report is the run alone's"
	else
		not_ok "coverage: under --gdb-batch gdb never sees a trap" "${problems[@]}"
	fi
else
	skip "coverage: under --gdb-batch" "no gdb"
fi

# ---- under --record: gdb's recorded steps (and its HLT at the end, which a
# recorded step runs outside KVM) count as the run alone's; a replay counts
# nothing again.  The oracle is the same guest run alone with --coverage-counts.
if [ $have_gdb = 1 ]; then
	cat >"$TMP/rec.gdb" <<-GDB
	break *0x1004
	continue
	stepi
	stepi
	reverse-stepi
	reverse-stepi
	delete
	continue
	GDB
	run --coverage "$TMP/alone-counts.info" --coverage-counts guests/hello.elf
	run --coverage "$TMP/rec.info" --coverage-counts --record --gdb-batch "$TMP/rec.gdb" guests/hello.elf
	problems=()
	[ "$STATUS" = 0 ] || problems+=("exit status $STATUS" "$(tail -5 "$TMP/err")")
	grep -q "exited normally" "$TMP/out" || problems+=("gdb did not see the guest end: $(tail -5 "$TMP/out")")
	cmp -s <(grep -v '^TN:' "$TMP/rec.info") <(grep -v '^TN:' "$TMP/alone-counts.info") ||
		problems+=("the report differs from the run alone's: $(diff "$TMP/alone-counts.info" "$TMP/rec.info" | head -5)")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "coverage: under --record (reverse-stepi, replay) the counts are the run alone's"
	else
		not_ok "coverage: under --record the counts are the run alone's" "${problems[@]}"
	fi
else
	skip "coverage: under --record" "no gdb"
fi

# ---- a crash and a timeout: the report is written, the summary says so
run guests/triple.elf
want=$STATUS
run --coverage "$TMP/crash.info" guests/triple.elf
if [ "$STATUS" = "$want" ] && [ "$want" != 0 ] && [ -s "$TMP/crash.info" ] &&
   grep -Eq "^$SUMMARY$(lit "$TMP/crash.info") \(the run ended badly: exit status $want\)\$" "$TMP/err"; then
	ok "coverage: a crashing guest (status $want): report written, the summary says the run ended badly"
else
	not_ok "coverage: a crashing guest" "status $STATUS (without: $want)" "$(tail -2 "$TMP/err")"
fi
run -t 0.5 --coverage "$TMP/spin.info" guests/spin.elf
if [ "$STATUS" = 16 ] && grep -q '^DA:' "$TMP/spin.info" &&
   grep -Eq "^$SUMMARY$(lit "$TMP/spin.info") \(the run ended badly: exit status 16\)\$" "$TMP/err"; then
	ok "coverage: --timeout: report written, the summary says the run ended badly"
else
	not_ok "coverage: --timeout" "status $STATUS" "$(tail -2 "$TMP/err")"
fi

# ---- code that runs at CPL 3 (paging/remap's last page, at USER_VIRT):
# a trap there faults, this guest has no IDT, so the run ends in a triple
# fault that gdbvm explains; the crash report shows the guest's bytes.
user_virt=$(awk '$1 == "USER_VIRT" && $2 == "equ" { print $3 }' guests/paging/remap.asm)
page_u=$(nm guests/paging/remap.elf | awk '$3 == "page_u" { sub(/^0+/, "", $1); print $1 }')
first=$(objdump -d guests/paging/remap.elf | awk -v a="$page_u:" '$1 == a { print $2; exit }')
run --coverage "$TMP/user.info" guests/paging/remap.elf
problems=()
[ "$STATUS" = 8 ] && [ -s "$TMP/user.info" ] || problems+=("status $STATUS, or no report")
# AMD SVM resets the vCPU at a triple fault: the registers no longer say
# where it was, and gdbvm cannot tell.  Elsewhere they do.
if grep -q "^gdbvm:   rip=0*${user_virt#0x} " "$TMP/err"; then
	[ -n "$first" ] && grep -q "^gdbvm:   code at $(printf '0x%x' $user_virt): $first " "$TMP/err" ||
		problems+=("the crash report does not show the guest's byte $first")
	grep -q "^gdbvm: coverage: the guest ran into a coverage trap at $(printf '0x%x' $user_virt) in user mode (CPL 3)" \
		"$TMP/err" || problems+=("no word on the trap met at CPL 3")
fi
if [ ${#problems[@]} -eq 0 ]; then
	ok "coverage: a trap met at CPL 3: the triple fault is explained, the report written"
else
	not_ok "coverage: a trap met at CPL 3: the triple fault is explained" "${problems[@]}" \
		"$(grep -v '^gdbvm:   [a-z]*[0-9]*=' "$TMP/err")"
fi

# ---- bad input: status 34, one line naming the file, no report
bad_case() {
	local name=$1 regex=$2
	shift 2
	rm -f "$TMP/bad.info"
	run --coverage "$TMP/bad.info" "$@"
	if [ "$STATUS" = 34 ] && [ ! -s "$TMP/bad.info" ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
	   grep -Eq "^gdbvm: coverage: $regex" "$TMP/err"; then
		ok "coverage: $name: status 34, one clear line, no report"
	else
		not_ok "coverage: $name: status 34, one clear line, no report" "status $STATUS" "$(cat "$TMP/err")" \
			"report: $(head -3 "$TMP/bad.info" 2>/dev/null)"
	fi
}
strip -o "$TMP/stripped.elf" guests/hello.elf
bad_case "a stripped ELF" ".*stripped.elf.*stripped.*-g" "$TMP/stripped.elf"
objcopy --remove-section .debug_line "$(pwd)/guests/hello.elf" "$TMP/noline.elf"
bad_case "no .debug_line" ".*noline.elf.*no .debug_line" "$TMP/noline.elf"
# The first unit's length made larger than the section.
cp guests/hello.elf "$TMP/corrupt.elf"
off=$(readelf -SW guests/hello.elf | awk '{ for (i = 1; i < NF; i++) if ($i == ".debug_line") print $(i + 3) }')
printf '\xf0\xff\xff\x0f' | dd of="$TMP/corrupt.elf" bs=1 seek=$((0x$off)) conv=notrunc status=none
bad_case "a corrupt line table" ".*corrupt.elf.*\.debug_line" "$TMP/corrupt.elf"
bad_case "--symbols that do not match the code loaded" "'guests/count.elf' does not match the guest" \
	--symbols guests/count.elf guests/hello.bin
# Stage 2's symbols at an offset where nothing is ever loaded: checked at
# the end, left out of the report.
if [ -s "$TMP/boot.img" ]; then
	rm -f "$TMP/bad.info"
	run --coverage "$TMP/bad.info" --symbols "$TMP/stage1.elf" --symbols "$TMP/stage2.elf@0x9000" \
		--boot "$TMP/boot.img"
	[ "$STATUS" = 34 ] && grep -q "stage2.elf' does not match the guest.*left out of the report" "$TMP/err" &&
		grep -q "^SF:.*stage1.asm" "$TMP/bad.info" && ! grep -q '^SF:.*stage2.asm' "$TMP/bad.info" &&
		ok "coverage: --symbols at an offset where no code came: status 34, left out of the report" ||
		not_ok "coverage: --symbols at an offset where no code came" "status $STATUS" "$(cat "$TMP/err")"
fi
bad_case "a flat GUEST without --symbols" "GUEST 'guests/hello.bin' is not an ELF file" guests/hello.bin
bad_case "--symbols file missing" "cannot read '$TMP/none.elf'" --symbols "$TMP/none.elf" guests/hello.bin
run --coverage "$TMP/nodir/x.info" guests/hello.elf
[ "$STATUS" = 34 ] && grep -q "^gdbvm: coverage: cannot write '$TMP/nodir/x.info'" "$TMP/err" &&
	ok "coverage: an unwritable report: status 34 before the guest runs" ||
	not_ok "coverage: an unwritable report" "status $STATUS" "$(cat "$TMP/err")"

echo "1..$TEST_N"
[ "$TEST_FAILED" -eq 0 ]
