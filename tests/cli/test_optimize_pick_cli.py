"""The pick rules (tasks/optimize/rules/pick.py) through `codex optimize` with the fake backend:
their candidates go through the same behaviour check as a model answer, which rejects one where
the builtin does not do what the loop did (``str.index`` finds substrings), and keeps the file
as it was then."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from tests.cli.test_optimize_rules_cli import _codex

# No hints: `xs` may be a list or a str. On a str, xs.index("bc") finds the substring where
# the loop compares one character at a time: the doctest shows it, so the check must reject.
SEARCH = '''\
def position(xs, t):
    """The first position of t in xs, -1 when absent.

    >>> position([3, 1, 3], 3)
    0
    >>> position("abc", "bc")
    -1
    """
    for i in range(len(xs)):
        if xs[i] == t:
            return i
    return -1
'''


def test_a_pick_rule_candidate_is_checked_like_a_model_answer(tmp_path: Path, fake_answers: Callable[..., Path]):
    (tmp_path / "search.py").write_text(SEARCH, encoding="utf-8")
    fake_answers(default="no code here")
    args = ("--json", "optimize", "search.py", "--samples", "1", "--retries", "0", "--rule", "find-index")
    proc = _codex(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    rule = [c for c in fn["candidates"] if c["origin"] == "rule:find-index"]
    assert len(rule) == 1 and rule[0]["kind"] == "different return value", fn
    assert fn["status"] == "kept original" and (tmp_path / "search.py").read_text() == SEARCH


VOWELS = '''\
def vowels(s: str) -> int:
    """How many vowels s has.

    >>> vowels("education")
    5
    """
    return sum(1 for c in s if c in "aeiouAEIOU")
'''


def test_count_chars_wins_on_a_str_with_the_search_in_c(tmp_path: Path, fake_answers: Callable[..., Path]):
    (tmp_path / "text.py").write_text(VOWELS, encoding="utf-8")
    fake_answers(default="no code here")
    proc = _codex(tmp_path, "--json", "optimize", "text.py", "--samples", "1", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    assert fn["status"] == "optimized" and fn["won_by"] == "rule:count-chars", fn
    assert fn["speedup"] >= 2.0  # one str.count per letter against a Python step per character (n=1000)
    assert "sum(map(s.count, 'aeiouAEIOU'))" in (tmp_path / "text.py").read_text()
