"""The reviewer score (tasks/comment/reviewer.py) with the fake backend's word-overlap scorer:
the code split, the prompts, the score's sign and the None paths."""

from __future__ import annotations

import pytest

from codexcli.backends.fake import FakeBackend, overlap_logprobs
from codexcli.tasks.comment import reviewer
from codexcli.tasks.comment.reviewer import (
    SplitCode,
    code_score,
    docstring_lines,
    misleads,
    passes,
    reviewer_score,
    split_code,
    summary,
)

LEAP = '''\
    def is_leap(year):
        """Return True for leap years."""
        # every fourth year, but not centuries unless divisible by 400
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
'''


def test_split_code_drops_the_docstring_and_dedents():
    code = split_code(LEAP)
    assert code == SplitCode(
        header="def is_leap(year):\n",
        body="    # every fourth year, but not centuries unless divisible by 400\n"
        "    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n",
        indent="    ",
    )


def test_split_code_without_a_docstring_and_with_decorators():
    code = split_code("@cache\ndef f(\n    a,\n):\n    return a\n")
    assert code is not None
    assert code.header == "def f(\n    a,\n):\n" and code.body == "    return a\n"


def test_split_code_cuts_long_bodies():
    source = "def f():\n" + "".join(f"    x{i} = {i}\n" for i in range(100))
    code = split_code(source, max_body_lines=3)
    assert code is not None and code.body.count("\n") == 3


@pytest.mark.parametrize(
    "source",
    ["x = 1\n", "def f(): return 1\n", 'def f():\n    """Only a docstring."""\n', "def f(:\n"],
)
def test_nothing_to_score_is_none(source: str):
    assert split_code(source) is None
    assert reviewer_score(FakeBackend(scorer=overlap_logprobs), source, "Anything at all.") is None
    assert code_score(FakeBackend(scorer=overlap_logprobs), source, "Anything at all.") is None


def test_summary_is_the_first_paragraph_on_one_line():
    assert summary("  Compute the\n  days.\n\n  Args:\n    x: y\n") == "Compute the days."


def test_docstring_lines_escape_what_would_end_the_string():
    assert docstring_lines("", "    ") == ""
    line = docstring_lines('say """hi""" \\ "q"', "  ")
    assert line.startswith('  """') and line.endswith('"""\n')
    assert eval(line.strip()) == 'say """hi""" \\ "q" '  # noqa: S307 - our own literal


def test_a_docstring_about_the_code_scores_above_one_about_other_code():
    backend = FakeBackend(scorer=overlap_logprobs)
    right = code_score(backend, LEAP, "Whether year is a leap year: divisible by 4, not by 100 unless by 400.")
    wrong = code_score(backend, LEAP, "Compute the number of days in a month.")
    assert right is not None and wrong is not None
    assert right > 0.0 >= wrong
    assert passes(right, threshold=0.0) is True and passes(wrong, threshold=0.01) is False
    assert passes(None) is None
    assert misleads(-0.1) is True and misleads(0.0) is False and misleads(None) is None
    assert passes(reviewer.REVIEWER_THRESHOLD) is True and reviewer.REJECT_BELOW < reviewer.REVIEWER_THRESHOLD


def test_the_reviewer_scores_the_summary_with_and_without_the_code():
    backend = FakeBackend(scorer=overlap_logprobs)
    right = reviewer_score(backend, LEAP, "Whether year is divisible by 4 and not by 100 unless by 400.\n\nArgs: ...")
    assert [c for _, c in backend.scored] == ["Whether year is divisible by 4 and not by 100 unless by 400."] * 2
    with_code, without = (r for r, _ in backend.scored)
    assert "return year % 4" in with_code.messages[-1].content and "is_leap" in with_code.messages[-1].content
    assert '"""' not in with_code.messages[-1].content and "return" not in without.messages[-1].content
    wrong = reviewer_score(backend, LEAP, "Compute the number of days in a month.")
    assert right is not None and wrong is not None and right > wrong
    assert reviewer_score(backend, LEAP, "\n\n") is None


def test_the_baseline_is_scored_once_when_given():
    backend = FakeBackend(scorer=overlap_logprobs)
    base = reviewer.baseline(backend, LEAP)
    assert base is not None
    calls = len(backend.scored)
    with_base = code_score(backend, LEAP, "Leap year test.", baseline=base)
    assert len(backend.scored) == calls + 1
    assert with_base == code_score(backend, LEAP, "Leap year test.")


@pytest.mark.parametrize("name", sorted(reviewer.PROMPTS))
def test_each_prompt_puts_the_docstring_before_the_body(name: str):
    backend = FakeBackend(scorer=overlap_logprobs)
    code_score(backend, LEAP, "Leap year test.", prompt=reviewer.PROMPTS[name])
    request, continuation = backend.scored[0]
    text = " ".join(m.content for m in request.messages) + request.prefill
    assert "Leap year test." in text and "def is_leap(year):" in request.prefill
    assert continuation.lstrip().startswith("# every fourth year")
    neutral_request, _ = backend.scored[1]
    assert "Leap" not in " ".join(m.content for m in neutral_request.messages) + neutral_request.prefill


class CannotScore(FakeBackend):
    def score(self, request, continuation):  # type: ignore[no-untyped-def,override]
        return None


def test_a_backend_that_cannot_score_gives_none():
    assert reviewer_score(CannotScore(), LEAP, "Leap year test.") is None
    assert code_score(CannotScore(), LEAP, "Leap year test.") is None
    assert reviewer.baseline(CannotScore(), LEAP) is None
