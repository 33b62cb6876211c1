#!/usr/bin/env python3
"""pty_keys.py GDBVM - run guests/boot/keys.img on a pseudo-terminal (stdin
and stdout), as a user at a terminal would: gdbvm must switch the terminal
to deliver each key at once without echo (an arrow key's sequence reaches
the guest with no Enter after it), end on a lone ESC, and put the terminal
back as it was.  Prints one line per finding; exit status 0 when all hold."""
import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time

master, slave = pty.openpty()


def own_terminal():
    """In the child: a session of its own with the pty as its controlling
    terminal, gdbvm in its foreground, as a shell runs a command."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


proc = subprocess.Popen([sys.argv[1], "--boot", "guests/boot/keys.img", "-t", "20"],
                        stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                        preexec_fn=own_terminal)
problems = []


def lflag():
    return termios.tcgetattr(slave)[3]


def read_until(text, limit=10.0):
    out, end = b"", time.monotonic() + limit
    while text not in out and time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                out += os.read(master, 256)
            except OSError:
                break
    return out


end = time.monotonic() + 10
while lflag() & termios.ICANON and time.monotonic() < end and proc.poll() is None:
    time.sleep(0.01)
if lflag() & (termios.ICANON | termios.ECHO):
    problems.append("the terminal was not switched to key-at-a-time mode without echo")
os.write(master, b"\x1b[A")
first = read_until(b"4800 ")
if b"4800 " not in first:
    problems.append("Up without Enter did not reach the guest: %r" % first)
if b"[A" in first:
    problems.append("the key was echoed: %r" % first)
os.write(master, b"\r\x1b")
rest = read_until(b"011b")
if b"1c0d" not in rest or b"011b" not in rest:
    problems.append("Enter and a lone ESC did not arrive: %r" % rest)
try:
    status = proc.wait(20)
except subprocess.TimeoutExpired:
    proc.kill()
    status = proc.wait()
if status != 0:
    problems.append("exit status %d: %r" % (status, proc.stderr.read()))
if not (lflag() & termios.ICANON and lflag() & termios.ECHO):
    problems.append("the terminal was not restored")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
