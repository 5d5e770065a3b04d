"""The index database (SQLite, FTS5 with BM25) of one repository root: open or rebuild it,
refresh it incrementally, search it.

A file whose size and modification time are unchanged is not read again; a changed one is
hashed, and re-extracted only when its content hash changed. The index is derived data: a
corrupt or foreign-schema database is rebuilt with one warning, never a reason to fail.

Location: ``$CODEXCLI_HOME/index/`` or ``$XDG_CACHE_HOME/codexcli/index/`` (beside the result cache),
one database per root.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from codexcli.errors import CodexError
from codexcli.index.defs import Definition
from codexcli.index.dense import BATCH, Embedder, fuse, rank_vectors, to_blob
from codexcli.index.extract import FileResult, index_file
from codexcli.index.files import MAX_BYTES, language_of, list_files
from codexcli.index.tokens import fts_query

SCHEMA_VERSION = "6"
# BM25 weights of the FTS columns: a match in a name says most, then signature, docstring, body,
# and the file's path least.
WEIGHTS = (5.0, 3.0, 2.0, 1.0, 1.0)
PARALLEL_FROM = 64  # files to (re)index before worker processes pay for their start
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, language TEXT NOT NULL, size INTEGER NOT NULL,
                   mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE defs(id INTEGER PRIMARY KEY, path TEXT NOT NULL, language TEXT NOT NULL, kind TEXT NOT NULL,
                  name TEXT NOT NULL, qualname TEXT NOT NULL, line INTEGER NOT NULL, end_line INTEGER NOT NULL,
                  signature TEXT NOT NULL, docstring TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX defs_path ON defs(path);
CREATE TABLE vectors(id INTEGER NOT NULL, model TEXT NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (id, model));
CREATE VIRTUAL TABLE defs_fts USING fts5(name, signature, docstring, body, place, language UNINDEXED,
                                        tokenize='porter unicode61');
"""
_DEF_COLUMNS = "path, language, kind, name, qualname, line, end_line, signature, docstring, text"

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


class IndexUnavailable(CodexError):
    """The index database cannot be used now (locked by another process, not writable)."""


@dataclass(frozen=True)
class Skip:
    """A file the index does not hold definitions for, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class RefreshStats:
    """What one refresh did."""

    files: int  # candidate files listed
    indexed: int  # (re)extracted this time
    unchanged: int
    removed: int
    definitions: int  # in the index now
    skipped: tuple[Skip, ...]
    seconds: float
    source: str  # "git" | "walk"
    truncated: bool = False


@dataclass(frozen=True)
class Hit:
    """One search result: a definition and its BM25 score (higher is better)."""

    definition: Definition
    score: float


def index_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder of index databases (beside the result cache)."""
    from codexcli.cache import cache_path

    return cache_path(env).parent / "index"


def index_path(root: Path, *, docstrings: bool = True) -> Path:
    """The database of one root (a different one for a docstring-free index)."""
    key = f"{root.resolve()}\0{docstrings}".encode("utf-8", "surrogateescape")
    return index_dir() / f"{hashlib.sha256(key).hexdigest()[:20]}.sqlite3"


def _row_definition(row: tuple) -> Definition:
    return Definition(*row)


