"""The repository index: definitions of every supported language from small fixtures, code-aware
words, incremental refreshes (change, touch, delete, rename), skipped files, a corrupt database,
folders without git, and search ranking."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from codexcli import languages
from codexcli.index import treesitter
from codexcli.index.defs import python_definitions
from codexcli.index.extract import definitions_of
from codexcli.index.files import language_of
from codexcli.index.store import open_index
from codexcli.index.tokens import fts_query, query_words, split_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "index"

# (file, language, qualname, kind, line, a word of its docstring or None)
EXPECTED = [
    ("shapes.py", "python", "circle_area", "function", 8, "circle"),
    ("shapes.py", "python", "Rect", "class", 13, "rectangle"),  # from its decorator
    ("shapes.py", "python", "Rect.area", "method", 20, "rectangle"),
    ("shapes.js", "javascript", "circleArea", "function", 2, "circle"),
    ("shapes.js", "javascript", "Rect", "class", 7, "rectangle"),
    ("shapes.js", "javascript", "Rect.area", "method", 10, "rectangle"),
    ("shapes.js", "javascript", "squareArea", "function", 13, None),
    ("shapes.ts", "typescript", "circleArea", "function", 2, "circle"),
    ("shapes.ts", "typescript", "Rect.area", "method", 11, "rectangle"),
    ("shapes.ts", "typescript", "Shape", "class", 6, None),
    ("Shapes.java", "java", "Shapes", "class", 4, "Geometry"),
    ("Shapes.java", "java", "Shapes.circleArea", "method", 6, "circle"),
    ("shapes.c", "c", "circle_area", "function", 6, "circle"),
    ("shapes.c", "c", "rect_area", "function", 10, None),
    ("shapes.cpp", "cpp", "geo.Rect", "class", 5, "rectangle"),
    ("shapes.cpp", "cpp", "geo.Rect.area", "method", 9, "rectangle"),
    ("shapes.cpp", "cpp", "geo.circleArea", "function", 13, "circle"),
    ("shapes.cpp", "cpp", "twice", "function", 17, None),
    ("shapes.go", "go", "Rect", "class", 6, "rectangle"),
    ("shapes.go", "go", "CircleArea", "function", 11, "circle"),
    ("shapes.go", "go", "Rect.Area", "method", 16, "rectangle"),
    ("shapes.rs", "rust", "Rect", "class", 2, "rectangle"),
    ("shapes.rs", "rust", "Rect.area", "method", 9, "rectangle"),
    ("shapes.rs", "rust", "circle_area", "function", 16, "circle"),
    ("Shapes.cs", "csharp", "Geo.Rect", "class", 4, "rectangle"),
    ("Shapes.cs", "csharp", "Geo.Rect.Area", "method", 9, "rectangle"),
]


@pytest.mark.parametrize("name, language, qualname, kind, line, doc_word", EXPECTED)
def test_each_language_yields_its_definitions(name, language, qualname, kind, line, doc_word):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert language_of(name) == language
    found = {d.qualname: d for d in definitions_of(name, text, language)}
    assert qualname in found, sorted(found)
    d = found[qualname]
    assert (d.kind, d.line, d.language) == (kind, line, language)
    assert d.name == qualname.rsplit(".", 1)[-1]
    assert d.text.splitlines()[0].strip() and d.line <= d.end_line
    if doc_word is None:
        assert d.docstring == ""
    else:
        assert doc_word.lower() in d.docstring.lower()
        assert "/*" not in d.docstring and "//" not in d.docstring and "<summary>" not in d.docstring


def test_tsx_is_typescript_read_by_the_tsx_grammar():
    """TypeScript's entry reads .tsx too, with its grammar module's TSX language (JSX parses)."""
    code = "// The app.\nexport const App = () => <div>{1}</div>;\nfunction f(x: number) { return <b>{x}</b>; }\n"
    assert language_of("ui/App.tsx") == "typescript"
    found = {d.qualname: d for d in definitions_of("App.tsx", code, "typescript")}
    assert set(found) == {"App", "f"} and found["App"].docstring == "The app."
    assert treesitter.parser_for("typescript", ".tsx") is not treesitter.parser_for("typescript", ".ts")


def test_python_signature_class_summary_and_docstring_free_text():
    source = (FIXTURES / "shapes.py").read_text(encoding="utf-8")
    defs = {d.qualname: d for d in python_definitions("shapes.py", source)}
    assert defs["Rect.area"].signature == "async def area( self, ) -> float:"
    assert defs["Rect"].text.splitlines() == [
        "@dataclass_like",
        "class Rect:",
        '    """A rectangle."""',
        "    def __init__(self, w, h):",
        "    async def area( self, ) -> float:",
    ]
    bare = {d.qualname: d for d in python_definitions("shapes.py", source, docstrings=False)}
    assert bare["circle_area"].docstring == ""
    assert '"""' not in bare["circle_area"].text and "math.pi * r * r" in bare["circle_area"].text
    assert "dataclass_like" not in {d.qualname for d in bare.values() if d.kind != "function"}


