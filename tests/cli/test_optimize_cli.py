"""`codex optimize` end to end through the CLI, with the fake backend (production path)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINEAR = "```python\ndef has_duplicates(items: list[int]) -> bool:\n    return len(set(items)) != len(items)\n```"
WRONG = "```python\ndef has_duplicates(items: list[int]) -> bool:\n    return False\n```"


def codex(tmp_path: Path, answers: list[object], *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "answers.json"
    script.write_text(json.dumps({"answers": answers, "default": "no code here"}), encoding="utf-8")
    env = dict(os.environ, CODEX_BACKEND="fake", CODEX_FAKE_ANSWERS=str(script),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "codexcli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


@pytest.fixture()
def slow(tmp_path: Path) -> Path:
    target = tmp_path / "slow.py"
    shutil.copy(ROOT / "examples" / "slow.py", target)
    return target


def test_diff_prints_patch_and_writes_nothing(tmp_path: Path, slow: Path):
    before = slow.read_bytes()
    proc = codex(tmp_path, [LINEAR], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--diff", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    assert "+    return len(set(items)) != len(items)" in proc.stdout
    assert slow.read_bytes() == before
    assert "faster" in proc.stderr and "not written (dry run)" in proc.stderr


def test_write_replaces_only_that_function(tmp_path: Path, slow: Path):
    before = slow.read_text()
    proc = codex(tmp_path, [LINEAR], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    after = slow.read_text()
    assert "return len(set(items)) != len(items)" in after
    # Everything from the next function on is byte-for-byte the same.
    tail = before[before.index("def common_items"):]
    assert after.endswith(tail)
    # ... and so is everything before the body (module docstring, signature, docstring).
    assert after[: after.index("    return len(set")] == before[: before.index("    # Compare every pair")]


def test_json_reports_rejections_and_keeps_file(tmp_path: Path, slow: Path):
    before = slow.read_bytes()
    proc = codex(tmp_path, [WRONG], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--retries", "0", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["changed"] is False and data["written"] is False
    (fn,) = data["functions"]
    assert fn["status"] == "kept original"
    assert fn["candidates"][0]["kind"] == "different return value"
    assert slow.read_bytes() == before


def test_whole_file_skips_side_effects_and_reports_every_function(tmp_path: Path, slow: Path):
    before = slow.read_bytes()
    proc = codex(tmp_path, [], "--json", "optimize", str(slow), "--samples", "1", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    status = {f["name"]: (f["status"], f["reason"]) for f in data["functions"]}
    assert status["log_total"][0] == "skipped" and "print" in status["log_total"][1]
    assert status["has_duplicates"][0] == "kept original"
    assert slow.read_bytes() == before


def test_unknown_function_is_a_usage_error(tmp_path: Path, slow: Path):
    proc = codex(tmp_path, [], "optimize", f"{slow}::nope")
    assert proc.returncode == 2
    assert "no function named nope" in proc.stderr


def test_bad_objective_is_a_usage_error(tmp_path: Path, slow: Path):
    proc = codex(tmp_path, [], "optimize", str(slow), "--objective", "beauty")
    assert proc.returncode == 2 and "unknown objective" in proc.stderr
