"""Corpus readers: every source kind, and bad input skipped with a reason, never raised."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from codexcli.data import readers
from codexcli.errors import UsageError

FIELDS: dict[str, str | None] = {"content": "content", "path": None}
PY = ("python",)


def items(spec: str | Path, max_bytes: int = 1000) -> list[readers.Item]:
    return list(readers.read_source(readers.parse_source(str(spec)), PY, max_bytes, FIELDS))


def summary(found: list[readers.Item]) -> list[tuple[str, str | None]]:
    return [(i.path, i.skip) for i in found]


def test_directory_sorted_with_licenses_symlinks_and_loops(tmp_path):
    root = tmp_path / "proj"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "LICENSE").write_text("MIT")
    (root / "pkg" / "COPYING").write_text("GPL")
    (root / "b.py").write_text("b = 1\n")
    (root / "a.py").write_text("a = 1\n")
    (root / "notes.txt").write_text("not python")
    (root / "pkg" / "sub" / "c.py").write_text("c = 1\n")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "h.py").write_text("h = 1\n")
    os.symlink(root, root / "pkg" / "loop")  # a folder loop: never entered
    os.symlink(root / "a.py", root / "link.py")
    (root / "big.py").write_text("x" * 2000)
    found = items(root)
    assert summary(found) == [
        ("proj/a.py", None),
        ("proj/b.py", None),
        ("proj/big.py", "too-large"),
        ("proj/link.py", "symlink"),
        ("proj/pkg/sub/c.py", None),
    ]
    assert found[0].data == b"a = 1\n" and found[0].license == "proj/LICENSE"
    assert found[-1].license == "proj/pkg/COPYING"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")
def test_directory_skips_fifos_and_device_links_without_blocking(tmp_path):
    import signal

    def expire(signum, frame):
        raise TimeoutError("the reader blocked")

    os.mkfifo(tmp_path / "f.py")
    os.symlink("/dev/zero", tmp_path / "z.py")
    (tmp_path / "ok.py").write_text("ok = 1\n")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)  # a regression fails here instead of hanging the suite
    try:
        found = summary(items(tmp_path))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    name = tmp_path.name
    assert found == [(f"{name}/f.py", "not-a-file"), (f"{name}/ok.py", None), (f"{name}/z.py", "symlink")]


def test_unreadable_file_is_skipped(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    (tmp_path / "x.py").write_text("x = 1\n")
    (tmp_path / "x.py").chmod(0)
    assert summary(items(tmp_path)) == [(f"{tmp_path.name}/x.py", "unreadable")]


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def test_git_repository_at_head_and_at_a_revision(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "LICENSE").write_text("MIT")
    (repo / "m.py").write_text("v = 1\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    first = _git(repo, "rev-parse", "HEAD").strip()
    (repo / "m.py").write_text("v = 2\n")
    (repo / "n.py").write_text("n = 1\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "two")
    (repo / "m.py").write_text("v = 3 (not committed)\n")
    head = items(repo)
    assert [(i.path, i.data, i.license) for i in head] == [
        ("repo/m.py", b"v = 2\n", "repo/LICENSE"),
        ("repo/n.py", b"n = 1\n", "repo/LICENSE"),
    ]
    assert [(i.path, i.data) for i in items(f"{repo}@{first}")] == [("repo/m.py", b"v = 1\n")]
    with pytest.raises(UsageError):
        items(f"{repo}@nosuchrev")


def _tar(path: Path, entries: list[tuple[str, bytes | None, bytes]]) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for name, data, kind in entries:
            info = tarfile.TarInfo(name)
            if kind == tarfile.SYMTYPE:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tf.addfile(info)
            else:
                info.size = len(data or b"")
                tf.addfile(info, io.BytesIO(data or b""))


def test_tar_traversal_symlinks_and_sizes(tmp_path):
    archive = tmp_path / "a.tar.gz"
    _tar(
        archive,
        [
            ("pkg/LICENSE", b"MIT", tarfile.REGTYPE),
            ("pkg/ok.py", b"ok = 1\n", tarfile.REGTYPE),
            ("../evil.py", b"x = 1\n", tarfile.REGTYPE),
            ("/abs.py", b"x = 1\n", tarfile.REGTYPE),
            ("pkg/link.py", None, tarfile.SYMTYPE),
            ("pkg/big.py", b"x" * 5000, tarfile.REGTYPE),
        ],
    )
    found = items(archive)
    assert summary(found) == [
        ("a.tar.gz/pkg/ok.py", None),
        ("a.tar.gz/../evil.py", "unsafe-path"),
        ("a.tar.gz//abs.py", "unsafe-path"),
        ("a.tar.gz/pkg/link.py", "symlink"),
        ("a.tar.gz/pkg/big.py", "too-large"),
    ]
    assert found[0].license == "a.tar.gz/pkg/LICENSE"
    assert not (tmp_path / "evil.py").exists() and not (tmp_path.parent / "evil.py").exists()


def test_truncated_or_bogus_archives_are_counted(tmp_path):
    (tmp_path / "bad.tar").write_bytes(b"not a tar at all" * 10)
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 broken")
    assert summary(items(tmp_path / "bad.tar")) == [("bad.tar/", "unreadable-source")]
    assert summary(items(tmp_path / "bad.zip")) == [("bad.zip/", "unreadable-source")]


def test_zip_traversal_symlink_and_compression_bomb(tmp_path):
    archive = tmp_path / "z.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok.py", "ok = 1\n")
        zf.writestr("../../evil.py", "x = 1\n")
        link = zipfile.ZipInfo("link.py")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("bomb.py", "0" * 10_000_000)  # compresses to a few KB
    found = items(archive)
    assert summary(found) == [
        ("z.zip/ok.py", None),
        ("z.zip/../../evil.py", "unsafe-path"),
        ("z.zip/link.py", "symlink"),
        ("z.zip/bomb.py", "too-large"),
    ]


def test_jsonl_malformed_lines_fields_and_languages(tmp_path):
    rows = [
        json.dumps({"content": "a = 1\n", "max_stars_repo_path": "x/a.py", "max_stars_repo_licenses": ["MIT"]}),
        "{not json",
        json.dumps({"text": "no content field"}),
        json.dumps(["a", "list"]),
        json.dumps({"content": "int main() {}", "path": "m.c"}),
        json.dumps({"content": "b = 2\n"}),
        "",
        json.dumps({"content": "\ud800 = 1\n", "path": "s.py"}),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = items(path)
    assert summary(found) == [
        ("dump.jsonl/1:x/a.py", None),
        ("dump.jsonl/2", "bad-record"),
        ("dump.jsonl/3", "bad-record"),
        ("dump.jsonl/4", "bad-record"),
        ("dump.jsonl/6", None),
        ("dump.jsonl/8:s.py", "not-utf8"),
    ]
    assert found[0].license == "MIT" and found[0].data == b"a = 1\n"


def test_jsonl_absurd_line_is_skipped_without_reading_it_whole(tmp_path):
    path = tmp_path / "d.jsonl"
    big = json.dumps({"content": "x" * 20_000})
    path.write_text(big + "\n" + json.dumps({"content": "y = 1\n"}) + "\n")
    assert summary(items(path, max_bytes=100)) == [("d.jsonl/1", "too-large"), ("d.jsonl/2", None)]


def test_parquet_rows(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"content": ["p = 1\n", "q = 2\n"], "path": ["p.py", "q.py"]})
    pq.write_table(table, tmp_path / "t.parquet")
    assert [(i.path, i.data) for i in items(tmp_path / "t.parquet")] == [
        ("t.parquet/1:p.py", b"p = 1\n"),
        ("t.parquet/2:q.py", b"q = 2\n"),
    ]


def test_unknown_sources_are_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        readers.parse_source(str(tmp_path / "missing"))
    (tmp_path / "x.rar").write_bytes(b"")
    with pytest.raises(UsageError):
        readers.parse_source(str(tmp_path / "x.rar"))


def test_git_repository_without_commits_is_refused_up_front(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path / "fresh")], check=True)
    with pytest.raises(UsageError, match="no commit HEAD"):
        readers.parse_source(str(tmp_path / "fresh"))
