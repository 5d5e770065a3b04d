"""Example calls from the model: the request, and its answer parsed to literal cases."""

from __future__ import annotations

from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.optimize.example_calls import example_request, merge_cases, parse_example_calls
from codexcli.verify.cases.inputs import InputCase


def test_parse_takes_literal_calls_once_and_skips_the_rest():
    answer = (
        "```python\nratio(1, 2)\nratio(1, 2)\nx = ratio(3, b=4)\nprint(ratio(-1.5, 2))\nratio(y, 2)\n"
        ">>> ratio(0, 1)\nother(1, 2)\nratio(1,\n```"
    )
    cases = parse_example_calls(answer, "ratio")
    assert [c.call_src for c in cases] == ["(1, 2)", "(3, b=4)", "(-1.5, 2)", "(0, 1)"]
    assert {c.origin for c in cases} == {"model"}


def test_merge_keeps_order_and_drops_repeats():
    a = [InputCase("(1,)", "{}", "doctest"), InputCase("(2,)", "{}", "doctest")]
    b = [InputCase("(2,)", "{}", "inferred"), InputCase("(3,)", "{}", "inferred"), InputCase("(4,)", "{}", "model")]
    merged = merge_cases(a, b, limit=4)
    assert [c.args_src for c in merged] == ["(1,)", "(2,)", "(3,)", "(4,)"]
    assert [c.origin for c in merged] == ["doctest", "doctest", "inferred", "model"]


def test_example_request_renders_the_function_and_types():
    request = example_request(load_prompt("examples"), Settings(), "ratio", "def ratio(a, b): ...", None)
    assert "def ratio(a, b)" in request.messages[-1].content and "unknown" in request.messages[-1].content
    assert request.max_tokens <= 200
