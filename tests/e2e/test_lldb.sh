#!/bin/bash
# test_lldb.sh - drive gdbvm's GDB remote stub with LLDB (gdb-remote):
# registers, memory, stepping, breakpoints, watchpoints, interrupt, detach
# and reconnect, kill, and the guest's exit status.  Each test starts
# "gdbvm -g 127.0.0.1:0 -S ..." (port read from its stderr) and runs one or
# more "lldb -b" sessions against it: lldb's batch mode stops at the first
# command that fails, so a session that ran to its end exits 0.  The checks
# are on lldb's output (each command's section of it), on the guest's
# output and on gdbvm's exit status; the tests that must branch or wait
# (hardware breakpoints, read watchpoints, interrupt) run a Python script
# inside lldb (helpers below) that prints "lldbtest: PASS" at its end.
# Disassembly per CPU mode (16-bit code by the code16 triple) and mode
# switches are tested in test_modes_gdb.sh.  Needs /dev/kvm and an lldb with Python:
# without them every test here reports itself skipped.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

: "${LLDB:=lldb}"

lldb_skip_reason=
if ! have_kvm; then
	lldb_skip_reason=$KVM_SKIP_REASON
elif ! command -v "$LLDB" >/dev/null; then
	lldb_skip_reason="no lldb on this machine"
elif ! timeout 30 "$LLDB" -b -x -o 'script print("py" + "ok")' </dev/null 2>/dev/null |
	grep -qx pyok; then
	lldb_skip_reason="$LLDB has no Python support"
fi

# lldb_case NAME: true when the test can run; otherwise reports the skip.
lldb_case() {
	[ -z "$lldb_skip_reason" ] && return 0
	skip "$1" "$lldb_skip_reason"
	return 1
}

# Python helpers for the scripts run inside lldb ("command script import").
# A failed check raises, which fails the import command and so ends the
# batch session (lldb exits 1); every check prints one "lldbtest:" line.
cat >"$TMP/lldb_helpers.py" <<'EOF'
import os
import re
import sys
import time

import lldb

PASS_MARKER = "lldbtest: PASS"


def say(text):
    print("lldbtest: " + text)
    sys.stdout.flush()


class Failure(Exception):
    pass


def fail(text):
    say("FAIL: " + text)
    raise Failure(text)


def expect(cond, text):
    if not cond:
        fail(text)
    say("ok: " + text)


def expect_eq(what, got, want):
    show = lambda v: "%#x" % v if isinstance(v, int) else repr(v)
    if got != want:
        fail("%s is %s, expected %s" % (what, show(got), show(want)))
    say("ok: %s == %s" % (what, show(want)))


def debugger():
    return lldb.debugger


def target():
    return lldb.debugger.GetSelectedTarget()


def process():
    return target().GetProcess()


def thread():
    return process().GetSelectedThread()


def cmd(line, must=True):
    """Run an lldb command, echo it and its output; (succeeded, text)."""
    ro = lldb.SBCommandReturnObject()
    lldb.debugger.GetCommandInterpreter().HandleCommand(line, ro)
    text = (ro.GetOutput() or "") + (ro.GetError() or "")
    print("lldbtest$ " + line)
    print(text.rstrip("\n"))
    sys.stdout.flush()
    if must and not ro.Succeeded():
        fail("command failed: %s" % line)
    return ro.Succeeded(), text


def reg(name):
    r = thread().GetFrameAtIndex(0).FindRegister(name)
    if not r.IsValid():
        fail("no register %s" % name)
    return r.GetValueAsUnsigned()


def pc():
    return reg("pc")


def expect_pc(want, what="pc"):
    expect_eq(what, pc(), want)


def expect_reg(name, want):
    expect_eq(name, reg(name), want)


def mem(addr, size):
    err = lldb.SBError()
    data = process().ReadMemory(addr, size, err)
    if not err.Success():
        fail("reading %d bytes at %#x: %s" % (size, addr, err))
    return data


def expect_mem(addr, want):
    expect_eq("memory at %#x" % addr, mem(addr, len(want)), want)


def state_name(state):
    return lldb.SBDebugger.StateAsCString(state)


