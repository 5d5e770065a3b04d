"""Verified selection: docstring examples, generated inputs, agreement, and the ranking order."""

from __future__ import annotations

import ast
import time

from codexcli.answers import ParseError
from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.fake import FakeBackend
from codexcli.tasks.select import SAMPLE_TEMPERATURE, Candidate, agreement_scores, draw_candidates, rank
from codexcli.verify.compare.probes import (
    Example,
    docstring_examples,
    function_docstring,
    function_params,
    probe,
    probe_inputs,
)

HEADER = '''def add(a: int, b: int) -> int:
    """Add two numbers.
    >>> add(2, 3)
    5
    >>> add(-1, 1)
    0
    """
'''


def test_doctest_examples():
    doc = function_docstring(HEADER, "add")
    assert docstring_examples(doc, "add") == [Example("add(2, 3)", "5"), Example("add(-1, 1)", "0")]


def test_informal_examples():
    doc = """Examples:
    digits(1)  == 1
    exchange([1, 2], [3]) => "YES"
    split_words("Hello world!") \u279e ["Hello", "world!"]
    file_name_check("1example.dll") # => 'No' (the name should start with a letter)
    solve(5) returns [1, 5] # because
    tri(n) = 1 + n / 2, if n is even.
    """
    got = {e.call: e.expected for e in docstring_examples(doc, "digits")}
    assert got == {"digits(1)": "1"}
    assert docstring_examples(doc, "exchange") == [Example("exchange([1, 2], [3])", '"YES"')]
    assert docstring_examples(doc, "split_words") == [Example('split_words("Hello world!")', '["Hello", "world!"]')]
    assert docstring_examples(doc, "file_name_check") == [Example('file_name_check("1example.dll")', "'No'")]
    assert docstring_examples(doc, "solve")[0].call == "solve(5)"
    assert docstring_examples(doc, "tri") == []  # "1 + n / 2, if n is even." is not a value


def test_examples_stated_in_words():
    doc = """Examples:
    For num = "AB" the output should be 1.
    For s = "abcde", c = "ae", the result should be ('bcd',False)
    For N = 1000, the sum of digits will be 1 the output should be "1".
    For x = 3 the output should be somewhat larger
    """
    assert docstring_examples(doc, "hex_key", ("num",)) == [Example('hex_key("AB")', "1")]
    assert docstring_examples(doc, "rd", ("s", "c")) == [Example('rd("abcde", "ae")', "('bcd',False)")]
    assert docstring_examples(doc, "solve", ("N",)) == [Example("solve(1000)", '"1"')]
    assert docstring_examples(doc, "f", ("x",)) == []  # the expected value is prose
    assert docstring_examples(doc, "g", ("s",)) == []  # c is not a parameter of g: not its example


def test_input_output_examples_in_params_order():
    doc = """
    Example 1:
        Input: k = 3, arr = [-3, -4, 5]
        Output: [-4, -3, 5]
    Example 2:
        Input: arr = [4, -4, 4], k = 2
        Output: [4, 4] # the two largest
    """
    assert docstring_examples(doc, "maximum", ("arr", "k")) == [
        Example("maximum([-3, -4, 5], 3)", "[-4, -3, 5]"),
        Example("maximum([4, -4, 4], 2)", "[4, 4]"),
    ]
    single = "Example:\n    Input: [4,2,3]\n    Output: [2, 1]\n"
    assert docstring_examples(single, "pluck", ("arr",)) == [Example("pluck([4,2,3])", "[2, 1]")]
    assert docstring_examples(single, "pluck", ("arr", "k")) == []  # a bare value needs one parameter
    assert docstring_examples(single, "pluck") == []  # without parameter names nothing is guessed


def test_informal_expected_values_read_leniently():
    doc = """
    fruits("5 apples", 19) ->19 - 5 = 14
    fruits("0 apples", 3) -> 3.
    check({"a": 1}) should return True.
    """
    assert docstring_examples(doc, "fruits") == [
        Example('fruits("5 apples", 19)', "14"),
        Example('fruits("0 apples", 3)', "3"),
    ]
    assert docstring_examples(doc, "check") == [Example('check({"a": 1})', "True")]
    assert function_params("def f(self, a, b=1, *c, d):\n    pass\n", "f") == ("a", "b")


