"""Interrupts (issue 12): Ctrl-C and SIGTERM say exactly which files were written, and leave no
sandbox or temp folder behind."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
import typer

from codexcli.cli.common import command
from codexcli.workspace import atomic_write, read_python
from tests.conftest import PYTHON, REPO, subprocess_env


def test_ctrl_c_after_a_write_names_the_file_written(tmp_path: Path, capsys):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 1\n")

    @command("demo")
    def run() -> int:
        atomic_write(a, read_python(a).text + "z = 2\n")
        read_python(b)
        raise KeyboardInterrupt

    with pytest.raises(typer.Exit) as info:
        run()
    assert info.value.exit_code == 130
    err = capsys.readouterr().err
    assert "interrupted; written before that:" in err and str(a) in err and str(b) not in err
    assert "no file was changed" not in err


def test_ctrl_c_before_any_write_says_so(tmp_path: Path, capsys):
    @command("demo")
    def run() -> int:
        raise KeyboardInterrupt

    with pytest.raises(typer.Exit):
        run()
    assert "interrupted; no file was changed" in capsys.readouterr().err


def test_sigterm_during_a_sandbox_run_cleans_up_and_reports(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "slow.py").write_text((REPO / "examples" / "slow.py").read_text())
    before = (project / "slow.py").read_bytes()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    answer = (
        "```python\ndef has_duplicates(items: list[int]) -> bool:\n"
        "    len.__self__.__import__('time').sleep(30)\n    return len(set(items)) != len(items)\n```"
    )
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [answer], "default": "no"}))
    env = subprocess_env()
    env.update(
        {"CODEX_BACKEND": "fake", "CODEX_FAKE_ANSWERS": str(answers), "TMPDIR": str(tmpdir), "CODEX_UNSAFE_EXEC": "1"}
    )  # also where no isolation works: the answer only sleeps
    proc = subprocess.Popen(
        [PYTHON, "-m", "codexcli", "optimize", "slow.py::has_duplicates", "--samples", "1", "--retries", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith("codex-sandbox-") for p in tmpdir.iterdir()):
        time.sleep(0.05)
    assert any(p.name.startswith("codex-sandbox-") for p in tmpdir.iterdir()), "no sandbox started"
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert "terminated; no file was changed" in err
    assert list(tmpdir.iterdir()) == []
    assert (project / "slow.py").read_bytes() == before