def expect_stopped(reason, what):
    st = process().GetState()
    if st != lldb.eStateStopped:
        fail("%s: process %s, expected stopped" % (what, state_name(st)))
    got = thread().GetStopReason()
    expect_eq("stop reason (%s)" % what, got, reason)


def expect_exited(status):
    """Continue; the guest must run to its end with this exit status."""
    cmd("continue")
    st = process().GetState()
    if st != lldb.eStateExited:
        fail("after continue the process is %s, expected exited" % state_name(st))
    expect_eq("exit status", process().GetExitStatus(), status)


def wait_state(want, what, limit=15.0):
    end = time.time() + limit
    while time.time() < end:
        if process().GetState() == want:
            say("ok: %s (%s)" % (what, state_name(want)))
            return
        time.sleep(0.02)
    fail("%s: still %s after %gs" % (what, state_name(process().GetState()), limit))


def wait_output(line, limit=15.0):
    """Wait until the guest's output (gdbvm's stdout) holds this line."""
    path = os.environ["LLDBTEST_VMOUT"]
    end = time.time() + limit
    while time.time() < end:
        with open(path) as f:
            if line in f.read().splitlines():
                say("ok: the guest printed %r" % line)
                return
        time.sleep(0.02)
    fail("the guest did not print %r within %gs" % (line, limit))


def host_support():
    """gdbvm's "monitor host": which debug-register breakpoints the host
    delivers.  The output comes as console text ('O' packets), which LLDB
    prints before the packet and its response (OK)."""
    ok, text = cmd("process plugin packet monitor host")
    m = re.search(r"(?s)^(.*)  packet: qRcmd,[0-9a-f]+\nresponse: OK\n", text)
    if not m:
        fail("monitor host: no text output before the packet, or no OK: %r" % text)
    reply = m.group(1)
    got = {}
    for kind in ("exec", "data"):
        m = re.search(r"debug-register %s breakpoints delivered: (yes|no)" % kind, reply)
        if not m:
            fail("monitor host does not say whether %s breakpoints are delivered" % kind)
        got[kind] = m.group(1) == "yes"
    say("host delivers exec breakpoints: %s, data breakpoints: %s" % (got["exec"], got["data"]))
    return got


def passed():
    print(PASS_MARKER)
    sys.stdout.flush()
EOF

# script NAME: write stdin, after the helpers' import, to $TMP/lt_NAME.py.
script() {
	{
		printf 'import sys\nsys.path.insert(0, %s)\nfrom lldb_helpers import *\n' "'$TMP'"
		cat
	} >"$TMP/lt_$1.py"
}

# session VM SESSION CMD...: run "lldb -b" connected to the gdbvm of
# vm_start VM, with one -o per CMD, leaving $TMP/SESSION.out (stdout and
# stderr), $TMP/SESSION.rc (lldb's exit status) and the packet log
# $TMP/SESSION.packets.  Scripts of "script" are at $TMP/lt_NAME.py.
session() {
	local vm=$1 name=$2 c args=()
	shift 2
	for c in "$@"; do args+=(-o "$c"); done
	if [ -z "$PORT" ]; then
		echo "no port from gdbvm: lldb not run" >"$TMP/$name.out"
		echo 125 >"$TMP/$name.rc"
		return
	fi
	LLDBTEST_VMOUT=$TMP/$vm.vmout timeout -k 5 "$RUN_LIMIT" "$LLDB" -b -x \
		-o "settings set auto-confirm true" \
		-o "log enable gdb-remote packets -f $TMP/$name.packets" \
		-o "gdb-remote 127.0.0.1:$PORT" "${args[@]}" </dev/null >"$TMP/$name.out" 2>&1
	echo $? >"$TMP/$name.rc"
}

# section CMD FILE...: what lldb printed for the first "(lldb) CMD" in the
# files: the lines after its echo up to the next command's echo.
section() {
	local c=$1
	shift
	cat "$@" | awk -v c="(lldb) $c" 'f && /^\(lldb\) / { exit } f { print } $0 == c { f = 1 }'
}

