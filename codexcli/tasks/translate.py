"""`codex translate`: a file in one language, rewritten in another, checked twice.

A Python file is translated one top-level definition at a time (callees first, so every piece
compiles against what it uses), each prompt small enough for the context window. Every answer
is assembled with the pieces already accepted and compiled with the target's toolchain; the
compiler's errors go back to the model (capped retries). Then each translated function is run
on the original's input cases through a harness in the target language, and compared with what
the Python function returns (TransCoder's "computational accuracy"). Files in other languages
are translated to Python whole (or in brace-balanced chunks when too long) and checked by
compiling.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from codexcli import languages
from codexcli.answers import ParseError, extract_code
from codexcli.backends.base import Backend, Completion, TokenCallback
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError
from codexcli.index.related import NO_RELATED, RelatedCode
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Accepted, GaveUp, ask_with_retries, request_with_context
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped
from codexcli.tasks.repair import repair_translation
from codexcli.tasks.samples import Choice, draw_and_choose
from codexcli.tasks.translate_lang import (
    Piece,
    assemble,
    defines,
    drop_main,
    owner_class,
    rules,
    split_imports,
    unwrap_class,
)
from codexcli.tasks.translate_lines import CHECK_METHOD, LINES_NOTE, assemble_lines
from codexcli.tasks.translate_sig import close_braces, observed_signature, own_signature, writer
from codexcli.tasks.translate_units import (
    Observed,
    Unit,
    context_block,
    instructions,
    original_behaviour,
    other_units,
    python_units,
)
from codexcli.verify.behaviour import Behaviour
from codexcli.verify.harness import BehaviourReport, compare, run_translation
from codexcli.verify.inputs import InputCase
from codexcli.verify.syntax import SyntaxCheck
from codexcli.verify.toolchains import compile_check, toolchain_for

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

# Answers per statement when a function is assembled line by line (at least; --samples raises it).
LINE_SAMPLES = 6


@dataclass(frozen=True)
class UnitCheck:
    """What codex holds and checked of one unit (the ``detail`` of its pipeline outcome): the
    accepted piece, the name it defines, the compile check, and the behaviour report."""

    piece: Piece | None = None
    defined_as: str = ""
    check: SyntaxCheck | None = None
    behaviour: BehaviourReport | None = None
    origin: str = "model"  # "model" (an answer), "lines" (assembled line by line), "codex" (constants)


# A unit's outcome: Done (status "translated", its Piece the value) or Skipped (status "failed":
# no answer compiled; "dropped": --strict removed it after a failed behaviour check).
UnitOutcome = Outcome


def compiled(outcome: UnitOutcome) -> bool | None:
    """Whether the unit's piece compiled (None: no compiler to tell)."""
    check = outcome.detail.check
    return None if check is None else check.ok


def verified(outcome: UnitOutcome) -> bool:
    """Compiled, and matched the original on every case (needs at least one case)."""
    behaviour = outcome.detail.behaviour
    return outcome.status == "translated" and compiled(outcome) is True and behaviour is not None and behaviour.verified


def translated(result: EditResult) -> list[UnitOutcome]:
    """The units of a translation that were translated."""
    return [o for o in result.outcomes if o.status == "translated"]


def problems(result: EditResult) -> list[UnitOutcome]:
    """Units that failed to translate, were dropped, or compute something else."""
    return [
        o
        for o in result.outcomes
        if o.status != "translated" or (o.detail.behaviour is not None and o.detail.behaviour.failed)
    ]


# The pipeline ----------------------------------------------------------------------------------------


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


