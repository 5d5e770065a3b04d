"""Issue 31's first-day findings that the output layer owns: ``--quiet`` silences progress but
never an error, and user text (file and function names) is printed as written, never turned
into an emoji."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from codexcli.cli.output import Output

runner = CliRunner()


def test_quiet_still_prints_the_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``codex -q comment missing.py`` printed nothing and exited 2: the error went to the quiet
    console."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--quiet", "--backend", "fake", "comment", "missing.py"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) >= 1 and lines[0].startswith("codex comment: error:") and "missing.py" in lines[0]


def test_quiet_silences_status_lines(capsys: pytest.CaptureFixture[str]):
    Output(quiet=True).say("progress that a quiet run does not want")
    assert capsys.readouterr().err == ""


def test_names_with_colons_are_not_emoji(capsys: pytest.CaptureFixture[str]):
    """Rich replaced ":clamp:" in "clampmod.py:clamp:" with an emoji, markup off or not."""
    text = "clampmod.py:clamp: documented; :smile: :thumbs_up:"
    Output().say(text)
    Output().errors().print(text, markup=False)
    Output().out().print(text, markup=False)
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [text, text]
    assert captured.out.splitlines() == [text]


def test_readme_stays_short_with_a_two_command_quick_start():
    """Issue 31: the README under 15 KB (the rest in docs/), its quick start still two commands."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 15_000
    quick = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in quick.strip().splitlines()] == [["make", "demo"], ["make", "test"]]
