"""report.py - turn bench.py's results into the table and docs/performance.md.

  bench.py report RESULTS.jsonl REPORT.md MODE HOST_JSON

MODE is "direct" or "nested"; HOST_JSON describes the machine run.sh ran on
(in nested mode, the one that hosts the nested VM).  The hand-written
findings in bench/analysis.md are appended as the Analysis section.
"""
import datetime
import json
import os
import statistics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
med = statistics.median
OPS = {"stepn": "stepi N (per instruction)"}  # operation names in the tables

# (key, label, numerator, denominator, op, target) - ratio targets.
TARGETS = {
    "startup_floor": ("<=", 1.2),
    "startup_qemu": (">=", 20.0),
    "startup_long": ("<=", 1.1),
    "startup_mboot": ("<=", 1.1),
    "mboot_qemu": (">=", 20.0),
    "exits": (">=", 0.9),
    "stepi_qemu": (">=", 3.0),
    "stepi_gdbserver": (">=", 1.0),
    "break_qemu": (">=", 3.0),
    "dump_qemu": (">=", 10.0),
    "record_floor": (">=", 0.5),
    "cov_run": ("<=", 1.1),
}


def load(path):
    res = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            res.setdefault(r["kind"], []).append(r)
    return res


def one(res, kind):
    v = res.get(kind)
    return v[-1] if v else None


def fmt(x, unit=""):
    if x is None:
        return "–"
    if abs(x) >= 100:
        s = "%.0f" % x
    elif abs(x) >= 10:
        s = "%.1f" % x
    else:
        s = "%.2f" % x
    return s + unit


def verdict(key, ratio):
    if ratio is None:
        return "not measured (see Skipped)"
    op, t = TARGETS[key]
    ok = ratio <= t if op == "<=" else ratio >= t
    return ("met" if ok else "**missed**") + " (%s %sx)" % (op.replace("<=", "≤").replace(
        ">=", "≥"), fmt(t))


def rows(res):
    """The summary rows: (figure, values text, ratio name, ratio, key or None)."""
    out = []
    s = one(res, "startup")
    if s:
        f, g = med(s["floor"]), med(s["gdbvm"])
        t = " (`/bin/true`: %s)" % fmt(med(s["true"]) * 1e3, " ms") if "true" in s else ""
        out.append(("1. start-up, whole process (demo to its end)",
                    "floor %s, gdbvm %s%s" % (fmt(f * 1e3, " ms"), fmt(g * 1e3, " ms"), t),
                    "gdbvm / floor", g / f, "startup_floor"))
    s = one(res, "startup_qemu")
    if s:
        g, q = med(s["gdbvm"]), med(s["qemu"])
        out.append(("1. start-up vs QEMU",
                    "gdbvm %s, QEMU %s" % (fmt(g * 1e3, " ms"), fmt(q * 1e3, " ms")),
                    "QEMU / gdbvm", q / g, "startup_qemu"))
    s = one(res, "startup_modes")
    if s:
        r, l, m = med(s["real"]), med(s["long"]), med(s["mboot"])
        vals = "real mode %s, long mode %s, Multiboot %s" % (
            fmt(r * 1e3, " ms"), fmt(l * 1e3, " ms"), fmt(m * 1e3, " ms"))
        out.append(("1b. start-up in long mode vs real mode", vals, "long / real", l / r,
                    "startup_long"))
        out.append(("1b. start-up of a Multiboot kernel vs real mode", vals, "Multiboot / real",
                    m / r, "startup_mboot"))
    s = one(res, "mboot_qemu")
    if s:
        g, q = med(s["gdbvm"]), med(s["qemu"])
        out.append(("1b. Multiboot kernel start-up vs `qemu -kernel`",
                    "gdbvm %s, QEMU %s" % (fmt(g * 1e3, " ms"), fmt(q * 1e3, " ms")),
                    "QEMU / gdbvm", q / g, "mboot_qemu"))
    s = one(res, "exits")
    if s:
        n = s["n"]
        fr = (n - 1) / (med(s["floor_n"]) - med(s["floor_1"]))
        gr = (n - 1) / (med(s["gdbvm_n"]) - med(s["gdbvm_1"]))
        out.append(("2. port-I/O exits per second (%d OUTs)" % n,
                    "floor %s/s, gdbvm %s/s" % (fmt(fr), fmt(gr)),
                    "gdbvm / floor", gr / fr, "exits"))
    s = one(res, "irq_idle")
    if s:
        w, c = med(s["wall"]), med(s["cpu"])
        want = s["hz"] * s["seconds"]
        out.append(("8. idle guest in HLT, 1 kHz timer, %d RTC seconds" % s["seconds"],
                    "host CPU %s of %s wall; ticks %s of %s the PIT gave (%s)" % (
                        fmt(c, " s"), fmt(w, " s"), fmt(med(s["ticks"])), fmt(want),
                        fmt(100 * med(s["ticks"]) / want, " %")),
                    "CPU / wall", c / w, None))
    s = one(res, "irq_rate")
    if s:
        n = s["n"]
        er = (n - 1) / (med(s["outs_n"]) - med(s["outs_1"]))
        ir = med(s["irq_per_s"])
        out.append(("9. IRQ 0 handled per second, PIT at its fastest (count 2)",
                    "IRQ 0 %s/s, OUT exits %s/s" % (fmt(ir), fmt(er)),
                    "IRQs / exits", ir / er, None))
    for kind, label in (("stepi", "3. gdb stepi per second"),
                        ("stepn", "3. gdb `stepi N`, instructions per second"),
                        ("break", "4. breakpoint hits per second (continue loop)"),
                        ("dump", "5. gdb dump of 1 MiB, MB/s"),
                        ("restore", "5. gdb restore of 1 MiB, MB/s")):
        s = one(res, kind)
        if not s:
            continue
        m = {k: med(v) for k, v in s.items() if isinstance(v, list)}
        if kind == "stepn":
            label = label.replace("N`", "%d`" % s["chunk"])
        qkind = (one(res, "break_kinds") or {}).get("qemu", "break") if kind == "break" else ""
        names = {"qemu": "QEMU", "gdbvm_hbreak": "gdbvm (hbreak)",
                 "ceiling_hbreak": "ceiling (hbreak)"}
        if qkind == "hbreak":
            names["qemu"] = "QEMU (hbreak)"
        vals = ", ".join("%s %s" % (names.get(k, k), fmt(v)) for k, v in m.items())
        if "qemu" in m and qkind == "hbreak" and "gdbvm_hbreak" in m:
            # QEMU's software breakpoints do not stop on this host: compare
            # like with like, and say what a plain "break" gives on gdbvm.
            out.append((label + ", hbreak on both", vals, "gdbvm / QEMU",
                        m["gdbvm_hbreak"] / m["qemu"], "break_qemu"))
            out.append((label + ", gdbvm break vs QEMU hbreak", vals, "gdbvm / QEMU",
                        m["gdbvm"] / m["qemu"], None))
        elif "qemu" in m:
            key = kind + "_qemu" if kind + "_qemu" in TARGETS else None
            out.append((label, vals, "gdbvm / QEMU", m["gdbvm"] / m["qemu"], key))
        if "gdbserver" in m:
            key = kind + "_gdbserver" if kind + "_gdbserver" in TARGETS else None
            out.append((label + (" (vs gdbserver, native process)" if "qemu" in m else ""),
                        vals, "gdbvm / gdbserver", m["gdbvm"] / m["gdbserver"], key))
        if kind == "break" and "qemu" not in m:
            out.append((label, vals, "gdbvm / QEMU", None, "break_qemu"))
        for g, c, what in (("gdbvm", "ceiling", ""),
                           ("gdbvm_hbreak", "ceiling_hbreak", ", hbreak")):
            if g in m and c in m:
                out.append((label + " (vs gdb's ceiling%s)" % what, vals,
                            "%s / %s" % (names.get(g, g), names.get(c, c)), m[g] / m[c], None))
        if "qemu" not in m and "gdbserver" not in m and "ceiling" not in m:
            out.append((label, vals, "", None, None))
    s = one(res, "memory")
    if s:
        m = {k: med(v) for k, v in s.items() if k != "kind"}
        vals = ", ".join("%s %s" % ({"qemu": "QEMU"}.get(k, k), fmt(v / 1024, " MiB"))
                         for k, v in m.items())
        out.append(("6. peak RSS (VmHWM) of the process, demo run", vals,
                    "gdbvm − floor", None, None))
        out[-1] = out[-1][:3] + ((m["gdbvm"] - m["floor"]) / 1024, None)
    s = one(res, "attach")
    if s:
        m = {k: med(v) for k, v in s.items() if k != "kind"}
        vals = ", ".join("%s %s" % ({"qemu": "QEMU"}.get(k, k), fmt(v * 1e3, " ms"))
                         for k, v in m.items())
        if "qemu" in m or "ceiling" not in m:
            out.append(("7. start with -S to gdb showing registers", vals,
                        "QEMU / gdbvm" if "qemu" in m else "",
                        m["qemu"] / m["gdbvm"] if "qemu" in m else None, None))
        if "ceiling" in m:
            out.append(("7. start with -S to gdb showing registers (vs gdb's ceiling)", vals,
                        "ceiling / gdbvm", m["ceiling"] / m["gdbvm"], None))
    return out


