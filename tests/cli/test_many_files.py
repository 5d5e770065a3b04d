"""Issue 31: a run over many files reports each bad file in one line and goes on; the exit code
says the worst ending; a file of another language is "not a Python file"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

ANSWERS = {"answers": [], "default": 'Add two numbers `a` and `b`."""'}
GOOD = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    (tmp_path / "answers.json").write_text(json.dumps(ANSWERS))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "answers.json"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(GOOD)
    (src / "broken.py").write_text("def f(:\n")
    (src / "z.py").write_text(GOOD.replace("add", "plus"))
    (src / "latin.py").write_bytes(b"x = '\xe9'\n")
    return tmp_path


def test_bad_files_are_one_line_each_and_the_run_goes_on(project: Path) -> None:
    result = CliRunner().invoke(app, ["comment", "src", "--evidence", "form", "--no-context"])
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[1].split(":")[0] for line in errors] == ["src/broken.py", "src/latin.py"]
    assert "syntax error" in errors[0] and "not UTF-8" in errors[1]
    # Files on both sides of the bad ones were documented and written.
    for name in ("a.py", "z.py"):
        assert "Add two numbers" in (project / "src" / name).read_text()
    assert result.exit_code == 2  # the worst: a source error


def test_bad_files_in_the_json_summary(project: Path) -> None:
    result = CliRunner().invoke(app, ["--json", "comment", "src", "--dry-run", "--no-context"])
    payload = json.loads(result.stdout)
    assert payload["exit_code"] == 2 and payload["ok"] is False
    assert [e["message"].split(":")[0] for e in payload["errors"]] == ["src/broken.py", "src/latin.py"]
    assert {f["path"] for f in payload["files"]} == {"src/a.py", "src/z.py"}


@pytest.mark.parametrize("name", ["app.js", "notes.txt"])
def test_a_file_a_task_does_not_take_is_named_so(project: Path, name: str) -> None:
    (project / name).write_text("function f() { return 1 }\n")
    python_only = [["optimize", name], ["generate", "--fill", name]]
    # comment and testgen take JavaScript too (issue 32): only the .txt file is refused there.
    others = [] if name.endswith(".js") else [["comment", name], ["testgen", name]]
    for args in python_only + others:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        said = "not a Python file" if args in python_only else ("not a supported file", "testgen takes Python")
        assert any(f"{name}: {s}" in result.stderr for s in ([said] if isinstance(said, str) else said)), (
            args,
            result.stderr,
        )
        assert "syntax error" not in result.stderr


def test_quiet_keeps_each_bad_files_line(project: Path) -> None:
    result = CliRunner().invoke(app, ["-q", "comment", "src", "missing.py", "--dry-run", "--no-context"])
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 3 and all(line.startswith("codex comment: error:") for line in errors)
    assert "missing.py: no such file" in errors[-1] and result.exit_code == 2
