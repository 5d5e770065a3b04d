"""comment writes only what is true (issue 27): each docstring's evidence, the default write
threshold ("meaning"), --evidence form, the cache judging again, and the reviewer hook."""

from __future__ import annotations

from pathlib import Path

from codexcli.cache import ResultCache
from codexcli.tasks.comment.memo import cache_key
from codexcli.tasks.pipeline import Done, Skipped
from tests.unit.test_comment import MODEL, SETTINGS, rule, run

LEAP = "def is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
WRONG = "Compute the number of days in a month.\n\nArgs:\n    year: The year."
RIGHT = "Return True if year is a leap year.\n\nArgs:\n    year: The year.\n\nReturns:\n    True for a leap year."
ROUND_DIV = "def round_div(a, b):\n    return (a + b // 2) // b\n"


def test_an_ungrounded_summary_is_held_back_with_its_candidate() -> None:
    result, fake, _ = run(LEAP, [rule("`is_leap`", WRONG)], only=["is_leap"])
    (outcome,) = result.outcomes
    assert isinstance(outcome, Skipped) and outcome.status == "below threshold"
    assert outcome.candidate == WRONG and outcome.evidence is not None and outcome.evidence.level == "form"
    assert "'days', 'month'" in outcome.reason and "--evidence form" in outcome.reason
    assert result.after == LEAP  # nothing written
    # the meaning failure was fed back to the model before giving up; assembling it from parts
    # did not take the ungrounded summary either
    assert "'days', 'month'" in fake.requests[1].messages[-1].content
    assert len(fake.requests) > 2 and all("days" not in r.prefill for r in fake.requests)


def test_with_evidence_form_the_same_docstring_is_written() -> None:
    result, _, _ = run(LEAP, [rule("`is_leap`", WRONG)], only=["is_leap"], evidence="form")
    (outcome,) = result.outcomes
    assert isinstance(outcome, Done) and outcome.evidence.level == "form"
    assert '"""Compute the number of days in a month.' in result.after


def test_a_true_grounded_docstring_is_written_with_level_meaning() -> None:
    result, fake, _ = run(LEAP, [rule("`is_leap`", RIGHT)], only=["is_leap"])
    (outcome,) = result.outcomes
    assert isinstance(outcome, Done) and outcome.evidence.level == "meaning"
    assert "grounded" in outcome.evidence.facts and "returns a bool" in outcome.evidence.facts
    assert len(fake.requests) == 1 and '"""Return True if year is a leap year.' in result.after


def test_a_retry_that_passes_the_meaning_checks_is_written() -> None:
    result, _, _ = run(LEAP, [WRONG + '"""', RIGHT + '"""'], only=["is_leap"])
    (outcome,) = result.outcomes
    assert isinstance(outcome, Done) and outcome.value == RIGHT and outcome.evidence.level == "meaning"


def test_raises_naming_an_impossible_exception_is_not_written() -> None:
    doc = "Divide a by b, rounding.\n\nArgs:\n    a: A.\n    b: B.\n\nRaises:\n    ValueError: If b is negative."
    result, _, _ = run(ROUND_DIV, [rule("`round_div`", doc)], only=["round_div"])
    (outcome,) = result.outcomes
    # the Raises section is dropped (a repair); what remains is true and written
    assert isinstance(outcome, Done) and "Raises" not in outcome.value and outcome.evidence.level == "meaning"
    assert outcome.note.startswith("repaired: dropped the Raises section") and "ValueError" not in result.after


def test_an_ungrounded_module_docstring_is_not_written() -> None:
    source = "def add(a, b):\n    return a + b\n"
    multiples = "Find the sum of the multiples of 6 and 9 below 1000."
    answers = [
        rule("module `", multiples),
        rule("`<module>`", multiples),  # the retry's feedback names the module so
        rule("`add`", "Add a and b.\n\nArgs:\n    a: A.\n    b: B.\n\nReturns:\n    The sum."),
    ]
    result, _, _ = run(source, answers, assemble=False)
    module, add = result.outcomes
    assert module.status == "below threshold" and isinstance(add, Done) and add.evidence.level == "meaning"
    assert not result.after.startswith('"""')


