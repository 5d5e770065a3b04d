"""Corpus readers: directories, git repositories at a revision, .tar/.zip archives, and JSONL or
Parquet files with a content column (the layout of public code dumps).

Every reader yields ``Item``s in a fixed order (sorted walks, archive order, line order), so a
corpus always cuts into the same batches. A file that cannot be taken (unreadable, a symlink,
an archive entry with an absolute or ``..`` path, an absurd size, a malformed JSONL line) is an
Item with ``skip`` set to the reason: counted, never raised. Nothing is ever extracted to disk;
archive entries are read in memory, at most ``max_bytes + 1`` bytes each.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Iterator, cast

from codexcli import languages
from codexcli.errors import UsageError
from codexcli.safe_read import read_regular

LICENSE_NAMES = ("license", "license.txt", "license.md", "license.rst", "licence", "copying", "copying.txt")
PATH_FIELDS = ("path", "max_stars_repo_path", "repo_path", "file_path", "filepath")
LICENSE_FIELDS = ("license", "licenses", "max_stars_repo_licenses")


@dataclass(frozen=True)
class Item:
    """One candidate file: its data, or the reason it was skipped."""

    path: str  # "<source name>/<path inside the source>"
    data: bytes | None
    license: str | None = None
    skip: str | None = None


@dataclass(frozen=True)
class Source:
    """A parsed SOURCE argument."""

    kind: str  # dir | git | tar | zip | jsonl | parquet
    path: Path
    rev: str | None = None

    @property
    def label(self) -> str:
        """The prefix of every item path: the source's own name."""
        return self.path.resolve().name or "root"


def parse_source(spec: str) -> Source:
    """A SOURCE argument: a directory (a git repository's top reads HEAD), ``REPO@REV``, an
    archive, or JSONL/Parquet. UsageError when it does not exist or is of no known kind."""
    path, rev = Path(spec), None
    if not path.exists() and "@" in spec:
        head, _, rev = spec.rpartition("@")
        path = Path(head)
    if not path.exists():
        raise UsageError(f"{spec}: no such file or directory")
    if path.is_dir():
        if rev or (path / ".git").exists():
            try:
                _git(path, "rev-parse", "--verify", "--quiet", f"{rev or 'HEAD'}^{{commit}}")
            except UsageError:
                raise UsageError(f"{spec}: no commit {rev or 'HEAD'} in this git repository") from None
            return Source("git", path, rev or "HEAD")
        return Source("dir", path)
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return Source("jsonl", path)
    if name.endswith(".parquet"):
        return Source("parquet", path)
    if name.endswith(".zip"):
        return Source("zip", path)
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        return Source("tar", path)
    raise UsageError(f"{spec}: not a directory, git repository, .tar/.zip archive, .jsonl or .parquet file")


def wanted(path: str, langs: tuple[str, ...]) -> bool:
    """Whether a file's suffix belongs to one of the selected languages."""
    language = languages.by_suffix(PurePosixPath(path).suffix)
    return language is not None and language.name in langs


def _license_index(paths: list[str]) -> dict[str, str]:
    """Folder -> the license file in it, for the names in a listing."""
    found: dict[str, str] = {}
    for p in sorted(paths):
        pp = PurePosixPath(p)
        if pp.name.lower() in LICENSE_NAMES:
            found.setdefault(str(pp.parent), p)
    return found


def _nearest_license(path: str, index: dict[str, str]) -> str | None:
    for parent in PurePosixPath(path).parents:
        if str(parent) in index:
            return index[str(parent)]
    return None


