"""The GGUF adapter writer: llama.cpp's tensor names and shapes, the q/k row permutation that
undoes transformers' GGUF loader, and the header `codex learn status` and the base-model check read."""

from __future__ import annotations

import numpy as np
import pytest

from codexcli.errors import ModelError
from codexcli.learn.export import gguf_lora_tensors, permute_rows
from codexcli.model.adapter import check_adapter, read_adapter
from codexcli.model.find import inspect_model
from tests.unit.test_gguf_models import make_gguf


def reverse_permute(weights: np.ndarray, n_head: int) -> np.ndarray:
    """transformers' LlamaTensorProcessor._reverse_permute_weights, as it reads a GGUF."""
    dim = weights.shape[0] // n_head // 2
    return weights.reshape(n_head, dim, 2, *weights.shape[1:]).swapaxes(2, 1).reshape(weights.shape)


def test_the_permutation_is_the_inverse_of_what_transformers_did():
    rows = np.arange(12 * 3, dtype=np.float32).reshape(12, 3)
    assert np.array_equal(permute_rows(reverse_permute(rows, 3), 3), rows)
    assert not np.array_equal(permute_rows(rows, 3), rows)


def test_peft_names_become_llama_cpp_names_and_only_q_and_k_b_are_permuted():
    a = np.ones((2, 8), np.float32)
    b = np.arange(8 * 2, dtype=np.float32).reshape(8, 2)
    prefix = "base_model.model.model.layers.3"
    state = {
        f"{prefix}.self_attn.q_proj.lora_A.default.weight": a,
        f"{prefix}.self_attn.q_proj.lora_B.default.weight": b,
        f"{prefix}.self_attn.v_proj.lora_B.default.weight": b,
        f"{prefix}.mlp.down_proj.lora_A.default.weight": a,
        f"{prefix}.self_attn.q_proj.base_layer.weight": np.zeros((8, 8)),  # not LoRA: left out
    }
    out = gguf_lora_tensors(state, "llama", n_head=2, n_head_kv=1)
    assert sorted(out) == [
        "blk.3.attn_q.weight.lora_a",
        "blk.3.attn_q.weight.lora_b",
        "blk.3.attn_v.weight.lora_b",
        "blk.3.ffn_down.weight.lora_a",
    ]
    assert np.array_equal(out["blk.3.attn_q.weight.lora_a"], a)  # A: the input side, as trained
    assert np.array_equal(out["blk.3.attn_q.weight.lora_b"], permute_rows(b, 2))
    assert np.array_equal(out["blk.3.attn_v.weight.lora_b"], b)
    other = gguf_lora_tensors(state, "qwen2", n_head=2, n_head_kv=1)  # no permutation there
    assert np.array_equal(other["blk.3.attn_q.weight.lora_b"], b)


def test_the_header_records_the_base_and_a_model_is_not_an_adapter(tmp_path):
    pytest.importorskip("gguf")
    from codexcli.learn.export import write_adapter
    from codexcli.model.adapter import model_digest

    base = make_gguf(tmp_path / "base.gguf")
    path = tmp_path / "a.gguf"
    facts = {"base.name": "Tiny Test", "base.file": "base.gguf", "base.digest": model_digest(base), "pairs": 9}
    write_adapter(path, {"blk.0.attn_q.weight.lora_a": np.zeros((2, 8), np.float32)}, "llama", 4.0, facts)
    info = check_adapter(path, base, inspect_model(base))
    assert (info.alpha, info.base_label, info.facts["pairs"]) == (4.0, "Tiny Test (base.gguf)", 9)
    with pytest.raises(ModelError, match="not a LoRA adapter"):
        read_adapter(base)
    other = make_gguf(tmp_path / "other.gguf", n_elements=16)
    with pytest.raises(
        ModelError, match=r"made for the base model Tiny Test \(base.gguf\), not for Tiny Test \(other.gguf\)"
    ):
        check_adapter(path, other, inspect_model(other))
