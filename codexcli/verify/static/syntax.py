"""Syntax checks for generated code, per language.

Python is checked in-process with ``ast`` (parsing runs nothing). Other languages use the
syntax check of their entry in codexcli.languages, in a subprocess on a temporary file; when the
tool is not on PATH the result says "not verified" rather than pretending success.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from codexcli import languages

CHECK_TIMEOUT_S = 30


@dataclass(frozen=True)
class SyntaxCheck:
    """Outcome of a syntax check: ``ok`` is None when no checker was available."""

    ok: bool | None
    checker: str
    detail: str = ""

    @property
    def verified(self) -> bool:
        return self.ok is True


def check_syntax(code: str, language: str) -> SyntaxCheck:
    """Check that ``code`` is syntactically valid ``language``."""
    if language == "python":
        try:
            ast.parse(code)
        except SyntaxError as exc:
            return SyntaxCheck(False, "python ast", f"{exc.msg} (line {exc.lineno})")
        return SyntaxCheck(True, "python ast")
    entry = languages.lookup(language)
    if entry is None or not entry.syntax:
        return SyntaxCheck(None, "none", f"codex has no syntax checker for {language} yet")
    (exe, *args), suffix = entry.syntax, entry.suffix
    path = shutil.which(exe)
    if path is None:
        return SyntaxCheck(None, exe, f"{exe} is not on PATH")
    with tempfile.TemporaryDirectory(prefix="codex-syntax-") as tmp:
        target = Path(tmp) / f"snippet{suffix}"
        target.write_text(code, encoding="utf-8")
        try:
            proc = subprocess.run(
                [path, *args, str(target)], capture_output=True, text=True, timeout=CHECK_TIMEOUT_S, cwd=tmp
            )
        except subprocess.TimeoutExpired:
            return SyntaxCheck(False, exe, f"{exe} timed out after {CHECK_TIMEOUT_S}s")
    name = f"{exe} {' '.join(args)}".strip()
    if proc.returncode != 0:
        first = next((ln for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()), "failed")
        return SyntaxCheck(False, name, first.replace(str(target), "snippet" + suffix))
    return SyntaxCheck(True, name)