def ceiling_rows(res):
    """(figure, gdbvm, ceiling, fraction) for every gdb figure measured with
    the ceiling; the fraction is of the ceiling's rate (of its time, for
    attach), so 1.00 means gdbvm gives gdb all it can take."""
    out = []
    for kind, label, unit in (("stepi", "single `stepi` commands", "/s"),
                              ("stepn", "`stepi %s`, instructions", "/s"),
                              ("break", "breakpoint hits, `break`", "/s"),
                              ("break", "breakpoint hits, `hbreak`", "/s"),
                              ("dump", "`dump` of 1 MiB", " MB/s"),
                              ("restore", "`restore` of 1 MiB", " MB/s")):
        s = one(res, kind)
        g, c = ("gdbvm_hbreak", "ceiling_hbreak") if "hbreak" in label else ("gdbvm", "ceiling")
        if not s or g not in s or c not in s:
            continue
        if kind == "stepn":
            label = label % s["chunk"]
        out.append((label, fmt(med(s[g]), unit), fmt(med(s[c]), unit), med(s[g]) / med(s[c]),
                    [a / b for a, b in zip(s[g], s[c])]))
    s = one(res, "attach")
    if s and "ceiling" in s:
        g, c = med(s["gdbvm"]), med(s["ceiling"])
        out.append(("`-S` to gdb showing registers", fmt(g * 1e3, " ms"), fmt(c * 1e3, " ms"),
                    c / g, [b / a for a, b in zip(s["gdbvm"], s["ceiling"])]))
    return out


def ceiling_section(res):
    rs = ceiling_rows(res)
    if not rs:
        return []
    t = one(res, "transcript")
    L = ["## gdb's ceiling\n"]
    L.append("How close each gdb figure comes to what gdb itself allows on this machine. The "
             "ceiling (`bench/ceiling.c`) is a gdb stub with no VM behind it: it links the "
             "very objects of gdbvm's stub (`gdbstub/`), so gdb gets the same target "
             "description, qSupported features, stop replies and packets, and behind the stub "
             "a fake CPU executes `bench/guests/loop.asm` (`xor cx,cx; inc cx; nop; jmp`) from "
             "gdbvm's reset state, so pc advances, CX counts and breakpoints hit where they do "
             "under gdbvm, at no cost. gdb, the sockets, the packet parsing and formatting and "
             "the stub's own system calls cost the same as with gdbvm; only the VM's work "
             "(KVM_RUN, the register ioctls, planting breakpoints) is missing. It is measured "
             "in the same interleaved rounds as gdbvm. A fraction of 1.00 means gdbvm costs gdb "
             "nothing more than a stub that does nothing; what is missing to 1.00 is gdbvm's "
             "own work per operation.\n")
    if t:
        if t["same"]:
            L.append("Checked before measuring: in a scripted session (%s), gdb exchanged the "
                     "same %d packets (%d sent, each reply byte for byte equal) with the "
                     "ceiling as with gdbvm.\n" % ("; ".join("`%s`" % c for c in t["commands"]),
                                                    t["packets"], t["sent"]))
        else:
            d = t["first_diff"]
            L.append("**The ceiling did not answer exactly as gdbvm** in the scripted session "
                     "(packet #%d: gdbvm `%s`, ceiling `%s`): its figures are not strictly "
                     "comparable.\n" % (d["at"], d["gdbvm"][:120], d["ceiling"][:120]))
    L.append("The fraction is of the medians, as everywhere in this report. The two "
             "programs of a round run back to back, so the ratio within each round is less "
             "exposed to the load of a shared machine changing between rounds; its median "
             "and range are shown too.\n")
    L.append("| figure | gdbvm | ceiling | gdbvm as a fraction of the ceiling | "
             "per round: median (range) |")
    L.append("|---|---|---|---|---|")
    for label, g, c, f, per in rs:
        L.append("| %s | %s | %s | **%s** | %s (%s–%s) |" % (
            label, g, c, fmt(f, "x"), fmt(med(per)), fmt(min(per)), fmt(max(per))))
    L.append("")
    return L


# ------------------------------------------- reverse debugging (issue 19) --

