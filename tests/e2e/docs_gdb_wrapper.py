# docs_gdb_wrapper.py - sourced into gdb by docs_examples.py: runs the docs'
# gdb commands one by one (from the JSON list in $DOCS_TEST_CMDS) as if
# typed, between marker lines, so the test can cut gdb's output into each
# command's part and tell a command that failed from one that printed.
import json
import os

import gdb

with open(os.environ["DOCS_TEST_CMDS"]) as _f:
    _DOCS_TEST_CMDS = json.load(_f)


def docs_test_run(i):
    gdb.write("@@docs-test:begin %d\n" % i, gdb.STDOUT)
    gdb.flush()
    try:
        gdb.execute(_DOCS_TEST_CMDS[i], from_tty=True)
    except gdb.error as e:
        gdb.flush()
        gdb.write("@@docs-test:error %d\n%s\n" % (i, e), gdb.STDERR)
    except Exception as e:  # a failed Python check in the docs' own code
        gdb.flush()
        gdb.write("@@docs-test:error %d\n%s: %s\n" % (i, type(e).__name__, e), gdb.STDERR)
    gdb.flush()
    gdb.write("@@docs-test:end %d\n" % i, gdb.STDOUT)
    gdb.flush()
