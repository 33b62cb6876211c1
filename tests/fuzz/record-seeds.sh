#!/bin/bash
# record-seeds.sh - (re)make the fuzzing seed corpus: real gdb and LLDB
# sessions against the toy machine, served by the real stub through
# record_server, which records what the debugger sends; then a few
# hand-written streams for what sessions rarely send (LLDB packets, NAKs,
# bad checksums, an oversized packet, binary X data, Ctrl-C).
#
#   tests/fuzz/record-seeds.sh RECORD_SERVER CORPUS_DIR    (make fuzz-seeds)
#
# Writes CORPUS_DIR/gdb-*, lldb-* and hand-*; other files are left alone.
# LOGS=DIR keeps each debugger's output there as NAME.log.
set -euo pipefail

rec=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# Start record_server for one session; sets $port and $rec_pid.
start_recorder() {
	: >"$tmp/port"
	"$rec" 0 "$tmp/session" >"$tmp/port" 2>"$tmp/rec.err" &
	rec_pid=$!
	for _ in $(seq 100); do
		[ -s "$tmp/port" ] && break
		sleep 0.05
	done
	port=$(cat "$tmp/port")
	[ -n "$port" ] || { cat "$tmp/rec.err" >&2; exit 1; }
}

finish_recorder() {
	local name=$1
	wait "$rec_pid" || { echo "record_server failed for $name" >&2; cat "$tmp/rec.err" >&2; }
	cp "$tmp/session" "$out/$name"
	[ -z "${LOGS:-}" ] || cp "$tmp/log" "$LOGS/$name.log"
	printf '%-24s %6d bytes\n' "$name" "$(stat -c %s "$out/$name")"
}

# gdb_session NAME GDB-COMMAND...  (a command starting with '!' runs, without
# the '!', before gdb connects; CTRL_C=SECONDS interrupts gdb that much later)
gdb_session() {
	local name=$1 pre=() args=()
	shift
	for c in "$@"; do
		if [ "${c:0:1}" = '!' ]; then
			pre+=(-ex "${c:1}")
		else
			args+=(-ex "$c")
		fi
	done
	start_recorder
	timeout 60 gdb -batch -nx "${pre[@]}" -ex "target remote 127.0.0.1:$port" \
		"${args[@]}" >"$tmp/log" 2>&1 &
	if [ -n "${CTRL_C:-}" ]; then	# Ctrl-C after this many seconds
		sleep "$CTRL_C"
		kill -INT $! 2>/dev/null || true
	fi
	wait $! || true
	finish_recorder "gdb-$name"
}

# lldb_session NAME LLDB-COMMAND...
lldb_session() {
	local name=$1 args=()
	shift
	for c in "$@"; do
		args+=(-o "$c")
	done
	start_recorder
	timeout 60 lldb -b -o "gdb-remote 127.0.0.1:$port" "${args[@]}" \
		>"$tmp/log" 2>&1 || true
	finish_recorder "lldb-$name"
}

gdb_session regs 'info registers' 'p $eax' 'p/x $eflags' 'set $eax = 0x1234' \
	'set $ecx = 0xffff' 'set $eflags = 0x202' 'info registers eax ecx eip' \
	'info all-registers' 'set $st0 = 1.5' 'p $st0' 'detach'
gdb_session memory 'x/16xb 0x1000' 'x/4xw 0x1000' 'x/s 0x2010' \
	'set var *(char *)0x2000 = 5' 'set {int}0x3000 = 0x11223344' 'x/2xw 0x3000' \
	"dump binary memory $tmp/dump.bin 0x1000 0x1020" \
	"restore $tmp/dump.bin binary 0x4000" 'x/8xb 0x4000' 'x/4xb 0xfffe' \
	'x/4xb 0x20000' 'set {char}0x20000 = 1' 'detach'
gdb_session step 'stepi' 'stepi' 'x/3i $pc' 'stepi 4' 'nexti' 'info registers eip ecx' \
	'kill'
gdb_session break 'break *0x1004' 'hbreak *0x100a' 'continue' 'info registers ecx' \
	'continue' 'delete 1' 'continue' 'tbreak *0x100e' 'continue' 'info breakpoints' \
	'kill'
gdb_session watch 'watch *(char *)0x2000' 'rwatch *(char *)0x2000' \
	'awatch *(short *)0x2000' 'continue' 'continue' 'delete' 'watch *(int *)0x2000' \
	'stepi 6' 'continue' 'kill'
gdb_session exit 'continue' 'continue'
CTRL_C=1 gdb_session interrupt 'set $pc = 0x1010' 'continue' 'info registers eip' 'stepi' \
	'x/2xb $pc' 'kill'
gdb_session crash 'set $pc = 0x1012' 'continue' 'info registers eip' 'x/2xb $pc' 'kill'
gdb_session acks '!set remote noack-packet off' 'info registers eip' 'stepi' \
	'x/4xb 0x1000' 'break *0x100a' 'continue' 'detach'
gdb_session monitor 'monitor help' 'monitor regs' 'monitor long' 'monitor fail' \
	'monitor no such command' 'monitor reset' 'info registers eip' 'monitor quit'
gdb_session signal 'signal 0' 'jump *0x1000' 'queue-signal SIGUSR1' 'stepi' \
	'info threads' 'thread 1' 'kill'
gdb_session reverse 'stepi' 'stepi' 'reverse-stepi' 'reverse-stepi' 'reverse-stepi' \
	'break *0x1005' 'continue' 'continue' 'reverse-continue' 'reverse-continue' 'delete' \
	'watch *(char *)0x2000' 'continue' 'reverse-continue' 'monitor record off' \
	'reverse-stepi' 'reverse-continue' 'kill'

