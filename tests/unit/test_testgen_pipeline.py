"""The testgen pipeline with the fake backend and the real sandboxed pytest runner: which
candidate tests are kept, and why the others are dropped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.pipeline import Done, Skipped
from codexcli.tasks.testgen.pytest_runner import PytestRunner
from codexcli.tasks.testgen.request import find_targets, select_targets
from codexcli.tasks.testgen.run import Dropped, TargetReport, TestgenJob, generate_tests, kept_tests
from codexcli.verify.sandbox.project import find_layout

MODULE = textwrap.dedent('''\
    def clamp(value, low, high):
        """Return value limited to low..high."""
        if value < low:
            return low
        if value > high:
            return high
        return value


    def double(x):
        """Return 2 * x."""
        return x * 2
''')
PREFILL_DEF = "def test_clamp"


def reply(code: str, start: str = PREFILL_DEF) -> str:
    """What the model writes after the prefill (which already says ``def test_clamp``)."""
    code = textwrap.dedent(code).strip("\n")
    assert code.startswith(start), code
    return code[len(start) :] + "\n```\nSome chatter after the block."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "mod.py").write_text(MODULE, encoding="utf-8")
    return root


def run(
    project: Path,
    answers: list[str],
    *,
    only: str = "clamp",
    retries: int = 0,
    mutants: int = 2,
    existing: str = "",
    oracle: str = "model",
    synthesize: bool = False,
    samples: int = 1,
):
    """The pipeline on ``answers``; the model's literals as written and no synthesized tests
    unless asked (these tests are about the checks; test_testgen_observed.py covers the rest).
    The kept tests keep the model's names (``readable=False``): the assertions follow each test
    by its name; renaming and parametrizing are tidy.py's, tested in test_testgen_tidy.py."""
    layout = find_layout(project / "mod.py", project / "tests" / "test_mod.py")
    backend = FakeBackend(answers)
    targets = select_targets(find_targets(MODULE), [only])
    with PytestRunner(layout, timeout_s=20) as runner:
        job = TestgenJob(
            runner,
            MODULE,
            "mod.py",
            existing,
            max_mutants=mutants,
            oracle=oracle,
            synthesize=synthesize,
            samples=samples,
            readable=False,
        )
        result = generate_tests(backend, load_prompt("testgen"), job, targets, Settings(retries=retries))
    return result, backend


