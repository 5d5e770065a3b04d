"""testgen's batched checks: candidates run twice and against mutants in one sandboxed process
give the same verdicts as one run per test; the model is not retried when synthesized tests
already reach every line; the runner's plugin warm-up imports nothing of the project."""

from __future__ import annotations

import textwrap
from pathlib import Path

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.testgen.more import check_tests
from codexcli.tasks.testgen.pytest_runner import Job, PytestRunner
from codexcli.tasks.testgen.request import find_targets, select_targets
from codexcli.tasks.testgen.run import TestgenJob, generate_tests
from codexcli.verify.sandbox.project import find_layout

MODULE = "def sign(x):\n    if x < 0:\n        return -1\n    return 1\n"
MUTANTS = [MODULE.replace("x < 0", "x >= 0"), MODULE.replace("return 1\n", "return 2\n")]
TESTS = textwrap.dedent("""\
    import os
    import signal

    from mod import sign


    def test_kills_first():
        assert sign(-2) == -1


    def test_kills_second():
        assert sign(3) == 1


    def test_kills_none():
        assert sign(-5) in (-1, 1) or True


    def test_fails():
        assert sign(2) == 2


    def test_crashes_the_process():
        os.kill(os.getpid(), signal.SIGKILL)


    def test_hangs():
        while True:
            pass
""")


def _runner(tmp_path: Path, timeout_s: float = 8) -> PytestRunner:
    (tmp_path / "mod.py").write_text(MODULE, encoding="utf-8")
    return PytestRunner(find_layout(tmp_path / "mod.py", tmp_path / "tests" / "test_mod.py"), timeout_s=timeout_s)


def _one_by_one(runner: PytestRunner, names: list[str]) -> tuple[dict[str, tuple[str, str]], dict[str, frozenset[int]]]:
    """What the checks say when every test gets processes of its own."""
    runs, kills = {}, {}
    for n in names:
        first, second = runner.run(TESTS, [n]).outcome(n), runner.run(TESTS, [n]).outcome(n)
        runs[n] = (first.outcome, second.outcome)
        twice = first.passed and second.passed
        kills[n] = frozenset(
            i for i, m in enumerate(MUTANTS) if twice and not runner.run(TESTS, [n], module_text=m).outcome(n).passed
        )
    return runs, kills


def _verdicts(checked) -> tuple[dict[str, tuple[str, str]], dict[str, frozenset[int]]]:
    return {n: (a.outcome, b.outcome) for n, (a, b) in checked.runs.items()}, dict(checked.kills)


def test_batched_checks_give_the_verdicts_of_one_run_per_test(tmp_path):
    names = ["test_kills_first", "test_kills_second", "test_kills_none", "test_fails"]
    with _runner(tmp_path) as runner:
        batched = check_tests(runner, TESTS, names, MUTANTS)
        processes = runner.runs
        alone = _one_by_one(runner, names)
    assert processes == 1  # twice on the code and against both mutants: one sandboxed process
    assert _verdicts(batched) == alone
    runs, kills = alone
    assert runs["test_fails"] == ("failed", "failed") and runs["test_kills_none"] == ("passed", "passed")
    assert kills == {
        "test_kills_first": frozenset({0}),
        "test_kills_second": frozenset({0, 1}),
        "test_kills_none": frozenset(),
        "test_fails": frozenset(),
    }
    assert batched.mutant_seconds > 0


def test_a_test_that_kills_the_process_leaves_the_others_their_verdicts(tmp_path):
    names = ["test_kills_second", "test_crashes_the_process", "test_fails"]
    with _runner(tmp_path) as runner:
        runs, kills = _verdicts(check_tests(runner, TESTS, names, MUTANTS))
    assert runs["test_kills_second"] == ("passed", "passed") and kills["test_kills_second"] == frozenset({0, 1})
    assert runs["test_crashes_the_process"][0] == "error" and runs["test_fails"] == ("failed", "failed")
    assert kills["test_crashes_the_process"] == kills["test_fails"] == frozenset()


