"""The Backend protocol and the request/completion values that cross it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence, runtime_checkable


@dataclass(frozen=True)
class Message:
    """One chat turn."""

    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class CompletionRequest:
    """What to ask the model: the conversation plus sampling settings."""

    messages: tuple[Message, ...]
    max_tokens: int = 512
    temperature: float = 0.0
    stop: tuple[str, ...] = ()
    seed: int | None = None
    logprobs: bool = False
    # Text the assistant's answer starts with (e.g. "```python\n"), rendered after the template's
    # generation prompt so small models begin in the right format.
    prefill: str = ""


@dataclass(frozen=True)
class TokenLogprob:
    """A generated token and its log-probability under the model (before temperature)."""

    text: str
    logprob: float


@dataclass(frozen=True)
class Completion:
    """What the model said, with accounting."""

    text: str
    finish_reason: str = "stop"  # "stop" | "length"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    tokens: tuple[TokenLogprob, ...] = field(default=(), repr=False)
    prompt_seconds: float = 0.0  # time to the first generated token (prompt evaluation)
    seed: int | None = None  # the sampling seed this answer was drawn with, when known

    @property
    def mean_logprob(self) -> float | None:
        """Mean per-token log-probability (Codex's ranking heuristic), if logprobs were asked for."""
        if not self.tokens:
            return None
        return sum(t.logprob for t in self.tokens) / len(self.tokens)

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Scored:
    """How likely the model finds a given continuation of a prompt (``score``): each of the
    continuation's tokens with its log-probability after the prompt and the tokens before it."""

    tokens: tuple[TokenLogprob, ...]

    @property
    def total_logprob(self) -> float:
        """log P(continuation | prompt): the sum over its tokens (0.0 for no tokens)."""
        return sum(t.logprob for t in self.tokens)

    @property
    def mean_logprob(self) -> float | None:
        """The mean per-token log-probability, which compares continuations of different lengths."""
        return self.total_logprob / len(self.tokens) if self.tokens else None


TokenCallback = Callable[[str], None]
# complete_many's streaming callback: (index of the sequence in the returned list, its new text).
ManyTokenCallback = Callable[[int, str], None]


def sample_seeds(request: CompletionRequest, n: int) -> list[int]:
    """The seeds of ``complete_many``'s ``n`` answers: ``request.seed``, +1, ... (0 when unset),
    so answer i is the one ``complete`` gives for the same request with seed ``seed + i``."""
    first = request.seed if request.seed is not None else 0
    return [first + i for i in range(n)]


def complete_each(
    backend: "Backend",
    request: CompletionRequest,
    n: int,
    on_token: ManyTokenCallback | None = None,
    greedy_first: bool = False,
) -> list[Completion]:
    """``complete_many`` done one request after another: the reference behaviour every batched
    implementation must match, and the implementation of backends that cannot batch."""
    out: list[Completion] = []
    for index, seed in enumerate(sample_seeds(request, n)):
        callback: TokenCallback | None = None
        if on_token is not None:
            callback = (lambda i: lambda text: on_token(i, text))(index)
        one = dataclasses.replace(request, seed=seed)
        if greedy_first and index == 0:
            one = dataclasses.replace(one, temperature=0.0)
        completion = backend.complete(one, callback)
        out.append(dataclasses.replace(completion, seed=seed))
    return out


# complete_many_each's delivery: (index of the request in the list given, its answers in seed order).
ManyDone = Callable[[int, list[Completion]], None]


@runtime_checkable
class ManyBatcher(Protocol):
    """The optional capability of decoding the answers of many requests together
    (``complete_many_each`` below; llama.cpp's continuous batching)."""

    def complete_many_each(
        self,
        requests: Sequence[CompletionRequest],
        n: int,
        on_done: ManyDone,
        on_token: ManyTokenCallback | None = None,
    ) -> None:
        """``complete_many(request, n)`` for every request, answers of several requests decoded
        together; ``on_done(i, answers)`` as soon as request i's are all finished (not
        necessarily in order). ``on_token(i, text)`` streams text of request i's answers."""
        ...


def complete_many_in_turn(
    backend: "Backend",
    requests: Sequence[CompletionRequest],
    n: int,
    on_done: ManyDone,
    on_token: ManyTokenCallback | None = None,
) -> None:
    """``complete_many_each`` one request after another, in order: what a backend without the
    capability does (each request is still one ``complete_many`` batch)."""
    for index, request in enumerate(requests):
        many: ManyTokenCallback | None = None
        if on_token is not None:
            many = (lambda i: lambda _seq, text: on_token(i, text))(index)
        on_done(index, backend.complete_many(request, n, many))


def complete_many_each(
    backend: "Backend",
    requests: Sequence[CompletionRequest],
    n: int,
    on_done: ManyDone,
    on_token: ManyTokenCallback | None = None,
) -> None:
    """``backend.complete_many_each`` where the backend has the capability, else
    ``complete_many_in_turn``. Either way request i's answers are the seeds ``sample_seeds(request,
    n)``; which requests share a batch may change their rounding (docs/eval.md), not their seeds."""
    if isinstance(backend, ManyBatcher):
        backend.complete_many_each(requests, n, on_done, on_token)
    else:
        complete_many_in_turn(backend, requests, n, on_done, on_token)


@runtime_checkable
class Scorer(Protocol):
    """The optional capability of scoring text instead of generating it (``score`` below)."""

    def score(self, request: CompletionRequest, continuation: str) -> Scored | None:
        """The log-probability of ``continuation`` as the answer to ``request``: the prompt is
        rendered as for ``complete`` (template, then ``request.prefill``) and the continuation's
        tokens follow it. None when this backend or its server cannot say."""
        ...


def score(backend: "Backend", request: CompletionRequest, continuation: str) -> Scored | None:
    """``backend.score(request, continuation)`` where the backend has the capability, else None
    (a wrapper or a test double that only generates). Sampling settings of ``request`` are unused."""
    if not isinstance(backend, Scorer):
        return None
    return backend.score(request, continuation)


@runtime_checkable
class Backend(Protocol):
    """Anything that can turn a CompletionRequest into a Completion."""

    name: str

    def context_length(self) -> int:
        """The most tokens (prompt + answer) one request may use."""
        ...

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        """Tokens the rendered prompt of ``request`` occupies."""
        ...

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        """Run the request; call ``on_token`` with each piece of text as it is generated."""
        ...

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        """``n`` answers to one request, answer i sampled with seed ``sample_seeds(request, n)[i]``
        (each Completion carries its seed). Same sampling settings as ``complete``; a backend that
        can decode several sequences at once (llama.cpp batches, a server's ``n``) does so here.
        ``on_token(i, text)`` streams answer i's text. With ``greedy_first`` answer 0 is decoded
        at temperature 0 (in the same batch where the backend can), the others at the request's."""
        ...

    def describe(self) -> dict[str, object]:
        """Identity of the backend and model, for reports and cache keys."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...
