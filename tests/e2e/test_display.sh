#!/bin/bash
# test_display.sh - --display as a person sees it: gdbvm runs in a tmux
# pane (100x30) with the boot sectors of guests/display/, and the test reads
# the pane (capture-pane, with -e for colours), types keys (send-keys), and
# checks that every way out (the quit key, the guest's end, --timeout,
# SIGTERM, SIGHUP, a fatal signal) leaves the normal screen and a sane
# terminal (stty: echo and icanon on) behind.  Each wait polls the pane
# until what it waits for shows, with a deadline.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

echo "TAP version 13"

if ! command -v tmux >/dev/null; then
	skip "--display in tmux" "tmux is not installed (tests/install-deps.sh)"
	exit 0
fi
if ! have_kvm; then
	skip "--display in tmux" "$KVM_SKIP_REASON"
	exit 0
fi

# A tmux server of our own: nothing of the user's is touched.
TMUX_SOCK="gdbvm-display-$$"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
GDBVM_ABS=$(cd "$(dirname "$GDBVM")" && pwd)/$(basename "$GDBVM")

# start NAME ENV ARGS...: run "gdbvm --display ARGS" in a new 100x30
# session NAME with environment ENV ("" for none); its pid goes to
# $TMP/NAME.pid, and when it ends the pane shows STATUS=N and the
# terminal's settings, and tmux's channel NAME is signalled.
start() {
	local name=$1 env=$2
	shift 2
	cat >"$TMP/$name.sh" <<EOF
cd '$PWD'
sh -c 'echo \$\$ >"$TMP/$name.pid"; exec env $env "\$@"' gdbvm '$GDBVM_ABS' --display $*
echo "STATUS=\$?"
stty -a | tr '\n' ' '; echo
echo END
tmux -L '$TMUX_SOCK' wait-for -S '$name'
exec cat
EOF
	rm -f "$TMP/$name.pid"
	tm new-session -d -s "$name" -x 100 -y 30 "bash $TMP/$name.sh"
}

