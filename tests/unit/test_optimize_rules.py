"""The rewrite rules of tasks/optimize/rules: before/after source per rule, and the code each
rule leaves alone (where the rewrite could change what the function does)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from codexcli.tasks.optimize.rules import RULE_NAMES, RULES, apply_rules, rule_named
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import compare, observe


def rewrite(before: str, rule: str, str_names: frozenset[str] = frozenset()) -> str | None:
    found = {r.rule: r.code for r in apply_rules(dedent(before).lstrip("\n"), str_names, only=(rule,))}
    return found.get(rule)


CASES = {
    "dedupe-set": (
        """
        def unique(xs):
            out = []
            for x in xs:
                if x not in out:
                    out.append(x)
            return out
        """,
        """
        def unique(xs):
            out = []
            out_seen = set()
            for x in xs:
                if x not in out_seen:
                    out.append(x)
                    out_seen.add(x)
            return out
        """,
    ),
    "concat-append": (
        """
        def evens(xs):
            result = []
            for x in xs:
                if x % 2 == 0:
                    result = result + [x]
            return result
        """,
        """
        def evens(xs):
            result = []
            for x in xs:
                if x % 2 == 0:
                    result.append(x)
            return result
        """,
    ),
    "str-join": (
        """
        def shout(words):
            s = ""
            for w in words:
                s += w.upper()
            return s
        """,
        """
        def shout(words):
            s_parts = []
            for w in words:
                s_parts.append(w.upper())
            s = ''.join(s_parts)
            return s
        """,
    ),
    "comprehension": (
        """
        def squares(xs):
            out = []
            for x in xs:
                if x > 0:
                    out.append(x * x)
            return out
        """,
        """
        def squares(xs):
            out = [x * x for x in xs if x > 0]
            return out
        """,
    ),
    "sum": (
        """
        def total(xs):
            t = 0
            for x in xs:
                t += x * 2
            return t
        """,
        """
        def total(xs):
            t = sum(x * 2 for x in xs)
            return t
        """,
    ),
    "any-all": (
        """
        def all_positive(xs):
            for x in xs:
                if x <= 0:
                    return False
            return True
        """,
        """
        def all_positive(xs):
            return all(not (x <= 0) for x in xs)
        """,
    ),
    "count-dict": (
        """
        def repeated(xs):
            return [x for x in xs if xs.count(x) > 1]
        """,
        """
        def repeated(xs):
            xs_counts = {}
            for _item in xs:
                xs_counts[_item] = xs_counts.get(_item, 0) + 1
            return [x for x in xs if xs_counts.get(x, 0) > 1]
        """,
    ),
    "index-dict": (
        """
        def positions(xs, ys):
            return [xs.index(y) for y in ys]
        """,
        """
        def positions(xs, ys):
            xs_first = {}
            for _i, _item in enumerate(xs):
                xs_first.setdefault(_item, _i)
            return [(xs_first[y] if y in xs_first else xs.index(y)) for y in ys]
        """,
    ),
    "membership-set": (
        """
        def common(a, b):
            n = 0
            for x in a:
                if x in b:
                    n += 1
            return n
        """,
        """
        def common(a, b):
            n = 0
            b_set = set(b)
            for x in a:
                if x in b_set:
                    n += 1
            return n
        """,
    ),
    "hoist-invariant": (
        """
        def scaled(xs):
            i = 0
            out = []
            while i < len(xs):
                out.append(xs[i] / max(xs))
                i += 1
            return out
        """,
        """
        def scaled(xs):
            i = 0
            out = []
            max_xs = max(xs)
            len_xs = len(xs)
            while i < len_xs:
                out.append(xs[i] / max_xs)
                i += 1
            return out
        """,
    ),
    "contains": (
        """
        def tally(xs, t):
            n = 0
            for x in xs:
                if x == t:
                    n += 1
            return n
        """,
        """
        def tally(xs, t):
            n = xs.count(t)
            return n
        """,
    ),
    "deque": (
        """
        def order(graph, start):
            queue = [start]
            seen = [start]
            while queue:
                node = queue.pop(0)
                for nxt in graph[node]:
                    if nxt not in seen:
                        seen.append(nxt)
                        queue.append(nxt)
            return seen
        """,
        """
        def order(graph, start):
            from collections import deque
            queue = deque([start])
            seen = [start]
            while queue:
                node = queue.popleft()
                for nxt in graph[node]:
                    if nxt not in seen:
                        seen.append(nxt)
                        queue.append(nxt)
            return seen
        """,
    ),
    "prepend-reverse": (
        """
        def backwards(xs):
            out = []
            for x in xs:
                if x:
                    out.insert(0, x * 2)
            return out
        """,
        """
        def backwards(xs):
            out = []
            for x in xs:
                if x:
                    out.append(x * 2)
            out.reverse()
            return out
        """,
    ),
}


def test_every_rule_has_a_before_after_case():
    from tests.unit.test_optimize_rules_pick import CASES as PICK_CASES  # it imports this module
    from tests.unit.test_optimize_rules_reverse import CASES as REVERSE_CASES

    assert set(CASES) | set(PICK_CASES) | set(REVERSE_CASES) == set(RULE_NAMES) and len(RULES) == len(RULE_NAMES)
    assert all(rule_named(n) is not None and rule_named(n).instruction for n in RULE_NAMES)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_before_after(name: str):
    before, after = CASES[name]
    assert rewrite(before, name) == dedent(after).lstrip("\n")


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        # `in` on a str is a substring test: no set.
        ("membership-set", "def f(a, s):\n    return [x for x in a if x in s]\n"),
        # the container changes in the loop.
        (
            "membership-set",
            "def f(a, b):\n    for x in a:\n        if x in b:\n            b.remove(x)\n    return b\n",
        ),
        # the list is also changed by something other than append: the set would fall behind.
        (
            "dedupe-set",
            "def f(a):\n    out = []\n    for x in a:\n        if x not in out:\n            out.append(x)\n"
            "    out.pop()\n    return out\n",
        ),
        # a parameter: appending would change the caller's list.
        ("concat-append", "def f(acc, a):\n    for x in a:\n        acc = acc + [x]\n    return acc\n"),
        # the list is stored elsewhere each pass: in-place appends would change those copies.
        (
            "concat-append",
            "def f(a):\n    out = []\n    snaps = []\n    for x in a:\n        out = out + [x]\n"
            "        snaps.append(out)\n    return snaps\n",
        ),
        # the string is read inside the loop.
        (
            "str-join",
            "def f(a):\n    s = ''\n    for x in a:\n        if len(s) < 5:\n            s += x\n    return s\n",
        ),
        # the loop variable is used after the loop.
        ("comprehension", "def f(a):\n    out = []\n    for x in a:\n        out.append(x)\n    return out, x\n"),
        # the item is computed by a call (once instead of every pass), or compared the other way.
        (
            "contains",
            "def f(a):\n    for x in a:\n        if x == len(a):\n            return True\n    return False\n",
        ),
        ("contains", "def f(a, t):\n    for x in a:\n        if t == x:\n            return True\n    return False\n"),
        (
            "contains",
            "def f(a, t):\n    n = 0\n    for x in a:\n        if x == t:\n            n += 2\n    return n\n",
        ),
        # the queue is returned (a deque is not a list) or compared with a list.
        ("deque", "def f(a):\n    q = [0]\n    for x in a:\n        q.insert(0, x)\n    return q\n"),
        ("deque", "def f(a):\n    q = list(a)\n    while q != []:\n        q.pop(0)\n    return 1\n"),
        # sliced (a deque has no slices), or popped only at the end (no gain).
        ("deque", "def f(a):\n    q = [1, 2]\n    while q:\n        q.pop(0)\n        a = q[1:]\n    return a\n"),
        ("deque", "def f(a):\n    q = [1, 2]\n    while q:\n        q.pop()\n    return a\n"),
        # the list is read in the loop, or does not start empty.
        (
            "prepend-reverse",
            "def f(a):\n    out = []\n    for x in a:\n        out.insert(0, x)\n        print(out[0])\n    return out\n",
        ),
        ("prepend-reverse", "def f(a):\n    s = 'x'\n    for c in a:\n        s = c + s\n    return s\n"),
        ("sum", "def f(a):\n    t = 0\n    for x in a:\n        t += x\n    return t + x\n"),
        # the loop returns something other than True/False.
        ("any-all", "def f(a):\n    for x in a:\n        if x:\n            return x\n    return False\n"),
        # zip() is an iterator: hoisting it would use it up on the first pass.
        (
            "hoist-invariant",
            "def f(a, b):\n    n = 0\n    for x in a:\n        n += len(list(zip(a, b)))\n    return n\n",
        ),
    ],
)
def test_rule_leaves_alone(rule: str, code: str):
    assert rewrite(code, rule, frozenset({"s"})) is None


def test_dedupe_set_on_a_string_grown_by_characters_of_a_string():
    code = (
        "def unique_letters(key):\n    out = ''\n    for ch in key.upper():\n        if ch not in out:\n"
        "            out += ch\n    return out\n"
    )
    after = rewrite(code, "dedupe-set", frozenset({"key"}))
    assert after is not None and "if ch not in out_seen:" in after and "out_seen.add(ch)" in after
    assert rewrite(code, "dedupe-set") is None  # key not known to be a str: ch may be longer


def test_rules_together_are_one_more_candidate():
    code = dedent(
        """
        def common(a, b):
            out = []
            for x in a:
                if x in b and x not in out:
                    out.append(x)
            return out
        """
    )
    found = {r.rule: r.code for r in apply_rules(code)}
    assert set(found) == {"dedupe-set", "membership-set", "dedupe-set+membership-set"}
    assert "x in b_set and x not in out_seen" in found["dedupe-set+membership-set"]


def test_code_that_is_no_function_or_does_not_parse_gives_nothing():
    assert apply_rules("x = 1\n") == [] and apply_rules("def f(:\n") == []


def test_str_join_on_bytes_joins_with_bytes():
    code = "def pack(chunks):\n    out = b''\n    for c in chunks:\n        out += c\n    return out\n"
    after = rewrite(code, "str-join")
    assert after is not None and "out = b''.join(out_parts)" in after
    assert _same(code, after, "pack", ["([b'ab', b'', b'c'],)", "([],)"])


def _same(before: str, after: str, name: str, calls: list[str]) -> bool:
    """Whether the two run alike (in the sandbox, as codex checks a candidate) on ``calls``."""
    cases = [InputCase(c) for c in calls]
    expected = observe(before, name, cases)
    assert expected.ok and all(o.kind == "value" for o in expected.observations), expected
    return compare(expected, observe(after, name, cases)) is None


@pytest.mark.parametrize(
    ("rule", "code", "name", "calls"),
    [
        ("contains", CASES["contains"][0], "tally", ["([1, 2, 1], 1)", "((1, 1.0, True), 1)", "([], 3)"]),
        (
            "contains",
            "def has(xs, t):\n    for x in xs:\n        if x == t:\n            return False\n    return True\n",
            "has",
            ["([1, 2], 2)", "([1, 2], 3)", "(range(5), 4)"],
        ),
        ("deque", CASES["deque"][0], "order", ["({0: [1, 2], 1: [2, 0], 2: []}, 0)", "({5: [5]}, 5)"]),
        (
            "deque",
            "def drain(xs):\n    q = list(xs)\n    t = []\n    while q:\n        t.append(q.pop(0))\n    return t\n",
            "drain",
            ["([3, 1, 2],)", "('abc',)", "([],)"],
        ),
        ("prepend-reverse", CASES["prepend-reverse"][0], "backwards", ["([1, 0, 2, 3],)", "([],)"]),
        (
            "prepend-reverse",
            "def rev(s):\n    r = ''\n    for ch in s:\n        r = ch + r\n    return r\n",
            "rev",
            ["('abc',)", "('',)", "(['ab', 'c'],)"],
        ),
    ],
)
def test_rules_behave_as_the_original(rule: str, code: str, name: str, calls: list[str]):
    before = dedent(code).lstrip("\n")
    after = rewrite(before, rule)
    assert after is not None and after != before
    assert _same(before, after, name, calls)


def test_a_set_hoisted_out_of_an_outer_loop_is_not_hoisted_again_before_an_inner_one():
    code = (
        "def f(s, vowels):\n    i, n = 0, 0\n    while i < len(s):\n        while i < len(s) and s[i] not in vowels:\n"
        "            i += 1\n        n += 1\n        i += 1\n    return n\n"
    )
    after = rewrite(code, "membership-set")
    assert after is not None and after.count("set(") == 1 and "s[i] not in vowels_set" in after
    assert _same(code, after, "f", ["('abcde', ['a', 'e'])", "('', ['x'])", "('xyz', [])"])
