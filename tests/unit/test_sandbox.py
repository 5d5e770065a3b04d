"""The sandbox contains what generated code does wrong."""

from __future__ import annotations

import os

from codexcli.verify.sandbox.sandbox import Limits, run_python


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


# OS isolation (issue 12) ---------------------------------------------------------------------

import json  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from codexcli.verify.sandbox import isolation  # noqa: E402
from tests.conftest import isolation_available  # noqa: E402

needs_isolation = pytest.mark.skipif(not isolation_available(), reason="no OS isolation works on this machine")


@needs_isolation
def test_file_system_is_read_only_outside_the_sandbox_folder(tmp_path):
    user_file = tmp_path / "user.py"
    user_file.write_text("x = 1\n")
    script = (
        "import os\n"
        f"for path in ({str(user_file)!r}, {str(tmp_path / 'new')!r}, '/etc/codex-marker', '/usr/codex-marker'):\n"
        "    try:\n"
        "        open(path, 'a').write('pwned')\n"
        "        print('wrote', path)\n"
        "    except OSError as exc:\n"
        "        print('blocked', type(exc).__name__)\n"
        "open('mine.txt', 'w').write('ok')\n"
    )
    result = run_python(script, collect=("mine.txt",))
    assert result.ok, result.stderr
    assert "wrote" not in result.stdout and result.stdout.count("blocked") == 4
    assert user_file.read_text() == "x = 1\n" and not (tmp_path / "new").exists()
    assert result.files["mine.txt"] == "ok"


@needs_isolation
def test_homes_and_outside_tmp_are_hidden(tmp_path):
    secret = Path.home() / f".codex-secret-{uuid.uuid4().hex[:8]}"
    secret.write_text("s3cret")
    try:
        result = run_python(f"import os\nprint(os.path.exists({str(secret)!r}), os.path.exists({str(tmp_path)!r}))")
        assert result.stdout.split() == ["False", "False"], result.stderr
    finally:
        secret.unlink()


@needs_isolation
def test_no_network():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        result = run_python(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)")
        assert not result.ok and (
            "ConnectionRefusedError" in result.stderr or "OSError" in result.stderr or "unreachable" in result.stderr
        )
    finally:
        server.close()


@needs_isolation
def test_background_children_die_with_the_sandbox_and_the_timeout_holds():
    tag = "codex-bg-" + uuid.uuid4().hex[:8]
    script = (
        "import subprocess, time\n"
        f"subprocess.Popen(['/bin/sh', '-c', 'sleep 60 {tag}'], start_new_session=True)\n"
        "time.sleep(60)\n"
    )
    start = time.monotonic()
    result = run_python(script, limits=Limits(timeout_s=1.5))
    assert result.timed_out and time.monotonic() - start < 10
    time.sleep(0.2)
    alive = subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True).stdout.split()
    assert alive == []


@needs_isolation
def test_a_finished_run_leaves_no_child_behind_even_holding_its_output():
    tag = "codex-bg-" + uuid.uuid4().hex[:8]
    start = time.monotonic()
    result = run_python(
        f"import subprocess\nsubprocess.Popen(['/bin/sh', '-c', 'sleep 60 {tag}'], start_new_session=True)\nprint('bye')",
        limits=Limits(timeout_s=20),
    )
    assert result.ok and result.stdout == "bye\n" and time.monotonic() - start < 10
    time.sleep(0.2)
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True).stdout.split() == []


@needs_isolation
def test_fork_bomb_hits_the_process_limit():
    result = run_python(
        "import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time; time.sleep(30)\n        n += 1\nexcept OSError:\n    print('limited at', n)\n",
        limits=Limits(timeout_s=10, processes=32),
    )
    assert "limited at" in result.stdout and int(result.stdout.split()[-1]) < 32


@needs_isolation
def test_cannot_see_or_signal_codex():
    result = run_python(
        f"import os, posix\nprint(os.path.exists('/proc/{os.getpid()}'))\ntry:\n    posix.kill({os.getpid()}, 9)\nexcept OSError as exc:\n    print(type(exc).__name__)"
    )
    assert result.stdout.split() == ["False", "ProcessLookupError"]


@needs_isolation
def test_runs_as_nobody_when_codex_is_root():
    if os.geteuid() != 0:
        pytest.skip("codex is not root here")
    result = run_python("import os; print(os.getuid(), os.getgid())")
    assert result.stdout.split() == [str(isolation.NOBODY)] * 2


def test_verdict_channel_comes_back_separately_from_stdout():
    result = run_python(
        "import os\nos.write(int(os.environ['CODEX_VERDICT_FD']), b'yes')\nprint('noise')", verdict=True
    )
    assert result.verdict == "yes" and result.stdout == "noise\n"
    assert run_python("print(1)").verdict is None


