# rsp_lib.sh - running the project's own protocol client,
# tests/e2e/rsp_client.py, from the end-to-end tests (sourced after
# lib.sh): skip detection and turning its result lines into TAP lines.

PYTHON=${PYTHON:-python3}
[ -x /usr/bin/python3 ] && [ "$PYTHON" = python3 ] && PYTHON=/usr/bin/python3

rsp_skip_reason=
if ! have_kvm; then
	rsp_skip_reason=$KVM_SKIP_REASON
elif ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 6))' 2>/dev/null; then
	rsp_skip_reason="no python3 (3.6 or later) on this machine"
fi

# rsp_case NAME: true when the client can run; otherwise reports the skip.
rsp_case() {
	[ -z "$rsp_skip_reason" ] && return 0
	skip "$1" "$rsp_skip_reason"
	return 1
}

# rsp_run LIMIT SUITE ARGS...: run rsp_client.py SUITE ARGS (bounded by
# LIMIT seconds); its result lines become TAP lines, its stderr goes to
# $TMP/SUITE.client.err.  RSP_DONE is set when the client reached its end.
rsp_run() {
	local limit=$1 suite=$2 line diags=()
	shift 2
	RSP_DONE=
	while IFS= read -r line; do
		case $line in
		rsp:ok:*) ok "${line#rsp:ok:}"; diags=() ;;
		rsp:diag:*) diags+=("${line#rsp:diag:}") ;;
		rsp:fail:*) not_ok "${line#rsp:fail:}" "${diags[@]}"; diags=() ;;
		rsp:note:*) echo "# ${line#rsp:note:}" ;;
		rsp:done:*) RSP_DONE=1 ;;
		*) echo "# client: $line" ;;
		esac
	done < <(timeout -k 5 "$limit" "$PYTHON" tests/e2e/rsp_client.py "$suite" "$@" \
		2>"$TMP/$suite.client.err")
}
