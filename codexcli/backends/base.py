"""The Backend protocol and the request/completion values that cross it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, runtime_checkable


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

    @property
    def mean_logprob(self) -> float | None:
        """Mean per-token log-probability (Codex's ranking heuristic), if logprobs were asked for."""
        if not self.tokens:
            return None
        return sum(t.logprob for t in self.tokens) / len(self.tokens)

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.seconds if self.seconds > 0 else 0.0


TokenCallback = Callable[[str], None]


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

    def describe(self) -> dict[str, object]:
        """Identity of the backend and model, for reports and cache keys."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...