REC_WAYS = (("record", "recorded (as a recorded `continue` steps)"),
            ("debugger", "the debugger's step, not recording (as `stepi` runs it)"),
            ("kvm", "bare `KVM_RUN` with KVM's single-step, nothing else"))


def rec_rates(s, clock="cpu"):
    """{way: median steps per second} of a rec_rate result."""
    return {w: s["steps"] / med(s["%s_%s" % (w, clock)])
            for w, _ in REC_WAYS if s.get("%s_%s" % (w, clock))}


def rec_phases(s):
    """{session: {phase: [seconds per round]}} of the rec_gdb result."""
    out = {}
    for k in ("rec", "plain", "movsb"):
        for r in s.get(k, []):
            for ph, v in r["phases"].items():
                out.setdefault(k, {}).setdefault(ph, []).append(v)
    return out


def rec_per_op(s):
    """{name: (median seconds per operation, per-round list, count, what)}."""
    n, back = s["n"], s["back"]
    ph = rec_phases(s)
    counts = {("rec", "record_continue"): (n, "instruction recorded by `continue`"),
              ("rec", "reverse_stepi"): (back, "`reverse-stepi`"),
              ("rec", "replay_stepi"): (back, "`stepi` replayed from the history"),
              ("rec", "reverse_continue"): (n, "instruction walked back by `reverse-continue`"),
              ("rec", "replay_continue"): (n, "instruction replayed by `continue`"),
              ("plain", "continue"): (n, "instruction run by `continue`, recording off"),
              ("plain", "stepi"): (back, "`stepi`, recording off"),
              ("plain", "stepn"): (n - back, "instruction of `stepi %d`, recording off" % (
                  n - back))}
    out = {}
    for (k, p), (c, what) in counts.items():
        v = ph.get(k, {}).get(p)
        if v and c > 0:
            out[(k, p)] = (med(v) / c, [x / c for x in v], c, what)
    return out


def us(x):
    return fmt(x * 1e6, " µs")


def record_rows(res):
    """Summary rows of figures 10-12 (reverse debugging)."""
    out = []
    for s in res.get("rec_rate", []):
        r = rec_rates(s)
        what = ("compute loop" if s["guest"] == "rcompute" else "64 KiB rep movsb guest")
        vals = ", ".join("%s %s/s" % (w, fmt(v)) for w, v in r.items())
        if "kvm" in r:
            out.append(("10. recording rate, %s (%d steps, --record-bench)" % (what, s["steps"]),
                        vals, "recorded / bare KVM step", r["record"] / r["kvm"],
                        "record_floor"))
        if "debugger" in r:
            out.append(("10. recording rate, %s, vs the debugger's step" % what, vals,
                        "recorded / debugger step", r["record"] / r["debugger"], None))
    s = one(res, "rec_gdb")
    if not s:
        return out
    po = rec_per_op(s)
    n = s["n"]
    rc, sn, pc = (po.get(("rec", "record_continue")), po.get(("plain", "stepn")),
                  po.get(("plain", "continue")))
    if rc and sn and pc:
        out.append(("10. recorded `continue` through gdb, %d instructions to a breakpoint" % n,
                    "recorded continue %s/s, `stepi N` %s/s, continue %s/s (no recording)" % (
                        fmt(1 / rc[0]), fmt(1 / sn[0]), fmt(1 / pc[0])),
                    "recorded continue / `stepi N`", sn[0] / rc[0], None))
    rs, fs, ls = (po.get(("rec", "reverse_stepi")), po.get(("rec", "replay_stepi")),
                  po.get(("plain", "stepi")))
    if rs and ls:
        out.append(("11. `reverse-stepi` over %d recorded instructions, per command" % n,
                    "reverse-stepi %s, replayed stepi %s, stepi (recording off) %s" % (
                        fmt(rs[0] * 1e3, " ms"), fmt(fs[0] * 1e3, " ms") if fs else "–",
                        fmt(ls[0] * 1e3, " ms")),
                    "reverse-stepi / stepi", rs[0] / ls[0], None))
    rv, fw = po.get(("rec", "reverse_continue")), po.get(("rec", "replay_continue"))
    if rv and rc:
        out.append(("11. `reverse-continue` over %d recorded instructions" % n,
                    "%s (%s an instruction); replayed continue %s; recording them %s" % (
                        fmt(rv[0] * n * 1e3, " ms"), us(rv[0]),
                        fmt(fw[0] * n * 1e3, " ms") if fw else "–", fmt(rc[0] * n, " s")),
                    "recording / reverse-continue", rc[0] / rv[0], None))
    recs = s.get("rec", [])
    if recs:
        b = med([r["bytes"] / r["steps"] for r in recs])
        out.append(("12. history per recorded step, compute loop (`monitor record`)",
                    "%s bytes a step over %d steps" % (fmt(b), recs[0]["steps"]),
                    "", None, None))
    mv = s.get("movsb", [])
    if mv:
        b, st, cp = med([r["bytes"] for r in mv]), med([r["steps"] for r in mv]), mv[0]["copied"]
        out.append(("12. history of one `rep movsb` copying 64 KiB (`monitor record`)",
                    "%s KiB in %d steps (%s bytes a step)" % (fmt(b / 1024), st, fmt(b / st)),
                    "history / bytes copied", b / cp, None))
    return out


