"""`codex comment` (Codex-D): docstrings for what lacks one, never touching code.

Pipeline per file: find targets (module, classes, functions) -> keep those without a docstring
(or all with overwrite; only named ones; only those the staged change touches) -> look each up
in the result cache -> ask the model for the rest (the file as a shared prompt prefix, the
target last) -> gates (prose, parameters, returns, length), with repairs, then the meaning checks
(tasks/comment/facts.py: evidence "meaning", else "form"), and when every answer fails, a docstring
assembled from parts (tasks/comment/parts.py) -> hold back what is below the evidence threshold ->
splice each docstring alone, then all together, each time checking that only docstrings changed. The backend is created on the
first target that needs the model: a file with nothing to do, or all of it cached, loads nothing.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.cache import ResultCache
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.evidence import FORM_ONLY, Evidence, strength, threshold_for
from codexcli.prompts import PromptTemplate, load_prompt
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.splice.docstring import DocTarget, find_targets, insert_docstrings
from codexcli.tasks.comment.backtranslate import back_translate
from codexcli.tasks.comment.docstyle import (
    DEFAULT_STYLE,
    STYLES,
    check_docstring,
    clean_answer,
    detect_style,
)
from codexcli.tasks.comment.examples import examples_docstring, examples_done, observed_examples
from codexcli.tasks.comment.examples import facts as facts_of_examples
from codexcli.tasks.comment.facts import Meaning, MeaningCheck, check_grounded, check_meaning, drop_raises
from codexcli.tasks.comment.memo import TASK, Remembered, cache_key
from codexcli.tasks.comment.parts import assemble_outcome
from codexcli.tasks.comment.repair import repair_docstring
from codexcli.tasks.comment.request import comment_request
from codexcli.tasks.comment.reviewer import reviewer_check
from codexcli.tasks.pipeline import Done, EditResult, Skipped, TaskHooks, ask_target, run_task
from codexcli.tasks.samples import draw_and_choose

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

# Docstrings are short: without an explicit --max-tokens a rambling answer is cut here.
DEFAULT_MAX_TOKENS = 256
_SKIP_DECORATORS = {"overload", "typing.overload"}


# A documented target's docstring is its Done outcome's ``value``.
Documented = Done
Outcome = Done[DocTarget, str] | Skipped[DocTarget]


@dataclass(frozen=True)
class CommentFacts:
    """What `codex comment` reports of a file besides its outcomes (``EditResult.facts``)."""

    style: str  # the docstring style written: asked for, or detected from the file


def resolve_style(style: str | None, targets: Iterable[DocTarget]) -> str:
    """The style asked for, else the one most existing docstrings use, else google."""
    if style:
        if style not in STYLES:
            raise UsageError(f"unknown docstring style {style!r}; choose one of {', '.join(STYLES)}")
        return style
    return detect_style([t.docstring for t in targets if t.docstring]) or DEFAULT_STYLE


def _decorators(target: DocTarget) -> set[str]:
    return {line.strip()[1:].split("(")[0] for line in target.code.splitlines()[: target.lineno - target.start]}


def intersects(target: DocTarget, ranges: Iterable[tuple[int, int]]) -> bool:
    """True when a changed line range touches the target. A module docstring goes on line 1, so
    the module counts as touched only when the change reaches the top of the file."""
    lo, hi = (1, 1) if target.kind == "module" else (target.start, target.end)
    return any(a <= hi and b >= lo for a, b in ranges)


def select_targets(
    targets: list[DocTarget],
    *,
    overwrite: bool = False,
    only: Iterable[str] = (),
    ranges: list[tuple[int, int]] | None = None,
    module_has_code: bool = True,
) -> tuple[list[DocTarget], list[Skipped]]:
    """(targets to document, targets that need one but cannot get one, with the reason)."""
    wanted = set(only)
    chosen: list[DocTarget] = []
    skipped: list[Skipped] = []
    for t in targets:
        if t.docstring is not None and not overwrite:
            continue
        if t.kind == "module" and not module_has_code:
            continue
        if wanted and t.qualname not in wanted and t.name not in wanted:
            continue
        if ranges is not None and not intersects(t, ranges):
            continue
        if t.one_line_body:
            skipped.append(Skipped(t, "one-line body: a docstring cannot go in without reformatting the code"))
        elif _decorators(t) & _SKIP_DECORATORS:
            skipped.append(Skipped(t, "@overload: the implementation carries the docstring"))
        else:
            chosen.append(t)
    return chosen, skipped


def verify_docstring(source: str, target: DocTarget, style: str, text: str) -> str | ParseError:
    """``text`` when it passes the gates and splices alone into ``source`` safely; else why not."""
    doc = check_docstring(text, target, style)
    if isinstance(doc, ParseError):
        return doc
    spliced = insert_docstrings(source, {target.index: doc}, {target.index: target.name})
    if isinstance(spliced, SpliceFailed):
        return ParseError(spliced.reason)
    return doc


@dataclass(frozen=True)
class CommentTask(TaskHooks):
    """The comment task in the pipeline's shape (tasks/pipeline.py): one docstring per target."""

    prompt: PromptTemplate
    source: str
    path: str
    style: str
    settings: Settings
    names: dict[int, str]  # index -> name of every definition: guards the splice
    repo: RepoContext | None = None
    # prompts/comment_parts.toml: when no whole answer passes, a docstring assembled from parts
    parts: PromptTemplate | None = None
    module_summary: str = ""  # the module docstring's first line: not a function's summary
    # (target index, docstring) -> "repaired: ..." for docstrings that passed only once repaired
    repairs: dict[tuple[int, str], str] = field(default_factory=dict, compare=False)
    # Further meaning checks after facts.py's (the hook where the reviewer score plugs in).
    meaning_checks: tuple[MeaningCheck, ...] = ()
    # target index -> the first docstring that passed the shape gates but not the meaning checks,
    # and why: the target's Done with evidence "form" when no answer passes them all
    form_only: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False)
    # --back-translate N: bodies drawn from a docstring that reached "meaning" are run against the
    # original (tasks/comment/backtranslate.py); a match makes it "reference". Off by default: it
    # costs N answers per docstring and rarely matches with the 135M model (docs/backtranslate.md).
    back_translate: int = 0
    threshold: str = "meaning"  # the write threshold (run_task holds back what is below it)
    # No docstring of the model's reaches the threshold: write one of observed examples instead.
    examples: bool = True

    done_status = "documented"

    def request(self, backend: Backend, target: DocTarget) -> CompletionRequest:
        return comment_request(
            self.prompt, backend, self.source, self.path, target, self.style, self.settings, self.repo
        )

    def check(self, target: DocTarget, answer: str) -> str | ParseError:
        """The docstring when it passes the gates, as written or once repaired (tasks/repair.py:
        placeholders, length, parameters); else the first rejection, fed back to the model."""
        text = clean_answer(answer)
        verified = verify_docstring(self.source, target, self.style, text)
        if not isinstance(verified, ParseError):
            return self.meant(target, verified)
        fixed = repair_docstring(text, target, self.style)
        again = verify_docstring(self.source, target, self.style, fixed.text) if fixed else verified
        if fixed is None or isinstance(again, ParseError):
            return verified
        self.repairs[(target.index, again)] = fixed.note
        return self.meant(target, again)

    def gate(self, target: DocTarget, text: str) -> str | ParseError:
        """The shape gates, the splice check and the meaning checks (an assembled docstring)."""
        verified = verify_docstring(self.source, target, self.style, text)
        return verified if isinstance(verified, ParseError) else self.meant(target, verified)

    def judge(self, target: DocTarget, doc: str, extra: bool = True) -> Meaning:
        """The meaning checks (tasks/comment/facts.py, then ``meaning_checks`` unless not
        ``extra``) on ``doc``."""
        checks = self.meaning_checks if extra else ()
        return check_meaning(doc, target, self.source, self.style, self.path, checks)

    def meant(self, target: DocTarget, doc: str) -> str | ParseError:
        """``doc`` (through the shape gates) when its meaning checks pass, or once a Raises
        section naming what the code cannot raise is dropped; else the failure, fed back to the
        model, and ``doc`` kept as the target's form-only candidate."""
        meaning = self.judge(target, doc)
        if meaning.ok:
            return doc
        if target.kind == "module" and meaning.failed == "reviewer":
            # No module summary passes the reviewer check (reviewer.py): asking again cannot
            # help. The docstring stands, with evidence "form" (``evidence``).
            return doc
        if meaning.failed == "raises" and (fixed := drop_raises(doc, self.style)) is not None:
            again = verify_docstring(self.source, target, self.style, fixed)
            if not isinstance(again, ParseError) and self.judge(target, again).ok:
                self.repairs[(target.index, again)] = f"repaired: dropped the Raises section ({meaning.failure})"
                return again
        self.form_only.setdefault(target.index, (doc, str(meaning.failure)))
        return ParseError(str(meaning.failure))

    def evidence(self, target: DocTarget, doc: str, extra: bool = True) -> Evidence:
        """``meaning`` with the checks that passed, else ``form`` with the check that failed."""
        meaning = self.judge(target, doc, extra)
        if meaning.ok:
            return Evidence("meaning", meaning.facts or "the meaning checks found nothing to contradict")
        return Evidence("form", f"passes the shape gates, not the meaning checks ({meaning.failure})")

    def stronger(self, backend: Backend, target: DocTarget, doc: str) -> Evidence:
        """``doc``'s evidence, raised to "reference" when back-translation (if asked for) finds
        a body written from it alone that behaves like the original."""
        evidence = self.evidence(target, doc)
        if not self.back_translate or evidence.level != "meaning" or target.kind not in ("function", "method"):
            return evidence
        found = back_translate(
            backend, self.source, target, doc, settings=self.settings, samples=self.back_translate, path=self.path
        )
        return found.evidence or Evidence("meaning", f"{evidence.facts}; back-translation: {found.reason}")

    def judged(self, target: DocTarget, doc: str) -> tuple[str | ParseError, Evidence]:
        """A cached docstring gated again, and its evidence (tasks/comment/memo.py): the pure
        checks only (the model-based ``meaning_checks`` judged it when it was stored, and the
        cache keeps a "form" verdict; a cached re-run loads no model)."""
        checked = check_docstring(doc, target, self.style)
        return checked, self.evidence(target, doc, extra=False) if isinstance(checked, str) else FORM_ONLY

    def draw(
        self, backend: Backend, request: CompletionRequest, target: DocTarget, n: int, on_token: TokenCallback | None
    ) -> Outcome:
        """``n`` samples, each gated; a docstring that needed no repair is preferred."""
        choice = draw_and_choose(
            backend,
            request,
            lambda answer: self.check(target, answer),
            n,
            lambda doc: (0.0 if (target.index, doc) in self.repairs else 1.0,),
            TASK,
            on_token=on_token,
        )
        if choice.value is None:
            return Skipped(target, choice.first_error or choice.reason, choice.attempts)
        return Done(target, choice.value, choice.attempts, selection=choice, status=self.done_status)

    def ask(
        self, backend: Backend, request: CompletionRequest, target: DocTarget, n: int, on_token: TokenCallback | None
    ) -> Outcome:
        """The model's docstring (``ask_model``); when it does not reach the write threshold, a
        docstring of examples observed by running the function (tasks/comment/examples.py), if
        asked for and the threshold admits "examples"."""
        return self.or_examples(target, self.ask_model(backend, request, target, n, on_token))

    def or_examples(self, target: DocTarget, outcome: Outcome) -> Outcome:
        """``outcome`` (asked now or cached) when it reaches the write threshold; else, if asked
        for, a docstring of examples observed by running the function."""
        if isinstance(outcome, Done) and outcome.evidence.at_least(self.threshold):
            return outcome
        if not self.examples or target.kind != "function" or strength(self.threshold) > strength("examples"):
            return outcome
        found = observed_examples(self.source, target)
        if not found:
            return outcome
        doc = examples_docstring(target, found, self.style)
        if isinstance(insert_docstrings(self.source, {target.index: doc}, self.names), SpliceFailed):
            return outcome
        return examples_done(outcome, doc, facts_of_examples(found), "docstring")

    def ask_model(
        self, backend: Backend, request: CompletionRequest, target: DocTarget, n: int, on_token: TokenCallback | None
    ) -> Outcome:
        """Whole answers first (with retries, or ``n`` samples); when none passes, the docstring
        assembled from parts (tasks/comment/parts.py), through the same gates and splice check."""
        if n > 1:
            outcome = self.draw(backend, request, target, n, on_token)
        else:
            outcome = ask_target(self, backend, request, target, self.settings.retries, on_token)
        if isinstance(outcome, Skipped) and self.parts is not None:
            # The parts prompt shares the whole prompt's system text, example and file (the
            # evaluated prefix is reused); related definitions are left out: the pieces are
            # about the target.
            outcome = assemble_outcome(
                outcome,
                backend,
                comment_request(self.parts, backend, self.source, self.path, target, self.style, self.settings),
                self.style,
                lambda text: self.gate(target, text),
                on_token,
                avoid=[] if target.kind == "module" else [self.module_summary],
                gate=lambda summary: check_grounded(summary, target, self.source, self.path)[0],
            )
        if isinstance(outcome, Done):
            return dataclasses.replace(outcome, evidence=self.stronger(backend, target, outcome.value))
        return form_only_outcome(outcome, self.form_only, self.done_status)

    def feedback(self, target: DocTarget, reason: str) -> str:
        return self.prompt.retry(reason, qualname=target.qualname)

    def splice(self, source: str, values: Mapping[int, str]) -> Spliced | SpliceFailed:
        return insert_docstrings(source, dict(values), self.names)

    def key(self, target: DocTarget) -> int:
        return target.index

    def together_failed(self, reason: str) -> str:
        return f"the docstrings do not fit together: {reason}"


