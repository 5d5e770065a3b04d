"""The scripted backend used by every test that needs a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexcli.backends import CompletionRequest, Message, available, create_backend
from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.errors import BackendError, ConfigError


def req(text: str, **kw) -> CompletionRequest:
    return CompletionRequest(messages=(Message("user", text),), **kw)


def test_queue_rules_default_and_exhaustion():
    fake = FakeBackend(["first", {"match": "docstring", "answer": "rule"}, "second"])
    assert fake.complete(req("a")).text == "first"
    assert fake.complete(req("write a docstring")).text == "rule"
    assert fake.complete(req("b")).text == "second"
    with pytest.raises(BackendError, match="no scripted answer"):
        fake.complete(req("c"))
    assert len(fake.requests) == 4
    assert FakeBackend([], default="d").complete(req("x")).text == "d"


def test_stop_sequences_cut_like_llama_cpp():
    fake = FakeBackend(["code\n```\nprose"])
    assert fake.complete(req("x", stop=("\n```",))).text == "code"


def test_streaming_and_logprobs():
    fake = FakeBackend([{"answer": "a b c", "logprob": -0.5}])
    pieces: list[str] = []
    completion = fake.complete(req("x", logprobs=True), on_token=pieces.append)
    assert "".join(pieces) == "a b c"
    assert completion.mean_logprob == -0.5


def test_selected_through_the_registry_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(["hello"]))
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(answers))
    monkeypatch.setenv("CODEX_FAKE_LOG", str(log))
    backend = create_backend(Settings(backend="fake"))
    assert backend.complete(req("q")).text == "hello"
    assert json.loads(log.read_text())["messages"][0]["content"] == "q"
    assert {"fake", "llamacpp"} <= set(available())


def test_unknown_backend_and_bad_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(ConfigError, match="unknown backend 'gpt'"):
        create_backend(Settings(backend="gpt"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(bad))
    with pytest.raises(ConfigError, match="CODEX_FAKE_ANSWERS"):
        create_backend(Settings(backend="fake"))
