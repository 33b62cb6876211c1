#!/usr/bin/env python3
"""paging_client.py - raw-protocol checks of gdb memory, breakpoints and
watchpoints through the guest's page tables, and of the monitor views
(tests/e2e/test_paging_gdb.sh runs it).  Raw packets, through the
repository's own client (rsp_client.Rsp), because gdb's i8086 view cannot
yet say a 64-bit address.  Every expected value is worked out here from the
guest's source, its ELF symbols and its flat image, never from gdbvm.

Usage: paging_client.py SCENARIO PORT ELF BIN
Prints rsp:ok:NAME / rsp:fail:NAME / rsp:diag:TEXT lines, rsp:done:
at the end; the guest is left to run to its end.
"""
import re
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from rsp_client import Rsp, Fail  # noqa: E402

HIGH = 0xffffffff80000000


def symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    return {f[2]: int(f[0], 16) for f in (l.split() for l in out.splitlines()) if len(f) == 3}


class Session:
    def __init__(self, port, elf, binary):
        self.c = Rsp(port)
        self.sym = symbols(elf)
        self.image = open(binary, "rb").read()
        self.failed = 0
        self.c.request("?")
        text, _ = self.monitor("host")
        # Hosts that deliver no debug-register breakpoints (the nested
        # VM) have no backups and no user-page breakpoints.
        self.hw = "debug-register exec breakpoints delivered: yes" in text
        if not self.hw:
            print("rsp:note:this host delivers no debug-register breakpoints")
        # Hosts that report int3 to the VMM (the nested VM; not kvm_pvm)
        # plant one in a user page when no debug register is free.
        self.int3 = re.search(r"(?m)^int3 delivered \(KVM_GUESTDBG_USE_SW_BP\): yes", text) \
            is not None

    def case(self, name, cond, *diag):
        if cond:
            print("rsp:ok:" + name)
        else:
            self.failed += 1
            for d in diag:
                print("rsp:diag:" + str(d))
            print("rsp:fail:" + name)
        sys.stdout.flush()

    def req(self, payload, timeout=20):
        reply = self.c.request(payload, timeout=timeout).decode("latin-1")
        if "reason:exec" in reply and payload[:1] in ("c", "s", "v"):
            # A mode switch comes first as an exec stop; gdb then resumes
            # with a continue, which the stub answers with the stop it
            # held back, without running the guest: do the same.
            reply = self.c.request("c", timeout=timeout).decode("latin-1")
        return reply

    def monitor(self, command):
        """qRcmd: the O packets' text, then OK or an error."""
        self.c.send(__import__("rsp_client").frame("qRcmd," + command.encode().hex()))
        self.c.expect_bytes(b"+", "ack of qRcmd")
        text = ""
        while True:
            reply = self.c.read_frame().decode("latin-1")
            self.c.send(b"+")
            if reply.startswith("O") and reply != "OK":
                text += bytes.fromhex(reply[1:]).decode("latin-1")
                continue
            return text, reply

    def image_bytes(self, addr, n):
        off = addr - 0x1000
        return self.image[off:off + n]

    def linear_pc(self):
        text, _ = self.monitor("regs")
        m = re.search(r"linear pc ([0-9a-f]+)", text)
        return int(m.group(1), 16) if m else None

    def cont(self):
        return self.req("c", timeout=30)

    def stop_at(self, name, reply, pc, kind="swbreak"):
        got = self.linear_pc()
        self.case(name, reply.startswith("T05") and kind in reply and got == pc,
                  "stop reply %r" % reply, "linear pc %s, expected 0x%x" %
                  (hex(got) if got is not None else None, pc))


def without_ad(text):
    """The CPU sets accessed and dirty bits (5 and 6) in the entries it
    walks, on some hosts on every level, on others on the last: compare
    the entries without them."""
    return re.sub(r"= 0x([0-9a-f]+)", lambda m: "= 0x%x" % (int(m.group(1), 16) & ~0x60), text)


def without_accessed(text):
    """The CPU sets a descriptor's accessed bit (40) when it loads it."""
    return re.sub(r"^(0x[0-9a-f]{4}) ([0-9a-f]{16})",
                  lambda m: "%s %016x" % (m.group(1), int(m.group(2), 16) & ~(1 << 40)),
                  text, flags=re.M)


