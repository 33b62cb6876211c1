# gdb_helpers.py - helpers for the gdb scripts of tests/e2e/test_gdb.sh.
#
# Each test writes a small Python script that gdb runs (gdbvm --gdb-batch, or
# gdb -batch -x against gdbvm -g); the script starts with
# "from gdb_helpers import *".  A failed check raises gdb.GdbError, which
# ends the script and makes gdb exit with status 1 (gdbvm --gdb-batch then
# exits with 24).  A script that reaches its end calls passed(), which prints
# the marker the shell side looks for; every check prints one "gdbtest:"
# line, so a failing run shows how far it got.
import re
import threading

import gdb

PASS_MARKER = "gdbtest: PASS"


class _Events:
    """What gdb reported since the last reset: the last stop and the exit."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.stop = None        # ("signal", NAME) / ("breakpoint", [numbers]) / ("stop", None)
        self.exited = False
        self.exit_code = None


events = _Events()


def _on_stop(ev):
    if isinstance(ev, gdb.BreakpointEvent):
        events.stop = ("breakpoint", [b.number for b in ev.breakpoints])
    elif isinstance(ev, gdb.SignalEvent):
        events.stop = ("signal", ev.stop_signal)
    else:
        events.stop = ("stop", None)


def _on_exit(ev):
    events.exited = True
    events.exit_code = getattr(ev, "exit_code", None)


gdb.events.stop.connect(_on_stop)
gdb.events.exited.connect(_on_exit)


def say(text):
    print("gdbtest: " + text, flush=True)


def fail(text):
    raise gdb.GdbError("gdbtest: FAIL: " + text)


def expect(cond, text):
    if not cond:
        fail(text)
    say("ok: " + text)


def _show(v):
    return "%#x" % v if isinstance(v, int) else repr(v)


def expect_eq(what, got, want):
    if got != want:
        fail("%s is %s, expected %s" % (what, _show(got), _show(want)))
    say("ok: %s == %s" % (what, _show(want)))


def expect_match(what, text, pattern):
    if not re.search(pattern, text):
        fail("%s does not match /%s/: %r" % (what, pattern, text))
    say("ok: %s matches /%s/" % (what, pattern))


def cmd(command):
    """Run a gdb command and return what it printed."""
    return gdb.execute(command, to_string=True)


def loud(command):
    """Run a gdb command with its output going to gdb's stdout/stderr."""
    gdb.execute(command)


def reg(name, bits=32):
    """A register's value as an unsigned number of the given width."""
    return int(gdb.parse_and_eval("$" + name)) & ((1 << bits) - 1)


def pc():
    return reg("pc")


def expect_pc(want, what="pc"):
    expect_eq(what, pc(), want)


def expect_reg(name, want, bits=32):
    expect_eq("$" + name, reg(name, bits), want)


def address_of(symbol):
    """The address of a symbol of the guest's ELF file."""
    return int(gdb.parse_and_eval("&%s" % symbol).cast(gdb.lookup_type("long")))


def mem(addr, length):
    return bytes(gdb.selected_inferior().read_memory(addr, length))


def expect_mem(addr, want):
    got = mem(addr, len(want))
    if got != want:
        fail("memory at %#x is %s, expected %s" % (addr, got.hex(" "), want.hex(" ")))
    say("ok: memory at %#x is %s" % (addr, want.hex(" ")))


def expect_error(command, pattern=""):
    """The command must fail (gdb.error) with a message matching pattern."""
    try:
        gdb.execute(command, to_string=True)
    except gdb.error as e:
        expect_match("the error of '%s'" % command, str(e), pattern)
        return str(e)
    fail("'%s' succeeded; it should have failed" % command)


def resume(command="continue", loud_output=True):
    """continue / stepi / ...: returns gdb's stop record (see _Events)."""
    events.reset()
    if loud_output:
        gdb.execute(command)
    else:
        gdb.execute(command, to_string=True)
    return events.stop


def stepi_to(want, what):
    """One stepi must land exactly on want."""
    resume("stepi", loud_output=False)
    if events.exited:
        fail("stepi over %s: the guest exited (expected pc %#x)" % (what, want))
    expect_eq("pc after stepi over " + what, pc(), want)


def expect_exited(code, command="continue"):
    resume(command)
    if not events.exited:
        fail("'%s' did not end the guest: stop %r at pc %#x" % (command, events.stop, pc()))
    expect_eq("the guest's exit code", events.exit_code if events.exit_code is not None else 0,
              code)


def expect_stop(kind, detail=None):
    """The last stop must be of the given kind ("signal"/"breakpoint"/"stop")
    and, when given, have this detail (a signal name or breakpoint number)."""
    stop = events.stop
    if events.exited:
        fail("expected a %s stop; the guest exited (code %r)" % (kind, events.exit_code))
    if stop is None or stop[0] != kind:
        fail("expected a %s stop, got %r" % (kind, stop))
    if detail is not None:
        if kind == "breakpoint":
            if detail not in stop[1]:
                fail("expected a stop at breakpoint %d, got %r" % (detail, stop))
        elif stop[1] != detail:
            fail("expected a %s stop with %s, got %r" % (kind, detail, stop))
    say("ok: stopped: %r" % (stop,))


def interrupt_after(seconds, tries=50):
    """Interrupt the target from gdb's main thread after a delay: start this,
    then run a synchronous 'continue' (gdb runs posted events while it waits
    for the target).  If the target is not running yet when the time comes,
    try again a little later (a bounded number of times)."""
    def act():
        thread = gdb.selected_thread()
        if thread is not None and thread.is_running():
            gdb.execute("interrupt")
        elif tries > 1:
            interrupt_after(0.1, tries - 1)

    def fire():
        gdb.post_event(act)
    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


def host_support():
    """Parse 'monitor host': {"exec": bool, "data": bool}."""
    text = cmd("monitor host")
    found = {}
    for key, word in (("exec", "exec"), ("data", "data")):
        m = re.search(r"debug-register %s breakpoints delivered: (yes|no)" % word, text)
        if not m:
            fail("'monitor host' has no %s line: %r" % (word, text))
        found[key] = m.group(1) == "yes"
    say("host: exec breakpoints %s, data breakpoints %s" %
        ("yes" if found["exec"] else "no", "yes" if found["data"] else "no"))
    return found


def passed():
    print(PASS_MARKER, flush=True)


def source_line(path, pattern):
    """The number of the first line of a source file (relative to the
    repository root) that matches the regular expression pattern."""
    import re
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if re.search(pattern, text):
                return n
    fail("no line of %s matches %r" % (path, pattern))


def frame_count(limit=64):
    """How many frames gdb unwinds from the newest one (at most limit)."""
    n, f = 0, gdb.newest_frame()
    while f is not None and n < limit:
        n, f = n + 1, f.older()
    return n


def bounded(command, seconds):
    """Run a resuming command ("stepi", "continue") with a watchdog: if the
    target is still running after seconds, interrupt it (once), so a step
    that never ends fails its check instead of hanging the test.  Returns
    True when the watchdog had to interrupt."""
    done = threading.Event()
    fired = []

    def act():
        thread = gdb.selected_thread()
        if not done.is_set() and thread is not None and thread.is_running():
            fired.append(True)
            gdb.execute("interrupt")

    timer = threading.Timer(seconds, lambda: gdb.post_event(act))
    timer.daemon = True
    timer.start()
    try:
        resume(command, loud_output=False)
    finally:
        done.set()
        timer.cancel()
    return bool(fired)
