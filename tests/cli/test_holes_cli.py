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


def test_a_read_only_file_is_not_written_even_by_root(fake_answers, tmp_path: Path):
    """Root passes os.access(W_OK); the mode bits (444) are what says "do not change this"."""
    path = tmp_path / "stubs.py"
    path.write_text(STUB)
    path.chmod(0o444)
    fake_answers(ANSWER)
    result = runner.invoke(app, ["generate", "--fill", str(path)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip().startswith("codex")]
    assert len(lines) == 1 and "read-only" in lines[0] and "unchanged" in lines[0], result.stderr
    assert path.read_text() == STUB and (path.stat().st_mode & 0o777) == 0o444


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
