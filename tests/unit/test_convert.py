"""The converted copy of the model for batches (model/convert.py): the choice, the key, the
cache, atomic writes and the fallbacks, with a fake quantizer (no llama.cpp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexcli.backends import llamacpp
from codexcli.config import _CHOICES, Settings, load_settings
from codexcli.errors import ConfigError, ModelError
from codexcli.model import convert
from codexcli.model.find import inspect_model, resolve_model
from tests.unit.test_gguf_models import make_gguf

AVX512_BF16 = "CPU : SSE3 = 1 | AVX2 = 1 | F16C = 1 | AVX512 = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 |"
AVX2 = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512_BF16 = 0 |"
NEON = "CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | LLAMAFILE = 1 |"


def test_the_settings_words_are_the_registry():
    assert set(_CHOICES["convert"]) == set(convert.SETTINGS)


@pytest.mark.parametrize(
    ("setting", "embedded", "info", "kind"),
    [
        ("auto", True, AVX512_BF16, "bf16"),
        ("auto", True, AVX2, "f16"),
        ("auto", True, NEON, None),  # not measured there: the source file stays
        ("auto", True, "", None),
        ("auto", False, AVX512_BF16, None),  # --model files are used as given
        ("off", True, AVX512_BF16, None),
        ("q8_0", False, NEON, "q8_0"),  # asked for: any model, any CPU
        ("bf16", True, AVX2, "bf16"),
    ],
)
def test_plan(setting, embedded, info, kind):
    chosen = convert.plan(setting, embedded, info)
    assert chosen.kind == kind
    assert chosen.reason


def test_no_copy_for_a_gpu_unless_asked():
    assert convert.plan("auto", True, AVX512_BF16, gpu=True).kind is None
    assert convert.plan("bf16", True, AVX512_BF16, gpu=True).kind == "bf16"


def test_cpu_features_reads_llama_cpp_system_info():
    assert convert.cpu_features(AVX2) == {"SSE3", "AVX", "AVX2", "F16C", "FMA"}


def test_models_dir_follows_the_result_cache(tmp_path):
    assert convert.models_dir({"CODEXCLI_HOME": str(tmp_path)}) == tmp_path / "models"
    assert convert.models_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "codexcli" / "models"
    from codexcli.cache import KEPT, home_dir

    # `codex cache info/clear` see them: the same folder as the cache's entry for them
    assert home_dir({"CODEXCLI_HOME": str(tmp_path)}) / KEPT["models"] == convert.models_dir(
        {"CODEXCLI_HOME": str(tmp_path)}
    )


def fake_quantize(calls: list[str], *, broken: bool = False):
    def quantize(source: Path, out: Path, kind: convert.ConvertType) -> None:
        calls.append(kind.name)
        make_gguf(out, truncate=8 if broken else 0)

    return quantize


def test_a_copy_is_made_once_and_keyed_by_the_source(tmp_path):
    source = make_gguf(tmp_path / "m.gguf")
    calls: list[str] = []
    folder = tmp_path / "cache"
    path, made = convert.ensure_converted(source, "bf16", folder, fake_quantize(calls))
    assert made and path.is_file() and path.name.startswith("m.") and path.name.endswith(".bf16.gguf")
    again, made_again = convert.ensure_converted(source, "bf16", folder, fake_quantize(calls))
    assert (again, made_again, calls) == (path, False, ["bf16"])
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary left behind
    # Another source (other bytes) gets another copy.
    other = make_gguf(tmp_path / "m2.gguf", n_elements=16)
    assert convert.converted_path(other, "bf16", folder) != convert.converted_path(source, "bf16", folder)
    source.write_bytes(other.read_bytes())
    assert convert.converted_path(source, "bf16", folder) != path


def test_a_broken_or_truncated_copy_is_made_again(tmp_path):
    source = make_gguf(tmp_path / "m.gguf")
    folder = tmp_path / "cache"
    target = convert.converted_path(source, "f16", folder)
    folder.mkdir()
    target.write_bytes(b"GGUF half a file")
    calls: list[str] = []
    path, made = convert.ensure_converted(source, "f16", folder, fake_quantize(calls))
    assert made and path == target and convert.is_sound(path)


def test_a_failed_conversion_leaves_nothing(tmp_path):
    source = make_gguf(tmp_path / "m.gguf")
    folder = tmp_path / "cache"

    def failing(source: Path, out: Path, kind: convert.ConvertType) -> None:
        out.write_bytes(b"partial")
        raise ModelError("no")

    with pytest.raises(ModelError):
        convert.ensure_converted(source, "q8_0", folder, failing)
    with pytest.raises(OSError):  # the quantizer "succeeded" but wrote a truncated file
        convert.ensure_converted(source, "q8_0", folder, fake_quantize([], broken=True))
    assert list(folder.iterdir()) == []


def test_status_and_summary(tmp_path):
    source = make_gguf(tmp_path / "m.gguf")
    none = convert.status(convert.Plan(None, "off by setting"), source, tmp_path)
    assert none == {"type": None, "reason": "off by setting", "path": None, "made": False}
    assert "off by setting" in convert.summary(none)
    facts = convert.status(convert.Plan("bf16", "why"), source, tmp_path)
    assert facts["made"] is False and "first batch" in convert.summary(facts)
    convert.ensure_converted(source, "bf16", tmp_path, fake_quantize([]))
    assert convert.status(convert.Plan("bf16", "why"), source, tmp_path)["made"] is True


def test_the_setting_is_checked_from_every_place(tmp_path):
    assert load_settings(tmp_path, env={"CODEX_CONVERT": "BF16"}).convert == "bf16"
    with pytest.raises(ConfigError):
        load_settings(tmp_path, env={}, flags={"convert": "q9"})


def test_only_the_embedded_model_is_embedded(tmp_path):
    model = make_gguf(tmp_path / "m.gguf")
    assert not resolve_model(Settings(model=str(model))).embedded


class Loaded:
    def __init__(self, path: Path) -> None:
        self.path = path

    def close(self) -> None:
        pass


@pytest.fixture
def backend_with(tmp_path, monkeypatch):
    """A llama.cpp backend whose loads and quantizer are fakes: (backend, loads, quantizations)."""
    source = make_gguf(tmp_path / "m.gguf")
    monkeypatch.setenv("CODEXCLI_HOME", str(tmp_path / "home"))
    loads: list[str] = []
    calls: list[str] = []

    def load(self, path: Path, **kwargs):
        loads.append(path.name)
        if getattr(self, "refuse", False) and path != source:
            raise ModelError(f"{path}: cannot load")
        return Loaded(path)

    monkeypatch.setattr(llamacpp.LlamaCppBackend, "_load_file", load)
    monkeypatch.setattr(llamacpp.LlamaCppBackend, "gpu_layers", lambda self: 0)
    monkeypatch.setattr(llamacpp.LlamaCppBackend, "_ensure_model", lambda self, needed: Loaded(source))

    def make(setting: str, quantize=None) -> llamacpp.LlamaCppBackend:
        monkeypatch.setattr(llamacpp, "quantize", quantize or fake_quantize(calls))
        return llamacpp.LlamaCppBackend(source, inspect_model(source), convert=setting, embedded=True)

    return make, loads, calls, source


def test_batches_run_on_the_copy_once_made(backend_with):
    make, loads, calls, source = backend_with
    backend = make("bf16")
    first = backend._batch_model(100)
    assert first.path.name.endswith(".bf16.gguf") and backend._batch_model(100) is first
    assert calls == ["bf16"] and len(loads) == 1
    assert backend.conversion.startswith("bf16 copy") and "made now" in backend.conversion
    again = make("bf16")
    assert again._batch_model(100).path == first.path and "cached" in again.conversion and calls == ["bf16"]


def test_no_copy_when_off(backend_with):
    make, loads, calls, source = backend_with
    backend = make("off")
    assert backend._batch_model(100).path == source and calls == [] and "off by setting" in backend.conversion


def test_a_copy_that_cannot_be_made_falls_back_to_the_source(backend_with):
    make, loads, calls, source = backend_with

    def failing(source: Path, out: Path, kind: convert.ConvertType) -> None:
        raise ModelError("llama.cpp could not convert")

    backend = make("q8_0", failing)
    assert backend._batch_model(100).path == source
    assert "could not be made" in backend.conversion


def test_a_copy_that_does_not_load_falls_back_to_the_source(backend_with):
    make, loads, calls, source = backend_with
    backend = make("f16")
    backend.refuse = True  # type: ignore[attr-defined]
    assert backend._batch_model(100).path == source
    assert "does not load" in backend.conversion and calls == ["f16"]


def test_doctor_names_the_batch_weights(tmp_path, monkeypatch):
    from codexcli.doctor import batch_weights_check

    model = make_gguf(tmp_path / "m.gguf")
    monkeypatch.setenv("CODEXCLI_HOME", str(tmp_path / "home"))
    given = batch_weights_check(Settings(model=str(model)), AVX512_BF16)
    assert given.status == "ok" and "used as given" in given.detail and given.data["type"] is None
    asked = batch_weights_check(Settings(model=str(model), convert="bf16"), AVX512_BF16)
    assert asked.data["type"] == "bf16" and str(tmp_path / "home" / "models") in asked.detail