def remap(s, no_backups):
    """guests/paging/remap: CODE_VIRT maps page A, then page B.  With
    no_backups every debug register is taken first (on a host that
    delivers none, both runs are alike)."""
    code, data, user = 0x400000, 0x401000, 0x402000
    sy = s.sym
    page_a = s.image_bytes(sy["page_a"], 5)
    page_b = s.image_bytes(sy["page_b"], 5)
    backups = s.hw and not no_backups
    tag = "" if backups else "no free debug register: "
    s.req("Z0," + "%x,1" % sy["first_call"])
    s.stop_at(tag + "a breakpoint before paging is on, hit in long mode",
              s.cont(), sy["first_call"])
    s.req("z0," + "%x,1" % sy["first_call"])
    if no_backups:
        # Four hardware breakpoints on bytes never run: no debug register
        # is left to back up the software breakpoints.
        for i in range(4 if s.hw else 0):
            s.req("Z1,%x,1" % (sy["gdt"] + i))
        r = s.req("Z0,%x,1" % user)
        if s.int3:
            s.case("Z0 in a user page with no debug register free: OK (int3)",
                   r == "OK", "reply %r" % r)
            r = s.req("m%x,1" % user)
            s.case("the user page's byte reads as the guest's, not the int3",
                   r == s.image_bytes(sy["page_u"], 1).hex(), "got %r" % r)
        else:
            s.case("Z0 in a user page with no debug register free, no int3 exits: an error",
                   r.startswith("E"), "reply %r" % r)
    else:
        r = s.req("m%x,5" % code)
        s.case("m on a virtual address reads the page it maps (page A)",
               r == page_a.hex(), "got %r, want %r" % (r, page_a.hex()))
        r = s.req("m%x,8" % (data + 0x1000 - 8))
        s.case("m across a mapped page into another mapped page", len(r) == 16, "got %r" % r)
        r = s.req("m%x,10" % (user + 0x1000 - 8))
        s.case("m running from a mapped page into an unmapped one: the mapped part",
               r == s.image_bytes(sy["page_u"] + 0xff8, 8).hex(), "got %r" % r)
        for addr in (user + 0x1000, 0x600000, 0x0000800000000000, HIGH):
            r = s.req("m%x,4" % addr)
            s.case("m on unmapped or non-canonical 0x%x: an error" % addr,
                   r.startswith("E"), "got %r" % r)
        r = s.req("M%x,1:00" % (user + 0x1000))
        s.case("M on an unmapped page: an error", r.startswith("E"), "got %r" % r)
        r = s.req("X%x,0:" % data)
        s.case("X with no data on a mapped page: OK", r == "OK", "got %r" % r)
        r = s.req("Z0,%x,1" % user)
        if s.hw:
            s.case("Z0 in a user page: OK (a debug register)", r == "OK", "got %r" % r)
            taken = [s.req("Z1,%x,1" % (sy["gdt"] + i)) for i in range(4)]
            s.case("Z0 in a user page took a debug register: only 3 hbreaks fit",
                   taken[:3] == ["OK"] * 3 and taken[3].startswith("E"), "replies %r" % taken)
            for i in range(3):
                s.req("z1,%x,1" % (sy["gdt"] + i))
        elif s.int3:
            s.case("Z0 in a user page on a host without debug registers: OK (int3)",
                   r == "OK", "got %r" % r)
        else:
            s.case("Z0 in a user page on a host without debug registers or int3 exits: an error",
                   r.startswith("E"), "got %r" % r)
        r = s.req("Z0,%x,1" % 0x600000)
        s.case("Z0 on an unmapped address: an error", r.startswith("E"), "got %r" % r)
        r = s.req("Z2,%x,4" % data)
        s.case("Z2 on a virtual address: OK", r == "OK", "got %r" % r)
    s.req("Z0,%x,1" % code)
    s.stop_at(tag + "breakpoint at 0x400000 (page A) is hit", s.cont(), code)
    if not backups:
        # Nothing catches the remapping while the guest runs: a stop after
        # it lets the breakpoint move (before the resume).
        s.req("Z0,%x,1" % sy["after_remap"])
        s.stop_at(tag + "stop after the guest remapped 0x400000", s.cont(), sy["after_remap"])
        s.req("z0,%x,1" % sy["after_remap"])
    s.stop_at(tag + "the same breakpoint is hit again after 0x400000 maps page B",
              s.cont(), code)
    r = s.req("m%x,5" % code)
    s.case(tag + "0x400000 now reads page B", r == page_b.hex(),
           "got %r, want %r" % (r, page_b.hex()))
    if no_backups:
        s.req("z0,%x,1" % code)
        if s.int3:
            user_hit(s, user, "int3")
        return
    r = s.cont()
    s.case("write watchpoint on a virtual address: stop with that address",
           r.startswith("T05") and ("watch:%x;" % data) in r, "stop reply %r" % r)
    # The trap moved from page A to page B: page A (identity-mapped) holds
    # its own byte again.
    r = s.req("m%x,1" % sy["page_a"])
    s.case("page A's byte is the guest's again after the breakpoint moved",
           r == page_a[:1].hex(), "got %r" % r)
    r = s.req("m%x,4" % data)
    s.case("the watched store went through", r == (0xa1 + 0xb2).to_bytes(4, "little").hex(),
           "got %r" % r)
    s.req("z2,%x,4" % data)
    s.req("z0,%x,1" % code)
    if s.hw or s.int3:
        user_hit(s, user, "a debug register" if s.hw else "int3")


