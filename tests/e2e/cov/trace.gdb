# trace.gdb - for test_coverage.sh: single-step the guest from its first
# instruction to its end (or TRACE_LIMIT steps, or 200 steps at one pc with
# the same ECX: a crash, not a REP string instruction, or a step that ends
# in a signal other than SIGTRAP: the guest crashed), and write every linear pc it ran to TRACE_OUT, one a line, and,
# for a pc that paging maps elsewhere, the physical address it ran at
# (`monitor translate`): coverage traps sit at physical addresses, so code
# a guest runs at a second virtual address (a higher-half alias) counts.
# --gdb-batch pins gdb to i8086 for a guest that starts in real mode; once
# the guest has set CR0.PE the pin is dropped (docs/gdb.md, "Limits"), so
# gdb takes the 64-bit view when the guest gets to long mode.
# A step over MOV SS or POP SS runs the next instruction too on Intel and
# AMD hosts (the load blocks the single-step trap for one instruction), so
# that instruction's address is added when such a step is taken.
python
import gdb, os, re
pcs = set()
shadow = {}  # pc -> the address after the MOV SS / POP SS there, or None


def shadow_next(pc):
    if pc not in shadow:
        shadow[pc] = None
        try:
            code = bytes(gdb.selected_inferior().read_memory(pc, 2))
            if code[0] == 0x17 or (code[0] == 0x8e and (code[1] >> 3) & 7 == 2):
                insns = gdb.selected_frame().architecture().disassemble(pc, count=2)
                if len(insns) == 2:
                    shadow[pc] = insns[1]["addr"]
        except (gdb.error, gdb.MemoryError):
            pass
    return shadow[pc]


crashed = []  # the signal of a stop other than SIGTRAP


def on_stop(ev):
    if isinstance(ev, gdb.SignalEvent) and ev.stop_signal != "SIGTRAP":
        crashed.append(ev.stop_signal)


gdb.events.stop.connect(on_stop)
steps = same = 0
last = last_cx = None
pinned = "auto" not in gdb.execute("show architecture", to_string=True)
limit = int(os.environ.get("TRACE_LIMIT", "200000"))
while steps < limit and same < 200:
    try:
        pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
        if pc not in pcs and int(gdb.parse_and_eval("$cr0")) & 0x80000000:
            walk = gdb.execute("monitor translate 0x%x" % pc, to_string=True)
            phys = re.search(r"physical (0x[0-9a-f]+)\s*$", walk)
            if phys:
                pcs.add(int(phys.group(1), 16))
        pcs.add(pc)
        after = shadow_next(pc)
        gdb.execute("stepi", to_string=True)
        if after is not None and (crashed or int(gdb.parse_and_eval("$pc")) != after):
            pcs.add(after)
        if crashed:
            break
        if pinned and int(gdb.parse_and_eval("$cr0")) & 1:
            gdb.execute("set architecture auto", to_string=True)
            pinned = False
        cx = int(gdb.parse_and_eval("$ecx")) if pc == last else None
    except gdb.error:
        break
    same = same + 1 if pc == last and cx == last_cx else 0
    last, last_cx = pc, cx
    steps += 1
with open(os.environ["TRACE_OUT"], "w") as f:
    for p in sorted(pcs):
        f.write("0x%x\n" % p)
    f.write("# steps %d\n" % steps)
end