# packets FILE: a packet log without the register-description chatter.
packets() {
	# shellcheck disable=SC2016  # the $ are literal packet text
	grep -o 'send packet: \$[^#]*\|read packet: \$[^#]*' "$1" 2>/dev/null |
		grep -v 'qRegisterInfo\|read packet: \$name:' | cut -c1-160 | tail -n 30
}

# diag VM SESSION...: the outputs of a failed test.
diag() {
	local vm=$1 s
	shift
	for s in "$@"; do
		echo "--- lldb session $s (exit status $(cat "$TMP/$s.rc" 2>/dev/null)), last 60 lines:"
		tail -n 60 "$TMP/$s.out" 2>/dev/null
		echo "--- $s packets (last 30):"
		packets "$TMP/$s.packets"
	done
	echo "--- gdbvm stdout:"
	head -n 20 "$TMP/$vm.vmout" 2>/dev/null
	echo "--- gdbvm stderr:"
	head -n 20 "$TMP/$vm.vmerr" 2>/dev/null
}

# verdict NAME VM STATUS_REGEX SESSION... -- SPEC...: one TAP line.  gdbvm
# (vm_start VM, waited for) must have exited with a status matching
# STATUS_REGEX (whole) and every lldb session with 0 (all its commands
# succeeded).  SPECs, on the sessions' joined output unless said:
#   out:REGEX         a line matches
#   not:REGEX         no line matches
#   cmd:CMD::REGEX    a line of CMD's section (see section) matches
#   vm:REGEX          a line of the guest's output matches
#   vmnot:REGEX       no line of the guest's output matches
#   pass              a script printed "lldbtest: PASS"
verdict() {
	local name=$1 vm=$2 want=$3 problems=() sessions=() files=() s spec rc c re
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		sessions+=("$1")
		files+=("$TMP/$1.out")
		shift
	done
	shift
	[[ $VM_STATUS =~ ^($want)$ ]] || problems+=("gdbvm exited with $VM_STATUS, expected $want")
	for s in "${sessions[@]}"; do
		rc=$(cat "$TMP/$s.rc" 2>/dev/null)
		[ "$rc" = 0 ] || problems+=("lldb session $s exited with ${rc:-?}, expected 0 (every command succeeded)")
	done
	for spec in "$@"; do
		case $spec in
		out:*) cat "${files[@]}" | grep -Eq -- "${spec#out:}" ||
			problems+=("no lldb output line matches: ${spec#out:}") ;;
		not:*) ! cat "${files[@]}" | grep -Eq -- "${spec#not:}" ||
			problems+=("an lldb output line matches what must not appear: ${spec#not:}") ;;
		cmd:*)
			c=${spec#cmd:}
			re=${c#*::}
			c=${c%%::*}
			section "$c" "${files[@]}" | grep -Eq -- "$re" ||
				problems+=("no line of what lldb printed for '$c' matches: $re")
			;;
		vm:*) grep -Eq -- "${spec#vm:}" "$TMP/$vm.vmout" ||
			problems+=("no line of the guest's output matches: ${spec#vm:}") ;;
		vmnot:*) ! grep -Eq -- "${spec#vmnot:}" "$TMP/$vm.vmout" ||
			problems+=("a line of the guest's output matches what must not appear: ${spec#vmnot:}") ;;
		pass) cat "${files[@]}" | grep -qx 'lldbtest: PASS' ||
			problems+=("the lldb script did not reach its end (no 'lldbtest: PASS')") ;;
		esac
	done
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name" "${problems[@]}" "$(diag "$vm" "${sessions[@]}")"
	fi
}

# ---------------------------------------------------------------- tests --

# 1. Connecting: the state at the entry point.
name="lldb: connect to the demo: eax = ebx = 2, eip = 0x1000, segment registers 0"
if lldb_case "$name"; then
	vm_start connect -S
	session connect connect "register read" "process kill"
	vm_wait
	verdict "$name" connect 22 connect -- \
		'out:stop reason = signal SIGTRAP' 'out:frame #0: 0x00001000$' \
		'cmd:register read::^ +eax = 0x00000002$' \
		'cmd:register read::^ +ebx = 0x00000002$' \
		'cmd:register read::^ +eip = 0x00001000$' \
		'cmd:register read::^ +cs = 0x00000000$' \
		'cmd:register read::^ +ss = 0x00000000$' \
		'cmd:register read::^ +ds = 0x00000000$' \
		'cmd:register read::^ +es = 0x00000000$' \
		'cmd:register read::^ +fs = 0x00000000$' \
		'cmd:register read::^ +gs = 0x00000000$' \
		'cmd:process kill::exited with status = 9'