lldb_session basic 'register read' 'memory read 0x1000' 'si' 'register write eax 0x42' \
	'register read eax eip' 'kill'
lldb_session break 'breakpoint set -a 0x100a' 'c' 'watchpoint set expression -w write -- 0x2000' \
	'c' 'memory write 0x2000 0x11' 'kill'

# ---- hand-written streams ----

# pkt PAYLOAD: the framed packet (ASCII payload).
pkt() {
	local p=$1 sum=0 c i
	for ((i = 0; i < ${#p}; i++)); do
		printf -v c '%d' "'${p:i:1}"
		sum=$(((sum + c) & 255))
	done
	printf '$%s#%02x' "$p" "$sum"
}

hand() {
	printf '%s' "$2" >"$out/hand-$1"
	printf '%-24s %6d bytes\n' "hand-$1" "$(stat -c %s "$out/hand-$1")"
}

hand lldb "+$(pkt QStartNoAckMode)+$(pkt qHostInfo)$(pkt qProcessInfo)$(pkt QThreadSuffixSupported)$(pkt QListThreadsInStopReply)$(pkt qRegisterInfo0)$(pkt qRegisterInfo8)$(pkt qRegisterInfo10)$(pkt qRegisterInfo2f)$(pkt 'p0;thread:1;')$(pkt 'P0=78563412;thread:1;')$(pkt 'g;thread:0001;')$(pkt 'qWatchpointSupportInfo:')$(pkt '?')$(pkt 'vCont;s:1')$(pkt k)"
hand threads "$(pkt 'Hg1')$(pkt 'Hc-1')$(pkt 'Hgp1.1')$(pkt 'Hg2')$(pkt 'T1')$(pkt 'Tp1.-1')$(pkt 'T5')$(pkt qC)$(pkt 'vCont?')$(pkt 'vCont;c:2;s:1')$(pkt 'vCont;C05:p1.1')$(pkt 'vCont;x')"
hand xfer-threads "$(pkt 'qXfer:threads:read::0,fff')$(pkt 'qXfer:threads:read::10,8')$(pkt 'qXfer:threads:read::ffff,1')$(pkt 'qXfer:threads:read:x:0,1')"
hand acks "$(pkt '?')-$(pkt 'g')\$g#00+-\$m1000,4#zz$(pkt 'm1000,4')junk+++$(pkt 'qSupported')"
hand regs "$(pkt "G$(printf '%0352d' 0)")$(pkt 'P8=00100000')$(pkt 'P10=00000000000000000080ff3f')$(pkt 'P1f=1')$(pkt 'P20=00000000')$(pkt 'pffffffffffffffffff')$(pkt 'p1f')$(pkt 'g')"
hand memory "$(pkt 'M2000,4:deadbeef')$(pkt 'm2000,4')$(pkt 'mffff,2')$(pkt 'mffffffffffffffff,2')$(pkt 'm0,2001')$(pkt 'M10000,1:00')$(pkt 'M2000,3:00')$(pkt 'qXfer:features:read:target.xml:0,ffff')$(pkt 'qXfer:features:read:target.xml:fff,10')$(pkt 'qXfer:features:read:other.xml:0,10')"
# X with bytes that must be escaped: } # $ * as }] }\x03 }\x04 }\x0a
hand binary "$(pkt 'X2000,0:')$(printf '$X2000,4:}]}\x03}\x04}\x0a#')$(printf '%s' 'X2000,4:}]}'$'\x03''}'$'\x04''}'$'\x0a' | od -An -tu1 | tr -s ' ' '\n' | awk 'NF{s+=$1} END{printf "%02x", s%256}')$(pkt 'm2000,4')"
hand breakpoints "$(pkt 'Z0,1004,1')$(pkt 'Z1,1007,1')$(pkt 'Z2,2000,4')$(pkt 'Z3,2000,1')$(pkt 'Z4,2001,2')$(pkt 'Z5,0,1')$(pkt 'Z0,ffffffffffffffff,2')$(pkt 'Z0,1004,1;X3,220c')$(pkt 'c')$(pkt 'z0,1004,1')$(pkt 'z1,1007,1')$(pkt 'c1008')$(pkt 'z9,0,0')$(pkt 'C05;1000')$(pkt 'S0b')"
hand interrupt "$(pkt 'P8=10100000')$(pkt 'c')$(pkt '?')$(pkt 'g')"$'\x03'"$(pkt '?')$(pkt 'D')$(pkt '?')$(pkt 'qAttached')$(pkt 'qRcmd,68656c70')"
hand monitor "$(pkt 'qRcmd,6c6f6e67')$(pkt 'qRcmd,')$(pkt 'qRcmd,6')$(pkt 'qRcmd,00')$(pkt 'qRcmd,71756974')"
# "monitor faulty": the target's register operations and resume fail
hand faults "$(pkt 'qRcmd,6661756c7479')$(pkt 'g')$(pkt 'p8')$(pkt 'P8=00100000')$(pkt "G$(printf '%0352d' 0)")$(pkt '?')$(pkt 'c')$(pkt 's')$(pkt 'D')$(pkt 'qRcmd,6661756c7479')$(pkt 'P8=feff0000')$(pkt 's')$(pkt 's')$(pkt 'P8=00000100')$(pkt 'c')$(pkt 'M1000,2:0f00')$(pkt 's1000')"
hand toolong "$(pkt "m$(printf '%016384d' 0)")$(pkt 'qC')"
