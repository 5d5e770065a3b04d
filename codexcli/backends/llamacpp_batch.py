"""Batched sampling for the llama.cpp backend: N answers to one prompt decoded together.

How, and why:

* A second llama.cpp context on the already loaded weights (no reload, no second ``Llama``),
  created with ``n_seq_max`` = N and a *unified* KV cache, sized for the prompt plus N answers.
  Unified matters: the prompt's cells are shared by every sequence (``llama_memory_seq_cp``
  only adds sequence ids to them), so the prompt is evaluated and stored once.
* Each step puts one token per live sequence into one ``llama_batch`` and calls
  ``llama_decode`` once: the weights are read once per step for all sequences, which is where
  the speed comes from (decoding one sequence is bound by reading the weights, not by compute).
* Every sequence has its own sampler chain, built by the same ``Llama._init_sampler`` that
  ``Llama.generate`` uses for single completions, seeded with the sequence's seed: answer i
  draws the same random numbers as ``complete`` with that seed.
* Sequences that hit EOG, a stop sequence or their token budget leave the batch.
* The numerics: a step decodes N tokens at once, and llama.cpp's kernels for an N-row batch
  and attention over interleaved KV cells do not round exactly as a 1-token decode does. Logits
  differ in the last bits, so at temperature 0 a batched answer can leave the single greedy
  answer at a near-tie (benchmarks/bench_batch.py counts how often). With one sequence the
  decoder matches ``complete`` token for token; for a fixed request and N it is deterministic.
"""

from __future__ import annotations

import codecs
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from codexcli.backends.base import Completion, TokenLogprob
from codexcli.errors import BackendError

# The sampling settings of every completion (single or batched): llama-cpp-python's defaults
# except a neutral repeat penalty, which hurts code (it penalises the indentation it needs).
SAMPLING: dict[str, Any] = {"top_k": 40, "top_p": 0.95, "min_p": 0.05, "repeat_penalty": 1.0}

# Most KV cells one batch context may hold; more sequences than fit are decoded in groups.
MAX_BATCH_CELLS = 32768
CELL_STEP = 256
PROMPT_CHUNK = 512  # prompt tokens per llama_decode (the single context's n_batch)


def token_logprob(logits_ptr: Any, token: int, n_vocab: int) -> float:
    """log softmax of one position's logits at ``token`` (the model's own probability)."""
    import numpy as np

    logits = np.ctypeslib.as_array(logits_ptr, shape=(n_vocab,))
    peak = float(logits.max())
    return float(logits[token]) - peak - math.log(float(np.exp(logits - peak).sum()))


def find_stop(text: str, stops: Sequence[str], before: int) -> int | None:
    """Index of the earliest stop sequence that the newest piece completed, if any."""
    best = None
    for stop in stops:
        idx = text.find(stop, max(0, before - len(stop) + 1))
        if idx != -1 and (best is None or idx < best):
            best = idx
    return best


@dataclass
class Stream:
    """One answer being generated: text so far, stop handling and streaming (mutable state of
    one decode loop, shared by single and batched completions so both cut text the same way)."""

    stops: tuple[str, ...]
    max_new: int
    on_text: Callable[[str], None] | None = None
    text: str = ""
    count: int = 0
    finish: str = ""  # "" while running, then "stop" | "length"
    logprobs: list[TokenLogprob] = field(default_factory=list)
    emitted: int = 0
    decoder: Any = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace"))

    @property
    def hold(self) -> int:
        # Characters kept back from streaming: they may be the start of a stop sequence.
        return max((len(s) for s in self.stops), default=1) - 1

    def push(self, piece_bytes: bytes, eog: bool, logprob: float | None) -> bool:
        """Take one sampled token; True when the answer is finished."""
        if eog:
            self.finish = "stop"
            return self._end()
        self.count += 1
        piece = self.decoder.decode(piece_bytes)
        if logprob is not None:
            self.logprobs.append(TokenLogprob(piece, logprob))
        before = len(self.text)
        self.text += piece
        cut = find_stop(self.text, self.stops, before)
        if cut is not None:
            self.text, self.finish = self.text[:cut], "stop"
            return self._end()
        if self.on_text is not None and len(self.text) - self.hold > self.emitted:
            self.on_text(self.text[self.emitted : len(self.text) - self.hold])
            self.emitted = len(self.text) - self.hold
        if self.count >= self.max_new:
            self.finish = "length"
            return self._end()
        return False

    def _end(self) -> bool:
        if self.finish == "length":
            self.text += self.decoder.decode(b"", final=True)
        if self.on_text is not None and len(self.text) > self.emitted:
            self.on_text(self.text[self.emitted :])
            self.emitted = len(self.text)
        return True

    def close(self) -> None:
        """End a stream that ran out without a finishing token (the loop's budget)."""
        if not self.finish:
            self.finish = "length"
            self._end()


