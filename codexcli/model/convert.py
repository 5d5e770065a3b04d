"""The model's weights in a type llama.cpp's CPU kernels serve for batches: which type, where the
copy lives, and making it once (issue 30). Pure apart from the file writes; the conversion
itself (llama.cpp's quantizer) is passed in by the backend, the only importer of llama_cpp.

Why: decoding N sequences in one batch only pays when the matrix kernel reuses each weight
across the N rows. The embedded model is Q4_1 (with Q8_0 token embeddings), and llama.cpp's CPU
backend has no batched kernel for either: a 10-row step costs 8.5x a 1-row step
(benchmarks/profile_batch.py). llamafile's tinyBLAS kernels serve BF16 (with AVX512_BF16) and
F16 as real matrix products: a 10-row step of the BF16 copy costs 3.2x its 1-row step, 0.47x the
Q4_1 10-row step. BF16 and F16 hold Q4_1's values (``d * q + m``) to 8 and 11 bits of
mantissa, far below Q4_1's own quantization error; Q4_0 and Q8_0 measured no better than Q4_1
for batches here (docs/eval.md).

The rule (``convert = "auto" | "off" | TYPE``; ``--convert``, ``CODEX_CONVERT``):

* ``off``: no copy, ever.
* a type: that copy of whatever model is in use (``--model`` files included).
* ``auto``: the embedded model on a CPU only (``--model`` files are used as given), BF16 where
  llama.cpp's build reports AVX512_BF16, F16 where it reports F16C with AVX2 or AVX512, no copy
  elsewhere (not measured there, so the source file stays).

The copy is used for batches (``complete_many``, scoring); one answer at a time still runs on
the source file, where Q4_1's 1-row kernel is the faster one. Copies live in the user cache
(``$CODEXCLI_HOME/models`` or ``$XDG_CACHE_HOME/codexcli/models``), named by the source's identity
(``model_digest``: its size and first 4 MiB) and the type, written to a temporary name and
renamed into place, so a crash or two codex processes at once never leave half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from codexcli.model.adapter import model_digest
from codexcli.model.gguf import GGUFFormatError, read_gguf


@dataclass(frozen=True)
class ConvertType:
    """One type codex can convert to: llama.cpp's file type, and its tensor type for the token
    embeddings (None: the quantizer's choice for that file type)."""

    name: str
    ftype: int  # llama_ftype, LLAMA_FTYPE_MOSTLY_*
    embedding_type: int | None  # ggml_type of token_embd (the output matrix when tied)
    about: str


# The registry of conversions. ftype numbers are llama.h's; 30 is GGML_TYPE_BF16, 1 GGML_TYPE_F16.
TYPES: dict[str, ConvertType] = {
    "bf16": ConvertType("bf16", 32, None, "BF16: Q4_1's values to 8 bits; batched AVX512_BF16 kernels"),
    "f16": ConvertType("f16", 1, None, "F16: Q4_1's values to 11 bits; batched F16 kernels"),
    "q8_0": ConvertType("q8_0", 7, None, "Q8_0: close to Q4_1's values; no batched kernel measured to win"),
    "q4_0": ConvertType("q4_0", 2, 30, "Q4_0 (BF16 embeddings): repacked kernels; requantizing loses accuracy"),
}
SETTINGS = ("auto", "off", *TYPES)


@dataclass(frozen=True)
class Plan:
    """Which copy to use for batches (``kind`` None: the source file itself), and why."""

    kind: str | None
    reason: str


def cpu_features(system_info: str) -> frozenset[str]:
    """The features llama.cpp's build uses, from ``llama_print_system_info`` ("AVX2 = 1 | ...")."""
    out = set()
    for part in system_info.split("|"):
        name, _, value = part.partition("=")
        if value.strip() == "1":
            out.add(name.strip().rsplit(" ", 1)[-1].upper())
    return frozenset(out)


def plan(setting: str, embedded: bool, system_info: str, gpu: bool = False) -> Plan:
    """The conversion for ``setting`` (see the module docstring) of the model in use; ``gpu``:
    its layers are offloaded to a GPU, whose kernels batch any type."""
    if setting == "off":
        return Plan(None, "off by setting")
    if setting in TYPES:
        return Plan(setting, f"{setting} by setting")
    if not embedded:
        return Plan(None, "a --model file is used as given (--convert TYPE converts it)")
    if gpu:
        return Plan(None, "auto: the layers run on a GPU, whose kernels batch the source's type")
    features = cpu_features(system_info)
    if "AVX512_BF16" in features:
        return Plan("bf16", "auto: llama.cpp computes BF16 batches natively on this CPU (AVX512_BF16)")
    if "F16C" in features and features & {"AVX2", "AVX512"}:
        return Plan("f16", "auto: llama.cpp computes F16 batches with F16C and AVX2 on this CPU")
    return Plan(None, "auto: no batched kernel known to beat the source's type on this CPU")


def models_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where converted models live: beside the result cache (codexcli/cache.py's folder)."""
    env = os.environ if env is None else env
    if env.get("CODEXCLI_HOME"):
        return Path(env["CODEXCLI_HOME"]).expanduser() / "models"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codexcli" / "models"


def converted_path(source: Path, kind: str, folder: Path) -> Path:
    """The copy of ``source`` in ``kind``: named by the source's identity, so a changed source
    gets a new copy and a copy is never used for a file it was not made from."""
    return folder / f"{source.stem}.{model_digest(source)}.{kind}.gguf"


def is_sound(path: Path) -> bool:
    """A complete GGUF file (header readable, all tensor data present: read_gguf checks both)."""
    try:
        read_gguf(path)
    except (GGUFFormatError, OSError):
        return False
    return True


Quantize = Callable[[Path, Path, ConvertType], None]


def ensure_converted(source: Path, kind: str, folder: Path, quantize: Quantize) -> tuple[Path, bool]:
    """The copy of ``source`` in ``kind``, made with ``quantize(source, out, type)`` when it is not
    there yet (atomically); ``(path, made_now)``. OSError or the quantizer's error when it fails."""
    target = converted_path(source, kind, folder)
    if is_sound(target):
        return target, False
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=folder)
    os.close(fd)
    try:
        quantize(source, Path(tmp), TYPES[kind])
        if not is_sound(Path(tmp)):
            raise OSError(f"the {kind} copy of {source.name} is not a complete GGUF file")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target, True


def status(chosen: Plan, source: Path, folder: Path) -> dict[str, object]:
    """What `codex models` and `codex doctor` say about the plan: the type, why, and the copy's
    path and whether it is made yet (it is made on the first batch)."""
    if chosen.kind is None:
        return {"type": None, "reason": chosen.reason, "path": None, "made": False}
    path = converted_path(source, chosen.kind, folder)
    return {"type": chosen.kind, "reason": chosen.reason, "path": str(path), "made": is_sound(path)}


def summary(facts: Mapping[str, object]) -> str:
    """One line of ``status``'s facts."""
    if facts["type"] is None:
        return f"the model file itself ({facts['reason']})"
    made = "made" if facts["made"] else "made on the first batch"
    return f"a {facts['type']} copy, {facts['path']} ({made}; {facts['reason']})"