fi

name="lldb: add.bin at 07c0:0000: pc is linear (0x7c00), cs = 0x07c0"
if lldb_case "$name"; then
	vm_start connect2 -S -l 0x7c00 -e 07c0:0000 guests/add.bin
	session connect2 connect2 "register read pc cs" "process kill"
	vm_wait
	verdict "$name" connect2 22 connect2 -- \
		'out:frame #0: 0x00007c00$' \
		'cmd:register read pc cs::^ +eip = 0x00007c00$' \
		'cmd:register read pc cs::^ +cs = 0x000007c0$'
fi

# 2. A register written by lldb is what the guest runs with.
name="lldb: register write eax 5, continue: the demo prints 7, exit status 0"
if lldb_case "$name"; then
	vm_start regwrite -S
	session regwrite regwrite "register write eax 5" "register read eax ebx" "continue"
	vm_wait
	verdict "$name" regwrite 0 regwrite -- \
		'cmd:register read eax ebx::^ +eax = 0x00000005$' \
		'cmd:register read eax ebx::^ +ebx = 0x00000002$' \
		'cmd:continue::^Process 1 exited with status = 0 \(0x00000000\)' \
		'vm:^7$' 'vmnot:^4$'
fi

# 3. Memory: read the demo's code, patch its immediate.
name="lldb: memory read the demo's code, memory write add al,'1': prints 5"
if lldb_case "$name"; then
	vm_start memory -S
	session memory memory "memory read 0x1000 -c 5" "memory write 0x1006 0x31" \
		"memory read 0x1005 -c 2" "process plugin packet send m1005,2" "continue"
	vm_wait
	verdict "$name" memory 0 memory -- \
		'cmd:memory read 0x1000 -c 5::^0x00001000: ba f8 03 00 d8 ' \
		'cmd:memory read 0x1005 -c 2::^0x00001005: 04 31 ' \
		'cmd:process plugin packet send m1005,2::^response: 0431$' \
		'cmd:continue::^Process 1 exited with status = 0 \(0x00000000\)' \
		'vm:^5$' 'vmnot:^4$'
fi

# 4. Single steps.
name="lldb: si 3 times on the demo: pc 0x1007, eax = 0x34, nothing printed yet"
if lldb_case "$name"; then
	vm_start stepi -S
	session stepi stepi "si" "si" "si" "register read pc eax edx" "process kill"
	vm_wait
	verdict "$name" stepi 22 stepi -- \
		'out:stop reason = instruction step into' \
		'cmd:register read pc eax edx::^ +eip = 0x00001007$' \
		'cmd:register read pc eax edx::^ +eax = 0x00000034$' \
		'cmd:register read pc eax edx::^ +edx = 0x000003f8$' \
		'vmnot:.'
fi

# 5. Software breakpoints (planted HLT) at a linear address, CS = 07c0.
name="lldb: CS = 07c0: breakpoint at 0x7c07 hits, memory shows the original byte, continue past it"
if lldb_case "$name"; then
	vm_start swbreak -S -l 0x7c00 -e 07c0:0000 guests/add.bin
	session swbreak swbreak "breakpoint set -a 0x7c07" "continue" "register read pc cs eax" \
		"memory read 0x7c07 -c 1" "process plugin packet send m7c07,1" "continue"
	vm_wait
	verdict "$name" swbreak 0 swbreak -- \
		'cmd:breakpoint set -a 0x7c07::^Breakpoint 1: address = 0x00007c07$' \
		'cmd:continue::stop reason = breakpoint 1\.1$' \
		'cmd:continue::frame #0: 0x00007c07$' \
		'cmd:register read pc cs eax::^ +eip = 0x00007c07$' \
		'cmd:register read pc cs eax::^ +cs = 0x000007c0$' \
		'cmd:register read pc cs eax::^ +eax = 0x00000002$' \
		'cmd:memory read 0x7c07 -c 1::^0x00007c07: 00 ' \
		'cmd:process plugin packet send m7c07,1::^response: 00$' \
		'out:^Process 1 exited with status = 0 \(0x00000000\)' \
		'vm:^4$'
