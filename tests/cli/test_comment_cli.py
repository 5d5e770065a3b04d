"""`codex comment` and `codex cache` through the CLI, with the fake backend from the registry."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

# The module's summary names its function (grounded, anchored) but, as every module summary, has
# no reviewer score: it is "form", held back by default and written with --evidence form. The
# function's summary names `add` and passes every meaning check.
GOOD = {
    "answers": [
        {"match": "module `", "answer": 'Tools to add numbers."""'},
        {
            "match": "function `add`",
            "answer": 'Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum."""',
        },
    ]
}
SRC = "def add(a, b):\n    return a + b\n"
FORM = ("--evidence", "form")  # tests of mechanics: the module docstring is written too


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A project folder, an isolated cache, and the fake backend with scripted answers."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEXCLI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("CODEX_FAKE_LOG", str(log))

    def answers(data: dict) -> None:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(data))
        monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(path))

    answers(GOOD)
    (tmp_path / "m.py").write_text(SRC)
    return tmp_path, answers, log


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def calls(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_writes_docstrings_and_reports(env) -> None:
    root, _, log = env
    result = invoke("comment", "m.py")
    assert result.exit_code == 1, result.output  # the module is left undocumented
    assert (root / "m.py").read_text().startswith('def add(a, b):\n    """Add two numbers.')
    assert calls(log) == 2  # a module summary is asked once: no retry can make it "meaning"
    assert "1 documented, 1 below threshold" in result.output
    assert "<module>: below threshold: not written" in result.output
    (root / "m.py").write_text(SRC)
    result = invoke("comment", "m.py", *FORM)
    assert result.exit_code == 0, result.output
    text = (root / "m.py").read_text()
    assert text.startswith('"""Tools to add numbers."""\ndef add(a, b):\n    """Add two numbers.')
    assert "2 documented" in result.output


def test_diff_writes_nothing(env) -> None:
    root, _, _ = env
    result = invoke("comment", "m.py", "--diff", *FORM)
    assert result.exit_code == 0, result.output
    assert (
        '+"""Tools to add numbers."""' in result.stdout
        and '+    """Add two numbers.' in result.stdout
        and "--- a/m.py" in result.stdout
    )
    assert (root / "m.py").read_text() == SRC


def test_check_exit_codes(env) -> None:
    root, _, _ = env
    assert invoke("comment", "m.py", "--check", "--dry-run", *FORM).exit_code == 1
    assert (root / "m.py").read_text() == SRC
    assert invoke("comment", "m.py", "--check", *FORM).exit_code == 1  # added
    assert invoke("comment", "m.py", "--check", *FORM).exit_code == 0  # nothing missing


def test_rerun_is_idempotent_and_cached_rerun_calls_no_model(env) -> None:
    root, _, log = env
    assert invoke("comment", "m.py", *FORM).exit_code == 0
    done = (root / "m.py").read_text()
    assert invoke("comment", "m.py", *FORM).exit_code == 0
    assert (root / "m.py").read_text() == done and calls(log) == 2
    (root / "m.py").write_text(SRC)  # same code again: answered from the cache
    result = invoke("--json", "comment", "m.py", *FORM)
    payload = json.loads(result.stdout)
    assert (root / "m.py").read_text() == done and calls(log) == 2
    assert payload["files"][0]["model_calls"] == 0 and all(t["cached"] for t in payload["files"][0]["targets"])


def test_a_held_back_module_docstring_is_cached_and_not_asked_for_again(env) -> None:
    root, _, log = env
    assert invoke("comment", "m.py").exit_code == 1
    done = (root / "m.py").read_text()
    result = invoke("--json", "comment", "m.py")  # only the module is missing: the cache answers
    assert result.exit_code == 1 and calls(log) == 2 and (root / "m.py").read_text() == done
    (target,) = json.loads(result.stdout)["files"][0]["targets"]
    assert target["name"] == "<module>" and target["status"] == "below threshold" and target["cached"]


def test_no_cache_asks_the_model_again(env) -> None:
    root, _, log = env
    assert invoke("comment", "m.py", *FORM).exit_code == 0
    (root / "m.py").write_text(SRC)
    assert invoke("comment", "m.py", "--no-cache", *FORM).exit_code == 0
    assert calls(log) == 4


def test_skipped_targets_exit_1_and_leave_file_untouched(env) -> None:
    root, answers, _ = env
    answers({"default": 'def add(a, b):"""'})
    # --no-examples: otherwise `add` gets a docstring of examples observed by running it.
    result = invoke("--json", "comment", "m.py", "--no-examples")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert [t["status"] for t in payload["files"][0]["targets"]] == ["skipped", "skipped"]
    assert "signature" in payload["files"][0]["targets"][1]["reason"]
    assert (root / "m.py").read_text() == SRC
    assert invoke("comment", "m.py", "--allow-skipped", "--no-examples").exit_code == 0
    assert (root / "m.py").read_text() == SRC


def test_only_limits_and_unknown_name_is_usage_error(env) -> None:
    root, _, log = env
    assert invoke("comment", "m.py", "--only", "add").exit_code == 0
    assert calls(log) == 1 and not (root / "m.py").read_text().startswith('"""')
    result = invoke("comment", "m.py", "--only", "nope")
    assert result.exit_code == 2 and "nope" in result.output


def test_directory_and_style_flag(env) -> None:
    root, answers, _ = env
    (root / "pkg").mkdir()
    (root / "pkg" / "a.py").write_text("def f(x):\n    return x\n")
    answers(
        {
            "answers": [
                {"match": "module `", "answer": 'Return `x` from `f`."""'},
                {"match": "`f`", "answer": 'Return x.\n\n:param x: The value.\n:returns: x."""'},
            ]
        }
    )
    result = invoke("comment", "pkg", "--style", "rest", *FORM)
    assert result.exit_code == 0, result.output
    text = (root / "pkg" / "a.py").read_text()
    assert text.startswith('"""Return `x` from `f`."""') and ":param x: The value." in text
    assert invoke("comment", "pkg", "--style", "javadoc").exit_code == 2


def test_syntax_error_file_is_reported_and_the_others_documented(env) -> None:
    root, _, log = env
    (root / "bad.py").write_text("def f(:\n")
    result = invoke("comment", "m.py", "bad.py")
    assert result.exit_code == 2 and "codex comment: error: bad.py:1:" in result.stderr
    assert "syntax error" in result.stderr
    assert (root / "m.py").read_text() != SRC and calls(log) >= 1
    assert (root / "bad.py").read_text() == "def f(:\n"


def test_nothing_to_do_never_creates_the_backend(env, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = env
    (root / "m.py").write_text('"""Doc here."""\n')
    monkeypatch.setenv("CODEX_BACKEND", "llamacpp")
    monkeypatch.setenv("CODEX_MODEL", str(root / "missing.gguf"))  # would fail if it were loaded
    result = invoke("comment", "m.py")
    assert result.exit_code == 0, result.output


def test_needs_paths_or_staged(env) -> None:
    assert invoke("comment").exit_code == 2
    assert invoke("comment", "m.py", "--restage").exit_code == 2


def test_cache_info_and_clear(env) -> None:
    root, _, _ = env
    invoke("comment", "m.py")  # the held-back module's verdict is cached as well
    info = json.loads(invoke("cache", "info", "--json").stdout)
    assert info["entries"] == 2 and info["by_task"] == {"comment": 2}
    assert info["path"] == str(root / "home" / "cache.sqlite3")
    assert "removed 2" in invoke("cache", "clear").output
    assert json.loads(invoke("--json", "cache", "info").stdout)["entries"] == 0


def test_corrupt_cache_warns_and_still_works(env) -> None:
    root, _, _ = env
    (root / "home").mkdir()
    (root / "home" / "cache.sqlite3").write_bytes(b"garbage" * 200)
    result = invoke("comment", "m.py", *FORM)
    assert result.exit_code == 0 and "corrupt" in result.output
    assert (root / "m.py").read_text() != SRC


def test_samples_and_repairs_are_reported_in_json(env) -> None:
    root, answers, log = env
    answers(
        {
            "answers": [
                'Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n    c: Invented.\n"""',
                'Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum."""',
                "def add(a, b):",
            ]
        }
    )
    result = invoke("--json", "comment", "m.py", "--only", "add", "--samples", "3", "--dry-run")
    assert result.exit_code == 0, result.output
    (target,) = json.loads(result.stdout)["files"][0]["targets"]
    assert target["status"] == "documented" and target["attempts"] == 3 and calls(log) == 3
    assert target["reason"] == "sample 2 of 3 (2 verified): needed no repair"
    assert target["docstring"].endswith("The sum.")
    assert (root / "m.py").read_text() == SRC


def test_assembled_docstring_is_reported_in_json_and_text(env) -> None:
    root, answers, _ = env
    parts = [" Add two numbers.", " the first number", " the second number", " their sum"]
    answers({"answers": ['Tools to add numbers."""', "def add(a, b):", *parts]})
    result = invoke("--json", "comment", "m.py", "--retries", "0", *FORM)
    assert result.exit_code == 0, result.output
    targets = {t["kind"]: t for t in json.loads(result.stdout)["files"][0]["targets"]}
    assert targets["function"]["origin"] == "assembled" and targets["function"]["reason"].startswith("assembled: ")
    assert targets["module"]["origin"] == "model"
    assert '    """Add two numbers.\n\n    Args:\n        a: The first number.' in (root / "m.py").read_text()
    (root / "m.py").write_text(SRC)
    answers({"answers": ['Tools to add numbers."""', "def add(a, b):", *parts]})
    shown = invoke("comment", "m.py", "--no-cache", "--retries", "0", *FORM)
    assert "add: documented, assembled: summary from its own request" in shown.output
    assert "2 documented (1 assembled)" in shown.output


def test_no_assemble_flag_skips_instead(env) -> None:
    root, answers, _ = env
    answers({"answers": ['Tools to add numbers."""', "def add(a, b):"]})
    result = invoke("comment", "m.py", "--no-assemble", "--retries", "0", "--no-examples")
    assert result.exit_code == 1 and "add: skipped: the docstring repeats the signature" in result.output
    assert "def add(a, b):\n    return a + b" in (root / "m.py").read_text()


LEAP = "def is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
LEAP_WRONG = {"default": 'Compute the number of days in a month.\n\nArgs:\n    year: The year."""', "answers": []}


def test_evidence_in_json_and_in_the_table(env) -> None:
    root, _, _ = env
    shown = invoke("comment", "m.py", "--diff")
    assert shown.exit_code == 1, shown.output  # the module's docstring is held back
    assert "evidence" in shown.output and "meaning" in shown.output and "form" in shown.output  # the table's column
    result = invoke("--json", "comment", "m.py")
    targets = json.loads(result.stdout)["files"][0]["targets"]
    assert {t["name"]: t["evidence"]["level"] for t in targets} == {"<module>": "form", "add": "meaning"}
    assert {t["name"]: t["status"] for t in targets} == {"<module>": "below threshold", "add": "documented"}
    assert all(t["evidence"]["verified"] is False and t["evidence"]["facts"] for t in targets)
    assert "reviewer score" in targets[0]["evidence"]["facts"]  # why a module summary is not "meaning"
    assert targets[0]["docstring"] is None and targets[0]["candidate"] == "Tools to add numbers."
    assert not (root / "m.py").read_text().startswith('"""')


def test_a_wrong_docstring_is_held_back_shown_and_written_only_with_evidence_form(env) -> None:
    root, answers, _ = env
    answers(LEAP_WRONG)
    (root / "leap.py").write_text(LEAP)
    # --no-examples: the held-back docstring alone (by default `is_leap` gets one of examples,
    # test_a_function_whose_answers_are_all_wrong_gets_examples_observed_by_running_it).
    result = invoke("--json", "comment", "leap.py", "--only", "is_leap", "--no-examples")
    assert result.exit_code == 1  # a target left undocumented, as for a skipped one
    (target,) = json.loads(result.stdout)["files"][0]["targets"]
    assert target["status"] == "below threshold" and target["docstring"] is None
    assert target["evidence"]["level"] == "form" and target["candidate"].startswith("Compute the number of days")
    assert (root / "leap.py").read_text() == LEAP
    diff = invoke("comment", "leap.py", "--only", "is_leap", "--diff", "--no-examples")
    assert "is_leap: below threshold: not written" in diff.output and "| Compute the number of days" in diff.output
    assert (root / "leap.py").read_text() == LEAP
    # By default (the verdict above comes from the cache): examples, never the wrong docstring.
    default = invoke("comment", "leap.py", "--only", "is_leap")
    text = (root / "leap.py").read_text()
    assert default.exit_code == 0 and ">>> is_leap(" in text and "days in a month" not in text
    (root / "leap.py").write_text(LEAP)
    written = invoke("comment", "leap.py", "--only", "is_leap", "--evidence", "form")
    assert written.exit_code == 0 and "days in a month" in (root / "leap.py").read_text()
    assert invoke("comment", "leap.py", "--evidence", "proof").exit_code == 2


def test_a_function_whose_answers_are_all_wrong_gets_examples_observed_by_running_it(env) -> None:
    root, answers, _ = env
    answers(LEAP_WRONG)
    (root / "leap.py").write_text(LEAP)
    result = invoke("--json", "comment", "leap.py", "--only", "is_leap")
    assert result.exit_code == 0, result.output
    (target,) = json.loads(result.stdout)["files"][0]["targets"]
    assert target["status"] == "documented" and target["evidence"]["level"] == "examples"
    assert target["origin"] == "examples" and "not written" in target["reason"]
    text = (root / "leap.py").read_text()
    assert ">>> is_leap(" in text and "days in a month" not in text
    # True by construction: the examples pass as doctests against the function itself.
    namespace: dict = {}
    exec(compile(text, "leap.py", "exec"), namespace)
    tests = doctest.DocTestFinder().find(namespace["is_leap"], "is_leap", globs=namespace)
    runner = doctest.DocTestRunner()
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False) == doctest.TestResults(failed=0, attempted=2)
    (root / "leap.py").write_text(LEAP)
    shown = invoke("comment", "leap.py", "--only", "is_leap", "--diff")
    assert "1 documented (1 from cache)" in shown.output and "examples" in shown.output  # no model call
    (root / "leap.py").write_text(LEAP)
    kept = invoke("comment", "leap.py", "--only", "is_leap", "--no-examples")
    assert kept.exit_code == 1 and (root / "leap.py").read_text() == LEAP