def test_a_cached_docstring_is_judged_again(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite3")
    first, _, _ = run(LEAP, [rule("`is_leap`", WRONG)], only=["is_leap"], evidence="form", cache=cache)
    assert first.outcomes[0].status == "documented"
    # same key (the threshold is not in it): the cached form-only docstring is held back now
    second, fake, _ = run(LEAP, [], only=["is_leap"], cache=cache)
    (outcome,) = second.outcomes
    assert outcome.cached and outcome.status == "below threshold" and fake.requests == []


def test_the_cache_key_names_the_meaning_checks_version() -> None:
    from codexcli.prompts import load_prompt
    from codexcli.splice.docstring import find_targets
    from codexcli.tasks.comment import memo

    target = find_targets(LEAP)[1]
    key = cache_key(MODEL, load_prompt("comment"), target, "google", SETTINGS)
    memo.MEANING_VERSION += 1
    try:
        assert cache_key(MODEL, load_prompt("comment"), target, "google", SETTINGS) != key
    finally:
        memo.MEANING_VERSION -= 1


def test_a_further_meaning_check_plugs_in() -> None:
    def reviewer(doc: str, target) -> tuple[str | None, str]:
        return ("the reviewer score is too low", "") if "leap" in doc else (None, "reviewer score -1.0")

    held, _, _ = run(LEAP, [rule("`is_leap`", RIGHT)], only=["is_leap"], meaning_checks=[reviewer], reviewer=False)
    assert held.outcomes[0].status == "below threshold" and "reviewer score" in held.outcomes[0].reason
    doc = "Check the year.\n\nArgs:\n    year: The year."
    kept, _, _ = run(LEAP, [rule("`is_leap`", doc)], only=["is_leap"], meaning_checks=[reviewer], reviewer=False)
    assert kept.outcomes[0].evidence.facts.endswith("reviewer score -1.0")


def test_samples_prefer_a_candidate_passing_the_meaning_checks() -> None:
    result, _, _ = run(LEAP, [WRONG + '"""', RIGHT + '"""'], only=["is_leap"], samples=2)
    (outcome,) = result.outcomes
    assert isinstance(outcome, Done) and outcome.value == RIGHT and outcome.evidence.level == "meaning"


def test_the_reviewer_score_rejects_a_summary_the_code_makes_no_likelier() -> None:
    from codexcli.backends.fake import FakeBackend
    from codexcli.cache import NullCache
    from codexcli.prompts import load_prompt
    from codexcli.tasks.comment.run import comment_source

    def scorer(likelier_with_code: bool):
        # per-word log-probabilities: with the code shown (a ```python block in the request)
        # the summary is likelier, or less likely, than without
        def score(request, continuation: str) -> list[float]:
            shown = any("```python" in m.content for m in request.messages)
            value = -0.5 if shown == likelier_with_code else -3.0
            return [value] * len(continuation.split())

        return score

    def document(likelier: bool):
        fake = FakeBackend([rule("`is_leap`", RIGHT)], scorer=scorer(likelier))
        result = comment_source(
            LEAP,
            "mod.py",
            settings=SETTINGS,
            prompt=load_prompt("comment"),
            backend=lambda: fake,
            cache=NullCache(),
            model_id=MODEL,
            only=["is_leap"],
            assemble=False,
            examples=False,
        )
        return result, fake

    kept, fake = document(True)
    assert isinstance(kept.outcomes[0], Done) and "reviewer score 2.50" in kept.outcomes[0].evidence.facts
    assert fake.scored  # the check asked the model
    held, _ = document(False)
    assert held.outcomes[0].status == "below threshold" and "reviewer score -2.50" in held.outcomes[0].reason
    assert held.after == LEAP