def test_probe_inputs_from_examples_and_hints():
    inputs = probe_inputs(HEADER, "add", docstring_examples(function_docstring(HEADER, "add"), "add"))
    assert inputs[:2] == [("2", "3"), ("-1", "1")]
    assert len(inputs) > 4 and all(len(a) == 2 for a in inputs)
    assert len(set(inputs)) == len(inputs)
    lists = probe_inputs("def f(xs: List[int], s: str) -> int:\n    pass\n", "f")
    assert lists and all(a[0].startswith("[") and a[1][0] in "'\"" for a in lists)
    assert probe_inputs("def g(x, y):\n    pass\n", "g") == []  # no hints, no examples: nothing to make up


def test_probe_inputs_for_unannotated_parameters_follow_the_examples_types():
    header = 'def total(xs, k):\n    """>>> total([1, 2, 3], 2)\n    3\n    """\n'
    examples = docstring_examples(function_docstring(header, "total"), "total")
    inputs = probe_inputs(header, "total", examples)
    assert inputs[0] == ("[1, 2, 3]", "2")
    assert len(inputs) > 4 and len(set(inputs)) == len(inputs)
    # every made-up input has the examples' types: a list of ints and an int
    for xs, k in inputs:
        assert isinstance(ast.literal_eval(xs), list) and all(type(v) is int for v in ast.literal_eval(xs))
        assert type(ast.literal_eval(k)) is int


def test_probe_observes_examples_and_outputs():
    examples = [Example("add(2, 3)", "5"), Example("add(-1, 1)", "0")]
    inputs = [("2", "3"), ("'a'", "'b'"), ("1", "'x'")]
    right = probe(HEADER + "    return a + b\n", "add", examples, inputs)
    assert right.examples == (True, True)
    assert right.outputs == ("=5", "='ab'", "!TypeError")
    wrong = probe(HEADER + "    return a * b\n", "add", examples, inputs)
    assert wrong.examples == (False, False)


def test_probe_contains_loops_and_broken_modules():
    start = time.perf_counter()
    looping = probe(HEADER + "    while True:\n        pass\n", "add", [Example("add(2, 3)", "5")], [("1", "2")] * 6)
    assert looping.examples == (False,)
    assert set(looping.outputs) == {"!timeout"}
    assert time.perf_counter() - start < 8  # two slow calls, then the rest are skipped
    broken = probe("import os\nos._exit(0)\n", "add", [Example("add(2, 3)", "5")], [("1", "2")])
    assert broken.examples == (False,) and broken.outputs == ("!crash",) and broken.error


def test_agreement_counts_others_with_the_same_result_but_not_shared_crashes():
    outputs = [["=1", "=2", "!TypeError"], ["=1", "=3", "!TypeError"], ["=1", "=2", "=0"], ["=9", "!timeout", "=0"]]
    assert agreement_scores(outputs) == [2 + 1 + 0, 2 + 0 + 0, 2 + 1 + 1, 0 + 0 + 1]


def _cand(number: int, body: str | None, logprob: float) -> Candidate[str]:
    return Candidate(number, 100 + number, body or "junk", body, None if body else "does not parse", logprob)


def _module(body: str) -> str:
    return HEADER + "".join("    " + line + "\n" for line in body.splitlines())


def test_examples_beat_log_probability():
    cands = [_cand(1, "return a * b", -0.1), _cand(2, "return a + b", -2.0), _cand(3, None, -0.01)]
    examples = docstring_examples(function_docstring(HEADER, "add"), "add")
    sel = rank(cands, module_of=_module, name="add", examples=examples, inputs=probe_inputs(HEADER, "add", examples))
    assert sel.chosen.candidate.number == 2
    assert sel.chosen.examples_passed == 2 and sel.chosen.examples_total == 2
    assert [c.number for c in sel.dropped] == [3]
    assert "passed 2/2 docstring examples" in sel.reason
    assert "preferred to the likeliest candidate 1 by the docstring examples" in sel.reason
    assert "1 dropped" in sel.reason


def test_agreement_beats_log_probability_without_examples():
    header = "def add(a: int, b: int) -> int:\n    pass\n"
    cands = [_cand(1, "return a - b", -0.1), _cand(2, "return a + b", -1.0), _cand(3, "return b + a", -1.5)]
    sel = rank(
        cands,
        module_of=lambda body: "def add(a: int, b: int) -> int:\n    " + body + "\n",
        name="add",
        inputs=probe_inputs(header, "add"),
    )
    assert sel.chosen.candidate.number == 2  # agrees with 3; the likeliest one stands alone
    assert "preferred to the likeliest candidate 1 by agreement with the other candidates" in sel.reason


