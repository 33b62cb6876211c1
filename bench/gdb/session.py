# session.py - the gdb side of the gdb-driven benchmarks (bench/bench.py).
# Run as:  gdb -batch -nx -ex 'target remote 127.0.0.1:PORT' \
#              -ex 'python BENCH = {...}' -x bench/gdb/session.py
# BENCH: {"what": "stepi"|"stepn"|"break"|"dump", "n": COUNT, "start": ADDR,
#         "tick": ADDR, "addr": ADDR, "tmp": DIR, "bp": "break"|"hbreak",
#         "chunk": N of each `stepi N` (stepn), "debug": bool,
#         "pid": target PID or 0}
# Everything timed is timed here with time.monotonic(), after the
# connection is made, and printed as one line "BENCH-RESULT {json}", with
# the CPU time gdb and the target process spent in the timed part.
import json
import os
import sys
import time

import gdb

P = BENCH  # noqa: F821 (defined by the -ex before this script)


def pc():
    return int(gdb.parse_and_eval("$pc"))


def cx():
    return int(gdb.parse_and_eval("$ecx")) & 0xffff


def quiet(cmd):
    # Debug runs print normally: to_string would swallow the packet log too.
    gdb.execute(cmd, to_string=not P.get("debug"))


def cpu_seconds(pid):
    """User + system CPU time of process pid (all its threads), seconds."""
    if not pid:
        return 0.0
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall time of the timed part, and the CPU time gdb (this process) and
    the target process (P['pid']) spent in it."""

    def __enter__(self):
        self.cpu = (time.process_time(), cpu_seconds(P.get("pid")))
        self.t = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.wall = time.monotonic() - self.t
        self.gdb_cpu = time.process_time() - self.cpu[0]
        self.target_cpu = cpu_seconds(P.get("pid")) - self.cpu[1]

    def result(self, **kw):
        kw.update(seconds=self.wall, gdb_cpu=self.gdb_cpu, target_cpu=self.target_cpu)
        return kw


def debug(on):
    """With P['debug'], log the remote packets of the timed part (on
    stderr, between two marker lines) to count them; such runs are for
    counting only, the logging slows them down."""
    if P.get("debug"):
        gdb.execute("set debug remote %d" % on)
        print("BENCH-DEBUG-%s" % ("BEGIN" if on else "END"), file=sys.stderr, flush=True)


def reach_start():
    """Single-step to P['start'] (QEMU begins in its firmware at the reset
    vector and copies the guest to 0x1000 first; gdbvm and gdbserver are
    there already).  Stepping, not a breakpoint: the firmware's copy would
    overwrite a planted one."""
    for _ in range(2000):
        if pc() == P["start"]:
            return
        quiet("stepi")
    raise gdb.GdbError("never reached the start address 0x%x (pc 0x%x)" % (P["start"], pc()))


def bench_stepi():
    n = P["n"]
    quiet("stepi")  # warm-up: first step, caches filled
    c0 = cx()
    debug(True)
    with Clock() as c:
        for _ in range(n):
            quiet("stepi")
    debug(False)
    # The loop is 3 instructions long and increments CX once per round:
    # a real single step per stepi gives n/3 increments.
    return c.result(n=n, cx_delta=(cx() - c0) & 0xffff)


def bench_stepn():
    """n instructions stepped by `stepi CHUNK` commands: gdb single-steps
    CHUNK times per command without returning to its prompt."""
    chunk = P["chunk"]
    n = max(1, P["n"] // chunk) * chunk
    quiet("stepi")  # warm-up: first step, caches filled
    c0 = cx()
    debug(True)
    with Clock() as c:
        for _ in range(n // chunk):
            quiet("stepi %d" % chunk)
    debug(False)
    return c.result(n=n, cx_delta=(cx() - c0) & 0xffff)


def bench_break():
    n = P["n"]
    quiet("%s *0x%x" % (P.get("bp", "break"), P["tick"]))
    quiet("continue")  # warm-up: the first hit
    c0 = cx()
    debug(True)
    with Clock() as c:
        for _ in range(n):
            quiet("continue")
    debug(False)
    if pc() != P["tick"]:
        raise gdb.GdbError("stopped at 0x%x, not at the breakpoint" % pc())
    return c.result(n=n, cx_delta=(cx() - c0) & 0xffff)


def bench_dump():
    n, addr, size = P["n"], P["addr"], 1 << 20
    src = os.path.join(P["tmp"], "pattern-%d.bin" % os.getpid())
    dst = os.path.join(P["tmp"], "dump-%d.bin" % os.getpid())
    with open(src, "wb") as f:
        f.write(os.urandom(size))  # every byte value, escapes included
    dumps, restores, gdb_cpu, target_cpu = [], [], 0.0, 0.0
    for _ in range(n):
        t = time.monotonic()
        quiet("restore %s binary 0x%x" % (src, addr))
        restores.append(time.monotonic() - t)
        debug(True)
        with Clock() as c:
            quiet("dump binary memory %s 0x%x 0x%x" % (dst, addr, addr + size))
        debug(False)
        dumps.append(c.wall)
        gdb_cpu += c.gdb_cpu
        target_cpu += c.target_cpu
        with open(src, "rb") as a, open(dst, "rb") as b:
            if a.read() != b.read():
                raise gdb.GdbError("the dumped MiB differs from the one restored")
    os.unlink(src)
    os.unlink(dst)
    return {"n": n, "bytes": size, "dump_seconds": dumps, "restore_seconds": restores,
            "seconds": sum(dumps), "gdb_cpu": gdb_cpu, "target_cpu": target_cpu}


result = {"stepi": bench_stepi, "stepn": bench_stepn, "break": bench_break, "dump": bench_dump}
if P["what"] in ("stepi", "stepn", "break"):
    reach_start()
r = result[P["what"]]()
print("BENCH-RESULT " + json.dumps(r))
# End the target now (gdb -batch would detach from gdbvm, which reports
# itself attached, and leave the loop guest running).
gdb.execute("kill")