# wait_pane NAME TEXT [SECONDS]: poll the pane until it shows TEXT.
wait_pane() {
	local deadline=$((SECONDS + ${3:-20}))
	while [ $SECONDS -lt $deadline ]; do
		tm capture-pane -p -t "$1" 2>/dev/null | grep -aqF -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

# wait_colours NAME TEXT: poll the pane's last row, with its colours,
# until it shows TEXT.
wait_colours() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		tm capture-pane -p -e -t "$1" 2>/dev/null | sed -n 30p | grep -aqF -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

# wait_end NAME: wait (bounded) until gdbvm in NAME has ended and the
# pane printed its status.
wait_end() {
	timeout 25 tmux -L "$TMUX_SOCK" wait-for "$1" && wait_pane "$1" END 5
}

pane() { tm capture-pane -p -t "$1"; }
pane_colours() { tm capture-pane -p -e -t "$1"; }

# check_restored NAME STATUS WHAT [printed]: after the end, the pane is the
# normal screen (no guest text left, unless gdbvm printed it: --screen),
# the status is STATUS, echo and icanon are on.
check_restored() {
	local name=$1 want=$2 what=$3 text problems=()
	text=$(pane "$name")
	grep -q "STATUS=$want\$" <<<"$text" || problems+=("no STATUS=$want")
	[ "${4:-}" != printed ] && grep -q 'DIRECT' <<<"$text" &&
		problems+=("the guest's screen is still shown")
	grep -qE '(^| )-echo( |$)' <<<"$text" && problems+=("echo is off")
	grep -qE '(^| )-icanon( |$)' <<<"$text" && problems+=("icanon is off")
	grep -qE '(^| )-isig( |$)' <<<"$text" && problems+=("isig is off")
	grep -qE '(^| )echo( |$)' <<<"$text" || problems+=("no stty output")
	if [ ${#problems[@]} -eq 0 ]; then ok "$what"; else not_ok "$what" "${problems[@]}" "$text"; fi
}

TEXT="--boot guests/display/text.img"

# ---- text: INT 10h and 0xB8000, at their places and in their colours
start text "" $TEXT
if wait_pane text DIRECT; then
	text=$(pane text)
	row2=$(sed -n 2p <<<"$text")
	row4=$(sed -n 4p <<<"$text")
	[ "$row2" = "    INT 10h title" ] && ok "text: INT 10h AH=13h's string at row 1, column 4" ||
		not_ok "text: INT 10h AH=13h's string at row 1, column 4" "row 2: '$row2'"
	[ "$row4" = "          DIRECT*─" ] &&
		ok "text: words stored at 0xB8000 at row 3, column 10, CP437 C4h as ─" ||
		not_ok "text: words stored at 0xB8000 at row 3, column 10, CP437 C4h as ─" "row 4: '$row4'"
	colours=$(pane_colours text)
	# tmux writes each colour as its own sequence.
	grep -q $'\e\\[97m\e\\[41mINT 10h title' <<<"$colours" &&
		ok "text: attribute 4Fh is bright white on red" ||
		not_ok "text: attribute 4Fh is bright white on red" "$(sed -n 2p <<<"$colours" | cat -v)"
	grep -q $'\e\\[93m\e\\[44mDIRECT' <<<"$colours" &&
		ok "text: attribute 1Eh is yellow on blue" ||
		not_ok "text: attribute 1Eh is yellow on blue" "$(sed -n 4p <<<"$colours" | cat -v)"
	grep -q $'\e\\[31m\e\\[101m\\*' <<<"$colours" &&
		ok "text: the blink bit (attribute C4h) is a bright red background" ||
		not_ok "text: the blink bit (attribute C4h) is a bright red background" \
			"$(sed -n 4p <<<"$colours" | cat -v)"
	grep -qF "STATUS=" <<<"$text" && not_ok "text: gdbvm still runs" "$text" ||
		ok "text: gdbvm still runs, waiting for keys"
else
	not_ok "text: the guest's screen appears" "$(pane text)"
fi

# Keys reach the guest; Ctrl-C is a key, not a signal.
tm send-keys -t text a
if wait_pane text "1e61=a"; then ok "keys: 'a' reaches INT 16h (1E61h)"; else
	not_ok "keys: 'a' reaches INT 16h (1E61h)" "$(pane text)"; fi
tm send-keys -t text C-c
if wait_pane text "2e03=♥"; then ok "keys: Ctrl-C reaches the guest as a key (2E03h)"; else
	not_ok "keys: Ctrl-C reaches the guest as a key (2E03h)" "$(pane text)"; fi
[ "$(pane text | sed -n 7p | cut -c1-4)" = "1e61" ] &&
	ok "keys: the echo is at the guest's cursor (row 6)" ||
	not_ok "keys: the echo is at the guest's cursor (row 6)" "$(pane text)"
tm send-keys -t text Enter
if wait_pane text "1c0d="; then ok "keys: Enter is 1C0Dh (the guest echoes its CR)"; else
	not_ok "keys: Enter is 1C0Dh (the guest echoes its CR)" "$(pane text)"; fi

# The quit key.
tm send-keys -t text C-]
if wait_end text; then
	check_restored text 32 "quit key: Ctrl-] ends gdbvm with status 32, the terminal restored"
	text=$(pane text)
	grep -q '^gdbvm: quit from the display (Ctrl-\]) at ' <<<"$text" &&
		ok "quit key: the report is on the normal screen" ||
		not_ok "quit key: the report is on the normal screen" "$text"
	# (the guest's CR from the Enter key's echo put a blank over the I)
	grep -q '^.NT 10h title1e61=a' <<<"$text" &&
		ok "quit key: the guest's serial output is printed after the display closes" ||
		not_ok "quit key: the guest's serial output is printed after the display closes" "$text"
else
	not_ok "quit key: Ctrl-] ends gdbvm" "$(pane text)"
fi

# A guest that stops reading keys: the BIOS's buffer and gdbvm's queue
# fill, and the quit key typed after many more keys still quits.
start stall "" --boot guests/display/stall.img
if wait_pane stall READY; then
	tm send-keys -t stall a
	if wait_pane stall STALLED; then
		for i in 1 2 3 4 5 6; do tm send-keys -t stall -l "abcdefghijklmnopqrstuvwxyz0123456789"; done
		tm send-keys -t stall C-]
		if wait_end stall; then
			check_restored stall 32 "a guest that stopped reading keys: 216 keys later Ctrl-] still quits"
		else
			not_ok "a guest that stopped reading keys: 216 keys later Ctrl-] still quits" "$(pane stall)"
		fi
	else
		not_ok "a guest that stopped reading keys: its first key arrives" "$(pane stall)"
	fi
else
	not_ok "a guest that stopped reading keys: it starts" "$(pane stall)"
fi

# The guest's own end: 'q' makes it halt; --screen prints after.
start halt "" $TEXT --screen=plain
wait_pane halt DIRECT
tm send-keys -t halt q
if wait_end halt; then
	check_restored halt 0 "guest ends (HLT): status 0, the terminal restored" printed
	text=$(pane halt)
	grep -A4 '^-- screen: mode 03h, 80x25 text ---' <<<"$text" | grep -q '^          DIRECT\*' &&
		ok "guest ends: --screen's dump is printed on the normal screen after the display" ||
		not_ok "guest ends: --screen's dump is printed on the normal screen after the display" "$text"
else
	not_ok "guest ends (HLT)" "$(pane halt)"
fi

# --timeout.
start timeout "" $TEXT -t 1
if wait_end timeout; then
	check_restored timeout 16 "--timeout: status 16, the terminal restored"
	pane timeout | grep -q '^gdbvm: guest still running after 1 seconds' &&
		ok "--timeout: its report is on the normal screen" ||
		not_ok "--timeout: its report is on the normal screen" "$(pane timeout)"
else
	not_ok "--timeout ends gdbvm" "$(pane timeout)"
fi

# Signals sent by another process.
for sig in TERM INT HUP QUIT SEGV ABRT; do
	case $sig in
	TERM | INT) want=18 ;;
	HUP) want=129 ;;
	QUIT) want=131 ;;
	*) want='[0-9][0-9]*' ;;	# a sanitizer's handler may end it its own way
	esac
	name=sig$sig
	start "$name" "" $TEXT
	if ! wait_pane "$name" DIRECT; then
		not_ok "SIG$sig: the display starts" "$(pane "$name")"
		continue
	fi
	kill -s "$sig" "$(cat "$TMP/$name.pid")"
	if wait_end "$name"; then
		check_restored "$name" "$want" "SIG$sig from another process: the terminal restored"
	else
		not_ok "SIG$sig from another process ends gdbvm" "$(pane "$name")"
	fi
