# gdb_lib.sh - plumbing shared by the end-to-end tests that drive a real gdb
# (sourced after lib.sh): skip detection, writing a gdb Python script (with
# tests/e2e/gdb_helpers.py imported), running it through --gdb-batch or a
# plain gdb client, and judging its output.

: "${GDB:=gdb}"
HELPERS_DIR=$PWD/tests/e2e

gdb_skip_reason=
if ! have_kvm; then
	gdb_skip_reason=$KVM_SKIP_REASON
elif ! command -v "$GDB" >/dev/null; then
	gdb_skip_reason="no gdb on this machine"
elif ! timeout 30 "$GDB" -batch -nx -ex 'python print("py" + "ok")' 2>/dev/null | grep -qx pyok; then
	gdb_skip_reason="$GDB has no Python support"
fi

# gdb_case NAME: true when the test can run; otherwise reports the skip.
gdb_case() {
	[ -z "$gdb_skip_reason" ] && return 0
	skip "$1" "$gdb_skip_reason"
	return 1
}

# script NAME: write stdin, after the helpers' import, to $TMP/NAME.py.
script() {
	{
		printf 'import sys\nsys.path.insert(0, %s)\nfrom gdb_helpers import *\n' \
			"'$HELPERS_DIR'"
		cat
	} >"$TMP/$1.py"
}

# batch NAME [GDBVM ARGS...]: gdbvm --gdb-batch $TMP/NAME.py ARGS, leaving
# $TMP/NAME.out, $TMP/NAME.err and $STATUS.
batch() {
	local name=$1
	shift
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" --gdb-program "$GDB" --gdb-batch "$TMP/$name.py" "$@" \
		</dev/null >"$TMP/$name.out" 2>"$TMP/$name.err"
	STATUS=$?
}

# diag FILE...: the last lines of each file, for a failure's diagnostics.
diag() {
	local f
	for f in "$@"; do
		echo "--- ${f##*/} (last 40 lines):"
		tail -n 40 "$f" 2>/dev/null
	done
}

# verdict NAME STATUS_REGEX FILES -- [out:REGEX | err:REGEX | not:REGEX]...:
# the last run's $STATUS must match STATUS_REGEX (whole), the joined output
# files must hold the PASS marker, and every out:/err: regex must match a
# line of the script's stdout (first file) / of any file; not: must match
# no line of any file.  Prints one TAP line.
verdict() {
	local name=$1 want=$2 problems=() files=() spec
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
	shift
	[[ $STATUS =~ ^($want)$ ]] || problems+=("exit status $STATUS, expected $want")
	grep -qx 'gdbtest: PASS' "${files[0]}" ||
		problems+=("the gdb script did not reach its end (no 'gdbtest: PASS' in ${files[0]##*/})")
	for spec in "$@"; do
		case $spec in
		out:*) grep -Eq -- "${spec#out:}" "${files[0]}" ||
			problems+=("stdout has no line matching: ${spec#out:}") ;;
		err:*) cat "${files[@]}" | grep -Eq -- "${spec#err:}" ||
			problems+=("no output line matches: ${spec#err:}") ;;
		not:*) ! cat "${files[@]}" | grep -Eq -- "${spec#not:}" ||
			problems+=("an output line matches what must not appear: ${spec#not:}") ;;
		esac
	done
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name" "${problems[@]}" "$(diag "${files[@]}")"
	fi
}

# check_batch NAME STATUS_REGEX SCRIPT [SPEC...]: verdict on batch SCRIPT.
check_batch() {
	local name=$1 want=$2 s=$3
	shift 3
	verdict "$name" "$want" "$TMP/$s.out" "$TMP/$s.err" -- "$@"
}

# client NAME: run gdb -batch with $TMP/NAME.py against 127.0.0.1:$PORT,
# leaving $TMP/NAME.out (stdout and stderr) and CLIENT_STATUS.
client() {
	local name=$1
	GDBTEST_PORT=$PORT GDBTEST_GDB=$GDB timeout -k 5 "$RUN_LIMIT" "$GDB" -batch -nx \
		-ex 'set pagination off' -ex 'set confirm off' \
		-ex "target remote 127.0.0.1:$PORT" -x "$TMP/$name.py" </dev/null >"$TMP/$name.out" 2>&1
	CLIENT_STATUS=$?
}

# client_passes NAME: client NAME, as a vm_session COMMAND: gdb must exit
# with 0 and the script reach its end, or PROBLEMS says so.
client_passes() {
	client "$1"
	[ "$CLIENT_STATUS" = 0 ] || PROBLEMS+=("gdb ($1.py) exited with $CLIENT_STATUS, expected 0")
	grep -qx 'gdbtest: PASS' "$TMP/$1.out" ||
		PROBLEMS+=("the gdb script $1.py did not reach its end (no 'gdbtest: PASS')")
}
