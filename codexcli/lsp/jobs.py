"""Model work off the event loop: one worker thread, one shared model, cancellation by flag.

The model is not thread-safe and uses every core, so jobs run one at a time on a single worker
thread; the event loop keeps answering ``initialize``, document sync, cancellations and
``shutdown`` while a job runs. The backend is created on the first job that needs it (the same
backend registry as the CLI) and kept for the next ones, until the settings that choose it
change or the server shuts down.

A job is cancelled by setting its flag: the backend wrapper (``CancellableBackend``) checks it
before every model call and on every generated token, and raises ``Cancelled``, which is a
BaseException so that no ``except Exception`` in the task code swallows it. A token arrives many
times a second, so a cancelled generation stops within about a second.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from codexcli.backends import Backend, create_backend
from codexcli.backends.base import Completion, CompletionRequest, ManyTokenCallback, TokenCallback, score
from codexcli.config import Settings

T = TypeVar("T")


class Cancelled(BaseException):
    """The job was cancelled by the client ($/cancelRequest, a cancelled progress, shutdown)."""


@dataclass(eq=False)
class Job:
    """One request's work: its cancel flag and its progress (tokens so far, the stage's words).
    ``report(message)`` is called from the worker thread (the server sends it on the loop)."""

    report: Callable[[str], None] = lambda message: None
    cancelled: threading.Event = field(default_factory=threading.Event)
    stage: str = ""
    tokens: int = 0
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    def check(self) -> None:
        """Raise Cancelled when the job was cancelled."""
        if self.cancelled.is_set():
            raise Cancelled()

    def set_stage(self, stage: str) -> None:
        """A new stage ("filling f (1/2)"): reported at once."""
        self.check()
        self.stage = stage
        self.report(self.describe())

    def token(self, text: str = "") -> None:
        """One generated token: counted, reported at most twice a second."""
        self.check()
        self.tokens += 1
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            self.report(self.describe())

    def describe(self) -> str:
        """The progress line: the stage, then tokens and tokens per second."""
        seconds = max(time.monotonic() - self.started, 1e-6)
        rate = f"{self.tokens} tokens, {self.tokens / seconds:.1f} tok/s" if self.tokens else ""
        return "; ".join(p for p in (self.stage, rate) if p)


class CancellableBackend:
    """A backend whose calls stop when ``job`` is cancelled (before a call and on each token);
    every token also counts toward the job's progress."""

    def __init__(self, inner: Backend, job: Job) -> None:
        self.inner = inner
        self.job = job
        self.name = inner.name

    def context_length(self) -> int:
        return self.inner.context_length()

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        return self.inner.count_prompt_tokens(request)

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        self.job.check()

        def each(text: str) -> None:
            self.job.token(text)
            if on_token is not None:
                on_token(text)

        return self.inner.complete(request, each)

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        self.job.check()

        def each(index: int, text: str) -> None:
            self.job.token(text)
            if on_token is not None:
                on_token(index, text)

        return self.inner.complete_many(request, n, each, greedy_first)

    def score(self, request: CompletionRequest, continuation: str) -> Any:
        self.job.check()
        return score(self.inner, request, continuation)

    def describe(self) -> dict[str, object]:
        return self.inner.describe()

    def close(self) -> None:
        """The shared model outlives the job: closed by SharedModel only."""


def _identity(settings: Settings) -> tuple[Any, ...]:
    """What chooses the model: a change of these loads another one."""
    return (settings.backend, settings.model, settings.adapter, settings.base_url, settings.n_gpu_layers)


class SharedModel:
    """The server's one backend, created on first use (in the worker thread) and kept."""

    def __init__(self, factory: Callable[[Settings], Backend] = create_backend) -> None:
        self._factory = factory
        self._backend: Backend | None = None
        self._key: tuple[Any, ...] | None = None
        self.loads = 0

    def get(self, settings: Settings) -> Backend:
        """The backend for ``settings``: the loaded one, or a new one (the old one closed)."""
        key = _identity(settings)
        if self._backend is None or self._key != key:
            self.close()
            self._backend = self._factory(settings)
            self._key = key
            self.loads += 1
        return self._backend

    def close(self) -> None:
        """Release the model (at shutdown, or before loading another)."""
        if self._backend is not None:
            backend, self._backend = self._backend, None
            backend.close()


class Worker:
    """One thread for model work; ``submit`` returns a concurrent Future."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codex-lsp-worker")
        self.model = SharedModel()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        """Close the model (on the worker thread, after the running job) and stop the thread."""
        self._pool.submit(self.model.close)
        self._pool.shutdown(wait=False, cancel_futures=False)
