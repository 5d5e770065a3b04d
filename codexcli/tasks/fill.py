"""`codex generate --fill`: bodies for stub functions (Codex-S).

Each stub gets a request with the file as context; an answer is accepted only when its body
splices into the original file, compiles there and uses no undefined names. With ``--samples N``
the best of N candidates is kept by verified selection (the evidence comes from
tasks/select_fill.py, the ranking from tasks/select.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from codexcli.answers import ParseError, extract_function_body
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import SpliceFailed, Spliced, StubTarget, find_stubs, replace_bodies
from codexcli.tasks.common import Accepted, Attempt, ask_with_retries, request_with_context
from codexcli.tasks.select import draw_candidates, rank
from codexcli.tasks.select_fill import find_tests, splice_body, stub_evidence, test_runner
from codexcli.verify.names import undefined_names


@dataclass(frozen=True)
class Filled:
    """A stub that received a verified body."""

    target: StubTarget
    body: str
    attempts: tuple[Attempt, ...]
    selection: Any = None  # tasks.select.Selection when drawn with --samples N

    status = "filled"

    @property
    def reason(self) -> str:
        return self.selection.reason if self.selection is not None else ""


@dataclass(frozen=True)
class Skipped:
    """A stub left as it was, and why."""

    target: StubTarget
    reason: str
    attempts: tuple[Attempt, ...] = ()

    status = "skipped"


FillOutcome = Filled | Skipped


@dataclass(frozen=True)
class FillResult:
    """What --fill did to one file: the text before and after, and each stub's outcome."""

    before: str
    after: str
    outcomes: tuple[FillOutcome, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def filled(self) -> list[Filled]:
        return [o for o in self.outcomes if isinstance(o, Filled)]

    @property
    def skipped(self) -> list[Skipped]:
        return [o for o in self.outcomes if isinstance(o, Skipped)]


def select_stubs(stubs: Iterable[StubTarget], only: Iterable[str] = ()) -> list[StubTarget]:
    """Stubs named in ``only`` (qualified or bare names), or all of them."""
    wanted = set(only)
    stubs = list(stubs)
    if not wanted:
        return stubs
    chosen = [s for s in stubs if s.qualname in wanted or s.name in wanted]
    unknown = wanted - {s.qualname for s in chosen} - {s.name for s in chosen}
    if unknown:
        names = ", ".join(s.qualname for s in stubs) or "none"
        raise UsageError(f"no stub function named {', '.join(sorted(unknown))} (stubs in the file: {names})")
    return chosen


def fill_request(
    prompt: PromptTemplate, backend: Backend, source: str, path: str, target: StubTarget, settings: Settings
) -> CompletionRequest:
    """The request for one stub: with the whole file as context when it fits, else only the stub."""
    contexts = (source.replace("\r\n", "\n").rstrip("\n"), target.header.rstrip("\n"))
    return request_with_context(
        backend, prompt, settings, contexts, where=path, label=f"the stub {target.qualname}",
        path=path, qualname=target.qualname, header=target.header,
    )


def fill_feedback(target: StubTarget) -> Callable[[str], str]:
    def feedback(reason: str) -> str:
        return (
            f"That answer was rejected: {reason}. Write the complete function `{target.name}` again, "
            f"keeping its signature exactly, in one ```python code block."
        )

    return feedback


def fill_parser(source: str, target: StubTarget) -> Callable[[str], str | ParseError]:
    """The parse step of --fill for one stub: the body of the answer, accepted only if it splices
    into ``source``, compiles there, and uses no undefined names."""

    def parse(answer: str) -> str | ParseError:
        body = extract_function_body(answer, target.name, target.params, is_async=target.is_async)
        if isinstance(body, ParseError):
            return body
        spliced = replace_bodies(source, {target.index: body.code})
        if isinstance(spliced, SpliceFailed):
            return ParseError(spliced.reason)
        missing = undefined_names(spliced.text, target.name, target.lineno)
        if missing:
            return ParseError(f"the body uses names that are not defined anywhere: {', '.join(missing)}")
        return body.code

    return parse


def fill_one_by_selection(
    backend: Backend,
    request: CompletionRequest,
    source: str,
    path: str,
    target: StubTarget,
    samples: int,
    *,
    strategy: str = "verified",
    workers: int | None = None,
    on_token: TokenCallback | None = None,
    greedy_first: bool = True,
) -> FillOutcome:
    """Fill one stub with the best of ``samples`` candidates: a Filled carrying the Selection,
    or a Skipped when no candidate parsed."""
    candidates = draw_candidates(backend, request, fill_parser(source, target), samples, on_token=on_token,
                                 greedy_first=greedy_first)
    attempts = tuple(Attempt(c.output, c.error, c.completion_tokens, c.seconds) for c in candidates)

    def module_of(body: str) -> str:
        return splice_body(source, target.index, body)

    examples, inputs = stub_evidence(target)
    tests = find_tests(Path(path), target.name) if strategy == "verified" else []
    run_tests = test_runner(Path(path), tests) if tests else None
    selection = rank(
        candidates, module_of=module_of, name=target.name, examples=examples, inputs=inputs,
        tests=(lambda body: run_tests(module_of(body))) if run_tests else None,
        strategy=strategy, workers=workers,
    )
    chosen = selection.chosen
    if chosen is None:
        return Skipped(target, selection.reason, attempts)
    return Filled(target, chosen.candidate.value, attempts, selection)  # type: ignore[arg-type]


def fill_stubs(
    backend: Backend,
    prompt: PromptTemplate,
    source: str,
    path: str,
    settings: Settings,
    *,
    only: Iterable[str] = (),
    on_start: Callable[[StubTarget, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
    samples: int = 1,
    strategy: str = "verified",
    workers: int | None = None,
) -> FillResult:
    """Fill every selected stub of ``source``; each body is checked by splicing it into the
    original file and compiling the result. Returns the new text (unchanged when nothing passed).

    With ``samples`` > 1 each stub gets that many candidates and the best one by verified
    selection (tasks/select.py; ``strategy`` "verified" or "logprob") is kept.

    Prompts all use the original file as context, so they share a prefix (llama.cpp reuses its
    KV cache) and function indexes stay valid however many bodies are accepted.
    """
    stubs = select_stubs(find_stubs(source), only)
    outcomes: list[FillOutcome] = []
    for number, target in enumerate(stubs, start=1):
        if on_start is not None:
            on_start(target, number, len(stubs))
        request = fill_request(prompt, backend, source, path, target, settings)
        if samples > 1:
            outcomes.append(
                fill_one_by_selection(
                    backend, request, source, path, target, samples, strategy=strategy,
                    workers=workers, on_token=on_token,
                )
            )
            continue
        outcome = ask_with_retries(
            backend, request, fill_parser(source, target), retries=settings.retries,
            feedback=fill_feedback(target), on_token=on_token,
        )
        if isinstance(outcome, Accepted):
            outcomes.append(Filled(target, outcome.value, outcome.attempts))
        else:
            outcomes.append(Skipped(target, outcome.reason, outcome.attempts))

    bodies = {o.target.index: o.body for o in outcomes if isinstance(o, Filled)}
    if not bodies:
        return FillResult(source, source, tuple(outcomes))
    combined = replace_bodies(source, bodies)
    if isinstance(combined, Spliced):
        return FillResult(source, combined.text, tuple(outcomes))
    # Each body compiled on its own; together they do not (should not happen): write nothing.
    failed = tuple(
        Skipped(o.target, f"the bodies do not compile together: {combined.reason}", o.attempts)
        if isinstance(o, Filled)
        else o
        for o in outcomes
    )
    return FillResult(source, source, failed)