def record_section(res):
    """The reverse-debugging section: what figures 10-12 measure, how to
    read them, and their rounds."""
    rates = res.get("rec_rate", [])
    s = one(res, "rec_gdb")
    if not rates and not s:
        return []
    L = ["## Reverse debugging (issue 19): recording, going back, memory\n"]
    L.append("**What this measures.** Figure 10: how fast gdbvm records. A recording gdbvm "
             "single-steps the guest and, after each step, keeps what the step changed "
             "(registers from KVM's synced copy, memory from the dirty log compared with a "
             "shadow of RAM), so recording can be no faster than single-stepping. Figure 11: "
             "how long gdb's reverse commands take once there is a history. Figure 12: how "
             "much memory the history takes per recorded step.\n")
    L.append("**How to read it.** The recorder alone comes from the hidden `gdbvm "
             "--record-bench N GUEST` (`vmm/record_bench.c`): in one process, from the same "
             "start, the same steps are run three ways in rotated order, 5 rounds a process; "
             "rates are steps per second of the thread's CPU time (KVM's work in `KVM_RUN` "
             "included; the host is shared, and wall time, also recorded, is noisier). The "
             "three ways:\n")
    for w, what in REC_WAYS:
        L.append("- `%s`: %s" % (w, what))
    L.append("\nThe bare KVM step is the raw floor: every single-stepping recorder pays it, and "
             "the issue's goal is recording at no less than half of it. The debugger's step "
             "reads the registers (`KVM_GET_REGS` + `KVM_GET_SREGS`, ~3.3 µs each here) before "
             "every step, because without a recorder nothing else knows them; the recorder "
             "takes them from KVM's synced copy instead, so recording can beat it. Through "
             "gdb, a recorded `continue` to a breakpoint %s instructions away is set against "
             "the same instructions stepped by one `stepi N` and run by a plain `continue`, "
             "both without recording: one round trip per instruction is what recording saves "
             "over stepping from gdb. Then, in the recorded session, `reverse-stepi` and "
             "replayed `stepi` are single commands timed one by one (so each includes gdb's "
             "round trips, as a live `stepi` does), and `reverse-continue` walks the whole "
             "history back to its start in one command; a final `continue` replays it "
             "forward to a breakpoint at its end. "
             "Ratios are of medians over interleaved rounds, each a fresh gdbvm and gdb.\n" %
             (s["n"] if s else "N"))
    if rates:
        L.append("Recorder alone (`--record-bench`), medians of all rounds:\n")
        L.append("| guest | steps | way | steps/s (CPU) | µs a step | steps/s (wall) | "
                 "of the bare KVM step | history |")
        L.append("|---|---|---|---|---|---|---|---|")
        for r in rates:
            cpu, wall = rec_rates(r), rec_rates(r, "wall")
            for w, _ in REC_WAYS:
                if w not in cpu:
                    continue
                L.append("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
                    r["guest"], r["steps"], w, fmt(cpu[w]), fmt(1e6 / cpu[w]), fmt(wall[w]),
                    fmt(cpu[w] / cpu["kvm"], "x") if "kvm" in cpu else "–",
                    "%d bytes, %s a step" % (r["history"], fmt(r["history"] / r["steps"]))
                    if w == "record" else ""))
            if r.get("kvm_none"):
                L.append("| %s | | kvm | – (%s) | | | | |" % (r["guest"], r["kvm_none"]))
        L.append("")
        L.append("On this host (kvm_pvm) a `rep` string instruction is up to 1024 iterations a "
                 "step (the rmovsb guest: a 64 KiB `rep stosb` and a 64 KiB `rep movsb` in "
                 "%s steps); VT-x and AMD-V step one iteration a step, so there the same "
                 "copy is 65536 steps and the history per byte copied stays about the same.\n"
                 % next((str(r["steps"]) for r in rates if r["guest"] == "rmovsb"), "few"))
    if s:
        po = rec_per_op(s)
        L.append("Through gdb (`bench/gdb/reverse.py`, %d rounds; %d instructions recorded, "
                 "%d `reverse-stepi`):\n" % (len(s.get("rec", [])), s["n"], s["back"]))
        L.append("| session, phase | per | median | range | whole phase (median) |")
        L.append("|---|---|---|---|---|")
        for (k, p), (m, per, c, what) in po.items():
            L.append("| %s, `%s` | %s | %s | %s–%s | %s |" % (
                {"rec": "--record", "plain": "no recording"}[k], p, what, us(m),
                us(min(per)), us(max(per)), fmt(m * c * 1e3, " ms")))
        L.append("")
        recs, plains = s.get("rec", []), s.get("plain", [])
        per = [a["phases"]["reverse_stepi"] / b["phases"]["stepi"] for a, b in zip(recs, plains)
               if "reverse_stepi" in a["phases"] and "stepi" in b["phases"]]
        gc = [(a["gdb_cpu"]["reverse_stepi"] / s["back"], b["gdb_cpu"]["stepi"] / s["back"])
              for a, b in zip(recs, plains)
              if "reverse_stepi" in a["gdb_cpu"] and "stepi" in b["gdb_cpu"]]
        if per:
            L.append("`reverse-stepi` against `stepi` (recording off) round by round, the two "
                     "sessions of a round running back to back: median %s (range %s–%s); gdb's "
                     "own CPU time per command, less exposed to the machine's load: %s for "
                     "`reverse-stepi`, %s for `stepi` (medians). Both send the same packets "
                     "(`bs` or `vCont;s`, then the same four memory reads and a thread "
                     "list): gdbvm's own part of a `reverse-stepi`, one undo and a "
                     "`KVM_SET_REGS`, is a few µs of that.\n" % (
                         fmt(med(per), "x"), fmt(min(per), "x"), fmt(max(per), "x"),
                         us(med([x for x, _ in gc])), us(med([y for _, y in gc]))))
        cpu = []
        for k in ("rec", "plain"):
            for p in sorted({p for r in s.get(k, []) for p in r["phases"]}):
                wall = med([r["phases"][p] for r in s[k]])
                g = med([r["gdb_cpu"][p] for r in s[k]])
                t = med([r["target_cpu"][p] for r in s[k]])
                cpu.append("| %s, `%s` | %s | %s | %s |" % (
                    {"rec": "--record", "plain": "no recording"}[k], p, fmt(wall * 1e3, " ms"),
                    fmt(g * 1e3, " ms"), fmt(t * 1e3, " ms")))
        L.append("Where the time of each phase went (medians; gdbvm's CPU time is counted in "
                 "clock ticks, 10 ms, so short phases show 0):\n")
        L.append("| session, phase | wall | gdb CPU | gdbvm CPU |")
        L.append("|---|---|---|---|")
        L += cpu
        L.append("")
        mv = s.get("movsb", [])
        if mv:
            L.append("Memory: `monitor record` prints the history's steps and bytes a step; the "
                     "compute loop keeps register changes only; the `rep movsb` figure is the "
                     "history's growth across the one copy (stopped at breakpoints before and "
                     "after it), per round: %s.\n" % ", ".join(
                         "%d bytes in %d steps" % (r["bytes"], r["steps"]) for r in mv))
    return L


# ---------------------------------------- coverage at scale (issue 20) --

def ms(x):
    return fmt(x * 1e3, " ms")


