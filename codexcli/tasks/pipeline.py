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

A task that judges more than one answer at a time implements the optional hooks as well
(``TaskHooks`` gives each a default that does nothing):

* **prepare(backend, target)**: an outcome without asking for an answer (optimize: a function it
  cannot run, or one without inputs to compare on; translate: constants codex writes itself),
  or None to ask; also the place for what asking needs first (optimize runs the original);
* **unfit(target, error)**: the outcome when the target's request does not fit the model's
  context (re-raised by default: the command stops with the error);
* **record(outcome)**: hears each target's outcome in order, so a later target can build on an
  earlier one (translate compiles each unit with the units before it; testgen merges each
  target's tests into the file the next target's tests run with);
* **unspliced(outcome, reason)**: a Done whose value did not fit with the others, as a Skipped;
* **finish(result)**: judges the whole spliced result (translate compiles the whole output and
  runs every function against the original; testgen runs the merged test file and measures
  coverage) and returns the final result; it may splice again through ``splice_outcomes``.

Per-task facts (``EditResult.facts``) are a frozen dataclass of the task's own
(``CommentFacts``, ``TranslateFacts``, ``TestgenFacts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Generic, Hashable, Mapping, Protocol, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.errors import PromptTooLongError
from codexcli.evidence import FORM_ONLY, Evidence, below_threshold_reason
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.tasks.common import Attempt, GaveUp, ask_with_retries

# A checker's "no": the same shape the answer parsers already return.
Rejected = ParseError

TargetT = TypeVar("TargetT")
ValueT = TypeVar("ValueT")
FactsT = TypeVar("FactsT")


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
    evidence: Evidence = FORM_ONLY  # how strongly codex knows the value is right

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
    # A value held back by the write threshold: the best candidate and its evidence, so that
    # --diff and --json can still show what the user may take by hand.
    candidate: Any = None
    evidence: Evidence | None = None


Outcome = Done[Any, Any] | Skipped[Any]


@dataclass(frozen=True)
class EditResult(Generic[FactsT]):
    """What a task did to one source: its text before and after, and each target's outcome;
    ``facts``: the task's own facts about the run (a frozen dataclass, e.g. CommentFacts)."""

    before: str
    after: str
    outcomes: tuple[Outcome, ...]
    model_calls: int = 0
    facts: FactsT = None  # type: ignore[assignment]  # None for a task without facts
    # --interactive: ``narrow(keep)`` is this result with only the Done targets ``keep`` accepts,
    # the others declined, spliced again by the task (run_task sets it; see ``narrowed``).
    narrow: Callable[[Callable[[Any], bool]], EditResult[FactsT]] | None = field(
        default=None, compare=False, repr=False
    )

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

    def prepare(self, backend: Backend, target: Any) -> Outcome | None: ...

    def unfit(self, target: Any, error: PromptTooLongError) -> Outcome: ...

    def record(self, outcome: Outcome) -> None: ...

    def unspliced(self, outcome: Done[Any, Any], reason: str) -> Skipped[Any]: ...

    def finish(self, result: EditResult[Any]) -> EditResult[Any]: ...

    def narrow(self, result: EditResult[Any], outcomes: list[Outcome]) -> EditResult[Any]: ...


class TaskHooks:
    """The optional hooks' defaults (see the module docstring): a task class inherits them and
    overrides the ones it needs."""

    def prepare(self, backend: Backend, target: Any) -> Outcome | None:
        """Nothing decided before asking: every target goes to the model."""
        return None

    def unfit(self, target: Any, error: PromptTooLongError) -> Outcome:
        """A request that does not fit stops the command."""
        raise error

    def record(self, outcome: Outcome) -> None:
        """Targets do not depend on each other."""

    def together_failed(self, reason: str) -> str:
        return f"the values do not fit together: {reason}"

    def unspliced(self, outcome: Done[Any, Any], reason: str) -> Skipped[Any]:
        """A value that fit alone but not with the others: skipped, saying why."""
        return Skipped(outcome.target, self.together_failed(reason), outcome.attempts)

    def finish(self, result: EditResult[Any]) -> EditResult[Any]:
        """Nothing to judge of the whole result."""
        return result

    def narrow(self, result: EditResult[Any], outcomes: list[Outcome]) -> EditResult[Any]:
        """``result`` with ``outcomes`` (some Done declined): their values spliced again into
        the text before. A task whose values depend on each other overrides it (translate)."""
        return splice_outcomes(self, result.before, outcomes, result.model_calls, result.facts)  # type: ignore[arg-type]


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
    facts: Any = None,
    threshold: str | None = None,
) -> EditResult[Any]:
    """Run ``task`` on each of ``targets`` of ``source`` and splice what was verified.

    ``skipped`` are targets the caller already ruled out (kept in the outcomes, in source order).
    ``known(target)`` may answer without the model (a cache hit); ``remember(target, outcome)``
    hears every outcome the model produced. ``draw(backend, request, target)`` replaces the
    ask-with-retries loop (several samples and verified selection). ``on_start`` is called
    before a target goes to the model (or to the task's ``prepare``). The task's ``record``
    hears every outcome in order, and its ``finish`` judges the spliced result. With
    ``threshold`` (an evidence level), a Done whose evidence is weaker is held back
    (``hold_back``) before anything is spliced.
    """
    outcomes: list[Outcome] = list(skipped)
    calls = 0
    for number, target in enumerate(targets, start=1):
        if known is not None and (hit := known(target)) is not None:
            task.record(hit)
            outcomes.append(hit)
            continue
        if on_start is not None:
            on_start(target, number, len(targets))
        live = backend()
        outcome = task.prepare(live, target)
        if outcome is None:
            outcome = _ask(task, live, target, retries, draw, on_token)
            if remember is not None:
                remember(target, outcome)
        calls += len(outcome.attempts)
        task.record(outcome)
        outcomes.append(outcome)
    outcomes.sort(key=lambda o: task.key(o.target))  # type: ignore[arg-type, return-value]
    if threshold is not None:
        outcomes = hold_back(outcomes, threshold)
    final = task.finish(splice_outcomes(task, source, outcomes, calls, facts))
    return replace(final, narrow=lambda keep: narrowed(task, final, keep))


