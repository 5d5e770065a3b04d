"""Issue 25's holes, through the real CLI: --fill on a big file parses no step's worth of the
whole module; a read-only file stays unwritten even for root; a stdout that cannot take the
results is exit 3 and one line; a CODEX_CONFIG that names no file is an error."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import PYTHON, dedent, subprocess_env

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


def _fill_env(tmp_path: Path) -> dict[str, str]:
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": [%s]}' % __import__("json").dumps(ANSWER))
    env = subprocess_env()
    env.update(CODEX_BACKEND="fake", CODEX_FAKE_ANSWERS=str(answers))
    return env


def test_a_closed_stdout_is_exit_3_and_one_line(tmp_path: Path):
    (tmp_path / "s.py").write_text(STUB)
    argv = [PYTHON, "-m", "codexcli", "--json", "generate", "--fill", "s.py", "--diff"]
    # `>&-`: descriptor 1 is closed when codex starts (Python's sys.stdout is None)
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *argv],
        cwd=tmp_path,
        env=_fill_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == ["codex generate: error: cannot write the results: stdout is closed"], result.stderr
    assert (tmp_path / "s.py").read_text() == STUB


@pytest.mark.parametrize("json_flag", [["--json"], []])
def test_a_broken_pipe_on_stdout_is_exit_3_and_one_line(tmp_path: Path, json_flag: list[str]):
    (tmp_path / "s.py").write_text(STUB)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before codex writes its first byte (`| head -c0`)
    argv = [PYTHON, "-m", "codexcli", *json_flag, "generate", "--fill", "s.py", "--diff"]
    try:
        result = subprocess.run(
            argv,
            cwd=tmp_path,
            env=_fill_env(tmp_path),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "codex generate: error: cannot write the results: stdout was closed by its reader (broken pipe)"
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert len([ln for ln in lines if ln.startswith("codex")]) == 1


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
