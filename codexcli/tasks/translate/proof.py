"""`codex translate`: how strongly codex knows each translated unit is right (the levels of
codexcli/evidence.py), the marker an unverified definition carries in the output, and what is
left out with a definition that is not written.

* ``reference``: a function that behaves like the original on every one of its input cases, or
  constants codex wrote itself (each value exactly the Python literal's, in the target's type).
* ``form``: everything else that compiles: a function that differs from the original or whose
  behaviour could not be checked, a class, constants the model wrote, a chunk of a file in
  another language (only a Python original is run next to its translation).

The write threshold (``TranslateOptions.threshold``, "reference" unless --evidence or
--keep-unverified says otherwise) keeps weaker units out of the file; a unit that uses one that
is not written (calls it, reads one of the module's constants) cannot compile alone and is left
out too, saying why (``left_out_dependents``). A unit written below "reference" carries
``codex: unverified: <facts>`` above it (``marker``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Sequence

from codexcli.evidence import Evidence
from codexcli.tasks.pipeline import Done, Outcome, Skipped
from codexcli.tasks.translate.types import UnitCheck
from codexcli.tasks.translate.units import Unit


def unit_evidence(unit: Unit, detail: UnitCheck) -> Evidence:
    """The evidence for one translated unit, from its compile check and behaviour report."""
    check = detail.check
    if check is None or check.ok is not True:
        why = check.detail if check is not None and check.detail else "no compiler to check it"
        return Evidence("form", f"not compiled ({why}); behaviour not checked")
    if unit.kind == "constants":
        if detail.origin == "codex":
            return Evidence("reference", "written by codex: each value is exactly the Python literal's")
        return Evidence("form", "compiles; behaviour not checked: constants written by the model, values not compared")
    if unit.kind == "class":
        return Evidence("form", "compiles; behaviour not checked: classes are not run against the original")
    if unit.kind == "chunk":
        return Evidence(
            "form", "compiles; behaviour not checked: only a Python original is run next to its translation"
        )
    report = detail.behaviour
    if report is None:
        return Evidence("form", "compiles; behaviour not checked: no input cases")
    if report.left_out:  # cases whose arguments the translation's types cannot hold (line_lists.py)
        report = replace(report, error=report.error or (None if report.results else "no case it can be given"))
    left = (
        f"; {len(report.left_out)} cases left out: the signature's types cannot hold their arguments "
        f"(e.g. {report.left_out[0]})"
        if report.left_out
        else ""
    )
    if report.verified:
        return Evidence("reference", f"behaves like the original on {report.total} cases{left}")
    if report.failed:
        return Evidence(
            "form",
            f"compiles; differs from the original on {report.total - report.passed} of {report.total} cases "
            f"({report.first_failure()}){left}",
        )
    return Evidence("form", f"compiles; behaviour not checked: {report.error or 'no input cases'}")


def marker(detail: UnitCheck) -> str:
    """The comment above a written unit whose evidence is not verified ("" for a verified one,
    and before the evidence is known)."""
    evidence = detail.evidence
    if evidence is None or evidence.verified:
        return ""
    return f"codex: unverified: {evidence.facts.removeprefix('compiles; ')}"


def with_evidence(outcome: Outcome) -> Outcome:
    """A translated unit with its evidence, on the outcome and on its value alike."""
    if not isinstance(outcome, Done):
        return outcome
    evidence = unit_evidence(outcome.target, outcome.detail)
    detail = replace(outcome.detail, evidence=evidence)
    return replace(outcome, value=detail, detail=detail, evidence=evidence)


def candidate_text(detail: UnitCheck) -> str:
    """A held-back unit's code as a user would take it by hand: its imports, then its body."""
    piece = detail.piece
    if piece is None:
        return ""
    return "".join(f"{i}\n" for i in piece.imports) + piece.body


def _uses(unit: Unit) -> list[str]:
    """Patterns of what uses ``unit`` in translated code: a call of a function (by its target
    name; ``double(`` but not the type ``double``), a class's name, each constant's name."""
    if unit.kind == "function":
        return [rf"\b{re.escape(unit.target_name or unit.name)}\s*\("]
    if unit.kind == "class":
        return [rf"\b{re.escape(unit.target_name or unit.name)}\b"]
    if unit.kind != "constants":
        return []
    tree = ast.parse(unit.code)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return [rf"\b{re.escape(name)}\b" for name in sorted(names)]


def _removed(outcome: Outcome) -> bool:
    """A unit that compiled with the others but is not written now (held back, left out,
    dropped): the units after it were compiled with it."""
    return isinstance(outcome, Skipped) and (outcome.candidate is not None or outcome.status == "dropped")


def left_out_dependents(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Each written unit whose code names a unit that is not written any more (below the
    threshold, dropped, left out) becomes a Skipped "left out", its code the candidate: it was
    compiled with that unit and alone would not compile. Repeated until nothing changes (a
    caller of a left-out unit is left out too). A unit that never translated was never there
    to compile against, so what came after it stands."""
    result = list(outcomes)
    changed = True
    while changed:
        changed = False
        gone = [(pattern, o.target.name) for o in result if _removed(o) for pattern in _uses(o.target)]
        for i, o in enumerate(result):
            if not isinstance(o, Done) or o.detail.piece is None:
                continue
            body = o.detail.piece.body
            missing = sorted({f"`{unit}`" for pattern, unit in gone if re.search(pattern, body)})
            if missing:
                reason = f"left out: it uses {', '.join(missing)}, which is not written, and would not compile alone"
                result[i] = Skipped(
                    o.target,
                    reason,
                    o.attempts,
                    o.cached,
                    status="left out",
                    detail=o.detail,
                    candidate=candidate_text(o.detail),
                    evidence=o.evidence,
                )
                changed = True
    return result


_SCALAR = re.compile(r"[-+]?\s*(\d[\w.]*|\.\d[\w.]*|null|nil|None|nullptr|undefined)")


def collection_as_scalar(python: str, code: str) -> str | None:
    """Why a translation of the module's constants ``code`` is wrong when it declares a list,
    tuple, set or dict of the Python ``python`` as a single number (or null): SmolLM2 wrote
    ``public static final int DAYS_IN_MONTH = -1;`` for a list; None when no such slip is seen."""
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return None
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if not isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.DictComp, ast.SetComp)):
            continue
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            found = re.search(rf"\b{re.escape(target.id)}\s*(?::[^=\n]*)?=\s*([^;\n]+)", code)
            if found and _SCALAR.fullmatch(found.group(1).strip().rstrip(",")):
                kind = type(value).__name__.lower().replace("comp", "")
                return (
                    f"`{target.id}` is a {kind} in the original, but the translation declares it as the single "
                    f"value {found.group(1).strip()}; write the whole {kind} in the target's type"
                )
    return None