def test_log_probability_breaks_ties_and_logprob_strategy_ignores_evidence():
    cands = [_cand(1, "return a + b", -1.0), _cand(2, "return b + a", -0.5), _cand(3, "return a * b", -0.2)]
    examples = [Example("add(2, 3)", "5")]
    sel = rank(cands, module_of=_module, name="add", examples=examples, inputs=[("2", "3"), ("4", "4")])
    assert [r.candidate.number for r in sel.ranking] == [2, 1, 3]  # 1 and 2 tie on evidence
    assert "preferred to the likeliest candidate 3 by the docstring examples" in sel.reason
    tied = rank(cands[:2], module_of=_module, name="add", examples=examples, inputs=[("2", "3")])
    assert "the likeliest candidate; ahead of candidate 1 by mean log-probability" in tied.reason
    by_logprob = rank(cands, module_of=_module, name="add", examples=examples, strategy="logprob")
    assert by_logprob.chosen.candidate.number == 3


def test_nothing_parsed():
    sel = rank([_cand(1, None, -0.1)], module_of=_module, name="add")
    assert sel.chosen is None and "none of 1 candidates parsed" in sel.reason


def test_draw_candidates_uses_distinct_seeds_sampling_and_logprobs():
    backend = FakeBackend([{"answer": "A", "logprob": -0.3}, "bad", {"answer": "C", "logprob": -0.9}])
    request = CompletionRequest(messages=(Message("user", "x"),), temperature=0.0, seed=7)

    def parse(text: str) -> str | ParseError:
        return ParseError("nope") if text == "bad" else text

    cands = draw_candidates(backend, request, parse, 3)
    assert [r.seed for r in backend.requests] == [7, 8, 9]
    assert all(r.temperature > 0 and r.logprobs for r in backend.requests)
    assert [c.value for c in cands] == ["A", None, "C"]
    assert cands[1].error == "nope"
    assert cands[0].mean_logprob == -0.3


def test_find_tests_only_returns_tests_of_that_module_and_function(tmp_path):
    from codexcli.tasks.generate.selection import find_tests

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "calc.py").write_text("def mul(a, b):\n    ...\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_calc.py").write_text(
        "from calc import mul\n\ndef test_mul():\n    assert mul(2, 2) == 4\n"
    )
    (tmp_path / "tests" / "test_other.py").write_text("from other import mul\n")  # another module's mul
    (tmp_path / "tests" / "test_calc_add.py").write_text("from calc import add\n")  # not this function
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "test_calc.py").write_text("from calc import mul\n")  # hidden/venv folders skipped
    assert find_tests(tmp_path / "calc.py", "mul") == [tmp_path / "tests" / "test_calc.py"]
    assert find_tests(tmp_path / "missing.py", "mul") == []


def test_find_tests_searches_from_the_import_root_of_a_package_without_markers(tmp_path):
    from codexcli.tasks.generate.selection import find_tests

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "calc.py").write_text("def mul(a, b):\n    ...\n")
    (tmp_path / "test_calc.py").write_text("from pkg.calc import mul\n\ndef test_mul():\n    assert mul(2, 2) == 4\n")
    # The same root `codex testgen` copies: the folder `pkg` is imported from, not pkg/ itself.
    assert find_tests(tmp_path / "pkg" / "calc.py", "mul") == [tmp_path / "test_calc.py"]


def test_greedy_first_makes_candidate_one_the_greedy_answer():
    backend = FakeBackend([], default="A")
    greedy = CompletionRequest(messages=(Message("user", "x"),), temperature=0.0, seed=1)
    draw_candidates(backend, greedy, lambda t: t, 3, greedy_first=True)
    assert [r.temperature for r in backend.requests] == [0.0, SAMPLE_TEMPERATURE, SAMPLE_TEMPERATURE]
    backend.requests.clear()
    warm = CompletionRequest(messages=(Message("user", "x"),), temperature=0.7, seed=1)
    draw_candidates(backend, warm, lambda t: t, 2, greedy_first=True)  # a configured temperature wins
    assert [r.temperature for r in backend.requests] == [0.7, 0.7]
