#!/usr/bin/env python3
"""cov_bench.py - what --coverage costs (issue 20 "Performance", not yet
wired into bench.py): gdbvm run alone, with --coverage and with
--coverage-counts on the same guests, side by side.

  cov_bench.py GDBVM [ROUNDS] [LOOPS]

Figures, each the median over ROUNDS interleaved rounds (default 5):
  loop      a guest that runs a 50-line loop body LOOPS times (default
            1,000,000) then HLT: wall time without coverage, with
            --coverage (each line traps once: the ratio should stay near
            1) and with --coverage-counts (every run of a line traps);
            the coverage exits each made (the sum of the report's counts)
  startup   guests of 100 and 10,000 lines that jump over all but their
            last two (which run: 3 traps hit): wall time with --coverage minus without, the cost
            of reading the line table and planting a trap per line
Guests are assembled here with nasm -g -F dwarf and linked with ld at
0x1000 (real mode).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def build(tmp, name, body):
    src = os.path.join(tmp, name + ".asm")
    with open(src, "w") as f:
        f.write("bits 16\nglobal _start\n_start:\n" + body)
    obj, elf = src[:-4] + ".o", src[:-4] + ".elf"
    subprocess.run(["nasm", "-f", "elf32", "-g", "-F", "dwarf", "-o", obj, src], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-z", "noexecstack", "-Ttext=0x1000", "-e", "_start",
                    "-o", elf, obj], check=True)
    return elf


def loop_guest(tmp, loops):
    # ECX counts down; 48 body lines plus dec/jnz: 50 lines in the loop.
    body = "\tmov ecx, %d\nagain:\n" % loops
    body += "".join("\tinc ax\n" if i % 2 else "\tadd bx, 3\n" for i in range(48))
    body += "\tdec ecx\n\tjnz again\n\thlt\n"
    return build(tmp, "loop", body)


def flat_guest(tmp, lines):
    # Jumps over its nop lines to its end.  (Not a HLT as the first line
    # before the nops: the breakpoint table then takes the guest's HLT,
    # surrounded by planted traps, for a copy of one, and the guest runs
    # past it; found with this bench, left to the breakpoint table.)
    return build(tmp, "lines%d" % lines,
                 "\tjmp near done\n" + "\tnop\n" * (lines - 3) + "done:\n\txor ax, ax\n\thlt\n")


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit("cov_bench: %s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.decode()))
    return dt


def exits(report):
    total = 0
    for line in open(report):
        if line.startswith("DA:"):
            total += int(line.split(",")[1])
    return total


def main():
    gdbvm = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    loops = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    with tempfile.TemporaryDirectory() as tmp:
        info = os.path.join(tmp, "out.info")
        loop = loop_guest(tmp, loops)
        runs = {"plain": [gdbvm, loop], "coverage": [gdbvm, "--coverage", info, loop],
                "counts": [gdbvm, "--coverage", info, "--coverage-counts", loop]}
        times = {k: [] for k in runs}
        n_exits = {}
        for r in range(rounds):
            order = list(runs) if r % 2 == 0 else list(reversed(list(runs)))
            for k in order:
                times[k].append(timed(runs[k]))
                if k != "plain":
                    n_exits[k] = exits(info)
        med = {k: statistics.median(v) for k, v in times.items()}
        print("loop of 50 lines x %d: plain %.3f s, --coverage %.3f s (x%.3f, %d coverage exits), "
              "--coverage-counts %.3f s (x%.2f, %d coverage exits)" %
              (loops, med["plain"], med["coverage"], med["coverage"] / med["plain"],
               n_exits["coverage"], med["counts"], med["counts"] / med["plain"], n_exits["counts"]))
        for lines in (100, 10000):
            g = flat_guest(tmp, lines)
            plain, cov = [], []
            for r in range(rounds):
                pair = [(plain, [gdbvm, g]), (cov, [gdbvm, "--coverage", info, g])]
                for lst, cmd in (pair if r % 2 == 0 else reversed(pair)):
                    lst.append(timed(cmd))
            print("start-up, %d lines: plain %.2f ms, --coverage %.2f ms (+%.2f ms)" %
                  (lines, 1e3 * statistics.median(plain), 1e3 * statistics.median(cov),
                   1e3 * (statistics.median(cov) - statistics.median(plain))))


if __name__ == "__main__":
    main()