def user_hit(s, user, how):
    """The guest drops to CPL 3 in the user page: the breakpoint there (a
    debug register or an int3, not a HLT) fires in user mode, and the
    continue steps over it (the guest's exit status says it ran right)."""
    s.stop_at("breakpoint in a user page (%s) hit at CPL 3" % how, s.cont(), user)
    text, _ = s.monitor("info mode")
    s.case("monitor info mode at CPL 3", text.endswith("cpl: 3\n"), "got %r" % text)


def own_int3(s):
    """guests/paging/int3: a breakpoint in its user page made as an int3
    (every debug register taken first), while the guest executes an int3 of
    its own at CPL 0 that its IDT handler counts.  Only where the host
    reports int3 to the VMM."""
    sy = s.sym
    if not s.int3:
        print("rsp:skip:this host does not report int3 to the VMM (monitor host)")
        return False
    user = 0x400000 + sy["user_entry"] - sy["page_u"]
    # First to where paging is on (a HLT breakpoint, supervisor code).
    s.req("Z0,%x,1" % sy["long_mode"])
    s.stop_at("a breakpoint in long mode, before the IDT", s.cont(), sy["long_mode"])
    s.req("z0,%x,1" % sy["long_mode"])
    for i in range(4 if s.hw else 0):
        s.req("Z1,%x,1" % (sy["gdt"] + i))
    r = s.req("Z0,%x,1" % user)
    s.case("Z0 in the user page, no debug register free: OK (int3)", r == "OK", "got %r" % r)
    r = s.req("m%x,1" % user)
    s.case("the int3's byte reads as the guest's", r == s.image_bytes(sy["user_entry"], 1).hex(),
           "got %r" % r)
    s.stop_at("the int3 in the user page is hit at CPL 3, pc on it", s.cont(), user)
    text, _ = s.monitor("info mode")
    s.case("monitor info mode at the int3: CPL 3", text.endswith("cpl: 3\n"), "got %r" % text)
    r = s.req("m%x,4" % sy["count"])
    s.case("the guest's own int3 reached its own handler, once",
           r == (1).to_bytes(4, "little").hex(), "count %r" % r)
    r = s.req("m%x,1" % sy["user_entry"])
    s.case("the physical byte under the int3 reads as the guest's",
           r == s.image_bytes(sy["user_entry"], 1).hex(), "got %r" % r)
    for i in range(4 if s.hw else 0):
        s.req("z1,%x,1" % (sy["gdt"] + i))
    # Left inserted: the final continue steps over it (guest's byte back,
    # one step, the int3 again); the exit status says the out ran.
    return True


