# gdbvm.py - LLDB helper for gdbvm: keeps breakpoints working when the
# guest switches CPU mode.
#
# gdbvm reports a mode switch (real -> protected -> long mode) as an exec
# stop, so that LLDB reads the new registers, pointer size and triple.
# LLDB 14 then treats the program as a new one: it keeps the breakpoints in
# its list but marks their locations unresolved and no longer inserts them.
# Disabling and enabling each breakpoint again resolves and inserts it in
# the new mode.  This module does that at every exec stop, with a stop
# hook.  Load it before or after connecting:
#
#   (lldb) command script import /path/to/gdbvm/lldb/gdbvm.py
#   (lldb) gdb-remote 127.0.0.1:1234
#
# "gdbvm-rebreak" does the same by hand.
import lldb


def rebreak(target):
    """Disable and enable again every enabled breakpoint; returns how many."""
    n = 0
    for i in range(target.GetNumBreakpoints()):
        bp = target.GetBreakpointAtIndex(i)
        if bp.IsValid() and bp.IsEnabled():
            bp.SetEnabled(False)
            bp.SetEnabled(True)
            n += 1
    return n


class ExecStopHook:
    """A scripted stop hook: at an exec stop (a mode switch), re-insert the
    breakpoints.  The process stays stopped where the switch was found."""

    def __init__(self, target, extra_args, internal_dict):
        self.target = target

    def handle_stop(self, exe_ctx, stream):
        thread = exe_ctx.GetThread()
        if thread.IsValid() and thread.GetStopReason() == lldb.eStopReasonExec:
            n = rebreak(exe_ctx.GetTarget())
            stream.Print("gdbvm: CPU mode switch: %d breakpoint(s) inserted again\n" % n)
        return True


def rebreak_command(debugger, command, result, internal_dict):
    n = rebreak(debugger.GetSelectedTarget())
    result.AppendMessage("gdbvm: %d breakpoint(s) inserted again" % n)


def __lldb_init_module(debugger, internal_dict):
    debugger.HandleCommand("target stop-hook add -P %s.ExecStopHook" % __name__)
    debugger.HandleCommand("command script add -f %s.rebreak_command gdbvm-rebreak" % __name__)
