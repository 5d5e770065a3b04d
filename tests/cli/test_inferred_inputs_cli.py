"""Code without hints or doctests still gets behaviour checks: optimize compares a rewrite on
inputs inferred from how the body uses its parameters (and rejects one that differs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

NAIVE = "def dedupe(items):\n    out = []\n    for x in items:\n        if x not in out:\n            out.append(x)\n    return out\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEXCLI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    (tmp_path / "naive.py").write_text(NAIVE)

    def answer(code: str) -> None:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({"answers": [], "default": f"```python\n{code}```"}))
        monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(path))

    return tmp_path, answer


def optimize() -> dict:
    """The model's rewrite alone (--no-rules: a rule's own dedupe-set candidate would win here)."""
    result = CliRunner().invoke(app, ["--json", "optimize", "naive.py", "--dry-run", "-n", "1", "--no-rules"])
    return json.loads(result.stdout)["functions"][0]


def test_unhinted_function_is_optimized_on_inferred_inputs(project):
    root, answer = project
    answer("def dedupe(items):\n    return list(dict.fromkeys(items))\n")
    report = optimize()
    assert report["status"] == "optimized" and report["cases"] >= 8 and report["speedup"] > 1
    # Where the inputs came from; the fake model's answer holds no example call, so none from it.
    assert report["inputs"]["inferred"] >= 5 and "model" not in report["inputs"]
    assert sum(report["inputs"].values()) == report["cases"]
    assert (root / "naive.py").read_text() == NAIVE


def test_a_rewrite_that_differs_on_inferred_inputs_is_rejected(project):
    _, answer = project
    answer("def dedupe(items):\n    return sorted(set(items))\n")  # loses the order of first appearance
    report = optimize()
    assert report["status"] != "optimized" and report["speedup"] is None
    assert "no inputs" not in report["reason"]