def test_code_words_split_snake_and_camel_case():
    assert split_identifier("parse_iso_date") == ("parseisodate", "parse", "iso", "date")
    assert split_identifier("to_str") == ("tostr", "to", "str", "string")  # abbreviations get their word
    assert split_identifier("getHTTPResponse") == ("gethttpresponse", "get", "http", "response")
    assert split_identifier("area") == ("area",)
    assert query_words("Return the area of a circle") == ["area", "circle"]
    assert fts_query("the") == '"the"'  # only stop words: kept rather than an empty query
    assert fts_query("  ") == ""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write(root, "dates.py", "def parse_iso_date(text):\n    return text.split('-')\n")
    write(root, "util/strings.py", "def slugify(title):\n    return title.lower().replace(' ', '-')\n")
    write(root, "web/app.js", "function formatDate(d) { return d.toISOString(); }\n")
    return root


def names(index) -> set[str]:
    return {r[0] for r in index.conn.execute("SELECT path || ':' || qualname FROM defs")}


def test_refresh_is_incremental_through_change_touch_delete_and_rename(repo: Path, tmp_path: Path):
    with open_index(repo, db=tmp_path / "ix.sqlite3") as index:
        first = index.refresh()
        assert (first.source, first.files, first.indexed, first.unchanged) == ("walk", 3, 3, 0)
        assert names(index) == {"dates.py:parse_iso_date", "util/strings.py:slugify", "web/app.js:formatDate"}
        again = index.refresh()
        assert (again.indexed, again.unchanged, again.removed) == (0, 3, 0)

        write(repo, "dates.py", "def parse_rfc_date(text):\n    return text\n")
        changed = index.refresh()
        assert (changed.indexed, changed.unchanged) == (1, 2)
        assert "dates.py:parse_rfc_date" in names(index) and "dates.py:parse_iso_date" not in names(index)
        assert [h.definition.qualname for h in index.search("rfc", 5)] == ["parse_rfc_date"]

        stat = (repo / "dates.py").stat()
        os.utime(repo / "dates.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        touched = index.refresh()
        assert (touched.indexed, touched.unchanged) == (0, 3)  # same content hash: not re-extracted

        (repo / "util" / "strings.py").rename(repo / "util" / "text.py")
        renamed = index.refresh()
        assert (renamed.indexed, renamed.removed) == (1, 1)
        assert "util/text.py:slugify" in names(index) and "util/strings.py:slugify" not in names(index)

        (repo / "web" / "app.js").unlink()
        deleted = index.refresh()
        assert (deleted.removed, deleted.definitions) == (1, 2)
        assert "web/app.js" not in {h.definition.path for h in index.search("format date", 5)}
        fts_rows = index.conn.execute("SELECT count(*) FROM defs_fts").fetchone()[0]
        assert fts_rows == 2  # no orphaned search rows


def test_skipped_files_are_noted_and_not_read_again(repo: Path, tmp_path: Path):
    (repo / "blob.py").write_bytes(b"x = 1\0\1\2")
    (repo / "latin.py").write_bytes("def café():\n    pass\n".encode("latin-1"))
    write(repo, "huge.py", "x = 1\n" * 200_000)
    write(repo, "broken.py", "def broken(:\n")
    with open_index(repo, db=tmp_path / "ix.sqlite3") as index:
        stats = index.refresh()
        reasons = {s.path: s.reason for s in stats.skipped}
        assert reasons["blob.py"] == "binary"
        assert reasons["latin.py"].startswith("not UTF-8")
        assert reasons["huge.py"].startswith("larger than")
        assert reasons["broken.py"] == "does not parse (line 1)"
        assert stats.definitions == 3
        again = index.refresh()
        assert again.indexed == 0 and {s.path for s in again.skipped} == set(reasons)


def test_git_listing_leaves_ignored_files_out(repo: Path, tmp_path: Path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    write(repo, ".gitignore", "util/\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    with open_index(repo, db=tmp_path / "ix.sqlite3") as index:
        stats = index.refresh()
        assert stats.source == "git"
        assert names(index) == {"dates.py:parse_iso_date", "web/app.js:formatDate"}
    with open_index(repo, db=tmp_path / "walk.sqlite3", use_git=False) as index:
        assert "util/strings.py:slugify" in names(index) or index.refresh().source == "walk"
        assert "util/strings.py:slugify" in names(index)


def test_a_corrupt_index_is_rebuilt_with_one_warning(repo: Path, tmp_path: Path):
    db = tmp_path / "ix.sqlite3"
    with open_index(repo, db=db) as index:
        index.refresh()
    db.write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    with open_index(repo, db=db, warn=warnings.append) as index:
        stats = index.refresh()
        assert stats.indexed == 3 and stats.definitions == 3
    assert len(warnings) == 1 and "rebuilding" in warnings[0]
    with open_index(repo, db=db, warn=warnings.append) as index:
        assert index.refresh().indexed == 0
    assert len(warnings) == 1


def test_a_missing_grammar_skips_its_files_with_what_to_install(repo: Path, tmp_path: Path, monkeypatch):
    js = languages.get("javascript")
    broken = replace(js, tree_sitter=replace(js.tree_sitter, module="no_such_grammar_module"))
    monkeypatch.setattr(languages, "LANGUAGES", tuple(broken if x is js else x for x in languages.LANGUAGES))
    monkeypatch.setattr(treesitter, "_PARSERS", {})
    with open_index(repo, db=tmp_path / "ix.sqlite3") as index:
        stats = index.refresh(workers=1)
        [skip] = stats.skipped
        assert skip.path == "web/app.js" and "pip install 'codexcli[index]'" in skip.reason
        monkeypatch.undo()
        fixed = index.refresh(workers=1)  # not remembered as skipped: found once the grammar is there
        assert fixed.indexed == 1 and "web/app.js:formatDate" in names(index)


def test_search_ranks_names_first_and_filters(tmp_path: Path):
    root = tmp_path / "r"
    write(root, "a.py", "def parse_iso_date(s):\n    return s\n\ndef unrelated(x):\n    return x + 1\n")
    write(
        root,
        "b.py",
        "def load(path):\n    '''Read a file; the date in it is parsed later.'''\n    return open(path).read()\n",
    )
    write(root, "c.go", "package c\n\nfunc ParseIsoDate(s string) string { return s }\n")
    with open_index(root, db=tmp_path / "ix.sqlite3") as index:
        index.refresh()
        hits = index.search("parse an ISO date", 10)
        assert [h.definition.qualname for h in hits[:2]] in (
            ["parse_iso_date", "ParseIsoDate"],
            ["ParseIsoDate", "parse_iso_date"],
        )
        assert hits[0].score >= hits[-1].score
        assert [h.definition.path for h in index.search("parse an ISO date", 10, language="go")] == ["c.go"]
        assert "a.py" not in {h.definition.path for h in index.search("parse date", 10, exclude_paths=["a.py"])}
        assert index.search("zzzz qqqq", 5) == []


def test_many_files_index_in_worker_processes(tmp_path: Path):
    root = tmp_path / "many"
    for n in range(70):
        write(root, f"m{n}.py", f"def function_number_{n}(x):\n    return x * {n}\n")
    with open_index(root, db=tmp_path / "ix.sqlite3") as index:
        stats = index.refresh(workers=2)
        assert (stats.indexed, stats.definitions) == (70, 70)
        assert index.search("function number 42", 1)[0].definition.path == "m42.py"


def test_a_locked_index_is_reported_not_rebuilt(repo: Path, tmp_path: Path):
    import sqlite3

    from codexcli.index.store import IndexUnavailable

    db = tmp_path / "ix.sqlite3"
    with open_index(repo, db=db) as index:
        index.refresh()
    write(repo, "dates.py", "def changed():\n    pass\n")
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with open_index(repo, db=db) as index:
            index.conn.execute("PRAGMA busy_timeout=50")
            with pytest.raises(IndexUnavailable, match="locked"):
                index.refresh()
    except IndexUnavailable as exc:  # the lock may already stop the open
        assert "locked" in exc.message
    finally:
        holder.rollback()
        holder.close()
    with open_index(repo, db=db) as index:  # nothing was deleted: only the changed file is re-read
        assert index.refresh().indexed == 1


def test_links_out_of_the_root_are_skipped_and_links_inside_are_read(repo: Path, tmp_path: Path):
    outside = write(tmp_path / "outside", "secret.py", "def leaked_secret():\n    return 1\n")
    os.symlink(outside, repo / "leak.py")
    os.symlink(repo / "dates.py", repo / "alias.py")
    with open_index(repo, db=tmp_path / "ix.sqlite3") as index:
        stats = index.refresh()
        reasons = {s.path: s.reason for s in stats.skipped}
        assert reasons == {"leak.py": f"outside the root (a symlink to {outside.resolve()})"}
        assert "alias.py:parse_iso_date" in names(index)
        assert not index.search("leaked secret", 5)
        again = index.refresh()  # remembered: not opened again while unchanged
        assert again.indexed == 0 and [s.path for s in again.skipped] == ["leak.py"]
