"""Backend registry: the real llama.cpp backend and the fake one are chosen the same way.

``--backend NAME`` / ``CODEX_BACKEND`` / config ``backend`` select a factory by name. Factories
import their modules lazily so that choosing the fake backend never imports llama_cpp.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Callable

from codexcli.backends.base import (
    Backend,
    Completion,
    CompletionRequest,
    ManyTokenCallback,
    Message,
    Scored,
    Scorer,
    TokenLogprob,
    complete_each,
    sample_seeds,
    score,
)
from codexcli.config import Settings
from codexcli.errors import ConfigError

BackendFactory = Callable[[Settings], Backend]
_REGISTRY: dict[str, BackendFactory] = {}


def register(name: str, factory: BackendFactory) -> None:
    """Make a backend available under ``name``."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    """Names of the registered backends."""
    return sorted(_REGISTRY)


def create_backend(settings: Settings) -> Backend:
    """Build the backend named in ``settings.backend``."""
    try:
        factory = _REGISTRY[settings.backend]
    except KeyError:
        raise ConfigError(f"unknown backend {settings.backend!r} (available: {', '.join(available())})") from None
    return factory(settings)


class BackendSlot:
    """The backend of one command run: created on the first call, closed when the ``with``
    block ends. A run with nothing to do (no stubs, every docstring cached) loads no model.

        with open_backend(settings) as backend:
            completion = backend().complete(request)
    """

    def __init__(self, factory: Callable[[], Backend]) -> None:
        self._factory = factory
        self._backend: Backend | None = None

    @property
    def created(self) -> bool:
        """Whether the backend was ever needed."""
        return self._backend is not None

    def __call__(self) -> Backend:
        if self._backend is None:
            self._backend = self._factory()
        return self._backend

    def __enter__(self) -> "BackendSlot":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None


def open_backend(settings: Settings, log: Path | None = None) -> BackendSlot:
    """The backend named in ``settings``, created lazily (see BackendSlot); with ``log``
    (--verbose) every prompt and answer is appended there (backends/logged.py)."""
    if log is None:
        return BackendSlot(lambda: create_backend(settings))

    def logged() -> Backend:
        from codexcli.backends.logged import LoggedBackend

        log.parent.mkdir(parents=True, exist_ok=True)
        return LoggedBackend(create_backend(settings), log)

    return BackendSlot(logged)


def _llamacpp(settings: Settings) -> Backend:
    from codexcli.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend.from_settings(settings)


def _fake(settings: Settings) -> Backend:
    from codexcli.backends.fake import FakeBackend

    return FakeBackend.from_env()


def _openai(settings: Settings) -> Backend:
    from codexcli.backends.openai import OpenAIBackend

    return OpenAIBackend.from_settings(settings)


register("llamacpp", _llamacpp)
register("openai", _openai)
register("fake", _fake)

__all__ = [
    "Backend",
    "BackendSlot",
    "Completion",
    "CompletionRequest",
    "ManyTokenCallback",
    "Message",
    "Scored",
    "Scorer",
    "TokenLogprob",
    "available",
    "complete_each",
    "create_backend",
    "open_backend",
    "register",
    "sample_seeds",
    "score",
]