def test_a_hanging_test_in_the_batch_leaves_the_others_their_verdicts(tmp_path):
    names = ["test_kills_second", "test_hangs", "test_fails"]
    with _runner(tmp_path, timeout_s=4) as runner:
        batched = check_tests(runner, TESTS, names, MUTANTS)
    runs, kills = _verdicts(batched)
    assert runs == {
        "test_kills_second": ("passed", "passed"),
        "test_hangs": ("timeout", "timeout"),
        "test_fails": ("failed", "failed"),
    }
    assert kills["test_kills_second"] == frozenset({0, 1}) and kills["test_hangs"] == frozenset()


def test_dependent_jobs_run_only_what_passed_and_a_looping_mutant_stops_nothing(tmp_path):
    looping = MODULE.replace("    if x < 0:", "    while x < 0:\n        pass\n    if x < 0:")
    with _runner(tmp_path) as runner:
        first, second, loops, mutant, none = runner.run_many(
            [
                Job(TESTS, ("test_kills_first", "test_fails")),
                Job(TESTS, ("test_kills_first", "test_fails")),
                Job(TESTS, ("test_kills_first", "test_fails"), looping, timeout_s=2, only_passed_in=(0, 1)),
                Job(TESTS, ("test_kills_first", "test_fails"), MUTANTS[0], only_passed_in=(0, 1)),
                Job(TESTS, ("test_fails",), MUTANTS[0], only_passed_in=(0,)),
            ],
            stop_on_timeout=True,
        )
    assert first.outcome("test_fails").outcome == "failed" and second.outcome("test_kills_first").passed
    assert loops.timed_out and loops.outcome("test_kills_first").outcome == "timeout"
    assert set(mutant.outcomes) == {"test_kills_first"}  # the failing test was not run again
    assert mutant.outcome("test_kills_first").outcome == "failed"  # ran, after the loop timed out
    assert none.outcomes == {} and not none.timed_out


def test_warm_up_imports_nothing_of_the_project(tmp_path):
    (tmp_path / "conftest.py").write_text("import os\nos.environ['CONFTEST_PID'] = str(os.getpid())\n")
    tests = "import os\n\ndef test_conftest_ran_here():\n    assert os.environ['CONFTEST_PID'] == str(os.getpid())\n"
    with _runner(tmp_path) as runner:
        runs = runner.run_many([Job(tests, ("test_conftest_ran_here",)), Job(tests, ("test_conftest_ran_here",))])
    assert [r.outcome("test_conftest_ran_here").outcome for r in runs] == ["passed", "passed"]


PIPELINE_MODULE = "def double(x):\n    return x * 2\n"
WRONG = "_wrong():\n    assert double(2) == 5\n```\n"  # after the prefill "def test_double"


def _pipeline(tmp_path: Path, synthesize: bool):
    (tmp_path / "mod.py").write_text(PIPELINE_MODULE, encoding="utf-8")
    layout = find_layout(tmp_path / "mod.py", tmp_path / "tests" / "test_mod.py")
    backend = FakeBackend([WRONG, WRONG, WRONG])
    targets = select_targets(find_targets(PIPELINE_MODULE), ["double"])
    with PytestRunner(layout, timeout_s=20) as runner:
        job = TestgenJob(
            runner, PIPELINE_MODULE, "mod.py", "", max_mutants=2, oracle="model", synthesize=synthesize, readable=False
        )
        result = generate_tests(backend, load_prompt("testgen"), job, targets, Settings(retries=2))
    return result.details[0], backend


def test_no_retries_when_synthesized_tests_reach_every_line(tmp_path):
    report, backend = _pipeline(tmp_path, synthesize=True)
    assert report.synthesized >= 1 and report.kept and report.mutants_killed >= 1
    assert len(backend.requests) == 1  # the model's wrong test failed, and it was not asked again
    assert [d.reason for d in report.dropped if "wrong" in d.name] == ["failed"]


def test_retries_as_before_without_synthesized_tests(tmp_path):
    report, backend = _pipeline(tmp_path, synthesize=False)
    assert len(backend.requests) == 3 and not report.kept
