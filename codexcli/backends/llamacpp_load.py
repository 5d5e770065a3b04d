"""Loading llama.cpp weights, and making a converted copy of them: the helpers every llama.cpp
user in codex shares (the backend, its tokenizer, doctor, the dense index, the benchmarks).

Every model (full or vocab-only) is created by ``load_llama``, which applies the extra-buffer
rule of backends/cpu.py: llama.cpp's AMX path crashes, so it must never be reached by any code
path that loads weights. ``quantize`` writes the copies of codexcli/model/convert.py.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator

from codexcli.backends.cpu import ExtraBuffers, decide, read_cpu_flags
from codexcli.errors import ModelError
from codexcli.model.convert import ConvertType


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence C-level prints on fd 2 while llama.cpp loads (verbose=False misses some).

    CODEX_DEBUG=1 keeps them, for diagnosing a model that will not load.
    """
    if os.environ.get("CODEX_DEBUG"):
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (rare embedding); nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_llama_cpp() -> Any:
    """llama_cpp, imported on first use (a ModelError when the install is broken).

    One compute thread pool per process: llama.cpp's (OpenMP, sized by ``threads``). llama_cpp
    imports numpy, whose OpenBLAS would start a pool of its own beside it; codex makes no BLAS
    calls worth threads (benchmarks/profile_batch.py lists the threads), so it gets one thread
    unless the user set OPENBLAS_NUM_THREADS."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        import llama_cpp
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(f"llama-cpp-python is not usable: {exc}", hint="pip install llama-cpp-python") from None
    return llama_cpp


def system_info() -> str:
    """llama.cpp's own line about the CPU features and backends this build uses."""
    return import_llama_cpp().llama_print_system_info().decode("utf-8", errors="replace").strip()


def extra_buffers_for(setting: str) -> ExtraBuffers:
    """The extra-buffer decision for this machine (CPU flags and llama.cpp's build)."""
    return decide(setting, read_cpu_flags(), system_info())


@contextlib.contextmanager
def _model_defaults(use_extra_bufts: bool) -> Iterator[None]:
    """Make the ``Llama`` constructor create its model with ``use_extra_bufts`` as given.

    llama-cpp-python's ``Llama.__init__`` takes no argument for this field (it swallows unknown
    keyword arguments), and builds its model parameters from ``llama_model_default_params()``
    right before loading. Wrapping that one function for the duration of the constructor is the
    only way to reach the field without copying the constructor; the effect is checked by the
    caller on ``llm.model_params``.
    """
    low_level = import_llama_cpp().llama_cpp
    original = low_level.llama_model_default_params

    def defaults() -> Any:
        params = original()
        params.use_extra_bufts = use_extra_bufts
        return params

    low_level.llama_model_default_params = defaults
    try:
        yield
    finally:
        low_level.llama_model_default_params = original


def load_llama(model_path: Path, *, extra_buffers: bool, **kwargs: Any) -> Any:
    """Create a ``llama_cpp.Llama`` with the extra-buffer rule applied: the one way codex (its
    backend, tokenizer, doctor and benchmarks) loads llama.cpp weights."""
    llama_cpp = import_llama_cpp()
    with _model_defaults(extra_buffers):
        llm = llama_cpp.Llama(model_path=str(model_path), verbose=False, **kwargs)
    if bool(llm.model_params.use_extra_bufts) != extra_buffers:  # a future llama-cpp-python
        llm.close()
        raise ModelError(
            "llama-cpp-python ignored the extra-buffer setting; refusing to load",
            hint="this codex release supports llama-cpp-python 0.3.36",
        )
    return llm


def quantize(source: Path, out: Path, kind: ConvertType) -> None:
    """Write ``source`` converted to ``kind`` at ``out`` with llama.cpp's own quantizer (it
    dequantizes and requantizes tensor by tensor; seconds for the embedded model)."""
    low_level = import_llama_cpp().llama_cpp
    params = low_level.llama_model_quantize_default_params()
    params.ftype = kind.ftype
    params.allow_requantize = True
    params.nthread = 1  # small files; leave the cores to the work that waits on it
    if kind.embedding_type is not None:
        params.token_embedding_type = params.output_tensor_type = kind.embedding_type
    with quiet_stderr():  # a line per tensor
        failed = low_level.llama_model_quantize(str(source).encode(), str(out).encode(), params)
    if failed:
        raise ModelError(f"llama.cpp could not convert {source.name} to {kind.name} (code {failed})")
