#!/bin/bash
# test_reverse_kvm.sh - reverse debugging of real guests under KVM with a
# real gdb (issue 19): gdbvm --record (or monitor record on) keeps a
# history, and gdb's reverse-stepi, reverse-continue (to a breakpoint, to
# the last writer of a watched variable, to the start of the history),
# reverse-next, reverse-step and reverse-finish move back along it; going
# forward again replays it (port input from the history, port output not
# emitted twice) and then runs on live.  The guests are guests/reverse/
# and the C guest (guests/c/).  Addresses and lines come from the guests'
# ELF symbols and line tables, never typed in here.  Needs /dev/kvm and a
# gdb with Python (else the gdb tests report SKIP); the LLDB case needs
# lldb.  test_reverse.sh covers the protocol against a toy machine.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

TRACE=guests/reverse/trace.elf
ECHO=guests/reverse/echo.elf
LONG=guests/reverse/longloop.elf
OVERWRITE=guests/reverse/overwrite
CGUEST=guests/cguest.elf
NO_MORE='^No more reverse-execution history\.$'
OFF_MSG="recording is off: use --record or monitor record on"

# sym ELF NAME: the value of symbol NAME in ELF, as 0x... (empty if none).
sym() {
	nm "$1" | awk -v n="$2" '$3 == n { print "0x" $1; exit }'
}

# Symbols the scripts read from their environment (REV_<name>).
export REV_start=$(sym $TRACE start) REV_pass=$(sym $TRACE pass)
export REV_data_lo=$(sym $TRACE data_lo) REV_data_hi=$(sym $TRACE data_hi)
export REV_stack_lo=$(sym $TRACE stack_lo) REV_stack_hi=$(sym $TRACE stack_hi)
export REV_passes=$(sym $TRACE PASSES) REV_trace_exit=$(sym $TRACE EXIT_CODE)
export REV_got_byte=$(sym $ECHO got_byte) REV_inbuf=$(sym $ECHO inbuf)
export REV_inlen=$(sym $ECHO inlen) REV_echo_exit=$(sym $ECHO EXIT_CODE)
export REV_long_start=$(sym $LONG start) REV_body=$(sym $LONG body) REV_body_end=$(sym $LONG body_end)
export REV_long_passes=$(sym $LONG PASSES) REV_long_exit=$(sym $LONG EXIT_CODE)
export REV_ram=$TMP/ram

# What trace.bin prints: one letter per pass (CX counting down), a newline.
trace_output() {
	local cx letters=
	for ((cx = REV_passes; cx > 0; cx--)); do
		letters+=$(printf "\\x$(printf %x $((65 + (cx & 15))))")
	done
	printf '%s\n' "$letters"
}
exit_status() { echo $(((($1) << 1) | 1)); }

# Python shared by the scripts below (after gdb_helpers).
cat >"$TMP/rev_common.py" <<'EOF'
import os

E = {k[4:]: v for k, v in os.environ.items() if k.startswith("REV_")}


def num(name):
    return int(E[name], 0)


def regs_now():
    """Every register gdb knows, as gdb shows it."""
    frame = gdb.selected_frame()
    return [(r.name, str(frame.read_register(r.name)))
            for r in frame.architecture().registers()]


def compare(what, got, want):
    """got and want: (registers, memory spans); fail on the first difference."""
    for (name, g), (_, w) in zip(got[0], want[0]):
        if g != w:
            fail("%s: $%s is %s, expected %s (pc %#x)" % (what, name, g, w, pc()))
    for i, (g, w) in enumerate(zip(got[1], want[1])):
        if g != w:
            at = next(k for k in range(len(g)) if g[k] != w[k])
            fail("%s: memory span %d differs at byte %#x: %#x, expected %#x (pc %#x)"
                 % (what, i, at, g[at], w[at], pc()))


def quiet(command):
    events.reset()
    gdb.execute(command, to_string=True)
    return events.stop


def line_of(path, pattern):
    """(line, first address) of the first source line matching pattern."""
    n = source_line(path, pattern)
    out = cmd("info line %s:%d" % (path.rsplit("/", 1)[-1], n))
    m = re.search(r"starts at address (0x[0-9a-f]+)", out)
    if not m:
        fail("info line %s:%d has no address: %r" % (path, n, out))
    return n, int(m.group(1), 16)


def cur_line():
    return gdb.selected_frame().find_sal().line


def func_name():
    f = gdb.selected_frame().function()
    return f.name if f else None


def record_state():
    text = cmd("monitor record")
    say("monitor record: " + " | ".join(text.strip().splitlines()))
    return text
EOF

# script_rev NAME: like script, with rev_common.py's helpers too.
script_rev() {
	{
		printf 'import sys\nsys.path.insert(0, %s)\nfrom gdb_helpers import *\n' \
			"'$HELPERS_DIR'"
		cat "$TMP/rev_common.py"
		cat
	} >"$TMP/$1.py"
}

