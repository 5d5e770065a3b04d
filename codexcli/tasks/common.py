"""What every task shares: fitting a prompt in the context, and asking again with the error.

A small model is often wrong in ways it can fix when told why (an unclosed bracket, a changed
signature), so a rejected answer is fed back as the next user turn, up to ``retries`` times.
Retries after a greedy first try sample with a little temperature, so a deterministic model
does not repeat the same mistake word for word.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Generic, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, Completion, CompletionRequest, Message, TokenCallback
from codexcli.errors import PromptTooLongError
from codexcli.index.related import NO_RELATED, RelatedCode

if TYPE_CHECKING:
    from codexcli.config import Settings
    from codexcli.prompts import PromptTemplate

T = TypeVar("T")

# The fewest answer tokens worth running the model for.
MIN_ANSWER_TOKENS = 32
RETRY_TEMPERATURE_STEP = 0.3


@dataclass(frozen=True)
class Attempt:
    """One model answer and, if it was rejected, why."""

    output: str
    error: str | None
    completion_tokens: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Accepted(Generic[T]):
    """A parsed, verified value and the attempts it took."""

    value: T
    attempts: tuple[Attempt, ...]
    completion: Completion


@dataclass(frozen=True)
class GaveUp:
    """Every attempt was rejected; ``reason`` is the last rejection."""

    reason: str
    attempts: tuple[Attempt, ...]


def fit_request(backend: Backend, request: CompletionRequest) -> CompletionRequest:
    """Return ``request`` with max_tokens trimmed to the room left in the context, or raise
    PromptTooLongError before the model runs when the prompt itself does not fit."""
    prompt_tokens = backend.count_prompt_tokens(request)
    limit = backend.context_length()
    room = limit - prompt_tokens
    if room < MIN_ANSWER_TOKENS:
        raise PromptTooLongError(
            f"the prompt needs {prompt_tokens} tokens but the model's context holds {limit} "
            f"(with at least {MIN_ANSWER_TOKENS} left for the answer)",
            hint="use a smaller input or a model with a longer context",
        )
    if request.max_tokens > room:
        return dataclasses.replace(request, max_tokens=room)
    return request


def whole_file(source: str) -> str:
    """A file as prompt context: LF line endings, no trailing blank lines (the first, and best,
    context a task offers; the same text for every target keeps the prompts prefix-shared)."""
    return source.replace("\r\n", "\n").rstrip("\n")


def task_request(
    messages: tuple[Message, ...], prefill: str, prompt: PromptTemplate, settings: Settings
) -> CompletionRequest:
    """A rendered prompt as a request with the run's sampling settings and the prompt's stops."""
    return CompletionRequest(
        messages=messages,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        stop=prompt.stop,
        seed=settings.seed,
        prefill=prefill,
    )


def request_with_context(
    backend: Backend,
    prompt: PromptTemplate,
    settings: Settings,
    contexts: Sequence[str],
    *,
    where: str,
    label: str,
    related: RelatedCode = NO_RELATED,
    on_related: Callable[[int], None] | None = None,
    **values: str,
) -> CompletionRequest:
    """The request for ``prompt`` rendered with the first of ``contexts`` (as ``$context``, e.g.
    the whole file, then only the target) that fits the model's context, fitted by fit_request.
    PromptTooLongError ("WHERE: even LABEL alone does not fit") when even the last one does not.

    ``related`` fills ``$related``: with each context, first with every related definition, then
    with none (the file matters more than examples from elsewhere). ``on_related`` hears how many
    were shown (0 also when the prompt has no ``$related``). The templates put ``$related`` after
    the shared part (the file), so the prompts of one file's targets still share their prefix."""
    uses_related = "$related" in prompt.user or "${related}" in prompt.user
    counts = [len(related.items), 0] if related.items and uses_related else [0]
    for number, context in enumerate(contexts):
        for count in counts:
            messages, prefill = prompt.render(context=context, related=related.render(count), **values)
            request = task_request(messages, prefill, prompt, settings)
            try:
                fitted = fit_request(backend, request)
            except PromptTooLongError as exc:
                if number == len(contexts) - 1 and count == 0:
                    raise PromptTooLongError(
                        f"{where}: even {label} alone does not fit: {exc}", hint=exc.hint
                    ) from None
                continue
            if on_related is not None:
                on_related(count)
            return fitted
    raise ValueError("no context to render")


def ask_with_retries(
    backend: Backend,
    request: CompletionRequest,
    parse: Callable[[str], T | ParseError],
    *,
    retries: int = 2,
    feedback: Callable[[str], str],
    on_token: TokenCallback | None = None,
    on_attempt: Callable[[int, str | None], None] | None = None,
) -> Accepted[T] | GaveUp:
    """Ask, parse, and on rejection ask again with the reason, at most ``retries`` more times.

    ``parse`` receives the full answer (the prefill plus what the model generated).
    """
    attempts: list[Attempt] = []
    current = request
    for number in range(retries + 1):
        try:
            fitted = fit_request(backend, current)
        except PromptTooLongError:
            if number == 0:
                raise
            break  # the conversation with feedback outgrew the context
        completion = backend.complete(fitted, on_token)
        output = fitted.prefill + completion.text
        result = parse(output)
        if isinstance(result, ParseError):
            attempts.append(Attempt(output, result.reason, completion.completion_tokens, completion.seconds))
            if on_attempt is not None:
                on_attempt(number + 1, result.reason)
            retry_temperature = max(request.temperature, RETRY_TEMPERATURE_STEP * (number + 1))
            current = dataclasses.replace(
                request,
                messages=request.messages + (Message("assistant", output), Message("user", feedback(result.reason))),
                temperature=min(retry_temperature, 1.0),
            )
            continue
        attempts.append(Attempt(output, None, completion.completion_tokens, completion.seconds))
        if on_attempt is not None:
            on_attempt(number + 1, None)
        return Accepted(result, tuple(attempts), completion)
    reason = attempts[-1].error if attempts else "no attempt fit in the context"
    return GaveUp(reason or "rejected", tuple(attempts))
