"""`codex generate --samples N`: the evidence verified selection judges candidates on, for a stub
(--fill, used by tasks/generate/fill.py) and for code from a description (select_generated): the
docstring's examples, tests found in the project, behaviour on generated inputs. The ranking
itself is tasks/select.py.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

from codexcli.splice.body import Spliced, StubTarget, replace_bodies
from codexcli.tasks.select import Candidate, Selection, rank
from codexcli.verify.compare.probes import (
    Example,
    docstring_examples,
    function_docstring,
    function_params,
    probe_inputs,
)
from codexcli.verify.sandbox.project import project_root
from codexcli.verify.sandbox.sandbox import Limits, run

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".tox"}
MAX_TEST_FILES = 5


def find_tests(path: Path, name: str) -> list[Path]:
    """Test files (test_*.py, *_test.py) in ``path``'s project (the root `codex testgen` runs
    tests in: verify.sandbox.project.project_root) that import its module and mention ``name``:
    the tests codex can find for that function."""
    if not path.is_file():
        return []
    root = project_root(path)
    word = re.compile(rf"\b{re.escape(name)}\b")
    module = re.compile(rf"\b{re.escape(path.stem)}\b")
    found: list[Path] = []
    for candidate in sorted(root.rglob("*.py")):
        rel = candidate.relative_to(root)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if not (candidate.name.startswith("test_") or candidate.name.endswith("_test.py")):
            continue
        if candidate.resolve() == path.resolve():
            continue
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if word.search(text) and module.search(text):
            found.append(candidate)
        if len(found) >= MAX_TEST_FILES:
            break
    return found


def test_runner(path: Path, tests: list[Path], limits: Limits = Limits(timeout_s=60.0)) -> Callable[[str], bool]:
    """A check that runs ``tests`` with pytest in the sandbox, on a copy of the project in which
    ``path`` holds the given text. True when they pass."""
    root = project_root(path)
    rel = str(path.resolve().relative_to(root))
    args = [str(t.resolve().relative_to(root)) for t in tests]

    def passes(text: str) -> bool:
        result = run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *args],
            copy_from=root,
            files={rel: text},
            limits=limits,
        )
        return result.ok

    return passes


def splice_body(source: str, index: int, body: str) -> str:
    """``source`` with the function at ``index`` given ``body`` (one the fill parser accepted,
    so it splices); ``source`` itself if it somehow does not."""
    spliced = replace_bodies(source, {index: body})
    return spliced.text if isinstance(spliced, Spliced) else source


def stub_evidence(target: StubTarget) -> tuple[list[Example], list[tuple[str, ...]]]:
    """What a stub's candidates are judged on without tests: its docstring's examples, and the
    inputs (the examples' arguments, then made-up ones) their behaviour is compared on."""
    examples = docstring_examples(
        function_docstring(target.header, target.name), target.name, function_params(target.header, target.name)
    )
    return examples, probe_inputs(target.header, target.name, examples)


def _main_function(codes: list[str]) -> tuple[str, str] | None:
    """The function the candidates agree they are writing: the most common name among their
    last top-level function definitions, with the header (signature) of its first occurrence."""
    names: list[str] = []
    headers: dict[str, str] = {}
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        if not defs:
            continue
        fn = defs[-1]
        names.append(fn.name)
        if fn.name not in headers:
            stub = copy.copy(fn)
            stub.body, stub.decorator_list = [ast.Pass()], []
            headers[fn.name] = ast.unparse(stub) + "\n"
    if not names:
        return None
    name = Counter(names).most_common(1)[0][0]
    return name, headers[name]


def select_generated(
    candidates: list[Candidate[str]],
    description: str,
    language: str,
    *,
    strategy: str = "verified",
    workers: int | None = None,
) -> Selection[str]:
    """Rank candidate programs for a description. Python candidates are run on the examples the
    description gives (``f(2) == 4``) and compared on generated inputs; other languages are
    ranked by log-probability only (they are not run here)."""
    parsed = [c.value for c in candidates if c.value is not None]
    main = _main_function(parsed) if language == "python" and strategy == "verified" else None
    if main is None:
        return rank(candidates, module_of=lambda code: code, name="", strategy="logprob")
    name, header = main
    examples = docstring_examples(description, name, function_params(header, name))
    inputs = probe_inputs(header, name, examples)
    return rank(
        candidates,
        module_of=lambda code: code,
        name=name,
        examples=examples,
        inputs=inputs,
        strategy=strategy,
        workers=workers,
    )
