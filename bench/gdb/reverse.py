# reverse.py - the gdb side of the reverse-debugging figures (bench/bench.py,
# fig_record).  Run as:
#   gdb -batch -nx -ex 'target remote 127.0.0.1:PORT' \
#       -ex 'python BENCH = {...}' -x bench/gdb/reverse.py
# BENCH: {"what": "rec" | "plain" | "movsb", "n": instructions from the start
#         to the breakpoint, "back": reverse-stepi (and stepi) count,
#         "start", "done", "copy", "copied": guest addresses, "pid": target}
#   rec    gdbvm --record, bench/guests/rcompute.asm: `continue` to done
#          (recording n instructions), `back` x reverse-stepi, `back` x
#          stepi (replayed), reverse-continue to the start of the history,
#          then `continue` forward through the replay to done again (the
#          end of the history).
#   plain  gdbvm without --record, the same guest: `continue` to done, then
#          from the start again, `back` x stepi and one `stepi n-back`.
#   movsb  gdbvm --record, bench/guests/rmovsb.asm: the history's size
#          before and after the one `rep movsb` that copies 64 KiB.
# Prints one line "BENCH-RESULT {json}": seconds per phase, the history's
# steps and bytes as `monitor record` reports them, and the CPU time of gdb
# and of the target over the timed phases.
import json
import os
import re
import time

import gdb

P = BENCH  # noqa: F821 (defined by the -ex before this script)


def pc():
    return int(gdb.parse_and_eval("$pc"))


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


R = {"phases": {}, "gdb_cpu": {}, "target_cpu": {}}


def timed(name, fn):
    """Run fn(), timing it; return what it returned."""
    c = (time.process_time(), cpu_seconds(P["pid"]))
    t = time.monotonic()
    v = fn()
    R["phases"][name] = time.monotonic() - t
    R["gdb_cpu"][name] = time.process_time() - c[0]
    R["target_cpu"][name] = cpu_seconds(P["pid"]) - c[1]
    return v


def expect(cond, what):
    if not cond:
        raise gdb.GdbError("bench: %s (pc 0x%x)" % (what, pc()))


def history():
    """(steps, bytes, position) from `monitor record`."""
    text = run("monitor record")
    m = re.search(r"history: (\d+) steps .*?, ([\d.]+) bytes a step", text)
    p = re.search(r"position: step (\d+)", text)
    if not m or not p:
        raise gdb.GdbError("bench: unexpected monitor record output: %r" % text)
    steps = int(m.group(1))
    return steps, steps * float(m.group(2)), int(p.group(1))


def times(cmd, k):
    for _ in range(k):
        run(cmd)


def rec():
    n, back = P["n"], P["back"]
    run("break *0x%x" % P["done"])
    timed("record_continue", lambda: run("continue"))
    expect(pc() == P["done"], "the recorded continue did not stop at done")
    steps, size, pos = history()
    expect(steps == n and pos == n, "recorded %d steps, at %d; want %d" % (steps, pos, n))
    R.update(steps=steps, bytes=size)
    run("delete")
    timed("reverse_stepi", lambda: times("reverse-stepi", back))
    expect(history()[2] == n - back, "reverse-stepi did not go back one step each")
    timed("replay_stepi", lambda: times("stepi", back))
    expect(history()[2] == n and pc() == P["done"], "stepi did not replay one step each")
    # (gdb prints "No more reverse-execution history." outside to_string.)
    timed("reverse_continue", lambda: run("reverse-continue"))
    expect(pc() == P["start"] and history()[2] == 0,
           "reverse-continue did not end at the start of the history")
    # Forward through the replay to a breakpoint at the end of the history.
    run("break *0x%x" % P["done"])
    timed("replay_continue", lambda: run("continue"))
    expect(pc() == P["done"] and history()[2] == n,
           "the replayed continue did not stop at the end of the history")


def plain():
    n, back = P["n"], P["back"]
    run("break *0x%x" % P["done"])
    timed("continue", lambda: run("continue"))
    expect(pc() == P["done"], "continue did not stop at done")
    run("delete")
    run("set $pc = 0x%x" % P["start"])  # the guest's setup does not change CX
    timed("stepi", lambda: times("stepi", back))
    timed("stepn", lambda: run("stepi %d" % (n - back)))
    expect(pc() == P["done"], "%d stepi did not reach done" % n)


def movsb():
    run("break *0x%x" % P["copy"])
    run("continue")
    expect(pc() == P["copy"], "did not stop at the copy")
    s0, b0, _ = history()
    run("delete")
    run("break *0x%x" % P["copied"])
    timed("copy", lambda: run("continue"))
    expect(pc() == P["copied"], "did not stop after the copy")
    s1, b1, _ = history()
    R.update(steps=s1 - s0, bytes=b1 - b0, copied=int(gdb.parse_and_eval("$edi")) & 0xffffffff)


{"rec": rec, "plain": plain, "movsb": movsb}[P["what"]]()
print("BENCH-RESULT " + json.dumps(R))
gdb.execute("kill")