def cov_rows(res):
    """Summary rows of figures 13, 13b and 14."""
    out = []
    s = one(res, "cov_run")
    if s:
        p, c = med(s["plain"]), med(s["coverage"])
        out.append(("13. run time with `--coverage`, a 50-line loop run %d times" % s["loops"],
                    "alone %s, `--coverage` %s (%d coverage exits)" % (
                        fmt(p, " s"), fmt(c, " s"), s["exits_coverage"]),
                    "--coverage / alone", c / p, "cov_run"))
        pc, k = med(s["plain_c"]), med(s["counts"])
        out.append(("13. run time with `--coverage-counts`, the loop run %d times" %
                    s["count_loops"],
                    "alone %s, `--coverage-counts` %s (%d coverage exits, %s each)" % (
                        fmt(pc, " s"), fmt(k, " s"), s["exits_counts"],
                        us((k - pc) / s["exits_counts"])),
                    "--coverage-counts / alone", k / pc, None))
    s = one(res, "cov_start")
    if s:
        for n in s["sizes"]:
            p, c = med(s["plain_%d" % n]), med(s["cov_%d" % n])
            out.append(("13b. start-up with `--coverage`, %d lines with code" % n,
                        "alone %s, `--coverage` %s (%s)" % (ms(p), ms(c), "%+.2f ms" % (
                            (c - p) * 1e3)),
                        "--coverage / alone", c / p, None))
    s = one(res, "bp_scale")
    if s:
        ns = s["counts"]
        # Against one planted: what grows with the table, not what having
        # any breakpoint at all costs (the table shows both).
        lo, hi = (1 if 1 in ns else ns[0]), ns[-1]
        for w, label in (("hit", "a breakpoint hit (`c`)"), ("stepi", "a stepi (`s`)")):
            m = {n: med(s["%s_%d" % (w, n)]) for n in ns}
            out.append(("14. %s with %d to %d other breakpoints planted (bare RSP)" % (
                        label, ns[0], hi),
                        ", ".join("%d: %s" % (n, fmt(m[n], " µs")) for n in ns),
                        "%d / %d planted" % (hi, lo), m[hi] / m[lo], None))
        m = {n: bp_exit_rate(s, n) for n in ns}
        out.append(("14. OUT exits per second past %d to %d planted breakpoints (%d OUTs)" % (
                    ns[0], hi, s["outs"]), ", ".join("%d: %s/s" % (n, fmt(m[n])) for n in ns),
                    "%d / %d planted" % (hi, lo), m[hi] / m[lo], None))
    return out


def bp_exit_rate(s, n):
    """Exits per second of figure 14's run with n planted: (OUTs − 1) /
    (median time with all OUTs − median time with one)."""
    return (s["outs"] - 1) / (med(s["run_%d" % n]) - med(s["run1_%d" % n]))


def spread(v, f):
    return "%s–%s" % (f(min(v)), f(max(v)))


def cov_section(res):
    """The coverage section: what figures 13, 13b and 14 measure, how to
    read them, and their rounds."""
    run, start, bp = one(res, "cov_run"), one(res, "cov_start"), one(res, "bp_scale")
    if not run and not start and not bp:
        return []
    L = ["## Coverage and breakpoints at scale (issue 20)\n"]
    L.append("**What this measures.** Figure 13: what `--coverage` adds to a guest's run time. "
             "gdbvm plants a one-byte trap on the first instruction of every source line and "
             "lifts it the first time it fires, so a line costs one VM exit the first time it "
             "runs and nothing after: a loop run a million times makes as many coverage exits "
             "as one run of it. `--coverage-counts` keeps the traps, so every run of every "
             "line is an exit and a single step; the figure says how much slower that is. "
             "Figure 13b: the fixed cost of `--coverage` at start-up (reading the DWARF line "
             "table, planting a trap per line, lifting them all at the end, writing the "
             "report) for "
             "guests of 100 and 10,000 lines with code. Figure 14: the breakpoint table at "
             "scale. Coverage plants one trap per source line, tens of thousands for a small "
             "kernel, in the table that gdb's breakpoints use, and the table is consulted on "
             "every exit and every stop; its lookup by address should take the same time "
             "whether it holds none or 100,000.\n")
    L.append("**How to read it.** Figures 13 and 13b are whole-process wall times (`fork` to "
             "`wait`) of runs interleaved round by round, ratios of the medians. Figure 13's "
             "guest (`bench/guests/covloop.asm`) runs a loop body of 50 source lines ECX "
             "times (`--reg ecx=N`), then `HLT`: 51 lines with code. Each report is checked: "
             "with `--coverage` all 51 lines hit once, so the coverage exits are the lines hit; "
             "with `--coverage-counts` the counts add up to 50 N + 1, one exit each. "
             "`--coverage` against the run alone should be 1.00 whatever N is. "
             "`--coverage-counts` is timed over fewer loops (a million runs of the body would "
             "be 50 million exits), against the run alone over the same loops; (its time − "
             "the run alone's) / its exits is the cost of one counted run of a line. The runs "
             "are bound by the CPU (KVM's work is system time of gdbvm), so their CPU time "
             "(user + system, from `getrusage`) is shown too: it is less exposed than the wall "
             "time to the other work of a shared machine. On this "
             "kvm_pvm host KVM emulates every guest instruction (about 1 µs each here), so the "
             "guest alone is slow and the ratio of `--coverage-counts` is smaller than on "
             "VT-x/AMD-V, where the loop runs natively: there the cost per counted line is the "
             "figure that carries over. Figure 13b's guests (generated by `bench/bench.mk`) "
             "jump over all their lines but the last two: 3 lines run, so the difference with "
             "`--coverage` minus without is the start-up cost. Figure 14 drives gdbvm with a "
             "bare remote-protocol client (`bench/rsp.py`, no gdb, so gdb's own work per "
             "breakpoint is not in it): N breakpoints planted by `Z0` packets where the guest "
             "never runs (from 0x%x, 3 bytes apart), then, in `bench/guests/loop.asm`, one "
             "`c` from a breakpoint back to it (the first hit excluded: it probes the host) "
             "and one `s`, each the median of a session; in another session, one `c` through "
             "`bench/guests/outs.asm`'s OUT exits to its end with the N planted and never "
             "hit, and the same with one OUT: exits per second are (OUTs − 1) / (the "
             "difference of the medians), as in figure 2. Each figure is the median of the "
             "sessions over the rounds.\n" % (
                 bp["at"] if bp else 0x20000))
    if run:
        rows_ = (("alone", "plain", run["loops"], 0),
                 ("`--coverage`", "coverage", run["loops"], run["exits_coverage"]),
                 ("alone", "plain_c", run["count_loops"], 0),
                 ("`--coverage-counts`", "counts", run["count_loops"], run["exits_counts"]))
        L.append("Figure 13, %d rounds:\n" % len(run["plain"]))
        L.append("| run | loop runs | wall time (median) | range | CPU time (median) | "
                 "coverage exits | against the run alone: wall, CPU |")
        L.append("|---|---|---|---|---|---|---|")
        base = {"plain": "plain", "coverage": "plain", "plain_c": "plain_c",
                "counts": "plain_c"}
        for label, k, loops, ex in rows_:
            cpu = run.get(k + "_cpu")
            L.append("| %s | %d | %s | %s | %s | %d | %s, %s |" % (
                label, loops, fmt(med(run[k]), " s"), spread(run[k], lambda x: fmt(x, " s")),
                fmt(med(cpu), " s") if cpu else "–", ex,
                fmt(med(run[k]) / med(run[base[k]]), "x"),
                fmt(med(cpu) / med(run[base[k] + "_cpu"]), "x") if cpu else "–"))
        k, pc = med(run["counts"]), med(run["plain_c"])
        L.append("\nWith `--coverage-counts` each coverage exit (a trap, its exit, a single "
                 "step over the line's first instruction, the trap planted again) costs %s; "
                 "at that price a loop body of 50 lines run a million times would take "
                 "%s more than alone.\n" % (us((k - pc) / run["exits_counts"]), fmt(
                     (k - pc) / run["exits_counts"] * 50e6, " s")))
    if start:
        L.append("Figure 13b, %d rounds:\n" % len(start["plain_%d" % start["sizes"][0]]))
        L.append("| lines with code | alone (median) | `--coverage` (median) | difference | "
                 "ratio | per line |")
        L.append("|---|---|---|---|---|---|")
        for n in start["sizes"]:
            p, c = med(start["plain_%d" % n]), med(start["cov_%d" % n])
            L.append("| %d | %s (%s) | %s (%s) | %+.2f ms | %s | %s |" % (
                n, ms(p), spread(start["plain_%d" % n], ms), ms(c),
                spread(start["cov_%d" % n], ms), (c - p) * 1e3, fmt(c / p, "x"),
                us((c - p) / n)))
        L.append("")
    if bp:
        ns = bp["counts"]
        L.append("Figure 14, %d rounds (%d hits and %d stepi a session; the run: %d OUTs, and "
                 "1 to take out what does not grow with the exits):\n" % (
                     len(bp["run_%d" % ns[0]]), bp["hits"], bp["hits"], bp["outs"]))
        L.append("| breakpoints planted | planting them | breakpoint hit | stepi | run: %d OUTs, "
                 "1 OUT | exits/s | hit, stepi, exits/s against none planted |" % bp["outs"])
        L.append("|---|---|---|---|---|---|---|")
        h0, s0, e0 = med(bp["hit_%d" % ns[0]]), med(bp["stepi_%d" % ns[0]]), \
            bp_exit_rate(bp, ns[0])
        for n in ns:
            h, st, e = med(bp["hit_%d" % n]), med(bp["stepi_%d" % n]), bp_exit_rate(bp, n)
            pl = med(bp["plant_%d" % n])
            L.append("| %d | %s | %s (%s) | %s (%s) | %s, %s | %s | %s, %s, %s |" % (
                n, "%s (%s each)" % (ms(pl), us(pl / n)) if n else "–",
                fmt(h, " µs"), spread(bp["hit_%d" % n], lambda x: fmt(x, " µs")),
                fmt(st, " µs"), spread(bp["stepi_%d" % n], lambda x: fmt(x, " µs")),
                fmt(med(bp["run_%d" % n]), " s"), ms(med(bp["run1_%d" % n])), fmt(e),
                fmt(h / h0, "x"), fmt(st / s0, "x"), fmt(e / e0, "x")))
        L.append("")
    return L