fi

# 6. Hardware breakpoints: where the host delivers debug-register exec
# breakpoints they hit; elsewhere the Z1 is refused and lldb says it could
# not set the breakpoint site, and the session goes on unharmed.
name="lldb: breakpoint -H: hits where the host delivers it, else fails cleanly"
if lldb_case "$name"; then
	script hbreak <<-'EOF'
	host = host_support()
	ok, text = cmd("breakpoint set -a 0x1007 -H")
	bp = target().FindBreakpointByID(1)
	expect(bp.IsValid() and bp.IsHardware(), "breakpoint 1 is a hardware breakpoint")
	if host["exec"]:
	    expect_eq("resolved locations", bp.GetNumResolvedLocations(), 1)
	    cmd("continue")
	    expect_stopped(lldb.eStopReasonBreakpoint, "at the hardware breakpoint")
	    expect_pc(0x1007)
	    expect_reg("al", 0x34)
	    expect_eq("hit count", bp.GetHitCount(), 1)
	    cmd("breakpoint delete 1")
	    expect_exited(0)
	    print("lldbtest: branch yes")
	else:
	    say("host delivers no exec breakpoints: expecting lldb to fail to set the site")
	    expect_eq("resolved locations", bp.GetNumResolvedLocations(), 0)
	    expect_pc(0x1000, "pc after the refused breakpoint")
	    cmd("si")
	    expect_pc(0x1003, "pc after si (mov dx)")
	    # Nothing of the refused breakpoint is left planted: the guest runs
	    # through 0x1007 to its end.
	    expect_exited(0)
	    print("lldbtest: branch no")
	passed()
	EOF
	vm_start hbreak -S
	session hbreak hbreak "command script import $TMP/lt_hbreak.py"
	vm_wait
	if grep -qx 'lldbtest: branch no' "$TMP/hbreak.out"; then
		verdict "$name (here: not delivered, fails cleanly)" hbreak 0 hbreak -- pass \
			'out:failed to set breakpoint site at 0x1007' 'not:stop reason = breakpoint' \
			'vm:^4$'
	else
		verdict "$name (here: delivered, hits)" hbreak 0 hbreak -- pass \
			'out:stop reason = breakpoint 1\.1' 'vm:^4$'
	fi
fi

# 7. Write watchpoints (read-only memory slot): they work on every host.
name="lldb: write watchpoint on watch.bin: stops after the byte store (0x1011), then the word store"
if lldb_case "$name"; then
	vm_start watch -S guests/watch.bin
	session watch watch "watchpoint set expression -w write -s 1 -- 0x2000" \
		"continue" "register read pc" "memory read 0x2000 -c 1" "memory read 0x2008 -c 1" \
		"process continue" "register read eip" "watchpoint delete 1" "thread continue"
	vm_wait
	verdict "$name" watch 0 watch -- \
		'cmd:watchpoint set expression -w write -s 1 -- 0x2000::^Watchpoint created: Watchpoint 1: addr = 0x00002000 size = 1 state = enabled type = w$' \
		'cmd:continue::stop reason = watchpoint 1$' \
		'cmd:continue::^new value: 66$' \
		'cmd:register read pc::^ +eip = 0x00001011$' \
		'cmd:memory read 0x2000 -c 1::^0x00002000: 42 ' \
		'cmd:memory read 0x2008 -c 1::^0x00002008: 11 ' \
		'cmd:process continue::stop reason = watchpoint 1$' \
		'cmd:register read eip::^ +eip = 0x00001018$' \
		'cmd:thread continue::^Process 1 exited with status = 0 \(0x00000000\)' \
		'vm:^w$'
fi

