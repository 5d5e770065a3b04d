"""A content-addressed cache of verified results (SQLite), shared by every task.

The key is a hash of everything that decides an answer: the model's identity, the prompt
template (its file digest and version), the task's parameters and the target's source. The
value is the verified result as JSON. A re-run on unchanged code therefore makes no model call.

The cache is a convenience, never a reason to fail: a corrupt database is moved aside and
rebuilt, a locked or unwritable one is bypassed for the run, each with one warning.

Location: ``$CODEXCLI_HOME/cache.sqlite3`` when CODEXCLI_HOME is set, else
``$XDG_CACHE_HOME/codexcli/cache.sqlite3`` (``~/.cache/codexcli/cache.sqlite3``).

The same folder holds every other file codex keeps (``KEPT``: the repository indexes, Hypothesis'
examples, the journal of the last run, the --verbose logs, converted models); ``kept`` measures them, ``clear_kept``
removes them, ``enforce_cap`` keeps their total under ``cache_max_mb``, oldest first.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from codexcli.config import Settings

CACHE_FILE = "cache.sqlite3"
SCHEMA_VERSION = 1
# Seconds to wait for another codex process holding the database before bypassing it.
BUSY_TIMEOUT = 2.0

Warn = Callable[[str], None]


def cache_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the cache database lives (CODEXCLI_HOME overrides the user cache folder)."""
    env = os.environ if env is None else env
    if env.get("CODEXCLI_HOME"):
        return Path(env["CODEXCLI_HOME"]).expanduser() / CACHE_FILE
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codexcli" / CACHE_FILE


def model_identity(settings: Settings) -> dict[str, Any]:
    """Who would answer, without loading anything: backend name and model file (path, size,
    mtime), the same facts as ``Backend.describe()``. Cheap enough to run before deciding
    whether the model is needed at all."""
    if settings.backend == "openai":  # the server's URL and model id (never the API key)
        from codexcli.backends.openai import identity as server_identity

        return server_identity(settings)
    if settings.backend != "llamacpp":
        return {"backend": settings.backend, "model": settings.model}
    from codexcli.model.find import resolve_model

    try:
        path = resolve_model(settings).path
        stat = path.stat()
    except Exception:  # an unusable model fails later, where it is reported properly
        return {"backend": settings.backend, "model": settings.model}
    identity: dict[str, Any] = {"backend": "llamacpp", "model": str(path), "size": stat.st_size}
    identity["mtime"] = int(stat.st_mtime)
    identity["convert"] = settings.convert  # batches may run on a converted copy (model/convert.py)
    if settings.adapter:  # a different adapter gives different answers: its bytes are in the key
        from codexcli.model.adapter import file_digest

        try:
            identity["adapter_digest"] = file_digest(Path(settings.adapter).expanduser())
        except OSError:
            identity["adapter_digest"] = settings.adapter
    return identity


