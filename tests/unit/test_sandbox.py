"""The sandbox contains what generated code does wrong."""

from __future__ import annotations

import os

from codexcli.verify.sandbox import Limits, run_python


def test_ok_and_files_collected():
    result = run_python("open('out.txt','w').write('hi'); print('done')", collect=("out.txt",))
    assert result.ok and result.stdout == "done\n" and result.files["out.txt"] == "hi"


def test_infinite_loop_is_killed():
    result = run_python("while True:\n    pass\n", limits=Limits(timeout_s=1))
    assert result.timed_out and not result.ok and result.describe() == "timed out"


def test_memory_bomb_fails_inside_the_limit():
    result = run_python("x = bytearray(8 * 1024**3)", limits=Limits(memory_mb=256))
    assert not result.ok and "MemoryError" in result.stderr


def test_cannot_kill_the_parent():
    result = run_python("import os, signal\nos.kill(os.getppid(), signal.SIGTERM)\n")
    assert not result.ok and "os.kill of another process is disabled" in result.stderr


def test_exit_is_an_ordinary_failure():
    result = run_python("import sys; sys.exit(4)")
    assert result.returncode == 4 and not result.ok


def test_runs_in_a_temporary_folder_with_a_minimal_environment(tmp_path):
    result = run_python("import os; print(os.getcwd()); print(os.environ.get('SECRET'))", env={})
    cwd, secret = result.stdout.splitlines()
    assert cwd != os.getcwd() and "codex-sandbox-" in cwd and not os.path.exists(cwd)
    assert secret == "None"
