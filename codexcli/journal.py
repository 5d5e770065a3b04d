"""The journal of the last run that wrote files: what ``codex undo`` restores.

At the end of every command the error boundary records the files it wrote (workspace keeps,
for each, the bytes before its first write and after its last) in
``$CODEXCLI_HOME/journal/last-run.json`` (beside the result cache). ``codex undo`` puts the old
bytes back, deleting the files the run created, but only when every file still holds exactly
what codex wrote: a file changed since (by the user, another tool) refuses the whole undo, so no
one's later work is lost. The check (``changed_since``) is pure; reading and writing are here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from codexcli.cache import cache_path

JOURNAL_FILE = "last-run.json"


@dataclass(frozen=True)
class Entry:
    """One file of the run: its bytes before (None: codex created it) and the digest of its
    bytes after."""

    path: Path
    before: bytes | None
    after_sha256: str


@dataclass(frozen=True)
class Journal:
    """The last run that wrote files: the command, when it ended, and its files."""

    command: str
    ended: float
    entries: tuple[Entry, ...]


def journal_path(env: Mapping[str, str] | None = None) -> Path:
    return cache_path(env).parent / "journal" / JOURNAL_FILE


def record(command: str, replaced: Mapping[Path, tuple[bytes | None, str]]) -> None:
    """Keep ``replaced`` (workspace.replaced_files()) as the last run's journal."""
    from codexcli.workspace import atomic_write

    files = [
        {
            "path": str(path),
            "before": None if before is None else base64.b64encode(before).decode("ascii"),
            "after_sha256": after,
        }
        for path, (before, after) in replaced.items()
    ]
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps({"command": command, "ended": time.time(), "files": files}))


def load() -> Journal | None:
    """The last run's journal; None when there is none (or it cannot be read)."""
    try:
        data = json.loads(journal_path().read_text(encoding="utf-8"))
        entries = tuple(
            Entry(Path(f["path"]), None if f["before"] is None else base64.b64decode(f["before"]), f["after_sha256"])
            for f in data["files"]
        )
        return Journal(str(data["command"]), float(data["ended"]), entries)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def changed_since(journal: Journal, current: Mapping[Path, bytes | None]) -> list[Path]:
    """The files whose bytes now (``current``: None when gone) are not what the run wrote."""
    return [
        e.path
        for e in journal.entries
        if (now := current.get(e.path)) is None or hashlib.sha256(now).hexdigest() != e.after_sha256
    ]


def current_bytes(journal: Journal) -> dict[Path, bytes | None]:
    """What each of the journal's files holds now (None: missing or unreadable)."""
    found: dict[Path, bytes | None] = {}
    for entry in journal.entries:
        try:
            found[entry.path] = entry.path.read_bytes()
        except OSError:
            found[entry.path] = None
    return found


def restore(journal: Journal) -> None:
    """Put each file back as it was before the run (atomically; a created file is deleted),
    then forget the journal. The caller has checked ``changed_since``."""
    from codexcli.workspace import atomic_write

    for entry in reversed(journal.entries):
        if entry.before is None:
            os.unlink(entry.path)
        else:
            # latin-1 maps each byte to one character and back: the old bytes come back exactly.
            atomic_write(entry.path, entry.before.decode("latin-1"), encoding="latin-1")
    forget()


def forget() -> None:
    try:
        journal_path().unlink()
    except FileNotFoundError:
        pass
