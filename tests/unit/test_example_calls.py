"""Example calls from the model: parsed to literal cases, kept only when they run on the original."""

from __future__ import annotations

from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.verify.example_calls import (
    example_request,
    keep_runnable,
    merge_cases,
    origins,
    parse_example_calls,
)
from codexcli.verify.inputs import InputCase

MODULE = "def ratio(a, b):\n    return a / b\n\ndef spin(n):\n    while n:\n        pass\n"


def test_parse_takes_literal_calls_once_and_skips_the_rest():
    answer = (
        "```python\nratio(1, 2)\nratio(1, 2)\nx = ratio(3, b=4)\nprint(ratio(-1.5, 2))\nratio(y, 2)\n"
        ">>> ratio(0, 1)\nother(1, 2)\nratio(1,\n```"
    )
    cases = parse_example_calls(answer, "ratio")
    assert [c.call_src for c in cases] == ["(1, 2)", "(3, b=4)", "(-1.5, 2)", "(0, 1)"]
    assert {c.origin for c in cases} == {"model"}


def test_keep_runnable_splits_returning_raising_and_hanging_cases():
    cases = parse_example_calls("ratio(1, 2)\nratio(1, 0)\nratio('a', 2)\nratio(3, 4)", "ratio")
    kept = keep_runnable(MODULE, "ratio", cases, max_raised=1)
    assert [c.call_src for c in kept.returned] == ["(1, 2)", "(3, 4)"]
    assert [(c.call_src, c.origin) for c in kept.raised] == [("(1, 0)", "model:raises")]
    assert kept.dropped == 1 and kept.error is None
    assert [c.call_src for c in kept.cases] == ["(1, 2)", "(3, 4)", "(1, 0)"]
    hanging = keep_runnable(MODULE, "spin", [InputCase("(1,)", "{}", "model"), InputCase("(0,)", "{}", "model")])
    assert hanging.returned == () and hanging.dropped == 2


def test_a_module_that_does_not_import_keeps_nothing():
    kept = keep_runnable("import not_a_module_anywhere\n", "f", [InputCase("(1,)", "{}", "model")])
    assert kept.cases == [] and kept.error is not None and "import" in kept.error


def test_merge_and_origins():
    a = [InputCase("(1,)", "{}", "doctest"), InputCase("(2,)", "{}", "doctest")]
    b = [InputCase("(2,)", "{}", "inferred"), InputCase("(3,)", "{}", "inferred"), InputCase("(4,)", "{}", "model")]
    merged = merge_cases(a, b, limit=4)
    assert [c.args_src for c in merged] == ["(1,)", "(2,)", "(3,)", "(4,)"]
    assert origins(merged) == {"doctest": 2, "inferred": 1, "model": 1}


def test_example_request_renders_the_function_and_types():
    request = example_request(load_prompt("examples"), Settings(), "ratio", "def ratio(a, b): ...", None)
    assert "def ratio(a, b)" in request.messages[-1].content and "unknown" in request.messages[-1].content
    assert request.max_tokens <= 200
