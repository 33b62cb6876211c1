#!/usr/bin/env python3
# rsp_client.py - a small GDB Remote Serial Protocol client of gdbvm's own,
# for tests that must send what no debugger would: bad checksums, cut-off
# and oversized packets, bad hex, binary garbage, endless reconnects, a
# client that stops reading.  Python 3 standard library only.
#
#   rsp_client.py hostile --port N --pid PID --ram SIZE --vmerr FILE [--cycles N]
#                         [--rapid N]
#       runs the hostile-input suite against a gdbvm started with
#       "-g 127.0.0.1:0 -S -m SIZE" on a guest that is "jmp $" at 0x1000.
#   rsp_client.py selfmod --port N    (gdbvm -S guests/selfmod.bin)
#   rsp_client.py timeout --gdbvm PATH --guest guests/spin.bin --seconds N
#   rsp_client.py stalled --gdbvm PATH --guest guests/flood.bin
#       (these two start gdbvm themselves)
#       guest-fault checks of tests/e2e/test_guest_faults.sh.
#
# Results go to stdout, one per line, for the shell side (test_hostile.sh)
# to turn into TAP:  "rsp:ok:NAME", "rsp:diag:TEXT" (diagnostics of the
# next failure), "rsp:fail:NAME", "rsp:note:TEXT", and "rsp:done" at the end.
# Every wait is bounded (TIMEOUT seconds unless said otherwise).
import argparse
import hashlib
import os
import random
import re
import select
import socket
import struct
import sys
import time

TIMEOUT = 20.0          # any single expected reply (the nested VM is slow)
HOST = "127.0.0.1"

# errno values as the stub prints them ("E%02x" of -errno).
E_INVAL = "E16"         # EINVAL 22
E_FAULT = "E0e"         # EFAULT 14
E_NOENT = "E02"         # ENOENT 2
E_SRCH = "E03"          # ESRCH 3
E_NOSPC = "E1c"         # ENOSPC 28
BP_MANY = 4096          # software breakpoints planted at once (t_breakpoints)
E_RANGE = "E22"         # ERANGE 34
E_NOTSUP = "E5f"        # EOPNOTSUPP 95
E_BUSY_RUNNING = "E10"  # a packet while the guest runs


class Fail(Exception):
    """A check failed; the message says which and why."""


def checksum(data):
    return sum(data) & 0xff


def escape(payload):
    out = bytearray()
    for b in payload:
        if b in b"#$}*":
            out += bytes([0x7d, b ^ 0x20])
        else:
            out.append(b)
    return bytes(out)


def frame(payload, escaped=True):
    """The framed packet "$payload#cs" (escaped as the protocol wants)."""
    if isinstance(payload, str):
        payload = payload.encode("latin-1")
    body = escape(payload) if escaped else payload
    return b"$" + body + b"#" + b"%02x" % checksum(body)


def show(data, limit=120):
    if isinstance(data, str):
        data = data.encode("latin-1")
    text = repr(bytes(data))
    return text if len(text) <= limit else text[:limit] + "...(%d bytes)" % len(data)


