"""Backend registry: the real llama.cpp backend and the fake one are chosen the same way.

``--backend NAME`` / ``CODEX_BACKEND`` / config ``backend`` select a factory by name. Factories
import their modules lazily so that choosing the fake backend never imports llama_cpp.
"""

from __future__ import annotations

from typing import Callable

from codexcli.backends.base import Backend, Completion, CompletionRequest, Message, TokenLogprob
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
        raise ConfigError(
            f"unknown backend {settings.backend!r} (available: {', '.join(available())})"
        ) from None
    return factory(settings)


def _llamacpp(settings: Settings) -> Backend:
    from codexcli.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend.from_settings(settings)


def _fake(settings: Settings) -> Backend:
    from codexcli.backends.fake import FakeBackend

    return FakeBackend.from_env()


register("llamacpp", _llamacpp)
register("fake", _fake)

__all__ = [
    "Backend",
    "Completion",
    "CompletionRequest",
    "Message",
    "TokenLogprob",
    "available",
    "create_backend",
    "register",
]
