"""`codex translate` in the pipeline's shape (tasks/pipeline.py): one unit at a time, then the
whole file.

``prepare`` writes what codex can write itself (Java constants) and lays out a Java method's
signature; ``request``/``check`` ask for one unit and compile each answer with the units
already accepted (``record`` keeps them); ``draw`` chooses among samples by the original's cases
and, for Java, assembles a function line by line when no whole answer matches
(tasks/translate/judge.py); ``splice`` assembles the file; ``finish`` compiles it whole, runs every
function against the original (--strict drops those that differ), gives each unit its evidence,
and leaves out what is below the write threshold and what uses it (tasks/translate/proof.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Mapping

from codexcli import languages
from codexcli.answers import ParseError, extract_code
from codexcli.backends.base import Backend, Completion, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced
from codexcli.tasks.common import (
    NO_RELATED,
    Accepted,
    GaveUp,
    RelatedCode,
    ask_with_retries,
    request_with_context,
)
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped, TaskHooks, hold_back, splice_outcomes
from codexcli.tasks.repair import repair_translation
from codexcli.tasks.samples import Choice, draw_and_choose
from codexcli.tasks.translate.judge import TranslateRun, by_lines, passes_of
from codexcli.tasks.translate.lang import Piece, assemble, defines, drop_main, rules, split_imports, unwrap_class
from codexcli.tasks.translate.lines import LINES_NOTE, return_type
from codexcli.tasks.translate.proof import (
    candidate_text,
    collection_as_scalar,
    left_out_dependents,
    marker,
    with_evidence,
)
from codexcli.tasks.translate.sig import Writer, close_braces, observed_signature, own_signature, writer
from codexcli.tasks.translate.types import TranslateFacts, TranslateJob, TranslateOptions, UnitCheck, UnitOutcome
from codexcli.tasks.translate.units import Unit, instructions
from codexcli.verify.compare.harness import BehaviourReport
from codexcli.verify.compare.toolchains import compile_check
from codexcli.verify.static.syntax import SyntaxCheck

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

# Answers per statement when a function is assembled line by line (at least; --samples raises it).
LINE_SAMPLES = 6


def clean_piece(code: str, unit: Unit, target: str) -> tuple[list[str], str]:
    """Imports and body of one answer, without the wrappers and mains assembly provides."""
    imports, body = split_imports(code, target)
    if rules(target).wrapper:
        body = unwrap_class(body, unit.name if unit.kind == "class" else None)
        imports2, body = split_imports(body, target)
        imports += [i for i in imports2 if i not in imports]
    body = drop_main(body, target)
    if (write := writer(rules(target).writes)) is not None:
        imports += write.imports(body, imports)
    return imports, body


@dataclass
class UnitAsk:
    """One unit's asking: the related code shown, the signature codex writes (Java), the
    prompt's prefill, and every answer that compiled (its check index -> piece, defined name,
    compile check) with the repairs some needed."""

    unit: Unit
    related: RelatedCode = NO_RELATED
    record: Callable[[int], None] | None = None
    signature: str | None = None
    head: str = ""
    checks: dict[int, tuple[Piece, str, SyntaxCheck]] = field(default_factory=dict)
    repairs: dict[int, str] = field(default_factory=dict)

    @property
    def returns(self) -> str:
        return return_type(self.signature) if self.signature else ""


@dataclass(frozen=True)
class TranslateTask(TaskHooks):
    """translate in the pipeline's shape: one piece of the output per unit (see the module
    docstring). Targets are the units, in dependency order; values are their UnitChecks."""

    prompt: PromptTemplate
    job: TranslateJob
    settings: Settings
    options: TranslateOptions
    units: tuple[Unit, ...]
    skipped_notes: tuple[str, ...]
    run: TranslateRun
    context: str  # the start of the source file, shown with every unit ("" for other languages)
    repo: RepoContext | None = None
    on_token: TokenCallback | None = None
    # the units accepted so far, each with its piece and the name it exports ("" for none)
    accepted: list[tuple[Unit, Piece, str]] = field(default_factory=list, compare=False)
    asks: dict[int, UnitAsk] = field(default_factory=dict, compare=False)

    done_status = "translated"

    @property
    def python_source(self) -> bool:
        return self.job.source_language == "python"

    @property
    def write(self) -> Writer | None:
        """What codex writes itself for this target (Python sources only): tasks/translate/sig.py."""
        return writer(rules(self.job.target).writes) if self.python_source else None

    def key(self, target: Unit) -> int:
        """The unit's place in dependency order (the output keeps it)."""
        return self.units.index(target)

    def prepare(self, backend: Backend, target: Unit) -> UnitOutcome | None:
        """The unit's related code and (Java) signature; the constants codex writes itself as a
        Done without asking; else None."""
        related, record = _related(self.repo, backend, target, self.job)
        ask = self.asks[self.key(target)] = UnitAsk(target, related, record)
        write = self.write
        if target.kind == "function" and write is not None:
            # A target with a writer (Java): codex writes the method's signature (types from the
            # body and the original's returned values), the model only its body (sig.py).
            ask.signature = observed_signature(
                self.job.source,
                target.name,
                target.target_name,
                self.options.test_sources,
                self.options.cases_limit,
                self.options.per_case_timeout_s,
                self.run.observed,
                write.signature,
            )
        # Java: literal constants are written by codex (their values evaluated), not asked.
        written = write.constants(target.code) if target.kind == "constants" and write is not None else None
        index = self.parse_once(ask, f"```{languages.get(self.job.target).fence}\n{written}\n```") if written else None
        if not isinstance(index, int):
            return None
        piece, _, check = ask.checks[index]
        note = "written by codex: the constants' values, evaluated"
        detail = UnitCheck(piece, "", check, origin="codex")
        return Done(target, detail, (), status=self.done_status, detail=detail, note=note)

    def request(self, backend: Backend, target: Unit) -> CompletionRequest:
        """The file's start (shared by every unit) first, then the unit's related code."""
        ask = self.asks[self.key(target)]
        source_entry, target_entry = languages.get(self.job.source_language), languages.get(self.job.target)
        names = {u.name: u.target_name for u in self.units if u.target_name}
        request = request_with_context(
            backend,
            self.prompt,
            self.settings,
            (self.context,),
            where=str(self.job.source_path),
            label=target.name,
            related=ask.related,
            on_related=ask.record,
            source=source_entry.display,
            target=target_entry.display,
            sfence=source_entry.fence,
            tfence=target_entry.fence,
            code=target.code,
            instructions=instructions(target, self.job.target, self.job.out_path, names),
        )
        ask.head = request.prefill
        if ask.signature:
            request = replace(request, prefill=ask.head + ask.signature + " {\n", stop=(*request.stop, "\n}"))
        return request

    def unfit(self, target: Unit, error: PromptTooLongError) -> UnitOutcome:
        reason = f"does not fit in the model's context: {error.message}"
        return Skipped(target, reason, status="failed", detail=UnitCheck())

    def check(self, target: Unit, answer: str) -> int | ParseError:
        """The answer's check index; else the same checks on its repaired code (prose around it
        dropped, its one function renamed: tasks/repair.py); else the first rejection."""
        ask = self.asks[self.key(target)]
        if ask.signature:
            if not answer.removeprefix(f"{ask.head}{ask.signature} {{\n").strip("`\n "):
                return ParseError("the answer contains no code")
            answer = close_braces(own_signature(answer, ask.head, ask.signature, target.target_name))
        first = self.parse_once(ask, answer)
        if not isinstance(first, ParseError) or target.kind != "function":
            return first
        code = extract_code(answer, self.job.target)
        fixed = repair_translation(
            code if isinstance(code, str) else answer, target.target_name, self.job.target, ask.returns
        )
        again = self.parse_once(ask, fixed.text) if fixed is not None else first
        if fixed is None or isinstance(again, ParseError):
            return first
        ask.repairs[again] = fixed.note
        return again

    def parse_once(self, ask: UnitAsk, answer: str) -> int | ParseError:
        """The answer's code assembled with the units already accepted and compiled; its check
        index, or why not."""
        unit, target = ask.unit, self.job.target
        code = extract_code(answer, target)
        if isinstance(code, ParseError):
            return code
        imports, body = clean_piece(code, unit, target)
        if not body.strip():
            return ParseError("the answer has no code besides imports")
        defined = unit.target_name
        if unit.kind in ("function", "class") and not defines(body, defined, target, unit.kind):
            if defines(body, unit.name, target, unit.kind):
                defined = unit.name  # the source's own name: accepted, the harness calls that
            else:
                return ParseError(f"the answer does not define `{unit.target_name}`")
        piece = Piece(tuple(imports), body)
        pieces = [p for _, p, _ in self.accepted] + [piece]
        exports = [d for _, _, d in self.accepted if d] + ([defined] if unit.kind in ("function", "class") else [])
        text = assemble(target, self.job.out_path, pieces, exports)
        check = compile_check(text, target, self.job.out_path.name)
        if check.ok is False:
            return ParseError(f"it does not compile ({check.checker}): {check.detail}")
        if unit.kind == "constants" and (slip := collection_as_scalar(unit.code, body)):
            return ParseError(slip)
        if target == "python":
            from codexcli.verify.static.names import undefined_names_reason

            if reason := undefined_names_reason(text):
                return ParseError(reason)
        ask.checks[len(ask.checks)] = (piece, defined, check)
        return len(ask.checks) - 1

    def feedback(self, target: Unit, reason: str) -> str:
        entry = languages.get(self.job.target)
        return self.prompt.retry(reason, target=entry.display, tfence=entry.fence, name=target.name)

    def draw(self, backend: Backend, request: CompletionRequest, target: Unit) -> UnitOutcome:
        """Answers with retries, or --samples ranked by the original's cases they match; for
        Java, the function line by line when no whole answer matches (tasks/translate/judge.py)."""
        ask = self.asks[self.key(target)]
        choice: Choice[int] | None = None
        try:
            if self.options.samples > 1:
                choice = self.choose(backend, request, ask)
                outcome = _as_asked(choice)
            else:
                outcome = ask_with_retries(
                    backend,
                    request,
                    lambda answer: self.check(target, answer),
                    retries=self.settings.retries,
                    feedback=lambda reason: self.feedback(target, reason),
                    on_token=self.on_token,
                )
        except PromptTooLongError as exc:
            return self.unfit(target, exc)
        write = self.write
        if ask.signature and write is not None and write.lines is not None:
            outcome = by_lines(
                outcome,
                self.run,
                ask.unit,
                ask.signature,
                ask.checks,
                ask.repairs,
                lambda answer: self.parse_once(ask, answer),
                self.accepted,
                max(self.options.samples, LINE_SAMPLES),
                self.on_token,
                write.lines,
            )
        if isinstance(outcome, GaveUp):
            return Skipped(target, outcome.reason, outcome.attempts, status="failed", detail=UnitCheck())
        piece, defined, check = ask.checks[outcome.value]
        note = ask.repairs.get(outcome.value, "")
        detail = UnitCheck(piece, defined, check, origin="lines" if note.startswith(LINES_NOTE) else "model")
        return Done(
            target, detail, outcome.attempts, selection=choice, status=self.done_status, detail=detail, note=note
        )

    def choose(self, backend: Backend, request: CompletionRequest, ask: UnitAsk) -> Choice[int]:
        """--samples: the compiling answer that matches the original on the most cases (Python
        sources with a harness), then one that needed no repair."""
        harness = self.python_source and languages.get(self.job.target).harness is not None
        unit = ask.unit
        return draw_and_choose(
            backend,
            request,
            lambda answer: self.check(unit, answer),
            self.options.samples,
            lambda i: (
                float(passes_of(self.run, unit, ask.checks[i], self.accepted))
                if harness and unit.kind == "function"
                else 0.0,
                0.0 if i in ask.repairs else 1.0,
            ),
            "translate",
            on_token=self.on_token,
        )

    def record(self, outcome: UnitOutcome) -> None:
        """A translated unit's piece: the units after it compile with it."""
        if isinstance(outcome, Done):
            unit, detail = outcome.target, outcome.detail
            self.accepted.append((unit, detail.piece, detail.defined_as if unit.kind in ("function", "class") else ""))

    def splice(self, source: str, values: Mapping[int, UnitCheck]) -> Spliced:
        """The output file: a header naming the source (and the units not written), then each
        written unit's piece, one below "reference" evidence marked ``codex: unverified: ...``."""
        kept = sorted(values)
        units = self.units
        pieces = [replace(_piece(values[k]), comment=marker(values[k])) for k in kept]
        exports = [values[k].defined_as for k in kept if units[k].kind in ("function", "class")]
        language = languages.get(self.job.source_language).display
        header = f"Translated from {self.job.source_path.name} ({language}) by codex translate."
        missing = [u.name for k, u in enumerate(units) if k not in values]
        if missing:
            header += "\nNot written: " + ", ".join(missing) + "."
        return Spliced(assemble(self.job.target, self.job.out_path, pieces, exports, header))

    def finish(self, result: EditResult[TranslateFacts]) -> EditResult[TranslateFacts]:
        """Compile the whole output; for a Python source, run every function against the original
        (--strict drops those that differ); then each unit's evidence (tasks/translate/proof.py),
        the units below the write threshold and those that use them left out, and the rest
        assembled and compiled again."""
        target, filename = self.job.target, self.job.out_path.name
        final = self.text_of(result)
        if result.done:
            check = compile_check(final, target, filename)
        else:
            check = SyntaxCheck(False, "none", "nothing was translated")
        outcomes = list(result.outcomes)
        if self.python_source and check.ok:
            outcomes = check_behaviour(outcomes, self.run, final)
            if self.options.strict:
                outcomes = [
                    Skipped(o.target, "behaviour differs (--strict)", o.attempts, status="dropped", detail=o.detail)
                    if o.detail.behaviour is not None and o.detail.behaviour.failed
                    else o
                    for o in outcomes
                ]
        if result.done:
            held = hold_back([with_evidence(o) for o in outcomes], self.options.threshold)
            return self._assemble(held, result.model_calls, check, final)
        facts = TranslateFacts(self.job.source_language, target, self.job.out_path, check, self.skipped_notes)
        return replace(result, after=final, facts=facts)

    def narrow(self, result: EditResult[TranslateFacts], outcomes: list[Outcome]) -> EditResult[TranslateFacts]:
        """--interactive: the units the user declined left out, with the units that use them,
        and the rest assembled and compiled again."""
        return self._assemble(outcomes, result.model_calls, result.facts.check, result.after)

    def _assemble(
        self, outcomes: list[Outcome], calls: int, check: SyntaxCheck, compiled: str
    ) -> EditResult[TranslateFacts]:
        """The written units (each unit that uses one left out is left out too) assembled;
        compiled again when some are written and the text differs from ``compiled``, the text
        ``check`` judged."""
        target, filename = self.job.target, self.job.out_path.name
        judged = splice_outcomes(self, "", left_out_dependents([_as_text(o) for o in outcomes]), calls, None)
        final = self.text_of(judged)
        if judged.done and final != compiled:
            check = compile_check(final, target, filename)
        facts = TranslateFacts(self.job.source_language, target, self.job.out_path, check, self.skipped_notes)
        return replace(judged, after=final, facts=facts)

    def text_of(self, result: EditResult[TranslateFacts]) -> str:
        """The assembled output (the header alone when nothing was translated)."""
        return result.after if result.done else self.splice("", {}).text


