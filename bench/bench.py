#!/usr/bin/env python3
"""bench.py - gdbvm's benchmark (driven by bench/run.sh).

  bench.py measure          run every figure on this machine's /dev/kvm;
                            print progress and one "@@BENCH-JSON {...}" line
                            per result on stdout
  bench.py report JSONL MD  compute medians and ratios from those lines,
                            print the table, write the Markdown report MD

Every figure is a ratio of two (or three) programs measured side by side:
the rounds interleave them, alternating which goes first, and each ratio
is computed from the medians of those rounds.  Counts come from BENCH_*
environment variables (see KNOBS); BENCH_QUICK=1 makes them tiny.
"""
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "build", "bench")
GDBVM = os.path.abspath(os.environ.get("GDBVM", os.path.join(ROOT, "gdbvm")))
FLOOR = os.path.join(OUT, "floor")
CEILING = os.path.join(OUT, "ceiling")  # gdb's ceiling: gdbvm's stub, no VM (bench/ceiling.c)
QEMU = os.environ.get("BENCH_QEMU", "qemu-system-x86_64")
GDB = os.environ.get("BENCH_GDB", "gdb")
TRUE = shutil.which("true") or "/bin/true"  # the cost of any process: fork, exec, exit
SESSION = os.path.join(ROOT, "bench", "gdb", "session.py")
REVERSE = os.path.join(ROOT, "bench", "gdb", "reverse.py")  # figures 10-12
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rsp  # noqa: E402 (figure 14's bare remote-protocol client)
QUICK = os.environ.get("BENCH_QUICK", "0") not in ("", "0")

# name: (full run on real KVM, full run in the nested VM, quick run, meaning).
# The nested VM is ~50-100x slower, so its counts are smaller, sized for a
# whole "make bench" of about a quarter of an hour there.
KNOBS = {
    "START_REPS": (40, 30, 3, "rounds of floor vs gdbvm start-up (figure 1)"),
    "QEMU_REPS": (9, 7, 2, "rounds of gdbvm vs QEMU start-up (figure 1)"),
    "MODE_REPS": (30, 20, 3, "rounds of real vs long mode vs Multiboot start-up (figure 1b)"),
    "OUTS": (1000000, 100000, 10000, "OUTs per run of the exit benchmark (figure 2)"),
    "OUTS_REPS": (7, 5, 2, "rounds of the exit benchmark (figure 2)"),
    "GDB_REPS": (7, 5, 2, "rounds (gdb sessions per program) of figures 3, 4, 5"),
    "STEPS": (5000, 300, 50, "stepi per gdb session (figure 3)"),
    "STEPN": (6000, 600, 200, "instructions per gdb session, by `stepi N` commands (figure 3)"),
    "STEPN_CHUNK": (1500, 300, 100, "N of each `stepi N` command (figure 3)"),
    "BPS": (2000, 200, 20, "breakpoint hits per gdb session (figure 4)"),
    "DUMPS": (5, 3, 1, "1 MiB restore + dump pairs per gdb session (figure 5)"),
    "MEM_REPS": (7, 5, 2, "rounds of peak memory (figure 6)"),
    "ATTACH_REPS": (9, 7, 2, "rounds of -S to first registers (figure 7)"),
    "SCALE_REPS": (7, 5, 2, "rounds per guest RAM size (scaling)"),
    "CONC_RUNS": (50, 20, 3, "demo runs per concurrent worker (scaling)"),
    "IDLE_VMS": (200, 64, 8, "VMs held open at once, waiting for gdb (scaling)"),
    "PROFILE_STEPS": (2000, 200, 20, "stepi and breakpoint hits under strace -c (investigation)"),
    "RTT_TRIPS": (20000, 2000, 2000, "round trips per run of bench/rtt.c (the round-trip floor)"),
    "RTT_REPS": (7, 5, 2, "runs of bench/rtt.c (the round-trip floor)"),
    "IDLE_SECONDS": (10, 10, 2, "RTC seconds the idle guest waits in HLT with a 1 kHz timer (figure 8)"),
    "IDLE_REPS": (3, 2, 1, "runs of the idle guest (figure 8)"),
    "IRQ_REPS": (5, 3, 2, "rounds of the fastest IRQ 0 vs the OUT exit floor (figure 9)"),
    "IRQ_OUTS": (200000, 20000, 10000, "OUTs per run of figure 9's exit floor"),
    "REC_INSNS": (100000, 10000, 4000, "instructions recorded per run (figures 10, 11, 12)"),
    "REC_RUNS": (3, 2, 1, "gdbvm --record-bench processes per guest, 5 rounds each (figure 10)"),
    "REC_REPS": (7, 3, 2, "rounds of the reverse-debugging gdb sessions (figures 10, 11, 12)"),
    "REC_BACK": (500, 100, 20, "reverse-stepi, then stepi, per gdb session (figure 11)"),
    "COV_LOOPS": (1000000, 100000, 20000,
                  "runs of the 50-line loop body, alone and with --coverage (figure 13)"),
    "COV_COUNT_LOOPS": (20000, 2000, 1000,
                        "runs of the same loop body, alone and with --coverage-counts (figure 13)"),
    "COV_REPS": (3, 3, 2, "rounds of figure 13"),
    "COV_START_REPS": (21, 11, 3,
                       "rounds of start-up, alone and with --coverage, 100 and 10,000 lines "
                       "(figure 13b)"),
    "BPSCALE_HITS": (300, 100, 30, "breakpoint hits, then stepi, per RSP session (figure 14)"),
    "BPSCALE_OUTS": (200000, 20000, 10000, "OUT exits of the run past N breakpoints (figure 14)"),
    "BPSCALE_REPS": (5, 3, 1, "rounds of figure 14 (each round: every N, both sessions)"),
}
QEMU_BREAK = []  # [(kind, why)]: the breakpoint kind that works with QEMU here
                 # ("break" or "hbreak"), or None and why neither does
NESTED = os.environ.get("BENCH_NESTED", "0") not in ("", "0")


def knob(name):
    direct, nested, quick, _ = KNOBS[name]
    return int(os.environ.get("BENCH_" + name, quick if QUICK else nested if NESTED else direct))


