"""`codex index`, `codex search`, and the repository context of generate and comment, through
the real CLI (fake backend for the tasks)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import dedent, read_log, subprocess_env

runner = CliRunner()
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "dates.py").write_text(
        dedent('''
            def parse_iso_date(text):
                """Parse an ISO 8601 date such as 2024-01-31 into (year, month, day)."""
                year, month, day = text.split("-")
                return int(year), int(month), int(day)
        '''),
        encoding="utf-8",
    )
    (root / "pkg" / "money.py").write_text(
        "def format_amount(cents):\n    return f'{cents / 100:.2f}'\n", encoding="utf-8"
    )
    (root / "web.ts").write_text(
        "export function parseIsoDate(s: string): Date { return new Date(s); }\n", encoding="utf-8"
    )
    return root


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def test_index_then_search_json(project: Path):
    result = invoke("index", str(project), "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["ok"] and stats["files"] == 3 and stats["definitions"] == 3 and stats["source"] == "walk"

    result = invoke("search", "parse an ISO date", "--root", str(project), "-k", "2", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["index"]["indexed"] == 0 and payload["index"]["unchanged"] == 3  # built by `codex index`
    hits = payload["hits"]
    assert {h["name"] for h in hits} == {"parse_iso_date", "parseIsoDate"}
    top = next(h for h in hits if h["path"] == "pkg/dates.py")
    assert (top["line"], top["kind"], top["language"]) == (1, "function", "python")
    assert top["signature"] == "def parse_iso_date(text):"
    assert top["snippet"][0] == {"line": 1, "text": "def parse_iso_date(text):"}

    only_ts = json.loads(invoke("search", "parse date", "--root", str(project), "--lang", "ts", "--json").stdout)
    assert [h["path"] for h in only_ts["hits"]] == ["web.ts"]


def test_search_builds_the_index_and_prints_path_line_hits(project: Path):
    result = invoke("search", "format amount", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "pkg/money.py:1: format_amount (function, python)"
    assert "def format_amount(cents):" in result.stdout


def test_search_rejects_an_unknown_language_and_an_empty_query(project: Path):
    result = invoke("search", "x", "--root", str(project), "--lang", "cobol")
    assert result.exit_code == 2 and "unknown language 'cobol'" in result.stderr
    assert invoke("search", "  ", "--root", str(project)).exit_code == 2
    assert invoke("index", str(project / "pkg" / "dates.py")).exit_code == 2


def test_index_reports_skipped_files(project: Path):
    (project / "blob.py").write_bytes(b"\0\1\2")
    result = invoke("index", str(project))
    assert result.exit_code == 0, result.output
    assert "blob.py: skipped: binary" in result.stderr
    assert "3 definitions from 3 files (walk)" in result.stderr


# The child's address space: a read that never ends (/dev/zero) dies in a second with
# MemoryError instead of taking the machine's memory; the timeout catches a blocked open (FIFO).
MEMORY_CAP = 2 << 30


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "darwin", reason="FIFOs, /dev/zero, RLIMIT_AS")
@pytest.mark.parametrize(
    "make, reason",
    [(_fifo, "not a regular file (a FIFO)"), (_zero, "outside the root (a symlink to /dev/zero)")],
    ids=["fifo", "dev-zero"],
)
def test_index_skips_what_is_not_a_regular_file_without_hanging(project: Path, make, reason):
    make(project / "trap.py")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "codexcli", "index", str(project), "--no-git", "--json"],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=60,
            preexec_fn=_cap_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("codex index was still running after 60 s")
    assert done.returncode == 0, done.stderr[-2000:]
    stats = json.loads(done.stdout)
    assert stats["skipped"] == [{"path": "trap.py", "reason": reason}]
    assert stats["definitions"] == 3


def test_search_and_index_outside_git_ask_for_a_root(tmp_path: Path, monkeypatch):
    from codexcli.index.files import git_root
    from codexcli.index.store import index_path

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("def find_me():\n    pass\n", encoding="utf-8")
    if git_root(plain) is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    monkeypatch.chdir(plain)
    result = invoke("search", "find me")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"codex search: error: {plain.resolve()} is in no git repository and was never indexed; pass --root DIR"
    ]
    assert not index_path(plain.resolve()).exists()  # nothing was indexed
    result = invoke("index")
    assert result.exit_code == 2 and "pass the folder to index: codex index DIR" in result.stderr

    assert invoke("index", ".").exit_code == 0  # asked for: from now on this folder is a root
    result = invoke("search", "find me")
    assert result.exit_code == 0 and result.stdout.startswith("a.py:1: find_me"), result.output


STUB = dedent('''
    def to_date_tuple(text):
        """Turn '2024-01-31' into (2024, 1, 31)."""
        ...
''')
ANSWER = "def to_date_tuple(text):\n    return tuple(int(p) for p in text.split('-'))\n```"


@needs_git
def test_fill_shows_related_definitions_and_reports_them(project: Path, fake_answers):
    git_init(project)
    stub = project / "pkg" / "convert.py"
    stub.write_text(STUB, encoding="utf-8")
    log = fake_answers(ANSWER)
    result = invoke("generate", "--fill", str(stub), "--json", "--evidence", "form")
    assert result.exit_code == 0, result.output
    [function] = json.loads(result.stdout)["functions"]
    assert function["status"] == "filled"
    assert function["context"] == [{"path": "pkg/dates.py", "line": 1, "name": "parse_iso_date"}]
    [request] = read_log(log)
    prompt = request["messages"][-1]["content"]
    assert "Related code from this repository:\n```python\n# pkg/dates.py:1 parse_iso_date\n" in prompt
    # prefix-friendly: the file (shared by every stub of it) comes before the related code
    assert prompt.index("def to_date_tuple") < prompt.index("parse_iso_date") < prompt.index("Complete the function")
    assert "convert.py:" not in prompt  # nothing from the file itself: it is already shown


@needs_git
def test_no_context_leaves_the_prompt_as_it_was(project: Path, fake_answers):
    git_init(project)
    stub = project / "pkg" / "convert.py"
    stub.write_text(STUB, encoding="utf-8")
    log = fake_answers(ANSWER)
    result = invoke("generate", "--fill", str(stub), "--no-context", "--evidence", "form")
    assert result.exit_code == 0, result.output
    assert "context for" not in result.stderr
    [request] = read_log(log)
    assert "Related code" not in request["messages"][-1]["content"]


def test_a_folder_without_git_gets_context_only_once_indexed(project: Path, fake_answers):
    stub = project / "pkg" / "convert.py"
    stub.write_text(STUB, encoding="utf-8")
    log = fake_answers(ANSWER, ANSWER)
    assert invoke("generate", "--fill", str(stub), "--dry-run", "--evidence", "form").exit_code == 0
    assert invoke("index", str(project / "pkg")).exit_code == 0
    result = invoke("generate", "--fill", str(stub), "--dry-run", "--evidence", "form")
    assert result.exit_code == 0, result.output
    assert "context for to_date_tuple: dates.py:1 parse_iso_date" in result.stderr
    first, second = read_log(log)
    assert "Related code" not in first["messages"][-1]["content"]
    assert "parse_iso_date" in second["messages"][-1]["content"]


@needs_git
def test_generate_from_a_description_uses_the_repository_it_runs_in(project: Path, fake_answers, monkeypatch):
    git_init(project)
    monkeypatch.chdir(project)
    log = fake_answers("def parse(text):\n    return text\n```")
    result = invoke("generate", "parse an ISO date", "--json")
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.stdout)["context"]] == ["parse_iso_date"]
    [request] = read_log(log)
    prompt = request["messages"][-1]["content"]
    assert prompt.startswith("Related code from this repository:\n```python\n# pkg/dates.py:1 parse_iso_date")
    assert "parseIsoDate" not in prompt  # only the language asked for


@needs_git
def test_comment_shows_related_definitions(project: Path, fake_answers):
    git_init(project)
    target = project / "pkg" / "report.py"
    target.write_text("def due_date(text):\n    return parse_iso_date(text)\n", encoding="utf-8")
    log = fake_answers(
        "Return the due date parsed from text.\n\nArgs:\n    text: The date text.\n\nReturns:\n    The parsed date.\n"
    )
    result = invoke("comment", str(target), "--only", "due_date", "--json", "--no-cache")
    payload = json.loads(result.stdout)
    assert "files" in payload, result.output
    [target_report] = payload["files"][0]["targets"]
    assert target_report["status"] == "documented", target_report
    assert target_report["context"] == [{"path": "pkg/dates.py", "line": 1, "name": "parse_iso_date"}]
    assert any("# pkg/dates.py:1 parse_iso_date" in r["messages"][-1]["content"] for r in read_log(log))


def test_search_with_a_missing_embedding_model_fails_clearly_unless_lexical(project: Path, monkeypatch):
    monkeypatch.setenv("CODEX_EMBED_MODEL", str(project / "missing.gguf"))
    result = invoke("search", "format amount", "--root", str(project))
    assert result.exit_code == 2 and "missing.gguf does not exist" in result.stderr
    lexical = invoke("search", "format amount", "--root", str(project), "--lexical", "--json")
    assert lexical.exit_code == 0 and json.loads(lexical.stdout)["mode"] == "bm25"