DECLINED = "declined"


def narrowed(task: Task, result: EditResult[Any], keep: Callable[[Any], bool]) -> EditResult[Any]:
    """``result`` with only the Done targets that ``keep`` accepts: each other one becomes a
    Skipped (status "declined", its value kept as the candidate), and the task splices the rest
    again (``narrow``). What --interactive writes when the user says no to some targets."""
    outcomes: list[Outcome] = [
        o
        if not isinstance(o, Done) or keep(o.target)
        else Skipped(
            o.target,
            "declined at the --interactive prompt",
            o.attempts,
            o.cached,
            status=DECLINED,
            detail=o.detail,
            candidate=o.value,
            evidence=o.evidence,
        )
        for o in result.outcomes
    ]
    return task.narrow(result, outcomes)


def hold_back(outcomes: Sequence[Outcome], threshold: str) -> list[Outcome]:
    """Each Done whose evidence is below ``threshold`` becomes a Skipped ("below threshold")
    that keeps the value as its ``candidate`` and its evidence: not written, still reported."""
    return [
        o
        if not isinstance(o, Done) or o.evidence.at_least(threshold)
        else Skipped(
            o.target,
            below_threshold_reason(o.evidence, threshold),
            o.attempts,
            o.cached,
            status="below threshold",
            detail=o.detail,
            candidate=o.value,
            evidence=o.evidence,
        )
        for o in outcomes
    ]


def _ask(
    task: Task,
    backend: Backend,
    target: Any,
    retries: int,
    draw: Callable[[Backend, CompletionRequest, Any], Outcome] | None,
    on_token: TokenCallback | None,
) -> Outcome:
    """One target's outcome from the model: its request (``task.unfit`` when it does not fit),
    then ``draw`` or the ask-with-retries loop."""
    try:
        request = task.request(backend, target)
    except PromptTooLongError as error:
        return task.unfit(target, error)
    if draw is not None:
        return draw(backend, request, target)
    return ask_target(task, backend, request, target, retries, on_token)


def splice_outcomes(task: Task, source: str, outcomes: list[Outcome], calls: int, facts: Any) -> EditResult[Any]:
    """Every Done value spliced into ``source`` at once: the only splice path of every task.
    Each value was checked alone; if together they do not fit (should not happen), nothing is
    written and each Done becomes a Skipped (``task.unspliced``)."""
    values = {task.key(o.target): o.value for o in outcomes if isinstance(o, Done)}
    if not values:
        return EditResult(source, source, tuple(outcomes), calls, facts)
    combined = task.splice(source, values)
    if isinstance(combined, Spliced):
        return EditResult(source, combined.text, tuple(outcomes), calls, facts)
    failed = tuple(task.unspliced(o, combined.reason) if isinstance(o, Done) else o for o in outcomes)
    return EditResult(source, source, failed, calls, facts)
