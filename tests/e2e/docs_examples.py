#!/usr/bin/env python3
"""docs_examples.py - run the examples in README.md and docs/*.md (test_docs.sh).

Every fenced code block in the documentation is an example and is run, unless
an HTML comment just before it says otherwise; tests/e2e/README.md has the
rules.  In short:

  shell blocks      `$ CMD` lines followed by the output shown (compared), or
                    one command per line (`CMD   # comment`: the status must be
                    0, or N when the comment says "status N");
  gdb/lldb          `(gdb) CMD` / `(lldb) CMD` lines with output, after the
                    `./gdbvm -s ...` line that serves them and the optional
                    `gdb ...` / `lldb ...` line that connects: the test starts
                    gdbvm on a free port, runs every command in one gdb (or
                    lldb) session and compares each command's output;
  markers           <!-- example: skip: REASON -->, <!-- example: file: NAME -->,
                    <!-- example: setup: SHELL -->, <!-- example: output of: SHELL -->.

This file runs them; docs_blocks.py reads them, docs_compare.py compares,
docs_gdb_wrapper.py runs inside gdb.  Prints TAP ("ok N - FILE:LINE what",
"# SKIP reason"), after self-tests of the comparison rules (--self-test:
only those).  --list shows what was found without running anything.
Commands run in a scratch directory per document holding `gdbvm` (a link to
$GDBVM) and `guests` (the repository's).
"""

import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from docs_blocks import (REPO, DocError, Session, argv_of, parse_block, parse_marker, read_blocks,
                         server_argv, server_port, shell_comment, strip_comment)
from docs_compare import compare, lines_of, norm, show_actual, split_sections, warnings

RUN_LIMIT = float(os.environ.get("RUN_LIMIT", "30"))
SESSION_LIMIT = 2 * RUN_LIMIT
GDB = os.environ.get("GDB", "gdb")
LLDB = os.environ.get("LLDB", "lldb")

# Files whose blocks are not hand-written examples: every block in them is
# reported as skipped with this reason.
GENERATED = {
    "docs/performance.md": "written by make bench (bench/report.py): measured figures and the "
                           "benchmark's own command lines, not examples to run",
}


