"""Continuous batching for the llama.cpp backend: the samples of many prompts decoded together.

``llamacpp_batch.BatchDecoder.decode`` decodes one prompt's N answers; a batch thins out as its
answers finish at different lengths, and ten rows are too few for the batched kernels to pay
(docs/eval.md, "More rows than one problem's ten"). ``decode_jobs`` keeps a fixed number of
sequence slots busy instead:

* A *job* is one prompt with its answers (seeds, temperatures, budget, stops). Jobs wait in
  submission order; the first waiting job starts when it has a free slot for each answer and
  enough free KV cells for its prompt and every answer's budget (``admit``, a pure function);
  later jobs never overtake it, so a fixed job list always decodes in the same company and
  fixed seeds give fixed answers.
* A started job's prompt is evaluated on one of its slots' sequence ids (in the same chunks as a
  single batch, other sequences' cells untouched) and shared with its other slots
  (``llama_memory_seq_cp``); its first tokens are sampled at once from the prompt's logits.
* Each step is one ``llama_decode`` holding one token of every live sequence of every started
  job, each at its own position. A finished sequence's cells are removed
  (``llama_memory_seq_rm``), its slot and cells are free for the next job at once, and a job's
  answers are delivered (``on_done``) as soon as its last one finishes.

Numerics: an answer's rounding depends on the rows it shares steps with (llamacpp_batch's
docstring), so an answer decoded beside other jobs is not bit-identical to the same seed in a
one-job batch; for a fixed job list and slot count it is deterministic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from codexcli.backends.base import Completion, CompletionRequest, ManyDone, ManyTokenCallback, sample_seeds
from codexcli.backends.llamacpp_batch import (
    CELL_STEP,
    MAX_BATCH_CELLS,
    PROMPT_CHUNK,
    BatchDecoder,
    Stream,
    group_size,
)
from codexcli.errors import BackendError

# Sequence slots of the continuous batch: two problems' ten samples. The shared-prompt profile
# (docs/eval.md, "More rows than one problem's ten") promised more per row at 40 rows, but rows
# of different prompts attend over every prompt's cells of the unified cache: on 8 HumanEval
# fill requests x 10 samples x 128 tokens a step cost 5.2 ms a row at 10 slots, 4.7 at 20 and
# 7.0 at 40 (one stream per sequence instead: 8.0 at 40), docs/eval.md "Across problems".
SLOTS = 20


@dataclass(frozen=True)
class Job:
    """One prompt and the answers wanted for it (one sequence each)."""

    prompt: list[int]
    seeds: Sequence[int]
    temperatures: Sequence[float]
    max_new: int
    stops: tuple[str, ...]
    logprobs: bool
    on_text: Sequence[Callable[[str], None] | None]

    @property
    def cells(self) -> int:
        """KV cells the job may use: its prompt once, and each answer's budget plus one."""
        return len(self.prompt) + len(self.seeds) * (self.max_new + 1)


def admit(waiting: Sequence[tuple[int, int]], free_slots: int, free_cells: int) -> int:
    """How many jobs at the head of ``waiting`` ((slots, cells) each, in submission order) start
    now: each one that fits in what the jobs before it left; the first that does not fit waits,
    and every job after it waits too."""
    count = 0
    for slots, cells in waiting:
        if slots > free_slots or cells > free_cells:
            break
        free_slots, free_cells, count = free_slots - slots, free_cells - cells, count + 1
    return count


