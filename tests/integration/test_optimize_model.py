"""`codex optimize` with the real embedded model (SmolLM2-135M, usually wrong).

Whatever the model says, the outcome must be one of two: the file is byte-for-byte unchanged,
or it changed, the new function behaves like the old one on the same inputs, and the measured
speedup (at least --min-speedup) is reported.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codexcli.tasks.optimize.run import OptimizeOptions, baseline, check_candidate, find_targets
from tests.conftest import REPO, run_codex


@pytest.mark.integration
def test_real_model_optimize_keeps_file_or_proves_speedup(tmp_path: Path):
    target = tmp_path / "slow.py"
    shutil.copy(REPO / "examples" / "slow.py", target)
    before = target.read_text(encoding="utf-8")
    proc = run_codex(
        "--json",
        "optimize",
        f"{target}::common_items",
        "--samples",
        "1",
        "--retries",
        "0",
        "--max-tokens",
        "128",
        "--repeats",
        "3",
        cwd=tmp_path,
        timeout=480,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    (fn,) = data["functions"]
    after = target.read_text(encoding="utf-8")
    if not data["changed"]:
        assert after == before
        assert fn["status"] in ("kept original", "skipped")
        assert fn["candidates"] and all(c["status"] == "rejected" and c["reason"] for c in fn["candidates"])
        return
    assert fn["status"] == "optimized" and data["written"]
    assert fn["speedup"] >= data["min_speedup"]
    assert [s["size"] for s in fn["candidates"][0]["scaling"]] == ["n=10", "n=100", "n=1000"]
    # Check the written file independently: same behaviour as the original on the same inputs.
    (tgt,) = [t for t in find_targets(before) if t.qualname == "common_items"]
    base = baseline(before, tgt, OptimizeOptions())
    assert not isinstance(base, str)
    cases, expected = base
    assert check_candidate(before, after, tgt, cases, expected, 1, OptimizeOptions()) is None
