"""Issue 31: one vocabulary for every task: the target selector FILE::NAME (``--only`` kept as
its alias, testgen's ``-f/--function`` too), one output option name (``--out``), ``--diff`` for
every task that writes, and the global options accepted after the subcommand as well."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from codexcli.cli.globalopts import hoist_globals

TWO = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
ANSWER = 'Combine `a` and `b` into a new number."""'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CODEX_BACKEND", raising=False)
    (tmp_path / "a.json").write_text(json.dumps({"answers": [], "default": ANSWER}))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "a.json"))
    (tmp_path / "m.py").write_text(TWO)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def documented(payload: dict) -> list[str]:
    return [t["name"] for f in payload["files"] for t in f["targets"] if t["status"] != "skipped"]


def test_global_options_after_the_subcommand(project: Path) -> None:
    """``--backend``, ``--json`` and ``-q`` after the subcommand are the global ones: without
    hoisting, ``--backend`` was "No such option"."""
    result = run("comment", "m.py::add", "--dry-run", "--backend", "fake", "-q", "--json", "--no-context")
    assert result.exit_code in (0, 1), result.output
    assert documented(json.loads(result.stdout)) == ["add"]
    assert result.stderr == ""  # quiet, and no error


def test_hoisting_leaves_option_values_and_what_follows_double_dash() -> None:
    names = {"--model": True, "-q": False, "--json": False}
    local = {"--json": False, "--lang": True}
    args = ["generate", "x", "--lang", "-q", "--model", "m.gguf", "-q", "--json", "--", "--model"]
    assert hoist_globals(args, names, local, 0) == [
        "--model", "m.gguf", "-q", "generate", "x", "--lang", "-q", "--json", "--", "--model",
    ]  # fmt: skip


def test_file_colon_colon_name_selects_one_target_in_comment(project: Path) -> None:
    result = run("--backend", "fake", "--json", "comment", "m.py::sub", "--dry-run", "--no-context")
    assert documented(json.loads(result.stdout)) == ["sub"]
    only = run("--backend", "fake", "--json", "comment", "m.py", "--only", "sub", "--dry-run", "--no-context")
    assert documented(json.loads(only.stdout)) == ["sub"]  # --only is the same selector


def test_file_colon_colon_name_naming_nothing_is_a_usage_error(project: Path) -> None:
    (project / "n.py").write_text("def other():\n    return 1\n")
    result = run("--backend", "fake", "comment", "m.py::other", "n.py", "--dry-run")
    assert result.exit_code == 2 and "m.py::other" in result.stderr


def test_fill_takes_file_colon_colon_name(project: Path) -> None:
    (project / "stubs.py").write_text("def one():\n    pass\n\n\ndef two():\n    pass\n")
    (project / "a.json").write_text(json.dumps({"answers": [], "default": "    return 2\n```"}))
    result = run("--backend", "fake", "--json", "generate", "--fill", "stubs.py::two", "--dry-run", "--no-context")
    payload = json.loads(result.stdout)
    assert [f["name"] for f in payload["functions"]] == ["two"]


@pytest.mark.parametrize("selector", [["mod.py::nope"], ["mod.py", "--only", "nope"], ["mod.py", "-f", "nope"]])
def test_testgen_selector_spellings_are_one(project: Path, selector: list[str]) -> None:
    (project / "mod.py").write_text("def f(x):\n    return x\n")
    result = run("--backend", "fake", "testgen", *selector)
    assert result.exit_code == 2 and "nothing to test named nope" in result.stderr


def test_optimize_only_and_selector_must_agree(project: Path) -> None:
    result = run("--backend", "fake", "optimize", "m.py::add", "--only", "sub")
    assert result.exit_code == 2 and "name different functions" in result.stderr


def test_out_is_the_output_option_and_old_names_are_hidden(project: Path) -> None:
    for command, old in (("eval", "--output"), ("learn", "--max-tokens")):
        text = run(command, "--help").stdout
        assert old not in text, command
    assert "--out" in run("eval", "--help").stdout
    assert "--max-example-tokens" in run("learn", "--help").stdout
    assert "--diff" in run("translate", "--help").stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")
def test_translate_diff_prints_the_output_files_diff_and_writes_nothing(project: Path) -> None:
    (project / "u.py").write_text(
        'def twice(n: int) -> int:\n    """\n    >>> twice(2)\n    4\n    """\n    return 2 * n\n'
    )
    (project / "a.json").write_text(json.dumps({"answers": ["function twice(n) {\n  return 2 * n;\n}\n```"]}))
    result = run("--backend", "fake", "translate", "u.py", "--to", "javascript", "--diff", "--no-context")
    assert result.stdout.startswith("--- a/u.js\n+++ b/u.js\n"), result.output
    assert "+function twice(n) {" in result.stdout and not (project / "u.js").exists()
