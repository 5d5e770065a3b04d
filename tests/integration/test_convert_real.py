"""The embedded model converted for batches (model/convert.py) with llama.cpp's real quantizer:
made once into the cache, loaded, and decoding batches; a few seconds."""

from __future__ import annotations

import dataclasses

import pytest

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.model import convert
from codexcli.model.gguf import read_gguf

pytestmark = pytest.mark.integration

REQUEST = CompletionRequest(
    messages=(Message("user", "Write a Python function that adds two numbers."),),
    max_tokens=24,
    temperature=0.8,
    seed=3,
)


@pytest.mark.parametrize("kind", ["bf16", "q8_0"])
def test_the_embedded_model_is_converted_once_and_serves_batches(kind):
    backend = LlamaCppBackend.from_settings(Settings(threads=1, convert=kind))
    try:
        out = backend.complete_many(REQUEST, 3)
        assert backend.conversion.startswith(f"{kind} copy") and "made now" in backend.conversion
        copy = convert.converted_path(backend.model_path, kind, convert.models_dir())
        assert read_gguf(copy).quantization == kind.upper()
        assert len(out) == 3 and all(c.completion_tokens for c in out)
        assert [c.seed for c in out] == [3, 4, 5]
        # Fixed seeds, fixed answers; a second backend finds the copy in the cache.
        again = LlamaCppBackend.from_settings(Settings(threads=1, convert=kind))
        try:
            assert [c.text for c in again.complete_many(REQUEST, 3)] == [c.text for c in out]
            assert "cached" in again.conversion
        finally:
            again.close()
    finally:
        backend.close()


def test_single_answers_stay_on_the_source_file():
    backend = LlamaCppBackend.from_settings(Settings(threads=1, convert="bf16"))
    try:
        one = backend.complete(dataclasses.replace(REQUEST, max_tokens=4))
        assert one.completion_tokens and backend.conversion == ""  # no batch yet, no copy made
        assert list(convert.models_dir().glob("*.gguf")) == []
    finally:
        backend.close()
