"""The git pre-commit hook in real temporary repositories, and the pre-commit framework hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from codexcli.gitio import HOOK_MARKER, parse_hunks

ROOT = Path(__file__).resolve().parents[2]
# The module summary is grounded but, as every module summary, held back by the default
# threshold ("meaning"); the functions' summaries name their own words and pass every check.
ANSWERS = {
    "answers": [
        {"match": "module `", "answer": 'Tools to add numbers."""'},
        {
            "match": "function `add`",
            "answer": 'Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum."""',
        },
        {
            "match": "function `sub`",
            "answer": 'Subtract `b` from `a`.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The difference."""',
        },
    ]
}
UNDOCUMENTED = "def add(a, b):\n    return a + b\n"


def _env(tmp: Path) -> dict[str, str]:
    answers = tmp / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "CODEX_BACKEND": "fake",
            "CODEX_FAKE_ANSWERS": str(answers),
            "CODEXCLI_HOME": str(tmp / "home"),
            "CODEX_FAKE_LOG": str(tmp / "requests.jsonl"),
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(tmp),
        }
    )
    return env


@pytest.fixture
def repo(tmp_path: Path):
    work = tmp_path / "repo"
    work.mkdir()
    env = _env(tmp_path)

    def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, check=check, timeout=120)

    def codex(*args: str) -> subprocess.CompletedProcess:
        return sh(sys.executable, "-m", "codexcli", *args, check=False)

    sh("git", "init", "-q", "-b", "main")
    return work, sh, codex, tmp_path


