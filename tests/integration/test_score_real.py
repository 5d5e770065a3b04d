"""Scoring with the real embedded model (BatchDecoder.score): properties that hold whatever the
model thinks of the text: finite, at most 0, one log-probability per continuation token, more
tokens never more likely, identical calls identical, and generation's prefix cache untouched."""

from __future__ import annotations

import math

import pytest

from codexcli.backends.base import CompletionRequest, Message, score
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.tasks.comment.reviewer import reviewer_score

pytestmark = pytest.mark.integration

CODE = "def is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"


def test_scores_of_the_real_model():
    backend = LlamaCppBackend.from_settings(Settings())
    request = CompletionRequest((Message("user", "Write a function that tells leap years."),), prefill="```python\n")
    try:
        first = score(backend, request, CODE)
        assert first is not None
        assert len(first.tokens) == len(backend.tokenize_text(CODE))
        assert all(math.isfinite(t.logprob) and t.logprob <= 0.0 for t in first.tokens)
        assert "".join(t.text for t in first.tokens) == CODE
        assert first == backend.score(request, CODE)  # identical calls, identical scores
        longer = backend.score(request, CODE + "print(is_leap(2000))\n")
        assert longer.total_logprob < first.total_logprob
        # A causal model: the shared tokens score alike (up to the batch kernels' rounding).
        shared = longer.tokens[: len(first.tokens)]
        assert [t.text for t in shared] == [t.text for t in first.tokens]
        assert all(abs(a.logprob - b.logprob) < 0.05 for a, b in zip(shared, first.tokens, strict=True))
        assert backend.score(request, "").total_logprob == 0.0
        # Generation after a score, and a score after generation, are unaffected by each other.
        greedy = CompletionRequest(request.messages, max_tokens=12, prefill=request.prefill)
        answer = backend.complete(greedy).text
        backend.score(request, CODE)
        assert backend.complete(greedy).text == answer
        assert backend.score(request, CODE) == first
    finally:
        backend.close()


def test_the_reviewer_score_of_the_real_model_is_a_repeatable_number():
    backend = LlamaCppBackend.from_settings(Settings())
    try:
        first = reviewer_score(backend, CODE, "Return True when year is a leap year.")
        assert first is not None and math.isfinite(first)
        assert reviewer_score(backend, CODE, "Return True when year is a leap year.") == first
    finally:
        backend.close()