# rclient NAME [ELF]: gdb -batch -x $TMP/NAME.py against 127.0.0.1:$PORT, with
# ELF's symbols when given (16-bit code, no OS ABI, as --gdb-batch does), as
# a vm_session command: gdb must exit 0 with the script at its end.
rclient() {
	local name=$1 elf=$2 pre=()
	[ -n "$elf" ] && pre=(-iex 'set osabi none' -iex 'set architecture i8086')
	timeout -k 5 "$RUN_LIMIT" "$GDB" -batch -nx "${pre[@]}" -ex 'set pagination off' \
		-ex 'set confirm off' -ex "target remote 127.0.0.1:$PORT" -x "$TMP/$name.py" \
		${elf:+"$elf"} </dev/null >"$TMP/$name.out" 2>&1
	CLIENT_STATUS=$?
	[ "$CLIENT_STATUS" = 0 ] || PROBLEMS+=("gdb ($name.py) exited with $CLIENT_STATUS, expected 0")
	grep -qx 'gdbtest: PASS' "$TMP/$name.out" ||
		PROBLEMS+=("the gdb script $name.py did not reach its end (no 'gdbtest: PASS')")
}

# need FILE COUNT REGEX WHAT: exactly COUNT lines of FILE match REGEX.
need() {
	local n
	n=$(grep -Ec -- "$3" "$1" 2>/dev/null)
	[ "$n" = "$2" ] || PROBLEMS+=("$4: $n lines match /$3/ in ${1##*/}, expected $2")
}

# same_output FILE WANT WHAT: FILE holds exactly WANT (printf %s).
same_output() {
	printf '%s' "$2" >"$TMP/want.$$"
	cmp -s "$1" "$TMP/want.$$" ||
		PROBLEMS+=("$3: the guest printed $(od -An -c "$1" | head -4 | tr -s ' ')" \
			"expected $(od -An -c "$TMP/want.$$" | head -4 | tr -s ' ')")
}

# ------------------------------------------------------------- the CLI --

