"""`codex translate`, judging one function's candidates: what the run knows of the original
(its cases and what it did on them, memoized), how a candidate compares with it, and the
function assembled line by line when no whole answer matches (tasks/translate/lines.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from codexcli import languages
from codexcli.answers import ParseError
from codexcli.backends.base import Backend, Completion, TokenCallback
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Accepted, GaveUp
from codexcli.tasks.translate.expressible import inexpressible
from codexcli.tasks.translate.lang import Piece, assemble, owner_class, rules
from codexcli.tasks.translate.line_syntax import CHECK_METHOD, JAVA_LINES, LineSyntax
from codexcli.tasks.translate.lines import assemble_lines
from codexcli.tasks.translate.sig import writer
from codexcli.tasks.translate.str_helpers import needed
from codexcli.tasks.translate.units import Observed, Unit, original_behaviour
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour
from codexcli.verify.compare.harness import BehaviourReport, compare, run_translation
from codexcli.verify.compare.mutated import mutated_args
from codexcli.verify.compare.toolchains import compile_check, toolchain_for
from codexcli.verify.static.syntax import SyntaxCheck


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
        write = writer(rules(self.target).writes)
        left = set(inexpressible(cases, code, defined, write.lines)) if write and write.lines else set()
        if left:  # arguments the signature's types cannot hold: left out and reported, not counted
            expected = replace(
                expected, observations=tuple(o for k, o in enumerate(expected.observations) if k not in left)
            )
            cases = [c for k, c in enumerate(cases) if k not in left]
        records, error = run_translation(
            self.target,
            self.out_path.name,
            code,
            defined,
            cases,
            owner=owner_class(self.out_path),
            per_case_timeout_s=self.per_case_timeout_s,
            mutated=(mutated := mutated_args(expected)),
        )
        report = BehaviourReport((), error) if error else compare(expected, records, mutated)
        return replace(report, left_out=tuple(found[0][k].call_src for k in sorted(left)))

    def passes(self, unit: Unit, piece: Piece, defined: str, pieces: Sequence[Piece], exports: Sequence[str]) -> int:
        """On how many of the original's cases the translated function (``piece``, assembled
        after ``pieces``) computes the same; -1 when it could not be run."""
        text = assemble(self.target, self.out_path, [*pieces, piece], [*exports, defined])
        report = self.behaviour(unit, text, defined)
        return -1 if report is None or report.error else report.passed


def passes_of(
    run: TranslateRun, unit: Unit, check: tuple[Piece, str, SyntaxCheck], accepted: list[tuple[Unit, Piece, str]]
) -> int:
    """How many of the original's cases a compiled sample of ``unit`` matches (--samples ranks by it)."""
    piece, defined, _ = check
    return run.passes(unit, piece, defined, [p for _, p, _ in accepted], [d for _, _, d in accepted if d])


def _return_kinds(run: TranslateRun, units: Sequence[Unit]) -> dict[str, str]:
    """The kind of what each of these functions returned on its cases (their calls in a line
    codex writes itself: line_rules.py)."""
    from codexcli.tasks.translate.kinds import merge, value_kind

    kinds = {}
    for unit in units:
        found = run.observed.get(unit.name) if unit.kind == "function" else None
        values = [o.value for o in found[1].observations if o.kind == "value"] if found else []
        if values and (kind := merge([value_kind(v) for v in values])) is not None:
            kinds[unit.name] = kind
    return kinds


def by_lines(
    outcome: Accepted[int] | GaveUp,
    run: TranslateRun,
    unit: Unit,
    signature: str,
    checks: dict[int, tuple[Piece, str, SyntaxCheck]],
    repairs: dict[int, str],
    parse_once: Callable[[str], int | ParseError],
    accepted: list[tuple[Unit, Piece, str]],
    samples: int,
    on_token: TokenCallback | None,
    syntax: LineSyntax = JAVA_LINES,
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
        return passes_of(run, unit, checks[index], accepted)

    whole = passed(outcome.value) if isinstance(outcome, Accepted) else -1
    if whole == sum(1 for o in expected.observations if o.kind in ("value", "raised")):
        return outcome  # the whole answer already matches on every case

    def compile_file(method: str) -> tuple[str, str | None]:
        helpers = tuple(needed(method, syntax.strs))  # the str rules' helpers (str_helpers.py)
        text = assemble(run.target, run.out_path, [*pieces, Piece((*syntax.check_imports, *helpers), method)], exports)
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
        syntax=syntax,
        calls=_return_kinds(run, [unit, *(u for u, _, d in accepted if d)]),
        per_case_timeout_s=run.per_case_timeout_s,
        on_token=on_token,
    )
    attempts = outcome.attempts + lines.attempts
    index = parse_once(f"```{languages.get(run.target).fence}\n{lines.method}\n```") if lines.method else None
    if not isinstance(index, int) or passed(index) <= whole:
        if isinstance(outcome, Accepted):
            return replace(outcome, attempts=attempts)
        reason = f"{outcome.reason}; {lines.note}" + ("" if lines.method is None else ", but it did not compile")
        return GaveUp(reason, attempts)
    repairs[index] = lines.note
    return Accepted(index, attempts, Completion(""))
