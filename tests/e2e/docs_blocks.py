"""docs_blocks.py - reading the documentation's examples (for docs_examples.py).

Finds the fenced code blocks of a Markdown file with the markers before them
(<!-- example: KIND: ARG -->), splits a block into commands with the output
shown for each, and recognises the gdbvm command lines that serve gdb.
The rules are in tests/e2e/README.md.
"""

import os
import re
import shlex

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

MARKER_KINDS = ("skip", "file", "setup", "output of")
GDB_BLOCK_CMDS = re.compile(r"^(define|document|commands|python|if|while)\b")
PROMPT = re.compile(r"^\((gdb|lldb)\) ?(.*)$")
MARKER_START = "<!-- example:"


class DocError(Exception):
    """A block or marker the extractor cannot make sense of."""


class Block:
    def __init__(self, doc, line, lang, lines, markers):
        self.doc, self.line, self.lang, self.lines, self.markers = doc, line, lang, lines, markers

    def where(self):
        return "%s:%d" % (self.doc, self.line)

    def marker(self, kind):
        vals = [v for k, v in self.markers if k == kind]
        return vals[0] if vals else None


def parse_marker(text, where):
    body = text[len(MARKER_START):]
    if not body.rstrip().endswith("-->"):
        raise DocError("%s: marker does not end with -->" % where)
    body = body.rstrip()[:-3].strip()
    for kind in MARKER_KINDS:
        if body.startswith(kind + ":"):
            arg = body[len(kind) + 1:].strip()
            if not arg:
                raise DocError("%s: '%s:' needs %s" % (where, kind,
                               "a reason" if kind == "skip" else "an argument"))
            return kind, arg
    raise DocError("%s: unknown marker '%s' (expected one of: %s)" % (
        where, body.split(":")[0], ", ".join(k + ":" for k in MARKER_KINDS)))


def read_blocks(doc):
    """The fenced blocks of DOC (relative path), each with its markers."""
    with open(os.path.join(REPO, doc), encoding="utf-8") as f:
        text = f.read().split("\n")
    blocks, pending, i = [], [], 0
    while i < len(text):
        line = text[i]
        stripped = line.strip()
        if stripped.startswith(MARKER_START):
            start = i
            chunk = [line]
            while "-->" not in chunk[-1] and i + 1 < len(text):
                i += 1
                chunk.append(text[i])
            pending.append(parse_marker("\n".join(chunk).strip(), "%s:%d" % (doc, start + 1)))
            i += 1
            continue
        m = re.match(r"^(\s*)```+\s*([\w-]*)", line)
        if m:
            indent, lang, start = len(m.group(1)), m.group(2), i
            body = []
            i += 1
            while i < len(text) and not text[i].strip().startswith("```"):
                body.append(text[i][indent:] if text[i][:indent].strip() == "" else text[i])
                i += 1
            if i == len(text):
                raise DocError("%s:%d: code block never closed" % (doc, start + 1))
            blocks.append(Block(doc, start + 1, lang, body, pending))
            pending = []
            i += 1
            continue
        if stripped and pending:
            raise DocError("%s:%d: an example marker must come just before a code block" % (doc, i))
        i += 1
    if pending:
        raise DocError("%s: a marker at the end with no code block after it" % doc)
    return blocks


def strip_comment(cmd):
    """A gdb/lldb command without its trailing '  # comment'."""
    return re.sub(r"(?<=\S)\s+#(\s.*)?$", "", cmd).rstrip()


def shell_comment(cmd):
    """The comment at the end of a shell line, or ''."""
    try:
        lex = shlex.shlex(cmd, posix=True, punctuation_chars=True)
        lex.commenters = ""
        lex.whitespace_split = True
        toks = list(lex)
    except ValueError:
        return ""
    for k, t in enumerate(toks):
        if t.startswith("#"):
            return " ".join(toks[k:])[1:].strip()
    return ""


class Item:
    """One command with the output the docs show for it."""

    def __init__(self, kind, text, line):
        self.kind, self.text, self.line, self.output, self.body = kind, text, line, [], []


def parse_block(block):
    """The items of a block: shell commands (kind "sh") and gdb/lldb commands."""
    lines = block.lines
    dollar = any(l.startswith("$ ") or l == "$" for l in lines)
    items, cur, k = [], None, 0
    while k < len(lines):
        line, lno = lines[k], block.line + 1 + k
        m = PROMPT.match(line)
        if m:
            cur = Item(m.group(1), strip_comment(m.group(2)), lno)
            items.append(cur)
            if cur.kind == "gdb" and GDB_BLOCK_CMDS.match(cur.text):
                while k + 1 < len(lines) and lines[k + 1].startswith(">"):
                    k += 1
                    cur.body.append(strip_comment(lines[k][1:].strip()))
        elif cur is not None and cur.kind in ("gdb", "lldb"):
            cur.output.append(line)
        elif dollar:
            if line.startswith("$ "):
                cmd = line[2:]
                while cmd.endswith("\\") and k + 1 < len(lines):
                    k += 1
                    cmd = cmd[:-1] + " " + lines[k].strip()
                cur = Item("sh", cmd, lno)
                items.append(cur)
            elif cur is None:
                raise DocError("%s:%d: output before any '$ ' command" % (block.doc, lno))
            else:
                cur.output.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            cmd = line
            while cmd.endswith("\\") and k + 1 < len(lines):
                k += 1
                cmd = cmd[:-1] + " " + lines[k].strip()
            cur = Item("sh", cmd, lno)
            cur.output = None  # comment style: the output is not shown
            items.append(cur)
        k += 1
    return items


def argv_of(cmd):
    try:
        return shlex.split(cmd, comments=True)
    except ValueError:
        return None


def is_gdbvm(argv):
    return bool(argv) and os.path.basename(argv[0]) == "gdbvm"


def server_port(argv):
    """The port a gdbvm command line serves gdb on, or None."""
    if not is_gdbvm(argv) or "--gdb-batch" in argv or any(a.startswith("--gdb-batch=") for a in argv):
        return None
    for k, a in enumerate(argv):
        if a == "-s":
            return "1234"
        if a in ("-g", "--gdb") and k + 1 < len(argv):
            return argv[k + 1].rsplit(":", 1)[-1]
        if a.startswith("--gdb="):
            return a.rsplit(":", 1)[-1]
    return None


def server_argv(argv):
    """ARGV serving on a free loopback port instead of the docs' fixed one."""
    out, k = [], 0
    while k < len(argv):
        a = argv[k]
        if a == "-s":
            out += ["-g", "127.0.0.1:0"]
        elif a in ("-g", "--gdb"):
            out += ["-g", "127.0.0.1:0"]
            k += 1
        elif a.startswith("--gdb="):
            out += ["-g", "127.0.0.1:0"]
        elif a != "&":
            out.append(a)
        k += 1
    return out


class Session:
    def __init__(self, item, argv, port):
        self.server, self.server_argv, self.doc_port = item, argv, port
        self.client, self.client_argv, self.kind, self.cmds = None, None, None, []
