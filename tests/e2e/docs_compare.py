"""docs_compare.py - comparing the output the docs show with the real output
(for docs_examples.py): '...' elisions, warnings that must be shown, and
cutting a gdb session's output into each command's part.
"""

import re


def norm(line):
    return " ".join(line.split())


def line_pattern(line):
    """A shown line as a regex: '...' inside a line stands for any text."""
    return re.compile(".*".join(re.escape(p) for p in line.split("...")))


def compare(shown, actual, edges_free, must_show=()):
    """Problems (a list of strings) when the lines SHOWN are not ACTUAL.

    A line '...' in SHOWN stands for any lines, and '...' within a line for
    any text in that line; with EDGES_FREE, lines before
    and after what is shown may be left out too.  Every index of ACTUAL in
    MUST_SHOW (warnings, errors) has to be among the lines matched."""
    shown = [norm(l) for l in shown]
    act = [norm(l) for l in actual]
    chunks, cur = [], []
    for l in shown:
        if l == "...":
            chunks.append(cur)
            cur = []
        else:
            cur.append(l)
    chunks.append(cur)
    lead_free = edges_free or (shown[:1] == ["..."])
    trail_free = edges_free or (shown[-1:] == ["..."])
    pos, matched = 0, set()
    for n, chunk in enumerate(chunks):
        if not chunk:
            continue
        last = n == len(chunks) - 1
        cands = range(pos, len(act) - len(chunk) + 1)
        if n == 0 and not lead_free:
            cands = [0] if len(act) >= len(chunk) else []
        if last and not trail_free:
            cands = [c for c in cands if c + len(chunk) == len(act)]
        pats = [line_pattern(l) for l in chunk]
        hit = next((c for c in cands
                    if all(p.fullmatch(a) for p, a in zip(pats, act[c:c + len(chunk)]))), None)
        if hit is None:
            return ["the output does not contain these lines%s:" % (
                "" if n == 0 and not lead_free else " (in this order)")] + \
                ["    | " + l for l in chunk]
        matched.update(range(hit, hit + len(chunk)))
        pos = hit + len(chunk)
    if not trail_free and not any(chunks) and act:
        return ["the docs show no output, but there is some"]
    if not trail_free and pos != len(act) and any(chunks):
        return ["the output goes on after what the docs show"]
    hidden = [actual[i] for i in sorted(must_show) if i not in matched]
    if hidden:
        return ["the docs leave out these warning or error lines:"] + ["    | " + l for l in hidden]
    return []


def show_actual(lines, limit=60):
    out = ["actual output:"] + ["    | " + l for l in lines[:limit]]
    if len(lines) > limit:
        out.append("    | ... (%d more lines)" % (len(lines) - limit))
    return out



def warnings(lines):
    """Indexes of the lines that begin a warning or an error message."""
    return {i for i, l in enumerate(lines) if re.match(r"^(warning|error): ", l)}


def split_sections(lines, n):
    """gdb output split at the wrapper's markers: {index: lines}, {index: error line indexes}."""
    # What gdb prints between one command's end and the next one's begin
    # (the symbols it reads after the -iex commands, say) goes with the next.
    sections, errors, cur = {"pre": []}, {i: [] for i in range(n)}, "pre"
    err_next = False
    for l in lines:
        m = re.match(r"^@@docs-test:(begin|end|error) (\d+)$", l)
        if m:
            i = int(m.group(2))
            if m.group(1) == "begin":
                sections[i] = sections.pop("gap", []) if cur == "gap" else []
                cur = i
            elif m.group(1) == "end":
                cur = "gap"
                sections["gap"] = []
            else:
                err_next = True
            continue
        sections.setdefault(cur, []).append(l)
        if err_next and isinstance(cur, int):
            errors[cur].append(len(sections[cur]) - 1)
            err_next = False
    return sections, errors


def lines_of(data):
    """DATA's lines; a last line without a newline is still a line."""
    text = data.decode("utf-8", "replace")
    return text[:-1].split("\n") if text.endswith("\n") else (text.split("\n") if text else [])
