"""A docstring of examples observed by running the function (tasks/comment/examples.py): written
when none of the model's docstrings reaches the threshold, true by construction."""

from __future__ import annotations

import doctest

import pytest

from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.examples import _Unrenderable, examples_docstring, observed_examples, render
from tests.unit.test_comment import rule, run

LEAP = "def is_leap(year: int) -> bool:\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
WRONG = "Compute the number of days in a month.\n\nArgs:\n    year: The year."


def test_values_render_exactly_or_not_at_all():
    assert render({"__tuple__": [1, 0.5, "a"]}) == "(1, 0.5, 'a')"
    assert render({"__tuple__": [1]}) == "(1,)"
    assert render([None, True, {"__bytes__": "6869"}]) == "[None, True, b'hi']"
    for value in ({"__set__": [1, 2]}, {"__dict__": [[1, 2]]}, {"__repr__": "<obj>"}, float("nan")):
        with pytest.raises(_Unrenderable):
            render(value)


def test_a_wrong_answer_gives_way_to_observed_examples_that_pass_as_doctests():
    result, _, _ = run(LEAP, [rule("`is_leap`", WRONG)], only=["is_leap"], examples=True)
    (outcome,) = result.outcomes
    assert outcome.status == "documented" and outcome.evidence.level == "examples"
    assert "days" not in result.after and ">>> is_leap(" in result.after
    assert "not written" in outcome.note and "days" in outcome.note  # the model's candidate, and why not
    namespace: dict = {}
    exec(compile(result.after, "mod.py", "exec"), namespace)  # our own test code, not the model's
    tests = doctest.DocTestFinder().find(namespace["is_leap"], "is_leap", globs=namespace)
    outcome_run = doctest.DocTestRunner().run(tests[0])
    assert outcome_run.attempted >= 2 and outcome_run.failed == 0


def test_no_examples_without_inputs_or_for_methods():
    src = "class A:\n    def m(self, x: int) -> int:\n        return x\n"
    [method] = [t for t in find_targets(src) if t.name == "m"]
    assert observed_examples(src, method) == []
    opaque = "def f(thing):\n    return thing.frobnicate()\n"
    [target] = [t for t in find_targets(opaque) if t.name == "f"]
    assert observed_examples(opaque, target) == []


def test_the_docstring_in_each_style():
    [target] = [t for t in find_targets(LEAP) if t.name == "is_leap"]
    calls = [(">>> is_leap(2000)", "True")]
    assert "Examples:\n    >>> is_leap(2000)\n    True" in examples_docstring(target, calls, "google")
    assert "Examples\n--------\n>>> is_leap(2000)\nTrue" in examples_docstring(target, calls, "numpy")


def test_an_examples_docstring_is_taken_from_the_cache_without_the_model(tmp_path):
    from codexcli.cache import ResultCache

    cache = ResultCache(tmp_path / "c.sqlite3")
    first, _, _ = run(LEAP, [rule("`is_leap`", WRONG)], only=["is_leap"], examples=True, cache=cache)
    again, fake, lazy = run(LEAP, [], only=["is_leap"], examples=True, cache=cache)
    (outcome,) = again.outcomes
    assert outcome.cached and outcome.evidence.level == "examples"
    assert again.after == first.after and fake.requests == [] and not lazy.created


def test_a_none_result_is_shown_as_a_question_doctest_can_check():
    src = "def halve(n: int):\n    if n % 2:\n        return None\n    return n // 2\n"
    [target] = [t for t in find_targets(src) if t.name == "halve"]
    found = observed_examples(src, target)
    assert any(call.endswith(" is None") and value == "True" for call, value in found)
    assert all(value != "None" for _, value in found)


def _doctest(src: str, name: str, doc: str) -> doctest.TestResults:
    namespace: dict = {}
    exec(compile(src, "mod.py", "exec"), namespace)  # our own test code, not the model's
    test = doctest.DocTestParser().get_doctest(doc, namespace, name, "mod.py", 0)
    return doctest.DocTestRunner().run(test)


def test_a_call_that_changes_its_list_shows_the_list_before_and_after():
    src = (
        "def push_sorted(heap: list[int], item: int) -> None:\n"
        "    heap.append(item)\n"
        "    heap.sort()\n\n\n"
        "def pop_first(list: list[int]) -> int:\n"
        "    return list.pop(0)\n"
    )
    targets = {t.name: t for t in find_targets(src)}
    pushed = observed_examples(src, targets["push_sorted"])
    changed = [e for e in pushed if len(e) == 4]
    assert changed, pushed
    setup, call, show, after = changed[0]
    assert setup.startswith(">>> heap = [") and call.startswith(">>> push_sorted(heap, ") and show == ">>> heap"
    assert not any(line.endswith(" is None") for line in changed[0])  # nothing shown for None
    popped = [e for e in observed_examples(src, targets["pop_first"]) if len(e) == 5]
    assert popped and popped[0][0].startswith(">>> arg1 = [")  # `list` would hide the builtin
    for name, found in (("push_sorted", pushed), ("pop_first", popped)):
        doc = examples_docstring(targets[name], found, "google")
        results = _doctest(src, name, doc)
        assert results.attempted >= 3 and results.failed == 0


def test_a_value_that_changes_from_run_to_run_is_not_shown():
    src = "import random\n\n\ndef jitter(n: int) -> float:\n    return n + random.random()\n"
    [target] = [t for t in find_targets(src) if t.name == "jitter"]
    assert observed_examples(src, target) == []
    steady = "def twice(n: int) -> int:\n    return 2 * n\n"
    [target] = [t for t in find_targets(steady) if t.name == "twice"]
    assert observed_examples(steady, target)
