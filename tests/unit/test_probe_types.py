"""Parameter types found by running the original (verify/cases/probe_types.py): where the static
guess makes every case fail on a type mismatch, the probe finds the type under which the
original returns, within its budget of sandbox runs; elsewhere the static cases stand."""

from __future__ import annotations

import ast

import pytest

from codexcli.verify.cases import probe_types
from codexcli.verify.cases.cases import collect_cases, static_inferred
from codexcli.verify.cases.probe_types import original_cases, probe_params, raised_names
from codexcli.verify.compare.behaviour import observe

HEAD = """
def head(s):
    p = s.find(b"\\0")
    if p != -1:
        s = s[:p]
    return len(s)
"""

# Both parameters go through a helper the static guess cannot see into (it guesses int for
# each), and the call fails unless both change: they are probed together.
SAME = """
import os

def _norm(x):
    return os.path.normcase(x)

def same(name, other):
    return _norm(name) == _norm(other)
"""

JOINED = """
def joined(words, n):
    return ", ".join(words[:n])
"""

NOTHING = """
def nothing(n):
    return n + n.missing
"""


def hints(source: str, name: str, **options) -> dict[str, str | None]:
    found = static_inferred(source, name)
    assert found is not None
    probed = probe_params(source, name, *found, **options)
    return {i.name: i.hint for i in (probed or found[1])}


def returning(source: str, name: str, cases) -> int:
    return sum(o.kind == "value" for o in observe(source, name, cases).observations)


@pytest.mark.parametrize(
    ("source", "name", "guessed", "probed"),
    [
        (SAME, "same", {"name": "int", "other": "int"}, {"name": "str", "other": "str"}),
        (JOINED, "joined", {"words": "list[int]", "n": "int"}, {"words": "list[str]", "n": "int"}),
    ],
)
def test_a_wrong_static_guess_is_replaced_by_the_type_the_original_returns_on(source, name, guessed, probed):
    found = static_inferred(source, name)
    assert found is not None and {i.name: i.hint for i in found[1]} == guessed
    assert hints(source, name) == probed


def test_cases_from_the_probed_type_return_where_the_static_ones_raise():
    found = static_inferred(HEAD, "head")
    assert found is not None and found[1][0].hint == "str"  # s.find(...) reads as a str method
    static = collect_cases(HEAD, "head", limit=6)
    cases = original_cases(HEAD, "head", limit=6, random_cases=3)
    assert [c.origin for c in cases[:6]] == ["probed"] * 6 and cases[6:]  # and Hypothesis draws bytes
    seen = observe(HEAD, "head", static + cases).observations
    assert [o.raised for o in seen[:6]] == ["TypeError"] * 6  # str.find(b"\0")
    assert {o.kind for o in seen[6:]} == {"value"}
    assert {type(c.values()[0][0]) for c in cases} == {bytes}
    probed = probe_params(HEAD, "head", *found)
    assert probed is not None and probed[0].hint == "bytes"
    assert probed[0].evidence == "probed: returned on 6 of 6 (guessed str)"


def test_where_nothing_works_the_static_cases_stand():
    assert hints(NOTHING, "nothing") == {"n": "int"}
    assert original_cases(NOTHING, "nothing", limit=5) == collect_cases(NOTHING, "nothing", limit=5)
    # A parameter of unknown type still gets no cases when no type makes the original return.
    unknown = "def f(x):\n    return x.no_such_attribute()\n"
    assert collect_cases(unknown, "f", limit=4) == [] and original_cases(unknown, "f", limit=4) == []


def test_a_right_guess_costs_one_run_and_changes_nothing(monkeypatch):
    runs = []
    real = probe_types.observe
    monkeypatch.setattr(probe_types, "observe", lambda *a, **k: runs.append(1) or real(*a, **k))
    source = "def add(a, b):\n    return a * 2 + b\n"
    assert original_cases(source, "add", limit=5) == collect_cases(source, "add", limit=5)
    assert len(runs) == 1
    # A function with hints is not run at all: its cases do not come from inferred types.
    typed = "def add(a: int, b: int):\n    return a + b\n"
    assert original_cases(typed, "add", limit=5) == collect_cases(typed, "add", limit=5) and len(runs) == 1


def test_the_budget_of_sandbox_runs_holds(monkeypatch):
    runs = []
    real = probe_types.observe
    monkeypatch.setattr(probe_types, "observe", lambda *a, **k: runs.append(1) or real(*a, **k))
    # Two runs find it: the guess, then both parameters together; one is not enough.
    assert hints(SAME, "same", budget=1) == {"name": "int", "other": "int"} and len(runs) == 1
    assert hints(SAME, "same", budget=2) == {"name": "str", "other": "str"} and len(runs) == 3
    # Where nothing works, the search stops at the budget.
    runs.clear()
    three = "def f(a, b, c):\n    return a.x + b.y + c.z\n"
    assert hints(three, "f", budget=4) == {"a": None, "b": None, "c": None} and len(runs) == 4
    runs.clear()
    assert probe_params(three, "f", *static_inferred(three, "f")) is None and len(runs) <= probe_types.PROBE_BUDGET


def test_probing_is_deterministic():
    assert hints(JOINED, "joined", seed=3) == hints(JOINED, "joined", seed=3)


def test_an_exception_the_function_raises_itself_is_not_a_type_mismatch():
    source = "def check(n):\n    if n < 0:\n        raise ValueError('negative')\n    raise TypeError\n"
    fn = ast.parse(source).body[0]
    assert raised_names(fn) == {"ValueError", "TypeError"}
    # Its TypeError is deliberate: the int guess stands (nothing is probed).
    assert hints(source, "check") == {"n": "int"}


def test_translate_signatures_take_the_probed_types():
    from codexcli.tasks.translate.sig import observed_signature

    # The static guess would declare `int name, int other`; the probed cases are strings.
    assert (
        observed_signature(SAME, "same", "same", (), 6, 1.0) == "public static boolean same(String name, String other)"
    )
    fn = ast.parse(SAME).body[-1]
    assert probe_types.probed_function(fn, collect_cases(SAME, "same", limit=4)) is fn  # no probed case


def test_optimize_and_fill_compare_on_the_probed_cases():
    from codexcli.tasks.comment.backtranslate import original_behaviour
    from codexcli.tasks.optimize.judge import baseline
    from codexcli.tasks.optimize.targets import find_targets
    from codexcli.tasks.optimize.types import OptimizeOptions

    # Without the probe both would give up: the original raises on every static case.
    found = baseline(HEAD, find_targets(HEAD, "head")[0], OptimizeOptions(max_cases=6, random_cases=0))
    assert not isinstance(found, str)
    assert {c.origin for c in found[0]} <= {"probed", "scaled:64"} and "probed" in {c.origin for c in found[0]}
    filled = original_behaviour(HEAD, "head", max_cases=6)
    assert isinstance(filled, tuple) and {c.origin for c in filled[0]} == {"probed"}
