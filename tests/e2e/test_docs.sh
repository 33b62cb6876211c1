#!/bin/bash
# test_docs.sh - run every example in README.md and docs/*.md and compare
# the output the docs show with the real output: shell commands, gdb and
# LLDB sessions against a gdbvm started on a free port (the docs say :1234).
# The extraction, the conventions and how to mark a block that cannot run
# are in tests/e2e/README.md; the work is done by docs_examples.py.
# Blocks marked to skip, and gdb or LLDB sessions on a machine without
# them, report themselves skipped with the reason.
cd "$(dirname "$0")/../.." || exit 1
: "${GDBVM:=./gdbvm}"
if ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP no python3 on this machine"
	exit 0
fi
DOCS_TEST_PATH=$PATH GDBVM=$GDBVM exec python3 tests/e2e/docs_examples.py "$@"
