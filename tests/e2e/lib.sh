# lib.sh - helpers for gdbvm's end-to-end tests (sourced, POSIX-ish bash).
#
# Each check prints one TAP line: "ok N - name", "not ok N - name" (with
# "# " diagnostics), or "ok N - name # SKIP reason".  GDBVM names the binary
# under test; tests run from the repository root.

: "${GDBVM:=./gdbvm}"
TEST_N=0
TEST_FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gdbvm-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Every run is bounded so a hung guest fails its test instead of the suite.
RUN_LIMIT=${RUN_LIMIT:-30}

have_kvm() { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }
KVM_SKIP_REASON="no usable /dev/kvm on this machine"

ok() { TEST_N=$((TEST_N + 1)); echo "ok $TEST_N - $1"; }
skip() { TEST_N=$((TEST_N + 1)); echo "ok $TEST_N - $1 # SKIP $2"; }
not_ok() {
	TEST_N=$((TEST_N + 1)); TEST_FAILED=$((TEST_FAILED + 1))
	echo "not ok $TEST_N - $1"
	shift
	for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}

# run [--stdin FILE] ARGS...: run $GDBVM, leaving $TMP/out, $TMP/err, $STATUS.
run() {
	local input=/dev/null
	if [ "$1" = "--stdin" ]; then input=$2; shift 2; fi
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
}

# check NAME STATUS STDOUT STDERR_REGEX: compare the last run.  STDOUT is
# compared byte for byte (printf %b escapes allowed); STDERR_REGEX must
# match the whole of stderr (grep -E on the joined text); "" means empty.
check() {
	local name=$1 want_status=$2 want_out=$3 want_err=$4 problems=()
	printf '%b' "$want_out" >"$TMP/want_out"
	[ "$STATUS" = "$want_status" ] || problems+=("exit status $STATUS, expected $want_status")
	cmp -s "$TMP/out" "$TMP/want_out" ||
		problems+=("stdout: $(od -An -c "$TMP/out" | head -5 | tr -s ' ')" \
			   "expected: $(od -An -c "$TMP/want_out" | head -5 | tr -s ' ')")
	if [ -z "$want_err" ]; then
		[ -s "$TMP/err" ] && problems+=("stderr not empty: $(head -5 "$TMP/err")")
	else
		tr '\n' '\001' <"$TMP/err" | sed 's/\x01$//' | grep -Eq "^($want_err)\$" ||
			problems+=("stderr: $(cat "$TMP/err")" "expected to match: $want_err")
	fi
	if [ ${#problems[@]} -eq 0 ]; then ok "$name"; else not_ok "$name" "${problems[@]}"; fi
}

# A regex matching the given text literally.
lit() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

# vm_start NAME ARGS...: start "gdbvm -g 127.0.0.1:0 ARGS" in the
# background (bounded by timeout), read the port it listens on from the
# first line of its stderr; the rest of stderr goes on to $TMP/NAME.vmerr,
# stdout to $TMP/NAME.vmout through a pipe (so gdbvm writes the guest's
# output line by line, not when it exits as into a regular file); stdin is
# $VM_STDIN (default /dev/null).  Sets VM_PID, VM_CAT, VM_OUTCAT and PORT
# (empty when gdbvm did not say).
vm_start() {
	local name=$1 line=
	shift
	rm -f "$TMP/$name.fifo" "$TMP/$name.outfifo"
	mkfifo "$TMP/$name.fifo" "$TMP/$name.outfifo"
	cat <"$TMP/$name.outfifo" >"$TMP/$name.vmout" &
	VM_OUTCAT=$!
	timeout -k 5 "$RUN_LIMIT" "$GDBVM" -g 127.0.0.1:0 "$@" <"${VM_STDIN:-/dev/null}" \
		>"$TMP/$name.outfifo" 2>"$TMP/$name.fifo" &
	VM_PID=$!
	exec 3<"$TMP/$name.fifo"
	read -r -t 20 line <&3
	printf '%s\n' "$line" >"$TMP/$name.vmerr"
	cat <&3 >>"$TMP/$name.vmerr" &
	VM_CAT=$!
	exec 3<&-
	PORT=$(sed -n 's/^gdbvm: waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' <<<"$line")
}

# child_pid PID: the pid of PID's (first) child, e.g. of gdbvm under the
# timeout(1) whose pid vm_start gives as VM_PID.  Signal gdbvm by this pid
# to reach gdbvm alone: timeout(1) passes a signal on to its whole group.
child_pid() {
	local kids
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
	echo "${kids%% *}"
}

# vm_wait: wait for the gdbvm of vm_start; sets VM_STATUS.
vm_wait() {
	wait "$VM_PID"
	VM_STATUS=$?
	wait "$VM_CAT" "$VM_OUTCAT"
}

# vm_session NAME STATUS_REGEX [GDBVM_ARGS...] -- COMMAND... [-- COMMAND...]:
# the usual session in one call.  Starts "gdbvm -g 127.0.0.1:0 GDBVM_ARGS"
# (vm_start NAME), runs each COMMAND (words up to the next --) in turn once
# gdbvm has given its port ($PORT), waits for gdbvm (vm_wait) and checks
# that its exit status matches STATUS_REGEX (whole).  What went wrong goes
# into the array PROBLEMS, which starts empty; the commands add their own
# failures there (client_passes does), and so may more checks after the
# call.  Without a port no command runs and gdbvm is stopped.  vm_verdict
# then prints the TAP line.
vm_session() {
	local name=$1 want=$2 args=() cmd=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	PROBLEMS=()
	vm_start "$name" "${args[@]}"
	if [ -z "$PORT" ]; then
		PROBLEMS+=("no port from gdbvm")
		kill "$VM_PID" 2>/dev/null
	else
		while [ $# -gt 0 ]; do
			shift	# the --
			cmd=()
			while [ $# -gt 0 ] && [ "$1" != -- ]; do cmd+=("$1"); shift; done
			[ ${#cmd[@]} -eq 0 ] || "${cmd[@]}"
		done
	fi
	vm_wait
	[[ $VM_STATUS =~ ^($want)$ ]] || PROBLEMS+=("gdbvm exited with $VM_STATUS, expected $want")
}

# vm_verdict NAME [FILE...]: "ok NAME" when PROBLEMS is empty, else
# "not ok NAME" with each problem and the last 40 lines of each FILE.
vm_verdict() {
	local name=$1 f tails=()
	shift
	if [ ${#PROBLEMS[@]} -eq 0 ]; then
		ok "$name"
		return
	fi
	for f in "$@"; do
		tails+=("--- ${f##*/} (last 40 lines):" "$(tail -n 40 "$f" 2>/dev/null)")
	done
	not_ok "$name" "${PROBLEMS[@]}" "${tails[@]}"
}

finish() {
	echo "1..$TEST_N"
	[ "$TEST_FAILED" -eq 0 ]
}

# kvm_case NAME: true when the case can run (KVM is there); otherwise
# reports NAME as skipped, with the reason.
kvm_case() {
	have_kvm && return 0
	skip "$1" "$KVM_SKIP_REASON"
	return 1
}