def table_text(rs):
    if not rs:
        return "(no summary figures in this run)"
    lines = []
    w = max(len(r[0]) for r in rs)
    for fig, vals, rname, ratio, key in rs:
        unit = " MiB" if rname == "gdbvm − floor" else "x"
        r = "%s = %s" % (rname, fmt(ratio, unit)) if ratio is not None else ""
        v = verdict(key, ratio) if key else ""
        lines.append("%-*s  %-40s %-28s %s" % (w, fig, vals, r, v))
    return "\n".join(lines)


def samples(v, scale=1.0, unit=""):
    return ", ".join(fmt(x * scale) for x in v) + unit


def main(argv):
    results, report = argv[0], argv[1]
    mode = argv[2] if len(argv) > 2 else "direct"
    host = json.loads(argv[3]) if len(argv) > 3 else {}
    res = load(results)
    cfg = one(res, "config") or {"knobs": {}, "knob_text": {}, "quick": False}
    inner = one(res, "machine_inner") or {}
    rs = rows(res) + record_rows(res) + cov_rows(res)
    print()
    print("gdbvm benchmark (%s%s): medians of interleaved rounds" % (
        "nested KVM under TCG: absolute numbers are ~50-100x slow, compare ratios only"
        if mode == "nested" else "direct on /dev/kvm", ", QUICK counts" if cfg["quick"] else ""))
    print(table_text(rs))

    L = []
    now = cfg.get("date") or datetime.datetime.fromtimestamp(
        os.path.getmtime(results), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L.append("# gdbvm performance\n")
    L.append("Generated by `make bench` (`bench/run.sh`, `bench/bench.py`, `bench/report.py`) "
             "from measurements of %s; do not edit by hand: the Analysis section comes from "
             "`bench/analysis.md`.%s\n" % (now, " **Quick run: tiny counts, a smoke test only.**"
                                           if cfg["quick"] else ""))
    if mode == "nested":
        L.append("> **Measured in nested KVM under TCG.** This machine has no `/dev/kvm`, so "
                 "every figure was measured inside the nested VM of `tests/nested/kvm-vm.sh`: "
                 "a Debian kernel booted under QEMU's *software* emulation (TCG) of an AMD EPYC "
                 "CPU with SVM, running kvm-amd, one vCPU. Every guest entry, VM exit and "
                 "system call is emulated instruction by instruction, so absolute times are "
                 "~50–100x those of real hardware and their relative weights differ too (a VM "
                 "exit is much dearer relative to a system call than on hardware). Only the "
                 "ratios mean something: each one comes from programs measured side by side, "
                 "interleaved, in the same boot. On a machine with a usable `/dev/kvm`, "
                 "`make bench` runs the same measurements directly.\n")
    L.append("## Summary\n")
    L.append("Values are medians over the rounds; ratios are of those medians.\n")
    L.append("| figure | medians | ratio | target |")
    L.append("|---|---|---|---|")
    for fig, vals, rname, ratio, key in rs:
        unit = " MiB" if rname == "gdbvm − floor" else "x"
        r = "%s = **%s**" % (rname, fmt(ratio, unit)) if ratio is not None else "–"
        L.append("| %s | %s | %s | %s |" % (fig, vals, r, verdict(key, ratio) if key else "–"))
    L.append("")
    for s in res.get("skip", []):
        L.append("- Skipped: %s: %s" % (s["what"], s["why"]))
    for s in res.get("error", []):
        L.append("- **Error** in step %s: %s" % (s["step"], s["why"]))
    L.append("")
    L += ceiling_section(res)
    L += record_section(res)
    L += cov_section(res)

    # ---------------------------------------------------------- scaling
    sr = one(res, "scale_ram")
    sc = res.get("scale_conc", [])
    si = one(res, "scale_idle")
    if sr or sc or si:
        L.append("## Scaling\n")
    if sr:
        L.append("Start-up and peak memory against guest RAM size (`gdbvm -m SIZE`, the demo; "
                 "RAM is an anonymous `MAP_NORESERVE` mapping that the kernel fills on first "
                 "touch, so neither should grow):\n")
        L.append("| `-m` | start-up (median) | peak RSS (median) |")
        L.append("|---|---|---|")
        for s in sr["sizes"]:
            L.append("| %s | %s | %s |" % (s, fmt(med(sr["time_" + s]) * 1e3, " ms"),
                                          fmt(med(sr["rss_" + s]) / 1024, " MiB")))
        L.append("")
    if sc:
        L.append("VMs at once: W workers each run the demo %d times back to back (one VM per "
                 "process, all at once); the measuring machine has %s CPU(s):\n" % (
                     sc[0]["runs"] // sc[0]["workers"], inner.get("cpus", "?")))
        L.append("| workers | demo runs/s, all workers | median run time |")
        L.append("|---|---|---|")
        for s in sc:
            L.append("| %d | %s | %s |" % (s["workers"], fmt(s["runs"] / s["wall"]),
                                          fmt(s["latency"] * 1e3, " ms")))
        L.append("")
    if si:
        rss = si["rss_kib"]
        per = sum(rss) / len(rss)
        used = si.get("mem_used_kib", sum(rss)) / si["vms"]
        L.append("%d VMs held open at once (`gdbvm -S -g 127.0.0.1:0`, frozen, each waiting "
                 "for gdb): all up in %s; %s resident each (mean VmRSS); MemAvailable fell by "
                 "%s per VM (RSS plus the kernel's memory for the VM, vCPU and page tables); "
                 "with %s still available, memory would allow about %d more such VMs.\n" % (
                     si["vms"], fmt(si["seconds"], " s"), fmt(per / 1024, " MiB"),
                     fmt(used / 1024, " MiB"), fmt(si["mem_available_kib"] / 1024, " MiB"),
                     si["mem_available_kib"] / max(used, per)))

    # ------------------------------------------------------- raw numbers
    L.append("## Raw rounds\n")
    L.append("Every round, in order (the order of the programs rotates each round).\n")
    for kind, scale, unit in (("startup", 1e3, " ms"), ("startup_qemu", 1e3, " ms"),
                              ("startup_modes", 1e3, " ms"), ("mboot_qemu", 1e3, " ms"),
                              ("exits", 1e3, " ms"), ("stepi", 1, " /s"), ("stepn", 1, " /s"),
                              ("break", 1, " /s"),
                              ("dump", 1, " MB/s"), ("restore", 1, " MB/s"),
                              ("memory", 1, " KiB"), ("attach", 1e3, " ms"),
                              ("irq_idle", 1, ""), ("irq_rate", 1, "")):
        s = one(res, kind)
        if not s:
            continue
        L.append("- `%s`:" % kind)
        for k, v in s.items():
            if isinstance(v, list):
                L.append("  - %s: %s (median %s)" % (k, samples(v, scale, unit),
                                                     fmt(med(v) * scale, unit)))
        if kind == "exits":
            L.append("  - exits/s = (N − 1) / (median time with N OUTs − median time with 1); "
                     "N = %d" % s["n"])
    L.append("")

    # --------------------------------------------------- how it was run
    L.append("## How it was measured\n")
    L.append("Each figure interleaves the programs compared: round r runs each once, the "
             "order rotated every round, and the ratio is of the medians. gdb figures are "
             "timed inside gdb (`time.monotonic()` in `bench/gdb/session.py`), after "
             "`target remote` has connected, so start-up and connection are excluded; each "
             "round is a fresh target and gdb session.\n")
    L.append("- 1: whole-process wall time from `fork` to `wait` (Python `subprocess.run`), "
             "output checked (`4`); the floor is `bench/floor.c`, the smallest KVM program "
             "running the same bytes (`guests/demo.asm`); QEMU runs them as firmware "
             "(`bench/guests/qemu-fw.asm` copies them to 0000:1000; the final HLT becomes a "
             "write to an isa-debug-exit port, since QEMU does not exit on HLT).")
    L.append("- 2: `bench/guests/outs.asm`, ECX OUTs to port 0x3ff (COM1's scratch register), "
             "each a `KVM_EXIT_IO`; start-up is taken out by also running it with ECX = 1.")
    L.append("- 3, 4: `bench/guests/loop.asm` (`inc cx; nop; jmp`), at 0000:1000 on both VMMs "
             "and the ceiling; gdbserver steps the same loop as a static native x86-64 program "
             "(`bench/native_loop.S`). The script checks that CX advanced by N/3 (stepi) or N "
             "(breakpoint hits). Stepping is measured two ways: one `stepi` command at a time "
             "(gdb back at its prompt after each), and `stepi N`, where gdb steps N times "
             "within one command.")
    L.append("- 5: `restore FILE binary 0x100000` of 1 MiB of random bytes, then `dump binary "
             "memory` of it, compared; both VMMs with 4 MiB of RAM.")
    L.append("- 6: `/usr/bin/time -f %M`: the peak resident set (VmHWM) of the whole process "
             "over a demo run. Guest RAM is included only as far as touched: the demo touches "
             "one 4 KiB page under gdbvm and the floor; QEMU's figure includes the pages its "
             "firmware and its own set-up touched.")
    L.append("- 7: from starting the VMM with `-S` to gdb (`gdb -batch -nx -ex 'target remote "
             "...' -ex 'info registers'`) printing its first register line, including gdb's own "
             "start.")
    L.append("- 8: `bench/guests/idle.asm`: the PIT at 1 kHz (count 1193) into IRQ 0, the "
             "guest waiting in HLT between ticks for N seconds of the RTC (host time) and "
             "printing the ticks its handler counted; gdbvm's CPU time (user + system, from "
             "the child's rusage) against the run's wall time. Ticks below what the PIT gave "
             "are interrupts lost while gdbvm was not scheduled in time (the PIC latches one "
             "request per input, as on a PC).")
    L.append("- 9: `guests/pit_fast.asm` with the PIT's count 2 (596591 Hz): more than can be "
             "delivered, so the figure is the most IRQ 0s a guest handles per second "
             "(a handler with one OUT for the EOI and, every 16th, two RTC port accesses); "
             "the OUT exit floor is figure 2's guest (`bench/guests/outs.asm`) timed in "
             "the same rounds.\n")
    L.append("Commands (build/bench is built by `make bench-build`; PORT is picked per run):\n")
    L.append("```")
    for c in res.get("cmd", []):
        for k, v in c.items():
            if k not in ("kind", "fig"):
                L.append("%-6s %-9s %s" % (c["fig"], k, v))
    L.append("```\n")
    L.append("Counts used (`BENCH_<NAME>=N` overrides; `BENCH_QUICK=1` is the smoke test):\n")
    L.append("| knob | value | meaning |")
    L.append("|---|---|---|")
    for k, v in cfg["knobs"].items():
        L.append("| `BENCH_%s` | %s | %s |" % (k, v, cfg["knob_text"].get(k, "")))
    L.append("")
    durs = {d["step"]: d["seconds"] for d in res.get("duration", [])}
    if durs:
        L.append("Time taken by each step: " + ", ".join(
            "%s %s" % (k, fmt(v, " s")) for k, v in durs.items()) + ".\n")

    L.append("## Machine and versions\n")
    L.append("| | |")
    L.append("|---|---|")
    if mode == "nested":
        L.append("| measured in | nested KVM VM: kernel %s, CPU \"%s\" (emulated by QEMU TCG, "
                 "with SVM), %s vCPU, %s MiB |" % (inner.get("kernel"), inner.get("cpu"),
                                                   inner.get("cpus"), inner.get("mem_mib")))
        L.append("| hosting machine | kernel %s, CPU \"%s\", %s CPUs, no `/dev/kvm` |" % (
            host.get("kernel"), host.get("cpu"), host.get("cpus")))
    else:
        L.append("| machine | kernel %s, CPU \"%s\", %s CPUs, %s MiB |" % (
            inner.get("kernel"), inner.get("cpu"), inner.get("cpus"), inner.get("mem_mib")))
        module = inner.get("kvm_module") or ", ".join(
            m for m in ("kvm_intel", "kvm_amd", "kvm_pvm") if os.path.isdir("/sys/module/" + m))
        L.append("| KVM | %s%s |" % (module or "unknown", " (no VT-x/AMD-V: KVM emulates every "
                                     "guest instruction)" if module == "kvm_pvm" else ""))
    for k in ("gdbvm", "gdb", "gdbserver", "qemu", "gcc", "python"):
        L.append("| %s | %s |" % (k, inner.get(k, "?")))
    L.append("")

    # ------------------------------------------- cpu split and packets
    cpus = res.get("cpu", [])
    if cpus:
        L.append("## Where the time goes: CPU per operation\n")
        L.append("For each gdb figure, per operation (one stepi, one breakpoint hit, one 1 MiB "
                 "dump), medians over the rounds: the wall time, the CPU time gdb spent "
                 "(`time.process_time()` in gdb) and the CPU time of the target process (all its "
                 "threads, from `/proc/PID/stat`; for gdbserver, gdbserver itself, not the "
                 "traced program). What is left is time neither process was running: kernel "
                 "work charged elsewhere (ptrace, the nested VM exits) and scheduling.\n")
        L.append("| operation | program | wall | gdb CPU | target CPU | rest |")
        L.append("|---|---|---|---|---|---|")
        for c in cpus:
            for k, v in c.items():
                if k in ("kind", "what"):
                    continue
                rest = v["seconds"] - v["gdb_cpu"] - v["target_cpu"]
                L.append("| %s | %s | %s | %s | %s | %s |" % (
                    OPS.get(c["what"], c["what"]), {"qemu": "QEMU"}.get(k, k),
                    fmt(v["seconds"] * 1e3, " ms"),
                    fmt(v["gdb_cpu"] * 1e3, " ms"), fmt(v["target_cpu"] * 1e3, " ms"),
                    fmt(rest * 1e3, " ms")))
        L.append("")
    pk = res.get("packets", [])
    rtt = one(res, "rtt")
    rtt_us = med(rtt["us"]) if rtt else None
    if rtt:
        L.append("The floor of one packet: a request and its reply between two processes over "
                 "loopback TCP, with no work on either side (`bench/rtt.c`, %d round trips "
                 "a run), takes **%s** (median of %d runs: %s µs). gdb sends its packets one "
                 "at a time and waits for each reply, so an operation of P packets costs at "
                 "least P times that, whatever the stub does.\n" % (
                     rtt["n"], fmt(rtt_us, " µs"), len(rtt["us"]),
                     ", ".join(fmt(x) for x in rtt["us"])))
    if pk:
        L.append("Remote-protocol packets gdb sent per operation (`set debug remote 1` around "
                 "the timed part of separate sessions)%s:\n" % (
                     ", and what that many round trips cost at the floor" if rtt else ""))
        L.append("| operation | program | packets per op | round trips at the floor | "
                 "by type, per op |")
        L.append("|---|---|---|---|---|")
        for p in pk:
            c = p["packets"]
            per_op = sum(c.values()) / p["n"]
            L.append("| %s | %s | %s | %s | %s |" % (
                OPS.get(p["what"], p["what"]), {"qemu": "QEMU"}.get(p["prog"], p["prog"]),
                fmt(per_op),
                fmt(per_op * rtt_us / 1e3, " ms") if rtt else "–",
                ", ".join("`%s` %s" % (k, fmt(v / p["n"])) for k, v in
                          sorted(c.items(), key=lambda kv: -kv[1]))))
        L.append("")

    # ------------------------------------------------------ profiles
    ps = res.get("profile_startup", [])
    pg = res.get("profile_gdb", [])
    if ps or pg:
        L.append("## Where the time goes: `strace -f -c`\n")
        L.append("System calls per operation, counted by `strace -f -c` (all threads) around "
                 "the same runs and sessions (strace slows everything, so only the counts "
                 "matter here).\n")
        L.append("| process, operation | system calls | per operation | top calls |")
        L.append("|---|---|---|---|")
        for p in ps:
            c = p["calls"]
            top = ", ".join("%s %d" % kv for kv in sorted(c.items(), key=lambda kv: -kv[1])[:6])
            L.append("| %s, one demo run | %d | %d | %s |" % (p["prog"], sum(c.values()),
                                                               sum(c.values()), top))
        for p in pg:
            c = p["calls"]
            top = ", ".join("%s %.1f" % (k, v / p["n"]) for k, v in
                            sorted(c.items(), key=lambda kv: -kv[1])[:6])
            L.append("| %s, %d × %s (whole session) | %d | %s | %s per op |" % (
                {"qemu": "QEMU"}.get(p["prog"], p["prog"]), p["n"], p["what"],
                sum(c.values()), fmt(sum(c.values()) / p["n"]), top))
        L.append("")
        L.append("<details><summary>full strace -c tables</summary>\n")
        for p in ps + pg:
            L.append("%s %s:\n" % (p["prog"], p.get("what", "demo run")))
            L.append("```\n%s```\n" % p["text"])
        L.append("</details>\n")

    analysis = os.path.join(ROOT, "bench", "analysis.md")
    if os.path.exists(analysis):
        with open(analysis) as f:
            L.append(f.read())
    with open(report, "w") as f:
        f.write("\n".join(L).rstrip() + "\n")
    print("\nbench: report written to %s" % os.path.relpath(report, os.getcwd()))