QEMU_BASE = ["-accel", "kvm", "-nodefaults", "-nographic", "-display", "none",
             "-no-reboot", "-m", "4M", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
LOOP_START, LOOP_TICK = 0x1000, 0x1003  # bench/guests/loop.asm
RC_START, RC_DONE = 0x1000, 0x100f       # bench/guests/rcompute.asm
RM_COPY, RM_COPIED = 0x1002, 0x1005      # bench/guests/rmovsb.asm
DUMP_ADDR = 0x100000                     # 1 MiB of plain RAM on both VMMs


def emit(kind, **data):
    data["kind"] = kind
    print("@@BENCH-JSON " + json.dumps(data), flush=True)


def note(msg):
    print("# " + msg, flush=True)


class BenchError(Exception):
    pass


def out(name):
    return os.path.join(OUT, name)


# ------------------------------------------------------------ processes --

def timed(argv, want_rc, want_out=None, timeout=600):
    """Run argv to its end; return its wall time, checking status and output."""
    t0 = time.monotonic()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    dt = time.monotonic() - t0
    if p.returncode != want_rc or (want_out is not None and p.stdout != want_out):
        raise BenchError("%s: status %d (expected %d), stdout %r, stderr %r" % (
            " ".join(argv), p.returncode, want_rc, p.stdout[:200], p.stderr[-400:]))
    return dt


def peak_kib(argv, want_rc):
    """Run argv under /usr/bin/time; return (max RSS in KiB, wall seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name] + argv,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=600)
        dt = time.monotonic() - t0
        if p.returncode != want_rc:
            raise BenchError("%s: status %d, stderr %r" % (" ".join(argv), p.returncode,
                                                           p.stderr[-400:]))
        return int(f.read().split()[-1]), dt


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                        return True
        except OSError:
            pass
    return False


def stop(p, timeout=20):
    try:
        return p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait()


class Target:
    """A debug target waiting for gdb: gdbvm -S, QEMU -S, gdbserver, or gdb's
    ceiling (gdbvm's stub with no VM behind it)."""

    def __init__(self, kind, guest="loop", extra=(), wrap=()):
        self.kind = kind
        if kind == "gdbvm":
            argv = [GDBVM, "-S", "-g", "127.0.0.1:0"] + list(extra) + [out(guest + ".bin")]
            pat = re.compile(rb"waiting for gdb on 127\.0\.0\.1:(\d+)")
        elif kind == "qemu":
            self.port = free_port()
            argv = [QEMU] + QEMU_BASE + ["-serial", "none", "-bios", out("qemu-%s.rom" % guest),
                                         "-S", "-gdb", "tcp:127.0.0.1:%d" % self.port]
            pat = None
        elif kind == "ceiling":
            argv = [CEILING] + list(extra) + [out(guest + ".bin")]
            pat = re.compile(rb"ceiling: waiting for gdb on 127\.0\.0\.1:(\d+)")
        elif kind == "gdbserver":
            argv = ["gdbserver", "--once", "127.0.0.1:0", out("native_loop")]
            pat = re.compile(rb"Listening on port (\d+)")
        else:
            raise ValueError(kind)
        self.argv = list(wrap) + argv
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        self.err = b""
        if pat is None:
            deadline = time.monotonic() + 120
            while not listening(self.port):
                if self.p.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("%s never listened: %r" % (kind, self.p.stderr.read()))
                time.sleep(0.001)
        else:
            while True:
                line = self.p.stderr.readline()
                if not line:
                    raise BenchError("%s ended before listening: %r" % (kind, self.err))
                self.err += line
                m = pat.search(line)
                if m:
                    self.port = int(m.group(1))
                    break
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()

    def _drain(self):
        for line in self.p.stderr:
            self.err += line

    def finish(self):
        rc = stop(self.p)
        self.drain.join(5)
        return rc


def gdb_argv(port, extra_ex=()):
    argv = [GDB, "-batch", "-nx", "-ex", "set confirm off", "-ex", "set pagination off",
            "-ex", "set sysroot /"]
    for e in extra_ex:
        argv += ["-ex", e]
    return argv + ["-ex", "target remote 127.0.0.1:%d" % port]


def packet_counts(text):
    """{packet type: count} of the packets gdb sent between the markers."""
    counts = {}
    on = False
    for line in text.splitlines():
        if "BENCH-DEBUG-BEGIN" in line:
            on = True
        elif "BENCH-DEBUG-END" in line:
            on = False
        elif on:
            m = re.search(r"Sending packet: \$(.*?)#", line)
            if m:
                p = m.group(1)
                if p[:1] in "vqQ":
                    k = re.match(r"[^:,#]*", p).group(0)
                    k = k[:7] if k.startswith("vCont;") else k
                else:
                    k = p[:2] if p[:1] in "Zz" else p[:1]
                counts[k] = counts.get(k, 0) + 1
    return counts


def gdb_session(kind, what, n, guest="loop", extra=(), wrap=(), timeout=1800, bp="break",
                debug=False):
    """One gdb session against a fresh target; return session.py's result."""
    params = {"what": what, "n": n, "start": LOOP_START, "tick": LOOP_TICK, "bp": bp,
              "debug": debug, "chunk": knob("STEPN_CHUNK"),
              "addr": DUMP_ADDR, "tmp": tempfile.gettempdir()}
    file_args = []
    if kind == "gdbserver":
        params["start"], params["tick"], params["addr"] = native_symbols()
        file_args = [out("native_loop")]
    t = Target(kind, guest, extra, wrap)
    params["pid"] = 0 if wrap else t.p.pid
    try:
        argv = gdb_argv(t.port) + ["-ex", "python BENCH = %r" % params, "-x", SESSION] + file_args
        g = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except BaseException:
        t.p.kill()
        t.finish()
        raise
    t.finish()
    m = re.search(rb"^BENCH-RESULT (.*)$", g.stdout, re.M)
    if not m:
        raise BenchError("gdb session %s %s failed: %s" % (kind, what, g.stdout[-1500:].decode(
            errors="replace")))
    r = json.loads(m.group(1))
    if debug:
        r["packets"] = packet_counts(g.stdout.decode(errors="replace"))
    if what in ("stepi", "stepn") and abs(r["cx_delta"] - r["n"] / 3) > 2:
        raise BenchError("%s: %d stepi advanced CX by %d" % (kind, r["n"], r["cx_delta"]))
    if what == "break" and r["cx_delta"] != n:
        raise BenchError("%s: %d breakpoint hits advanced CX by %d" % (kind, n, r["cx_delta"]))
    return r


_native = None


def native_symbols():
    global _native
    if _native is None:
        syms = {}
        for line in subprocess.run(["nm", out("native_loop")], stdout=subprocess.PIPE,
                                   check=True, text=True).stdout.splitlines():
            a, _, name = line.split()
            syms[name] = int(a, 16)
        _native = (syms["_start"], syms["tick"], syms["buf"])
    return _native


# The session whose packets the ceiling must answer exactly as gdbvm does:
# connection, stepi, registers, both breakpoint kinds, `stepi N`, memory
# read and write, register write (CX through 0x8000: every flag changes).
TRANSCRIPT = ["stepi", "stepi", "stepi", "stepi", "info registers",
              "break *0x%x" % LOOP_TICK, "continue", "continue", "delete", "stepi 5",
              "hbreak *0x%x" % (LOOP_TICK + 1), "continue", "continue", "delete",
              "x/16xb 0x%x" % LOOP_START, "set {char}0x2000 = 0x5a", "x/4xb 0x1ffe",
              "set $ecx = 0x7ffe", "stepi 6", "info registers", "p $pc = 0x%x" % LOOP_START,
              "stepi 2", "info registers", "kill"]


def transcript(kind):
    """The remote-protocol packets, both ways, of the TRANSCRIPT session
    against a fresh target (vKill's process id blanked)."""
    t = Target(kind, "loop")
    try:
        argv = gdb_argv(t.port, ["set debug remote 1"])
        for c in TRANSCRIPT:
            argv += ["-ex", c]
        g = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
    finally:
        t.finish()
    lines = [re.sub(r"vKill;[0-9a-f]+", "vKill;PID", m.group(0)) for m in
             re.finditer(r"(Sending packet|Packet received): .*", g.stdout.decode(
                 errors="replace"))]
    if not lines:
        raise BenchError("%s: no packets in the transcript session" % kind)
    return lines


def check_ceiling():
    """Whether the ceiling answers gdb exactly as gdbvm does: the packets of
    one scripted session, compared both ways.  Emits the verdict."""
    a, b = transcript("gdbvm"), transcript("ceiling")
    diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), None)
    if diff is None and len(a) != len(b):
        diff = min(len(a), len(b))
    first = None
    if diff is not None:
        first = {"gdbvm": a[diff] if diff < len(a) else "(end)",
                 "ceiling": b[diff] if diff < len(b) else "(end)", "at": diff}
        note("the ceiling's packets differ from gdbvm's at #%d: %r vs %r" % (
            diff, first["gdbvm"][:200], first["ceiling"][:200]))
    emit("transcript", same=diff is None, packets=len(a),
         sent=sum(1 for x in a if x.startswith("Sending")), commands=TRANSCRIPT, first_diff=first)
    return diff is None


