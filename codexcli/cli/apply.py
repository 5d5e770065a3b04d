"""The one apply step of every editing command: a verified edit result becomes a diff, and a
file on disk only when it changed and this is not a dry run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Applied:
    """What happened to one file: its diff, and whether it was written."""

    path: Path
    diff: str
    changed: bool
    written: bool
    dry_run: bool
    declined: bool = False  # --interactive: the user said no

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
    when the user says yes to its diff and evidence. ``result`` has ``before``/``after``
    (tasks.pipeline.EditResult and the other tasks' results)."""
    from codexcli.workspace import atomic_write, unified_diff

    changed = result.before != result.after
    written = False
    diff = unified_diff(path, result.before, result.after)
    if changed and not dry_run and ui is not None and ui.interactive:
        if not ui.confirm_edit(path, diff, evidence_lines(result)):
            return Applied(path, diff, changed, False, dry_run, declined=True)
    if changed and not dry_run:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, result.after, bom=bom)
        written = True
    return Applied(path, diff, changed, written, dry_run)


def evidence_lines(result: Any) -> list[str]:
    """One line per target of ``result``: its name, what happened and the evidence for it."""
    lines = []
    for outcome in getattr(result, "outcomes", ()):
        target = getattr(outcome, "target", None)
        name = getattr(target, "qualname", None) or getattr(target, "name", None) or "?"
        evidence = getattr(outcome, "evidence", None)
        said = evidence.describe() if evidence is not None else "no evidence"
        lines.append(f"  {name}: {getattr(outcome, 'status', '?')}; {said}")
    return lines
