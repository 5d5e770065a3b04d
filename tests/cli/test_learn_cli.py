"""`codex learn`'s refusals and the adapter setting, through the real CLI: nothing here trains
(tests/integration/test_learn_real.py does), so each path must stop before torch is needed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cache import model_identity
from codexcli.cli import app
from codexcli.config import Settings, load_settings
from codexcli.model.find import embedded_model_path
from tests.conftest import dedent
from tests.unit.test_gguf_models import make_gguf

runner = CliRunner()
gguf_missing = importlib.util.find_spec("gguf") is None


def invoke(*args: str):
    return runner.invoke(app, list(args))


def small_repo(root: Path, functions: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(functions):
        (root / f"m{i}.py").write_text(
            dedent(f'''
                def f{i}(x):
                    """Return x plus {i}."""
                    return x + {i}
            '''),
            encoding="utf-8",
        )
    return root


def write_adapter_for(path: Path, base: Path, name: str = "Other Model") -> Path:
    import numpy as np

    from codexcli.learn.export import write_adapter
    from codexcli.model.adapter import model_digest

    tensors = {"blk.0.attn_q.weight.lora_a": np.zeros((2, 8), np.float32)}
    write_adapter(
        path,
        tensors,
        "llama",
        4.0,
        {"base.name": name, "base.file": base.name, "base.digest": model_digest(base), "pairs": 12},
    )
    return path


def test_without_the_extra_it_says_exactly_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in ("torch", "peft") else real(name, *a)
    )
    result = invoke("learn", str(small_repo(tmp_path / "repo", 12)))
    assert result.exit_code == 2
    assert "codex learn needs torch, peft, which are not installed" in result.stderr
    assert "pip install 'codexcli[learn]'" in result.stderr
    assert not (tmp_path / "repo" / ".codexcli").exists()


def test_too_few_pairs_says_how_many_are_needed(tmp_path: Path):
    pytest.importorskip("transformers")
    result = invoke("learn", str(small_repo(tmp_path / "repo", 3)), "--held-out", "0")
    assert result.exit_code == 2, result.output
    assert "6 usable training pairs; codex learn needs at least 8" in result.stderr
    assert not (tmp_path / "repo" / ".codexcli").exists()


def test_a_base_model_transformers_cannot_load_is_named(tmp_path: Path):
    pytest.importorskip("transformers")
    model = make_gguf(tmp_path / "odd.gguf")
    model.write_bytes(model.read_bytes().replace(b"llama", b"zzzzz"))  # architecture "zzzzz"
    result = invoke("--model", str(model), "learn", str(small_repo(tmp_path / "repo", 12)))
    assert result.exit_code == 2, result.output
    assert "cannot load a GGUF model of architecture 'zzzzz'" in result.stderr


def test_short_memory_is_refused_before_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("transformers")
    monkeypatch.setenv("CODEX_LEARN_MEMORY", str(200 << 20))
    result = invoke("--json", "learn", str(small_repo(tmp_path / "repo", 12)))
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout.strip().splitlines()[-1])["error"]
    assert error["kind"] == "resources" and "GiB of memory but 0.2 GiB is available" in error["message"]


def test_dry_run_counts_pairs_and_writes_nothing(tmp_path: Path):
    repo = small_repo(tmp_path / "repo", 12)
    result = invoke("--json", "learn", str(repo), "--dry-run")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert facts["pairs"] == 24 and facts["train_pairs"] + facts["held_out_pairs"] == 24
    assert facts["held_out_pairs"] == 4  # two of the twelve files, both their pairs
    assert not (repo / ".codexcli").exists()


@pytest.mark.skipif(gguf_missing, reason="writing an adapter needs the gguf package (learn extra)")
def test_an_adapter_for_another_base_model_is_refused_with_both_names(tmp_path: Path):
    other = make_gguf(tmp_path / "other.gguf")
    adapter = write_adapter_for(tmp_path / "a.gguf", other)
    result = invoke("--adapter", str(adapter), "models")
    assert result.exit_code == 2, result.output
    line = " ".join(result.stderr.split())
    assert "Other Model (other.gguf)" in line and "SmolLM2" in line and "was made for the base model" in line


@pytest.mark.skipif(gguf_missing, reason="writing an adapter needs the gguf package (learn extra)")
def test_models_and_status_show_the_adapter_and_it_is_in_the_cache_key(tmp_path: Path, monkeypatch):
    base = embedded_model_path()
    assert base is not None
    project = tmp_path / "proj"
    (project / ".codexcli").mkdir(parents=True)
    adapter = write_adapter_for(project / ".codexcli" / "adapter.gguf", base, "SmolLM2")
    (project / "pyproject.toml").write_text('[tool.codex]\nadapter = ".codexcli/adapter.gguf"\n', encoding="utf-8")
    monkeypatch.chdir(project)
    settings = load_settings(project, env={})
    assert settings.adapter == str(adapter.resolve())
    result = invoke("--json", "models")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"]["adapter"]["pairs"] == 12
    status = invoke("learn", "status")
    assert status.exit_code == 0, status.output
    assert "adapter.gguf (active)" in status.stdout and "pairs: 12" in status.stdout
    # The adapter's bytes decide answers, so they are part of every cache key.
    plain, adapted = model_identity(Settings()), model_identity(settings)
    assert plain != adapted and "adapter_digest" in adapted
    write_adapter_for(adapter, base, "SmolLM2 again")
    assert model_identity(settings)["adapter_digest"] != adapted["adapter_digest"]
    monkeypatch.setenv("CODEX_ADAPTER", str(tmp_path / "missing.gguf"))
    assert invoke("models").exit_code == 2
