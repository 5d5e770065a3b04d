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


def test_complete_many_seeds_and_order_match_single_requests():
    from codexcli.backends import CompletionRequest, Message, complete_each, sample_seeds

    req = CompletionRequest(messages=(Message("user", "hi"),), seed=7, temperature=0.8)
    assert sample_seeds(req, 3) == [7, 8, 9]
    import dataclasses

    assert sample_seeds(dataclasses.replace(req, seed=None), 2) == [0, 1]
    backend = FakeBackend(["one", "two three", "four"])
    streamed: list[tuple[int, str]] = []
    out = backend.complete_many(req, 3, on_token=lambda i, text: streamed.append((i, text)))
    assert [c.text for c in out] == ["one", "two three", "four"]
    assert [c.seed for c in out] == [7, 8, 9]
    assert [r.seed for r in backend.requests] == [7, 8, 9]
    assert streamed == [(0, "one"), (1, "two "), (1, "three"), (2, "four")]
    # The sequential reference gives the same answers as the backend's own method.
    again = complete_each(FakeBackend(["one", "two three", "four"]), req, 3)
    assert [c.text for c in again] == [c.text for c in out]
