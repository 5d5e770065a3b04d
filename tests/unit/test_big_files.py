"""Big files in bounded time and memory (issue 12, item 8): finding no stubs builds no tree;
(issue 25) a diff of a few edits in a big file compares the edited regions, not every line."""

from __future__ import annotations

import ast
import difflib
import random
import re

import libcst
import pytest

from codexcli.splice import body
from codexcli.splice.body import find_stubs, may_have_stubs
from codexcli.workspace import unified_diff


def _big(n: int) -> str:
    return "".join(f"def f{i}(x):\n    '''Doc.'''\n    return x + {i}\n\n" for i in range(n))


def test_a_file_without_placeholders_is_decided_without_parsing(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("parsed a file that has no placeholder statement")

    monkeypatch.setattr(ast, "parse", boom)
    monkeypatch.setattr(body.cst, "parse_module", boom)
    assert find_stubs(_big(20000)) == []  # ~0.9 MB


def test_placeholders_outside_function_bodies_stop_at_ast(monkeypatch):
    source = _big(2000) + "class Empty:\n    pass\n\nfor i in range(3):\n    pass\n"
    monkeypatch.setattr(body.cst, "parse_module", lambda *a, **k: (_ for _ in ()).throw(AssertionError("libcst")))
    assert may_have_stubs(source) is False and find_stubs(source) == []


def test_stubs_in_a_big_file_are_still_found():
    source = _big(2000) + "def todo(x):\n    '''Later.'''\n    ...\n\nclass A:\n    def m(self): pass\n"
    assert [t.qualname for t in find_stubs(source)] == ["todo", "A.m"]
    assert libcst  # the real parser ran for this one


@pytest.mark.parametrize("where", ["start", "middle", "end", "end-no-newline", "grow", "shrink"])
def test_diffs_are_those_of_difflib_on_the_whole_text(where: str):
    lines = [f"line {i}\n" for i in range(200)]
    before = "".join(lines)
    at = {"start": 1, "middle": 100, "end": 198, "end-no-newline": 199, "grow": 50, "shrink": 150}[where]
    new = list(lines)
    if where == "grow":
        new[at:at] = ["added\n", "added too\n"]
    elif where == "shrink":
        del new[at : at + 5]
    else:
        new[at] = "changed\n"
    if where == "end-no-newline":
        before, new[-1] = before.rstrip("\n"), "changed"
    after = "".join(new)
    assert unified_diff("f.py", before, after) == difflib_diff(before, after)


def difflib_diff(before: str, after: str) -> str:
    """What unified_diff gave before issue 25: difflib over every line."""
    full = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile="a/f.py", tofile="b/f.py"
    )
    return "".join(x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in full)


def apply_diff(before: str, diff: str) -> str:
    """``before`` with the unified ``diff`` applied (hunk line numbers checked)."""
    old, out, at = before.splitlines(keepends=True), [], 0
    lines = iter(diff.splitlines(keepends=True)[2:])
    for line in lines:
        if line.startswith("@@"):
            start, length = re.match(r"@@ -(\d+)(?:,(\d+))?", line).groups()
            begin = int(start) - (1 if length != "0" else 0)
            assert begin >= at
            out += old[at:begin]
            at = begin
        elif line.startswith("\\"):
            out[-1] = out[-1].rstrip("\n") if out and out[-1].endswith("\n") else out[-1]
        elif line[0] in " -":
            assert old[at].rstrip("\n") == line[1:].rstrip("\n")
            at += 1
            out += [line[1:]] if line[0] == " " else []
        else:
            out.append(line[1:])
    out += old[at:]
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_a_diff_of_scattered_edits_applies_and_is_difflibs_on_one_edit(seed: int):
    rng = random.Random(seed)
    # repeated lines (no anchors) as well as unique ones, as in real code
    lines = [rng.choice(["    return x\n", "\n", "    pass\n", f"def f{i}(x):\n"]) for i in range(400)]
    new = list(lines)
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(new))
        kind = rng.choice(["replace", "insert", "delete"])
        if kind == "replace":
            new[at] = f"changed {at}\n"
        elif kind == "insert":
            new[at:at] = [f"inserted {at}\n", "    return x\n"]
        else:
            del new[at : at + rng.randint(1, 4)]
    before, after = "".join(lines), "".join(new)
    diff = unified_diff("f.py", before, after)
    assert apply_diff(before, diff) == after
    one = list(lines)
    one[rng.randrange(len(one))] = "one change\n"
    assert unified_diff("f.py", before, "".join(one)) == difflib_diff(before, "".join(one))


def test_a_diff_of_a_few_edits_in_a_big_file_runs_difflib_on_small_gaps_only(monkeypatch):
    lines = [f"def f{i}(x):\n    return x + {i}\n\n" for i in range(20000)]
    new = list(lines)
    for at in range(500, 20000, 2000):
        new[at] = new[at].replace("return x", "return 2 * x")
    sizes: list[int] = []
    real = difflib.SequenceMatcher.set_seqs

    def spy(self, a, b):
        sizes.append(len(a) + len(b))
        return real(self, a, b)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seqs", spy)
    before, after = "".join(lines), "".join(new)
    diff = unified_diff("f.py", before, after)
    monkeypatch.undo()
    assert diff.count("@@ ") == 10 and apply_diff(before, diff) == after
    assert max(sizes) < 100
