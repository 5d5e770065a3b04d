"""The real embedded model through the llama.cpp backend: a prompt longer than one batch (the
path that crashed on AMX CPUs), the extra-buffer setting reaching llama.cpp, and `codex doctor`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.doctor_probe import long_request
from tests.conftest import run_codex

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("setting", ["auto", "off"])
def test_a_600_token_prompt_decodes_to_a_non_empty_answer(setting: str):
    backend = LlamaCppBackend.from_settings(Settings(extra_buffers=setting))
    try:
        request = long_request(backend.count_prompt_tokens, 600, 24)
        completion = backend.complete(request)
        assert completion.prompt_tokens >= 600 > 512  # more than one batch of prompt tokens
        assert completion.text.strip()
        assert completion.completion_tokens > 0
        # The decision reached llama.cpp's model parameters, for the full model.
        assert bool(backend._llama.model_params.use_extra_bufts) is backend.extra_buffers.enabled
        if setting == "off":
            assert backend.extra_buffers.enabled is False
    finally:
        backend.close()


def test_the_vocab_only_tokenizer_goes_through_the_same_rule():
    backend = LlamaCppBackend.from_settings(Settings(extra_buffers="off"))
    try:
        backend.count_prompt_tokens(long_request(lambda r: 10_000, 1, 8))  # loads the vocab only
        assert backend._vocab is not None and backend._llama is None
        assert bool(backend._vocab.model_params.use_extra_bufts) is False
    finally:
        backend.close()


def test_codex_doctor_decodes_in_a_child_and_reports_json(tmp_path: Path):
    result = run_codex("--json", "doctor", cwd=tmp_path)
    payload = json.loads(result.stdout)
    checks = {c["name"]: c for c in payload["checks"]}
    assert result.returncode == 0 and payload["ok"] is True, payload
    decode = checks["decode"]
    assert decode["status"] == "ok"
    assert decode["data"]["prompt_tokens"] >= 600 and decode["data"]["generation_tokens_per_s"] > 0
    assert "SSE3" in checks["llama.cpp"]["data"]["system_info"] or "AVX" in checks["llama.cpp"]["data"]["system_info"]
    assert checks["extra buffers"]["data"]["setting"] == "auto"
