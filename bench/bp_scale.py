#!/usr/bin/env python3
"""bp_scale.py - what breakpoints cost at scale (issue 20, not yet wired
into bench.py): gdbvm driven by a raw RSP client, so gdb's own per-
breakpoint work is not in the figures.

  bp_scale.py GDBVM [ROUNDS]

Figures, each the median over ROUNDS interleaved rounds (default 5):
  hit_us    one `c` from a breakpoint to the same breakpoint in a loop
            (the first excluded: it probes the host and starts the dirty
            log), with N other breakpoints planted where the guest never runs
  stepi_us  one `s` in that loop, with the same N planted
  run_s     one `c` through 200,000 OUT exits to the guest's end, with N
            planted and never hit
for N = 0, 1,000, 10,000 and 100,000.  Guests are built here from their
bytes (real mode, loaded at 0x1000).
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

# xor cx,cx; again: inc cx; tick (0x1003): nop; jmp again  (bench/guests/loop.asm)
LOOP = bytes([0x31, 0xc9, 0x41, 0x90, 0xeb, 0xfc])
# mov ecx,200000; L: out 0x80,al; dec ecx; jnz L; hlt
OUTS = bytes([0x66, 0xb9]) + (200000).to_bytes(4, "little") + \
    bytes([0xe6, 0x80, 0x66, 0x49, 0x75, 0xfa, 0xf4])
TIMEOUT = 120.0


def packet(data):
    return b"$" + data + b"#%02x" % (sum(data) & 0xff)


class Stub:
    def __init__(self, gdbvm, guest):
        self.p = subprocess.Popen([gdbvm, "-g", "127.0.0.1:0", "-S", guest],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        line = self.p.stderr.readline().decode()
        m = re.search(r":(\d+)\s*$", line)
        if not m:
            raise SystemExit("bp_scale: gdbvm did not listen: %r" % line)
        self.s = socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=TIMEOUT)
        self.buf = b""
        self.ack = True
        self.cmd(b"QStartNoAckMode")
        self.ack = False

    def reply(self):
        while True:
            i = self.buf.find(b"$")
            j = self.buf.find(b"#", i) if i >= 0 else -1
            if j >= 0 and len(self.buf) >= j + 3:
                data, self.buf = self.buf[i + 1:j], self.buf[j + 3:]
                if self.ack:
                    self.s.sendall(b"+")
                return data
            chunk = self.s.recv(65536)
            if not chunk:
                raise SystemExit("bp_scale: gdbvm closed the connection")
            self.buf += chunk

    def cmd(self, data, want=None):
        self.s.sendall(packet(data))
        r = self.reply()
        if want is not None and not r.startswith(want):
            raise SystemExit("bp_scale: %r got %r" % (data, r))
        return r

    def close(self):
        try:
            self.s.sendall(packet(b"k"))
        except OSError:
            pass
        self.s.close()
        self.p.stderr.close()
        self.p.wait(timeout=TIMEOUT)


def plant(stub, n):
    for i in range(n):
        stub.cmd(b"Z0,%x,1" % (0x20000 + 3 * i), b"OK")


def loop_figures(gdbvm, guest, n):
    stub = Stub(gdbvm, guest)
    plant(stub, n)
    stub.cmd(b"Z0,1003,1", b"OK")
    hits = []
    for _ in range(301):
        t0 = time.monotonic()
        stub.cmd(b"c", b"T05")
        hits.append(time.monotonic() - t0)
    stub.cmd(b"z0,1003,1", b"OK")
    steps = []
    for _ in range(300):
        t0 = time.monotonic()
        stub.cmd(b"s", b"T05")
        steps.append(time.monotonic() - t0)
    stub.close()
    return statistics.median(hits[1:]) * 1e6, statistics.median(steps) * 1e6


def run_figure(gdbvm, guest, n):
    stub = Stub(gdbvm, guest)
    plant(stub, n)
    t0 = time.monotonic()
    stub.cmd(b"c", b"W00")
    took = time.monotonic() - t0
    stub.close()
    return took


def main():
    gdbvm = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    counts = (0, 1000, 10000, 100000)
    figures = {n: {"hit_us": [], "stepi_us": [], "run_s": []} for n in counts}
    with tempfile.TemporaryDirectory() as tmp:
        loop, outs = os.path.join(tmp, "loop.bin"), os.path.join(tmp, "outs.bin")
        with open(loop, "wb") as f:
            f.write(LOOP)
        with open(outs, "wb") as f:
            f.write(OUTS)
        for r in range(rounds):
            for n in (counts if r % 2 == 0 else counts[::-1]):
                hit, step = loop_figures(gdbvm, loop, n)
                figures[n]["hit_us"].append(hit)
                figures[n]["stepi_us"].append(step)
                figures[n]["run_s"].append(run_figure(gdbvm, outs, n))
    for n in counts:
        print("N=%-6d hit %6.1f us  stepi %6.1f us  run %.3f s" % (
            n, statistics.median(figures[n]["hit_us"]),
            statistics.median(figures[n]["stepi_us"]), statistics.median(figures[n]["run_s"])))


if __name__ == "__main__":
    main()
