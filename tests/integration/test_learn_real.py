"""A tiny real `codex learn` run on the embedded model: a handful of steps at rank 2 on a few
Codex-S pairs. The adapter it writes must load in llama.cpp, change the greedy answer to a
training prompt, show up in `codex learn status` and `codex models`, and be refused with another
base model. Properties only: what the model answers is not asserted."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.data.pairs import extract_pairs
from codexcli.learn.format import format_pair
from codexcli.prompts import load_prompt
from tests.conftest import run_codex
from tests.unit.test_gguf_models import make_gguf

pytestmark = pytest.mark.integration
pytest.importorskip("peft")


def tiny_repo(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("a", "b", "c"):
        (root / f"{name}.py").write_text(
            "\n\n".join(
                f'def {name}_scale{i}(value):\n    """Scale a value by {i + 2}."""\n    return value * {i + 2}  # learned\n'
                for i in range(4)
            ),
            encoding="utf-8",
        )
    return root


def test_a_tiny_run_writes_an_adapter_llama_cpp_loads_and_that_changes_the_answer(tmp_path: Path):
    repo = tiny_repo(tmp_path / "repo")
    out = tmp_path / "tiny.gguf"
    args = ("learn", str(repo), "--out", str(out), "--kind", "S", "--rank", "2", "--lr", "1e-2")
    result = run_codex("--json", *args, "--epochs", "2", "--batch-tokens", "8192", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    facts = json.loads(result.stdout)
    assert facts["train_pairs"] == 8 and facts["held_out_pairs"] == 4  # one file of three held out
    assert facts["steps"] == facts["total_steps"] >= 2 and facts["stopped_by"] == "epochs"
    assert facts["held_out_loss_adapter"] is not None and facts["held_out_loss_base"] is not None
    assert not out.with_name(out.name + ".ckpt").exists()  # a finished run leaves no checkpoint

    pair = next(p for p in extract_pairs((repo / "a.py").read_text(), "a.py") if p.kind == "S")
    base = LlamaCppBackend.from_settings(Settings())
    adapted = LlamaCppBackend.from_settings(Settings(adapter=str(out)))
    try:
        example = format_pair(pair, base, {"S": load_prompt("fill"), "D": load_prompt("comment")}, Settings())
        assert example is not None
        request = dataclasses.replace(example.request, max_tokens=40, temperature=0.0)
        assert adapted.complete(request).text != base.complete(request).text
    finally:
        base.close()
        adapted.close()

    status = run_codex("--adapter", str(out), "learn", "status", cwd=tmp_path)
    assert status.returncode == 0 and "(active)" in status.stdout and "pairs: 12" in status.stdout
    models = run_codex("--json", "--adapter", str(out), "models", cwd=tmp_path)
    assert json.loads(models.stdout)["model"]["adapter"]["rank"] == 2
    other = make_gguf(tmp_path / "other.gguf")
    refused = run_codex("--model", str(other), "--adapter", str(out), "models", cwd=tmp_path)
    assert refused.returncode == 2 and "was made for the base model" in refused.stderr