def reasons(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in report.dropped:
        out.setdefault(d.reason, []).append(d.name)
    return out


def test_keeps_passing_tests_and_drops_failing_and_assertion_free_ones(project):
    answer = reply("""
        def test_clamp_high():
            assert clamp(15, 0, 10) == 10

        def test_clamp_low():
            assert clamp(-5, 0, 10) == 0

        def test_clamp_wrong():
            assert clamp(5, 0, 10) == 6

        def test_clamp_crashes():
            assert clamp(None, 0, 10) == 0

        def test_clamp_checks_nothing():
            clamp(1, 2, 3)
    """)
    result, backend = run(project, [answer])
    (report,) = result.details
    assert report.candidates == 5
    assert [t.name for t in report.kept] == ["test_clamp_high", "test_clamp_low"]
    assert reasons(report) == {
        "no-assertion": ["test_clamp_checks_nothing"],
        "failed": ["test_clamp_wrong", "test_clamp_crashes"],
    }
    wrong = next(d for d in report.dropped if d.name == "test_clamp_wrong")
    assert "assert 5 == 6" in wrong.detail
    assert report.mutants == 2 and report.mutants_killed >= 1
    assert "def test_clamp_high" in result.after and "test_clamp_wrong" not in result.after
    assert result.after.startswith("from mod import clamp\n")
    # Coverage of clamp: nothing before (no tests), every line and branch after.
    assert report.coverage_before.lines_covered == 0
    assert report.coverage_after.percent > report.coverage_before.percent
    assert result.facts.coverage_after.percent > result.facts.coverage_before.percent
    assert len(backend.requests) == 1
    (outcome,) = result.outcomes  # the pipeline's outcome: Done, the kept tests its value
    assert isinstance(outcome, Done) and outcome.status == "tested" and outcome.value == report.kept
    assert kept_tests(result) == 2


def test_failures_are_fed_back_and_retried(project):
    first = reply("""
        def test_clamp_wrong():
            assert clamp(5, 0, 10) == 7
    """)
    second = reply("""
        def test_clamp_right():
            assert clamp(5, 0, 10) == 5
    """)
    result, backend = run(project, [first, second], retries=1)
    (report,) = result.details
    assert [t.name for t in report.kept] == ["test_clamp_right"]
    assert len(report.attempts) == 2 and report.candidates == 2
    assert reasons(report) == {"failed": ["test_clamp_wrong"]}
    feedback = backend.requests[1].messages[-1].content
    assert "test_clamp_wrong failed" in feedback and "assert 5 == 7" in feedback


def test_gives_up_after_capped_retries_and_writes_nothing(project):
    bad = reply("""
        def test_clamp_wrong():
            assert clamp(5, 0, 10) == 7
    """)
    result, backend = run(project, [bad, bad], retries=1)
    (report,) = result.details
    assert report.kept == () and len(report.attempts) == 2 and "none of the tests passed" in report.error
    assert result.after == result.before == "" and not result.changed
    assert len(backend.requests) == 2
    (outcome,) = result.outcomes
    assert isinstance(outcome, Skipped) and outcome.reason == report.error and len(outcome.attempts) == 2
    assert kept_tests(result) == 0


def test_flaky_test_is_dropped(project, tmp_path):
    # Both runs happen in one sandbox (two processes): a file in its folder carries the count.
    # (A file outside the sandbox cannot: the file system there is read-only.)
    counter = "runs.txt"
    answer = reply(f"""
        def test_clamp_flaky():
            import os
            n = int(open({counter!r}).read()) if os.path.exists({counter!r}) else 0
            open({counter!r}, "w").write(str(n + 1))
            assert n == 0 and clamp(1, 0, 5) == 1

        def test_clamp_steady():
            assert clamp(1, 0, 5) == 1
    """)
    result, _ = run(project, [answer])
    (report,) = result.details
    assert reasons(report) == {"flaky": ["test_clamp_flaky"]}
    assert [t.name for t in report.kept] == ["test_clamp_steady"]
    assert "test_clamp_flaky" not in result.after


def test_test_that_kills_no_mutant_is_dropped_unless_it_is_the_only_one(project):
    weak_and_strong = reply("""
        def test_clamp_weak():
            assert clamp(1, 0, 5) is not None or True

        def test_clamp_strong():
            assert clamp(15, 0, 10) == 10
    """)
    result, _ = run(project, [weak_and_strong])
    (report,) = result.details
    assert [t.name for t in report.kept] == ["test_clamp_strong"]
    assert reasons(report) == {"no-mutant-killed": ["test_clamp_weak"]}
    assert report.kills == {"test_clamp_strong": report.mutants_killed} and report.mutants_killed >= 1

    only_weak = reply("""
        def test_clamp_weak():
            assert clamp(1, 0, 5) is not None or True
    """)
    result, _ = run(project, [only_weak])
    (report,) = result.details
    assert [t.name for t in report.kept] == ["test_clamp_weak"]
    assert report.mutants_killed == 0 and report.mutants == 2 and report.dropped == ()


def test_a_test_that_hangs_is_dropped_and_the_others_kept(project):
    answer = reply("""
        def test_clamp_hangs():
            while True:
                pass
            assert clamp(1, 0, 5) == 1

        def test_clamp_fine():
            assert clamp(15, 0, 10) == 10
    """)
    layout = find_layout(project / "mod.py", project / "tests" / "test_mod.py")
    targets = select_targets(find_targets(MODULE), ["clamp"])
    with PytestRunner(layout, timeout_s=6) as runner:
        job = TestgenJob(runner, MODULE, "mod.py", "", max_mutants=1, oracle="model", synthesize=False, readable=False)
        result = generate_tests(FakeBackend([answer]), load_prompt("testgen"), job, targets, Settings(retries=0))
    (report,) = result.details
    assert [t.name for t in report.kept] == ["test_clamp_fine"]
    assert reasons(report) == {"timeout": ["test_clamp_hangs"]}


def test_merges_into_existing_file_without_duplicates(project):
    existing = textwrap.dedent("""\
        import pytest

        from mod import clamp


        @pytest.fixture
        def ten():
            return 10


        def test_clamp_high(ten):
            assert clamp(15, 0, ten) == ten
    """)
    answer = reply("""
        def test_clamp_high():
            assert clamp(20, 0, 10) == 10

        def test_clamp_copy(ten):
            assert clamp(15, 0, ten) == ten

        def test_clamp_uses_fixture(ten):
            assert clamp(-1, 0, ten) == 0
    """)
    result, backend = run(project, [answer], existing=existing)
    (report,) = result.details
    assert result.after.startswith(existing)
    assert [t.name for t in report.kept] == ["test_clamp_high_2", "test_clamp_uses_fixture"]
    assert reasons(report) == {"duplicate": ["test_clamp_copy"]}
    assert result.after.count("from mod import clamp") == 1
    # The existing test was shown to the model as an example of the project's style.
    assert "def test_clamp_high(ten)" in backend.requests[0].messages[-1].content
    assert report.coverage_before.lines_covered > 0


def test_a_test_that_fails_in_the_merged_file_is_dropped(project, tmp_path):
    # Passes in the candidate runs, fails in the merged-file run, the one measured with coverage.
    # (Each run has its own sandbox, and nothing written in one is seen by the next.)
    answer = reply("""
        def test_clamp_third_run_fails():
            import sys
            assert "coverage" not in sys.modules and clamp(1, 0, 5) == 1

        def test_clamp_ok():
            assert clamp(1, 0, 5) == 1
    """)
    result, _ = run(project, [answer], mutants=0)
    (report,) = result.details
    assert reasons(report) == {"failed-together": ["test_clamp_third_run_fails"]}
    assert [t.name for t in report.kept] == ["test_clamp_ok"]
    assert "third_run_fails" not in result.after


def test_several_targets_share_the_file(project):
    clamp_answer = reply("""
        def test_clamp_high():
            assert clamp(15, 0, 10) == 10
    """)
    double_answer = reply(
        """
        def test_double():
            assert double(4) == 8
    """,
        start="def test_double",
    )
    layout = find_layout(project / "mod.py", project / "tests" / "test_mod.py")
    backend = FakeBackend(
        [{"match": "`clamp`", "answer": clamp_answer}, {"match": "`double`", "answer": double_answer}]
    )
    with PytestRunner(layout) as runner:
        job = TestgenJob(runner, MODULE, "mod.py", "", max_mutants=2, oracle="model", synthesize=False, readable=False)
        result = generate_tests(backend, load_prompt("testgen"), job, find_targets(MODULE), Settings(retries=0))
    assert [len(r.kept) for r in result.details] == [1, 1]
    assert result.after.count("from mod import") == 2
    assert result.details[1].coverage_after.percent == 100.0


def test_methods_are_tested_through_their_class(tmp_path):
    source = textwrap.dedent('''\
        class Counter:
            """Counts up from start."""

            def __init__(self, start=0):
                self.value = start

            def bump(self, step=1):
                """Add step and return the new value."""
                self.value += step
                return self.value
    ''')
    (tmp_path / "counter.py").write_text(source, encoding="utf-8")
    answer = reply(
        """
        def test_bump_twice():
            c = Counter(5)
            c.bump()
            assert c.bump(2) == 8
    """,
        start="def test_bump",
    )
    layout = find_layout(tmp_path / "counter.py", tmp_path / "tests" / "test_counter.py")
    backend = FakeBackend([answer])
    with PytestRunner(layout) as runner:
        job = TestgenJob(
            runner, source, "counter.py", "", max_mutants=3, oracle="model", synthesize=False, readable=False
        )
        result = generate_tests(backend, load_prompt("testgen"), job, find_targets(source), Settings(retries=0))
    (report,) = result.details
    assert report.target.qualname == "Counter.bump"
    assert backend.requests[0].prefill.endswith("from counter import Counter\n\n\ndef test_bump")
    assert [t.name for t in report.kept] == ["test_bump_twice"] and report.mutants_killed >= 2
    assert result.after.startswith("from counter import Counter\n")
    assert report.coverage_after.lines_covered == 2 and report.completion_tokens > 0


def test_a_target_without_kept_tests_is_skipped_with_what_was_dropped():
    (target,) = select_targets(find_targets(MODULE), ["clamp"])
    report = TargetReport(target, 2, (), (Dropped("t1", "flaky"), Dropped("t2", "failed")))
    outcome = report.outcome
    assert isinstance(outcome, Skipped) and outcome.detail is report
    assert outcome.reason == "no candidate test passed every check (dropped: failed 1, flaky 1)"