def _related(
    repo: RepoContext | None, backend: Backend, unit: Unit, job: TranslateJob
) -> tuple[RelatedCode, Callable[[int], None] | None]:
    """The repository's definitions related to ``unit`` (by its name and the names it calls),
    none of them from the unit's own lines (the prompt shows those) and no tests (they use the
    code; they do not say how to write it), and their recorder."""
    if repo is None or unit.kind == "constants":
        return NO_RELATED, None
    from codexcli.index.context import called_names, target_query, test_code

    path = repo.relative(job.source_path)
    last = unit.lineno + unit.code.count("\n")
    return repo.related(
        backend,
        target_query(unit.name, code=unit.code),
        language=job.source_language,
        key=(str(job.source_path), unit.name),
        skip=lambda d: test_code(d) or (d.path == path and unit.lineno <= d.line <= last),
        calls=called_names(unit.code),
    )


def _as_asked(choice: Choice[int]) -> Accepted[int] | GaveUp:
    """A --samples choice in the shape of one ask_with_retries outcome."""
    if choice.value is None:
        return GaveUp(choice.first_error or choice.reason, choice.attempts)
    return Accepted(choice.value, choice.attempts, Completion(""))


def _piece(detail: UnitCheck) -> Piece:
    assert detail.piece is not None  # a translated unit always has its piece
    return detail.piece


def _as_text(outcome: UnitOutcome) -> UnitOutcome:
    """A held-back unit with its code as the candidate (what --json shows), not its UnitCheck."""
    if isinstance(outcome, Skipped) and isinstance(outcome.candidate, UnitCheck):
        return replace(outcome, candidate=candidate_text(outcome.candidate))
    return outcome


def check_behaviour(outcomes: list[UnitOutcome], run: TranslateRun, code: str) -> list[UnitOutcome]:
    """Run every translated function of the final file ``code`` and the original on the same
    cases (the original's runs shared with the Java signature through the run's memo); attach
    the reports (to the outcome's detail and value alike)."""
    checked = []
    for o in outcomes:
        if o.status != "translated" or o.target.kind != "function":
            checked.append(o)
            continue
        report = run.behaviour(o.target, code, o.detail.defined_as)
        if report is None:
            report = BehaviourReport((), "no input cases (no doctests, tests or type hints)")
        detail = replace(o.detail, behaviour=report)
        checked.append(replace(o, detail=detail, value=detail))
    return checked
