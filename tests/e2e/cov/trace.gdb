# trace.gdb - for test_coverage.sh: single-step the guest from its first
# instruction to its end (or TRACE_LIMIT steps, or 200 steps at one pc: a
# crash), and write every linear pc it ran to TRACE_OUT, one a line.
python
import gdb, os
pcs = set()
steps = same = 0
last = None
limit = int(os.environ.get("TRACE_LIMIT", "200000"))
while steps < limit and same < 200:
    try:
        pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
        pcs.add(pc)
        gdb.execute("stepi", to_string=True)
    except gdb.error:
        break
    same = same + 1 if pc == last else 0
    last = pc
    steps += 1
with open(os.environ["TRACE_OUT"], "w") as f:
    for p in sorted(pcs):
        f.write("0x%x\n" % p)
    f.write("# steps %d\n" % steps)
end
