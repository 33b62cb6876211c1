#!/usr/bin/env python3
# compare.py - checks an lcov tracefile written by gdbvm --coverage against
# what a single-step trace of the same run reached (for test_coverage.sh).
#
#   compare.py REPORT PCS ROWS[@OFFSET]...
#
# PCS: the linear pcs the trace saw, and the physical addresses of those
# that paging maps elsewhere, one hex number a line ("#" lines are
# comments).  ROWS: dwarf-lines' rows for an ELF file (ADDR LINE STMT NAME
# PATH UNIT, tab-separated), whose addresses run at ADDR + OFFSET.  A line
# has code when some is_stmt row names it; it ran when the trace saw one of
# its rows' addresses.  A file is named by PATH when that exists, else by
# the real path of NAME from the current directory (nasm).  Lines of
# assembly sources that define data (db, times, .byte ...) are no code:
# nasm gives them rows, and the guest reads them.  Prints the differences
# and exits 1 when there are any.
import os
import re
import sys

DATA = re.compile(r"^\s*(?:[\w.$?@#~]+:?\s+)?(?:d[bwdqtoyz]|res[bwdqtoyz]|times|incbin|"
                  r"\.(?:byte|word|short|int|long|quad|ascii|asciz|string|fill|zero|space|skip|"
                  r"[248]byte))\b", re.I)
ASM = (".asm", ".s", ".S", ".inc", ".nasm", ".mac")
_sources = {}


def is_data(path, line):
    if not path.endswith(ASM):
        return False
    if path not in _sources:
        try:
            _sources[path] = open(path, errors="replace").read().split("\n")
        except OSError:
            _sources[path] = []
    text = _sources[path]
    return line <= len(text) and bool(DATA.match(text[line - 1]))


def read_report(path):
    lines, sf = {}, None
    for raw in open(path):
        raw = raw.rstrip("\n")
        if raw.startswith("SF:"):
            sf = raw[3:]
        elif raw.startswith("DA:"):
            ln, hits = raw[3:].split(",")[:2]
            lines[(sf, int(ln))] = int(hits)
    return lines


def expected(pcs, rows_args):
    want = {}
    for arg in rows_args:
        path, _, off = arg.partition("@")
        off = int(off, 0) if off else 0
        for raw in open(path):
            f = raw.rstrip("\n").split("\t")
            if len(f) < 5 or f[2] != "x" or f[1] in ("-", "0"):
                continue
            name = f[4] if os.path.exists(f[4]) else os.path.realpath(f[3])
            key = (name, int(f[1]))
            if is_data(name, key[1]):
                continue
            want[key] = want.get(key, False) or (int(f[0], 16) + off) in pcs
    return want


def main():
    got = read_report(sys.argv[1])
    pcs = {int(x, 16) for x in open(sys.argv[2]) if x.strip() and not x.startswith("#")}
    want = expected(pcs, sys.argv[3:])
    bad = []
    for key in sorted(set(got) | set(want)):
        if key not in got:
            bad.append("%s:%d has code but is not in the report" % key)
        elif key not in want:
            bad.append("%s:%d is in the report but has no code" % key)
        elif (got[key] > 0) != want[key]:
            bad.append("%s:%d: report %d hits, trace %s" % (key[0], key[1], got[key],
                       "ran it" if want[key] else "did not run it"))
    for b in bad[:20]:
        print(b)
    print("%d lines, %d ran" % (len(want), sum(want.values())))
    return 1 if bad else 0


sys.exit(main())
