"""Write the trained LoRA weights as a GGUF adapter llama.cpp loads (``lora_path``).

llama.cpp's layout (llama-adapter.cpp, convert_lora_to_gguf.py): general.type = "adapter",
adapter.type = "lora", adapter.lora.alpha, and for every adapted weight ``W`` of the base GGUF
two tensors ``<W>.lora_a`` and ``<W>.lora_b``. With numpy shapes, A is (rank, in) and B is
(out, rank), exactly peft's ``lora_A`` / ``lora_B`` weights (GGUF reverses the order: llama.cpp
checks a.ne[0] == W.ne[0], b.ne[1] == W.ne[1], a.ne[1] == b.ne[0]), so nothing is transposed.

One quirk: llama.cpp's converter permutes the rows of q and k of llama-architecture models (its
rotary embedding pairs dimensions differently from transformers'), and transformers undoes that
when it reads a GGUF. The trained delta B @ A lives in transformers' order, so B's rows of q and k
get the converter's permutation back; A (the input side) is untouched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from codexcli.model.adapter import PREFIX

# transformers module name -> llama.cpp tensor name (per block).
GGUF_NAMES = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)\.lora_([AB])\.[^.]+\.weight$")
# Architectures whose GGUF q/k rows are permuted by llama.cpp's converter (and un-permuted by
# transformers' GGUF loader: its LlamaTensorProcessor).
PERMUTED_QK = {"llama"}


def permute_rows(weights: np.ndarray, n_head: int) -> np.ndarray:
    """llama.cpp's converter permutation of a q or k matrix's rows (convert_hf_to_gguf.permute)."""
    return (
        weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def gguf_lora_tensors(
    state: Mapping[str, Any], architecture: str, n_head: int, n_head_kv: int
) -> dict[str, np.ndarray]:
    """llama.cpp tensor name -> float32 array, from a peft model's LoRA state dict."""
    out: dict[str, np.ndarray] = {}
    for key, value in state.items():
        match = _KEY.search(key)
        if not match:
            continue
        block, module, side = match.groups()
        array = value.detach().float().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)
        name = GGUF_NAMES[module]
        if side == "B" and architecture in PERMUTED_QK and name in ("attn_q", "attn_k"):
            array = permute_rows(array, n_head if name == "attn_q" else n_head_kv)
        out[f"blk.{block}.{name}.weight.lora_{side.lower()}"] = np.ascontiguousarray(array, dtype=np.float32)
    return out


def write_adapter(
    path: Path, tensors: Mapping[str, np.ndarray], architecture: str, alpha: float, facts: Mapping[str, Any]
) -> None:
    """Write ``tensors`` as a GGUF LoRA adapter; ``facts`` go in as ``codex.*`` keys."""
    import gguf

    writer = gguf.GGUFWriter(str(path), architecture)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    for key, value in sorted(facts.items()):
        if value is None:
            continue
        if isinstance(value, bool):
            writer.add_bool(PREFIX + key, value)
        elif isinstance(value, int):
            writer.add_uint64(PREFIX + key, value)
        elif isinstance(value, float):
            writer.add_float64(PREFIX + key, value)
        else:
            writer.add_string(PREFIX + key, str(value))
    for name in sorted(tensors, key=_tensor_order):
        writer.add_tensor(name, tensors[name])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _tensor_order(name: str) -> tuple[int, str]:
    parts = name.split(".")
    return int(parts[1]), ".".join(parts[2:])