def switch(s):
    """guests/modes/switch: a higher-half kernel with 2 MiB pages."""
    sy = s.sym
    high = HIGH + sy["higher_half"]
    s.req("Z0,%x,1" % sy["long_low"])
    s.stop_at("breakpoint in long mode, identity-mapped", s.cont(), sy["long_low"])
    s.req("z0,%x,1" % sy["long_low"])
    r = s.req("Z0,%x,1" % high)
    s.case("Z0 on a higher-half address: OK", r == "OK", "got %r" % r)
    s.stop_at("breakpoint on a higher-half address is hit", s.cont(), high)
    text, _ = s.monitor("regs")
    s.case("monitor regs in 64-bit code: the whole RIP, not a 16-bit IP",
           text.startswith("rip %016x  linear pc %08x  " % (high, high)), "got %r" % text[:80])
    want = s.image_bytes(0x1000, 8).hex()
    r = s.req("m%x,8" % (HIGH + 0x1000))
    s.case("m (x/gx) on a higher-half virtual address", r == want, "got %r, want %r" % (r, want))
    r = s.req("m%x,1" % high)
    s.case("m at a planted breakpoint shows the guest's byte",
           r == s.image_bytes(sy["higher_half"], 1).hex(), "got %r" % r)
    r = s.req("m%x,8" % (HIGH + 0x200000))
    s.case("m past the 2 MiB mapping: an error", r.startswith("E"), "got %r" % r)

    pml4, pd = sy["pml4"], sy["pd"]
    pdpt_low, pdpt_high = sy["pdpt_low"], sy["pdpt_high"]
    text, reply = s.monitor("info mode")
    want = "mode: long mode, 64-bit code\npaging: 4-level, cr3 0x%x\ncpl: 0\n" % pml4
    s.case("monitor info mode in the higher half", text == want and reply == "OK",
           "got %r" % text, "want %r" % want)
    text, _ = s.monitor("info tab")
    want = ("4-level paging, cr3 0x%x\n" % pml4 +
            "0x%016x-0x%016x -> 0x0 size 0x200000 rw sup x\n" % (0, 0x1fffff) +
            "0x%016x-0x%016x -> 0x0 size 0x200000 rw sup x\n" % (HIGH, HIGH + 0x1fffff))
    s.case("monitor info tab: the identity and the higher-half 2 MiB",
           text == want, "got %r" % text, "want %r" % want)
    text, _ = s.monitor("translate 0x%x" % high)
    want = ("linear 0x%x, 4-level paging, cr3 0x%x\n" % (high, pml4) +
            "PML4E[511] at 0x%x = 0x%x\n" % (pml4 + 511 * 8, pdpt_high + 3) +
            "PDPTE[510] at 0x%x = 0x%x\n" % (pdpt_high + 510 * 8, pd + 3) +
            "PDE[0] at 0x%x = 0x83 (2 MiB page)\n" % pd +
            "physical 0x%x\n" % sy["higher_half"])
    s.case("monitor translate: each level of the walk", without_ad(text) == want,
           "got %r" % text, "want %r" % want)
    text, _ = s.monitor("translate 0x%x" % (HIGH - 0x1000))
    want = ("linear 0x%x, 4-level paging, cr3 0x%x\n" % (HIGH - 0x1000, pml4) +
            "PML4E[511] at 0x%x = 0x%x\n" % (pml4 + 511 * 8, pdpt_high + 3) +
            "PDPTE[509] at 0x%x = 0x0\n" % (pdpt_high + 509 * 8) +
            "not mapped: page not present\n")
    s.case("monitor translate: an unmapped address stops at its entry",
           without_ad(text) == want,
           "got %r" % text, "want %r" % want)
    text, _ = s.monitor("translate 0x800000000000")
    s.case("monitor translate: a non-canonical address",
           text.endswith("not mapped: non-canonical address\n"), "got %r" % text)
    text, _ = s.monitor("translate nonsense")
    s.case("monitor translate with a bad address: usage", text.startswith("usage:"),
           "got %r" % text)
    text, _ = s.monitor("translate")
    s.case("monitor translate without an address: usage", text.startswith("usage:"),
           "got %r" % text)
    text, reply = s.monitor("info mode please")
    s.case("monitor info mode with an argument: unknown command",
           "unknown monitor command" in text or reply.startswith("E"), "got %r %r" % (text, reply))
    gdt = sy["gdt"]
    text, _ = s.monitor("info gdt")
    # switch.asm's descriptors: limit 0xfffff in 4 KiB units (G set).
    want = ("gdt base 0x%x limit 0x1f\n" % gdt +
            "0x0008 00cf9a000000ffff code base 0x0 limit 0xffffffff dpl 0 32-bit\n"
            "0x0010 00cf92000000ffff data base 0x0 limit 0xffffffff dpl 0 32-bit\n"
            "0x0018 00af9a000000ffff code base 0x0 limit 0xffffffff dpl 0 64-bit\n")
    s.case("monitor info gdt: the guest's own GDT", without_accessed(text) == want,
           "got %r" % text, "want %r" % want)
    text, _ = s.monitor("info idt")
    s.case("monitor info idt: header and no gates (the guest sets none)",
           text.startswith("idt base 0x") and text.endswith("no gates\n") and
           "(64-bit gates)" in text, "got %r" % text)
    text, _ = s.monitor("host")
    s.case("monitor host says how a break in a user page is made",
           re.search(r"(?m)^break  \(Z0\) in a user-accessible page .*: "
                     r"(a free debug register, else refused|a free debug register, else int3 "
                     r"\(0xcc\) planted in guest memory|int3 \(0xcc\) planted in guest memory|"
                     r"refused: .*)$", text),
           "got %r" % text)
    s.case("monitor host says whether int3 reaches the VMM, and at which pc",
           re.search(r"(?m)^int3 delivered \(KVM_GUESTDBG_USE_SW_BP\): "
                     r"(yes, pc (at|one past) the int3|no)$", text), "got %r" % text)
    # A step from the higher-half breakpoint, still inserted: past it,
    # with its HLT out of the way and back afterwards.
    r = s.req("s", timeout=30)
    pc = s.linear_pc()
    s.case("stepi from a higher-half breakpoint moves on",
           r.startswith("T05") and pc is not None and high < pc < high + 16,
           "reply %r, pc %s" % (r, hex(pc) if pc is not None else None))
    r = s.req("m%x,1" % high)
    s.case("the breakpoint's byte still reads as the guest's after the step",
           r == s.image_bytes(sy["higher_half"], 1).hex(), "got %r" % r)
    s.req("z0,%x,1" % high)


