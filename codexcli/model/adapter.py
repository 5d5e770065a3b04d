"""What an adapter file says about itself, and whether it belongs to a model (no torch here).

`codex learn` writes a GGUF LoRA adapter in llama.cpp's own layout (general.type = adapter,
adapter.type = lora, adapter.lora.alpha, tensors ``blk.N.<proj>.weight.lora_a/lora_b``) plus
``codex.*`` keys: the base model's identity, the pair counts and the measured effect. Every command
that loads an adapter checks the identity first, so an adapter made for another base model is
refused with both names instead of being applied to weights it was not trained against (llama.cpp
itself only compares the architecture and the tensor shapes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexcli.errors import ModelError
from codexcli.model.gguf import GGUFFormatError, GGUFInfo, read_gguf

# Bytes of the base model hashed for its identity: the header (names, shapes, tokenizer) and the
# first tensors. Cheap on every load, and different for every other model or quantization.
IDENTITY_BYTES = 4 << 20
PREFIX = "codex."


def model_digest(path: Path) -> str:
    """A short identity of a model file: SHA-256 of its size and first bytes."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(IDENTITY_BYTES))
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    """SHA-256 of a whole (small) file: an adapter's part of the result-cache key."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class AdapterInfo:
    """The header of an adapter file: what llama.cpp needs and what codex recorded."""

    path: Path
    architecture: str
    alpha: float
    base_name: str | None
    base_file: str | None
    base_digest: str | None
    facts: dict[str, Any]  # the codex.* keys without the prefix (pairs, losses, agreement...)

    @property
    def base_label(self) -> str:
        return f"{self.base_name or '?'} ({self.base_file or 'unknown file'})"


def read_adapter(path: Path) -> AdapterInfo:
    """Read and validate an adapter's header; ModelError with one line when it is not one."""
    if not path.is_file():
        raise ModelError(f"adapter file not found: {path}")
    try:
        info = read_gguf(path)
    except GGUFFormatError as exc:
        raise ModelError(f"{path}: not a usable adapter: {exc}") from None
    meta = info.metadata
    if meta.get("general.type") != "adapter" or meta.get("adapter.type") != "lora":
        raise ModelError(
            f"{path}: not a LoRA adapter (general.type={meta.get('general.type')!r}, "
            f"adapter.type={meta.get('adapter.type')!r})",
            hint="pass a model with --model, and an adapter made by `codex learn` with --adapter",
        )
    facts = {k[len(PREFIX) :]: v for k, v in meta.items() if k.startswith(PREFIX)}
    return AdapterInfo(
        path=path,
        architecture=info.architecture,
        alpha=float(meta.get("adapter.lora.alpha", 0.0)),
        base_name=_text(facts.get("base.name")),
        base_file=_text(facts.get("base.file")),
        base_digest=_text(facts.get("base.digest")),
        facts=facts,
    )


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def check_adapter(adapter: Path, model: Path, model_info: GGUFInfo) -> AdapterInfo:
    """The adapter's header when it was made for ``model``; ModelError naming both models if not."""
    info = read_adapter(adapter)
    this = f"{model_info.name or '?'} ({model.name})"
    if info.architecture != model_info.architecture:
        raise ModelError(
            f"adapter {adapter} was made for a {info.architecture} model, {info.base_label}, "
            f"but the model is {this}, a {model_info.architecture} model",
            hint="train an adapter for this model with `codex learn`, or pass its base with --model",
        )
    if info.base_digest is not None and info.base_digest != model_digest(model):
        raise ModelError(
            f"adapter {adapter} was made for the base model {info.base_label}, not for {this}",
            hint="train an adapter for this model with `codex learn`, or pass its base with --model",
        )
    return info
