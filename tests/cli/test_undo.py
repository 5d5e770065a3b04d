"""Issue 31: ``codex undo`` restores the files of the last run from its journal, and refuses in
one line (restoring nothing) when one of them changed since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

SRC = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    (tmp_path / "a.json").write_text(json.dumps({"answers": [], "default": 'Add `a` and `b`."""'}))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "a.json"))
    (tmp_path / "m.py").write_bytes(SRC.replace("\n", "\r\n").encode())  # CRLF: bytes come back exactly
    (tmp_path / "n.py").write_text(SRC.replace("add", "plus"))
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_undo_restores_every_file_of_the_last_run(project: Path) -> None:
    before = {name: (project / name).read_bytes() for name in ("m.py", "n.py")}
    assert run("comment", "m.py", "n.py", "--evidence", "form", "--no-context").exit_code == 0
    assert all((project / name).read_bytes() != old for name, old in before.items())
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert "restored 2 file(s) written by `codex comment`" in result.stderr
    assert {name: (project / name).read_bytes() for name in before} == before
    again = run("undo")
    assert again.exit_code == 2 and "nothing to undo" in again.stderr


def test_undo_refuses_when_a_file_changed_since(project: Path) -> None:
    assert run("comment", "m.py", "n.py", "--evidence", "form", "--no-context").exit_code == 0
    (project / "n.py").write_text("# my own edit\n")
    written_m = (project / "m.py").read_bytes()
    result = run("undo")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"codex undo: error: {(project / 'n.py').resolve()}: changed since `codex comment` wrote it; "
        "nothing restored, so that change is kept"
    ]
    assert (project / "n.py").read_text() == "# my own edit\n" and (project / "m.py").read_bytes() == written_m


def test_undo_deletes_a_file_the_run_created(project: Path) -> None:
    (project / "a.json").write_text(json.dumps({"answers": [], "default": "def one():\n    return 1\n```"}))
    result = run("generate", "return one", "--out", "one.py", "--no-context", "--evidence", "form")
    assert result.exit_code == 0, result.output
    assert (project / "one.py").exists()
    assert run("undo").exit_code == 0 and not (project / "one.py").exists()


def test_a_dry_run_leaves_the_journal_alone(project: Path) -> None:
    assert run("comment", "m.py", "--evidence", "form", "--no-context").exit_code == 0
    assert run("comment", "n.py", "--dry-run", "--no-context").exit_code in (0, 1)
    result = run("--json", "undo")
    assert json.loads(result.stdout)["files"] == [str((project / "m.py").resolve())]


def test_interactive_asks_per_target_showing_diff_and_evidence(project: Path) -> None:
    before_n = (project / "n.py").read_bytes()
    result = CliRunner().invoke(
        app, ["-i", "comment", "m.py", "n.py", "--evidence", "form", "--no-context"], input="y\ny\nn\nn\n"
    )
    assert result.exit_code == 1, result.output  # a declined target is not written: exit 1 says so
    # The targets with --evidence form: the module's docstring, then the function's.
    assert "write m.py::<module>? [y/N]" in result.stderr and "write n.py::plus? [y/N]" in result.stderr
    assert "+++ b/n.py" in result.stderr and "  plus: documented; " in result.stderr  # diff, then evidence
    assert b"Add `a`" in (project / "m.py").read_bytes() and (project / "n.py").read_bytes() == before_n
    assert "google style; not written (declined)" in result.stderr


def test_interactive_writes_only_the_targets_said_yes_to(project: Path) -> None:
    (project / "two.py").write_text(SRC + "\n\n" + SRC.replace("add", "plus"))
    result = CliRunner().invoke(
        app, ["--json", "-i", "comment", "two.py", "--evidence", "form", "--no-context"], input="n\nn\ny\n"
    )
    text = (project / "two.py").read_text()
    # Each question shows that target's change alone: the first diff adds only add's docstring.
    first = result.stderr.split("write two.py::add?")[0]
    assert first.count('+    """Add `a`') == 1
    assert text.count('"""Add `a`') == 1 and text.index('"""Add') > text.index("def plus")
    summary = json.loads(result.stdout.splitlines()[-1])  # CliRunner echoes the answers before it
    outcomes = {o["name"]: o for o in summary["files"][0]["targets"]}
    assert outcomes["add"]["status"] == "declined" and outcomes["plus"]["status"] == "documented"
    assert outcomes["<module>"]["status"] == "declined" and not text.startswith('"""')
    assert run("undo").exit_code == 0 and (project / "two.py").read_text() == SRC + "\n\n" + SRC.replace("add", "plus")


def test_interactive_without_an_answer_writes_nothing(project: Path) -> None:
    before = (project / "m.py").read_bytes()
    result = CliRunner().invoke(app, ["--interactive", "comment", "m.py", "--evidence", "form"], input="")
    assert (project / "m.py").read_bytes() == before and "not written (declined)" in result.stderr


def test_diff_is_coloured_only_on_a_terminal(project: Path) -> None:
    from codexcli.cli.output import colour_diff

    diff = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-old\n+new\n context\n"
    assert colour_diff(diff).splitlines() == [
        "\x1b[1m--- a/m.py\x1b[0m",
        "\x1b[1m+++ b/m.py\x1b[0m",
        "\x1b[36m@@ -1 +1 @@\x1b[0m",
        "\x1b[31m-old\x1b[0m",
        "\x1b[32m+new\x1b[0m",
        " context",
    ]
    piped = run("comment", "m.py", "--diff", "--evidence", "form", "--no-context").stdout
    assert piped.startswith("--- a/m.py") and "\x1b[" not in piped


def test_interactive_optimize_reports_a_declined_rewrite_as_not_written(project: Path) -> None:
    src = "def uniq(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n"
    (project / "u.py").write_text(src)
    result = CliRunner().invoke(app, ["--json", "-i", "optimize", "u.py"], input="n\n")
    assert "write u.py::uniq? [y/N]" in result.stderr
    [fn] = json.loads(result.stdout.splitlines()[-1])["functions"]
    assert fn["status"] == "declined" and (project / "u.py").read_text() == src