class Index:
    """An open index database for ``root``. Use ``open_index``; close it (or use ``with``)."""

    def __init__(
        self, root: Path, db: Path, *, docstrings: bool = True, use_git: bool = True, warn: Warn | None = None
    ) -> None:
        self.root = root.resolve()
        self.use_git = use_git
        self.db = db
        self.docstrings = docstrings
        self.warn = warn or (lambda message: None)
        self.conn = self._open()

    # -- opening, and rebuilding what cannot be read ------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        self.db.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.db, timeout=5.0)
        conn.execute("PRAGMA synchronous=OFF")  # derived data: a crash costs a rebuild, not a loss
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            meta = self._meta(conn)
        except (sqlite3.OperationalError, OSError) as exc:  # locked, unwritable: not damaged
            raise IndexUnavailable(f"the index {self.db} cannot be used: {exc}") from None
        except sqlite3.DatabaseError as exc:
            self.warn(f"the index {self.db} could not be read ({exc}); rebuilding it")
            return self._recreate()
        wanted = {"schema": SCHEMA_VERSION, "root": str(self.root), "docstrings": str(self.docstrings)}
        if meta != wanted:
            conn.close()
            return self._recreate()
        return conn

    @staticmethod
    def _meta(conn: sqlite3.Connection) -> dict[str, str]:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            return {}
        conn.execute("SELECT count(*) FROM files").fetchone()  # reads a page: catches corruption early
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    def _recreate(self) -> sqlite3.Connection:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)
        conn = self._connect()
        with conn:
            conn.executescript(_SCHEMA)
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("schema", SCHEMA_VERSION), ("root", str(self.root)), ("docstrings", str(self.docstrings))],
            )
        return conn

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- refreshing ---------------------------------------------------------------------------
    def refresh(self, on_progress: Progress | None = None, *, workers: int | None = None) -> RefreshStats:
        """Bring the index up to date with the files under the root; a database that breaks
        while doing so is rebuilt once (with a warning)."""
        try:
            return self._refresh(on_progress, workers)
        except sqlite3.OperationalError as exc:
            raise IndexUnavailable(f"the index {self.db} cannot be used: {exc}") from None
        except sqlite3.DatabaseError as exc:
            self.warn(f"the index {self.db} is damaged ({exc}); rebuilding it")
            self.conn.close()
            self.conn = self._recreate()
            return self._refresh(on_progress, workers)

    def _refresh(self, on_progress: Progress | None, workers: int | None) -> RefreshStats:
        start = time.perf_counter()
        listing = list_files(self.root, use_git=self.use_git)
        known = {r[0]: r[1:] for r in self.conn.execute("SELECT path, size, mtime_ns, hash FROM files")}
        todo: list[tuple[str, str, str | None]] = []
        unchanged = 0
        for path in listing.paths:
            old = known.get(path)
            try:
                stat = os.stat(self.root / path)
            except OSError:
                continue
            if old is not None and old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
                unchanged += 1
                continue
            todo.append((path, language_of(path) or "", old[2] if old else None))
        listed = set(listing.paths)
        removed = [p for p in known if p not in listed]
        skipped: list[Skip] = []
        indexed = 0
        with self.conn:
            for path in removed:
                self._forget(path)
            for number, result in enumerate(self._extract(todo, workers), 1):
                if on_progress is not None:
                    on_progress(number, len(todo))
                if not result.keep:
                    self._forget(result.path)
                    skipped.append(Skip(result.path, result.note))
                    continue
                if result.same:
                    unchanged += 1
                    self.conn.execute(
                        "UPDATE files SET size=?, mtime_ns=? WHERE path=?", (result.size, result.mtime_ns, result.path)
                    )
                    continue
                indexed += 1
                self._store(result)
        skipped.extend(Skip(p, n) for p, n in self.conn.execute("SELECT path, note FROM files WHERE note != ''"))
        (count,) = self.conn.execute("SELECT count(*) FROM defs").fetchone()
        return RefreshStats(
            files=len(listing.paths),
            indexed=indexed,
            unchanged=unchanged,
            removed=len(removed),
            definitions=count,
            skipped=tuple(sorted(skipped, key=lambda s: s.path)),
            seconds=time.perf_counter() - start,
            source=listing.source,
            truncated=listing.truncated,
        )

    def _extract(self, todo: list[tuple[str, str, str | None]], workers: int | None) -> Iterator[FileResult]:
        root = str(self.root)
        workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        if workers <= 1 or len(todo) < PARALLEL_FROM:
            for path, language, old in todo:
                yield index_file(root, path, language, old, self.docstrings, MAX_BYTES)
            return
        with ProcessPoolExecutor(workers) as pool:
            yield from pool.map(
                index_file,
                [root] * len(todo),
                [t[0] for t in todo],
                [t[1] for t in todo],
                [t[2] for t in todo],
                [self.docstrings] * len(todo),
                chunksize=16,
            )

    def _forget(self, path: str) -> None:
        self.conn.execute("DELETE FROM vectors WHERE id IN (SELECT id FROM defs WHERE path = ?)", (path,))
        self.conn.execute("DELETE FROM defs_fts WHERE rowid IN (SELECT id FROM defs WHERE path = ?)", (path,))
        self.conn.execute("DELETE FROM defs WHERE path = ?", (path,))
        self.conn.execute("DELETE FROM files WHERE path = ?", (path,))

    def _store(self, result: FileResult) -> None:
        self._forget(result.path)
        self.conn.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
            (result.path, result.language, result.size, result.mtime_ns, result.hash, result.note),
        )
        for d, words in result.rows:
            cursor = self.conn.execute(
                f"INSERT INTO defs ({_DEF_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (d.path, d.language, d.kind, d.name, d.qualname, d.line, d.end_line, d.signature, d.docstring, d.text),
            )
            self.conn.execute(
                "INSERT INTO defs_fts(rowid, name, signature, docstring, body, place, language) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cursor.lastrowid, *words, d.language),
            )

    # -- searching ----------------------------------------------------------------------------
    def search(
        self, query: str, k: int = 10, *, language: str | None = None, exclude_paths: Iterable[str] = ()
    ) -> list[Hit]:
        """The ``k`` definitions that match ``query`` best (BM25 over code-aware words), in
        ``language`` only when given, never from ``exclude_paths``."""
        match = fts_query(query)
        if not match or k <= 0:
            return []
        excluded = set(exclude_paths)
        extra = 0
        if excluded:  # fetch enough to still have k once the excluded files' definitions are dropped
            marks = ", ".join("?" * len(excluded))
            (extra,) = self.conn.execute(
                f"SELECT count(*) FROM defs WHERE path IN ({marks})", sorted(excluded)
            ).fetchone()
        # Rank inside FTS5 first (cheap), then read only the winners' rows.
        sql = f"SELECT rowid, bm25(defs_fts, {', '.join(map(str, WEIGHTS))}, 0.0) AS score FROM defs_fts WHERE defs_fts MATCH ?"
        args: list[object] = [match]
        if language is not None:
            sql += " AND language = ?"
            args.append(language)
        ranked = self.conn.execute(sql + " ORDER BY score LIMIT ?", [*args, k + extra]).fetchall()
        if not ranked:
            return []
        marks = ", ".join("?" * len(ranked))
        rows = {
            r[0]: r[1:]
            for r in self.conn.execute(
                f"SELECT id, {_DEF_COLUMNS} FROM defs WHERE id IN ({marks})", [r[0] for r in ranked]
            )
        }
        hits = [Hit(_row_definition(rows[i]), -score) for i, score in ranked if i in rows]
        return [h for h in hits if h.definition.path not in excluded][:k]


