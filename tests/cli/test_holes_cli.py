"""Issue 25's holes, through the real CLI: --fill on a big file parses no step's worth of the
whole module; a read-only file stays unwritten even for root; a stdout that cannot take the
results is exit 3 and one line; a CODEX_CONFIG that names no file is an error."""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
import symtable
from pathlib import Path
from typing import Any

import libcst
import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import PYTHON, dedent, read_log, subprocess_env

runner = CliRunner()

STUB = dedent('''
    def area(r: float) -> float:
        """Area of a circle."""
        ...
''')
ANSWER = "def area(r: float) -> float:\n    return 3.14159 * r * r\n"


def big_module(functions: int, stubs: tuple[str, ...] = ("area",)) -> str:
    """``functions`` ordinary functions between ``first_marker`` and ``last_marker``, with the
    stubs spread through them."""
    parts = ["import math\n\n\ndef first_marker(x):\n    return x\n\n\n"]
    for i in range(functions):
        parts.append(
            f"def f{i}(items):\n    total = 0\n    for item in items:\n        total += item * {i}\n    return total\n\n\n"
        )
    for k, name in enumerate(stubs):
        parts.insert((k + 1) * len(parts) // (len(stubs) + 1), STUB.replace("area", name) + "\n\n")
    parts.append("def last_marker(x):\n    return x\n")
    return "".join(parts)


def test_fill_on_a_big_file_never_parses_the_whole_module(fake_answers, tmp_path: Path, monkeypatch):
    """Issue 25 (303 s, 2.7 GB on 5 MB): every step parsed, rendered or compiled the whole module
    (libcst twice to find stubs, libcst + compile + symtable per candidate, libcst + compile
    again to splice). Now the module is split once and only the stubs' segments are parsed:
    no libcst, ast, compile or symtable call ever sees both ends of the file."""
    path = tmp_path / "big.py"
    path.write_text(big_module(400, ("area", "volume")))
    log = fake_answers(ANSWER, ANSWER.replace("area", "volume"))
    whole: list[str] = []
    libcst_chars: list[int] = []

    def spy(real: Any, name: str) -> Any:
        def call(source: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(source, str) and "first_marker" in source and "last_marker" in source:
                whole.append(name)
            if name == "libcst":
                libcst_chars.append(len(source))
            return real(source, *args, **kwargs)

        return call

    monkeypatch.setattr(libcst, "parse_module", spy(libcst.parse_module, "libcst"))
    monkeypatch.setattr(ast, "parse", spy(ast.parse, "ast.parse"))
    monkeypatch.setattr(builtins, "compile", spy(builtins.compile, "compile"))
    monkeypatch.setattr(symtable, "symtable", spy(symtable.symtable, "symtable"))
    result = runner.invoke(app, ["generate", "--fill", str(path), "--evidence", "form"])
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    assert "2 filled, 0 below threshold, 0 skipped" in result.stderr and len(read_log(log)) == 2
    assert path.read_text().count("return 3.14159 * r * r") == 2
    assert whole == []
    # libcst read each stub's segment a few times (find, check, splice), never the file's bulk
    assert sum(libcst_chars) < len(path.read_text()) / 20


def test_a_read_only_file_is_not_written_even_by_root(fake_answers, tmp_path: Path):
    """Root passes os.access(W_OK); the mode bits (444) are what says "do not change this"."""
    path = tmp_path / "stubs.py"
    path.write_text(STUB)
    path.chmod(0o444)
    fake_answers(ANSWER)
    result = runner.invoke(app, ["generate", "--fill", str(path), "--evidence", "form"])
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
    argv = [PYTHON, "-m", "codexcli", "--json", "generate", "--fill", "s.py", "--diff", "--evidence", "form"]
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
    argv = [PYTHON, "-m", "codexcli", *json_flag, "generate", "--fill", "s.py", "--diff", "--evidence", "form"]
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
