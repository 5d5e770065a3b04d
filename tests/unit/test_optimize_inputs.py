"""codex optimize on code that gives no inputs: the model's example calls (kept only when they
run on the original), the report of where inputs came from, and the guard against inputs that
cannot tell a rewrite apart."""

from __future__ import annotations

import ast
import textwrap

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.optimize.inputs import binds, keep_observed
from codexcli.tasks.optimize.run import OptimizeOptions, find_targets, optimize_request, optimize_source
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Observation, observe

SETTINGS = Settings(retries=0)
# Untyped, no doctest: inputs are inferred from the body (``for ch in text``: a list), and the
# numbers the pools hold are all below the threshold, so the original returns 0 on every one.
BIG = """\
def count_big(values):
    n = 0
    for v in values:
        if v > 1000:
            n = n + 1
    return n
"""
CONSTANT_REWRITE = "def count_big(values):\n    return 0\n"
FASTER = "def count_big(values):\n    return sum(1 for v in values if v > 1000)\n"
EXAMPLES_ASKED = "Write 6 different example calls"


def fenced(code: str) -> str:
    return "```python\n" + textwrap.dedent(code) + "```"


def run(source: str, answers: list[object], **options: object):
    backend = FakeBackend(answers)
    opts = OptimizeOptions(samples=1, repeats=3, random_cases=4, **options)  # type: ignore[arg-type]
    result = optimize_source(backend, load_prompt("optimize"), source, "m.py", SETTINGS, opts)
    return result.details[0], backend


def test_inputs_that_all_give_the_same_result_do_not_count():
    source = BIG.replace("1000", "10 ** 9")
    report, backend = run(source, [], model_inputs=False)
    assert report.status == "skipped" and "same result on every input" in report.reason
    assert backend.requests == []


def test_model_example_calls_are_asked_for_run_on_the_original_and_reported():
    calls = {"match": EXAMPLES_ASKED, "answer": "[5, 2000, 3000])\ncount_big([])\ncount_big(7)\ncount_big(1, 2)\n```"}
    report, backend = run(BIG, [calls, fenced(CONSTANT_REWRITE)])
    inputs = dict(report.inputs)
    # [5, 2000, 3000] and [] return; 7 raises TypeError (kept, "raises the same"); (1, 2) does
    # not bind to the signature and is dropped before running.
    assert inputs["model"] == 3 and inputs.get("inferred", 0) > 0
    assert report.status == "kept original"
    (cand,) = report.candidates
    assert cand.kind == "different return value" and "2000" in cand.reason
    asked = [r for r in backend.requests if EXAMPLES_ASKED in r.messages[-1].content]
    assert len(asked) >= 1 and asked[0].prefill.endswith("count_big(")


def test_a_faster_rewrite_is_still_accepted_with_model_inputs():
    calls = {"match": EXAMPLES_ASKED, "answer": "[5, 2000, 3000])\n```"}
    report, _ = run(BIG, [calls, fenced(FASTER)], min_speedup=1.0)
    assert dict(report.inputs).get("model") == 1
    assert report.candidates[0].kind in ("", "not faster"), report.candidates


def test_the_model_is_not_asked_when_the_code_gives_inputs():
    typed = BIG.replace("def count_big(values):", "def count_big(values: list[int]) -> int:")
    report, backend = run(typed, [fenced(CONSTANT_REWRITE.replace("(values)", "(values: list[int]) -> int"))])
    assert all(EXAMPLES_ASKED not in r.messages[-1].content for r in backend.requests)
    assert "model" not in dict(report.inputs) and report.status == "kept original"


def test_raising_model_calls_are_capped_and_come_after_returning_ones():
    def obs(args: str, kind: str, origin: str = "model") -> Observation:
        return Observation(InputCase(args, "{}", origin), kind, value=1 if kind == "value" else None)

    kept = keep_observed(
        [obs(f"({i},)", "raised") for i in range(5)]
        + [obs("(9,)", "value"), obs("(8,)", "raised", "inferred"), obs("(7,)", "timeout")]
    )
    assert [o.case.args_src for o in kept] == ["(9,)", "(0,)", "(1,)", "(2,)", "(8,)"]


def test_binds_checks_the_signature():
    fn = ast.parse("def f(a, b=1, *, c, d=2): pass").body[0]
    assert isinstance(fn, ast.FunctionDef)

    def case(args: str, kwargs: str = "{}") -> InputCase:
        return InputCase(args, kwargs, "model")

    assert binds(fn, case("(1,)", "{'c': 3}")) and binds(fn, case("()", "{'a': 1, 'c': 3, 'd': 4}"))
    assert not binds(fn, case("(1,)"))  # c missing
    assert not binds(fn, case("(1, 2, 3)", "{'c': 3}"))  # too many positional
    assert not binds(fn, case("(1,)", "{'a': 1, 'c': 3}"))  # a twice
    assert not binds(fn, case("(1,)", "{'c': 3, 'e': 5}"))  # unknown keyword
    assert not binds(fn, case("(x,)", "{'c': 3}"))  # not literal


def test_a_self_contained_function_is_shown_alone_one_using_the_file_with_it():
    source = "LIMIT = 3\n\n\ndef alone(xs):\n    return [x for x in xs]\n\n\ndef uses(xs):\n    return xs[:LIMIT]\n"
    backend = FakeBackend([])
    alone, uses = find_targets(source, None)
    prompt = load_prompt("optimize")
    alone_text = optimize_request(prompt, backend, source, "m.py", alone, SETTINGS, "speed").messages[-1].content
    uses_text = optimize_request(prompt, backend, source, "m.py", uses, SETTINGS, "speed").messages[-1].content
    assert "LIMIT = 3" not in alone_text and "def alone(xs)" in alone_text
    assert "LIMIT = 3" in uses_text and "def uses(xs)" in uses_text


def test_rewrites_are_timed_only_on_inputs_where_the_original_returns(monkeypatch):
    import codexcli.tasks.optimize.run as optimize

    timed: list[InputCase] = []
    real = optimize.input_groups

    def spy(cases, sizes):  # type: ignore[no-untyped-def]
        timed.extend(cases)
        return real(cases, sizes)

    monkeypatch.setattr(optimize, "input_groups", spy)
    # Raises on every list with an odd element; returns on the rest.
    picky = BIG.replace("    n = 0\n", "    n = 0\n    if any(v % 2 for v in values):\n        raise ValueError\n")
    calls = {"match": EXAMPLES_ASKED, "answer": "[2, 2000, 4000])\ncount_big([1, 3])\n```"}
    faster = FASTER.replace("    return", "    if any(v % 2 for v in values):\n        raise ValueError\n    return")
    report, _ = run(picky, [calls, fenced(faster)], min_speedup=1.0)
    assert report.candidates[0].kind not in ("different exception", "different return value"), report.candidates
    assert timed and all(c.args_src != "([1, 3],)" for c in timed)
    assert all(o.kind == "value" for o in observe(picky, "count_big", timed).observations)