def short_answers(settings: Settings) -> Settings:
    """``settings`` with answers cut at ``DEFAULT_MAX_TOKENS`` unless --max-tokens was given."""
    if "max_tokens" in settings.sources:
        return settings
    return dataclasses.replace(settings, max_tokens=min(settings.max_tokens, DEFAULT_MAX_TOKENS))


def form_only_outcome(outcome: Outcome, form_only: Mapping[int, tuple[str, str]], status: str) -> Outcome:
    """A target no answer passed the meaning checks for: the first that passed the shape gates
    (``form_only``: index -> (value, why not "meaning")), with evidence "form" (the write
    threshold holds it back unless --evidence form); else ``outcome`` as it is."""
    if isinstance(outcome, Done) or outcome.target.index not in form_only:
        return outcome
    value, why = form_only[outcome.target.index]
    evidence = Evidence("form", f"passes the shape gates, not the meaning checks ({why})")
    return Done(outcome.target, value, outcome.attempts, status=status, evidence=evidence)


def run_comments(
    task: Any,
    source: str,
    chosen: Sequence[Any],
    backend: Callable[[], Backend],
    skipped: Sequence[Skipped[Any]],
    **hooks: Any,
) -> EditResult[CommentFacts]:
    """``run_task`` as both comment tasks run it: their settings' retries, their threshold."""
    return run_task(
        task, source, chosen, backend, retries=task.settings.retries, skipped=skipped, threshold=task.threshold, **hooks
    )


