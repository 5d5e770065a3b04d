"""`codex optimize` end to end through the CLI, with the fake backend (production path)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import PYTHON, REPO, subprocess_env

LINEAR = "```python\ndef has_duplicates(items: list[int]) -> bool:\n    return len(set(items)) != len(items)\n```"
WRONG = "```python\ndef has_duplicates(items: list[int]) -> bool:\n    return False\n```"


@pytest.fixture()
def codex(tmp_path: Path, fake_answers: Callable[..., Path]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m codexcli`` with the fake backend answering ``answers`` in order."""

    def invoke(answers: list[object], *args: str) -> subprocess.CompletedProcess[str]:
        fake_answers(*answers, default="no code here")
        return subprocess.run(
            [PYTHON, "-m", "codexcli", *args],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            cwd=tmp_path,
            timeout=120,
        )

    return invoke


@pytest.fixture()
def slow(tmp_path: Path) -> Path:
    target = tmp_path / "slow.py"
    shutil.copy(REPO / "examples" / "slow.py", target)
    return target


def test_diff_prints_patch_and_writes_nothing(codex, slow: Path):
    before = slow.read_bytes()
    proc = codex([LINEAR], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--diff", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    assert "+    return len(set(items)) != len(items)" in proc.stdout
    assert slow.read_bytes() == before
    assert "faster" in proc.stderr and "not written (dry run)" in proc.stderr
    assert "evidence" in proc.stderr and "reference" in proc.stderr  # the table's evidence column


def test_json_gives_the_accepted_rewrite_its_evidence(codex, slow: Path):
    proc = codex(
        [LINEAR], "--json", "optimize", f"{slow}::has_duplicates", "--samples", "1", "--retries", "0", "--diff"
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    (fn,) = data["functions"]
    assert data["evidence_threshold"] == "reference" and fn["status"] == "optimized"
    assert fn["evidence"]["level"] == "reference" and fn["evidence"]["verified"] is True
    facts = fn["evidence"]["facts"]
    assert facts.startswith(f"same results as the original on {fn['cases']} inputs; ") and "times faster" in facts

    proc = codex([LINEAR], "optimize", f"{slow}::has_duplicates", "--evidence", "nonsense")
    assert proc.returncode == 2 and "unknown evidence level" in proc.stderr


def test_write_replaces_only_that_function(codex, slow: Path):
    before = slow.read_text()
    proc = codex([LINEAR], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    after = slow.read_text()
    assert "return len(set(items)) != len(items)" in after
    # Everything from the next function on is byte-for-byte the same.
    tail = before[before.index("def common_items") :]
    assert after.endswith(tail)
    # ... and so is everything before the body (module docstring, signature, docstring).
    assert after[: after.index("    return len(set")] == before[: before.index("    # Compare every pair")]


def test_json_reports_rejections_and_keeps_file(codex, slow: Path):
    before = slow.read_bytes()
    proc = codex([WRONG], "optimize", f"{slow}::has_duplicates", "--samples", "1", "--retries", "0", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["changed"] is False and data["written"] is False
    (fn,) = data["functions"]
    assert fn["status"] == "kept original" and fn["evidence"] is None
    assert fn["candidates"][0]["kind"] == "different return value"
    assert slow.read_bytes() == before


def test_whole_file_skips_side_effects_and_reports_every_function(codex, slow: Path):
    before = slow.read_bytes()
    proc = codex([], "--json", "optimize", str(slow), "--samples", "1", "--retries", "0", "--no-rules")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    status = {f["name"]: (f["status"], f["reason"]) for f in data["functions"]}
    assert status["log_total"][0] == "skipped" and "print" in status["log_total"][1]
    assert status["has_duplicates"][0] == "kept original"
    assert slow.read_bytes() == before


def test_unknown_function_is_a_usage_error(codex, slow: Path):
    proc = codex([], "optimize", f"{slow}::nope")
    assert proc.returncode == 2
    assert "no function named nope" in proc.stderr


def test_bad_objective_is_a_usage_error(codex, slow: Path):
    proc = codex([], "optimize", str(slow), "--objective", "beauty")
    assert proc.returncode == 2 and "unknown objective" in proc.stderr


def test_test_files_and_sibling_modules_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from codexcli.cli.optimize import find_test_sources, sibling_folder

    pkg = tmp_path / "proj"
    (pkg / "tests").mkdir(parents=True)
    (pkg / "helpers.py").write_text("K = 1\n")
    (pkg / "tests" / "test_mod.py").write_text("from mod import f\n\ndef test_f():\n    assert f([9, 9]) == 1\n")
    (pkg / "notes_test.txt").write_text("not python")
    monkeypatch.chdir(tmp_path)
    texts = find_test_sources(pkg / "mod.py")
    assert texts == ("from mod import f\n\ndef test_f():\n    assert f([9, 9]) == 1\n",)
    assert sibling_folder(pkg / "mod.py", "import helpers\n") == pkg.resolve()
    assert sibling_folder(pkg / "mod.py", "import json\n") is None


def test_sibling_import_runs_in_the_sandbox(codex, tmp_path: Path):
    """A module that imports a sibling file is run with its folder copied into the sandbox."""
    (tmp_path / "limits.py").write_text("BIG = 10\n")
    target = tmp_path / "mod.py"
    target.write_text(
        "from limits import BIG\n\n\ndef has_duplicates(items: list[int]) -> bool:\n"
        "    for i in range(len(items)):\n        for j in range(i + 1, len(items)):\n"
        "            if items[i] == items[j]:\n                return BIG > 0\n    return False\n"
    )
    proc = codex(
        [LINEAR], "--json", "optimize", f"{target}::has_duplicates", "--samples", "1", "--retries", "0", "--diff"
    )
    data = json.loads(proc.stdout)
    (fn,) = data["functions"]
    assert fn["status"] == "optimized", fn  # the original imported and ran; the rewrite matched it
