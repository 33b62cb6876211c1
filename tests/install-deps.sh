#!/bin/sh
# install-deps.sh - install the tools the tests need (nasm) when missing,
# through apt-get on Debian and Ubuntu.  Does nothing when all are present.
set -e
missing=""
command -v nasm >/dev/null 2>&1 || missing="$missing nasm"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "gdbvm: please install:$missing (no apt-get here)" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "gdbvm: please install:$missing (needs root)" >&2
	exit 1
fi
echo "gdbvm: installing:$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
