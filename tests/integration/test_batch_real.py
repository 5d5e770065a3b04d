"""Batched sampling with the real embedded model: complete_many decodes N sequences in one
llama.cpp batch; the properties hold whatever the model says."""

from __future__ import annotations

import dataclasses

import pytest

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.backends.llamacpp_batch import BatchDecoder
from codexcli.config import Settings

pytestmark = pytest.mark.integration

STOP = "\n"
REQUEST = CompletionRequest(
    messages=(Message("user", "Write three short sentences about the sea, each on its own line."),),
    max_tokens=40,
    temperature=0.8,
    stop=(STOP,),
    seed=11,
    logprobs=True,
)


@pytest.fixture(scope="module")
def backend():
    live = LlamaCppBackend.from_settings(Settings(threads=1))
    yield live
    live.close()


def test_four_batched_answers_are_distinct_stop_on_their_own_and_repeat_for_fixed_seeds(backend):
    streamed: dict[int, str] = {}
    out = backend.complete_many(REQUEST, 4, on_token=lambda i, t: streamed.__setitem__(i, streamed.get(i, "") + t))
    assert len(out) == 4
    assert [c.seed for c in out] == [11, 12, 13, 14]
    assert len({c.text for c in out}) == 4  # distinct seeds, distinct answers
    for c in out:
        assert STOP not in c.text
        assert c.finish_reason in ("stop", "length")
        assert 0 < c.completion_tokens <= REQUEST.max_tokens
        assert len(c.tokens) == c.completion_tokens  # log-probabilities, one per token
        assert all(t.logprob <= 0 for t in c.tokens)
    stopped = [c for c in out if c.finish_reason == "stop"]
    assert stopped and all(c.completion_tokens < REQUEST.max_tokens for c in stopped)
    # Sequences leave the batch when they finish: their lengths differ.
    assert len({c.completion_tokens for c in out}) > 1
    assert streamed == {i: c.text for i, c in enumerate(out)}
    again = backend.complete_many(REQUEST, 4)
    assert [c.text for c in again] == [c.text for c in out]


def test_one_sequence_through_the_batch_decoder_is_the_single_completion(backend):
    # The same sampler chain and seed as complete(): token for token the same answer.
    for temperature in (0.0, 0.8):
        request = dataclasses.replace(REQUEST, temperature=temperature, stop=())
        single = backend.complete(request)
        llm, tokens, max_new = backend._prompt(request)
        decoder = BatchDecoder(llm, backend.threads)
        try:
            [batched] = decoder.decode(tokens, [11], [temperature], max_new, (), True, [None])
        finally:
            decoder.close()
        assert batched.text == single.text
        assert batched.completion_tokens == single.completion_tokens


def test_more_sequences_than_one_group_keep_their_order_and_seeds(backend, monkeypatch):
    from codexcli.backends import llamacpp

    monkeypatch.setattr(llamacpp, "group_size", lambda *args: 2)  # 5 sequences in groups of 2, 2, 1
    out = backend.complete_many(dataclasses.replace(REQUEST, max_tokens=8), 5)
    assert [c.seed for c in out] == [11, 12, 13, 14, 15]
    # The last group of one is seed 15 decoded alone on the batch weights (n=1 through
    # complete_many would be `complete`, on the source file: other weights when a copy is in use).
    request = dataclasses.replace(REQUEST, max_tokens=8)
    llm, tokens, max_new = backend._prompt(request, batch=True)
    [alone] = backend._decoder(llm).decode(tokens, [15], [request.temperature], max_new, request.stop, False, [None])
    assert out[4].text == alone.text


def test_a_longer_prompt_after_a_short_one_reuses_the_batch_context_safely(backend):
    from codexcli.doctor_probe import long_request

    # The context made for the short prompt (room for 2 x 300 answer tokens) is big enough to be
    # reused for the 600-token prompt, which must still go in chunks it accepts: llama.cpp aborts
    # the whole process on a batch over its context's n_batch (it did, before the fix).
    short = backend.complete_many(dataclasses.replace(REQUEST, max_tokens=300, stop=(" ",)), 2)
    long = dataclasses.replace(long_request(backend.count_prompt_tokens, 600, 4), temperature=0.8, seed=3)
    out = backend.complete_many(long, 2)
    assert backend._batch is not None and backend._batch._cells < 1024  # one context served both
    assert len(short) == 2 and len(out) == 2
    assert all(c.prompt_tokens >= 600 and 0 < c.completion_tokens <= 4 for c in out)


def test_greedy_first_decodes_sequence_zero_greedily_in_the_same_batch(backend):
    out = backend.complete_many(REQUEST, 3, greedy_first=True)
    assert [c.seed for c in out] == [11, 12, 13]
    assert [c.text for c in backend.complete_many(REQUEST, 3, greedy_first=True)] == [c.text for c in out]
    # Greedy samplers ignore their seeds: two greedy sequences of one batch write the same answer.
    cold = dataclasses.replace(REQUEST, temperature=0.0)
    alone = backend.complete_many(cold, 2)  # a batch of two greedy sequences, seeds 11 and 12
    assert alone[0].text == alone[1].text
