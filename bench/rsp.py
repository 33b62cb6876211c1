"""rsp.py - a bare GDB remote-protocol client for the benchmark (figure 14,
breakpoints at scale), so that gdb's own work per breakpoint (it re-sends
every breakpoint on each resume, keeps a list, prints) is not in the
figures: only the packet round trip and the stub's work are.

  c = Client(port)              connect, then QStartNoAckMode
  c.cmd(b"Z0,1003,1", b"OK")    one request, its reply (checked)
  c.pipeline(packets, b"OK")    many requests, in batches, each reply checked
  c.close()                     kill the target, close the socket
"""
import socket


class RspError(Exception):
    pass


def packet(data):
    return b"$" + data + b"#%02x" % (sum(data) & 0xff)


class Client:
    def __init__(self, port, timeout=120.0):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        # A packet right after an ack would otherwise wait for the stub's
        # delayed ACK (Nagle): 40 ms on Linux loopback.
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.ack = True
        self.cmd(b"QStartNoAckMode", b"OK")
        self.ack = False

    def reply(self):
        """The next packet's data (notifications and acks skipped)."""
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
                raise RspError("the stub closed the connection")
            self.buf += chunk

    def check(self, data, r, want):
        if want is not None and not r.startswith(want):
            raise RspError("%r got %r" % (data[:60], r[:200]))
        return r

    def cmd(self, data, want=None):
        self.s.sendall(packet(data))
        return self.check(data, self.reply(), want)

    def pipeline(self, packets, want=None, batch=512):
        """Send packets BATCH at a time, then read their replies, in order
        (no-ack mode only).  The batch bounds what sits unread in either
        direction, so neither side blocks on a full socket buffer."""
        for k in range(0, len(packets), batch):
            part = packets[k:k + batch]
            self.s.sendall(b"".join(packet(p) for p in part))
            for p in part:
                self.check(p, self.reply(), want)

    def close(self):
        try:
            self.s.sendall(packet(b"k"))
        except OSError:
            pass
        self.s.close()
