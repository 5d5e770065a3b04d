"""Continuous batching with the real embedded model (backends/llamacpp_multi.py): several
prompts' answers decoded together on a few sequence slots; the properties hold whatever the
model says.

An answer decoded beside other jobs is not asserted equal to the same seed decoded alone: the
rows sharing a step change the rounding (docs/eval.md, Numerics), so only counts, seeds, finish
reasons and repeatability are checked."""

from __future__ import annotations

import pytest

from codexcli.backends.base import Completion, CompletionRequest, Message
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.backends.llamacpp_multi import decode_requests
from codexcli.config import Settings

pytestmark = pytest.mark.integration

MAX_NEW = 16
REQUESTS = [
    CompletionRequest(
        messages=(Message("user", text),), max_tokens=MAX_NEW, temperature=0.8, stop=("\n",), seed=seed, logprobs=True
    )
    for text, seed in (
        ("Name a colour.", 3),
        ("Write one sentence about the sea.", 20),
        ("def add(a, b):", 40),
    )
]


@pytest.fixture(scope="module")
def backend():
    live = LlamaCppBackend.from_settings(Settings(threads=1))
    yield live
    live.close()


def run(backend: LlamaCppBackend, slots: int) -> tuple[list[int], dict[int, list[Completion]], dict[int, str]]:
    """Decode the three requests, 3 answers each, on ``slots`` slots: (order of delivery, answers
    per request, streamed text per request)."""
    prepared = [backend._prompt(request, batch=True) for request in REQUESTS]
    decoder = backend._decoder(prepared[0][0])
    order: list[int] = []
    answers: dict[int, list[Completion]] = {}
    streamed: dict[int, str] = {}

    def done(i: int, out: list[Completion]) -> None:
        order.append(i)
        answers[i] = out

    def token(i: int, text: str) -> None:
        streamed[i] = streamed.get(i, "") + text

    decode_requests(decoder, REQUESTS, [p[1:] for p in prepared], 3, done, token, slots=slots)
    return order, answers, streamed


def test_every_request_gets_its_answers_and_fixed_seeds_repeat(backend):
    # 5 slots for 3 jobs of 3 answers: the second job waits for slots, the third for the first's.
    order, answers, streamed = run(backend, 5)
    assert sorted(order) == [0, 1, 2]
    for i, request in enumerate(REQUESTS):
        out = answers[i]
        assert [c.seed for c in out] == [request.seed, request.seed + 1, request.seed + 2]
        for c in out:
            assert c.finish_reason in ("stop", "length")
            assert 0 <= c.completion_tokens <= MAX_NEW
            assert c.finish_reason == "stop" or c.completion_tokens == MAX_NEW
            assert "\n" not in c.text
            assert len(c.tokens) == c.completion_tokens and all(t.logprob <= 0 for t in c.tokens)
        # The three answers' text interleaves in the stream; all of it arrives.
        assert sorted(streamed.get(i, "")) == sorted("".join(c.text for c in out))
    again_order, again, _ = run(backend, 5)
    assert again_order == order
    assert {i: [c.text for c in out] for i, out in again.items()} == {
        i: [c.text for c in out] for i, out in answers.items()
    }


def test_all_jobs_at_once_on_enough_slots_give_sane_answers(backend):
    order, answers, _ = run(backend, 9)
    assert sorted(order) == [0, 1, 2]
    assert all(len(out) == 3 for out in answers.values())
    assert backend.complete_many(REQUESTS[0], 3)  # the one-prompt batch still works after a multi run
