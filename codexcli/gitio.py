"""Git: staged files, the line ranges a staged change touches, and the pre-commit hook.

GitPython is imported inside the functions that need it (``codex --help`` stays instant).
The hook installer never clobbers: our script carries a marker line; a foreign hook is kept as
``pre-commit.legacy`` and run first; a repository with ``core.hooksPath`` set is refused,
because hooks there are managed by something else (often the pre-commit framework).
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexcli.errors import UsageError

HOOK_MARKER = "# codex-hook: installed by `codex hook install`"
HOOK_TASKS = {"comment": "comment --staged --restage --allow-skipped"}
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def open_repo(start: Path) -> Any:
    """The git repository holding ``start``; UsageError when there is none."""
    import git

    try:
        return git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"{start}: not inside a git repository") from None


def parse_hunks(diff_text: str) -> dict[str, list[tuple[int, int]]]:
    """Changed line ranges of the new side of a ``git diff --unified=0``, per path.

    A pure deletion is recorded as the two lines around it, so the function it was cut from
    counts as changed.
    """
    ranges: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for line in diff_text.splitlines():
        if line.startswith("+++ "):
            # git ends a name that has a space with a tab (so the line stays unambiguous).
            name = line[4:].rstrip("\t") if " " in line[4:] else line[4:]
            if name == "/dev/null":
                current = None
                continue
            name = _unquote(name)
            name = name[2:] if name.startswith("b/") else name
            current = ranges.setdefault(name, [])
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            current.append((start, start + count - 1) if count else (max(start, 1), start + 1))
    return ranges


def _unquote(name: str) -> str:
    if name.startswith('"') and name.endswith('"'):
        return (
            name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8")
        )
    return name


@dataclass(frozen=True)
class StagedFile:
    """A staged Python file: its path, the staged line ranges, and whether the working copy
    differs from the index (then codex must not touch it: the commit would not match)."""

    path: Path
    ranges: tuple[tuple[int, int], ...]
    unstaged_changes: bool
    symlink: bool = False  # staged as a link: editing it would edit a file the user did not stage


def staged_python_files(
    repo: Any, only: list[Path] | None = None, suffixes: tuple[str, ...] = (".py",)
) -> list[StagedFile]:
    """Added, copied, modified or renamed ``.py`` files (or files with one of ``suffixes``) in
    the index, with their changed lines."""
    root = Path(repo.working_tree_dir)
    args = ["--cached", "--unified=0", "--no-color", "--no-ext-diff", "--diff-filter=ACMR"]
    names = repo.git.diff("--cached", "--name-only", "--diff-filter=ACMR", "-z").split("\0")
    py = [n for n in names if n and n.lower().endswith(suffixes)]
    if only is not None:
        wanted = {p.resolve() for p in only}
        py = [n for n in py if (root / n).resolve() in wanted]
    if not py:
        return []
    hunks = parse_hunks(repo.git.diff(*args, "--", *py))
    dirty = set(repo.git.diff("--name-only", "-z", "--", *py).split("\0"))
    # Index modes: 120000 is a symlink, whose staged content is the link, not its target.
    links = {
        entry.split("\t", 1)[1]
        for entry in repo.git.ls_files("-s", "-z", "--", *py).split("\0")
        if entry.startswith("120000 ") and "\t" in entry
    }
    return [
        StagedFile(root / n, tuple(hunks.get(n, [])), n in dirty, n in links or (root / n).is_symlink()) for n in py
    ]


def restage(repo: Any, paths: list[Path]) -> None:
    """``git add`` the files codex changed, so the commit includes the docstrings."""
    if paths:
        repo.git.add("--", *[os.path.abspath(p) for p in paths])


# Hook ---------------------------------------------------------------------------------------------


def hooks_dir(repo: Any) -> Path:
    """The repository's hooks folder; UsageError when core.hooksPath points elsewhere."""
    reader = repo.config_reader()
    hooks_path = reader.get_value("core", "hooksPath", default="")
    if hooks_path:
        raise UsageError(
            f"this repository sets core.hooksPath={hooks_path}; its hooks are managed there, so codex "
            "will not install into .git/hooks",
            hint="add codex to that hooks setup, use the pre-commit framework (hook id codex-comment), "
            "or `git config --unset core.hooksPath`",
        )
    path = Path(repo.git.rev_parse("--git-path", "hooks"))
    return path if path.is_absolute() else Path(repo.working_tree_dir) / path


def hook_script(task: str, python: str | None = None) -> str:
    """The pre-commit script: chain to a kept foreign hook, then run codex on staged files."""
    args = HOOK_TASKS[task]
    python = python or sys.executable
    return f"""#!/bin/sh
{HOOK_MARKER}; `codex hook uninstall` removes it.
# task: {task}
# A hook that was here before codex is kept as pre-commit.legacy and runs first.
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/pre-commit.legacy" ]; then
    "$hook_dir/pre-commit.legacy" "$@" || exit $?
fi
exec {shlex.quote(python)} -m codexcli {args}
"""


def is_ours(path: Path) -> bool:
    """True when the file at ``path`` is a hook codex wrote."""
    try:
        return HOOK_MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


@dataclass(frozen=True)
class HookChange:
    """What install/uninstall did, in words."""

    path: Path
    action: str  # "installed" | "updated" | "installed, kept the existing hook as pre-commit.legacy" | ...


def install_hook(repo: Any, task: str = "comment", python: str | None = None) -> HookChange:
    """Write our pre-commit hook, keeping (and chaining to) a foreign one."""
    if task not in HOOK_TASKS:
        raise UsageError(f"no hook for task {task!r}; available: {', '.join(sorted(HOOK_TASKS))}")
    folder = hooks_dir(repo)
    folder.mkdir(parents=True, exist_ok=True)
    hook, legacy = folder / "pre-commit", folder / "pre-commit.legacy"
    action = "installed"
    if hook.exists() or hook.is_symlink():
        if is_ours(hook):
            action = "updated"
        elif legacy.exists() or legacy.is_symlink():
            raise UsageError(
                f"{hook} is not codex's and {legacy.name} already exists; codex will not overwrite either",
                hint="merge them by hand, then run `codex hook install` again",
            )
        else:
            os.replace(hook, legacy)
            action = f"installed; the existing hook was kept as {legacy.name} and runs first"
    _write_executable(hook, hook_script(task, python))
    return HookChange(hook, action)


def uninstall_hook(repo: Any) -> HookChange:
    """Remove our hook and put a kept foreign hook back; never touch a hook that is not ours."""
    folder = hooks_dir(repo)
    hook, legacy = folder / "pre-commit", folder / "pre-commit.legacy"
    if not hook.exists():
        return HookChange(hook, "nothing to uninstall (no pre-commit hook)")
    if not is_ours(hook):
        raise UsageError(f"{hook} was not installed by codex; left it alone")
    hook.unlink()
    if legacy.exists() or legacy.is_symlink():
        os.replace(legacy, hook)
        return HookChange(hook, f"uninstalled; restored the previous hook from {legacy.name}")
    return HookChange(hook, "uninstalled")


def _write_executable(path: Path, text: str) -> None:
    from codexcli.workspace import atomic_write

    atomic_write(path, text)
    mode = path.stat().st_mode
    path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