def make_key(
    task: str, model: Mapping[str, Any], prompt_digest: str, prompt_version: int, params: Mapping[str, Any], source: str
) -> str:
    """The cache key: a SHA-256 over a canonical JSON of everything that decides the answer."""
    payload = json.dumps(
        {
            "task": task,
            "model": dict(model),
            "prompt": [prompt_digest, prompt_version],
            "params": dict(params),
            "source": source,
            "schema": SCHEMA_VERSION,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What `codex cache info` reports."""

    path: Path
    exists: bool
    entries: int
    size_bytes: int
    by_task: dict[str, int]
    usable: bool


class ResultCache:
    """get/put of JSON values by key. Every failure degrades to "no cache" with one warning."""

    def __init__(self, path: Path, warn: Warn | None = None) -> None:
        self.path = path
        self.warn = warn or (lambda _msg: None)
        self._conn: sqlite3.Connection | None = None
        self._disabled = False
        self.hits = 0
        self.misses = 0

    # Connection ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._conn is not None:
            return self._conn
        try:
            self._conn = self._connect()
        except sqlite3.DatabaseError as exc:
            if _is_locked(exc):
                self._bypass(f"the cache database {self.path} is locked ({exc}); running without it")
                return None
            self._rebuild(exc)
        except OSError as exc:
            self._bypass(f"cannot use the cache at {self.path} ({exc}); running without it")
            return None
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, task TEXT NOT NULL, "
                "value TEXT NOT NULL, created REAL NOT NULL)"
            )
            conn.execute("SELECT count(*) FROM results").fetchone()  # reads a page: finds corruption
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _rebuild(self, exc: Exception) -> None:
        """Move a corrupt database aside and start a fresh one."""
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
            self._conn = self._connect()
        except (OSError, sqlite3.DatabaseError) as again:
            self._conn = None
            self._bypass(f"the cache database {self.path} is unusable ({exc}; {again}); running without it")
            return
        self.warn(f"the cache database {self.path} was corrupt ({exc}); moved it to {aside.name} and started a new one")

    def _bypass(self, message: str) -> None:
        self._disabled = True
        self.warn(message)
        return None

    # API ----------------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None (also when the cache is unusable)."""
        conn = self._open()
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return None
        if row is None:
            self.misses += 1
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, task: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``; failures only warn."""
        conn = self._open()
        if conn is None:
            return
        try:
            conn.execute(
                "INSERT OR REPLACE INTO results (key, task, value, created) VALUES (?, ?, ?, ?)",
                (key, task, json.dumps(value), time.time()),
            )
            conn.commit()
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.DatabaseError) -> None:
        self.close()
        self._bypass(f"the cache database {self.path} failed ({exc}); running without it")

    def info(self) -> CacheInfo:
        """Entries and size, for `codex cache info`."""
        exists = self.path.exists()
        if not exists:
            return CacheInfo(self.path, False, 0, 0, {}, True)
        conn = self._open()
        by_task: dict[str, int] = {}
        if conn is not None:
            try:
                by_task = dict(conn.execute("SELECT task, count(*) FROM results GROUP BY task").fetchall())
            except sqlite3.DatabaseError as exc:
                self._fail(exc)
        size = self.path.stat().st_size if self.path.exists() else 0
        return CacheInfo(self.path, True, sum(by_task.values()), size, by_task, conn is not None and not self._disabled)

    def clear(self) -> int:
        """Delete every entry; returns how many there were. A broken database is removed."""
        if not self.path.exists():
            return 0
        conn = self._open()
        if conn is None:
            return 0
        try:
            count = conn.execute("SELECT count(*) FROM results").fetchone()[0]
            conn.execute("DELETE FROM results")
            conn.commit()
            conn.execute("VACUUM")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return 0
        return int(count)

    def prune(self, budget_bytes: int) -> int:
        """Delete the oldest entries until the values left take at most ``budget_bytes``, then
        compact the file; returns how many were deleted."""
        conn = self._open()
        if conn is None:
            return 0
        try:
            rows = conn.execute("SELECT key, length(value) FROM results ORDER BY created DESC").fetchall()
            kept, doomed = 0, []
            for key, size in rows:
                kept += int(size)
                if kept > budget_bytes:
                    doomed.append((key,))
            conn.executemany("DELETE FROM results WHERE key = ?", doomed)
            conn.commit()
            conn.execute("VACUUM")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return 0
        return len(doomed)

    def close(self) -> None:
        """Close the database connection (the next call reopens it)."""
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class NullCache(ResultCache):
    """--no-cache: never reads, never writes."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))
        self._disabled = True


def _is_locked(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def open_cache(enabled: bool = True, warn: Warn | None = None, env: Mapping[str, str] | None = None) -> ResultCache:
    """The user's result cache, or a NullCache when disabled."""
    return ResultCache(cache_path(env), warn) if enabled else NullCache()


# Every kind of file codex keeps under its cache folder -> its entry there.
KEPT = {
    "results": CACHE_FILE,
    "index": "index",
    "hypothesis": "hypothesis",
    "journal": "journal",
    "logs": "logs",
    "models": "models",  # converted copies of the model for batches (model/convert.py)
}
# What the size cap removes first, oldest file first: what is cheapest to make again.
_EXPENDABLE = ("logs", "hypothesis", "index")


@dataclass(frozen=True)
class Kept:
    """One kind of file codex keeps: where, how many files, how many bytes."""

    kind: str
    path: Path
    files: int
    size_bytes: int


def home_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder of every file codex keeps (CODEXCLI_HOME, else the user cache folder)."""
    return cache_path(env).parent


def _files_of(home: Path, kind: str) -> list[Path]:
    if kind == "results":  # the database with its -wal/-shm/-journal files and a .corrupt copy
        return sorted(p for p in home.glob(CACHE_FILE + "*") if p.is_file())
    folder = home / KEPT[kind]
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def kept(home: Path | None = None) -> list[Kept]:
    """Each kind of file codex keeps, measured."""
    home = home or home_dir()
    found = []
    for kind, entry in KEPT.items():
        files = _files_of(home, kind)
        found.append(Kept(kind, home / entry, len(files), sum(_size(p) for p in files)))
    return found


def clear_kept(home: Path | None = None, warn: Warn | None = None) -> dict[str, int]:
    """Remove every file codex keeps (the results emptied in place, so a running codex keeps a
    valid database); how many were removed of each kind (results: entries)."""
    home = home or home_dir()
    cache = ResultCache(home / CACHE_FILE, warn)
    removed = {"results": cache.clear()}
    cache.close()
    for kind in KEPT:
        if kind != "results":
            removed[kind] = sum(_unlink(p) for p in _files_of(home, kind))
    return removed


def _unlink(path: Path) -> int:
    try:
        path.unlink()
        return 1
    except OSError:
        return 0


def enforce_cap(cap_mb: int, home: Path | None = None) -> list[Path]:
    """Keep the files codex keeps under ``cap_mb`` megabytes (0: no cap): the oldest logs,
    Hypothesis files and indexes go first, then the oldest results. The journal (the last
    run's undo) is kept. Returns the files removed."""
    home = home or home_dir()
    if cap_mb <= 0 or not home.is_dir():
        return []
    cap = cap_mb * 1_000_000
    total = sum(k.size_bytes for k in kept(home))
    removed: list[Path] = []
    candidates = sorted((p for kind in _EXPENDABLE for p in _files_of(home, kind)), key=lambda p: _mtime(p))
    for path in candidates:
        if total <= cap:
            break
        size = _size(path)
        if _unlink(path):
            total -= size
            removed.append(path)
    if total > cap and (home / CACHE_FILE).is_file():
        cache = ResultCache(home / CACHE_FILE)
        others = total - sum(_size(p) for p in _files_of(home, "results"))
        if cache.prune(max(0, cap - others)):
            removed.append(home / CACHE_FILE)
        cache.close()
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