# Read and access watchpoints: data debug registers where the host delivers
# them; elsewhere the Z3/Z4 is refused and lldb cannot create one.
for kind in read read_write; do
	name="lldb: watchpoint -w $kind: hits where the host delivers it, else fails cleanly"
	if lldb_case "$name"; then
		script "watch_$kind" <<-EOF
		kind = "$kind"
		EOF
		cat >>"$TMP/lt_watch_$kind.py" <<-'EOF'
		host = host_support()
		ok, text = cmd("watchpoint set expression -w %s -s 1 -- 0x2000" % kind, must=False)
		if host["data"]:
		    expect(ok, "the %s watchpoint was created" % kind)
		    cmd("continue")
		    expect_stopped(lldb.eStopReasonWatchpoint, "at the %s watchpoint" % kind)
		    if kind == "read":
		        # x86 has no read-only data breakpoints: the stores may stop
		        # too; the load of VAR into AL (0x1027) is the read.
		        expect(pc() in (0x1011, 0x1018, 0x1021, 0x1023, 0x102a),
		               "pc %#x is after an access to 0x2000" % pc())
		    else:
		        expect_pc(0x1011, "pc after the byte store")
		        expect_mem(0x2000, b"\x42")
		    cmd("watchpoint delete")
		    expect_exited(0)
		    print("lldbtest: branch yes")
		else:
		    say("host delivers no data breakpoints: expecting lldb to fail to create it")
		    expect(not ok, "watchpoint set -w %s failed" % kind)
		    expect(re.search(r"Watchpoint creation failed", text), "lldb says: Watchpoint creation failed")
		    expect_eq("watchpoints", target().GetNumWatchpoints(), 0)
		    expect_pc(0x1000, "pc after the refused watchpoint")
		    cmd("si")
		    expect_pc(0x1002, "pc after si (mov ds,ax)")
		    # A write watchpoint still works after the refused one.
		    cmd("watchpoint set expression -w write -s 1 -- 0x2000")
		    cmd("continue")
		    expect_stopped(lldb.eStopReasonWatchpoint, "at the write watchpoint")
		    expect_pc(0x1011, "pc after the byte store")
		    cmd("watchpoint delete")
		    expect_exited(0)
		    print("lldbtest: branch no")
		passed()
		EOF
		vm_start "watch_$kind" -S guests/watch.bin
		session "watch_$kind" "watch_$kind" "command script import $TMP/lt_watch_$kind.py"
		vm_wait
		if grep -qx 'lldbtest: branch no' "$TMP/watch_$kind.out"; then
			verdict "$name (here: not delivered, fails cleanly)" "watch_$kind" 0 "watch_$kind" -- \
				pass 'vm:^w$'
		else
			verdict "$name (here: delivered, hits)" "watch_$kind" 0 "watch_$kind" -- \
				pass 'vm:^w$'
		fi
	fi
done

# 8. Interrupting a running guest: lldb in asynchronous mode continues,
# waits for the guest to reach its loop, and runs "process interrupt".
name="lldb: process interrupt on a spinning guest: SIGINT inside the loop, CX counting"
if lldb_case "$name"; then
	script interrupt <<-'EOF'
	dbg = debugger()
	dbg.SetAsync(True)
	try:
	    err = process().Continue()
	    expect(err.Success(), "process continue (asynchronous)")
	    wait_state(lldb.eStateRunning, "the guest runs")
	    wait_output("spinning")
	    cmd("process interrupt")
	    wait_state(lldb.eStateStopped, "the guest stopped")
	finally:
	    dbg.SetAsync(False)
	expect_stopped(lldb.eStopReasonSignal, "after process interrupt")
	expect_eq("signal", thread().GetStopReasonDataAtIndex(0), 2)
	expect(pc() in (0x100e, 0x100f), "stopped inside the spin loop (pc %#x)" % pc())
	# One pass of the loop: inc cx, jmp.
	if pc() == 0x100f:
	    cmd("si")
	    expect_pc(0x100e, "pc after si (jmp .spin)")
	cx = reg("cx")
	say("cx = %#x" % cx)
	cmd("si")
	expect_pc(0x100f, "pc after si (inc cx)")
	expect_reg("cx", (cx + 1) & 0xffff)
	cmd("si")
	expect_pc(0x100e, "pc after si (jmp .spin)")
	passed()
	EOF
	vm_start interrupt -S guests/spin.bin
	session interrupt interrupt "command script import $TMP/lt_interrupt.py" "process kill"
	vm_wait
	verdict "$name" interrupt 22 interrupt -- pass 'out:stop reason = signal SIGINT' \
		'cmd:process kill::exited with status = 9' 'vm:^spinning$'