def translate_source(
    backend: Backend,
    prompt: PromptTemplate,
    source: str,
    source_path: Path,
    source_language: str,
    target: str,
    out_path: Path,
    settings: Settings,
    *,
    strict: bool = False,
    cases_limit: int = 12,
    test_sources: Sequence[str] = (),
    on_start: Callable[[Unit, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
    per_case_timeout_s: float = 2.0,
    samples: int = 1,
    repo: RepoContext | None = None,
    line_prompt: PromptTemplate | None = None,
) -> EditResult:
    """Translate ``source`` and check it. With ``samples`` > 1 each definition gets that many
    answers; among those that compile, the one matching the original on the most input cases
    (Python sources with a behaviour harness), then one that needed no repair, is kept
    (tasks/samples.py). With ``line_prompt`` (Java from Python), a function whose whole
    answers do not verify is also assembled line by line (tasks/translate_lines.py) and kept
    when it matches the original on more cases. With ``repo``, each prompt also shows the
    repository's definitions related to the unit (the
    helpers it calls, similar code; in the source language), recorded in ``repo.shown`` under
    (str(source_path), unit name). Returns the pipeline's EditResult: ``before`` is empty
    (the translation is a new file), ``after`` the assembled text, one outcome per unit, and
    ``facts``: source_language, target_language, path, check (the final compile check) and
    skipped (top-level statements not translated, e.g. ``if __name__ == ...``). Writes nothing:
    the caller decides from ``check`` and the outcomes."""
    if source_language == "python":
        units, skipped = python_units(source, target)
    else:
        budget_chars = max(400, (backend.context_length() - settings.max_tokens - 400) * 3)
        units, skipped = other_units(source, budget_chars), []
    names = {u.name: u.target_name for u in units if u.target_name}
    source_entry, target_entry = languages.get(source_language), languages.get(target)
    s_display, s_fence = source_entry.display, source_entry.fence
    t_display, t_fence = target_entry.display, target_entry.fence
    context = context_block(source, s_fence) if source_language == "python" else ""
    accepted: list[tuple[Unit, Piece, str]] = []
    outcomes: list[UnitOutcome] = []
    filename = out_path.name
    observed: dict[str, Observed] = {}  # the original's runs on its cases, by function
    # What codex writes itself for this target (Python sources only): tasks/translate_sig.py.
    write = writer(rules(target).writes) if source_language == "python" else None
    run = TranslateRun(
        backend,
        line_prompt,
        settings,
        source,
        names,
        target,
        out_path,
        observed,
        test_sources,
        cases_limit,
        per_case_timeout_s,
    )
    # --samples ranks a function's compiling answers by the original's cases they match.
    harness = source_language == "python" and languages.get(target).harness is not None

    for number, unit in enumerate(units, start=1):
        if on_start is not None:
            on_start(unit, number, len(units))
        related, record = _related(repo, backend, unit, source_path, source_language)
        values = dict(source=s_display, target=t_display, sfence=s_fence, tfence=t_fence, code=unit.code)
        values["instructions"] = instructions(unit, target, out_path, names)
        checks: dict[int, tuple[Piece, str, SyntaxCheck]] = {}
        # A target with a writer (Java): codex writes the method's signature (types from the
        # body and the original's returned values), the model only its body (translate_sig.py).
        signature = (
            observed_signature(
                source,
                unit.name,
                unit.target_name,
                test_sources,
                cases_limit,
                per_case_timeout_s,
                observed,
                write.signature,
            )
            if unit.kind == "function" and write is not None
            else None
        )
        returns = signature.split()[2] if signature else ""

        repairs: dict[int, str] = {}

        def parse(answer: str, unit: Unit = unit) -> int | ParseError:
            """The answer's check index; else the same checks on its repaired code (prose
            around it dropped, its one function renamed: tasks/repair.py); else the first
            rejection."""
            if signature:
                if not answer.removeprefix(f"{head}{signature} {{\n").strip("`\n "):
                    return ParseError("the answer contains no code")
                answer = close_braces(own_signature(answer, head, signature, unit.target_name))
            first = parse_once(answer, unit)
            if not isinstance(first, ParseError) or unit.kind != "function":
                return first
            code = extract_code(answer, target)
            fixed = repair_translation(code if isinstance(code, str) else answer, unit.target_name, target, returns)
            again = parse_once(fixed.text, unit) if fixed is not None else first
            if fixed is None or isinstance(again, ParseError):
                return first
            repairs[again] = fixed.note
            return again

        def parse_once(answer: str, unit: Unit) -> int | ParseError:
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
            pieces = [p for _, p, _ in accepted] + [piece]
            exports = [d for _, _, d in accepted if d] + ([defined] if unit.kind in ("function", "class") else [])
            text = assemble(target, out_path, pieces, exports)
            check = compile_check(text, target, filename)
            if check.ok is False:
                return ParseError(f"it does not compile ({check.checker}): {check.detail}")
            if target == "python":
                from codexcli.verify.names import undefined_names_reason

                if reason := undefined_names_reason(text):
                    return ParseError(reason)
            checks[len(checks)] = (piece, defined, check)
            return len(checks) - 1

        def feedback(reason: str, unit: Unit = unit) -> str:
            return prompt.retry(reason, target=t_display, tfence=t_fence, name=unit.name)

        # Java: literal constants are written by codex (their values evaluated), not asked.
        written = write.constants(unit.code) if unit.kind == "constants" and write is not None else None
        index = parse_once(f"```{t_fence}\n{written}\n```", unit) if written else None
        if isinstance(index, int):
            piece, _, check = checks[index]
            accepted.append((unit, piece, ""))
            note = "written by codex: the constants' values, evaluated"
            detail = UnitCheck(piece, "", check, origin="codex")
            outcomes.append(Done(unit, piece, (), status="translated", detail=detail, note=note))
            continue
        choice: Choice[int] | None = None
        try:
            # The file's start (shared by every unit) first, then the unit's related code.
            request = request_with_context(
                backend,
                prompt,
                settings,
                (context,),
                where=str(source_path),
                label=unit.name,
                related=related,
                on_related=record,
                **values,
            )
            head = request.prefill
            if signature:
                request = replace(request, prefill=head + signature + " {\n", stop=(*request.stop, "\n}"))
            if samples > 1:
                choice = draw_and_choose(
                    backend,
                    request,
                    parse,
                    samples,
                    lambda i, r=repairs, u=unit: (  # type: ignore[misc]
                        float(_passes_of(run, u, checks[i], accepted)) if harness and u.kind == "function" else 0.0,
                        0.0 if i in r else 1.0,
                    ),
                    "translate",
                    on_token=on_token,
                )
                outcome = _as_asked(choice)
            else:
                outcome = ask_with_retries(
                    backend, request, parse, retries=settings.retries, feedback=feedback, on_token=on_token
                )
        except PromptTooLongError as exc:
            reason = f"does not fit in the model's context: {exc.message}"
            outcomes.append(Skipped(unit, reason, status="failed", detail=UnitCheck()))
            continue
        if signature and write is not None and write.lines:
            outcome = _by_lines(
                outcome,
                run,
                unit,
                signature,
                checks,
                repairs,
                parse_once,
                accepted,
                max(samples, LINE_SAMPLES),
                on_token,
            )
        if isinstance(outcome, Accepted):
            piece, defined, check = checks[outcome.value]
            accepted.append((unit, piece, defined if unit.kind in ("function", "class") else ""))
            note = repairs.get(outcome.value, "")
            detail = UnitCheck(piece, defined, check, origin="lines" if note.startswith(LINES_NOTE) else "model")
            outcomes.append(
                Done(unit, piece, outcome.attempts, selection=choice, status="translated", detail=detail, note=note)
            )
        else:
            outcomes.append(Skipped(unit, outcome.reason, outcome.attempts, status="failed", detail=UnitCheck()))

    final = _final(target, out_path, outcomes, source_path, source_language)
    check = compile_check(final, target, filename) if accepted else SyntaxCheck(False, "none", "nothing was translated")
    if source_language == "python" and check.ok:
        outcomes = _check_behaviour(outcomes, run, final)
        if strict:
            outcomes = [
                Skipped(o.target, "behaviour differs (--strict)", o.attempts, status="dropped", detail=o.detail)
                if o.detail.behaviour is not None and o.detail.behaviour.failed
                else o
                for o in outcomes
            ]
        final = _final(target, out_path, outcomes, source_path, source_language)
        check = (
            compile_check(final, target, filename)
            if any(o.status == "translated" for o in outcomes)
            else SyntaxCheck(False, "none", "every definition was dropped")
        )
    facts = {
        "source_language": source_language,
        "target_language": target,
        "path": out_path,
        "check": check,
        "skipped": tuple(skipped),
    }
    calls = sum(len(o.attempts) for o in outcomes)
    return EditResult("", final, tuple(outcomes), model_calls=calls, facts=facts)


def _related(
    repo: RepoContext | None, backend: Backend, unit: Unit, source_path: Path, language: str
) -> tuple[RelatedCode, Callable[[int], None] | None]:
    """The repository's definitions related to ``unit`` (by its name and the names it calls),
    none of them from the unit's own lines (the prompt shows those) and no tests (they use the
    code; they do not say how to write it), and their recorder."""
    if repo is None or unit.kind == "constants":
        return NO_RELATED, None
    from codexcli.index.context import called_names, target_query, test_code

    path = repo.relative(source_path)
    last = unit.lineno + unit.code.count("\n")
    return repo.related(
        backend,
        target_query(unit.name, code=unit.code),
        language=language,
        key=(str(source_path), unit.name),
        skip=lambda d: test_code(d) or (d.path == path and unit.lineno <= d.line <= last),
        calls=called_names(unit.code),
    )


def _as_asked(choice: Choice[int]) -> Accepted[int] | GaveUp:
    """A --samples choice in the shape of one ask_with_retries outcome."""
    if choice.value is None:
        return GaveUp(choice.first_error or choice.reason, choice.attempts)
    return Accepted(choice.value, choice.attempts, Completion(""))


@dataclass(frozen=True)
class TranslateRun:
    """What judging one function's candidates needs of the run: the model, the line prompt and
    settings (line-by-line assembly), the source, the target names of its definitions, the
    output's language and path, the original's runs (shared memo) and its input cases."""

    backend: Backend
    prompt: PromptTemplate | None
    settings: Settings
    source: str
    names: dict[str, str]
    target: str
    out_path: Path
    observed: dict[str, Observed]
    test_sources: Sequence[str] = ()
    cases_limit: int = 12
    per_case_timeout_s: float = 2.0

    def original(self, unit: Unit) -> tuple[Sequence[InputCase], Behaviour] | None:
        """The original function's input cases and what it did on them (run once, memoized)."""
        return original_behaviour(
            self.source, unit.name, self.test_sources, self.cases_limit, self.per_case_timeout_s, self.observed
        )

    def behaviour(self, unit: Unit, code: str, defined: str) -> BehaviourReport | None:
        """How the function ``defined`` of the translated file ``code`` compares with the
        original on its cases; None when the original has no cases."""
        found = self.original(unit)
        if found is None:
            return None
        cases, expected = found
        records, error = run_translation(
            self.target,
            self.out_path.name,
            code,
            defined,
            cases,
            owner=owner_class(self.out_path),
            per_case_timeout_s=self.per_case_timeout_s,
        )
        return BehaviourReport((), error) if error else compare(expected, records)

    def passes(self, unit: Unit, piece: Piece, defined: str, pieces: Sequence[Piece], exports: Sequence[str]) -> int:
        """On how many of the original's cases the translated function (``piece``, assembled
        after ``pieces``) computes the same; -1 when it could not be run."""
        text = assemble(self.target, self.out_path, [*pieces, piece], [*exports, defined])
        report = self.behaviour(unit, text, defined)
        return -1 if report is None or report.error else report.passed


def _passes_of(
    run: TranslateRun, unit: Unit, check: tuple[Piece, str, SyntaxCheck], accepted: list[tuple[Unit, Piece, str]]
) -> int:
    """How many of the original's cases a compiled sample of ``unit`` matches (--samples ranks by it)."""
    piece, defined, _ = check
    return run.passes(unit, piece, defined, [p for _, p, _ in accepted], [d for _, _, d in accepted if d])


def _by_lines(
    outcome: Accepted[int] | GaveUp,
    run: TranslateRun,
    unit: Unit,
    signature: str,
    checks: dict[int, tuple[Piece, str, SyntaxCheck]],
    repairs: dict[int, str],
    parse_once: Callable[[str, Unit], int | ParseError],
    accepted: list[tuple[Unit, Piece, str]],
    samples: int,
    on_token: TokenCallback | None,
) -> Accepted[int] | GaveUp:
    """``outcome`` (the whole answers'), or the function assembled line by line when no whole
    answer compiled, or when the assembled one matches the original on more cases than the
    accepted answer. Its note (in ``repairs``) says it was assembled and how."""
    found = run.original(unit)
    if run.prompt is None or found is None or toolchain_for(run.target).missing():
        return outcome  # nothing to assemble with, or nothing could be checked
    cases, expected = found
    filename, owner = run.out_path.name, owner_class(run.out_path)
    pieces, exports = [p for _, p, _ in accepted], [d for _, _, d in accepted if d]

    def passed(index: int) -> int:
        return _passes_of(run, unit, checks[index], accepted)

    whole = passed(outcome.value) if isinstance(outcome, Accepted) else -1
    if whole == sum(1 for o in expected.observations if o.kind in ("value", "raised")):
        return outcome  # the whole answer already matches on every case

    def compile_file(method: str) -> tuple[str, str | None]:
        text = assemble(run.target, run.out_path, [*pieces, Piece((), method)], exports)
        check = compile_check(text, run.target, filename)
        return text, None if check.ok else (check.detail or "it could not be compiled")

    def run_check(text: str, line_cases: list[InputCase]) -> tuple[list[dict[str, Any] | None], str | None]:
        return run_translation(
            run.target, filename, text, CHECK_METHOD, line_cases, owner=owner, per_case_timeout_s=run.per_case_timeout_s
        )

    lines = assemble_lines(
        run.backend,
        run.prompt,
        run.settings,
        run.source,
        unit.name,
        run.names,
        signature,
        cases,
        samples,
        compile_file,
        run_check,
        filename,
        target=languages.get(run.target).display,
        per_case_timeout_s=run.per_case_timeout_s,
        on_token=on_token,
    )
    attempts = outcome.attempts + lines.attempts
    index = parse_once(f"```{languages.get(run.target).fence}\n{lines.method}\n```", unit) if lines.method else None
    if not isinstance(index, int) or passed(index) <= whole:
        if isinstance(outcome, Accepted):
            return replace(outcome, attempts=attempts)
        reason = f"{outcome.reason}; {lines.note}" + ("" if lines.method is None else ", but it did not compile")
        return GaveUp(reason, attempts)
    repairs[index] = lines.note
    return Accepted(index, attempts, Completion(""))


def _final(
    target: str, out_path: Path, outcomes: Sequence[UnitOutcome], source_path: Path, source_language: str
) -> str:
    kept = [o for o in outcomes if o.status == "translated" and o.detail.piece is not None]
    pieces = [replace(o.detail.piece, comment=_note(o)) for o in kept]
    exports = [o.detail.defined_as for o in kept if o.target.kind in ("function", "class")]
    header = f"Translated from {source_path.name} ({languages.get(source_language).display}) by codex translate."
    missing = [o.target.name for o in outcomes if o.status != "translated"]
    if missing:
        header += "\nNot translated: " + ", ".join(missing) + "."
    return assemble(target, out_path, pieces, exports, header)


def _note(outcome: UnitOutcome) -> str:
    """The comment above a translated function whose behaviour is not confirmed."""
    report = outcome.detail.behaviour
    if outcome.target.kind != "function" or report is None or report.verified:
        return ""
    if report.failed:
        return (
            f"codex: UNVERIFIED: differs from the original on {report.total - report.passed} of {report.total} "
            f"cases ({report.first_failure()})"
        )
    return f"codex: unverified: behaviour not checked ({report.error or 'no input cases'})"


def _check_behaviour(outcomes: list[UnitOutcome], run: TranslateRun, code: str) -> list[UnitOutcome]:
    """Run every translated function of the final file ``code`` and the original on the same
    cases (the original's runs shared with the Java signature through the run's memo); attach
    the reports."""
    checked = []
    for o in outcomes:
        if o.status != "translated" or o.target.kind != "function":
            checked.append(o)
            continue
        report = run.behaviour(o.target, code, o.detail.defined_as)
        if report is None:
            report = BehaviourReport((), "no input cases (no doctests, tests or type hints)")
        checked.append(replace(o, detail=replace(o.detail, behaviour=report)))
    return checked
