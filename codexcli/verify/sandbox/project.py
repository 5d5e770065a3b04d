"""Where a module and its tests sit in a project, and copying that project into a sandbox.

The project root is the nearest folder with pyproject.toml, setup.py, setup.cfg or .git (else the
folder the module's imports start from): the one rule for "the project" in codex (testgen's
runs, and the tests --fill --samples looks for).
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from codexcli.errors import UsageError

_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
_IGNORED = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    "node_modules",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "build",
    "dist",
    "*.egg-info",
    "*.pyc",
    ".coverage",
)
# A project bigger than this is not copied whole; only its Python files are.
MAX_STAGED_FILES = 3000
MAX_STAGED_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ProjectLayout:
    """Where the module and its test file sit in the project, as seen inside the sandbox copy."""

    root: Path  # the project folder that is copied (absolute)
    module_rel: str  # the module, relative to root (posix)
    module_name: str  # its dotted import name
    import_root_rel: str  # the folder on sys.path that makes module_name importable ('' = root)
    test_rel: str  # where the test file is placed inside the copy


def _import_root(module: Path) -> tuple[Path, str]:
    """The folder to put on sys.path and the dotted name: climb while folders are packages."""
    parts = [module.stem]
    folder = module.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def project_root(module: Path) -> Path:
    """The nearest folder above ``module`` with pyproject.toml, setup.py, setup.cfg or .git, else
    the folder its imports start from."""
    module = module.resolve()
    import_root, _ = _import_root(module)
    root = next((f for f in module.parents if any((f / m).exists() for m in _MARKERS)), import_root)
    if import_root != root and root not in import_root.parents:
        root = import_root
    return root


def find_layout(module: Path, test_file: Path) -> ProjectLayout:
    """Work out where ``module`` and ``test_file`` sit in the project (see project_root)."""
    module = module.resolve()
    import_root, name = _import_root(module)
    root = project_root(module)
    test_file = test_file.resolve()
    try:
        test_rel = test_file.relative_to(root).as_posix()
    except ValueError:
        test_rel = f"codex_tests/{test_file.name}"  # a test file outside the project: its own folder
    if test_rel == module.relative_to(root).as_posix():
        raise UsageError("the test file would be the module under test itself; choose another --out")
    import_rel = import_root.relative_to(root).as_posix()
    return ProjectLayout(
        root, module.relative_to(root).as_posix(), name, "" if import_rel == "." else import_rel, test_rel
    )


def _ignored(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in _IGNORED)


def _project_files(root: Path) -> Iterator[Path]:
    """Files of the project, pruning VCS, virtualenv, cache and build folders."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(files):
            if not _ignored(name):
                yield Path(folder) / name


def stage_project(layout: ProjectLayout, dest: Path) -> None:
    """Copy the project into ``dest``; a big one (a home folder, a monorepo) only by its .py files."""
    files = list(itertools.islice(_project_files(layout.root), MAX_STAGED_FILES + 1))
    small = (
        len(files) <= MAX_STAGED_FILES
        and sum(f.stat().st_size for f in files if not f.is_symlink()) <= MAX_STAGED_BYTES
    )
    if not small:
        files = [f for f in _project_files(layout.root) if f.suffix == ".py"]
        if len(files) > MAX_STAGED_FILES:
            raise UsageError(
                f"{layout.root} holds more than {MAX_STAGED_FILES} Python files; too big to copy for testing"
            )
    for path in files:
        target = dest / path.relative_to(layout.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            shutil.copy2(path, target)