class Rsp:
    """One connection to the stub, with a receive buffer and deadlines."""

    def __init__(self, port, rcvbuf=None, timeout=TIMEOUT):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((HOST, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.last_frame = None      # the last whole frame received
        self.ack = True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.settimeout(TIMEOUT)
        self.sock.sendall(data)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Fail("timed out waiting for the stub (have %s)" % show(self.buf))
        r, _, _ = select.select([self.sock], [], [], left)
        if not r:
            raise Fail("timed out waiting for the stub (have %s)" % show(self.buf))
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Fail("the stub closed the connection (have %s)" % show(self.buf))
        self.buf += chunk

    def read_exact(self, n, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while len(self.buf) < n:
            self._fill(deadline)
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def read_frame(self, timeout=TIMEOUT):
        """Read one "$...#cs" frame (which must come next); check its
        checksum; return the unescaped payload."""
        deadline = time.monotonic() + timeout
        while True:
            if self.buf[:1] not in (b"", b"$"):
                raise Fail("expected a packet, got %s" % show(self.buf))
            end = self.buf.find(b"#")
            if end >= 0 and len(self.buf) >= end + 3:
                break
            self._fill(deadline)
        raw = bytes(self.buf[:end + 3])
        del self.buf[:end + 3]
        body = raw[1:end]
        if b"%02x" % checksum(body) != raw[end + 1:end + 3]:
            raise Fail("bad checksum from the stub: %s" % show(raw))
        self.last_frame = raw
        out = bytearray()
        it = iter(body)
        for b in it:
            if b == 0x7d:
                out.append(next(it) ^ 0x20)
            else:
                out.append(b)
        return bytes(out)

    def expect_bytes(self, want, what, timeout=TIMEOUT):
        got = self.read_exact(len(want), timeout)
        if got != want:
            raise Fail("%s: expected %s, got %s" % (what, show(want), show(got + self.buf)))

    def request(self, payload, expect=None, timeout=TIMEOUT, raw=None):
        """Send a packet, expect '+' (in ack mode), read the reply, ack it.
        expect: the exact reply (str/bytes) or a compiled regex."""
        self.send(raw if raw is not None else frame(payload))
        if self.ack:
            self.expect_bytes(b"+", "the acknowledgement of %s" % show(payload, 60), timeout)
        reply = self.read_frame(timeout)
        if self.ack:
            self.send(b"+")
        check_reply(payload, reply, expect)
        return reply

    def no_reply_request(self, payload):
        self.send(frame(payload))
        if self.ack:
            self.expect_bytes(b"+", "the acknowledgement of %s" % show(payload, 60))


def check_reply(what, reply, expect):
    if expect is None:
        return
    if isinstance(expect, str):
        expect = expect.encode("latin-1")
    if isinstance(expect, bytes):
        if reply != expect:
            raise Fail("%s: reply %s, expected %s" % (show(what, 60), show(reply), show(expect)))
    elif not expect.fullmatch(reply):
        raise Fail("%s: reply %s does not match /%s/" %
                   (show(what, 60), show(reply), expect.pattern.decode("latin-1")))


# ---------------------------------------------------------------- model --

class ParserModel:
    """What gdbstub/packet.c does with a byte stream, to predict the stub's
    answers to garbage: '$' starts a packet anywhere (also inside one), '#'
    and two hex digits end it, '}' escapes the next byte, a non-hex
    checksum digit is a bad checksum, and outside a packet '+' and 0x03 are
    ignored (the target is stopped) and '-' asks for a retransmission."""

    MAX = 16384

    def __init__(self):
        self.state = "idle"
        self.reset()

    def reset(self):
        self.sum = 0
        self.want = 0
        self.len = 0

    def feed(self, b):
        """Returns None, "bad", "nack", "packet" or "toolong"."""
        st = self.state
        if st == "idle":
            if b == 0x24:
                self.reset()
                self.state = "data"
            elif b == 0x2d:
                return "nack"
            return None
        if b == 0x24:                       # a new packet cuts this one short
            self.reset()
            self.state = "data"
            return None
        if st == "data":
            if b == 0x23:
                self.state = "cs1"
                return None
            self.sum = (self.sum + b) & 0xff
            if b == 0x7d:
                self.state = "esc"
            else:
                self.len += 1
            return None
        if st == "esc":
            self.sum = (self.sum + b) & 0xff
            self.len += 1
            self.state = "data"
            return None
        d = hexval(b)
        if d is None:
            self.state = "idle"
            return "bad"
        self.want = (self.want << 4 | d) & 0xff
        if st == "cs1":
            self.state = "cs2"
            return None
        self.state = "idle"
        if self.want != self.sum:
            return "bad"
        return "toolong" if self.len > self.MAX else "packet"

    def copy(self):
        m = ParserModel()
        m.__dict__.update(self.__dict__)
        return m


def hexval(b):
    if 0x30 <= b <= 0x39:
        return b - 0x30
    if 0x61 <= b <= 0x66:
        return b - 0x61 + 10
    if 0x41 <= b <= 0x46:
        return b - 0x41 + 10
    return None


# ---------------------------------------------------------------- suite --

class Suite:
    def __init__(self, args):
        self.port = args.port
        self.pid = args.pid
        self.ram = args.ram
        self.vmerr = args.vmerr
        self.cycles = args.cycles
        self.rapid = args.rapid
        self.c = None
        self.regs = None
        self.ram_sum = None
        self.stop_reply = None
        self.packet_size = None
        self.failed = 0

    # -- output
    @staticmethod
    def out(kind, text):
        print("rsp:%s:%s" % (kind, text.replace("\n", " | ")), flush=True)

    def note(self, text):
        self.out("note", text)

    # -- the process
    def alive(self):
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state not in ("Z", "X")

    def nfds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def refusals(self):
        with open(self.vmerr, errors="replace") as f:
            return f.read().count("gdbvm: refused a second gdb connection")

    # -- the main connection and the invariants
    def connect(self):
        if self.c:
            self.c.close()
        self.c = Rsp(self.port)
        return self.c

    def read_ram(self, c=None):
        c = c or self.c
        data = bytearray()
        for addr in range(0, self.ram, 0x2000):
            data += bytes.fromhex(c.request("m%x,2000" % addr).decode())
        if len(data) != self.ram:
            raise Fail("read %d bytes of RAM, expected %d" % (len(data), self.ram))
        return bytes(data)

    def snapshot(self):
        self.regs = self.c.request("g", re.compile(rb"[0-9a-f]+"))
        self.image = self.read_ram()
        self.ram_sum = hashlib.sha256(self.image).hexdigest()

    def invariants(self):
        """The VMM lives, answers, and the guest is exactly as before."""
        if not self.alive():
            raise Fail("gdbvm (pid %d) is gone" % self.pid)
        c = self.c
        if c is None:
            c = self.connect()
        c.request("?", re.compile(rb"T0[25][0-9a-f:;]*thread:1;"))
        regs = c.request("g")
        if regs != self.regs:
            raise Fail("registers changed: %s, before %s" % (show(regs), show(self.regs)))
        now = hashlib.sha256(self.read_ram(c)).hexdigest()
        if now != self.ram_sum:
            raise Fail("guest RAM changed (sha256 %s, before %s)" % (now[:16], self.ram_sum[:16]))

    def case(self, name, fn):
        try:
            fn()
            self.invariants()
        except (Fail, OSError, ValueError) as e:
            self.failed += 1
            self.out("diag", "%s: %s" % (type(e).__name__, e))
            self.out("fail", name)
            # Start the next case on a fresh connection.
            try:
                self.connect()
            except OSError as e2:
                self.out("diag", "reconnecting failed: %s" % e2)
            return
        self.out("ok", name)

    def table(self, rows):
        """rows: (packet, expected reply) with the main connection."""
        for pkt, want in rows:
            self.c.request(pkt, want)

    # ------------------------------------------------------------ cases --

    def setup(self):
        c = self.connect()
        c.send(b"+")
        reply = c.request("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
        m = re.search(rb"PacketSize=([0-9a-fA-F]+)", reply)
        if not m:
            raise Fail("qSupported has no PacketSize: %s" % show(reply))
        self.packet_size = int(m.group(1), 16)
        self.note("qSupported: %s" % reply.decode("latin-1"))
        # A recognisable pattern at the end of RAM: bytes 0x00..0xff with
        # the last byte 0xa5 ('#', '$', '}' and '*' in it need escaping).
        pattern = bytes(range(255)) + b"\xa5"
        c.request("M%x,100:%s" % (self.ram - 0x100, pattern.hex()), "OK")
        self.pattern = pattern
        c.request("m1000,2", "ebfe")
        self.snapshot()
        self.stop_reply = c.request("?")

    def t_checksums(self):
        c = self.c
        # A wrong checksum: '-', nothing else; the retransmission works.
        c.send(b"$g#00")
        c.send(frame("g"))
        c.expect_bytes(b"-", "the answer to a bad checksum")
        c.expect_bytes(b"+", "the ack of the retransmission")
        check_reply("g", c.read_frame(), self.regs)
        c.send(b"+")
        # Non-hex checksum digits; an uppercase checksum is fine.
        c.send(b"$g#zz")
        c.expect_bytes(b"-", "the answer to a non-hex checksum")
        c.request("?", raw=b"$?#3F", expect=self.stop_reply)
        c.send(b"$m1000,2#" + b"%02X" % checksum(b"m1000,2"))
        c.expect_bytes(b"+", "the ack of an uppercase checksum")
        check_reply("m1000,2", c.read_frame(), b"ebfe")
        # The client's '-' makes the stub send its last packet again, once
        # per '-'.
        last = c.last_frame
        c.send(b"-" * 5)
        c.expect_bytes(last * 5, "five retransmissions after five '-'")
        # Binary data with escapes: the checksum covers the bytes as sent
        # ('}' and the escaped byte); one over the unescaped bytes is wrong.
        # The bytes written are the ones already there ('#', '$').
        payload = b"X%x,2:#$" % (self.ram - 0x100 + 0x23)
        raw = b"$" + escape(payload) + b"#" + b"%02x" % checksum(payload)
        c.send(raw)
        c.expect_bytes(b"-", "the answer to a checksum over unescaped bytes")
        c.request(payload, "OK")

    def t_cut_off(self):
        c = self.c
        for cut in (b"$m1000,4", b"$m1000,4#", b"$m1000,4#2", b"$X1000,1:}", b"$", b"$$$",
                    b"$M1000,2:ebfe", b"$G" + b"0" * 100):
            c.send(cut)
            c.send(frame("?"))
            c.expect_bytes(b"+", "the ack of '?' after the cut-off %s" % show(cut, 40))
            check_reply("? after %s" % show(cut, 40), c.read_frame(), self.stop_reply)
            c.send(b"+")
        # Cut off, and the client goes away: the next client starts clean.
        c.send(b"$M1000,2:90")
        self.c.close()
        self.c = None
        c = self.connect()
        c.request("m1000,2", "ebfe")
        c.send(b"ebfe#00")      # the rest of the old packet: noise now
        c.request("m1000,2", "ebfe")

    def t_oversized(self):
        c = self.c
        limit = self.packet_size
        if limit != 0x4000:
            raise Fail("PacketSize is %#x; these checks assume 0x4000" % limit)
        # An unknown packet of exactly PacketSize bytes: the empty reply.
        c.request("q" + "Z" * (limit - 1), "")
        # One byte more, and far more: E16 (EINVAL), nothing executed.
        c.request("q" + "Z" * limit, E_INVAL)
        c.request("M1000,1:90" + "0" * 200000, E_INVAL)
        # A binary write of exactly PacketSize payload bytes, ending at the
        # last byte of RAM, with the bytes already there: OK.
        n = limit - len("X%x,%x:" % (self.ram - 0x3ff4, 0x3ff4))
        addr = self.ram - n
        hdr = "X%x,%x:" % (addr, n)
        if len(hdr) + n != limit:
            raise Fail("bad X packet arithmetic")
        data = self.image[addr:addr + n]
        c.request(hdr.encode() + data, "OK")
        # One byte too long: E16, nothing written (RAM is checked after).
        n += 1
        addr -= 1
        hdr = "X%x,%x:" % (addr, n)
        c.request(hdr.encode() + b"\x5a" * n, E_INVAL)
        # The largest M that fits, and one byte over.
        n = (limit - len("M1000,1ff9:")) // 2
        c.request("M1000,%x:%s" % (n, self.image[0x1000:0x1000 + n].hex()), "OK")
        c.request("M1000,2001:" + "00" * 0x2001, E_INVAL)

    def t_bad_hex(self):
        nregs = len(self.regs)
        self.table([
            ("mxyz,4", E_INVAL), ("m1000,zz", E_INVAL), ("m1000,4zz", E_INVAL),
            ("m,4", E_INVAL), ("m1000", E_INVAL), ("m1000,", E_INVAL), ("m 1000,4", E_INVAL),
            ("M1000,2:zzzz", E_INVAL), ("M1000,2:eb fe", E_INVAL), ("Mzz,1:00", E_INVAL),
            ("X1000,zz:a", E_INVAL), ("X1000,1", E_INVAL),
            ("pzz", E_INVAL), ("p", E_INVAL), ("P8=zzzzzzzz", E_INVAL), ("Pzz=00000000", E_INVAL),
            ("P8", E_INVAL),
            ("G" + "z" * nregs, E_INVAL),
            ("Z0,zz,1", E_INVAL), ("Z0,1000,zz", E_INVAL), ("Zz,1000,1", E_INVAL),
            ("Z0,1000", E_INVAL), ("z0;1000,1", E_INVAL),
            ("qRcmd,zz", E_INVAL), ("qRcmd,68656c7000", E_INVAL),
            ("qXfer:features:read:target.xml:zz,10", E_INVAL),
            ("Hgzz", E_SRCH), ("Tzz", E_SRCH), ("Hx1", E_INVAL),
            ("vCont;x", E_INVAL), ("vCont;", E_INVAL), ("vCont;Czz", E_INVAL),
            ("vCont;c:2", "OK"),        # not our thread: nothing runs
            # Resume packets with a bad argument must not resume.
            ("czz", E_INVAL), ("szz", E_INVAL), ("Czz", E_INVAL), ("C05;zz", E_INVAL),
            ("S05;1000x", E_INVAL),
        ])

    def t_odd_digits(self):
        nregs = len(self.regs)
        self.table([
            ("M1000,2:ebf", E_INVAL), ("M1000,1:e", E_INVAL), ("M1000,1:ebf", E_INVAL),
            ("M1000,2:ebfe9", E_INVAL),
            ("G" + "0" * (nregs - 1), E_INVAL), ("G" + "0" * (nregs + 1), E_INVAL),
            ("G" + "0" * (nregs - 2), E_INVAL),
            ("P0=1234567", E_INVAL), ("P0=123456789", E_INVAL), ("P10=00", E_INVAL),
            ("qRcmd,686", E_INVAL), ("qRcmd," + "61" * 300, E_INVAL),
        ])
        # G with the registers as they are: OK, and nothing changes.
        self.c.request(b"G" + self.regs, "OK")

    def t_lengths(self):
        img = self.image
        self.table([
            ("m1000,0", ""),
            ("m%x,0" % self.ram, ""),
            ("m%x,0" % (self.ram + 1), E_FAULT),
            ("m1000,40000000", img[0x1000:0x3000].hex()),          # 1 GiB: clamped
            ("m1000,ffffffffffffffff", img[0x1000:0x3000].hex()),
            ("m1000,10000000000000000", E_INVAL),                 # 17 digits
            ("M1000,0:", "OK"), ("X1000,0:", "OK"),
            ("M1000,40000000:00", E_INVAL), ("M1000,ffffffffffffffff:00", E_INVAL),
            ("X1000,40000000:\x00", E_INVAL), ("X1000,ffffffffffffffff:", E_INVAL),
            ("Z0,1000,0", E_INVAL), ("Z0,1000,ffffffff", E_INVAL), ("Z0,1000,10001", E_INVAL),
            ("Z2,1000,0", E_INVAL), ("Z2,1000,40000000", E_INVAL),
            ("qXfer:features:read:target.xml:ffffffffffffffff,10", E_INVAL),
            ("qXfer:features:read:target.xml:0,0", "m"),
        ])
        xml = self.c.request("qXfer:features:read:target.xml:0,ffffffffffffffff")
        if not (xml.startswith(b"l<?xml") and xml.rstrip().endswith(b"</target>")):
            raise Fail("qXfer with a huge length: %s" % show(xml))
        # A write watchpoint over 64 KiB of RAM can be set and removed.
        reply = self.c.request("Z2,1000,10000")
        if reply not in (b"OK", E_NOTSUP.encode()):
            raise Fail("Z2,1000,10000: %s" % show(reply))
        if reply == b"OK":
            self.c.request("z2,1000,10000", "OK")

    def t_overflow(self):
        self.table([
            ("mffffffffffffffff,1", E_FAULT), ("mffffffffffffffff,2", E_FAULT),
            ("mfffffffffffffff0,20", E_FAULT), ("m8000000000000000,10", E_FAULT),
            ("mffffffffffffffff,0", E_FAULT), ("m100000000,1", E_FAULT),
            ("Mffffffffffffffff,2:0000", E_FAULT), ("Mfffffffffffffff0,20:" + "00" * 32, E_FAULT),
            ("Xffffffffffffffff,2:ab", E_FAULT),
            ("Z0,ffffffffffffffff,1", E_INVAL), ("Z0,fffffffffffffffe,1", E_FAULT),
            ("Z0,ffffffffffff0000,10000", E_INVAL),
            ("cffffffffffffffff", E_RANGE), ("sffffffffffffffff", E_RANGE),
            ("c100000000", E_RANGE), ("C05;ffffffffffffffff", E_RANGE),
            ("c12345678", E_RANGE),     # no IP of CS 0000 reaches it
        ])
        reply = self.c.request("Z2,fffffffffffffff0,8")
        if reply not in (E_FAULT.encode(), E_INVAL.encode(), E_NOTSUP.encode()):
            raise Fail("Z2 at 2^64-16: %s" % show(reply))

    def t_end_of_ram(self):
        end = self.ram
        p = self.pattern
        self.table([
            ("m%x,1" % (end - 1), "a5"),                  # the last byte works
            ("m%x,10" % (end - 16), p[-16:].hex()),
            ("m%x,2000" % (end - 0x2000), self.image[end - 0x2000:].hex()),
            ("m%x,1" % end, E_FAULT),
            ("m%x,2" % (end - 1), E_FAULT),
            ("m%x,2000" % (end - 0x1fff), E_FAULT),
            ("m%x,10" % (end + 0x1000), E_FAULT),
            ("M%x,1:a5" % (end - 1), "OK"),
            ("X%x,1:\xa5" % (end - 1), "OK"),
            ("M%x,1:00" % end, E_FAULT),
            ("M%x,2:0000" % (end - 1), E_FAULT),          # nothing written at end-1
            ("X%x,1:\x00" % end, E_FAULT),
            ("X%x,2:\x00\x00" % (end - 1), E_FAULT),
            ("m%x,1" % (end - 1), "a5"),
        ])

    def t_breakpoints_outside(self):
        end = self.ram
        self.table([
            ("Z0,%x,1" % end, E_FAULT),
            ("Z0,%x,1" % (end + 0x100000), E_FAULT),
            ("Z0,ffffffff,1", E_FAULT),
            ("Z0,%x,1" % (end - 1), "OK"),                # the last byte
            ("Z0,%x,1" % (end - 1), "OK"),                # twice is fine
            ("m%x,1" % (end - 1), "a5"),                  # shows the guest's byte
        ])
        if hashlib.sha256(self.read_ram()).hexdigest() != self.ram_sum:
            raise Fail("RAM read with a breakpoint planted differs from before")
        self.table([
            ("z0,%x,1" % (end - 1), "OK"),
            ("z0,%x,1" % (end - 1), E_NOENT),
            ("z0,%x,1" % end, E_NOENT),
            ("Z5,1000,1", E_INVAL), ("Z9,1000,1", E_INVAL), ("z5,1000,1", E_INVAL),
        ])
        for pkt in ("Z2,%x,1" % end, "Z2,%x,2" % (end - 1), "Z2,ffffffff,4"):
            reply = self.c.request(pkt)
            if reply not in (E_FAULT.encode(), E_NOTSUP.encode()):
                raise Fail("%s: %s, expected %s (or %s)" % (pkt, show(reply), E_FAULT, E_NOTSUP))
        # Thousands of software breakpoints fit (the table once held 256;
        # its limit, DEBUG_MAX_SW_BP, is more than this RAM has bytes: the
        # unit tests reach it), and reads still show the guest's bytes.
        c = self.c
        for i in range(BP_MANY):
            c.request("Z0,%x,1" % (0x4000 + i), "OK")
        if hashlib.sha256(self.read_ram()).hexdigest() != self.ram_sum:
            raise Fail("RAM read with %d breakpoints planted differs from before" % BP_MANY)
        for i in range(BP_MANY):
            c.request("z0,%x,1" % (0x4000 + i), "OK")
        c.request("z0,%x,1" % 0x4000, E_NOENT)

    def t_hw_slots(self):
        c = self.c
        for z in ("1", "3", "4"):
            replies = [c.request("Z%s,%x,1" % (z, 0x1000 + 2 * i)) for i in range(5)]
            if replies == [b"OK"] * 4 + [E_NOSPC.encode()]:
                self.note("Z%s: four slots, the fifth is %s" % (z, E_NOSPC))
                for i in range(4):
                    c.request("z%s,%x,1" % (z, 0x1000 + 2 * i), "OK")
            elif replies == [E_NOTSUP.encode()] * 5:
                self.note("Z%s: refused by this host (%s)" % (z, E_NOTSUP))
            else:
                raise Fail("Z%s x5: %s" % (z, b" ".join(replies).decode("latin-1")))
            c.request("z%s,%x,1" % (z, 0x1000 + 8), re.compile(rb"E02|E5f"))

    def garbage(self, rng, size, model):
        """size bytes of garbage that the stub, in the state the model
        mirrors, parses into no packet at all."""
        special = b"$#}+-*\x03\x00\x7d\x5d" + b"0123456789abcdefABCDEF"
        while True:
            chunk = bytearray()
            for _ in range(size):
                r = rng.random()
                chunk.append(rng.choice(special) if r < 0.3 else rng.randrange(256))
            trial = model.copy()
            events = [trial.feed(b) for b in chunk]
            if "packet" not in events and "toolong" not in events:
                for b in chunk:
                    model.feed(b)
                return bytes(chunk), events

    def t_garbage(self):
        c = self.c
        c.request("?", self.stop_reply)
        last = c.last_frame
        rng = random.Random(20261125)
        model = ParserModel()
        total = 0
        for i in range(64):
            chunk, events = self.garbage(rng, 1024, model)
            want = b"".join(b"-" if e == "bad" else last if e == "nack" else b""
                            for e in events)
            # Then an end of packet, so that every answer to the chunk comes
            # out, and a good packet, answered after them (TCP keeps the
            # order).  The model says what the stub answers to all of it.
            tail = b"#zz" + frame("?")
            tail_events = [model.feed(b) for b in tail]
            if tail_events[-1] != "packet" or "packet" in tail_events[:-1] or \
               "toolong" in tail_events:
                raise Fail("test bug: the tail after chunk %d is not one packet" % i)
            want += b"".join(b"-" if e == "bad" else last if e == "nack" else b""
                             for e in tail_events[:-1]) + b"+"
            c.send(chunk + tail)
            try:
                c.expect_bytes(want, "the answers to garbage chunk %d (%d bytes)" % (i, len(chunk)))
            except Fail:
                self.out("diag", "chunk: %s" % chunk.hex())
                raise
            check_reply("? after garbage", c.read_frame(), self.stop_reply)
            c.send(b"+")
            total += len(chunk)
        # '#' without '$', lone checksums, the interrupt byte while stopped.
        c.send(b"#00#67g#67\x03\x03+#")
        c.request("?", self.stop_reply)
        self.note("garbage: %d bytes in 64 chunks, answers as predicted" % total)

    def t_cycles(self):
        fds = self.nfds()       # with the main client connected, idle
        refused = self.refusals()
        self.c.close()
        self.c = None
        t0 = time.monotonic()
        probe = frame("?")
        for i in range(self.cycles):
            s = socket.create_connection((HOST, self.port), timeout=TIMEOUT)
            if i % 2:
                s.sendall(probe)
                want = b"+" + self.stop_reply_frame()
                got = b""
                while len(got) < len(want):
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
                if got != want:
                    s.close()
                    raise Fail("cycle %d: got %s, expected %s" % (i, show(got), show(want)))
                s.sendall(b"+")         # as gdb does, then hang up at once
            s.close()
        elapsed = time.monotonic() - t0
        self.note("%d connect/disconnect cycles in %.1f s (%.1f ms each)" %
                  (self.cycles, elapsed, 1000 * elapsed / self.cycles))
        if elapsed > 120:
            raise Fail("%d cycles took %.1f s" % (self.cycles, elapsed))
        self.connect()
        self.c.request("?", self.stop_reply)
        if self.refusals() != refused:
            raise Fail("connections were refused during the cycles")
        now = self.nfds()       # the main client is connected again
        if now != fds:
            raise Fail("gdbvm has %d descriptors, %d before the cycles" % (now, fds))

    def t_rapid(self):
        """Back-to-back connects with no pause, of four kinds: connect and
        close, a partial packet then close, a reset (SO_LINGER 0), a
        partial packet then a reset.  Each must be accepted at once (a
        full listen queue would drop the SYN: a 1 s retransmission)."""
        n = self.rapid
        fds = self.nfds()
        refused = self.refusals()
        self.c.close()
        self.c = None
        linger0 = struct.pack("ii", 1, 0)
        partial = [b"$qSupported:multi", b"$m1000,2#", b"$g#6", b"+$?#3f+$", b"$M1000,2:eb"]
        slowest, slow = 0.0, 0
        t0 = time.monotonic()
        for i in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(TIMEOUT)
            t = time.monotonic()
            s.connect((HOST, self.port))
            took = time.monotonic() - t
            slowest = max(slowest, took)
            slow += took >= 0.9
            kind = i % 4
            if kind in (1, 3):
                s.sendall(partial[i % len(partial)])
            if kind in (2, 3):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger0)
            s.close()
        elapsed = time.monotonic() - t0
        self.note("%d rapid connects in %.2f s, the slowest connect() took %.1f ms" %
                  (n, elapsed, 1000 * slowest))
        if slow:
            raise Fail("%d of %d connects took 0.9 s or more (slowest %.2f s)" %
                       (slow, n, slowest))
        if elapsed > 20:
            raise Fail("%d rapid connects took %.1f s" % (n, elapsed))
        self.connect()
        self.c.request("?", self.stop_reply)
        if self.refusals() != refused:
            raise Fail("%d connections were refused as a second gdb" %
                       (self.refusals() - refused))
        now = self.nfds()
        if now != fds:
            raise Fail("gdbvm has %d descriptors, %d before the connects" % (now, fds))

    def stop_reply_frame(self):
        return frame(self.stop_reply)

    def t_stale_retransmit(self):
        c = self.c
        c.request("m%x,10" % (self.ram - 16), self.pattern[-16:].hex())
        c.close()
        self.c = None
        c = self.connect()
        # A new client's '-' has no packet of its own to get again; the
        # previous client's last reply must not come out.
        c.send(b"-")
        c.send(frame("?"))
        c.expect_bytes(b"+", "the first byte a new client receives after sending '-'")
        check_reply("?", c.read_frame(), self.stop_reply)

    def t_second_client(self):
        c = self.c
        refused = self.refusals()
        for i in range(5):
            s = socket.create_connection((HOST, self.port), timeout=TIMEOUT)
            if i % 2:
                s.sendall(frame("g") + frame("k"))
            got = b""
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(256)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                got += chunk
            s.close()
            # One that sent packets (here a 'k') may see its connection
            # reset, message or not: the stub closes it unread.
            msg = b"gdbvm: another gdb is already connected\n"
            if got != msg and not (i % 2 and msg.startswith(got)):
                raise Fail("second client %d received %s" % (i, show(got)))
            c.request("m1000,2", "ebfe")
        deadline = time.monotonic() + TIMEOUT
        while self.refusals() != refused + 5 and time.monotonic() < deadline:
            select.select([], [], [], 0.05)
        if self.refusals() != refused + 5:
            raise Fail("gdbvm reported %d refusals, expected 5" % (self.refusals() - refused))

    def t_stops_reading(self):
        fds = self.nfds()
        refused = self.refusals()
        self.c.close()
        self.c = None
        s = Rsp(self.port, rcvbuf=4096)
        s.send(b"+")
        s.request("?", self.stop_reply)
        s.sock.setblocking(False)
        req = frame("m0,2000") * 16
        sent = 0
        stalled_since = None
        t0 = time.monotonic()
        # Stuff requests and never read: the stub's replies fill the
        # socket buffers, then its send blocks, then it stops reading ours.
        while True:
            if time.monotonic() - t0 > 60:
                raise Fail("could send %d bytes without the stub ever blocking" % sent)
            try:
                sent += s.sock.send(req)
                stalled_since = None
                continue
            except BlockingIOError:
                pass
            now = time.monotonic()
            if stalled_since is None:
                stalled_since = now
            elif now - stalled_since > 1.0:
                break
            select.select([], [s.sock], [], 0.2)
        blocked = time.monotonic()
        # The stub drops us after its send timeout: our socket gets reset
        # (it closes with our requests unread).  Wait for that, bounded.
        p = select.poll()
        p.register(s.sock, 0)           # POLLERR and POLLHUP only
        events = p.poll(90 * 1000)
        waited = time.monotonic() - blocked
        s.close()
        if not events:
            raise Fail("the stub did not drop a client that stopped reading within 90 s")
        self.note("stuffed %d bytes of requests; dropped %.1f s after it stalled" %
                  (sent, waited))
        c = self.connect()
        c.request("?", self.stop_reply)
        if self.refusals() != refused:
            raise Fail("the next client was refused")
        now = self.nfds()
        if now != fds:
            raise Fail("gdbvm has %d descriptors, %d before" % (now, fds))

    def t_running(self):
        c = self.c
        c.no_reply_request("c")
        for pkt in ("g", "m1000,2", "Z0,1000,1", "c", "s", "?"):
            c.request(pkt, E_BUSY_RUNNING)
        # A bad packet while running is still answered with '-'.
        c.send(b"$g#00")
        c.expect_bytes(b"-", "the answer to a bad checksum while running")
        c.send(b"\x03")
        reply = c.read_frame()
        if not reply.startswith(b"T02"):
            raise Fail("the stop reply after 0x03 is %s, expected T02..." % show(reply))
        c.send(b"+")
        self.stop_reply = c.request("?", reply)
        c.request("m1000,2", "ebfe")

    def t_noack(self):
        c = self.c
        c.request("QStartNoAckMode", "OK")
        c.ack = False
        c.send(b"$g#00")                 # no '-' in no-ack mode, no reply
        c.request("?", self.stop_reply)  # so the next byte is this reply
        c.request("m1000,2", "ebfe")
        c.close()
        self.c = None
        c = self.connect()               # a new client starts in ack mode
        c.request("?", self.stop_reply)

    def run(self):
        try:
            self.setup()
        except (Fail, OSError, ValueError) as e:
            self.out("diag", "setup: %s" % e)
            self.out("fail", "rsp: connect, qSupported, baseline of registers and RAM")
            self.out("done", "")
            return
        self.out("ok", "rsp: connect, qSupported (PacketSize=%x), baseline of registers and "
                 "%d KiB of RAM" % (self.packet_size, self.ram // 1024))
        cases = [
            ("rsp: bad checksums get '-', the retransmission is answered; '-' resends",
             self.t_checksums),
            ("rsp: packets cut off mid-way (also in the checksum or an escape), then a good one",
             self.t_cut_off),
            ("rsp: packets over PacketSize get E16 and do nothing; exactly PacketSize works",
             self.t_oversized),
            ("rsp: invalid hex in every packet kind gets an error, resumes nothing",
             self.t_bad_hex),
            ("rsp: odd digit counts get E16; G with the same registers is OK",
             self.t_odd_digits),
            ("rsp: lengths 0 and of gigabytes (m/M/X/Z/qXfer)", self.t_lengths),
            ("rsp: address + length overflowing 64 bits", self.t_overflow),
            ("rsp: memory at and just past the end of RAM", self.t_end_of_ram),
            ("rsp: Z0 outside RAM, at its last byte, 4,096 software breakpoints",
             self.t_breakpoints_outside),
            ("rsp: five hardware breakpoints/watchpoints: four slots or refused, never a crash",
             self.t_hw_slots),
            ("rsp: 64 KiB of binary garbage gets exactly the predicted '-' and resends",
             self.t_garbage),
            ("rsp: a new client's '-' does not resend the previous client's reply",
             self.t_stale_retransmit),
            ("rsp: a second client is refused with a message, the first keeps working",
             self.t_second_client),
            ("rsp: %d connect/disconnect cycles: fast, none refused, no descriptor leak" %
             self.cycles, self.t_cycles),
            ("rsp: %d rapid connects (closed, partial packets, resets): none waits 0.9 s, "
             "none refused, no descriptor leak" % self.rapid, self.t_rapid),
            ("rsp: a client that stops reading is dropped after the send timeout; the next works",
             self.t_stops_reading),
            ("rsp: packets while the guest runs get E10; 0x03 stops it", self.t_running),
            ("rsp: no-ack mode: no '-', no '+'; a new client is in ack mode again", self.t_noack),
        ]
        for name, fn in cases:
            self.case(name, fn)
        # The end: 'k' gets no reply and ends gdbvm (the shell checks 22).
        try:
            c = self.c or self.connect()
            c.no_reply_request("k")
            c.sock.settimeout(TIMEOUT)
            rest = c.sock.recv(100)
            if rest:
                raise Fail("'k' was answered: %s" % show(rest))
            self.out("ok", "rsp: 'k' gets no reply and the connection closes")
        except (Fail, OSError) as e:
            self.out("diag", str(e))
            self.out("fail", "rsp: 'k' gets no reply and the connection closes")
        self.out("done", "")


# ------------------------------------------------- guest-fault suites --

def reg32(regs_hex, n):
    """Register n (0 = eax ... 8 = eip) from a 'g' reply."""
    return int.from_bytes(bytes.fromhex(regs_hex[8 * n:8 * n + 8].decode()), "little")


def stop_pc(reply):
    m = re.search(rb"(?:^|;)08:([0-9a-f]{8});", reply[3:])
    if not reply.startswith(b"T") or not m:
        raise Fail("not a stop reply with the pc: %s" % show(reply))
    return int.from_bytes(bytes.fromhex(m.group(1).decode()), "little")


class Checks:
    """Named checks, each one result line; a failure ends the suite (the
    later steps depend on the earlier ones)."""

    def __init__(self):
        self.current = None

    def step(self, name):
        self.current = name

    def ok(self):
        Suite.out("ok", self.current)
        self.current = None

    def run(self, fn):
        try:
            fn(self)
        except (Fail, OSError, ValueError) as e:
            Suite.out("diag", "%s: %s" % (type(e).__name__, e))
            Suite.out("fail", self.current or "rsp: the suite ran")
        Suite.out("done", "")


def suite_selfmod(args):
    """guests/selfmod.bin with breakpoints left inserted across stops (as
    LLDB and gdb's "breakpoint always-inserted on" do), so that gdbvm
    itself steps over them: what the guest stores over a planted HLT is
    what memory shows, what a removal restores, and what runs."""
    def body(k):
        k.step("rsp selfmod: a guest store over a planted breakpoint: memory shows the "
               "guest's byte, the breakpoint is planted again and hits")
        c = Rsp(args.port)
        c.send(b"+")
        c.request("qSupported", re.compile(rb"PacketSize=.*"))
        for addr in (0x100d, 0x100e, 0x1021):
            c.request("Z0,%x,1" % addr, "OK")
        c.no_reply_request("c")
        reply = c.read_frame()
        if stop_pc(reply) != 0x100d or b"swbreak" not in reply:
            raise Fail("first stop: %s, expected a breakpoint at 0x100d" % show(reply))
        c.send(b"+")
        c.request("m100d,2", "9047")       # nop, and the guest's 'inc di'
        c.no_reply_request("c")
        reply = c.read_frame()
        c.send(b"+")
        if stop_pc(reply) != 0x100e:
            raise Fail("second stop: %s, expected the breakpoint at 0x100e" % show(reply))
        c.no_reply_request("s")
        reply = c.read_frame()
        c.send(b"+")
        if stop_pc(reply) != 0x100f:
            raise Fail("the step from 0x100e: %s, expected pc 0x100f" % show(reply))
        regs = c.request("g")
        if (reg32(regs, 6) & 0xffff, reg32(regs, 7) & 0xffff) != (0, 1):
            raise Fail("SI, DI = %#x, %#x: expected 0, 1 (the guest's inc di ran)" %
                       (reg32(regs, 6) & 0xffff, reg32(regs, 7) & 0xffff))
        k.ok()

        k.step("rsp selfmod: an instruction at a breakpoint that rewrites its own first "
               "byte: the step-over keeps the guest's byte")
        c.no_reply_request("c")
        reply = c.read_frame()
        c.send(b"+")
        if stop_pc(reply) != 0x1021:
            raise Fail("stop: %s, expected the breakpoint at 0x1021" % show(reply))
        c.request("m1021,2", "8807")
        c.no_reply_request("c")            # steps over it: it stores 0xb0 at 0x1021
        reply = c.read_frame()
        c.send(b"+")
        if stop_pc(reply) != 0x1021:
            raise Fail("stop: %s, expected the breakpoint at 0x1021 again" % show(reply))
        c.request("m1021,2", "b007")
        regs = c.request("g")
        if reg32(regs, 1) & 0xffff != 1:
            raise Fail("CX = %#x at the second pass, expected 1" % (reg32(regs, 1) & 0xffff))
        k.ok()

        k.step("rsp selfmod: after z0 the guest's own bytes stay and run: it exits with 7 (W0f)")
        for addr in (0x100d, 0x100e, 0x1021):
            c.request("z0,%x,1" % addr, "OK")
        c.request("m100d,2", "9047")
        c.request("m1021,2", "b007")
        c.no_reply_request("c")
        c.expect_bytes(frame("W0f"), "the exit of the guest (status 15)")
        k.ok()
    Checks().run(body)


def suite_timeout(args):
    """gdbvm -t SECONDS on guests/spin.bin, started here (so that the client
    is ready the moment gdbvm listens, however slow the machine): connecting
    stops the guest; after 'c' the time runs out: the client is told the
    target was killed by SIGALRM (X0e), the connection closes, gdbvm says
    why on stderr and exits with 16."""
    import subprocess

    def body(k):
        k.step("rsp timeout: connecting stops the guest; after 'c' the --timeout ends "
               "it: X0e (SIGALRM), then the connection closes")
        p = subprocess.Popen([args.gdbvm, "-g", "127.0.0.1:0", "-t", str(args.seconds),
                              args.guest], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            line = p.stderr.readline().decode()
            m = re.match(r"gdbvm: waiting for gdb on 127\.0\.0\.1:(\d+)$", line.strip())
            if not m:
                raise Fail("no port from gdbvm: %r" % line)
            c = Rsp(int(m.group(1)))
            c.send(b"+")
            pc = stop_pc(c.request("?"))
            if not 0x1000 <= pc < 0x1020:
                raise Fail("the guest stopped for the connection at pc %#x" % pc)
            t0 = time.monotonic()
            c.no_reply_request("c")
            reply = c.read_frame(timeout=args.seconds + 60)
            if reply != b"X0e":
                raise Fail("reply to c: %s, expected X0e" % show(reply))
            c.sock.settimeout(TIMEOUT)
            try:
                rest = c.sock.recv(100)
            except ConnectionResetError:
                rest = b""
            if rest:
                raise Fail("after X0e: %s, expected the end of the connection" % show(rest))
            Suite.out("note", "X0e came %.1f s after c" % (time.monotonic() - t0))
            k.ok()
            k.step("rsp timeout: gdbvm exits 16 and says on stderr that the time ran out")
            status = p.wait(TIMEOUT)
            err = p.stderr.read().decode(errors="replace")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        want = "gdbvm: guest still running after %d seconds (--timeout); stopped at " % \
            args.seconds
        if status != 16 or want not in err:
            raise Fail("status %d, stderr %r" % (status, err))
        k.ok()
    Checks().run(body)


def suite_stalled(args):
    """guests/flood.bin with its stdout a pipe nobody reads: once the pipe is
    full gdbvm's vCPU waits to write; SIGTERM must still end it (18), and
    under gdb a connecting client must still stop the guest and be served.
    gdbvm is started here, with a one-page pipe that fills at once."""
    import fcntl
    import signal
    import subprocess
    import termios

    def start(extra):
        r, w = os.pipe()
        try:
            fcntl.fcntl(w, 1031, 4096)          # F_SETPIPE_SZ: one page
        except OSError:
            pass
        p = subprocess.Popen([args.gdbvm] + extra + [args.guest], stdin=subprocess.DEVNULL,
                             stdout=w, stderr=subprocess.PIPE)
        os.close(w)
        return p, r

    def wait_full(r, what):
        """Until the pipe holds its capacity (the writer must now wait)."""
        cap = fcntl.fcntl(r, 1032)               # F_GETPIPE_SZ
        deadline = time.monotonic() + 60
        buf = bytearray(4)
        while time.monotonic() < deadline:
            fcntl.ioctl(r, termios.FIONREAD, buf)
            if int.from_bytes(buf, sys.byteorder) >= cap:
                return cap
            select.select([], [], [], 0.05)
        raise Fail("%s: the pipe never filled up" % what)

    def finish(p, timeout):
        try:
            return p.wait(timeout), p.stderr.read().decode(errors="replace")
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise Fail("gdbvm still runs %d s later (killed)" % timeout)

    def body(k):
        k.step("stalled stdout: SIGTERM ends gdbvm blocked on a full pipe: status 18, "
               "the unwritten output reported")
        p, r = start([])
        try:
            cap = wait_full(r, "plain run")
            p.send_signal(signal.SIGTERM)
            status, err = finish(p, 20)
        finally:
            if p.poll() is None:
                p.kill()
            os.close(r)
        if status != 18 or "gdbvm: stopped by SIGTERM" not in err or \
           "some guest serial output could not be written" not in err:
            raise Fail("status %d, stderr %r" % (status, err))
        Suite.out("note", "a %d-byte pipe filled; SIGTERM ended gdbvm" % cap)
        k.ok()

        k.step("stalled stdout under gdb: a client connecting to the flooding guest stops "
               "it and is served; 'k' ends gdbvm (22)")
        p, r = start(["-g", "127.0.0.1:0"])
        try:
            line = p.stderr.readline().decode()
            m = re.match(r"gdbvm: waiting for gdb on 127\.0\.0\.1:(\d+)$", line.strip())
            if not m:
                raise Fail("no port from gdbvm: %r" % line)
            wait_full(r, "under gdb")
            c = Rsp(int(m.group(1)))
            c.send(b"+")
            reply = c.request("?")
            pc = stop_pc(reply)
            if not 0x1009 <= pc <= 0x1013:
                raise Fail("stopped at pc %#x, not in the print loop" % pc)
            regs = c.request("g")
            if reg32(regs, 2) & 0xffff != 0x3f8:
                raise Fail("DX = %#x, expected 0x3f8" % reg32(regs, 2))
            c.no_reply_request("k")
            # At its end gdbvm writes out what it still holds; a reader
            # that never reads would hold it, as any writer: this one goes.
            os.close(r)
            r = None
            status, err = finish(p, 20)
        finally:
            if p.poll() is None:
                p.kill()
            if r is not None:
                os.close(r)
        if status != 22:
            raise Fail("status %d after k, expected 22; stderr %r" % (status, err))
        k.ok()
    Checks().run(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("suite", choices=["hostile", "selfmod", "timeout", "stalled"])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--pid", type=int, default=0, help="gdbvm's process id")
    ap.add_argument("--ram", type=lambda s: int(s, 0), default=0x100000)
    ap.add_argument("--vmerr", help="the file gdbvm's stderr goes to")
    ap.add_argument("--cycles", type=int, default=2000)
    ap.add_argument("--rapid", type=int, default=1000)
    ap.add_argument("--gdbvm", help="stalled, timeout: the gdbvm to run")
    ap.add_argument("--guest", help="stalled, timeout: the guest")
    ap.add_argument("--seconds", type=int, default=5, help="timeout: gdbvm's -t")
    args = ap.parse_args()
    if args.suite == "hostile":
        if not args.pid or not args.vmerr:
            ap.error("hostile needs --pid and --vmerr")
        Suite(args).run()
    elif args.suite == "selfmod":
        suite_selfmod(args)
    elif args.suite == "stalled":
        suite_stalled(args)
    else:
        suite_timeout(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
