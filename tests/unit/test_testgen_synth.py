"""testgen from synthesized inputs: the fewest inputs that reach the uncovered lines, each
written as a test of what the code does, which passes when run."""

from __future__ import annotations

import textwrap

from codexcli.tasks.testgen.synth import call_source, greedy_cover, synthesized_tests
from codexcli.verify.cases.inputs import InputCase

MODULE = textwrap.dedent(
    """
    def grade(score):
        if score < 0:
            raise ValueError("negative")
        if score >= 90:
            return "A"
        if score >= 50:
            return "pass"
        return "fail"
    """
)


def _line(text: str) -> int:
    return next(i + 1 for i, line in enumerate(MODULE.split("\n")) if text in line)


def test_greedy_cover_picks_fewest():
    reached = [frozenset({1, 2}), frozenset({1, 2, 3}), frozenset({4}), frozenset({3, 4})]
    assert greedy_cover(reached, {1, 2, 3, 4}, 5) == [1, 2]
    assert greedy_cover(reached, {1, 2, 3, 4}, 1) == [1]
    assert greedy_cover(reached, {9}, 3) == []


def test_call_source():
    assert call_source("f", "f", InputCase("(1, 'a')")) == "f(1, 'a')"
    assert call_source("Stack", "Stack.push", InputCase("(1,)")) == "Stack().push(1)"
    assert call_source("f", "f", InputCase("(x,)")) is None


def test_synthesized_tests_reach_the_uncovered_lines_and_pass():
    cases = [InputCase(f"({s},)", "{}", "inferred") for s in (95, 99, 60, 10, -1)]
    uncovered = {_line('return "fail"'), _line("raise ValueError"), _line('return "pass"')}
    tests = synthesized_tests(
        "grades", {"grade"}, "grade", "grade", cases, uncovered, module_rel="grades.py", files={"grades.py": MODULE}
    )
    assert [t.name for t in tests] == ["test_grade_observed_1", "test_grade_observed_2", "test_grade_observed_3"]
    assert uncovered <= set().union(*(t.lines for t in tests))
    codes = "\n".join(t.code for t in tests)
    assert "assert grade(60) == 'pass'" in codes and "assert grade(10) == 'fail'" in codes
    assert "with pytest.raises(ValueError):\n        grade(-1)" in codes
    assert "grade(95)" not in codes
    namespace: dict = {}
    exec(MODULE, namespace)
    for test in tests:
        exec("import pytest\n" + test.code, namespace)
        namespace[test.name]()


def test_target_tests_as_an_answer_parse_back(tmp_path):
    from codexcli.tasks.testgen.pytest_runner import PytestRunner
    from codexcli.tasks.testgen.request import find_targets, parse_tests
    from codexcli.tasks.testgen.synth import as_answer, target_tests
    from codexcli.verify.sandbox.project import find_layout

    module = tmp_path / "grades.py"
    module.write_text(MODULE)
    (target,) = find_targets(MODULE)
    everything = set(range(target.first_line, target.last_line + 1))
    with PytestRunner(find_layout(module, tmp_path / "tests" / "test_grades.py")) as runner:
        tests = target_tests(runner, MODULE, target, everything)
        assert tests and all(t.origin in ("inferred", "random") for t in tests)
        # Every line of the body is reached by some input codex made up (score: int from `score < 0`).
        assert {n for n in everything if MODULE.split("\n")[n - 1].strip()} <= set().union(*(t.lines for t in tests))
        parsed = parse_tests(as_answer(tests), "grades", {"grade"})
        assert [t.name for t in parsed] == [t.name for t in tests]
        run = runner.run(
            "import pytest\n"
            + "\n".join(i for t in parsed for i in t.imports)
            + "\n\n"
            + "\n\n".join(t.code for t in parsed)
        )
        assert all(o.passed for o in run.outcomes.values()) and len(run.outcomes) == len(tests)