def _unsafe(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or name.startswith("/")


def read_source(src: Source, langs: tuple[str, ...], max_bytes: int, fields: dict[str, str | None]) -> Iterator[Item]:
    """Every item of one source, in a fixed order."""
    readers = {"dir": _read_dir, "git": _read_git, "tar": _read_tar, "zip": _read_zip}
    if src.kind in readers:
        yield from readers[src.kind](src, langs, max_bytes)
    elif src.kind == "jsonl":
        yield from _read_jsonl(src, langs, max_bytes, fields)
    else:
        yield from _read_parquet(src, langs, max_bytes, fields)


def _read_dir(src: Source, langs: tuple[str, ...], max_bytes: int) -> Iterator[Item]:
    root, label = src.path, src.label
    license_of: dict[str, str | None] = {}  # folder -> the license file nearest to it
    # followlinks=False: a symlinked folder is never entered, so symlink loops cannot recurse.
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        own = next((f for f in sorted(files) if f.lower() in LICENSE_NAMES), None)
        parent = PurePosixPath(rel_folder).parent.as_posix()
        inherited = license_of.get(parent) if rel_folder != "." else None
        license_of[rel_folder] = f"{label}/{prefix}{own}" if own else inherited
        for name in sorted(files):
            if wanted(name, langs):
                yield _dir_item(Path(folder) / name, f"{label}/{prefix}{name}", license_of[rel_folder], max_bytes)


def _dir_item(full: Path, path: str, license: str | None, max_bytes: int) -> Item:
    # No root: a symlink is never followed (its target, if in the corpus, is read as itself).
    got = read_regular(full, max_bytes)
    return Item(path, got.data, license, got.skip)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        raise UsageError(f"{root}: git {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _read_git(src: Source, langs: tuple[str, ...], max_bytes: int) -> Iterator[Item]:
    rev = src.rev or "HEAD"
    listing = _git(src.path, "ls-tree", "-r", "-z", "-l", "--full-tree", rev).split(b"\0")
    entries = []
    for raw in listing:
        if not raw:
            continue
        meta, _, raw_name = raw.partition(b"\t")
        m, k, h, n = (part.decode() for part in meta.split())
        entries.append((m, k, h, n, raw_name.decode("utf-8", "replace")))
    index = _license_index([e[4] for e in entries if e[1] == "blob"])
    label = src.label
    chosen = [e for e in entries if e[1] == "blob" and wanted(e[4], langs)]
    proc = subprocess.Popen(
        ["git", "-C", str(src.path), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for mode, _kind, sha, size, name in chosen:
            lic = _nearest_license(name, index)
            license = f"{label}/{lic}" if lic else None
            path = f"{label}/{name}"
            if mode == "120000":
                yield Item(path, None, license, "symlink")
            elif int(size) > max_bytes:
                yield Item(path, None, license, "too-large")
            else:
                yield Item(path, _cat(proc.stdin, proc.stdout, sha), license)
    finally:
        proc.stdin.close()
        proc.wait()


def _cat(stdin: IO[bytes], stdout: IO[bytes], sha: str) -> bytes:
    stdin.write(sha.encode() + b"\n")
    stdin.flush()
    header = stdout.readline().split()
    data = stdout.read(int(header[2]))
    stdout.read(1)  # the newline after each object
    return data


def _read_tar(src: Source, langs: tuple[str, ...], max_bytes: int) -> Iterator[Item]:
    label = src.label
    try:
        with tarfile.open(src.path, "r:*") as tf:
            members = tf.getmembers()
            index = _license_index([m.name for m in members if m.isfile() and not _unsafe(m.name)])
            for m in members:
                if not wanted(m.name, langs):
                    continue
                path = f"{label}/{m.name}"
                license = _nearest_license(m.name, index)
                license = f"{label}/{license}" if license else None
                if _unsafe(m.name):
                    yield Item(path, None, license, "unsafe-path")
                elif m.issym() or m.islnk():
                    yield Item(path, None, license, "symlink")
                elif not m.isfile():
                    yield Item(path, None, license, "not-a-file")
                elif m.size > max_bytes:
                    yield Item(path, None, license, "too-large")
                else:
                    fh = tf.extractfile(m)
                    data = fh.read(max_bytes + 1) if fh else b""
                    yield Item(path, data, license, "too-large" if len(data) > max_bytes else None)
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        yield Item(f"{label}/", None, None, "unreadable-source")


def _read_zip(src: Source, langs: tuple[str, ...], max_bytes: int) -> Iterator[Item]:
    label = src.label
    try:
        zf = zipfile.ZipFile(src.path)
    except (zipfile.BadZipFile, OSError):
        yield Item(f"{label}/", None, None, "unreadable-source")
        return
    with zf:
        infos = zf.infolist()
        index = _license_index([i.filename for i in infos if not i.is_dir() and not _unsafe(i.filename)])
        for info in infos:
            name = info.filename
            if info.is_dir() or not wanted(name, langs):
                continue
            path = f"{label}/{name}"
            license = _nearest_license(name, index)
            license = f"{label}/{license}" if license else None
            if _unsafe(name):
                yield Item(path, None, license, "unsafe-path")
            elif stat.S_ISLNK(info.external_attr >> 16):
                yield Item(path, None, license, "symlink")
            elif info.file_size > max_bytes:
                yield Item(path, None, license, "too-large")
            else:
                try:
                    with zf.open(info) as fh:
                        data = fh.read(max_bytes + 1)  # the header's size may lie: read no more
                except (zipfile.BadZipFile, OSError, RuntimeError, zlib.error, EOFError, NotImplementedError):
                    yield Item(path, None, license, "unreadable")
                    continue
                yield Item(path, data, license, "too-large" if len(data) > max_bytes else None)


def _record_item(
    row: Any, where: str, langs: tuple[str, ...], max_bytes: int, fields: dict[str, str | None]
) -> Item | None:
    """One JSONL/Parquet row as an Item (None for a file of an unselected language)."""
    if not isinstance(row, dict) or not isinstance(row.get(fields["content"] or "content"), str):
        return Item(where, None, None, "bad-record")
    wanted_field = fields.get("path")
    path_value = row.get(wanted_field) if wanted_field else next((row[f] for f in PATH_FIELDS if f in row), None)
    path = f"{where}:{path_value}" if isinstance(path_value, str) and path_value else where
    if isinstance(path_value, str) and path_value and not wanted(path_value, langs):
        return None
    lic = next((row[f] for f in LICENSE_FIELDS if row.get(f)), None)
    license = ",".join(map(str, lic)) if isinstance(lic, list) else (str(lic) if lic is not None else None)
    try:
        data = row[fields["content"] or "content"].encode("utf-8")
    except UnicodeEncodeError:
        return Item(path, None, license, "not-utf8")
    return Item(path, data, license, "too-large" if len(data) > max_bytes else None)


def _open_lines(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if path.name.endswith(".gz") else open(path, "rb")


def _read_jsonl(src: Source, langs: tuple[str, ...], max_bytes: int, fields: dict[str, str | None]) -> Iterator[Item]:
    label = src.label
    limit = max_bytes * 8 + 4096  # JSON escaping can grow a file's text; anything beyond is absurd
    try:
        with _open_lines(src.path) as fh:
            number = 0
            while True:
                line = fh.readline(limit)
                if not line:
                    break
                number += 1
                where = f"{label}/{number}"
                if len(line) >= limit and not line.endswith(b"\n"):
                    while (rest := fh.readline(limit)) and not rest.endswith(b"\n"):
                        pass  # skip the rest of an absurdly long line without holding it
                    yield Item(where, None, None, "too-large")
                    continue
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except (ValueError, UnicodeDecodeError):
                    yield Item(where, None, None, "bad-record")
                    continue
                item = _record_item(row, where, langs, max_bytes, fields)
                if item is not None:
                    yield item
    except (OSError, EOFError, zlib.error):
        yield Item(f"{label}/", None, None, "unreadable-source")


def parquet_available() -> bool:
    """Whether pyarrow (the optional ``codexcli[parquet]`` extra) is installed."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _read_parquet(src: Source, langs: tuple[str, ...], max_bytes: int, fields: dict[str, str | None]) -> Iterator[Item]:
    import pyarrow.parquet as pq  # lazily: the optional codexcli[parquet] extra

    label = src.label
    try:
        pf = pq.ParquetFile(src.path)
        number = 0
        for batch in pf.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                number += 1
                item = _record_item(row, f"{label}/{number}", langs, max_bytes, fields)
                if item is not None:
                    yield item
    except (OSError, ValueError):  # pyarrow's errors derive from these
        yield Item(f"{label}/", None, None, "unreadable-source")
