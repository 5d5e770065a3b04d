"""Checks made before `codex learn` loads anything heavy: the extra is installed, transformers can
read the model's architecture, and the machine has the memory and disk the run needs."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from codexcli.errors import CodexError, ModelError, UsageError

EXTRA = "pip install 'codexcli[learn]'  (torch, transformers, peft, gguf)"
MODULES = ("torch", "transformers", "peft", "gguf")
# Below these counts a "measured effect" is noise and an adapter mostly memorizes.
MIN_TRAIN_PAIRS = 8
MIN_HELD_OUT_PAIRS = 2
GB = 1 << 30


class ResourceError(CodexError):
    """The machine lacks the memory or disk a training run needs (checked before it starts)."""

    exit_code = 2
    kind = "resources"


def missing_modules() -> list[str]:
    """The training packages that are not installed."""
    return [name for name in MODULES if importlib.util.find_spec(name) is None]


def require_learn_extra() -> None:
    """UsageError saying exactly what to install when a training package is missing."""
    missing = missing_modules()
    if missing:
        raise UsageError(f"codex learn needs {', '.join(missing)}, which are not installed", hint=EXTRA)


def supported_architectures() -> list[str]:
    """GGUF architectures transformers can load (and dequantize)."""
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    return sorted(str(a) for a in GGUF_SUPPORTED_ARCHITECTURES if a not in ("general", "tokenizer"))


def require_architecture(architecture: str, model: Path) -> None:
    """ModelError naming the architecture when transformers cannot train on this GGUF.

    Only ``llama`` is exported: it is the architecture whose tensor names and q/k permutation
    codex's adapter writer knows (export.py); others are refused rather than written wrong."""
    known = supported_architectures()
    if architecture not in known:
        raise ModelError(
            f"{model.name}: transformers cannot load a GGUF model of architecture {architecture!r} "
            f"(it loads: {', '.join(known)})",
            hint="train against a base model of a supported architecture (--model)",
        )
    if architecture != "llama":
        raise ModelError(
            f"{model.name}: codex learn writes adapters for llama-architecture models only, not {architecture!r}",
            hint="use a llama-architecture base model (SmolLM2, Llama, TinyLlama...)",
        )


def available_memory() -> int | None:
    """Bytes of memory available to a new process (MemAvailable), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def memory_needed(parameters: int, batch_tokens: int, hidden: int, layers: int) -> int:
    """Bytes a CPU run needs: float32 weights twice (the GGUF is dequantized through a copy),
    activations kept for the backward pass (about 24 floats per hidden unit, token and layer,
    plus the logits), and a fixed allowance for torch itself."""
    weights = parameters * 4 * 2
    activations = batch_tokens * hidden * layers * 24 * 4 + batch_tokens * 50_000 * 4 * 3
    return weights + activations + GB // 2


def require_resources(parameters: int, batch_tokens: int, hidden: int, layers: int, out: Path) -> None:
    """ResourceError up front when memory or disk is short (CODEX_LEARN_MEMORY overrides the
    available-memory reading, for tests and containers whose /proc lies)."""
    needed = memory_needed(parameters, batch_tokens, hidden, layers)
    override = os.environ.get("CODEX_LEARN_MEMORY")
    available = int(override) if override else available_memory()
    if available is not None and available < needed:
        raise ResourceError(
            f"training needs about {needed / GB:.1f} GiB of memory but {available / GB:.1f} GiB is available",
            hint="close other programs, or lower --batch-tokens",
        )
    folder = out.parent if out.parent.exists() else Path.cwd()
    # The adapter and its checkpoint: LoRA weights are well under 1% of the model; 64 MiB covers
    # them and the optimizer state of any rank codex offers.
    disk_needed = 64 << 20
    free = shutil.disk_usage(folder).free
    if free < disk_needed:
        raise ResourceError(
            f"writing the adapter needs about {disk_needed >> 20} MiB of disk in {folder}, {free >> 20} MiB free"
        )