def context_cells(jobs: Sequence[Job], slots: int) -> int:
    """KV cells of the context: room for as many of the largest jobs as the slots hold at once
    (at most MAX_BATCH_CELLS, at least the largest job), rounded up to CELL_STEP."""
    biggest = max(job.cells for job in jobs)
    together = -(-slots // max(1, min(len(job.seeds) for job in jobs)))
    cells = max(biggest, min(MAX_BATCH_CELLS, biggest * together))
    return -(-cells // CELL_STEP) * CELL_STEP


@dataclass
class _Live:
    """A sequence decoding on a slot."""

    job: int
    index: int  # the answer's place in its job
    stream: Stream
    sampler: Any
    pos: int  # the position of the token it decodes next


class _Run:
    """The state of one ``decode_jobs`` call (slots, cells, live sequences, finished answers)."""

    def __init__(self, decoder: BatchDecoder, jobs: Sequence[Job], slots: int, on_done: Any) -> None:
        self.decoder, self.jobs, self.on_done = decoder, jobs, on_done
        self.cells = context_cells(jobs, slots)
        self.n_batch = max(PROMPT_CHUNK, slots)
        self.ctx = decoder.context(self.cells, slots, self.n_batch)
        self.memory = decoder.lib.llama_get_memory(self.ctx.ctx)
        self.free = list(range(slots))  # free sequence ids, lowest first
        self.free_cells = self.cells
        self.next_job = 0
        self.live: dict[int, _Live] = {}
        self.pending: list[tuple[int, int]] = []  # (sequence, token it decodes next)
        self.answers: list[list[Completion | None]] = [[None] * len(job.seeds) for job in jobs]
        self.started = [0.0] * len(jobs)
        self.prompted = [0.0] * len(jobs)

    def start_waiting(self, batch: Any) -> int:
        """Start the jobs ``admit`` lets in; how many."""
        waiting = [(len(job.seeds), job.cells) for job in self.jobs[self.next_job :]]
        count = admit(waiting, len(self.free), self.free_cells)
        for _ in range(count):
            self._start(self.next_job, batch)
            self.next_job += 1
        return count

    def _start(self, number: int, batch: Any) -> None:
        job, decoder = self.jobs[number], self.decoder
        seqs, self.free = self.free[: len(job.seeds)], self.free[len(job.seeds) :]
        self.free_cells -= job.cells
        self.started[number] = time.perf_counter()
        row = decoder.evaluate(self.memory, self.ctx.ctx, batch, job.prompt, self.n_batch, seqs)
        self.prompted[number] = time.perf_counter()
        for index, seq in enumerate(seqs):
            sampler = decoder.sampler(job.temperatures[index], job.seeds[index])
            self.live[seq] = _Live(
                number, index, Stream(job.stops, job.max_new, job.on_text[index]), sampler, len(job.prompt)
            )
            self.advance(seq, row)

    def advance(self, seq: int, row: int) -> None:
        """Sample sequence ``seq``'s next token from batch row ``row``: queue it, or end the answer."""
        live = self.live[seq]
        token = self.decoder.take(self.ctx, live.sampler, row, live.stream, self.jobs[live.job].logprobs)
        if token is not None:
            self.pending.append((seq, token))
        else:
            self._finish(seq)

    def _finish(self, seq: int) -> None:
        live = self.live.pop(seq)
        live.sampler.close()
        self.decoder.lib.llama_memory_seq_rm(self.memory, seq, -1, -1)
        self.free = sorted(self.free + [seq])
        job = self.jobs[live.job]
        self.free_cells += job.max_new + 1
        self.answers[live.job][live.index] = Completion(
            text=live.stream.text,
            finish_reason=live.stream.finish or "length",
            prompt_tokens=len(job.prompt),
            completion_tokens=live.stream.count,
            seconds=time.perf_counter() - self.started[live.job],
            tokens=tuple(live.stream.logprobs),
            prompt_seconds=self.prompted[live.job] - self.started[live.job],
            seed=job.seeds[live.index],
        )
        done = self.answers[live.job]
        if all(answer is not None for answer in done):
            self.free_cells += len(job.prompt)
            self.on_done(live.job, [answer for answer in done if answer is not None])

    def close(self) -> None:
        for live in self.live.values():
            live.sampler.close()
        self.live.clear()
        self.decoder.lib.llama_memory_clear(self.memory, True)


def decode_jobs(
    decoder: BatchDecoder, jobs: Sequence[Job], slots: int, on_done: Callable[[int, list[Completion]], None]
) -> None:
    """Decode ``jobs`` with continuous batching on ``slots`` sequence slots (every job needs at
    most ``slots`` answers); ``on_done(i, answers)`` as soon as job i's answers, in seed order,
    are finished. See the module docstring."""
    if not jobs:
        return
    run = _Run(decoder, jobs, slots, on_done)
    lib = decoder.lib
    lib.llama_memory_clear(run.memory, True)
    batch = lib.llama_batch_init(run.n_batch, 0, 1)
    try:
        _loop(run, batch)
    except RuntimeError as exc:
        raise BackendError(f"llama.cpp failed while generating: {exc}") from None
    finally:
        lib.llama_batch_free(batch)
        run.close()


def _loop(run: _Run, batch: Any) -> None:
    """Start jobs and step until every job is done."""
    jobs, decoder = run.jobs, run.decoder
    while True:
        started = run.start_waiting(batch)
        if not run.pending:  # nothing live: every slot and cell is free
            if run.next_job >= len(jobs):
                return
            if not started:
                raise BackendError(f"a job of {jobs[run.next_job].cells} KV cells does not fit {run.cells}")
            continue
        stepped, run.pending = run.pending, []
        decoder.step(run.ctx.ctx, batch, [(token, run.live[seq].pos, seq) for seq, token in stepped])
        for row, (seq, _) in enumerate(stepped):
            run.live[seq].pos += 1
            run.advance(seq, row)


def decode_requests(
    decoder: BatchDecoder,
    requests: Sequence[CompletionRequest],
    prompts: Sequence[tuple[list[int], int]],
    n: int,
    on_done: ManyDone,
    on_token: ManyTokenCallback | None = None,
    slots: int = SLOTS,
) -> None:
    """``n`` answers to each request (its tokens and answer budget in ``prompts``), seeds
    ``sample_seeds``, through ``decode_jobs``: one job per request, or several of at most
    ``slots`` answers (and MAX_BATCH_CELLS cells) for a request that needs more;
    ``on_done(i, answers)`` when all of request i's jobs are done. ``slots`` is bounded by
    llama.cpp's most sequences a context may hold."""
    slots = max(1, min(slots, decoder.lib.llama_max_parallel_sequences()))
    jobs: list[Job] = []
    owners: list[int] = []  # the request of each job
    for number, (request, (tokens, max_new)) in enumerate(zip(requests, prompts, strict=True)):
        seeds = sample_seeds(request, n)
        size = group_size(len(tokens), n, max_new, slots)
        stream: Callable[[str], None] | None = None
        if on_token is not None:
            stream = (lambda i: lambda text: on_token(i, text))(number)
        for first in range(0, n, size):
            group = seeds[first : first + size]
            temperatures = [request.temperature] * len(group)
            jobs.append(
                Job(tokens, group, temperatures, max_new, request.stop, request.logprobs, [stream] * len(group))
            )
            owners.append(number)
    parts: dict[int, dict[int, list[Completion]]] = {}

    def done(job: int, answers: list[Completion]) -> None:
        mine = parts.setdefault(owners[job], {})
        mine[job] = answers
        if len(mine) == owners.count(owners[job]):
            on_done(owners[job], [answer for key in sorted(mine) for answer in mine[key]])

    decode_jobs(decoder, jobs, slots, done)
