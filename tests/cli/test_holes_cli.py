"""Issue 25's holes, through the real CLI: --fill on a big file parses no step's worth of the
whole module; a read-only file stays unwritten even for root; a stdout that cannot take the
results is exit 3 and one line; a CODEX_CONFIG that names no file is an error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import dedent

runner = CliRunner()

STUB = dedent('''
    def area(r: float) -> float:
        """Area of a circle."""
        ...
''')
ANSWER = "def area(r: float) -> float:\n    return 3.14159 * r * r\n"


def test_a_missing_codex_config_file_is_an_error(tmp_path: Path, monkeypatch, fake_answers):
    fake_answers("x = 1\n")
    missing = tmp_path / "nowhere" / "config.toml"
    monkeypatch.setenv("CODEX_CONFIG", str(missing))
    result = runner.invoke(app, ["generate", "one"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"codex generate: error: {missing}: no such file (named by CODEX_CONFIG)"
    monkeypatch.setenv("CODEX_CONFIG", str(tmp_path))
    result = runner.invoke(app, ["generate", "one"])
    assert result.exit_code == 2 and "is a directory" in result.stderr
