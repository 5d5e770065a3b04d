"""Issue 31: when stdout or stderr is not a terminal, reports are plain lines (one outcome per
line, the reason unwrapped); tables only on terminals."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from codexcli.cli import app
from codexcli.cli.report import Column, Table, show_table

REASON = "the rewrite " + " ".join(f"word{i}" for i in range(60)) + " was slower on every size"
TABLE = Table("m.py", (Column("target"), Column("status"), Column("why")), (("f", "[red]rejected[/red]", REASON),))


def test_piped_table_is_one_unwrapped_line_per_row() -> None:
    out = io.StringIO()
    show_table(Console(file=out, force_terminal=False, width=80, soft_wrap=True), TABLE)
    assert out.getvalue().splitlines() == [f"m.py: f: status: rejected; why: {REASON}"]


def test_terminal_gets_the_table() -> None:
    out = io.StringIO()
    show_table(Console(file=out, force_terminal=True, width=80), TABLE)
    text = out.getvalue()
    assert "┃" in text and "target" in text and len(text.splitlines()) > 3


def test_comment_run_piped_reports_plain_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    (tmp_path / "a.json").write_text(json.dumps({"answers": [], "default": 'Add `a` and `b`."""'}))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "a.json"))
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    result = CliRunner().invoke(app, ["comment", "m.py", "--dry-run", "--no-context"])
    lines = result.stderr.splitlines()
    assert any(line.startswith("m.py: add: status: ") and "evidence: " in line for line in lines), lines
    assert not any(ch in result.stderr for ch in "┃│━─")
