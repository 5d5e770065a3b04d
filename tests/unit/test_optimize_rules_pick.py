"""The rules of tasks/optimize/rules/pick.py (min-max, find-index, sorted-first) and chars.py
(count-chars, char-set):
before/after source, the code each leaves alone because the builtin would behave differently,
and each rewrite run next to the original in the sandbox, as codex checks a candidate."""

from __future__ import annotations

from textwrap import dedent

import pytest

from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import compare, observe
from tests.unit.test_optimize_rules import rewrite

CASES = {
    "min-max": (
        """
        def biggest(xs):
            best = xs[0]
            for x in xs:
                if x > best:
                    best = x
            return best
        """,
        """
        def biggest(xs):
            best = xs[0]
            best = max((best, *xs))
            return best
        """,
    ),
    "find-index": (
        """
        def position(xs, t):
            for i in range(len(xs)):
                if xs[i] == t:
                    return i
            return -1
        """,
        """
        def position(xs, t):
            try:
                return xs.index(t)
            except ValueError:
                pass
            return -1
        """,
    ),
    "sorted-first": (
        """
        def lowest(xs):
            return sorted(xs)[0]
        """,
        """
        def lowest(xs):
            import heapq
            return heapq.nsmallest(1, xs)[0]
        """,
    ),
    "count-chars": (
        """
        def vowels(s):
            n = 0
            for c in s:
                if c in "aeiou":
                    n += 1
            return n
        """,
        """
        def vowels(s):
            n = sum(map(s.count, 'aeiou'))
            return n
        """,
    ),
    "char-set": (
        """
        def has_digit(s):
            return any(c in "0123456789" for c in s)
        """,
        """
        def has_digit(s):
            return (not set("0123456789").isdisjoint(s))
        """,
    ),
}


def _code(text: str) -> str:
    return dedent(text).lstrip("\n")


def _same(before: str, after: str, name: str, calls: list[str]) -> bool:
    """Whether the two run alike in the sandbox on ``calls`` (returns and exceptions both)."""
    cases = [InputCase(c) for c in calls]
    expected = observe(before, name, cases)
    assert expected.ok and any(o.kind == "value" for o in expected.observations), expected
    return compare(expected, observe(after, name, cases)) is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_before_after(name: str):
    before, after = CASES[name]
    assert rewrite(_code(before), name, frozenset({"s"})) == _code(after)


LONGEST = "def longest(ws):\n    best = ws[0]\n    for w in ws[1:]:\n        if len(w) > len(best):\n            best = w\n    return best\n"
ARGMIN = "def argmin(xs):\n    bi = 0\n    for i in range(1, len(xs)):\n        if xs[bi] > xs[i]:\n            bi = i\n    return bi\n"
FOUND = (
    "def where(xs, t):\n    found = None\n    for i, x in enumerate(xs):\n        if x == t:\n"
    "            found = i\n            break\n    return found\n"
)
SORTS = "def picks(xs):\n    return sorted(xs, key=abs)[0], sorted(xs, key=abs)[-1], sorted(xs, reverse=True)[:2]\n"


def test_min_max_with_a_key_or_an_index_runs_max_only_on_a_non_empty_sequence():
    after = rewrite(LONGEST, "min-max")
    assert after is not None and "key=len" in after and "if best_items := (*ws[1:],):" in after
    after = rewrite(ARGMIN, "min-max")
    assert after is not None and "bi = min((bi, *bi_items), key=xs.__getitem__)" in after


CHECKS = (
    "def checks(s, letters):\n    return (all(c in letters for c in s), any(c not in letters for c in s),"
    " all(c not in letters for c in s))\n"
)


TALLY = (
    "def tally(s):\n    counts = dict.fromkeys('ABC', 0)\n    for c in s.upper():\n        if c in 'CAB':\n"
    "            counts[c] += 1\n    return counts\n"
)


@pytest.mark.parametrize(
    ("code", "rule", "parts"),
    [
        (
            CHECKS,
            "char-set",
            ["(set(letters).issuperset(s))", "(not set(letters).issuperset(s))", "(set(letters).isdisjoint(s))"],
        ),
        (
            TALLY,
            "count-chars",
            [
                "for c, c_n in zip(dict.fromkeys('CAB'), map(s.upper().count, dict.fromkeys('CAB'))):",
                "counts[c] += c_n",
            ],
        ),
    ],
)
def test_rule_writes(code: str, rule: str, parts: list[str]):
    after = rewrite(code, rule, frozenset({"s"}))
    assert after is not None and all(p in after for p in parts), after


