"""`codex undo`: restore the files the last run wrote, from its journal (codexcli/journal.py)."""

from __future__ import annotations

import time

from codexcli.cli.common import command
from codexcli.cli.output import Output
from codexcli.errors import SourceError, UsageError


@command("undo")
def undo_command(*, ui: Output) -> int:
    """Restore the files the last codex run wrote (or delete those it created).

    Refuses, changing nothing, when any of them changed since codex wrote it.

    Examples:

      codex comment src/ && codex undo
    """
    from codexcli import journal, workspace

    last = journal.load()
    if last is None or not last.entries:
        raise UsageError("nothing to undo: no codex run has written a file since the last undo")
    changed = journal.changed_since(last, journal.current_bytes(last))
    if changed:
        raise SourceError(
            f"{changed[0]}: changed since `codex {last.command}` wrote it; nothing restored, so that change is kept"
        )
    journal.restore(last)
    workspace.reset_written()  # the undo's own writes are not a run to undo
    paths = [str(e.path) for e in last.entries]
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last.ended))
    if ui.json:
        ui.emit_json({"command": "undo", "ok": True, "undone": last.command, "files": paths})
    else:
        ui.say(f"restored {len(paths)} file(s) written by `codex {last.command}` at {when}: {', '.join(paths)}")
    return 0
