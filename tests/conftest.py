"""Shared test fixtures: an isolated environment, and the fake backend selected the way users
select backends (CODEX_BACKEND + a scripted-answers file), so CLI tests use the real registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest

from codexcli.procs import describe_end, signal_name

# colorsys's rgb_to_yiq, as the standard library writes it (no hints, no doctests): the Java
# translation tests' real function (unit, CLI and real-model).
YIQ = """\
def rgb_to_yiq(r, g, b):
    y = 0.30*r + 0.59*g + 0.11*b
    i = 0.74*(r-y) - 0.27*(b-y)
    q = 0.48*(r-y) + 0.41*(b-y)
    return (y, i, q)
"""

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No CODEX_* settings or user config leak in from the developer's machine."""
    home = tmp_path_factory.mktemp("home")
    for key in list(os.environ):
        if key.startswith("CODEX_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("CODEXCLI_HOME", str(home / "codex-home"))
    if not isolation_available():
        # Where bubblewrap cannot work (some CI containers), the ordinary tests run their own,
        # trusted code opted in; tests/cli/test_hostile_answers.py asserts the refusal instead.
        monkeypatch.setenv("CODEX_UNSAFE_EXEC", "1")
    return home


_ISOLATION: list[bool] = []


def isolation_available() -> bool:
    """Whether the sandbox has OS isolation on this machine (probed once per test session)."""
    if not _ISOLATION:
        from codexcli.verify.sandbox import isolation

        _ISOLATION.append(isolation.detect().kind != "none")
    return _ISOLATION[0]


@pytest.fixture
def fake_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Select the fake backend and script its answers: ``fake_answers("a", "b", default=...)``.
    Returns the request log path (one JSON line per request)."""

    def script(*answers: Any, default: str | None = None, context: int | None = None) -> Path:
        path = tmp_path / "fake-answers.json"
        path.write_text(json.dumps({"answers": list(answers), "default": default}), encoding="utf-8")
        log = tmp_path / "fake-requests.jsonl"
        monkeypatch.setenv("CODEX_BACKEND", "fake")
        monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(path))
        monkeypatch.setenv("CODEX_FAKE_LOG", str(log))
        if context is not None:
            monkeypatch.setenv("CODEX_FAKE_CONTEXT", str(context))
        return log

    return script


def read_log(log: Path) -> list[dict[str, Any]]:
    """The requests the fake backend received, oldest first."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def subprocess_env() -> dict[str, str]:
    """Environment for running ``python -m codexcli`` in a subprocess with this checkout first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


PYTHON = sys.executable


def run_codex(
    *args: str,
    cwd: Path,
    timeout: float = 600,
    env: dict[str, str] | None = None,
    backend_from_env: bool = False,
    stdin: str | None = None,
) -> "subprocess.CompletedProcess[str]":
    """Run ``python -m codexcli ARGS`` in a child (the real model unless ``backend_from_env``).

    A child that dies from a signal (llama.cpp crashing in native code) fails the test with one
    line naming the signal and the command, not an unreadable JSON or returncode assertion.
    """
    run_env = dict(env if env is not None else subprocess_env())
    if not backend_from_env:
        run_env.pop("CODEX_BACKEND", None)
    result = subprocess.run(
        [PYTHON, "-m", "codexcli", *args],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=cwd,
        timeout=timeout,
        input=stdin,
    )
    if signal_name(result.returncode) is not None:
        doing = "running codex " + " ".join(args)
        pytest.fail(describe_end(result.returncode, doing, what="codex") + "\n" + result.stderr[-2000:], pytrace=False)
    return result