class Runner:
    def __init__(self, gdbvm):
        self.gdbvm = os.path.abspath(os.path.join(REPO, gdbvm))
        self.n = 0
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix="gdbvm-docs.")
        self.have_kvm = os.access("/dev/kvm", os.R_OK | os.W_OK)
        self.gdb_skip = self._tool_skip(GDB, [GDB, "-nx", "-batch", "-ex", 'python print("py" + "ok")'])
        self.lldb_skip = self._tool_skip(LLDB, [LLDB, "-b", "-x", "-o", 'script print("py" + "ok")'])

    def _tool_skip(self, tool, probe):
        if not self.have_kvm:
            return "no usable /dev/kvm on this machine"
        if shutil.which(tool) is None:
            return "no %s on this machine (tests/install-deps.sh installs it)" % tool
        try:
            out = subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=30, env=self.env(self.tmp)).stdout
        except subprocess.TimeoutExpired:
            out = ""
        if "pyok" not in out.split():
            return "%s has no Python support" % tool
        return None

    # TAP
    def ok(self, name):
        self.n += 1
        print("ok %d - %s" % (self.n, name), flush=True)

    def skip(self, name, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason), flush=True)

    def not_ok(self, name, problems):
        self.n += 1
        self.failed += 1
        print("not ok %d - %s" % (self.n, name))
        for p in problems:
            for l in str(p).split("\n"):
                print("#   " + l)
        sys.stdout.flush()

    def verdict(self, name, problems):
        if problems:
            self.not_ok(name, problems)
        else:
            self.ok(name)

    # the scratch directory of a document
    def workdir(self, doc):
        d = os.path.join(self.tmp, doc.replace("/", "_"))
        if not os.path.isdir(d):
            os.makedirs(os.path.join(d, "bin"))
            os.symlink(self.gdbvm, os.path.join(d, "gdbvm"))
            os.symlink(self.gdbvm, os.path.join(d, "bin", "gdbvm"))
            os.symlink(os.path.join(REPO, "guests"), os.path.join(d, "guests"))
        return d

    def env(self, wd):
        env = dict(os.environ)
        # The PATH the caller had: a Python launcher (pyenv) may have put its
        # own directories first, which confuses lldb's embedded Python.
        env["PATH"] = os.path.join(wd, "bin") + os.pathsep + os.environ.get(
            "DOCS_TEST_PATH", env.get("PATH", ""))
        env.pop("DOCS_TEST_PATH", None)
        env.pop("GDBVM", None)
        return env

    def sh(self, cmd, wd, limit=RUN_LIMIT):
        """Run CMD with bash in WD: (status or None on time-out, output lines)."""
        return run_bounded(["bash", "-c", cmd], wd, self.env(wd), limit)

    # one document
    def run_doc(self, doc):
        try:
            blocks = read_blocks(doc)
        except DocError as e:
            self.not_ok("%s: examples can be read" % doc, [str(e)])
            return
        wd = self.workdir(doc)
        session = None
        for b in blocks:
            if doc in GENERATED:
                self.skip("%s block" % b.where(), GENERATED[doc])
                continue
            if b.marker("skip"):
                self.skip("%s block" % b.where(), b.marker("skip"))
                continue
            setup = [v for k, v in b.markers if k == "setup"]
            for s in setup:
                status, out = self.sh(s, wd)
                if status != 0:
                    self.not_ok("%s setup" % b.where(), ["setup '%s' ended with status %s" % (s, status)]
                                + show_actual(out))
            if b.marker("file"):
                name = b.marker("file")
                with open(os.path.join(wd, name), "w") as f:
                    f.write("\n".join(b.lines) + "\n")
                continue
            if b.marker("output of"):
                status, out = self.sh(b.marker("output of"), wd)
                probs = [] if status is not None else ["timed out after %gs" % RUN_LIMIT]
                probs = probs or compare(b.lines, out, False)
                self.verdict("%s output of: %s" % (b.where(), b.marker("output of").split("\n")[0]),
                             probs + (show_actual(out) if probs else []))
                continue
            try:
                items = parse_block(b)
            except DocError as e:
                self.not_ok("%s block" % b.where(), [str(e)])
                continue
            if not items:
                self.not_ok("%s block" % b.where(), ["an empty block: mark it <!-- example: skip: REASON -->"])
                continue
            for it in items:
                session = self.item(doc, b, it, session, wd)
        if session:
            self.run_session(doc, session, wd)

    def item(self, doc, block, it, session, wd):
        where = "%s:%d" % (doc, it.line)
        if it.kind == "sh":
            argv = argv_of(it.text)
            port = server_port(argv) if argv else None
            if port is not None:
                if session:
                    self.run_session(doc, session, wd)
                return Session(it, server_argv(argv), port)
            if argv and os.path.basename(argv[0]) in (GDB, LLDB, "gdb", "lldb") and not \
                    set(argv) & {"-batch", "--batch", "-b"}:
                if session is None or session.client is not None:
                    self.not_ok(where + " " + it.text, ["a gdb or lldb command line with no `./gdbvm -s` "
                                "(or -g) line before it in this document to connect to"])
                    return session
                session.client, session.client_argv = it, argv
                session.kind = "lldb" if "lldb" in os.path.basename(argv[0]) else "gdb"
                return session
            self.run_shell(where, it, wd)
            return session
        if session is None:
            self.not_ok(where + " (%s) %s" % (it.kind, it.text),
                        ["a (%s) transcript with no `./gdbvm -s` (or -g) line before it" % it.kind])
            return None
        if session.kind is None:
            session.kind = it.kind
        if session.kind != it.kind:
            self.not_ok(where, ["a (%s) line in a %s session" % (it.kind, session.kind)])
            return session
        session.cmds.append(it)
        return session

    def run_shell(self, where, it, wd):
        name = "%s $ %s" % (where, it.text)
        if not self.have_kvm and re.search(r"(^|[\s/|;&(])gdbvm\b", it.text):
            self.skip(name, "no usable /dev/kvm on this machine")
            return
        comment = shell_comment(it.text)
        m = re.search(r"\bstatus (\d+)\b", comment)
        want = int(m.group(1)) if m else 0
        status, out = self.sh(it.text, wd)
        probs = []
        if status is None:
            probs.append("timed out after %gs" % RUN_LIMIT)
        elif status != want:
            probs.append("exit status %d, expected %d%s" % (status, want, "" if m else
                         " (a comment saying 'status N' sets another)"))
        if it.output is not None and status is not None:
            probs += compare(it.output, out, False)
        self.verdict(name, probs + (show_actual(out) if probs else []))

    # a gdb or lldb session against a gdbvm started on a free port
    def run_session(self, doc, s, wd):
        name = "%s:%d %s session: %s" % (doc, s.server.line, s.kind or "gdb", s.server.text)
        alone = s.client is None and not s.cmds
        if s.kind is None and s.client is None:
            s.kind = "gdb"
        reason = None if alone else self.lldb_skip if s.kind == "lldb" else self.gdb_skip
        if not self.have_kvm:
            reason = "no usable /dev/kvm on this machine"
        if reason:
            self.skip(name, reason)
            return
        probs = []
        srv = Server(s.server_argv, wd, self.env(wd))
        try:
            port = srv.start()
            if port is None:
                probs.append("gdbvm did not say which port it listens on")
            elif alone:
                srv.grace = 0  # no client follows: only its first lines are checked
            else:
                if s.kind == "lldb":
                    probs += self.lldb_session(s, port, wd)
                else:
                    probs += self.gdb_session(s, port, wd)
        finally:
            srv.stop()
        out = [l.replace(":%s" % port, ":" + s.doc_port) if port else l for l in srv.lines]
        if s.server.output:
            # What gdbvm prints first; the guest's output may follow.
            p = compare(s.server.output + ["..."], out, False)
            if p:
                probs += ["gdbvm's output (line %d):" % s.server.line] + p
        if probs:
            probs += ["gdbvm's output:"] + ["    | " + l for l in out[:40]]
        self.verdict(name, probs)

    @staticmethod
    def port_in(text, s, port):
        """TEXT with the docs' port (in HOST:PORT or :PORT) replaced by PORT."""
        return re.sub(r"(?<=:)%s(?![0-9])" % re.escape(s.doc_port), port, text)

    def client_args(self, s, port):
        argv = list(s.client_argv) if s.client_argv else [s.kind]
        argv[0] = GDB if s.kind == "gdb" else LLDB
        return [self.port_in(a, s, port) for a in argv]

    def gdb_session(self, s, port, wd):
        argv = self.client_args(s, port)
        # The docs' -ex/-iex commands and the transcript's commands run through
        # one Python wrapper that marks where each command's output begins
        # and ends and whether it failed (gdb would go on after an error).
        cmds, out_argv, labels = [], [argv[0]], []
        k = 1
        while k < len(argv):
            a = argv[k]
            if a in ("-ex", "-iex", "--ex", "--iex", "-eval-command", "--eval-command",
                     "-init-eval-command", "--init-eval-command") and k + 1 < len(argv):
                out_argv += [a, "python docs_test_run(%d)" % len(cmds)]
                cmds.append(argv[k + 1])
                labels.append(None)
                k += 2
                continue
            out_argv.append(a)
            k += 1
        for it in s.cmds:
            out_argv += ["-ex", "python docs_test_run(%d)" % len(cmds)]
            cmds.append(self.port_in("\n".join([it.text] + it.body), s, port))
            labels.append(it)
        cmdfile = os.path.join(wd, ".docs-test-cmds.json")
        with open(cmdfile, "w") as f:
            json.dump(cmds, f)
        helper = os.path.join(REPO, "tests", "e2e", "docs_gdb_wrapper.py")
        out_argv[1:1] = ["-nx", "-iex", "set pagination off", "-iex", "set width 0",
                         "-iex", "set confirm off", "-iex", "source " + helper]
        env = self.env(wd)
        env["DOCS_TEST_CMDS"] = cmdfile
        status, lines = self.client(out_argv, wd, env)
        lines = [l.replace(":%s" % port, ":" + s.doc_port) for l in lines]
        probs = []
        if status is None:
            probs.append("the gdb session did not end within %gs (a `continue` that never returns?)"
                         % SESSION_LIMIT)
        sections, errors = split_sections(lines, len(cmds))
        # The command line's output: everything before the first transcript
        # command (banner, symbols, the -ex commands).
        first = next((i for i, l in enumerate(labels) if l is not None), len(cmds))
        pre = [l for i in range(first) for l in sections.get(i, [])]
        pre_err = set()
        off = 0
        for i in range(first):
            pre_err |= {off + j for j in errors[i]}
            off += len(sections.get(i, []))
        shown = s.client.output if s.client and s.client.output else []
        p = compare(shown, sections["pre"] + pre, True,
                    {len(sections["pre"]) + j for j in pre_err} | warnings(sections["pre"] + pre))
        if p:
            probs += ["%s (line %d):" % (s.client.text if s.client else "gdb",
                                         s.client.line if s.client else s.server.line)] + p
        for i in range(first, len(cmds)):
            it = labels[i]
            if i not in sections:
                probs.append("(gdb) %s (line %d): did not run" % (it.text, it.line))
                break
            p = compare(it.output, sections[i], True, set(errors[i]) | warnings(sections[i]))
            if p:
                probs += ["(gdb) %s (line %d):" % (it.text, it.line)] + p + show_actual(sections[i], 30)
        if probs:
            probs += ["the whole gdb session: %s" % " ".join(shlex.quote(a) for a in argv)]
            probs += show_actual([l for l in lines if not l.startswith("@@docs-test:")], 80)
        return probs

    def lldb_session(self, s, port, wd):
        argv = self.client_args(s, port)
        base = [argv[0], "-b", "-x"] + argv[1:]
        # lldb echoes the commands of its own -o options like typed ones: a
        # transcript may show them, and then they are not sent twice.
        given = [argv[k + 1] for k in range(1, len(argv) - 1) if argv[k] in ("-o", "--one-line")]
        for k, it in enumerate(s.cmds):
            if k < len(given) and norm(self.port_in(it.text, s, port)) == norm(given[k]):
                continue
            base += ["-o", self.port_in(it.text, s, port)]
        status, lines = self.client(base, wd, self.env(wd))
        lines = [l.replace(":%s" % port, ":" + s.doc_port) for l in lines]
        probs = []
        if status is None:
            probs.append("the lldb session did not end within %gs" % SESSION_LIMIT)
        elif status != 0:
            probs.append("lldb ended with status %d (lldb -b stops at the first failing command)" % status)
        # lldb -b echoes each command as "(lldb) CMD": split there.
        sections, cur, idx = {"pre": []}, "pre", 0
        for l in lines:
            if idx < len(s.cmds) and norm(l) == norm("(lldb) " + s.cmds[idx].text):
                cur = idx
                sections[cur] = []
                idx += 1
            else:
                sections[cur].append(l)
        shown = s.client.output if s.client and s.client.output else []
        p = compare(shown, sections["pre"], True, warnings(sections["pre"]))
        if p:
            probs += ["%s:" % (s.client.text if s.client else "lldb")] + p
        for i, it in enumerate(s.cmds):
            if i not in sections:
                probs.append("(lldb) %s (line %d): did not run" % (it.text, it.line))
                break
            p = compare(it.output, sections[i], True, warnings(sections[i]))
            if p:
                probs += ["(lldb) %s (line %d):" % (it.text, it.line)] + p + show_actual(sections[i], 30)
        if probs:
            probs += ["the whole lldb session: %s" % " ".join(shlex.quote(a) for a in base)]
            probs += show_actual(lines, 80)
        return probs

    def client(self, argv, wd, env):
        return run_bounded(argv, wd, env, SESSION_LIMIT)


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_bounded(argv, wd, env, limit):
    """Run ARGV in WD with stdin empty and stderr joined to stdout, in a
    process group of its own that is killed after LIMIT seconds: (status or
    None on time-out, output lines)."""
    p = subprocess.Popen(argv, cwd=wd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=limit)
        status = p.returncode
    except subprocess.TimeoutExpired:
        kill_group(p)
        out, _ = p.communicate()
        status = None
    return status, lines_of(out)


