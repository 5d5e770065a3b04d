"""Scoring a given continuation (issue 27's reviewer): the Scored value, the optional-capability
helper, the fake backend's deterministic scores and the openai backend's refusal. The llama.cpp
path is tests/integration/test_score_real.py."""

from __future__ import annotations

import pytest

from codexcli.backends.base import (
    Completion,
    CompletionRequest,
    Message,
    Scored,
    Scorer,
    TokenLogprob,
    score,
)
from codexcli.backends.fake import SEEN, UNSEEN, FakeBackend, overlap_logprobs
from codexcli.backends.openai import OpenAIBackend
from codexcli.backends.openai_http import ServerClient


def ask(text: str, prefill: str = "") -> CompletionRequest:
    return CompletionRequest((Message("user", text),), prefill=prefill)


def test_scored_sums_and_averages_its_tokens():
    scored = Scored((TokenLogprob("a", -1.0), TokenLogprob("b", -3.0)))
    assert scored.total_logprob == -4.0
    assert scored.mean_logprob == -2.0
    assert Scored(()).total_logprob == 0.0 and Scored(()).mean_logprob is None


class GenerateOnly:
    """A backend without the scoring capability (a wrapper, a test double)."""

    name = "generate-only"

    def complete(self, request: CompletionRequest, on_token: object = None) -> Completion:
        return Completion("x")


def test_score_is_none_for_a_backend_that_cannot():
    backend = GenerateOnly()
    assert not isinstance(backend, Scorer)
    assert score(backend, ask("hi"), "x") is None  # type: ignore[arg-type]


def test_the_fake_scores_words_the_prompt_holds_higher():
    backend = FakeBackend(scorer=overlap_logprobs)
    scored = score(backend, ask("Return True when the YEAR is a leap year"), "return year % 4")
    assert scored is not None
    assert [t.text for t in scored.tokens] == ["return", "year", "%", "4"]
    assert [t.logprob for t in scored.tokens] == [SEEN, SEEN, UNSEEN, UNSEEN]
    assert backend.scored == [(ask("Return True when the YEAR is a leap year"), "return year % 4")]


def test_the_fake_counts_the_prefill_as_prompt():
    scored = FakeBackend(scorer=overlap_logprobs).score(ask("nothing"), "def f")
    with_prefill = FakeBackend(scorer=overlap_logprobs).score(ask("nothing", prefill="def"), "def f")
    assert with_prefill.total_logprob > scored.total_logprob


def test_the_fake_takes_a_scripted_scorer():
    backend = FakeBackend(scorer=lambda request, text: [-0.25] * len(text))
    scored = backend.score(ask("x"), "abc")
    assert scored.total_logprob == -0.75
    assert [t.text for t in scored.tokens] == ["<0>", "<1>", "<2>"]  # its own token count


def test_the_fake_scores_the_same_call_the_same_way():
    assert FakeBackend(scorer=overlap_logprobs).score(ask("a b"), "a c") == FakeBackend(scorer=overlap_logprobs).score(
        ask("a b"), "a c"
    )


def test_the_openai_backend_says_it_cannot_score():
    backend = OpenAIBackend(ServerClient("http://127.0.0.1:9/v1", None, timeout=1.0, backoff=0.0), None)
    assert isinstance(backend, Scorer)
    assert score(backend, ask("hi"), "x") is None  # asks no server


@pytest.mark.parametrize("continuation", ["", "   "])
def test_the_fake_scores_nothing_as_zero(continuation: str):
    assert FakeBackend(scorer=overlap_logprobs).score(ask("x"), continuation).total_logprob == 0.0