def interleave(reps, progs, label):
    """progs: {name: fn() -> value}.  Each round runs every program once, in
    an order rotated each round.  Returns {name: [values...]}."""
    names = list(progs)
    res = {n: [] for n in names}
    for r in range(reps):
        k = r % len(names)
        order = names[k:] + names[:k]
        if (r // len(names)) % 2:
            order.reverse()
        for n in order:
            res[n].append(progs[n]())
        note("%s: round %d/%d done" % (label, r + 1, reps))
    return res


# ------------------------------------------------------------- figures --

def cmd_text(argv):
    return " ".join(a if re.fullmatch(r"[\w./:=,+-]+", a) else "'%s'" % a for a in argv)


def rel(argv):
    return [os.path.relpath(a, ROOT) if a.startswith(ROOT + "/") else a for a in argv]


def qemu_demo_argv():
    return [QEMU] + QEMU_BASE + ["-serial", "stdio", "-bios", out("qemu-demo.rom")]


def check_qemu():
    """None if QEMU runs the demo under KVM here, else why not."""
    if not shutil.which(QEMU):
        return "%s is not installed" % QEMU
    try:
        timed(qemu_demo_argv(), 21, b"4\n", timeout=300)
    except (BenchError, subprocess.TimeoutExpired) as e:
        return "QEMU with -accel kvm failed here: %s" % e
    return None


def fig_startup(have_qemu):
    floor = lambda: timed([FLOOR], 0, b"4\n")
    gdbvm = lambda: timed([GDBVM], 0, b"4\n")
    true = lambda: timed([TRUE], 0, b"")
    emit("cmd", fig="startup", floor=cmd_text(rel([FLOOR])), gdbvm=cmd_text(rel([GDBVM])),
         qemu=cmd_text(rel(qemu_demo_argv())))
    for _ in range(3):  # warm the page cache (9p in the nested VM)
        floor(), gdbvm()
    r = interleave(knob("START_REPS"), {"floor": floor, "gdbvm": gdbvm, "true": true},
                   "start-up floor/gdbvm")
    emit("startup", **r)
    if have_qemu:
        qemu = lambda: timed(qemu_demo_argv(), 21, b"4\n", timeout=300)
        qemu()
        r = interleave(knob("QEMU_REPS"), {"gdbvm": gdbvm, "qemu": qemu}, "start-up gdbvm/QEMU")
        emit("startup_qemu", **r)


def qemu_kernel_argv():
    return [QEMU] + QEMU_BASE + ["-serial", "stdio", "-kernel", out("mboot.elf")]


def qemu_kernel_run():
    """QEMU booting the Multiboot kernel; SeaBIOS's banner comes first."""
    t0 = time.monotonic()
    p = subprocess.run(qemu_kernel_argv(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    dt = time.monotonic() - t0
    if p.returncode != 21 or not p.stdout.endswith(b"4\n"):
        raise BenchError("%s: status %d (expected 21), stdout ends %r, stderr %r" % (
            " ".join(qemu_kernel_argv()), p.returncode, p.stdout[-40:], p.stderr[-400:]))
    return dt


def fig_modes(have_qemu):
    """Start-up in real mode (the demo), in long mode (the same program,
    64-bit: gdbvm writes page tables and a GDT) and as a Multiboot kernel,
    with the RAM the real-mode demo has (1M; the kernel at 1 MiB needs 2M),
    so the figure shows the cost of the mode, not of the 128M a guest
    outside real mode gets by default (the scaling figure has the cost of
    RAM).  Then the kernel with gdbvm's defaults against QEMU's -kernel."""
    long_argv = [GDBVM, "-m", "1M", "--mode", "long", out("long.bin")]
    mboot_argv = [GDBVM, "-m", "2M", out("mboot.elf")]
    real = lambda: timed([GDBVM], 0, b"4\n")
    long_ = lambda: timed(long_argv, 0, b"4\n")
    mboot = lambda: timed(mboot_argv, 21, b"4\n")
    mboot_default = lambda: timed([GDBVM, out("mboot.elf")], 21, b"4\n")
    emit("cmd", fig="modes", real=cmd_text(rel([GDBVM])), long=cmd_text(rel(long_argv)),
         mboot=cmd_text(rel(mboot_argv)), gdbvm=cmd_text(rel([GDBVM, out("mboot.elf")])),
         qemu=cmd_text(rel(qemu_kernel_argv())))
    for _ in range(3):
        real(), long_(), mboot()
    r = interleave(knob("MODE_REPS"), {"real": real, "long": long_, "mboot": mboot},
                   "start-up real/long/Multiboot")
    emit("startup_modes", **r)
    if have_qemu:
        qemu_kernel_run()
        r = interleave(knob("QEMU_REPS"), {"gdbvm": mboot_default, "qemu": qemu_kernel_run},
                       "Multiboot start-up gdbvm/QEMU")
        emit("mboot_qemu", **r)


def fig_exits():
    n = knob("OUTS")
    a = lambda k: [FLOOR, str(k)]
    b = lambda k: [GDBVM, "--reg", "ecx=%d" % k, out("outs.bin")]
    emit("cmd", fig="exits", floor=cmd_text(rel(a(n))), gdbvm=cmd_text(rel(b(n))))
    r = interleave(knob("OUTS_REPS"), {
        "floor_n": lambda: timed(a(n), 0, b""),
        "floor_1": lambda: timed(a(1), 0, b""),
        "gdbvm_n": lambda: timed(b(n), 0, b""),
        "gdbvm_1": lambda: timed(b(1), 0, b""),
    }, "exits")
    emit("exits", n=n, **r)


def rusage_run(argv, timeout=600):
    """Run argv to its end: (status, stdout, stderr, wall seconds).  Its CPU
    time is the growth of RUSAGE_CHILDREN across the call (one child at a
    time)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        stdout, stderr = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise BenchError("%s: no end after %d s" % (" ".join(argv), timeout))
    wall = time.monotonic() - t0
    return p.returncode, stdout, stderr, wall


def fig_interrupts():
    """8: an idle guest waiting in HLT with a 1 kHz timer for N RTC seconds:
    gdbvm's host CPU time against the wall time, the ticks it counted
    against what the PIT gave.  9: IRQ 0 at the PIT's fastest rate
    (guests/pit_fast.asm, count 2), interrupts handled per second, against
    the port-I/O exit floor (bench/guests/outs.asm) measured in the same
    rounds."""
    secs = knob("IDLE_SECONDS")
    idle = [GDBVM, "--reg", "ecx=%d" % secs, out("idle.bin")]
    emit("cmd", fig="irq", idle=cmd_text(rel(idle)))
    ticks, walls, cpus = [], [], []
    for r in range(knob("IDLE_REPS")):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        rc, stdout, stderr, wall = rusage_run(idle, timeout=secs * 10 + 60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if rc != 0 or not re.fullmatch(rb"\d+\n", stdout):
            raise BenchError("%s: status %d, stdout %r, stderr %r" % (
                " ".join(idle), rc, stdout[:200], stderr[-400:]))
        ticks.append(int(stdout))
        walls.append(wall)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        note("irq idle: round %d done: %d ticks, %.3f s wall, %.3f s cpu" % (
            r + 1, ticks[-1], wall, cpus[-1]))
    emit("irq_idle", seconds=secs, hz=1193182 / 1193, ticks=ticks, wall=walls, cpu=cpus)

    n = knob("IRQ_OUTS")
    fast = [GDBVM, "--reg", "cx=2", out("pit_fast.bin")]
    outs = lambda k: [GDBVM, "--reg", "ecx=%d" % k, out("outs.bin")]
    emit("cmd", fig="irq", fast=cmd_text(rel(fast)), outs=cmd_text(rel(outs(n))))

    def fast_rate():
        rc, stdout, stderr, _ = rusage_run(fast, timeout=120)
        m = re.fullmatch(rb"pit count 2: (\d+) interrupts in 1 s\n", stdout)
        if rc != 3 or not m:
            raise BenchError("%s: status %d, stdout %r, stderr %r" % (
                " ".join(fast), rc, stdout[:200], stderr[-400:]))
        return int(m.group(1))
    r = interleave(knob("IRQ_REPS"), {
        "irq_per_s": fast_rate,
        "outs_n": lambda: timed(outs(n), 0, b""),
        "outs_1": lambda: timed(outs(1), 0, b""),
    }, "irq rate")
    emit("irq_rate", n=n, **r)


def fig_gdb(have_qemu, have_gdbserver):
    reps = knob("GDB_REPS")
    steps, bps, dumps = knob("STEPS"), knob("BPS"), knob("DUMPS")
    stepn = max(1, knob("STEPN") // knob("STEPN_CHUNK")) * knob("STEPN_CHUNK")
    ex = gdb_argv(0)[:-2]
    check_ceiling()
    emit("cmd", fig="gdb",
         gdbvm=cmd_text(rel([GDBVM, "-S", "-g", "127.0.0.1:0", out("loop.bin")])),
         ceiling=cmd_text(rel([CEILING, out("loop.bin")])),
         qemu=cmd_text(rel([QEMU] + QEMU_BASE + ["-serial", "none", "-bios", out("qemu-loop.rom"),
                                                 "-S", "-gdb", "tcp:127.0.0.1:PORT"])),
         gdbserver=cmd_text(rel(["gdbserver", "--once", "127.0.0.1:0", out("native_loop")])),
         gdb=cmd_text(rel(ex + ["-ex", "target remote 127.0.0.1:PORT", "-ex",
                                "python BENCH = {...}", "-x", SESSION])))
    kinds = ["gdbvm", "ceiling"] + (["qemu"] if have_qemu else []) + \
        (["gdbserver"] if have_gdbserver else [])
    r = interleave(reps, {k: (lambda k=k: gdb_session(k, "stepi", steps)) for k in kinds}, "stepi")
    emit("stepi", **{k: [x["n"] / x["seconds"] for x in v] for k, v in r.items()})
    emit_cpu("stepi", r)
    # Figure 3b: the same stepping from one command, `stepi N` (gdb steps N
    # times without returning to its prompt).
    r = interleave(reps, {k: (lambda k=k: gdb_session(k, "stepn", stepn)) for k in kinds},
                   "stepi N")
    emit("stepn", chunk=knob("STEPN_CHUNK"),
         **{k: [x["n"] / x["seconds"] for x in v] for k, v in r.items()})
    emit_cpu("stepn", r)
    # Figure 4: gdbvm with both kinds of breakpoint (planted HLT, debug
    # register), and the ceiling with each, QEMU with the kind that works
    # on this host, gdbserver with software breakpoints.
    progs = {"gdbvm": lambda: gdb_session("gdbvm", "break", bps),
             "ceiling": lambda: gdb_session("ceiling", "break", bps)}
    if hbreak_works("gdbvm"):
        progs["gdbvm_hbreak"] = lambda: gdb_session("gdbvm", "break", bps, bp="hbreak")
        progs["ceiling_hbreak"] = lambda: gdb_session("ceiling", "break", bps, bp="hbreak")
    if have_qemu and qemu_break_kind():
        qkind = qemu_break_kind()
        emit("break_kinds", qemu=qkind)
        progs["qemu"] = lambda: gdb_session("qemu", "break", bps, bp=qkind,
                                            timeout=60 + bps * 0.1)
    if have_gdbserver:
        progs["gdbserver"] = lambda: gdb_session("gdbserver", "break", bps)
    r = interleave(reps, progs, "break")
    emit("break", **{k: [x["n"] / x["seconds"] for x in v] for k, v in r.items()})
    emit_cpu("break", r)
    r = interleave(reps, {k: (lambda k=k: gdb_session(k, "dump", dumps, extra=("-m", "4M")))
                          for k in kinds}, "dump")
    mib = 1 << 20
    emit("dump", **{k: [mib / 1e6 / statistics.median(x["dump_seconds"]) for x in v]
                    for k, v in r.items()})
    emit("restore", **{k: [mib / 1e6 / statistics.median(x["restore_seconds"]) for x in v]
                       for k, v in r.items()})
    emit_cpu("dump", r)


# ------------------------------------------- reverse debugging (issue 19) --

def rec_passes():
    """rcompute.asm's CX for about REC_INSNS instructions: 4 + 4 * CX."""
    return max(1, (knob("REC_INSNS") - 4) // 4)


def record_bench_run(guest, steps, extra=()):
    """One `gdbvm --record-bench` process: {steps, history, rounds: [{way:
    (cpu, wall)}], kvm_none}."""
    argv = [GDBVM] + list(extra) + ["--record-bench", str(steps), out(guest + ".bin")]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=1800)
    r = {"rounds": [], "kvm_none": None}
    for line in p.stdout.splitlines():
        f = line.split()
        if f[:1] == ["steps"]:
            r["steps"] = int(f[1])
        elif f[:1] == ["history"]:
            r["history"] = int(f[1])
        elif f[:1] == ["round"]:
            r["rounds"].append({f[i]: (float(f[i + 1]), float(f[i + 2]))
                                for i in range(2, len(f), 3)})
        elif f[:2] == ["kvm", "none"]:
            r["kvm_none"] = " ".join(f[2:])
    if p.returncode != 0 or "steps" not in r or not r["rounds"] or "same yes" not in p.stdout:
        raise BenchError("%s: status %d, stdout %r, stderr %r" % (
            " ".join(argv), p.returncode, p.stdout[-400:], p.stderr[-400:]))
    return r


def reverse_session(what, guest, extra, **params):
    """One gdb session of bench/gdb/reverse.py against a fresh gdbvm."""
    t = Target("gdbvm", guest, extra)
    params.update(what=what, pid=t.p.pid, start=RC_START, done=RC_DONE, copy=RM_COPY,
                  copied=RM_COPIED)
    try:
        argv = gdb_argv(t.port) + ["-ex", "python BENCH = %r" % params, "-x", REVERSE]
        g = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=3600)
    except BaseException:
        t.p.kill()
        t.finish()
        raise
    t.finish()
    m = re.search(rb"^BENCH-RESULT (.*)$", g.stdout, re.M)
    if not m:
        raise BenchError("reverse session %s failed: %s" % (what, g.stdout[-1500:].decode(
            errors="replace")))
    return json.loads(m.group(1))


def fig_record():
    """10: recording rate, the recorder alone (--record-bench: recorded vs
    the debugger's step vs bare KVM single-steps, same steps) and through
    gdb (a recorded continue vs `stepi N` vs a plain continue, same
    instructions).  11: reverse-stepi, reverse-continue and forward replay
    over the recorded instructions, next to forward stepi.  12: history
    bytes per recorded step, compute loop and a 64 KiB rep movsb."""
    passes = rec_passes()
    n = 4 + 4 * passes
    back = min(knob("REC_BACK"), n - 1)
    reg = ["--reg", "ecx=%d" % passes]
    bench_argv = [GDBVM] + reg + ["--record-bench", str(n), out("rcompute.bin")]
    emit("cmd", fig="record", bench=cmd_text(rel(bench_argv)),
         movsb=cmd_text(rel([GDBVM, "--record-bench", str(n), out("rmovsb.bin")])),
         rec=cmd_text(rel([GDBVM, "--record"] + reg + ["-S", "-g", "127.0.0.1:0",
                                                       out("rcompute.bin")])),
         plain=cmd_text(rel([GDBVM] + reg + ["-S", "-g", "127.0.0.1:0",
                                             out("rcompute.bin")])),
         gdb=cmd_text(rel(gdb_argv(0)[:-2] + ["-ex", "target remote 127.0.0.1:PORT", "-ex",
                                                "python BENCH = {...}", "-x", REVERSE])))
    runs = knob("REC_RUNS")
    for guest, extra in (("rcompute", reg), ("rmovsb", [])):
        rs = [record_bench_run(guest, n, extra) for _ in range(runs)]
        rounds = [r for x in rs for r in x["rounds"]]
        emit("rec_rate", guest=guest, steps=rs[0]["steps"], history=rs[0]["history"],
             kvm_none=rs[0]["kvm_none"],
             **{"%s_%s" % (w, c): [r[w][i] for r in rounds if w in r]
                for w in ("record", "debugger", "kvm") for i, c in ((0, "cpu"), (1, "wall"))})
        note("record bench %s: %d runs done" % (guest, runs))
    r = interleave(knob("REC_REPS"), {
        "rec": lambda: reverse_session("rec", "rcompute", ["--record"] + reg, n=n, back=back),
        "plain": lambda: reverse_session("plain", "rcompute", reg, n=n, back=back),
        "movsb": lambda: reverse_session("movsb", "rmovsb", ["--record"]),
    }, "reverse sessions")
    emit("rec_gdb", n=n, back=back, **r)


# ------------------------------------------ coverage at scale (issue 20) --

COV_BODY = 50       # lines of bench/guests/covloop.asm's loop body (then a HLT line)
BPSCALE_N = (0, 1, 1000, 10000, 100000)  # other breakpoints planted (figure 14)
BPSCALE_AT = 0x20000                     # ... from here, 3 bytes apart: code the guest never runs


def lcov_totals(path):
    """(lines with code, lines hit, sum of the hit counts) of an lcov file."""
    lf = lh = hits = 0
    with open(path) as f:
        for line in f:
            if line.startswith("DA:"):
                n = int(line.split(",")[1])
                lf += 1
                lh += n > 0
                hits += n
    return lf, lh, hits


def check_report(argv, info, want):
    """Check the lcov file info that argv wrote: (lines with code, lines
    hit, sum of the counts) must be want; then remove it."""
    got = lcov_totals(info)
    if got != want:
        raise BenchError("%s: report has (lines, hit, count sum) %r, expected %r" % (
            " ".join(argv), got, want))
    os.unlink(info)


def cov_run(argv, info, want):
    """One whole run writing the lcov file info, checked: its wall time."""
    dt = timed(argv, 0, b"")
    check_report(argv, info, want)
    return dt


def wall_cpu(argv, info=None, want=None):
    """One whole run (its report checked, with info): (wall seconds, CPU
    seconds, user + system, from the growth of RUSAGE_CHILDREN)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc, stdout, stderr, wall = rusage_run(argv, timeout=3600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc != 0 or stdout:
        raise BenchError("%s: status %d, stdout %r, stderr %r" % (
            " ".join(argv), rc, stdout[:200], stderr[-400:]))
    if info:
        check_report(argv, info, want)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fig_coverage():
    """13: the 50-line loop of bench/guests/covloop.asm run COV_LOOPS times
    alone and with --coverage (one trap per line), and COV_COUNT_LOOPS
    times alone and with --coverage-counts (a trap per run of a line; a
    million runs would be tens of millions of exits).  13b: start-up of
    guests with 100 and 10,000 lines with code, alone and with --coverage
    (reading the line table, planting and lifting a trap per line)."""
    n, nc = knob("COV_LOOPS"), knob("COV_COUNT_LOOPS")
    guest = out("covloop.elf")
    lines = COV_BODY + 1
    with tempfile.TemporaryDirectory() as d:
        info = os.path.join(d, "cov.info")
        plain = lambda k: [GDBVM, "--reg", "ecx=%d" % k, guest]
        cov = lambda k: [GDBVM, "--reg", "ecx=%d" % k, "--coverage", info, guest]
        counts = lambda k: [GDBVM, "--reg", "ecx=%d" % k, "--coverage", info,
                            "--coverage-counts", guest]
        emit("cmd", fig="cov", plain=cmd_text(rel(plain(n))),
             coverage=cmd_text(rel(cov(n))).replace(info, "FILE"),
             counts=cmd_text(rel(counts(nc))).replace(info, "FILE"))
        cov_run(cov(1), info, (lines, lines, lines))  # warm the page cache
        r = interleave(knob("COV_REPS"), {
            "plain": lambda: wall_cpu(plain(n)),
            "coverage": lambda: wall_cpu(cov(n), info, (lines, lines, lines)),
            "plain_c": lambda: wall_cpu(plain(nc)),
            "counts": lambda: wall_cpu(counts(nc), info, (lines, lines, COV_BODY * nc + 1)),
        }, "coverage run time")
        # Coverage exits: one per line hit (--coverage), one per run of a
        # line (--coverage-counts: the sum of the report's counts).
        emit("cov_run", loops=n, count_loops=nc, lines=lines, exits_coverage=lines,
             exits_counts=COV_BODY * nc + 1, **{k: [w for w, _ in v] for k, v in r.items()},
             **{k + "_cpu": [c for _, c in v] for k, v in r.items()})

        progs, gl = {}, {}
        for k in (100, 10000):
            g = out("covlines%d.elf" % k)
            gl[k] = g
            # 3 lines run: the jump, and the last two it jumps to.
            progs["plain_%d" % k] = lambda g=g: timed([GDBVM, g], 0, b"")
            progs["cov_%d" % k] = lambda g=g, k=k: cov_run([GDBVM, "--coverage", info, g], info,
                                                           (k, 3, 3))
        emit("cmd", fig="cov", start=cmd_text(rel([GDBVM, gl[10000]])),
             start_cov=cmd_text(rel([GDBVM, "--coverage", "FILE", gl[10000]])))
        for f in progs.values():
            f()
        r = interleave(knob("COV_START_REPS"), progs, "coverage start-up")
        emit("cov_start", sizes=[100, 10000], **r)


def bpscale_plant(c, n):
    """Plant n breakpoints where the guest never runs; return the seconds."""
    t0 = time.monotonic()
    c.pipeline([b"Z0,%x,1" % (BPSCALE_AT + 3 * i) for i in range(n)], b"OK")
    return time.monotonic() - t0


def rsp_session(n, guest, extra, fn):
    """A fresh gdbvm -S running guest, a bare RSP client connected to it
    with n breakpoints planted: fn(client, seconds the planting took)'s
    value, the target ended whatever happens."""
    t = Target("gdbvm", guest, extra)
    try:
        c = rsp.Client(t.port)
        v = fn(c, bpscale_plant(c, n))
        c.close()
    except (OSError, rsp.RspError) as e:
        t.p.kill()
        t.finish()
        raise BenchError("figure 14, %d planted: %s" % (n, e))
    except BaseException:
        t.p.kill()
        t.finish()
        raise
    t.finish()
    return v


def bpscale_loop(n):
    """With n others planted: a breakpoint in bench/guests/loop.asm hit
    BPSCALE_HITS times by `c` (after one first hit, which probes the host
    and starts the dirty log), then as many `s`.  Medians, in µs."""
    k = knob("BPSCALE_HITS")

    def session(c, plant):
        c.cmd(b"Z0,%x,1" % LOOP_TICK, b"OK")
        c.cmd(b"c", b"T05")
        hits, steps = [], []
        for _ in range(k):
            t0 = time.monotonic()
            c.cmd(b"c", b"T05")
            hits.append(time.monotonic() - t0)
        pc = int.from_bytes(bytes.fromhex(c.cmd(b"p8").decode()), "little")  # eip
        if pc != LOOP_TICK:
            raise BenchError("figure 14: stopped at 0x%x, not at the breakpoint" % pc)
        c.cmd(b"z0,%x,1" % LOOP_TICK, b"OK")
        for _ in range(k):
            t0 = time.monotonic()
            c.cmd(b"s", b"T05")
            steps.append(time.monotonic() - t0)
        return {"hit": statistics.median(hits) * 1e6, "stepi": statistics.median(steps) * 1e6,
                "plant": plant}
    return rsp_session(n, "loop", [], session)


def bpscale_run(n, outs):
    """With n planted and never hit: one `c` through the OUT exits of
    bench/guests/outs.asm to its end.  Seconds."""
    def session(c, plant):
        t0 = time.monotonic()
        c.cmd(b"c", b"W00")
        return time.monotonic() - t0
    return rsp_session(n, "outs", ["--reg", "ecx=%d" % outs], session)


def fig_bpscale():
    """14: breakpoints at scale, through a bare RSP client (bench/rsp.py):
    the cost of a breakpoint hit and of a stepi with 0 to 100,000 other
    breakpoints planted, and the exits per second of a run past them
    (BPSCALE_OUTS OUTs, less the same run with one: what does not grow
    with the exits taken out, as in figure 2)."""
    outs = knob("BPSCALE_OUTS")
    progs = {}
    for n in BPSCALE_N:
        progs["loop_%d" % n] = lambda n=n: bpscale_loop(n)
        progs["run_%d" % n] = lambda n=n: bpscale_run(n, outs)
        progs["run1_%d" % n] = lambda n=n: bpscale_run(n, 1)
    emit("cmd", fig="bp",
         loop=cmd_text(rel([GDBVM, "-S", "-g", "127.0.0.1:0", out("loop.bin")])),
         run=cmd_text(rel([GDBVM, "-S", "-g", "127.0.0.1:0", "--reg",
                           "ecx=%d" % knob("BPSCALE_OUTS"), out("outs.bin")])))
    r = interleave(knob("BPSCALE_REPS"), progs, "breakpoints at scale")
    emit("bp_scale", counts=list(BPSCALE_N), at=BPSCALE_AT, hits=knob("BPSCALE_HITS"),
         outs=outs,
         **{"%s_%d" % (w, n): [x[w] for x in r["loop_%d" % n]]
            for n in BPSCALE_N for w in ("hit", "stepi", "plant")},
         **{"%s_%d" % (w, n): r["%s_%d" % (w, n)] for n in BPSCALE_N for w in ("run", "run1")})


def emit_cpu(what, r):
    """Where the wall time of the timed part went, per operation (medians):
    gdb's CPU, the target process's CPU, and the rest (waiting: scheduling,
    the kernel's work not charged to either, the other CPU-bound side)."""
    d = {}
    for k, v in r.items():
        d[k] = {f: statistics.median(x[f] / x["n"] for x in v)
                for f in ("seconds", "gdb_cpu", "target_cpu")}
    emit("cpu", what=what, **d)


def qemu_break_kind():
    """The breakpoint kind gdb can use with QEMU here, "break" or "hbreak",
    or None (probed once)."""
    if not QEMU_BREAK:
        kind, why = probe_qemu_break()
        QEMU_BREAK.append((kind, why))
        if why:
            emit("skip", what="QEMU breakpoint hits (figure 4)", why=why)
            note("QEMU breakpoints skipped: " + why)
        elif kind != "break":
            note("QEMU: software breakpoints do not stop here; hardware ones do")
    return QEMU_BREAK[0][0]


def hbreak_works(kind):
    """Whether hardware breakpoints stop kind's guest 20 times here (they
    need debug-register exits, which not every host delivers)."""
    try:
        gdb_session(kind, "break", 20, bp="hbreak", timeout=30)
        return True
    except (subprocess.TimeoutExpired, BenchError) as e:
        emit("skip", what="%s hardware breakpoint hits (figure 4)" % kind, why=str(e)[-300:])
        return False


def probe_qemu_break():
    """(kind, None) for the first breakpoint kind that stops QEMU 20 times in
    a row here, else (None, why not).  On hosts where KVM does not pass the
    guest's #BP to QEMU (kvm_pvm), software breakpoints stop seldom or never."""
    tried = []
    for bp in ("break", "hbreak"):
        try:
            gdb_session("qemu", "break", 20, bp=bp, timeout=30)
            return bp, None
        except subprocess.TimeoutExpired:
            tried.append("`%s *0x%x` then 20 x `continue`: not done within 30 s" % (bp, LOOP_TICK))
        except BenchError as e:
            tried.append("`%s`: %s" % (bp, str(e)[-300:]))
    return None, "gdb breakpoints do not work with QEMU/KVM here: " + "; ".join(tried)


def fig_rtt():
    """The floor under the gdb figures: one packet's round trip between two
    processes over loopback TCP, with no work on either side."""
    n = knob("RTT_TRIPS")
    us = []
    for _ in range(knob("RTT_REPS")):
        p = subprocess.run([out("rtt"), str(n)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        if p.returncode != 0:
            raise BenchError("rtt: status %d: %r" % (p.returncode, p.stderr[-300:]))
        us.append(float(p.stdout))
    emit("rtt", n=n, us=us)


def fig_memory(have_qemu):
    progs = {"floor": lambda: peak_kib([FLOOR], 0)[0],
             "gdbvm": lambda: peak_kib([GDBVM], 0)[0]}
    if have_qemu:
        progs["qemu"] = lambda: peak_kib(qemu_demo_argv(), 21)[0]
    r = interleave(knob("MEM_REPS"), progs, "peak memory")
    emit("memory", **r)


def attach_time(kind):
    """Seconds from starting the VMM with -S to gdb printing registers."""
    guest = "loop"
    t = Target(kind, guest)
    g = subprocess.Popen(gdb_argv(t.port) + ["-ex", "info registers", "-ex", "kill"],
                         stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = None
    for line in g.stdout:
        if re.match(rb"^[er]ax\s+0x", line):
            seen = time.monotonic() - t.t0
            break
    g.stdout.read()
    stop(g)
    t.finish()
    if seen is None:
        raise BenchError("%s: gdb showed no registers" % kind)
    return seen


def fig_attach(have_qemu):
    progs = {"gdbvm": lambda: attach_time("gdbvm"), "ceiling": lambda: attach_time("ceiling")}
    if have_qemu:
        progs["qemu"] = lambda: attach_time("qemu")
    r = interleave(knob("ATTACH_REPS"), progs, "attach")
    emit("attach", **r)


def fig_scaling():
    sizes = ["1M", "16M", "256M", "1G"]
    reps = knob("SCALE_REPS")
    progs = {}
    for s in sizes:
        progs["time_" + s] = (lambda s=s: timed([GDBVM, "-m", s], 0, b"4\n"))
        progs["rss_" + s] = (lambda s=s: peak_kib([GDBVM, "-m", s], 0)[0])
    r = interleave(reps, progs, "RAM size")
    emit("scale_ram", sizes=sizes, **r)

    # Concurrent VMs: W workers, each running the demo CONC_RUNS times in a row.
    runs = knob("CONC_RUNS")
    for w in (1, 2, 4, 8):
        lat = []
        lock = threading.Lock()

        def worker():
            for _ in range(runs):
                dt = timed([GDBVM], 0, b"4\n")
                with lock:
                    lat.append(dt)
        t0 = time.monotonic()
        ts = [threading.Thread(target=worker) for _ in range(w)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        wall = time.monotonic() - t0
        emit("scale_conc", workers=w, runs=w * runs, wall=wall, latency=statistics.median(lat))
        note("concurrent VMs: %d workers done" % w)

    # VMs held open at once (frozen, waiting for gdb): memory of each.
    n = knob("IDLE_VMS")
    avail0 = mem_available()
    t0 = time.monotonic()
    targets = []
    try:
        for _ in range(n):
            targets.append(Target("gdbvm", "loop"))
        up = time.monotonic() - t0
        rss = []
        for t in targets:
            with open("/proc/%d/status" % t.p.pid) as f:
                rss.append(int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)))
        time.sleep(1)
        avail = mem_available()
        emit("scale_idle", vms=n, seconds=up, rss_kib=rss, mem_available_kib=avail,
             mem_used_kib=avail0 - avail)
    finally:
        for t in targets:
            t.p.terminate()
        for t in targets:
            t.finish()


def mem_available():
    with open("/proc/meminfo") as f:
        return int(re.search(r"MemAvailable:\s+(\d+)", f.read()).group(1))


def strace_summary(path):
    """The strace -c table as text, and {syscall: calls}."""
    with open(path) as f:
        text = f.read()
    calls = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and re.fullmatch(r"[\d.]+", f[0]) and f[-1] != "total":
            calls[f[-1]] = int(f[3])
    return text, calls


def profile_startup(have_qemu):
    """strace -c of one demo run of each program."""
    progs = [("floor", [FLOOR], 0), ("gdbvm", [GDBVM], 0)]
    if have_qemu:
        progs.append(("qemu", qemu_demo_argv(), 21))
    with tempfile.TemporaryDirectory() as d:
        for name, argv, rc in progs:
            f = os.path.join(d, name)
            p = subprocess.run(["strace", "-f", "-c", "-o", f] + argv, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if p.returncode != rc:
                raise BenchError("strace %s: status %d" % (name, p.returncode))
            text, calls = strace_summary(f)
            emit("profile_startup", prog=name, text=text, calls=calls)


def profile(have_qemu):
    """Where the time goes: strace -c of start-up and of a stepi session."""
    if not shutil.which("strace"):
        emit("profile_skip", why="strace is not installed")
        return
    profile_startup(have_qemu)
    with tempfile.TemporaryDirectory() as d:
        n = knob("PROFILE_STEPS")
        kinds = ["gdbvm", "ceiling"] + (["qemu"] if have_qemu else [])
        for kind in kinds:
            for what, count in (("stepi", n), ("break", n)):
                bp = qemu_break_kind() if kind == "qemu" else "break"
                if not bp:
                    continue
                f = os.path.join(d, kind + what)
                gdb_session(kind, what, count, wrap=("strace", "-f", "-c", "-o", f), bp=bp)
                text, calls = strace_summary(f)
                emit("profile_gdb", prog=kind, what=what, n=count, text=text, calls=calls)
        for kind in kinds + (["gdbserver"] if shutil.which("gdbserver") else []):
            for what, count in (("stepi", 20), ("stepn", knob("STEPN_CHUNK")), ("break", 20),
                                ("dump", 1)):
                bp = qemu_break_kind() if kind == "qemu" else "break"
                if not bp:
                    continue
                r = gdb_session(kind, what, count, extra=("-m", "4M"), debug=True, bp=bp)
                emit("packets", prog=kind, what=what, n=count, packets=r["packets"])
        f = os.path.join(d, "gdbvmdump")
        gdb_session("gdbvm", "dump", 1, extra=("-m", "4M"), wrap=("strace", "-f", "-c", "-o", f))
        text, calls = strace_summary(f)
        emit("profile_gdb", prog="gdbvm", what="dump", n=1, text=text, calls=calls)


def kvm_module():
    """Which KVM serves /dev/kvm: kvm_intel (VT-x), kvm_amd (AMD-V) or
    kvm_pvm (every guest instruction emulated), as /sys/module shows."""
    mods = [m for m in ("kvm_intel", "kvm_amd", "kvm_pvm") if os.path.isdir("/sys/module/" + m)]
    return ", ".join(mods) or "unknown"


def version(argv):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=60)
        return p.stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not available"


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        if m:
            cpu = m.group(1)
    with open("/proc/meminfo") as f:
        mem = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    return {"kernel": platform.release(), "cpu": cpu, "cpus": os.cpu_count(),
            "mem_mib": mem // 1024}


def measure():
    for f in (GDBVM, FLOOR, CEILING, out("outs.bin"), out("loop.bin"), out("qemu-loop.rom"),
              out("long.bin"), out("mboot.elf"), out("idle.bin"), out("pit_fast.bin"),
              out("rcompute.bin"), out("rmovsb.bin"), out("covloop.elf"),
              out("covlines100.elf"), out("covlines10000.elf")):
        if not os.path.exists(f):
            raise BenchError("%s is missing: run 'make gdbvm bench-build'" % f)
    t_start = time.monotonic()
    knobs = {k: knob(k) for k in KNOBS}
    emit("config", quick=QUICK, knobs=knobs, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
         knob_text={k: v[3] for k, v in KNOBS.items()}, nested=NESTED)
    vm = machine()
    vm.update(gdb=version([GDB, "--version"]), qemu=version([QEMU, "--version"]),
              gdbserver=version(["gdbserver", "--version"]), gcc=version(["gcc", "--version"]),
              python=platform.python_version(), kvm=os.path.exists("/dev/kvm"),
              kvm_module=kvm_module(), gdbvm=version([GDBVM, "--version"]))
    emit("machine_inner", **vm)

    # BENCH_SKIP="qemu gdbserver" leaves those peers out (for example to
    # compare gdbvm with gdb's ceiling alone, over more rounds).
    skip = os.environ.get("BENCH_SKIP", "").split()
    why_qemu = "left out (BENCH_SKIP)" if "qemu" in skip else check_qemu()
    have_qemu = why_qemu is None
    if not have_qemu:
        emit("skip", what="QEMU", why=why_qemu)
        note("QEMU skipped: " + why_qemu)
    have_gdbserver = "gdbserver" not in skip and shutil.which("gdbserver") is not None
    if not have_gdbserver:
        emit("skip", what="gdbserver", why="left out (BENCH_SKIP)" if "gdbserver" in skip
             else "gdbserver is not installed")

    steps = [("start-up", lambda: fig_startup(have_qemu)),
             ("modes", lambda: fig_modes(have_qemu)),
             ("exits", fig_exits),
             ("gdb", lambda: fig_gdb(have_qemu, have_gdbserver)),
             ("round-trip", fig_rtt),
             ("memory", lambda: fig_memory(have_qemu)),
             ("attach", lambda: fig_attach(have_qemu)),
             ("scaling", fig_scaling),
             ("interrupts", fig_interrupts),
             ("record", fig_record),
             ("coverage", fig_coverage),
             ("bp-scale", fig_bpscale),
             ("profile", lambda: profile(have_qemu))]
    only = os.environ.get("BENCH_ONLY", "").split()
    for name, fn in steps:
        if only and name not in only:
            continue
        t = time.monotonic()
        note("=== %s" % name)
        try:
            fn()
        except (BenchError, subprocess.SubprocessError, OSError) as e:
            emit("error", step=name, why=str(e))
            note("ERROR in %s: %s" % (name, e))
        emit("duration", step=name, seconds=time.monotonic() - t)
    emit("duration", step="all", seconds=time.monotonic() - t_start)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "measure":
        measure()
    elif len(sys.argv) >= 4 and sys.argv[1] == "report":
        import report
        report.main(sys.argv[2:])
    else:
        sys.exit("usage: bench.py measure | bench.py report RESULTS.jsonl REPORT.md [INFO...]")
