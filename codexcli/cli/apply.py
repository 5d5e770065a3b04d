"""The one apply step of every editing command: a verified edit result becomes a diff, and a
file on disk only when it changed and this is not a dry run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Applied:
    """What happened to one file: its diff, whether it was written, and ``result``: the edit
    result as written (an --interactive run's declined targets are Skipped "declined" in it)."""

    path: Path
    diff: str
    changed: bool
    written: bool
    dry_run: bool
    declined: bool = False  # --interactive: the user said no to every change of the file
    result: Any = None

    @property
    def action(self) -> str:
        """How a summary line says it: written, not written (dry run), or unchanged."""
        if self.written:
            return "written"
        if self.declined:
            return "not written (declined)"
        if self.dry_run and self.changed:
            return "not written (dry run)"
        return "unchanged"


def apply_edit(
    path: Path, result: Any, *, dry_run: bool, bom: bool = False, make_parents: bool = False, ui: Any = None
) -> Applied:
    """Write ``result.after`` over ``path`` (atomically; BOM and line endings as read) when the
    result changed the text and this is not a dry run; in an ``--interactive`` run (``ui``) only
    the targets' changes the user says yes to (``review``). ``result`` has ``before``/``after``
    (tasks.pipeline.EditResult and the other tasks' results)."""
    from codexcli.workspace import atomic_write, unified_diff

    asked = result.before != result.after and not dry_run and ui is not None and ui.interactive
    if asked:
        result = review(path, result, ui)
    changed = result.before != result.after
    diff = unified_diff(path, result.before, result.after)
    if asked and not changed:
        return Applied(path, diff, changed, False, dry_run, declined=True, result=result)
    if changed and not dry_run:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, result.after, bom=bom)
    return Applied(path, diff, changed, changed and not dry_run, dry_run, result=result)


def review(path: Path, result: Any, ui: Any) -> Any:
    """--interactive: ask about each target's change alone (its diff and evidence) and return
    the result with only the accepted ones (tasks.pipeline.narrowed); a result that cannot be
    narrowed is asked about as one change. No answer (end of input) is no."""
    from codexcli.tasks.pipeline import Done
    from codexcli.workspace import unified_diff

    done = [o for o in result.outcomes if isinstance(o, Done)] if hasattr(result, "outcomes") else []
    if getattr(result, "narrow", None) is None or not done:
        whole = unified_diff(path, result.before, result.after)
        return result if ui.confirm_edit(path, whole, evidence_lines(result)) else _unchanged(result)
    accepted = set()
    for outcome in done:
        alone = result.narrow(lambda target, one=outcome.target: target is one)
        diff = unified_diff(path, result.before, alone.after)
        if ui.confirm_edit(f"{path}::{_name(outcome)}", diff, [evidence_line(outcome)]):
            accepted.add(id(outcome.target))
    if len(accepted) == len(done):
        return result
    return result.narrow(lambda target: id(target) in accepted)


def _unchanged(result: Any) -> Any:
    """``result`` with nothing written: its text as it was."""
    from dataclasses import replace

    return replace(result, after=result.before)


def _name(outcome: Any) -> str:
    target = getattr(outcome, "target", None)
    return str(getattr(target, "qualname", None) or getattr(target, "name", None) or "?")


def evidence_line(outcome: Any) -> str:
    """One target's line: its name, what happened and the evidence for it."""
    evidence = getattr(outcome, "evidence", None)
    said = evidence.describe() if evidence is not None else "no evidence"
    return f"  {_name(outcome)}: {getattr(outcome, 'status', '?')}; {said}"


def evidence_lines(result: Any) -> list[str]:
    """One line per target of ``result``: its name, what happened and the evidence for it."""
    return [evidence_line(o) for o in getattr(result, "outcomes", ())]
