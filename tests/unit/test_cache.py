"""The SQLite result cache: keys, hits, and failures that only warn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from codexcli.cache import NullCache, ResultCache, cache_path, make_key, model_identity, open_cache
from codexcli.config import Settings

BASE = dict(
    task="comment",
    model={"backend": "fake"},
    prompt_digest="abc",
    prompt_version=1,
    params={"style": "google"},
    source="def f(): pass",
)


def test_key_changes_with_every_component() -> None:
    key = make_key(**BASE)
    assert key == make_key(**BASE)
    for field, value in [
        ("task", "testgen"),
        ("model", {"backend": "other"}),
        ("prompt_digest", "abd"),
        ("prompt_version", 2),
        ("params", {"style": "numpy"}),
        ("source", "def g(): pass"),
    ]:
        assert make_key(**{**BASE, field: value}) != key, field


def test_put_get_info_clear(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "sub" / "c.sqlite3")
    assert cache.get("k") is None
    cache.put("k", "comment", {"docstring": "Doc."})
    assert cache.get("k") == {"docstring": "Doc."}
    assert (cache.hits, cache.misses) == (1, 1)
    info = cache.info()
    assert info.entries == 1 and info.by_task == {"comment": 1} and info.size_bytes > 0
    assert cache.clear() == 1 and cache.get("k") is None
    cache.close()


def test_persists_across_instances(tmp_path: Path) -> None:
    ResultCache(tmp_path / "c.sqlite3").put("k", "comment", [1, 2])
    assert ResultCache(tmp_path / "c.sqlite3").get("k") == [1, 2]


def test_corrupt_database_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    warnings: list[str] = []
    cache = ResultCache(path, warnings.append)
    assert cache.get("k") is None
    cache.put("k", "comment", "v")
    assert cache.get("k") == "v"
    assert len(warnings) == 1 and "corrupt" in warnings[0]
    assert (tmp_path / "c.sqlite3.corrupt").exists()


def test_locked_database_is_bypassed_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    import codexcli.cache as cache_mod

    monkeypatch.setattr(cache_mod, "BUSY_TIMEOUT", 0.05)
    path = tmp_path / "c.sqlite3"
    ResultCache(path).put("k", "comment", "v")
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    warnings: list[str] = []
    cache = ResultCache(path, warnings.append)
    try:
        assert cache.get("k") is None
        cache.put("k2", "comment", "v2")  # no exception, no second warning
    finally:
        holder.rollback()
        holder.close()
    assert len(warnings) == 1 and "locked" in warnings[0]


def test_unwritable_location_is_bypassed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    warnings: list[str] = []
    cache = ResultCache(blocker / "c.sqlite3", warnings.append)
    cache.put("k", "comment", "v")
    assert cache.get("k") is None and len(warnings) == 1


def test_null_cache_never_stores(tmp_path: Path) -> None:
    cache = NullCache()
    cache.put("k", "comment", "v")
    assert cache.get("k") is None
    assert isinstance(open_cache(False), NullCache)


def test_codexcli_home_overrides_location(tmp_path: Path) -> None:
    assert cache_path({"CODEXCLI_HOME": str(tmp_path)}) == tmp_path / "cache.sqlite3"
    assert cache_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "codexcli" / "cache.sqlite3"


def test_model_identity_needs_no_model_load(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x" * 10)
    ident = model_identity(Settings(model=str(model)))
    assert ident["model"] == str(model) and ident["size"] == 10
    assert model_identity(Settings(backend="fake")) == {"backend": "fake", "model": None}