def hostile(s):
    """guests/paging/remap at first_call: page tables rewritten by the test
    (through identity-mapped memory) into a loop and a pointer outside RAM."""
    sy = s.sym
    s.req("Z0,%x,1" % sy["first_call"])
    s.cont()
    s.req("z0,%x,1" % sy["first_call"])
    pml4, pdpt, pd = 0x10000, 0x11000, 0x12000
    le = lambda v: v.to_bytes(8, "little").hex()   # noqa: E731
    # Every PDPT entry but the first points back at the PDPT: a loop, and
    # 511 * 512 * 512 entries to look at.
    s.req("M%x,%x:%s" % (pdpt + 8, 8 * 511, le(pdpt + 3) * 511))
    s.req("M%x,8:%s" % (pd + 8, le(0x7ff00000000 + 3)))   # a table far outside RAM
    text, reply = s.monitor("info tab")
    lines = text.splitlines()
    s.case("monitor info tab on looping tables: bounded output, says why",
           reply == "OK" and len(lines) <= 70 and
           any(l.startswith("... more ranges not shown") or l.startswith("... stopped after")
               for l in lines), "%d lines; last %r" % (len(lines), lines[-3:]))
    text, _ = s.monitor("translate 0x200000")
    s.case("monitor translate into a table outside RAM",
           text.endswith("not mapped: page table outside guest RAM\n"), "got %r" % text)
    r = s.req("m200000,4")
    s.case("m through a table outside RAM: an error, no host memory", r.startswith("E"),
           "got %r" % r)
    # Put the tables back as they were, so the guest ends normally.
    s.req("M%x,%x:%s" % (pdpt + 8, 8 * 511, "00" * 8 * 511))
    s.req("M%x,8:%s" % (pd + 8, "00" * 8))
    _ = pml4


def main():
    scenario, port, elf, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    try:
        s = Session(port, elf, binary)
        if {"remap": lambda: remap(s, False), "remap-nodr": lambda: remap(s, True),
            "switch": lambda: switch(s), "hostile": lambda: hostile(s),
            "int3": lambda: own_int3(s)}[scenario]() is False:
            s.c.send(__import__("rsp_client").frame("k"))
            s.c.close()
            print("rsp:done:")
            return
        s.c.send(__import__("rsp_client").frame("c"))  # run to the end
        s.c.expect_bytes(b"+", "ack of the last c")
        s.c.read_frame(timeout=30)
        s.c.close()
    except (Fail, OSError, ValueError) as e:
        print("rsp:diag:%s" % e)
        print("rsp:fail:%s: the session ended early" % scenario)
    print("rsp:done:")


if __name__ == "__main__":
    main()
