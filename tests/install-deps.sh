#!/bin/sh
# install-deps.sh - install what is missing through apt-get on Debian and
# Ubuntu.  "install-deps.sh build": only what building needs (nasm, for the
# built-in BIOS and the guests, and binutils).  With no argument, also the
# test tools: gdb (gdb tests), lldb (LLDB tests), valgrind (memcheck
# tests), python3 (the protocol client, the docs' examples), tmux (--display's
# tests), lcov (genhtml, for --coverage's tests).  Also repairs
# Debian 12's lldb 14 packaging, whose "lldb -P" names a Python directory
# that does not exist (LLDB then prints a traceback at every start).
# Does nothing when all is in place.
set -e
missing=""
command -v nasm >/dev/null 2>&1 || missing="$missing nasm"
command -v ld >/dev/null 2>&1 || missing="$missing binutils"
if [ "${1:-}" != build ]; then
command -v gdb >/dev/null 2>&1 || missing="$missing gdb"
command -v lldb >/dev/null 2>&1 || missing="$missing lldb"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v genhtml >/dev/null 2>&1 || missing="$missing lcov"
if command -v lldb >/dev/null 2>&1 && [ -d /usr/lib/llvm-14 ] &&
   ! dpkg-query -W -f='${Status}' python3-lldb-14 2>/dev/null | grep -q ' installed$'; then
	missing="$missing python3-lldb-14"
fi
case $missing in *lldb*) missing="$missing python3-lldb-14" ;; esac
fi

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else echo "gdbvm: please run as root: $*" >&2; return 1
	fi
}

if [ -n "$missing" ]; then
	# "make -j" can start several of these at once: one apt-get at a time,
	# and what the first one installed is not installed again.
	if command -v flock >/dev/null 2>&1 && [ -z "${GDBVM_DEPS_LOCKED:-}" ]; then
		GDBVM_DEPS_LOCKED=1 exec flock "${TMPDIR:-/tmp}/gdbvm-install-deps.lock" "$0" "$@"
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "gdbvm: please install:$missing (no apt-get here)" >&2
		exit 1
	fi
	echo "gdbvm: installing:$missing" >&2
	as_root apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# lldb 14 on Debian 12: link the directory "lldb -P" expects to the real one.
if command -v lldb >/dev/null 2>&1; then
	want=$(lldb -P 2>/dev/null | tail -1)
	for real in /usr/lib/llvm-14/lib/python3*/dist-packages; do
		if [ -n "$want" ] && [ ! -e "$want/lldb/embedded_interpreter.py" ] &&
		   [ -e "$real/lldb/embedded_interpreter.py" ]; then
			as_root mkdir -p "$(dirname "$want")"
			as_root ln -sfn "$real" "$want"
		fi
	done
fi
exit 0