fi

# 9. Detach: the guest runs on; a second lldb connects (which stops it)
# and kills it.
name="lldb: process detach, guest runs on, a second lldb connects, process kill: gdbvm exits 22"
if lldb_case "$name"; then
	vm_start detach -S guests/spin.bin
	session detach detach1 "breakpoint set -a 0x100e" "si" "register read pc" "process detach"
	session detach detach2 "register read eip" "breakpoint list" "process kill"
	vm_wait
	verdict "$name" detach 22 detach1 detach2 -- \
		'cmd:register read pc::^ +eip = 0x00001003$' \
		'cmd:process detach::^Process 1 detached$' \
		'out:frame #0: 0x0000100[ef]$' \
		'cmd:register read eip::^ +eip = 0x0000100[ef]$' \
		'cmd:breakpoint list::^No breakpoints currently set\.$' \
		'cmd:process kill::^Process 1 exited with status = 9 ' \
		'vm:^spinning$'
fi

# 10. The guest's exit port status reaches lldb and gdbvm's exit status.
name="lldb: exit.bin with BL=3: lldb sees exit status 7, gdbvm exits 7"
if lldb_case "$name"; then
	vm_start exitcode -S --reg bl=3 guests/exit.bin
	session exitcode exitcode "register read bl" "continue"
	vm_wait
	verdict "$name" exitcode 7 exitcode -- \
		'cmd:register read bl::^ +bl = 0x03$' \
		'cmd:continue::^Process 1 exited with status = 7 \(0x00000007\)' \
		'vm:^x$' 'vmnot:!'
fi

# 14. Monitor commands: their output arrives as console text ('O'
# packets), which LLDB prints as text, not as a reply of hex digits.
name="lldb: process plugin packet monitor help / unknown: text output, response OK"
if lldb_case "$name"; then
	vm_start monitor -S guests/spin.bin
	session monitor monitor "process plugin packet monitor help" \
		"process plugin packet monitor frobnicate" "process kill"
	vm_wait
	verdict "$name" monitor 22 monitor -- \
		'cmd:process plugin packet monitor help::^monitor regs +special registers' \
		'cmd:process plugin packet monitor help::^response: OK$' \
		'cmd:process plugin packet monitor frobnicate::^unknown monitor command; try "monitor help"$' \
		'not:response: [0-9a-f]{16}'
fi

# 15. "process interrupt" on a stopped target: LLDB 14 refuses it itself
# ("Process is not running.": its Process::Halt checks its own state
# before sending anything), so there is nothing for the stub to answer.
# In an "lldb -b" command list the failed command ends the session, and
# LLDB kills the VM as it quits.  A script that checks the
# state first (or tolerates the error) goes on, and can detach: the guest
# then runs to its end.
name="lldb: process interrupt while stopped: refused by LLDB itself; a script goes on, detaches"
if lldb_case "$name"; then
	script stopped_interrupt <<-'EOF'
	expect_eq("state before", process().GetState(), lldb.eStateStopped)
	ok, text = cmd("process interrupt", must=False)
	expect(not ok and "Process is not running" in text, "LLDB refuses the interrupt itself")
	if process().GetState() == lldb.eStateRunning:
	    cmd("process interrupt")
	expect_pc(0x1000, "pc unchanged")
	passed()
	EOF
	vm_start stopped_interrupt -S guests/hello.bin
	session stopped_interrupt stopped_interrupt \
		"command script import $TMP/lt_stopped_interrupt.py" "process detach"
	vm_wait
	verdict "$name" stopped_interrupt 0 stopped_interrupt -- pass 'vm:^Hello, world!$'
fi

finish
