"""`codex optimize` with candidates from the rewrite rules (tasks/optimize/rules), through the
CLI with the fake backend: a rule wins on a quadratic function with a measured speedup, the
report says which rule, and a named rule is asked of the model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

from tests.conftest import PYTHON, read_log, subprocess_env

QUADRATIC = '''\
def common(a, b):
    """Items of a that are also in b, each once, in a's order.

    >>> common([1, 2, 3, 2], [2, 3, 5])
    [2, 3]
    """
    out = []
    for x in a:
        if x in b and x not in out:
            out.append(x)
    return out
'''
# Faster, but it sorts: the check rejects it, so only a rule can win.
REORDERS = "```python\ndef common(a, b):\n    return sorted(set(a) & set(b))\n```"


def _codex(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "codexcli", *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=tmp_path,
        timeout=180,
    )


def test_a_rule_wins_on_a_quadratic_function_and_the_report_says_which(
    tmp_path: Path, fake_answers: Callable[..., Path]
):
    (tmp_path / "naive.py").write_text(QUADRATIC, encoding="utf-8")
    fake_answers(REORDERS, default="no code here")
    proc = _codex(tmp_path, "--json", "optimize", "naive.py", "--samples", "1", "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    assert fn["status"] == "optimized" and fn["won_by"].startswith("rule:")
    assert "membership-set" in fn["won_by"] or "dedupe-set" in fn["won_by"]
    assert fn["speedup"] >= 2.0  # measured on inputs grown to 1000 items: linear against quadratic
    model, *rules = fn["candidates"]
    assert model["origin"] == "model" and model["kind"] == "different return value"
    assert {c["origin"] for c in rules} == {"rule:dedupe-set", "rule:membership-set", "rule:dedupe-set+membership-set"}
    text = (tmp_path / "naive.py").read_text()
    assert "out_seen.add(x)" in text or "b_set = set(b)" in text


def test_no_rules_leaves_only_the_model_and_a_named_rule_is_asked_of_it(
    tmp_path: Path, fake_answers: Callable[..., Path]
):
    (tmp_path / "naive.py").write_text(QUADRATIC, encoding="utf-8")
    fake_answers(REORDERS, default="no code here")
    proc = _codex(tmp_path, "--json", "optimize", "naive.py", "--samples", "1", "--retries", "0", "--no-rules")
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    assert fn["status"] == "kept original" and [c["origin"] for c in fn["candidates"]] == ["model"]

    log = fake_answers(REORDERS, default="no code here")
    args = ("--json", "optimize", "naive.py", "--samples", "1", "--retries", "0", "--rule", "membership-set", "--diff")
    proc = _codex(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    assert [c["origin"] for c in fn["candidates"]] == ["model", "rule:membership-set"]
    asked = [r["messages"][-1]["content"] for r in read_log(log)]
    assert any("Rewrite the function `common`" in a and "in particular: build a set from a list" in a for a in asked)

    proc = _codex(tmp_path, "optimize", "naive.py", "--rule", "nonsense")
    assert proc.returncode == 2 and "unknown rule 'nonsense'" in proc.stderr