def test_sorted_first_keeps_key_reverse_and_the_last_tie():
    after = rewrite(SORTS, "sorted-first")
    assert after is not None
    assert "heapq.nsmallest(1, xs, key=abs)[0]" in after
    assert "heapq.nlargest(1, reversed(list(xs)), key=abs)[0]" in after
    assert "heapq.nlargest(2, xs)" in after


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        # >= keeps the last of equal items: max keeps the first (and reversed() is the same
        # only for a total order, not for NaN).
        (
            "min-max",
            "def f(xs):\n    b = xs[0]\n    for x in xs:\n        if x >= b:\n            b = x\n    return b\n",
        ),
        # no start set just before the loop, or the loop does more than keep the item.
        ("min-max", "def f(xs, b):\n    for x in xs:\n        if x > b:\n            b = x\n    return b\n"),
        (
            "min-max",
            "def f(xs):\n    b, n = xs[0], 0\n    for x in xs:\n        if x > b:\n            b = x\n"
            "            n += 1\n    return b\n",
        ),
        # the loop variable is used after the loop.
        ("min-max", "def f(xs):\n    b = 0\n    for x in xs:\n        if x > b:\n            b = x\n    return b, x\n"),
        # a str: str.index finds substrings where the loop compares single characters.
        (
            "find-index",
            "def f(s, t):\n    for i in range(len(s)):\n        if s[i] == t:\n            return i\n    return -1\n",
        ),
        # it returns something else than the position, or compares another item.
        (
            "find-index",
            "def f(xs, t):\n    for i in range(len(xs)):\n        if xs[i] == t:\n            return i + 1\n    return -1\n",
        ),
        (
            "find-index",
            "def f(xs, ys, t):\n    for i in range(len(xs)):\n        if ys[i] == t:\n            return i\n    return -1\n",
        ),
        # the item looked for is computed by a call (once instead of every pass).
        (
            "find-index",
            "def f(xs):\n    for i, x in enumerate(xs):\n        if x == len(xs):\n            return i\n    return -1\n",
        ),
        # a variable or negative k: heapq.nsmallest(-1, xs) is [], sorted(xs)[:-1] is not.
        ("sorted-first", "def f(xs, k):\n    return sorted(xs)[:k], sorted(xs)[:-1], sorted(xs)[1]\n"),
        ("sorted-first", "def f(xs, r):\n    return sorted(xs, reverse=r)[0]\n"),
        # s not known to be a str (a list of words: `in` is then membership of whole items).
        ("count-chars", "def f(words):\n    return sum(1 for c in words if c in 'aeiou')\n"),
        # s not known to be a str: `c in "ab"` is a substring test for an item "ab".
        ("char-set", "def f(words):\n    return any(c in 'abc' for c in words)\n"),
        # the letters are computed by a call: once instead of for every character.
        ("char-set", "def f(s, t):\n    return any(c in t.lower() for c in s)\n"),
        # counted into a dict from something not known to be a str.
        ("count-chars", TALLY.replace("s.upper()", "words")),
        # the letters are not a literal.
        ("count-chars", "def f(s, vowels):\n    return sum(1 for c in s if c in vowels)\n"),
    ],
)
def test_rule_leaves_alone(rule: str, code: str):
    assert rewrite(code, rule, frozenset({"s"})) is None


@pytest.mark.parametrize(
    ("rule", "code", "name", "calls"),
    [
        (
            "min-max",
            CASES["min-max"][0],
            "biggest",
            ["([3, 1, 3.0, 2],)", "([1, True, 1.0],)", "([float('nan'), 1.0, 2.0],)", "([1.0, float('nan'), 0.5],)"],
        ),
        ("min-max", CASES["min-max"][0], "biggest", ["([],)", "([1, 'a'],)", "((2,),)"]),
        (
            "min-max",
            LONGEST,
            "longest",
            ["(['ab', 'cd', 'e', 'fgh', 'ijk'],)", "(['x'],)", "([],)", "([[1], [2, 3]],)"],
        ),
        ("min-max", ARGMIN, "argmin", ["([3, 1, 1, 2],)", "([],)", "([5],)", "('bca',)"]),
        (
            "find-index",
            CASES["find-index"][0],
            "position",
            ["([1, 2, 1], 1)", "([1, 2], 3)", "((1, 1.0, True), True)", "([], 0)", "('abc', 'c')"],
        ),
        ("find-index", FOUND, "where", ["([4, 5, 4], 4)", "([4], 9)", "([], None)"]),
        (
            "sorted-first",
            SORTS,
            "picks",
            ["([3, -1, 1, -3, 2],)", "([1, 1.0, True, -1.0],)", "([0, 0.0],)", "([5],)"],
        ),
        ("sorted-first", CASES["sorted-first"][0], "lowest", ["([2, 1, 1.0],)", "([],)", "('hello',)", "(5,)"]),
        (
            "count-chars",
            CASES["count-chars"][0],
            "vowels",
            ["('education',)", "('',)", "('xyz AEIOU aa',)", "('ae\\u00e9a',)"],
        ),
        ("count-chars", TALLY, "tally", ["('abcab x',)", "('',)", "('cccz',)"]),
        (
            "count-chars",
            TALLY.replace("dict.fromkeys('ABC', 0)", "{'A': 0}"),
            "tally",
            ["('aaa',)", "('xyz',)", "('ab',)"],
        ),
        (
            "char-set",
            CHECKS,
            "checks",
            ["('abc', 'cab')", "('', 'x')", "('abz', ['a', 'b'])", "('xy', {'x': 1})", "('ab', 'b')", "('ab', '')"],
        ),
    ],
)
def test_rules_behave_as_the_original(rule: str, code: str, name: str, calls: list[str]):
    before = _code(code)
    after = rewrite(before, rule, frozenset({"s"}))
    assert after is not None and after != before
    assert _same(before, after, name, calls)