def batch_cells(prompt: int, n: int, max_new: int) -> int:
    """KV cells for a prompt shared by ``n`` answers of at most ``max_new`` tokens, rounded up."""
    needed = prompt + n * max_new + n  # + n: each sequence's last sampled token is decoded too
    return -(-needed // CELL_STEP) * CELL_STEP


def group_size(prompt: int, n: int, max_new: int, limit: int) -> int:
    """How many sequences one batch context decodes together (all of them unless the cells
    would pass MAX_BATCH_CELLS or llama.cpp's sequence limit)."""
    fit = max(1, (MAX_BATCH_CELLS - prompt) // max(1, max_new + 1))
    return max(1, min(n, fit, limit))


class BatchDecoder:
    """A multi-sequence llama.cpp context on the weights of one loaded ``Llama``."""

    def __init__(self, llm: Any, threads: int) -> None:
        import llama_cpp
        from llama_cpp import _internals as internals

        self.lib = llama_cpp
        self.llm = llm
        self.threads = threads
        self._internals = internals
        self._ctx: Any = None
        self._cells = 0
        self._seqs = 0
        self._n_batch = 0

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None

    def context(self, cells: int, seqs: int, n_batch: int) -> Any:
        if self._ctx is not None and self._cells >= cells and self._seqs >= seqs and self._n_batch >= n_batch:
            return self._ctx
        self.close()
        base = self.llm.context_params
        params = type(base).from_buffer_copy(base)  # the single context's settings (types, flash attention)
        params.n_ctx = cells
        params.n_batch = params.n_ubatch = n_batch
        params.n_seq_max = seqs
        params.kv_unified = True
        params.n_threads = params.n_threads_batch = self.threads
        try:
            self._ctx = self._internals.LlamaContext(model=self.llm._model, params=params, verbose=False)
        except ValueError as exc:
            raise BackendError(f"llama.cpp cannot create a {seqs}-sequence context of {cells} cells: {exc}") from None
        self._cells, self._seqs, self._n_batch = cells, seqs, n_batch
        return self._ctx

    def sampler(self, temperature: float, seed: int) -> Any:
        # The exact chain Llama.generate builds for a single completion with this seed.
        self.llm.set_seed(seed)
        return self.llm._init_sampler(temp=temperature, **SAMPLING)

    def decode(
        self,
        prompt: list[int],
        seeds: Sequence[int],
        temperatures: Sequence[float],
        max_new: int,
        stops: tuple[str, ...],
        logprobs: bool,
        on_text: Sequence[Callable[[str], None] | None],
    ) -> list[Completion]:
        """Answers for ``seeds`` (one sequence each), in order; see the module docstring."""
        start = time.perf_counter()
        n = len(seeds)
        # One n_batch for the context's life: llama.cpp aborts the process (GGML_ASSERT) on a
        # batch larger than the n_batch its context was created with.
        n_batch = max(PROMPT_CHUNK, n)
        ctx = self.context(batch_cells(len(prompt), n, max_new), n, n_batch)
        lib, raw = self.lib, ctx.ctx
        memory = lib.llama_get_memory(raw)
        batch = lib.llama_batch_init(n_batch, 0, 1)
        samplers = [self.sampler(t, seed) for t, seed in zip(temperatures, seeds, strict=True)]
        try:
            last = self._prefill(memory, raw, batch, prompt, n_batch, n)
            prompt_done = time.perf_counter()
            streams = [Stream(stops, max_new, cb) for cb in on_text]
            ended = [0.0] * n
            rows = {i: last for i in range(n)}  # sequence -> row of the last batch holding its logits
            pos = len(prompt)
            while rows:
                nxt: list[tuple[int, int]] = []
                for i, row in rows.items():
                    token = self.take(ctx, samplers[i], row, streams[i], logprobs)
                    if token is None:
                        ended[i] = time.perf_counter()
                    else:
                        nxt.append((i, token))
                if not nxt:
                    break
                self.step(raw, batch, [(token, pos, i) for i, token in nxt])
                rows = {i: j for j, (i, _) in enumerate(nxt)}
                pos += 1
        finally:
            lib.llama_batch_free(batch)
            for sampler in samplers:
                sampler.close()
        return [
            Completion(
                text=s.text,
                finish_reason=s.finish or "length",
                prompt_tokens=len(prompt),
                completion_tokens=s.count,
                seconds=(ended[i] or time.perf_counter()) - start,
                tokens=tuple(s.logprobs),
                prompt_seconds=prompt_done - start,
                seed=seeds[i],
            )
            for i, s in enumerate(streams)
        ]

    def _prefill(self, memory: Any, raw: Any, batch: Any, prompt: list[int], n_batch: int, n: int) -> int:
        """Evaluate the prompt on sequence 0 and share its cells with sequences 1..n-1; the batch
        row holding the last prompt logits. The whole prompt every time, in the same chunks:
        reusing a cached prefix would change the numerics of the first logits (a 1-token
        decode is not bit-identical to a chunk's), and fixed seeds must give fixed answers."""
        self.lib.llama_memory_clear(memory, True)
        return self.evaluate(memory, raw, batch, prompt, n_batch, range(n))

    def evaluate(self, memory: Any, raw: Any, batch: Any, prompt: list[int], n_batch: int, seqs: Sequence[int]) -> int:
        """Evaluate the prompt on sequence ``seqs[0]`` in chunks of ``n_batch`` (other sequences'
        cells are left alone) and share its cells with the rest of ``seqs``; the batch row
        holding the last prompt logits (valid until the next ``llama_decode``)."""
        row = 0
        for begin in range(0, len(prompt), n_batch):
            chunk = prompt[begin : begin + n_batch]
            batch.n_tokens = len(chunk)
            for j, token in enumerate(chunk):
                batch.token[j], batch.pos[j], batch.n_seq_id[j], batch.logits[j] = token, begin + j, 1, False
                batch.seq_id[j][0] = seqs[0]
            row = len(chunk) - 1
            batch.logits[row] = True
            self._run(raw, batch)
        for seq in seqs[1:]:
            self.lib.llama_memory_seq_cp(memory, seqs[0], seq, -1, -1)
        return row

    def take(self, ctx: Any, sampler: Any, row: int, stream: Stream, logprobs: bool) -> int | None:
        """Sample a sequence's next token from batch row ``row`` and push it to its stream: the
        token to decode next, or None when the answer is finished (the per-token work of every
        decode loop, single-prompt or continuous)."""
        lib = self.lib
        token = sampler.sample(ctx, row)
        lp = token_logprob(lib.llama_get_logits_ith(ctx.ctx, row), token, self.llm.n_vocab()) if logprobs else None
        eog = bool(lib.llama_vocab_is_eog(self.llm._model.vocab, token))
        return None if stream.push(b"" if eog else self.llm._model.detokenize([token]), eog, lp) else token

    def step(self, raw: Any, batch: Any, rows: Sequence[tuple[int, int, int]]) -> None:
        """One ``llama_decode`` of (token, position, sequence) rows, logits for each: batch row j
        holds row j's next-token logits afterwards."""
        batch.n_tokens = len(rows)
        for j, (token, pos, seq) in enumerate(rows):
            batch.token[j], batch.pos[j], batch.n_seq_id[j], batch.logits[j] = token, pos, 1, True
            batch.seq_id[j][0] = seq
        self._run(raw, batch)

    def score(self, tokens: list[int], first: int) -> list[float]:
        """log P(tokens[i] | tokens[:i]) for each i from ``first`` (>= 1) to the end: the tokens
        are evaluated on sequence 0 of this context, with logits asked only for the rows that
        predict a scored token. Always from an empty cache and in PROMPT_CHUNK chunks, as
        ``_prefill`` does and for its reason: identical calls give identical scores (a prefix
        reused from an earlier call would be evaluated in other chunks, with other roundings)."""
        if not 1 <= first < len(tokens):
            raise ValueError(f"cannot score from token {first} of {len(tokens)}")
        ctx = self.context(batch_cells(len(tokens), 1, 0), max(1, self._seqs), max(PROMPT_CHUNK, self._n_batch))
        lib, raw = self.lib, ctx.ctx
        lib.llama_memory_clear(lib.llama_get_memory(raw), True)
        batch = lib.llama_batch_init(PROMPT_CHUNK, 0, 1)
        n_vocab = self.llm.n_vocab()
        out: list[float] = []
        try:
            for begin in range(0, len(tokens) - 1, PROMPT_CHUNK):  # the last token predicts nothing scored
                chunk = tokens[begin : min(begin + PROMPT_CHUNK, len(tokens) - 1)]
                batch.n_tokens = len(chunk)
                for j, token in enumerate(chunk):
                    batch.token[j], batch.pos[j], batch.n_seq_id[j] = token, begin + j, 1
                    batch.logits[j] = begin + j >= first - 1
                    batch.seq_id[j][0] = 0
                self._run(raw, batch)
                for j in range(max(0, first - 1 - begin), len(chunk)):
                    out.append(token_logprob(lib.llama_get_logits_ith(raw, j), tokens[begin + j + 1], n_vocab))
        finally:
            lib.llama_batch_free(batch)
        return out

    def _run(self, raw: Any, batch: Any) -> None:
        code = self.lib.llama_decode(raw, batch)
        if code != 0:
            raise BackendError(f"llama.cpp failed while decoding a batch (llama_decode returned {code})")