def test_hunks_map_to_new_line_ranges() -> None:
    diff = (
        "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -3,0 +4,2 @@ def f():\n+x\n+y\n"
        "@@ -10 +12 @@\n-a\n+b\n@@ -20,3 +21,0 @@\n-gone\n"
        "diff --git a/old.py b/old.py\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    assert parse_hunks(diff) == {"a.py": [(4, 5), (12, 12), (21, 22)]}
    quoted = '--- a/x\n+++ "b/caf\\303\\251.py"\n@@ -0,0 +1,3 @@\n+a\n'
    assert parse_hunks(quoted) == {"café.py": [(1, 3)]}


def test_install_commit_documents_and_foreign_hook_still_runs(repo) -> None:
    work, sh, codex, tmp = repo
    hooks = work / ".git" / "hooks"
    foreign = hooks / "pre-commit"
    foreign.write_text('#!/bin/sh\necho ran >> "$(git rev-parse --show-toplevel)/../foreign.log"\n')
    foreign.chmod(0o755)

    result = codex("hook", "install")
    assert result.returncode == 0, result.stderr
    assert "pre-commit.legacy" in result.stderr
    assert HOOK_MARKER in foreign.read_text() and (hooks / "pre-commit.legacy").exists()

    (work / "m.py").write_text(UNDOCUMENTED)
    sh("git", "add", "m.py")
    commit = sh("git", "commit", "-q", "-m", "add", check=False)
    assert commit.returncode == 0, commit.stderr
    committed = sh("git", "show", "HEAD:m.py").stdout
    assert committed.startswith('def add(a, b):\n    """Add two numbers.')  # the module's is held back
    assert "<module>: below threshold" in commit.stderr
    assert (work / "m.py").read_text() == committed
    assert sh("git", "status", "--porcelain").stdout == ""
    assert (tmp / "foreign.log").read_text() == "ran\n"

    # A commit without Python files: the hook runs (foreign part too) and changes nothing.
    (work / "notes.txt").write_text("hello\n")
    sh("git", "add", "notes.txt")
    assert sh("git", "commit", "-q", "-m", "notes", check=False).returncode == 0
    assert (tmp / "foreign.log").read_text() == "ran\nran\n"

    # The foreign hook's failure still blocks the commit.
    (hooks / "pre-commit.legacy").write_text("#!/bin/sh\nexit 3\n")
    (work / "notes.txt").write_text("more\n")
    sh("git", "add", "notes.txt")
    assert sh("git", "commit", "-q", "-m", "blocked", check=False).returncode != 0

    # Uninstall puts the foreign hook back.
    result = codex("hook", "uninstall")
    assert result.returncode == 0 and "restored" in result.stderr
    assert foreign.read_text() == "#!/bin/sh\nexit 3\n" and not (hooks / "pre-commit.legacy").exists()


def test_staged_mode_documents_only_touched_functions_and_skips_dirty_files(repo) -> None:
    work, sh, codex, tmp = repo
    (work / "m.py").write_text('"""Tools."""\n' + UNDOCUMENTED)
    sh("git", "add", "m.py")
    sh("git", "commit", "-q", "-m", "start")
    assert codex("hook", "install").returncode == 0
    (work / "m.py").write_text('"""Tools."""\n' + UNDOCUMENTED + "\n\ndef sub(a, b):\n    return a - b\n")
    sh("git", "add", "m.py")
    assert sh("git", "commit", "-q", "-m", "sub", check=False).returncode == 0
    text = sh("git", "show", "HEAD:m.py").stdout
    assert '"""Subtract `b` from `a`.' in text and "def add(a, b):\n    return a + b" in text  # add untouched

    # Unstaged edits on top of staged ones: codex leaves the file alone (the commit would differ).
    (work / "m.py").write_text(text + "\n\ndef mul(a, b):\n    return a * b\n")
    sh("git", "add", "m.py")
    (work / "m.py").write_text(text + "\n\ndef mul(a, b):\n    return a * b\n# unstaged\n")
    result = codex("comment", "--staged")
    assert result.returncode == 1 and "unstaged changes" in result.stderr
    assert (work / "m.py").read_text().endswith("# unstaged\n")


def test_hooks_path_is_refused_and_foreign_hook_never_clobbered(repo) -> None:
    work, sh, codex, _ = repo
    sh("git", "config", "core.hooksPath", ".githooks")
    result = codex("hook", "install")
    assert result.returncode == 2 and "core.hooksPath" in result.stderr
    sh("git", "config", "--unset", "core.hooksPath")

    hooks = work / ".git" / "hooks"
    (hooks / "pre-commit").write_text("#!/bin/sh\n# mine\n")
    (hooks / "pre-commit.legacy").write_text("#!/bin/sh\n# older\n")
    result = codex("hook", "install")
    assert result.returncode == 2 and "will not overwrite" in result.stderr
    assert (hooks / "pre-commit").read_text() == "#!/bin/sh\n# mine\n"
    result = codex("hook", "uninstall")
    assert result.returncode == 2 and "not installed by codex" in result.stderr
    (hooks / "pre-commit.legacy").unlink()
    (hooks / "pre-commit").unlink()
    assert codex("hook", "install").returncode == 0
    again = codex("hook", "install")
    assert again.returncode == 0 and "updated" in again.stderr
    assert codex("hook", "install", "--task", "optimize").returncode == 2


def test_pre_commit_framework_try_repo(repo) -> None:
    """`pre-commit try-repo` installs this repository's hook (offline: no index, no dependency
    downloads; the test environment's packages come through PYTHONPATH) and runs it."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of codex (try-repo clones it)")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    work, sh, _, tmp = repo
    (work / "m.py").write_text(UNDOCUMENTED)
    sh("git", "add", "m.py")
    env = _env(tmp)
    site = sysconfig.get_paths()["purelib"]
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT), site]),
            "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
            # Offline: build codex without an index or build isolation and skip its dependencies
            # (already importable through PYTHONPATH); pip's no-build-isolation switch reads "0".
            "PIP_NO_INDEX": "1",
            "PIP_NO_DEPS": "1",
            "PIP_NO_BUILD_ISOLATION": "0",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "codex-comment", "--verbose"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout + result.stderr
    if "Installing environment" in out and "An unexpected error has occurred" in out and "m.py" not in out:
        pytest.skip(f"pre-commit could not build the hook environment offline: {out[-500:]}")
    assert result.returncode == 1, out  # --check: docstrings were added
    assert "files were modified by this hook" in out
    text = (work / "m.py").read_text()
    assert text.startswith('def add(a, b):\n    """Add two numbers.'), out  # the module's is held back
    # Second run: nothing to add (the module's docstring is still held back), the hook passes.
    sh("git", "add", "m.py")
    again = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "codex-comment"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout + again.stderr


def test_staged_restage_from_a_subdirectory(repo) -> None:
    work, sh, _, tmp = repo
    (work / "pkg").mkdir()
    (work / "pkg" / "m.py").write_text(UNDOCUMENTED)
    sh("git", "add", "pkg/m.py")
    env = _env(tmp)
    result = subprocess.run(
        [sys.executable, "-m", "codexcli", "comment", "--staged", "--restage", "--evidence", "form"],
        cwd=work / "pkg",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    staged = sh("git", "show", ":pkg/m.py").stdout
    assert staged == (work / "pkg" / "m.py").read_text() and '"""Add two numbers.' in staged
    assert staged.startswith('"""Tools to add numbers."""')
    assert sh("git", "diff", "--name-only").stdout == ""  # nothing left unstaged


def test_no_staged_python_files_is_a_quick_no_op(repo) -> None:
    work, sh, codex, tmp = repo
    (work / "notes.txt").write_text("x\n")
    sh("git", "add", "notes.txt")
    result = codex("comment", "--staged", "--check")
    assert result.returncode == 0 and "no Python files" in result.stderr
    assert not (tmp / "requests.jsonl").exists()


def test_staged_file_with_a_space_in_its_name_is_documented(repo) -> None:
    work, sh, codex, tmp = repo
    (work / "my tools.py").write_text('"""Tools."""\n' + UNDOCUMENTED)
    sh("git", "add", "my tools.py")
    result = codex("comment", "--staged", "--restage")
    assert result.returncode == 0, result.stderr
    assert '"""Add two numbers.' in (work / "my tools.py").read_text()
    assert '"""Add two numbers.' in sh("git", "show", ":my tools.py").stdout  # restaged


def test_hunk_names_with_spaces_lose_git_s_trailing_tab() -> None:
    diff = "diff --git a/my tools.py b/my tools.py\n--- a/my tools.py\t\n+++ b/my tools.py\t\n@@ -1,0 +2,3 @@\n+x\n"
    assert parse_hunks(diff) == {"my tools.py": [(2, 4)]}


def test_staged_symlink_never_edits_the_unstaged_target(repo) -> None:
    """The hook must not touch a file the user did not stage (a staged link's target)."""
    work, sh, codex, tmp = repo
    (work / "target.py").write_text('"""Tools."""\n' + UNDOCUMENTED)
    sh("git", "add", "target.py")
    sh("git", "commit", "-q", "-m", "start")
    (work / "target.py").write_text('"""Tools."""\n' + UNDOCUMENTED + "\n# unstaged edit\n")
    (work / "link.py").symlink_to("target.py")
    sh("git", "add", "link.py")
    before = (work / "target.py").read_bytes()
    assert codex("hook", "install").returncode == 0
    result = sh("git", "commit", "-q", "-m", "link", check=False)
    assert (work / "target.py").read_bytes() == before
    assert (work / "link.py").is_symlink()
    assert sh("git", "show", ":target.py").stdout == '"""Tools."""\n' + UNDOCUMENTED  # index untouched
    assert result.returncode == 0, result.stderr  # the hook lets the commit through (--allow-skipped)
    assert "is a symlink" in result.stderr + result.stdout


def test_latin1_file_with_a_coding_line_is_committed_and_documented(repo) -> None:
    work, sh, codex, tmp = repo
    data = ('# -*- coding: latin-1 -*-\n"""Tools."""\nNAME = "caf\u00e9"\n\n\n' + UNDOCUMENTED).encode("latin-1")
    (work / "m.py").write_bytes(data)
    assert codex("hook", "install").returncode == 0
    sh("git", "add", "m.py")
    result = sh("git", "commit", "-q", "-m", "latin-1", check=False)
    assert result.returncode == 0, result.stderr
    committed = subprocess.run(["git", "show", "HEAD:m.py"], cwd=work, capture_output=True, check=True).stdout
    assert 'NAME = "caf\xe9"'.encode("latin-1") in committed  # still latin-1, byte for byte
    assert b'"""Add two numbers.' in committed


def test_a_wrong_docstring_is_never_committed(repo) -> None:
    """The hook writes with the comment task's default threshold: a scripted docstring of some
    other function (a leap-year test as "days in a month") is held back, not restaged; the
    function gets a docstring of examples observed by running it instead."""
    work, sh, codex, tmp = repo
    (tmp / "answers.json").write_text(
        json.dumps({"answers": [], "default": 'Compute the number of days in a month.\n\nArgs:\n    year: Y."""'})
    )
    assert codex("hook", "install").returncode == 0
    leap = "def is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
    (work / "leap.py").write_text(leap)
    sh("git", "add", "leap.py")
    commit = sh("git", "commit", "-q", "-m", "leap", check=False)
    assert commit.returncode == 0, commit.stderr
    assert "is_leap: documented, the model's docstring was not written" in commit.stderr
    committed = sh("git", "show", "HEAD:leap.py").stdout
    assert "days in a month" not in committed and ">>> is_leap(" in committed
    assert (work / "leap.py").read_text() == committed and committed.endswith(leap.split("\n", 1)[1])


def test_a_wrong_docstring_is_never_committed_without_examples(repo) -> None:
    """With --no-examples (the hook run by hand, --staged --restage) the wrong docstring is
    held back and the file is left as staged."""
    work, sh, codex, tmp = repo
    (tmp / "answers.json").write_text(
        json.dumps({"answers": [], "default": 'Compute the number of days in a month.\n\nArgs:\n    year: Y."""'})
    )
    leap = '"""Leap years."""\ndef is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n'
    (work / "leap.py").write_text(leap)
    sh("git", "add", "leap.py")
    result = codex("comment", "--staged", "--restage", "--no-examples")
    assert result.returncode == 1 and "is_leap: below threshold" in result.stderr
    assert sh("git", "show", ":leap.py").stdout == leap and (work / "leap.py").read_text() == leap