def _key(hit: Hit) -> tuple[str, str, int]:
    return hit.definition.path, hit.definition.qualname, hit.definition.line


class DenseIndex:
    """Dense (embedding) search over an open Index, and its fusion with BM25 (index/dense.py)."""

    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed_missing(self, on_progress: Progress | None = None) -> int:
        """Embed the definitions that have no vector of this model yet; how many were embedded."""
        conn = self.index.conn
        todo = conn.execute(
            "SELECT id, qualname, signature, text FROM defs WHERE id NOT IN (SELECT id FROM vectors WHERE model = ?)",
            (self.embedder.name,),
        ).fetchall()
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            vectors = self.embedder.embed([f"{q}\n{t}" for _, q, _, t in chunk])
            with conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(row[0], self.embedder.name, to_blob(v)) for row, v in zip(chunk, vectors)],
                )
            if on_progress is not None:
                on_progress(min(start + BATCH, len(todo)), len(todo))
        return len(todo)

    def search(self, query: str, k: int = 10, *, language: str | None = None) -> list[Hit]:
        """The ``k`` definitions nearest ``query`` by cosine similarity."""
        sql = "SELECT v.id, v.vec FROM vectors v JOIN defs d ON d.id = v.id WHERE v.model = ?"
        args: list[object] = [self.embedder.name]
        if language is not None:
            sql += " AND d.language = ?"
            args.append(language)
        ranked = rank_vectors(self.embedder.embed([query])[0], self.index.conn.execute(sql, args).fetchall(), k)
        if not ranked:
            return []
        marks = ", ".join("?" * len(ranked))
        rows = {
            r[0]: r[1:]
            for r in self.index.conn.execute(
                f"SELECT id, {_DEF_COLUMNS} FROM defs WHERE id IN ({marks})", [i for i, _ in ranked]
            )
        }
        return [Hit(_row_definition(rows[i]), score) for i, score in ranked if i in rows]

    def fused(self, query: str, k: int = 10, *, language: str | None = None, depth: int = 50) -> list[Hit]:
        """BM25 and dense rankings (``depth`` deep each) fused by reciprocal rank."""
        lexical = self.index.search(query, depth, language=language)
        dense = self.search(query, depth, language=language)
        return [Hit(hit.definition, score) for hit, score in fuse([lexical, dense], _key, k)]


def open_index(
    root: Path, *, db: Path | None = None, docstrings: bool = True, use_git: bool = True, warn: Warn | None = None
) -> Index:
    """Open (creating or rebuilding as needed) the index of ``root``; ``use_git=False`` walks
    the folder even inside a git work tree (ignored files included)."""
    path = db or index_path(root, docstrings=docstrings)
    return Index(root, path, docstrings=docstrings, use_git=use_git, warn=warn)
