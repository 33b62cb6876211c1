#!/usr/bin/env python3
"""paths_oracle.py ELF ROWS - check the file paths dwarf-lines gave (ROWS:
its output, the unit index in the 6th column) against paths computed here
from binutils' raw dumps: readelf --debug-dump=rawline for each unit's
directory and file tables, readelf --debug-dump=info for each compilation
unit's DW_AT_comp_dir (keyed by DW_AT_stmt_list).

The rule (DWARF 5, 6.2.4): an absolute name stands; else it goes under its
directory; a relative directory goes under the compilation directory
(DWARF 2-4: DW_AT_comp_dir, which directory 0 stands for; DWARF 5:
directory 0, itself under DW_AT_comp_dir when relative).  "." components
and repeated slashes are dropped on both sides; ".." is kept.  Prints one
line per row whose path is not one its (unit, name) can have; exits 1 then.
"""
import re
import subprocess
import sys


def tidy(p):
    lead = p.startswith("/")
    parts = [x for x in p.split("/") if x not in ("", ".")]
    return ("/" if lead else "") + "/".join(parts)


def join(*parts):
    out = ""
    for p in parts:
        if not p:
            continue
        out = p if p.startswith("/") or not out else out + "/" + p
    return out


def strip_form(text):
    # "(indirect line string, offset: 0x9): main.c" -> "main.c"
    m = re.match(r"^\((?:indirect|indexed)[^)]*\): (.*)$", text)
    return m.group(1) if m else text


def units(elf):
    raw = subprocess.run(["readelf", "--debug-dump=rawline", elf], capture_output=True,
                         text=True, check=True).stdout
    out, cur, table = [], None, None
    for line in raw.splitlines():
        m = re.match(r"^  Offset:\s+(0x[0-9a-f]+|\d+)$", line)
        if m:
            cur = {"off": int(m.group(1), 0), "dirs": {}, "files": [], "version": 0}
            out.append(cur)
            table = None
            continue
        if cur is None:
            continue
        m = re.match(r"^  DWARF Version:\s+(\d+)", line)
        if m:
            cur["version"] = int(m.group(1))
        if line.startswith(" The Directory Table"):
            table = "dirs"
            continue
        if line.startswith(" The File Name Table"):
            table = "files"
            continue
        if line.startswith(" Line Number Statements") or not line.strip():
            table = None
            continue
        if table is None or line.startswith("  Entry"):
            continue
        fields = line.strip().split("\t")
        if table == "dirs":
            cur["dirs"][int(fields[0])] = strip_form(fields[-1])
        else:
            cur["files"].append((int(fields[1].split()[0]), strip_form(fields[-1])))
    return out


def comp_dirs(elf):
    info = subprocess.run(["readelf", "--debug-dump=info", elf], capture_output=True,
                          text=True, check=True).stdout
    dirs, stmt, comp = {}, None, None
    for line in info.splitlines() + ["  Compilation Unit @"]:
        if "Compilation Unit @" in line:
            if stmt is not None:
                dirs[stmt] = comp
            stmt = comp = None
        m = re.search(r"DW_AT_stmt_list\s*:\s*(0x[0-9a-f]+|\d+)", line)
        if m and stmt is None:
            stmt = int(m.group(1), 0)
        m = re.search(r"DW_AT_comp_dir\s*:\s*(.*)$", line)
        if m and comp is None:
            comp = strip_form(m.group(1).strip())
    return dirs


def expected(unit, cu_dir):
    paths = {}
    v5 = unit["version"] >= 5
    dirs = unit["dirs"]
    if v5:
        d0 = dirs.get(0, "")
        base = d0 if d0.startswith("/") else join(cu_dir, d0)
    else:
        base = cu_dir
    for d, name in unit["files"]:
        if d == 0:
            dirpath = base
        else:
            dd = dirs.get(d, "")
            dirpath = dd if dd.startswith("/") else join(base, dd)
        paths.setdefault(name, set()).add(tidy(join(dirpath, name)))
    return paths


def main():
    elf, rows = sys.argv[1], sys.argv[2]
    us = units(elf)
    cds = comp_dirs(elf)
    exp = [expected(u, cds.get(u["off"])) for u in us]
    bad = 0
    seen = set()
    with open(rows) as f:
        for line in f:
            addr, _, _, name, path, unit = line.rstrip("\n").split("\t")
            key = (unit, name, path)
            if key in seen:
                continue
            seen.add(key)
            want = exp[int(unit)].get(name, set()) if int(unit) < len(exp) else set()
            if path not in want:
                print(f"unit {unit}: {name} at {path}, expected one of {sorted(want)}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