done
pane sigTERM | grep -q '^gdbvm: stopped by SIGTERM at ' &&
	ok "SIGTERM: the report is on the normal screen" ||
	not_ok "SIGTERM: the report is on the normal screen" "$(pane sigTERM)"
pane sigHUP | grep -q '^INT 10h title' &&
	ok "SIGHUP: the output kept while the display was on is printed" ||
	not_ok "SIGHUP: the output kept while the display was on is printed" "$(pane sigHUP)"

# ---- gdb's kill: a protocol client continues the guest (-S: the display
# starts then), interrupts it once the screen shows, and kills it.
cat >"$TMP/kill.py" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
def send(body):
    s.sendall(b"$" + body + b"#%02x" % (sum(body) % 256))
def read_until(mark):
    buf = b""
    while mark not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    return buf
send(b"c")
sys.stdin.readline()
s.sendall(b"\x03")
read_until(b"#")
s.sendall(b"+")
send(b"k")
read_until(b"never: until gdbvm closes the connection")
EOF
start gdbkill "" -S -g 127.0.0.1:0 $TEXT
if wait_pane gdbkill "waiting for gdb on"; then
	port=$(pane gdbkill | sed -n 's/^gdbvm: waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p')
	rm -f "$TMP/go"
	mkfifo "$TMP/go"
	timeout 30 python3 "$TMP/kill.py" "$port" <"$TMP/go" >"$TMP/kill.out" 2>&1 &
	exec 4>"$TMP/go"
	if wait_pane gdbkill DIRECT; then
		echo go >&4
		if wait_end gdbkill; then
			check_restored gdbkill 22 "gdb's kill: status 22, the terminal restored"
		else
			not_ok "gdb's kill ends gdbvm" "$(pane gdbkill)" "$(cat "$TMP/kill.out")"
		fi
	else
		not_ok "gdb's continue: the display starts" "$(pane gdbkill)" "$(cat "$TMP/kill.out")"
	fi
	exec 4>&-
	wait
else
	not_ok "--display -S -g: gdbvm says its port first" "$(pane gdbkill)"
fi

# ---- a guest that never exits: drawn by the display's own timer
start spin "" -l 0x7c00 guests/display/spin.img
if wait_pane spin SPINNING; then
	row11=$(pane spin | sed -n 11p)
	[ "${row11:0:28}" = "                    SPINNING" ] &&
		ok "no exits: a flat guest's words at 0xB8000 are shown (row 10, column 20)" ||
		not_ok "no exits: a flat guest's words at 0xB8000 are shown (row 10, column 20)" "'$row11'"
	pane_colours spin | sed -n 11p | grep -q $'\e\\[97m\e\\[42mSPINNING' &&
		ok "no exits: attribute 2Fh is white on green" ||
		not_ok "no exits: attribute 2Fh is white on green" "$(pane_colours spin | sed -n 11p | cat -v)"
	first=$(pane spin | sed -n 11p)
	deadline=$((SECONDS + 10))
	while [ $SECONDS -lt $deadline ] && [ "$(pane spin | sed -n 11p)" = "$first" ]; do
		sleep 0.05
	done
	[ "$(pane spin | sed -n 11p)" != "$first" ] &&
		ok "no exits: the cell the guest keeps changing is redrawn" ||
		not_ok "no exits: the cell the guest keeps changing is redrawn" "stays '$first'"