# --record needs a gdb session; --record-limit needs a size.
# usage_case NAME REGEX ARGS...: status 2, one line on stderr matching REGEX.
usage_case() {
	local name=$1 want=$2
	shift 2
	run "$@"
	if [ "$STATUS" = 2 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -Eq "^gdbvm: $want" "$TMP/err" &&
		[ ! -s "$TMP/out" ]; then
		ok "$name"
	else
		not_ok "$name" "status $STATUS (want 2), stderr (want one line matching 'gdbvm: $want'):" \
			"$(head -5 "$TMP/err")" "stdout: $(head -c 200 "$TMP/out")"
	fi
}
usage_case "--record without a gdb session is a usage error (status 2, one line)" \
	"--record .*-s, --gdb or --gdb-batch" --record guests/reverse/trace.bin
# (Bounded tightly: a limit wrongly accepted would wait for gdb.)
for bad in "" 12Q -5 0x 1T 32K; do
	RUN_LIMIT=10 usage_case "--record-limit '$bad' is a usage error (status 2, one line)" \
		"invalid record limit '$(lit "$bad")'" -g 127.0.0.1:0 -S --record --record-limit "$bad" guests/reverse/trace.bin
done

# ------------------------------------------- 1,000 steps there and back --

name="round trip: 1,000 stepi, 1,000 reverse-stepi, 1,000 stepi on trace.elf: registers, memory, all RAM"
if gdb_case "$name"; then
	script_rev roundtrip <<-'EOF'
	N = 1000
	spans = [(num("data_lo"), num("data_hi")), (num("stack_lo"), num("stack_hi"))]
	def snap():
	    return regs_now(), [mem(lo, hi - lo) for lo, hi in spans]
	expect_pc(num("start"), "the guest waits at its entry")
	trace = [snap()]
	for i in range(1, N + 1):
	    quiet("stepi")
	    if events.exited:
	        fail("the guest exited after %d steps" % i)
	    trace.append(snap())
	expect(trace[N][0] != trace[0][0], "1,000 steps moved the guest")
	expect(trace[N][1][0] != trace[0][1][0], "the guest wrote its data")
	say("stepped %d times, pc %#x" % (N, pc()))
	gdb.execute("dump binary memory %s.before 0 0x100000" % E["ram"])
	for i in range(N - 1, -1, -1):
	    quiet("reverse-stepi")
	    compare("after reverse-stepi to step %d" % i, snap(), trace[i])
	say("ok: %d reverse-stepi gave every register and the written memory back" % N)
	loud("reverse-stepi")
	compare("reverse-stepi at the start of the history", snap(), trace[0])
	for i in range(1, N + 1):
	    quiet("stepi")
	    compare("replaying stepi to step %d" % i, snap(), trace[i])
	say("ok: %d stepi replayed every register and the written memory" % N)
	gdb.execute("dump binary memory %s.after 0 0x100000" % E["ram"])
	with open(E["ram"] + ".before", "rb") as f:
	    before = f.read()
	with open(E["ram"] + ".after", "rb") as f:
	    after = f.read()
	expect_eq("RAM dumped", len(after), 0x100000)
	if before != after:
	    at = next(k for k in range(len(before)) if before[k] != after[k])
	    fail("RAM differs after the round trip at %#x: %#x, expected %#x" % (at, after[at], before[at]))
	say("ok: all 1 MiB of RAM bit-identical after the round trip")
	# Live again from the end of the history, to the guest's exit.
	expect_exited(num("trace_exit") << 1 | 1)
	passed()
	EOF
	RUN_LIMIT=240 vm_session roundtrip "$(exit_status REV_trace_exit)" --record -S $TRACE -- \
		rclient roundtrip $TRACE
	need "$TMP/roundtrip.out" 1 "$NO_MORE" "one reverse-stepi past the start"
	same_output "$TMP/roundtrip.vmout" "$(trace_output)
" "COM1 output once, replay emitting nothing"
	vm_verdict "$name" "$TMP/roundtrip.out" "$TMP/roundtrip.vmerr"
fi

# ---------------------------------------------- reverse-continue stops --

name="reverse-continue to the previous breakpoint hit, to the start; continue replays to the same hits"
if gdb_case "$name"; then
	script_rev revbreak <<-'EOF'
	spans = [(num("data_lo"), num("data_hi")), (num("stack_lo"), num("stack_hi"))]
	def snap():
	    return regs_now(), [mem(lo, hi - lo) for lo, hi in spans]
	start = snap()
	loud("break *%d" % num("pass"))
	hits = []
	for i in range(3):
	    resume()
	    expect_stop("breakpoint", 1)
	    expect_reg("cx", num("passes") - i, 16)
	    hits.append(snap())
	for i in (1, 0):
	    resume("reverse-continue")
	    expect_stop("breakpoint", 1)
	    expect_pc(num("pass"), "reverse-continue: at the breakpoint")
	    compare("reverse-continue to hit %d" % i, snap(), hits[i])
	resume("reverse-continue")
	expect_pc(num("start"), "reverse-continue: at the start of the history")
	compare("the start of the history", snap(), start)
	for i in range(3):
	    resume()
	    expect_stop("breakpoint", 1)
	    compare("continue (replay) to hit %d" % i, snap(), hits[i])
	resume()
	expect_stop("breakpoint", 1)
	expect_reg("cx", num("passes") - 3, 16)
	loud("delete")
	expect_exited(num("trace_exit") << 1 | 1)
	passed()
	EOF
	vm_session revbreak "$(exit_status REV_trace_exit)" --record -S $TRACE -- rclient revbreak $TRACE
	need "$TMP/revbreak.out" 1 "$NO_MORE" "reverse-continue reached the start once"
	same_output "$TMP/revbreak.vmout" "$(trace_output)
" "COM1 output once"
	vm_verdict "$name" "$TMP/revbreak.out" "$TMP/revbreak.vmerr"
fi

# (In the C guest: its calls push 32-bit return addresses, which gdb's
# i386 unwinder reads; over the assembly guests' 16-bit calls, gdb's own
# nexti steps into the callee, recording or not.)
name="C guest: reverse-nexti steps back over a call; reverse-stepi steps back into it, at its ret"
if gdb_case "$name"; then
	script_rev revnexti <<-'EOF'
	SRC = "guests/c/main.c"
	loud("break %s:%d" % (SRC.rsplit("/", 1)[-1], source_line(SRC, r"test: loop call")))
	resume()
	loud("delete")
	for i in range(20):
	    if re.search(r"=> \S+.*\bcall", cmd("x/i $pc")):
	        break
	    quiet("stepi")
	call_at = pc()
	expect_match("the instruction", cmd("x/i $pc"), r"=> .*call.*<area>")
	after = call_at + gdb.selected_frame().architecture().disassemble(call_at)[0]["length"]
	before = regs_now()
	resume("nexti")
	expect_pc(after, "nexti over the call")
	resume("reverse-nexti")
	expect_pc(call_at, "reverse-nexti: back at the call")
	compare("reverse-nexti over the call", (regs_now(), []), (before, []))
	resume("nexti")
	expect_pc(after, "nexti (replayed) over the call")
	resume("reverse-stepi")
	expect_eq("function after reverse-stepi from after the call", func_name(), "area")
	expect_match("the instruction after reverse-stepi", cmd("x/i $pc"), r"=> .*\bret")
	resume("reverse-finish")
	expect_pc(call_at, "reverse-finish from area(): at the call")
	compare("reverse-finish", (regs_now(), []), (before, []))
	expect_exited(0)
	passed()
	EOF
	vm_session revnexti 0 --record -S $CGUEST -- rclient revnexti $CGUEST
	need "$TMP/revnexti.vmout" 1 "^total: " "the C guest's total, once"
	vm_verdict "$name" "$TMP/revnexti.out" "$TMP/revnexti.vmerr"
fi

# A tutorial like docs/gdb.md's: who overwrote score in the boot sector?
name="overwrite.img (--boot): watch score, reverse-continue to the stray write, then each earlier writer"
if gdb_case "$name"; then
	script_rev revwatch <<-'EOF'
	SRC = "guests/reverse/overwrite.asm"
	first_pc = pc()		# the BIOS's hand-off: where the history begins
	score = address_of("score")
	name_ = address_of("name")
	loud("break putdec")
	resume()
	expect_stop("breakpoint", 1)
	printed = reg("ax", 16)
	expect_eq("score when printed", int.from_bytes(mem(score, 2), "little"), printed)
	loud("delete")
	# Independently: the levels add 100 each (from the source), and the stray
	# write puts ' ' in score's low byte.
	n_levels = int(re.search(r"LEVELS\s+equ\s+(\d+)", open(SRC).read()).group(1))
	right = 100 * n_levels
	expect_eq("the printed score", printed, (right & 0xff00) | ord(" "))
	writers = [
	    (line_of(SRC, r"mov byte \[name \+ bx\], ' '")[1], printed, right),
	]
	add_at = line_of(SRC, r"add \[score\], ax")[1]
	for k in range(n_levels, 0, -1):
	    writers.append((add_at, 100 * k, 100 * (k - 1)))
	writers.append((line_of(SRC, r"mov word \[score\], 0")[1], 0, 0xffff))
	loud("watch *(unsigned short *)%d" % score)
	for at, later, earlier in writers:
	    say("want: Old value = %d" % later)
	    say("want: New value = %d" % earlier)
	    resume("reverse-continue")
	    expect_stop("breakpoint")
	    expect_pc(at, "reverse-continue with watch score: at the writer")
	    expect_eq("score before the writer", int.from_bytes(mem(score, 2), "little"), earlier)
	resume("reverse-continue")
	expect_pc(first_pc, "reverse-continue: at the start of the history")
	expect_eq("score at the start of the history", int.from_bytes(mem(score, 2), "little"),
	          int.from_bytes(open("guests/reverse/overwrite.img", "rb").read()[score - 0x7c00:score - 0x7c00 + 2], "little"))
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	vm_session revwatch 0 --record -S --boot $OVERWRITE.img -- rclient revwatch $OVERWRITE.elf
	grep -E '^(Old|New) value = ' "$TMP/revwatch.out" >"$TMP/revwatch.got"
	sed -n 's/^gdbtest: want: //p' "$TMP/revwatch.out" >"$TMP/revwatch.want"
	[ -s "$TMP/revwatch.want" ] && cmp -s "$TMP/revwatch.got" "$TMP/revwatch.want" ||
		PROBLEMS+=("gdb's Old/New values: $(tr '\n' ';' <"$TMP/revwatch.got")" \
			"expected: $(tr '\n' ';' <"$TMP/revwatch.want")")
	need "$TMP/revwatch.out" 1 "$NO_MORE" "the last reverse-continue reached the start"
	need "$TMP/revwatch.vmout" 1 "^score: " "the score printed once"
	vm_verdict "$name" "$TMP/revwatch.out" "$TMP/revwatch.vmerr"
fi

# ------------------------------------------------------- COM1 input --

name="COM1 input: back over two reads and forward again gives the recorded bytes; output once"
if gdb_case "$name"; then
	printf 'abc.WXYZ.' >"$TMP/echo.in"
	script_rev revecho <<-'EOF'
	loud("break *%d" % num("got_byte"))
	got = []
	for i in range(2):
	    resume()
	    expect_stop("breakpoint", 1)
	    got.append(reg("al", 8))
	expect_eq("the first two bytes read", bytes(got), b"ab")
	loud("delete")
	resume("reverse-continue")
	expect_eq("bytes read at the start of the history", int.from_bytes(mem(num("inlen"), 2), "little"), 0)
	loud("break *%d" % num("got_byte"))
	for i in range(2):
	    resume()
	    expect_stop("breakpoint")
	    expect_eq("byte %d replayed" % i, reg("al", 8), got[i])
	# Live from here: COM1 must still hold what the guest has not read.
	for want in b"c.":
	    resume()
	    expect_stop("breakpoint")
	    expect_eq("byte read live", reg("al", 8), want)
	loud("delete")
	expect_mem(num("inbuf"), b"abc")
	expect_exited(num("echo_exit") << 1 | 1)
	passed()
	EOF
	VM_STDIN=$TMP/echo.in vm_session revecho "$(exit_status REV_echo_exit)" --record -S $ECHO -- \
		rclient revecho $ECHO
	same_output "$TMP/revecho.vmout" "abc." "the echo, once"
	need "$TMP/revecho.out" 1 "$NO_MORE" "reverse-continue to the start"
	vm_verdict "$name" "$TMP/revecho.out" "$TMP/revecho.vmerr"
fi

# ------------------------------------------------------- source level --

name="C guest: reverse-next and reverse-step by line, reverse-finish"
if gdb_case "$name"; then
	script_rev revsrc <<-'EOF'
	SRC = "guests/c/main.c"
	call_line = source_line(SRC, r"test: loop call")
	ret_line = source_line(SRC, r"test: area return")
	first_line = source_line(SRC, r"test: area first line")
	loud("break %s:%d" % (SRC.rsplit("/", 1)[-1], call_line))
	resume()
	resume()		# the second shape: area() ran once already
	expect_stop("breakpoint", 1)
	expect_eq("line", cur_line(), call_line)
	loud("delete")
	resume("next")
	after = cur_line()
	expect(after > call_line, "next went past the call (line %d)" % after)
	resume("reverse-next")
	expect_eq("line after reverse-next", cur_line(), call_line)
	expect_eq("function", func_name(), "main")
	resume("next")
	expect_eq("line after next (replayed)", cur_line(), after)
	# Back into area() through its return: its closing brace, then each line.
	brace = ret_line + next(i for i, t in enumerate(open(SRC).read().splitlines()[ret_line:], 1)
	                        if t.startswith("}"))
	h_line = source_line(SRC, r"int h = r->max\.y - r->min\.y;")
	for want in (brace, ret_line, h_line):
	    resume("reverse-step")
	    expect_eq("function after reverse-step", func_name(), "area")
	    expect_eq("line after reverse-step", cur_line(), want)
	# The line before calls width(): reverse-step enters it at its end.  (gcc
	# gives the h line more than one row in the line table, and gdb going
	# backwards stops at the start of each row: a few more steps, bounded.)
	for i in range(4):
	    resume("reverse-step")
	    if func_name() != "area" or cur_line() != h_line:
	        break
	expect_eq("function after reverse-step over width()", func_name(), "width")
	resume("reverse-finish")
	expect_eq("function after reverse-finish from width()", func_name(), "area")
	expect_eq("line after reverse-finish from width()", cur_line(), first_line)
	resume("reverse-finish")
	expect_eq("function after reverse-finish", func_name(), "main")
	expect_eq("line after reverse-finish", cur_line(), call_line)
	expect_match("the instruction after reverse-finish", cmd("x/i $pc"), r"call")
	# reverse-finish stops at the call, inside the line: reverse-next goes to
	# the line's start first, then to the line before (the for loop's).
	resume("reverse-next")
	expect_eq("line after reverse-next from the call", cur_line(), call_line)
	expect_pc(line_of(SRC, r"test: loop call")[1], "pc at the start of the line")
	resume("reverse-next")
	expect_eq("line after another reverse-next", cur_line(), source_line(SRC, r"for \(unsigned i = 0;"))
	expect_exited(0)
	passed()
	EOF
	vm_session revsrc 0 --record -S $CGUEST -- rclient revsrc $CGUEST
	run $CGUEST	# the same guest without gdb: what it prints, once
	cmp -s "$TMP/revsrc.vmout" "$TMP/out" ||
		PROBLEMS+=("the C guest's output under gdb is not what it prints alone, once:" \
			"$(diff "$TMP/out" "$TMP/revsrc.vmout" | head -10)")
	need "$TMP/revsrc.out" 0 "Remote failure reply|$(lit "$OFF_MSG")" "no errors"
	vm_verdict "$name" "$TMP/revsrc.out" "$TMP/revsrc.vmerr"
fi

# ---------------------------------------------------- the history limit --

name="--record-limit 64K on longloop.elf: the oldest steps dropped, reverse to the new start stops there"
if gdb_case "$name"; then
	script_rev revlimit <<-'EOF'
	def insns(lo, hi):
	    """The addresses of the instructions from lo to hi (gdb's disassembler)."""
	    arch, at, out = gdb.selected_frame().architecture(), lo, []
	    while at < hi:
	        out.append(at)
	        at += arch.disassemble(at)[0]["length"]
	    return out
	prologue = insns(num("long_start"), num("body"))
	body = insns(num("body"), num("body_end"))
	passes = num("long_passes")
	state = record_state()
	expect_match("monitor record at the start", state, r"^record: on, limit 64\.0 KiB\n")
	expect_match("monitor record at the start", state, r"\nhistory: 0 steps \(0 to 0\),")
	expect_match("monitor record at the start", state, r"\ndropped: none\n")
	loud("break *%d" % num("body_end"))
	resume()
	expect_stop("breakpoint", 1)
	expect_reg("cx", 0, 16)
	# Steps are numbered by instructions from the first one gdb let run.
	state = record_state()
	end = len(prologue) + len(body) * passes
	m = re.search(r"\nhistory: (\d+) steps \((\d+) to (\d+)\)", state)
	expect(m is not None, "monitor record shows the history's range")
	steps, first, last = (int(x) for x in m.groups())
	expect_eq("the history's end (instructions run)", last, end)
	expect_eq("steps held", steps, last - first)
	expect(0 < first < end, "the oldest steps were dropped (the history begins at %d)" % first)
	expect_match("monitor record says what was dropped and from where", state,
	             r"\ndropped: the oldest %d steps\b.*the history now begins at step %d\n" % (first, first))
	loud("delete")
	resume("reverse-continue")
	passes_done, into = divmod(first - len(prologue), len(body))
	expect_pc(body[into], "reverse-continue: at the new start")
	expect_reg("cx", passes - passes_done, 16)
	expect_match("monitor record at the new start", record_state(),
	             r"\nposition: step %d, %d before the end \(replaying\)\n" % (first, end - first))
	start_pc, start_cx = pc(), reg("cx", 16)
	resume("reverse-stepi")
	expect_pc(start_pc, "reverse-stepi at the new start stays put")
	expect_reg("cx", start_cx, 16)
	resume("stepi")
	expect_pc(body[(into + 1) % len(body)], "stepi from the new start replays one instruction")
	expect_exited(num("long_exit") << 1 | 1)
	passed()
	EOF
	RUN_LIMIT=120 vm_session revlimit "$(exit_status REV_long_exit)" --record --record-limit 64K -S $LONG -- \
		rclient revlimit $LONG
	need "$TMP/revlimit.out" 2 "$NO_MORE" "reverse-continue and reverse-stepi at the new start"
	vm_verdict "$name" "$TMP/revlimit.out" "$TMP/revlimit.vmerr"
fi

# ---------------------------------------- monitor record, off/on, detach --

name="monitor record: off without --record, on at a stop, reverse back to where it began, off again"
if gdb_case "$name"; then
	script_rev revmon <<-'EOF'
	expect_match("monitor record without --record", record_state(), r"^record: off\b")
	for i in range(5):
	    quiet("stepi")
	begin = regs_now()
	loud("monitor record on")
	expect_match("monitor record after on", record_state(),
	             r"^record: on, limit 256\.0 MiB\nhistory: 0 steps \(0 to 0\)")
	states = [begin]
	for i in range(8):
	    quiet("stepi")
	    states.append(regs_now())
	state = record_state()
	expect_match("monitor record counts 8 instructions", state,
	             r"\nhistory: 8 steps \(0 to 8\),.*\nposition: step 8, the end of the history \(live\)\n")
	for i in range(7, -1, -1):
	    quiet("reverse-stepi")
	    compare("reverse-stepi to step %d" % i, (regs_now(), []), (states[i], []))
	loud("reverse-stepi")
	compare("reverse-stepi where recording began", (regs_now(), []), (begin, []))
	loud("monitor record off")
	expect_match("monitor record after off", record_state(), r"^record: off\b")
	here = pc()
	loud("reverse-stepi")
	expect_pc(here, "reverse-stepi with recording off stays put")
	loud("monitor record on 1M")
	expect_match("monitor record on 1M: the limit", record_state(), r"^record: on, limit 1\.0 MiB\n")
	quiet("stepi")
	quiet("reverse-stepi")
	expect_pc(here, "recording again: reverse-stepi")
	expect_exited(num("trace_exit") << 1 | 1)
	passed()
	EOF
	vm_session revmon "$(exit_status REV_trace_exit)" -S $TRACE -- rclient revmon $TRACE
	need "$TMP/revmon.out" 1 "$(lit "$OFF_MSG")" "the advice with recording off"
	same_output "$TMP/revmon.vmout" "$(trace_output)
" "COM1 output once"
	vm_verdict "$name" "$TMP/revmon.out" "$TMP/revmon.vmerr"
fi

name="detach with recording on, in the past: the history is dropped and the guest runs on to its end"
if gdb_case "$name"; then
	script_rev revdetach <<-'EOF'
	for i in range(60):
	    quiet("stepi")
	for i in range(10):
	    quiet("reverse-stepi")
	loud("detach")
	passed()
	EOF
	vm_session revdetach "$(exit_status REV_trace_exit)" --record -S $TRACE -- rclient revdetach $TRACE
	same_output "$TMP/revdetach.vmout" "$(trace_output)
" "COM1 output once"
	vm_verdict "$name" "$TMP/revdetach.out" "$TMP/revdetach.vmerr"
fi

# The echo guest with no input polls COM1 for ever: after a detach in the
# past it runs on, and the next gdb finds it polling, recorded afresh.
name="detach in the past, reconnect: the guest polls on live; the new session's history starts empty"
if gdb_case "$name"; then
	script_rev detach1 <<-'EOF'
	for i in range(60):
	    quiet("stepi")
	for i in range(20):
	    quiet("reverse-stepi")
	expect_match("monitor record in the past", record_state(), r"\nposition: step 40, 20 before the end")
	loud("detach")
	passed()
	EOF
	script_rev detach2 <<-'EOF'
	where = gdb.selected_frame().name() or ""
	expect(where.startswith("com1_getc"), "the guest is polling in com1_getc (%s, pc %#x)" % (where, pc()))
	expect_match("monitor record in the new session", record_state(),
	             r"^record: on, .*\nhistory: 0 steps \(\d+ to \d+\),.*\nposition: step \d+, the end of the history \(live\)")
	here = pc()
	loud("reverse-stepi")
	expect_pc(here, "reverse-stepi with an empty history stays put")
	quiet("stepi")
	quiet("reverse-stepi")
	expect_pc(here, "stepi and reverse-stepi in the new session")
	loud("monitor quit")
	passed()
	EOF
	vm_session revdetach2 0 --record -S $ECHO -- rclient detach1 $ECHO -- rclient detach2 $ECHO
	need "$TMP/detach2.out" 1 "$NO_MORE" "reverse-stepi at the start of the new history"
	need "$TMP/revdetach2.vmout" 0 "." "no output: the guest read nothing"
	vm_verdict "$name" "$TMP/detach1.out" "$TMP/detach2.out" "$TMP/revdetach2.vmerr"
fi

# The echo guest with no input polls COM1 for ever: Ctrl-C must stop a
# recorded continue there, however fast the host.
name="recording: Ctrl-C stops a recorded continue; reverse-stepi and stepi after it"
if gdb_case "$name"; then
	script_rev revint <<-'EOF'
	interrupt_after(0.5)
	resume()
	expect_stop("signal", "SIGINT")
	where = gdb.selected_frame().name() or ""
	expect(where.startswith("com1_getc"), "stopped polling in com1_getc (%s, pc %#x)" % (where, pc()))
	state = record_state()
	m = re.search(r"\nhistory: (\d+) steps", state)
	expect(m is not None and int(m.group(1)) > 0, "the continue was recorded")
	here, regs = pc(), regs_now()
	resume("reverse-stepi")
	expect(pc() != here, "reverse-stepi after Ctrl-C moved back (pc %#x)" % pc())
	resume("stepi")
	compare("stepi (replay) back to where Ctrl-C stopped", (regs_now(), []), (regs, []))
	loud("monitor quit")
	passed()
	EOF
	vm_session revint 0 --record -S $ECHO -- rclient revint $ECHO
	vm_verdict "$name" "$TMP/revint.out" "$TMP/revint.vmerr"
fi

name="recording: a write watchpoint stops a recorded continue after the store; back and forth over it"
if gdb_case "$name"; then
	script_rev revwp <<-'EOF'
	loud("break *%d" % num("body"))
	for i in range(3):
	    resume()
	    expect_stop("breakpoint", 1)
	loud("delete")
	slot = 0x4000 + reg("bx", 16)	# where this pass's store goes (longloop.asm's ring)
	cx = reg("cx", 16)
	loud("watch *(unsigned short *)%d" % slot)
	resume()
	expect_stop("breakpoint")
	after = num("body") + gdb.selected_frame().architecture().disassemble(num("body"))[0]["length"]
	expect_pc(after, "the watchpoint stopped right after the store")
	expect_eq("the watched slot after the store", int.from_bytes(mem(slot, 2), "little"), cx)
	resume("reverse-stepi")
	expect_pc(num("body"), "reverse-stepi: at the store")
	expect_eq("the slot before the store", int.from_bytes(mem(slot, 2), "little"), 0)
	resume("stepi")
	expect_pc(after, "stepi (replay) over the store")
	loud("delete")
	expect_exited(num("long_exit") << 1 | 1)
	passed()
	EOF
	RUN_LIMIT=120 vm_session revwp "$(exit_status REV_long_exit)" --record -S $LONG -- rclient revwp $LONG
	vm_verdict "$name" "$TMP/revwp.out" "$TMP/revwp.vmerr"
fi

name="gdb's writes in the past drop the recorded future; going back and forth keeps them"
if gdb_case "$name"; then
	script_rev revwrite <<-'EOF'
	counter = num("data_lo")	# trace.asm's counter is the first word of its data
	def st():
	    return (pc(), reg("eax"), reg("ecx"), int.from_bytes(mem(counter, 2), "little"))
	trace = [st()]
	for i in range(30):
	    quiet("stepi")
	    trace.append(st())
	for i in range(10):
	    quiet("reverse-stepi")
	expect_eq("state 10 steps back", st(), trace[20])
	loud("set $eax = 0x5a5a")
	loud("set var *(unsigned short *)%d = 0x1234" % counter)
	state = record_state()
	m = re.search(r"\nposition: step (\d+), the end of the history \(live\)\n", state)
	expect(m is not None and int(m.group(1)) < 30, "the recorded future is dropped: at the end, live")
	written = (trace[20][0], 0x5a5a, trace[20][2], 0x1234)
	expect_eq("state after the writes", st(), written)
	quiet("stepi")
	expect_eq("pc after stepi (live)", pc(), trace[21][0])
	expect_reg("eax", 0x5a5a)
	quiet("reverse-stepi")
	expect_eq("reverse-stepi: the instruction undone, the writes after it kept", st(), written)
	quiet("reverse-stepi")
	expect_eq("reverse-stepi: back over the writes too", st(), trace[19])
	quiet("stepi")
	expect_eq("stepi: the instruction and the writes after it replayed", st(), written)
	quiet("stepi")
	expect_eq("pc after stepi (replayed)", pc(), trace[21][0])
	expect_reg("eax", 0x5a5a)
	expect_exited(num("trace_exit") << 1 | 1)
	passed()
	EOF
	vm_session revwrite "$(exit_status REV_trace_exit)" --record -S $TRACE -- rclient revwrite $TRACE
	vm_verdict "$name" "$TMP/revwrite.out" "$TMP/revwrite.vmerr"
fi

# A write watchpoint set while recording, then deleted: the guest's writes
# to that page must land as before.  A watched page is read-only, where an
# instruction that stores more than once (the BIOS's pushad in INT 10h)
# keeps only its last store (docs/gdb.md): the reason not to watch a
# stack's page.  But once the watchpoint is gone, the page must be writable
# again, also while recording (when continue is made of single steps).
name="--boot overwrite.img: watch the stack's page for one recorded stepi, delete it, continue: the guest ends as without gdb"
if gdb_case "$name"; then
	script_rev watchdel <<-'EOF'
	loud("break putdec")
	resume()
	loud("delete")
	sp = reg("sp", 16)
	loud("watch *(unsigned short *)%d" % (sp - 64))
	quiet("stepi")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	vm_session watchdel 0 --record -S --boot $OVERWRITE.img -- rclient watchdel $OVERWRITE.elf
	run --boot $OVERWRITE.img
	cmp -s "$TMP/watchdel.vmout" "$TMP/out" ||
		PROBLEMS+=("the guest's output differs from its run without gdb:" \
			"$(diff "$TMP/out" "$TMP/watchdel.vmout" | head -6)")
	vm_verdict "$name" "$TMP/watchdel.out" "$TMP/watchdel.vmerr"
fi

# A crash under recording: the recorded continue stops at it as without
# recording, and the history leads back to the instructions before it.
name="triple.elf with --record: the crash stops the continue; reverse-stepi goes to the instruction before it"
if gdb_case "$name"; then
	script_rev revcrash <<-'EOF'
	resume()
	stop = events.stop
	expect(stop is not None and stop[0] == "signal" and stop[1] in ("SIGSEGV", "SIGILL"),
	       "the crash stopped the recorded continue (%r)" % (stop,))
	crash_pc = pc()
	# The instruction before the crashing one, from gdb's disassembler.
	arch, at, before = gdb.selected_frame().architecture(), address_of("pm32"), None
	while at < crash_pc:
	    before, at = at, at + arch.disassemble(at)[0]["length"]
	expect_eq("the crash is at an instruction of pm32", at, crash_pc)
	resume("reverse-stepi")
	expect_pc(before, "reverse-stepi from the crash")
	resume("stepi")
	expect_pc(crash_pc, "stepi (replay) back to the crash")
	resume()
	expect_stop("signal", stop[1])
	expect_pc(crash_pc, "continue: the same crash again")
	passed()
	EOF
	vm_session revcrash '8|10|22' --record -S guests/triple.elf -- rclient revcrash guests/triple.elf
	vm_verdict "$name" "$TMP/revcrash.out" "$TMP/revcrash.vmerr"
fi

# ------------------------------------------------------------- LLDB --

# docs/gdb.md: LLDB 14 has no reverse execution; a newer LLDB's
# "process continue --reverse" sends bc.  Test whichever this LLDB is.
: "${LLDB:=lldb}"
name="LLDB and reverse execution over gdb-remote"
if ! have_kvm; then
	skip "$name" "$KVM_SKIP_REASON"
elif ! command -v "$LLDB" >/dev/null; then
	skip "$name" "no lldb on this machine"
elif timeout 30 "$LLDB" -b -o 'help process continue' </dev/null 2>&1 | grep -q -- '--reverse'; then
	PROBLEMS=()
	vm_start lldbrev --record -S $TRACE
	if [ -n "$PORT" ]; then
		timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -o "gdb-remote 127.0.0.1:$PORT" \
			-o "breakpoint set -a $REV_pass" -o 'process continue' -o 'process continue' \
			-o 'process continue --reverse' -o 'register read cx' -o 'process kill' \
			</dev/null >"$TMP/lldbrev.out" 2>&1 || PROBLEMS+=("lldb failed")
		grep -Eq "cx = 0x0*$(printf %x "$REV_passes")\b" "$TMP/lldbrev.out" ||
			PROBLEMS+=("process continue --reverse did not come back to the first hit")
	else
		PROBLEMS+=("no port from gdbvm")
		kill "$VM_PID" 2>/dev/null
	fi
	vm_wait
	vm_verdict "$name: process continue --reverse to the previous hit" "$TMP/lldbrev.out" "$TMP/lldbrev.vmerr"
else
	# As documented: this LLDB has no reverse command at all (process
	# continue and thread step-inst take no --reverse), so nothing reaches
	# gdbvm; stepping forward with recording on still works.
	PROBLEMS=()
	ver=$("$LLDB" --version 2>/dev/null | head -1)
	timeout 30 "$LLDB" -b -o 'help thread step-inst' </dev/null 2>&1 | grep -q -- '--reverse' &&
		PROBLEMS+=("thread step-inst offers --reverse, but process continue does not")
	vm_start lldbrev --record -S $TRACE
	if [ -n "$PORT" ]; then
		timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -x -o 'settings set auto-confirm true' \
			-o "gdb-remote 127.0.0.1:$PORT" -o 'thread step-inst' -o 'thread step-inst' \
			-o 'register read eip' -o 'process kill' </dev/null >"$TMP/lldbrev.out" 2>&1 ||
			PROBLEMS+=("lldb exited with $?")
		# Two steps from start: past xor ax,ax (2 bytes) and mov ds,ax (2 bytes).
		grep -Eq "eip = 0x0*$(printf %x $((REV_start + 4)))\b" "$TMP/lldbrev.out" ||
			PROBLEMS+=("two steps did not reach start + 4")
	else
		PROBLEMS+=("no port from gdbvm")
		kill "$VM_PID" 2>/dev/null
	fi
	vm_wait
	[ "$VM_STATUS" = 22 ] || PROBLEMS+=("gdbvm exited with $VM_STATUS after process kill, expected 22")
	vm_verdict "$name: $ver has no reverse command (as docs/gdb.md says); forward steps with --record work" \
		"$TMP/lldbrev.out" "$TMP/lldbrev.vmerr"
fi

finish
