"""The one shape of every task, and the driver that runs any of them.

A task is four things, the way a LibCST codemod is only its transform and an Aider coder only a
prompt and a parser:

* **targets**: what in a source it works on (stubs, undocumented definitions, ...), found by the
  caller with the task's own finder and passed to the driver;
* **request(target)**: the model request for one target (prompt rendered with its context);
* **check(target, answer)**: the verified value, or ``Rejected(reason)``; the reason is fed back
  to the model through **feedback(target, reason)** (text from prompts/<task>.toml);
* **splice(source, values)**: every accepted value put into the source at once, or why not.

``run_task`` does the rest the same way for every task: asks each target in order (with retries
and the rejection fed back), consults the task's ``known``/``remember`` hooks (a result cache)
and ``draw`` hook (several samples and verified selection) when it has them, splices all accepted
values together, and returns an ``EditResult`` (before, after, one outcome per target). The model
is created only when a target needs it (``backend`` is a zero-argument provider).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Hashable, Mapping, Protocol, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.tasks.common import Attempt, GaveUp, ask_with_retries

# A checker's "no": the same shape the answer parsers already return.
Rejected = ParseError

TargetT = TypeVar("TargetT")
ValueT = TypeVar("ValueT")


@dataclass(frozen=True)
class Done(Generic[TargetT, ValueT]):
    """A target that received a verified value (from the model, or from the cache)."""

    target: TargetT
    value: Any
    attempts: tuple[Attempt, ...] = ()
    cached: bool = False
    selection: Any = None  # tasks.select.Selection when drawn from several samples
    status: str = "done"  # the task's word for it: "filled", "documented", "translated"
    detail: Any = None  # the task's own per-target report (checks run, candidates, coverage)
    note: str = ""  # e.g. "repaired: ..." when a deterministic repair made the answer pass

    @property
    def reason(self) -> str:
        parts = [self.selection.reason if self.selection is not None else "", self.note]
        return "; ".join(p for p in parts if p)


@dataclass(frozen=True)
class Skipped(Generic[TargetT]):
    """A target left as it was, and why."""

    target: TargetT
    reason: str
    attempts: tuple[Attempt, ...] = ()
    cached: bool = False
    status: str = "skipped"  # the task's word for it: "skipped", "kept original", "failed", "dropped"
    detail: Any = None  # the task's own per-target report, as on Done


Outcome = Done[Any, Any] | Skipped[Any]


@dataclass(frozen=True)
class EditResult:
    """What a task did to one source: its text before and after, and each target's outcome."""

    before: str
    after: str
    outcomes: tuple[Outcome, ...]
    model_calls: int = 0
    facts: Mapping[str, Any] = field(default_factory=dict)  # task-specific (e.g. the docstring style)

    @property
    def changed(self) -> bool:
        """True when the text changed."""
        return self.before != self.after

    @property
    def done(self) -> list[Done[Any, Any]]:
        """The targets that received a value."""
        return [o for o in self.outcomes if isinstance(o, Done)]

    @property
    def skipped(self) -> list[Skipped[Any]]:
        """The targets left as they were, each with its reason."""
        return [o for o in self.outcomes if isinstance(o, Skipped)]

    @property
    def details(self) -> list[Any]:
        """Each outcome's task-specific report (``detail``), in outcome order."""
        return [o.detail for o in self.outcomes]


class Task(Protocol):
    """What a task module implements (see the module docstring)."""

    done_status: str  # how a Done outcome is named in reports

    def request(self, backend: Backend, target: Any) -> CompletionRequest: ...

    def check(self, target: Any, answer: str) -> Any: ...

    def feedback(self, target: Any, reason: str) -> str: ...

    def splice(self, source: str, values: Mapping[Any, Any]) -> Spliced | SpliceFailed: ...

    def key(self, target: Any) -> Hashable: ...

    def together_failed(self, reason: str) -> str: ...


def ask_target(
    task: Task,
    backend: Backend,
    request: CompletionRequest,
    target: Any,
    retries: int,
    on_token: TokenCallback | None = None,
) -> Outcome:
    """One target's outcome from the ask-with-retries loop: ``task.check`` on each answer,
    ``task.feedback`` on a rejection, at most ``retries`` more attempts."""
    asked = ask_with_retries(
        backend,
        request,
        lambda answer: task.check(target, answer),
        retries=retries,
        feedback=lambda reason: task.feedback(target, reason),
        on_token=on_token,
    )
    if isinstance(asked, GaveUp):
        return Skipped(target, asked.reason, asked.attempts)
    return Done(target, asked.value, asked.attempts, status=task.done_status)


def run_task(
    task: Task,
    source: str,
    targets: Sequence[Any],
    backend: Callable[[], Backend],
    *,
    retries: int,
    skipped: Sequence[Skipped[Any]] = (),
    known: Callable[[Any], Outcome | None] | None = None,
    remember: Callable[[Any, Outcome], None] | None = None,
    draw: Callable[[Backend, CompletionRequest, Any], Outcome] | None = None,
    on_start: Callable[[Any, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
    facts: Mapping[str, Any] | None = None,
) -> EditResult:
    """Run ``task`` on each of ``targets`` of ``source`` and splice what was verified.

    ``skipped`` are targets the caller already ruled out (kept in the outcomes, in source order).
    ``known(target)`` may answer without the model (a cache hit); ``remember(target, outcome)``
    hears every outcome the model produced. ``draw(backend, request, target)`` replaces the
    ask-with-retries loop (several samples and verified selection). ``on_start`` is called
    before a target goes to the model.
    """
    outcomes: list[Outcome] = list(skipped)
    calls = 0
    for number, target in enumerate(targets, start=1):
        if known is not None and (hit := known(target)) is not None:
            outcomes.append(hit)
            continue
        if on_start is not None:
            on_start(target, number, len(targets))
        live = backend()
        request = task.request(live, target)
        if draw is not None:
            outcome = draw(live, request, target)
        else:
            outcome = ask_target(task, live, request, target, retries, on_token)
        calls += len(outcome.attempts)
        if remember is not None:
            remember(target, outcome)
        outcomes.append(outcome)
    outcomes.sort(key=lambda o: task.key(o.target))  # type: ignore[arg-type, return-value]
    return splice_outcomes(task, source, outcomes, calls, facts or {})


def splice_outcomes(
    task: Task, source: str, outcomes: list[Outcome], calls: int, facts: Mapping[str, Any]
) -> EditResult:
    """Every Done value spliced into ``source`` at once. Each value was checked alone; if together
    they do not fit (should not happen), nothing is written and each Done becomes a Skipped."""
    values = {task.key(o.target): o.value for o in outcomes if isinstance(o, Done)}
    if not values:
        return EditResult(source, source, tuple(outcomes), calls, facts)
    combined = task.splice(source, values)
    if isinstance(combined, Spliced):
        return EditResult(source, combined.text, tuple(outcomes), calls, facts)
    failed = tuple(
        Skipped(o.target, task.together_failed(combined.reason), o.attempts) if isinstance(o, Done) else o
        for o in outcomes
    )
    return EditResult(source, source, failed, calls, facts)