def comment_source(
    source: str,
    path: str,
    *,
    settings: Settings,
    prompt: PromptTemplate,
    backend: Callable[[], Backend],
    cache: ResultCache,
    model_id: dict[str, Any],
    style: str | None = None,
    overwrite: bool = False,
    only: Iterable[str] = (),
    ranges: list[tuple[int, int]] | None = None,
    on_start: Callable[[DocTarget, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
    repo: RepoContext | None = None,
    samples: int = 1,
    assemble: bool = True,
    evidence: str | None = None,
    meaning_checks: Sequence[MeaningCheck] = (),
    reviewer: bool = True,
    back_translate: int = 0,
    examples: bool = True,
) -> EditResult[CommentFacts]:
    """Document the selected targets of ``source``; returns the verified new text (the original
    text when nothing passed), each target's outcome, and the style (``facts.style``).
    ``backend`` is called only when a target needs the model; with ``repo`` the prompts also
    show related definitions of the repository. With ``samples`` > 1 each target gets that many
    answers and the best verified one is kept (tasks/samples.py). With ``assemble``, a target
    whose answers all fail gets a docstring assembled from parts (tasks/comment/parts.py).
    A docstring is written only when its evidence reaches ``evidence`` (else ``settings.evidence``,
    else the comment task's default, "meaning": its facts checked against the code, plus
    ``meaning_checks``, tasks/comment/facts.py, and with ``reviewer`` the model's reviewer score,
    tasks/comment/reviewer.py); a weaker one is reported "below threshold". With
    ``back_translate`` N, a docstring reaching "meaning" is back-translated with N samples
    (tasks/comment/backtranslate.py): a match is "reference". With ``examples``, a module-level
    function whose docstring does not reach the threshold gets one of examples observed by
    running it (tasks/comment/examples.py), when the threshold admits "examples".

    Long: the signature is the task's options, one keyword each; the body builds the task and
    its cache, then runs the pipeline.
    """
    settings = short_answers(settings)
    parts = load_prompt("comment_parts", settings.prompts_dir) if assemble else None
    targets = find_targets(source)
    chosen_style = resolve_style(style, targets)
    has_code = bool(ast.parse(source).body)
    chosen, pre_skipped = select_targets(
        targets, overwrite=overwrite, only=only, ranges=ranges, module_has_code=has_code
    )
    task = CommentTask(
        prompt,
        source,
        path,
        chosen_style,
        settings,
        {t.index: t.name for t in targets},
        repo,
        parts,
        (ast.get_docstring(ast.parse(source)) or "").split("\n", 1)[0],
        meaning_checks=(*meaning_checks, reviewer_check(backend)) if reviewer else tuple(meaning_checks),
        back_translate=back_translate,
        threshold=threshold_for(TASK, evidence or settings.evidence),
        examples=examples,
    )
    memo = Remembered(
        cache,
        lambda target: cache_key(
            model_id, prompt, target, chosen_style, settings, repo is not None, samples, parts, back_translate
        ),
        task.judged,
        task.done_status,
        examples=examples,
    )
    result = run_comments(
        task,
        source,
        chosen,
        backend,
        pre_skipped,
        # A cached outcome below the threshold (stored by a --no-examples run) still gets examples.
        known=lambda target: None if (hit := memo.known(target)) is None else task.or_examples(target, hit),
        remember=memo.remember,
        draw=lambda live, request, target: task.ask(live, request, target, samples, on_token),
        on_start=on_start,
        on_token=on_token,
        facts=CommentFacts(chosen_style),
    )
    noted = tuple(
        dataclasses.replace(o, note=task.repairs[(o.target.index, o.value)])
        if isinstance(o, Done) and (o.target.index, o.value) in task.repairs
        else o
        for o in result.outcomes
    )
    return dataclasses.replace(result, outcomes=noted)