class Server:
    """gdbvm serving gdb on a free port, its output collected."""

    def __init__(self, argv, wd, env):
        self.argv, self.wd, self.env, self.lines, self.p = argv, wd, env, [], None
        self.thread, self.grace = None, 5

    def start(self):
        self.p = subprocess.Popen(["timeout", "-k", "5", "%g" % (SESSION_LIMIT + 10)] + self.argv,
                                  cwd=self.wd, env=self.env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        fd = self.p.stdout.fileno()
        buf, deadline, port = b"", time.monotonic() + 20, None
        while port is None and time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
            if not r:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
            m = re.search(rb"waiting for gdb on [^\n]*:(\d+)\n", buf)
            if m:
                port = m.group(1).decode()
        self.head = buf
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()
        return port

    def _drain(self):
        self.lines = lines_of(self.head + self.p.stdout.read())

    def stop(self):
        if self.p is None:
            return
        try:
            self.p.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            # A guest left running (after detach, say) is ended here.
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
                self.p.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                kill_group(self.p)
                self.p.wait()
        self.thread.join(10)
        self.status = self.p.returncode


def docs():
    out = ["README.md"]
    out += sorted("docs/" + f for f in os.listdir(os.path.join(REPO, "docs")) if f.endswith(".md"))
    return out


def list_examples(files):
    for doc in files:
        for b in read_blocks(doc):
            if doc in GENERATED:
                print("%s: skip (%s)" % (b.where(), GENERATED[doc]))
                continue
            kinds = ", ".join("%s: %s" % (k, v.split("\n")[0]) for k, v in b.markers)
            if b.marker("skip") or b.marker("file") or b.marker("output of"):
                print("%s: %s" % (b.where(), kinds))
                continue
            for it in parse_block(b):
                shown = "" if it.output is None else " [%d output lines]" % len(it.output)
                print("%s:%d: %s %s%s" % (doc, it.line, it.kind, it.text, shown))


def self_test():
    """The comparison and parsing rules on made-up cases (no VM): (name, passed)."""
    cases = [
        ("exact output", compare(["a", "b"], ["a", "b"], False) == []),
        ("a changed line fails", compare(["a", "b"], ["a", "c"], False) != []),
        ("a missing line fails", compare(["a", "b"], ["a"], False) != []),
        ("extra output fails a shell example", compare(["a"], ["a", "b"], False) != []),
        ("no output shown, some printed: fails", compare([], ["a"], False) != []),
        ("'...' stands for lines", compare(["a", "...", "d"], ["a", "b", "c", "d"], False) == []),
        ("'...' keeps the order", compare(["d", "...", "a"], ["a", "b", "c", "d"], False) != []),
        ("'...' in a line stands for text", compare(["at 0x10..."], ["at 0x100e"], False) == []),
        ("'...' in a line matches only that line", compare(["at 0x10..."], ["at 0x200e"], False) != []),
        ("whitespace runs are equal", compare(["=> 0x1000: xor %ax"], ["=>  0x1000:\txor   %ax"], False) == []),
        ("a session may leave out edges",
         compare(["B"], ["Continuing.", "", "B", "C"], True) == []),
        ("a session's shown lines are contiguous",
         compare(["A", "C"], ["A", "B", "C"], True) != []),
        ("a hidden warning fails",
         compare(["x"], ["warning: w", "x"], True, warnings(["warning: w", "x"])) != []),
        ("a shown warning passes",
         compare(["warning: w", "x"], ["warning: w", "x"], True, warnings(["warning: w", "x"])) == []),
        ("a hidden gdb error fails", compare([], ["No registers."], True, {0}) != []),
        ("a gdb comment is not sent", strip_comment("x/7i $pc      # the demo") == "x/7i $pc"),
        ("a printf format keeps its #", strip_comment('printf "%#x", 1') == 'printf "%#x", 1'),
        ("-s serves on 1234", server_port(["./gdbvm", "-s", "-S", "g.bin"]) == "1234"),
        ("-g HOST:PORT serves PORT", server_port(["./gdbvm", "-g", "127.0.0.1:2000"]) == "2000"),
        ("--gdb-batch is no server", server_port(["./gdbvm", "--gdb-batch", "x", "-s"]) is None),
        ("the server moves to port 0",
         server_argv(["./gdbvm", "-s", "-S", "g.bin", "&"]) == ["./gdbvm", "-g", "127.0.0.1:0", "-S", "g.bin"]),
        ("a status in a shell comment", shell_comment("./gdbvm -t 2 s.bin  # status 16") == "status 16"),
        ("a marker needs a reason", _raises(lambda: parse_marker("<!-- example: skip: -->", "t"))),
        ("an unknown marker is refused", _raises(lambda: parse_marker("<!-- example: maybe -->", "t"))),
    ]
    return cases


def _raises(fn):
    try:
        fn()
    except DocError:
        return True
    return False


def main():
    args = sys.argv[1:]
    if args and args[0] == "--list":
        list_examples(args[1:] or docs())
        return 0
    r = Runner(os.environ.get("GDBVM", "./gdbvm"))
    for name, good in self_test():
        r.verdict("self-test: " + name, [] if good else ["the rule does not hold"])
    if args and args[0] == "--self-test":
        print("1..%d" % r.n)
        return 1 if r.failed else 0
    if not os.access(r.gdbvm, os.X_OK):
        r.not_ok("the gdbvm under test exists", ["no executable %s (build it first)" % r.gdbvm])
        print("1..%d" % r.n)
        return 1
    try:
        for doc in args or docs():
            r.run_doc(doc)
    finally:
        shutil.rmtree(r.tmp, ignore_errors=True)
    print("1..%d" % r.n)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