else
	not_ok "no exits: a flat guest's words at 0xB8000 are shown" "$(pane spin)"
fi
# No keyboard reader: Ctrl-C is still gdbvm's SIGINT.
tm send-keys -t spin C-c
if wait_end spin; then
	check_restored spin 18 "no keyboard reader: Ctrl-C stops gdbvm (status 18), the terminal restored"
	pane spin | grep -q '^gdbvm: stopped by SIGINT at 0000:7c' &&
		ok "no keyboard reader: the SIGINT report is on the normal screen" ||
		not_ok "no keyboard reader: the SIGINT report is on the normal screen" "$(pane spin)"
else
	not_ok "no keyboard reader: Ctrl-C stops gdbvm" "$(pane spin)"
fi

# ---- mode 13h in half blocks
# first_row_blocks: how many U+2580 the first line of stdin has.
first_row_blocks() { head -1 | grep -o '▀' | wc -l; }
start gfx "COLORTERM=truecolor" --boot guests/display/gfx13.img
# The picture is complete once its last row has the yellow quarter.
if wait_pane gfx '▀' && wait_colours gfx '38;2;255;255;0'; then
	colours=$(pane_colours gfx)
	top=$(head -1 <<<"$colours")
	bottom=$(sed -n 30p <<<"$colours")
	grep -q $'^\e\\[38;2;170;0;0m\e\\[48;2;170;0;0m▀' <<<"$top" &&
		ok "mode 13h: the top left is colour 4 (AAh 00h 00h) in 24-bit colour" ||
		not_ok "mode 13h: the top left is colour 4 (AAh 00h 00h) in 24-bit colour" "$(cat -v <<<"$top" | cut -c1-200)"
	grep -q $'\e\\[38;2;0;0;170m\e\\[48;2;0;0;170m▀' <<<"$top" &&
		ok "mode 13h: the top right is colour 1 (00h 00h AAh)" ||
		not_ok "mode 13h: the top right is colour 1 (00h 00h AAh)" "$(cat -v <<<"$top" | cut -c1-200)"
	grep -q $'\e\\[38;2;255;255;0m\e\\[48;2;255;255;0m▀' <<<"$bottom" &&
		ok "mode 13h: the bottom right is the DAC entry set to (63, 63, 0)" ||
		not_ok "mode 13h: the bottom right is the DAC entry set to (63, 63, 0)" "$(cat -v <<<"$bottom" | cut -c1-200)"
	n=$(pane gfx | first_row_blocks)
	[ "$n" -eq 80 ] && ok "mode 13h: 4:3 in a 100x30 terminal is 80 columns wide" ||
		not_ok "mode 13h: 4:3 in a 100x30 terminal is 80 columns wide" "$n columns"
	tm resize-window -t gfx -x 60 -y 30
	deadline=$((SECONDS + 10))
	while [ $SECONDS -lt $deadline ] && [ "$(pane gfx | first_row_blocks)" -ne 60 ]; do
		sleep 0.05
	done
	n=$(pane gfx | first_row_blocks)
	[ "$n" -eq 60 ] && ok "mode 13h: redrawn to fit when the terminal shrinks (SIGWINCH)" ||
		not_ok "mode 13h: redrawn to fit when the terminal shrinks (SIGWINCH)" "$n columns"
else
	not_ok "mode 13h: half blocks appear" "$(pane gfx)"
fi
tm send-keys -t gfx q
wait_end gfx || not_ok "mode 13h: 'q' ends the guest" "$(pane gfx)"

start gfx256 "COLORTERM=" --boot guests/display/gfx13.img
if wait_pane gfx256 '▀' && wait_colours gfx256 '38;5;226'; then
	top=$(pane_colours gfx256 | head -1)
	grep -q $'^\e\\[38;5;124m\e\\[48;5;124m▀' <<<"$top" &&
		grep -q $'\e\\[38;5;19m\e\\[48;5;19m▀' <<<"$top" &&
		ok "mode 13h without COLORTERM: the 256-colour palette (124 red, 19 blue)" ||
		not_ok "mode 13h without COLORTERM: the 256-colour palette (124 red, 19 blue)" \
			"$(cat -v <<<"$top" | cut -c1-200)"
else
	not_ok "mode 13h without COLORTERM: half blocks appear" "$(pane gfx256)"
fi
tm send-keys -t gfx256 q
wait_end gfx256 || not_ok "mode 13h (256 colours): 'q' ends the guest" "$(pane gfx256)"

# ---- outside a terminal
run --display --boot guests/display/text.img
check "--display with stdout not a terminal: refused" 2 "" \
	"$(lit "gdbvm: --display: stdout is not a terminal")"

echo "1..$TEST_N"
[ "$TEST_FAILED" -eq 0 ]
