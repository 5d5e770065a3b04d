"""A scripted backend for tests: replays answers and records every request.

Selected through the same registry as the real backend (``--backend fake`` or
``CODEX_BACKEND=fake``), so CLI tests exercise the production path end to end. Scripts come from
``CODEX_FAKE_ANSWERS`` (a JSON file) or from the constructor:

* a plain string is the next answer, consumed in order;
* ``{"match": "text", "answer": "..."}`` answers any request whose last user message contains
  ``text`` (checked before the queue, never consumed);
* ``{"answer": "...", "logprob": -0.5}`` sets the mean per-token log-probability reported;
* the JSON file may instead be ``{"answers": [...], "default": "..."}``, where ``default``
  answers when the queue is empty.

``score`` (the optional scoring capability) is deterministic: by default (``convinced``) each
word or symbol of the continuation scores -0.1 when the prompt shows code (a ``` block) and -3.0
otherwise, so comment's reviewer check (tasks/comment/reviewer.py) passes every docstring and
tests of other checks see them alone; ``overlap_logprobs`` scores -0.5 for each word the prompt
holds (case-insensitively) and -2.0 for the others; a test may pass any
``scorer(request, continuation) -> list of per-token log-probabilities``.

With ``CODEX_FAKE_LOG`` set, each request is appended there as one JSON line. With
``CODEX_FAKE_DELAY`` (seconds), each token is streamed that long after the one before, so a
test can play a slow model (and cancel it).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from codexcli.backends.base import (
    Completion,
    CompletionRequest,
    ManyTokenCallback,
    Scored,
    TokenCallback,
    TokenLogprob,
    complete_each,
)
from codexcli.errors import BackendError, ConfigError


@dataclass(frozen=True)
class ScriptedAnswer:
    """One scripted reply."""

    answer: str
    match: str | None = None
    logprob: float = -1.0


def _parse_item(item: Any) -> ScriptedAnswer:
    if isinstance(item, str):
        return ScriptedAnswer(item)
    if isinstance(item, dict) and isinstance(item.get("answer"), str):
        return ScriptedAnswer(item["answer"], item.get("match"), float(item.get("logprob", -1.0)))
    raise ConfigError(f"fake backend: cannot use scripted answer {item!r}")


FakeScorer = Callable[[CompletionRequest, str], list[float]]
_WORD = re.compile(r"\w+|[^\w\s]")
SEEN, UNSEEN = -0.5, -2.0  # the default scorer's per-token log-probabilities


def overlap_logprobs(request: CompletionRequest, continuation: str) -> list[float]:
    """The default fake score: SEEN for each word or symbol of ``continuation`` that the prompt
    (its messages and prefill) holds, case-insensitively, UNSEEN for the others."""
    prompt = " ".join(m.content for m in request.messages) + " " + request.prefill
    seen = {w.lower() for w in _WORD.findall(prompt)}
    return [SEEN if w.lower() in seen else UNSEEN for w in _WORD.findall(continuation)]


def convinced(request: CompletionRequest, continuation: str) -> list[float]:
    """The default fake score: a continuation is much likelier after a prompt showing code."""
    shown = any("```" in m.content for m in request.messages)
    return [-0.1 if shown else -3.0 for _ in _WORD.findall(continuation)]


class FakeBackend:
    """Replays scripted answers; ``requests`` records what it was asked."""

    name = "fake"

    def __init__(
        self,
        answers: Iterable[Any] = (),
        *,
        default: str | None = None,
        context: int = 4096,
        log_path: Path | None = None,
        scorer: FakeScorer = convinced,
        delay: float = 0.0,
    ) -> None:
        items = [_parse_item(a) for a in answers]
        self.rules = [a for a in items if a.match is not None]
        self.queue = [a for a in items if a.match is None]
        self.default = default
        self._context = context
        self.log_path = log_path
        self.requests: list[CompletionRequest] = []
        self.batches: list[tuple[CompletionRequest, int]] = []  # each complete_many call: (request, n)
        self.scorer = scorer
        self.scored: list[tuple[CompletionRequest, str]] = []  # each score call: (request, continuation)
        self.closed = False
        self.delay = delay

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "FakeBackend":
        """Build from CODEX_FAKE_ANSWERS / CODEX_FAKE_CONTEXT / CODEX_FAKE_LOG / CODEX_FAKE_DELAY."""
        env = dict(os.environ) if env is None else env
        answers: list[Any] = []
        default = None
        path = env.get("CODEX_FAKE_ANSWERS")
        if path:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ConfigError(f"fake backend: cannot read CODEX_FAKE_ANSWERS={path}: {exc}") from None
            if isinstance(data, dict):
                answers = data.get("answers", [])
                default = data.get("default")
            else:
                answers = data
        context = int(env.get("CODEX_FAKE_CONTEXT", "4096"))
        log = env.get("CODEX_FAKE_LOG")
        delay = float(env.get("CODEX_FAKE_DELAY", "0") or 0)
        return cls(answers, default=default, context=context, log_path=Path(log) if log else None, delay=delay)

    # Backend protocol -------------------------------------------------------------------------

    def context_length(self) -> int:
        return self._context

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        # A rough stand-in for a tokenizer: about four characters per token.
        text = "".join(m.content for m in request.messages) + request.prefill
        return max(1, len(text) // 4)

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        start = time.perf_counter()
        self.requests.append(request)
        if self.log_path is not None:
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(asdict(request)) + "\n")
        scripted = self._next(request)
        text = scripted.answer
        # Stop sequences behave as in llama.cpp: the text is cut before the first one.
        for stop in request.stop:
            cut = text.find(stop)
            if cut != -1:
                text = text[:cut]
        pieces = text.split(" ")
        tokens = tuple(
            TokenLogprob(p if i == len(pieces) - 1 else p + " ", scripted.logprob) for i, p in enumerate(pieces)
        )
        for tok in tokens:
            if self.delay:
                time.sleep(self.delay)
            if on_token is not None:
                on_token(tok.text)
        return Completion(
            text=text,
            finish_reason="stop",
            prompt_tokens=self.count_prompt_tokens(request),
            completion_tokens=len(tokens),
            seconds=time.perf_counter() - start,
            tokens=tokens if request.logprobs else (),
        )

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        # Scripted answers are consumed in order, as n single requests would consume them.
        self.batches.append((request, n))
        return complete_each(self, request, n, on_token, greedy_first)

    def score(self, request: CompletionRequest, continuation: str) -> Scored:
        """The scorer's per-token log-probabilities, one token per word or symbol (see the
        module docstring); recorded in ``scored``."""
        self.scored.append((request, continuation))
        words = _WORD.findall(continuation)
        logprobs = self.scorer(request, continuation)
        if len(logprobs) != len(words):  # a custom scorer may count tokens its own way
            words = [f"<{i}>" for i in range(len(logprobs))]
        return Scored(tuple(TokenLogprob(w, lp) for w, lp in zip(words, logprobs, strict=True)))

    def describe(self) -> dict[str, object]:
        return {"backend": "fake", "model": "fake"}

    def close(self) -> None:
        self.closed = True

    # ------------------------------------------------------------------------------------------

    def _next(self, request: CompletionRequest) -> ScriptedAnswer:
        last_user = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
        for rule in self.rules:
            if rule.match and rule.match in last_user:
                return rule
        if self.queue:
            return self.queue.pop(0)
        if self.default is not None:
            return ScriptedAnswer(self.default)
        raise BackendError("fake backend: no scripted answer left for this request")