def test_no_isolation_refuses_without_opt_in(monkeypatch):
    monkeypatch.setenv("CODEX_ISOLATION", "none")
    monkeypatch.delenv("CODEX_UNSAFE_EXEC", raising=False)
    isolation.detect.cache_clear()
    isolation.allow_unsafe(False)
    try:
        with pytest.raises(isolation.SandboxUnavailable) as info:
            run_python("print(1)")
        assert info.value.exit_code == 2 and "--unsafe-exec" in (info.value.hint or "")
        monkeypatch.setenv("CODEX_UNSAFE_EXEC", "1")
        assert run_python("print(1)").stdout == "1\n"
    finally:
        isolation.detect.cache_clear()


def test_a_project_cannot_switch_the_sandbox_off(tmp_path, monkeypatch):
    from codexcli.config import load_settings
    from codexcli.errors import ConfigError

    (tmp_path / "pyproject.toml").write_text("[tool.codex]\nunsafe_exec = true\n")
    with pytest.raises(ConfigError):
        load_settings(tmp_path)
    config = tmp_path / "user.toml"
    config.write_text("unsafe_exec = true\n")
    (tmp_path / "pyproject.toml").unlink()
    monkeypatch.setenv("CODEX_CONFIG", str(config))
    assert load_settings(tmp_path).unsafe_exec is True


def test_doctor_reports_the_isolation(tmp_path):
    from tests.conftest import subprocess_env

    env = subprocess_env()
    env.pop("CODEX_UNSAFE_EXEC", None)
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "--json", "doctor", "--no-decode"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    (check,) = [c for c in json.loads(proc.stdout)["checks"] if c["name"] == "sandbox"]
    assert check["data"]["isolation"] == ("bwrap" if isolation_available() else "none")
    assert check["status"] == ("ok" if isolation_available() else "fail")
    env["CODEX_ISOLATION"] = "none"
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "doctor", "--no-decode"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("sandbox"))
    assert "FAILED" in line and "refuses to run generated code" in line and "--unsafe-exec" in proc.stdout


def test_a_checkouts_node_modules_under_tmp_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """resolve_tool finds tsc in the current folder's node_modules/.bin; a harness runs it by
    that path inside the sandbox, so the folder must be bound back when it sits under the hidden
    /tmp (CI's clone under /tmp: "No such file or directory: .../node_modules/.bin/tsc")."""
    from codexcli.languages import resolve_tool
    from codexcli.verify.sandbox import isolation

    clone = Path(os.path.realpath(tmp_path)) / "clone"
    tool = clone / "node_modules" / ".bin" / "codex-test-tool"
    tool.parent.mkdir(parents=True)
    tool.write_text("#!/bin/sh\necho hi\n")
    tool.chmod(0o755)
    (clone / "secret.txt").write_text("not needed")
    if not str(clone).startswith("/tmp/"):
        pytest.skip(f"pytest's tmp_path is not under /tmp here ({tmp_path})")
    monkeypatch.chdir(clone)
    assert resolve_tool("codex-test-tool") == str(tool)
    argv = isolation.bwrap_argv("bwrap", str(tmp_path / "box"))
    binds = [b for flag, b, dest in zip(argv, argv[1:], argv[2:]) if flag == "--ro-bind" and b == dest]
    assert str(clone / "node_modules") in binds
    assert str(clone) not in binds  # the folder, not the checkout around it


def test_a_needed_path_under_tmp_is_shown_again_read_only(tmp_path: Path):
    """/tmp is an empty tmpfs inside the sandbox; an interpreter living there (a CI clone's
    virtualenv in /tmp) must be bound back read-only after it, or nothing can run: its
    virtualenv, not the folder around it (issue 25: never more than the toolchain)."""
    from codexcli.verify.sandbox import isolation

    venv = Path(os.path.realpath(tmp_path)) / "clone" / "venv"
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv.parent / "notes.txt").write_text("not needed")
    if not str(venv).startswith("/tmp/"):
        pytest.skip(f"pytest's tmp_path is not under /tmp here ({tmp_path})")
    argv = isolation.bwrap_argv("bwrap", str(tmp_path / "box"), extra_paths=[str(python)])
    binds = [b for flag, b, dest in zip(argv, argv[1:], argv[2:]) if flag == "--ro-bind" and b == dest]
    assert str(venv) in binds
    assert not any(str(venv).startswith(b + "/") for b in binds)  # nothing around it
    assert argv.index("/tmp") < argv.index(str(venv))  # after the tmpfs that hides /tmp
