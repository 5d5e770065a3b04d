"""`codex testgen`, the pure half: what to test, what to ask, and the tests in an answer.

Targets are the public functions, public methods and (method-less) public classes of a
module. The prompt shows the module's imports, the target's source (signature, docstring,
body) and existing tests that mention it, as examples of the project's style. The answer's
``def test_*`` functions are pulled out with the imports each one needs; tests without an
assertion are flagged here, before anything runs.
"""

from __future__ import annotations

import ast
import builtins
import textwrap
from dataclasses import dataclass, field
from typing import Iterable, TypeVar

from codexcli.answers import ParseError, is_docstring, is_stub_statement, parsed_snippets
from codexcli.backends.base import CompletionRequest
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.index.related import NO_RELATED, RelatedCode
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import task_request
from codexcli.tasks.native.targets import CallTarget

_BUILTINS = set(dir(builtins))
# Calls that assert: unittest's self.assertX, mock's assert_called_with, numpy.testing...
_ASSERTING_CONTEXTS = {"raises", "warns", "deprecated_call"}
MAX_EXAMPLE_CHARS = 1200


@dataclass(frozen=True)
class Target:
    """Something to write tests for."""

    qualname: str  # "name" or "Class.method"
    kind: str  # "function" | "method" | "class"
    import_name: str  # what the tests import from the module (the function or the class)
    first_line: int  # first line of the body (coverage of the target is measured from here)
    last_line: int
    source: str  # the def/class as written, dedented
    # Repository context for the prompt (tasks/testgen/context.py): related definitions and
    # their existing tests; not part of what the target is.
    related: RelatedCode = field(default=NO_RELATED, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


# What testgen tests: a Python target, or a JavaScript/Java function (tasks/native/targets.py)
AnyTarget = Target | CallTarget
T = TypeVar("T", Target, CallTarget)


@dataclass(frozen=True)
class CandidateTest:
    """One test function from an answer."""

    name: str
    code: str  # the function's source (decorators included), dedented, ending with "\n"
    imports: tuple[str, ...]  # import statements this test needs
    has_assertion: bool
    fingerprint: str  # the test's AST without its name: spots copies of existing tests


def _is_stub(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [s for s in fn.body if not is_docstring(s)]
    return not body or all(is_stub_statement(s) for s in body)


def _segment(lines: list[str], node: ast.AST) -> str:
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])  # type: ignore[attr-defined]
    return textwrap.dedent("\n".join(lines[start - 1 : node.end_lineno])) + "\n"  # type: ignore[attr-defined]


def _body_start(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
    body = node.body[1:] if len(node.body) > 1 and is_docstring(node.body[0]) else node.body
    return body[0].lineno


def find_targets(source: str) -> list[Target]:
    """Public functions, public methods of public classes, and public classes without public
    methods, in file order. Stubs (pass / ... / raise NotImplementedError) are skipped: there
    is no behaviour to test yet."""
    tree = ast.parse(source)
    lines = source.splitlines()
    targets: list[Target] = []
    for node in tree.body:
        if node_name := getattr(node, "name", ""):
            if node_name.startswith("_"):
                continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _is_stub(node):
            targets.append(
                Target(
                    node.name,
                    "function",
                    node.name,
                    _body_start(node),
                    node.end_lineno or node.lineno,
                    _segment(lines, node),
                )
            )
        elif isinstance(node, ast.ClassDef):
            methods = [
                m
                for m in node.body
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                and not m.name.startswith("_")
                and not _is_stub(m)
            ]
            for method in methods:
                # The class is shown (it says how to build one); the method is what is tested.
                targets.append(
                    Target(
                        f"{node.name}.{method.name}",
                        "method",
                        node.name,
                        _body_start(method),
                        method.end_lineno or method.lineno,
                        _segment(lines, node),
                    )
                )
            if not methods and not any(
                isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_stub(m) for m in node.body
            ):
                targets.append(
                    Target(
                        node.name,
                        "class",
                        node.name,
                        _body_start(node),
                        node.end_lineno or node.lineno,
                        _segment(lines, node),
                    )
                )
    return targets


def select_targets(targets: list[T], names: Iterable[str]) -> list[T]:
    """Targets named in ``names`` (``name``, ``Class`` or ``Class.method``), or all of them."""
    wanted = set(names)
    if not wanted:
        return targets
    chosen = [t for t in targets if {t.qualname, t.name, t.import_name} & wanted]
    known = {t.qualname for t in chosen} | {t.name for t in chosen} | {t.import_name for t in chosen}
    unknown = wanted - known
    if unknown:
        listed = ", ".join(t.qualname for t in targets) or "none"
        raise UsageError(f"nothing to test named {', '.join(sorted(unknown))} (public functions: {listed})")
    return chosen


def module_imports(source: str) -> str:
    """The module's top-level import statements, as written."""
    tree = ast.parse(source)
    lines = source.splitlines()
    return "\n".join(_segment(lines, n).rstrip("\n") for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)))


def module_names(source: str) -> set[str]:
    """Names a test may import from the module (every top-level binding)."""
    from codexcli.splice.tests import bound_names

    return bound_names(source)


def existing_examples(test_source: str, target: Target, limit: int = MAX_EXAMPLE_CHARS) -> str:
    """Existing test functions that mention the target, up to ``limit`` characters."""
    if not test_source.strip():
        return ""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return ""
    lines = test_source.splitlines()
    picked: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            mentioned = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
                n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
            }
            if {target.name, target.import_name} & mentioned:
                code = _segment(lines, node)
                if sum(map(len, picked)) + len(code) > limit:
                    break
                picked.append(code)
    return "\n\n".join(p.rstrip("\n") for p in picked)


def build_request(
    prompt: PromptTemplate,
    settings: Settings,
    *,
    module_name: str,
    path: str,
    imports: str,
    target: Target,
    examples: str,
) -> CompletionRequest:
    """The request for one target. The module's imports come first: they are the same for every
    target, so llama.cpp reuses their evaluation between requests; the target's repository
    context (``$related``, which differs per target) follows them."""
    example_text = f"Existing tests in this project look like this:\n```python\n{examples}\n```\n" if examples else ""
    messages, prefill = prompt.render(
        module=module_name,
        path=path,
        imports=imports or "# (no imports)",
        qualname=target.qualname,
        source=target.source.rstrip("\n"),
        examples=example_text,
        related=target.related.render(),
        import_name=target.import_name,
        name=target.name.lower().strip("_") or "it",
    )
    return task_request(messages, prefill, prompt, settings)


def has_assertion(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a test checks anything: an ``assert`` (not of a constant), ``pytest.raises``-style
    block, or an ``assert*`` method call (unittest, mock)."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert) and not isinstance(node.test, ast.Constant):
            return True
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = item.context_expr
                func = call.func if isinstance(call, ast.Call) else call
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in _ASSERTING_CONTEXTS:
                    return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.startswith("assert"):
                return True
    return False


def _used_names(fn: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _fingerprint(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    body = fn.body[1:] if len(fn.body) > 1 and is_docstring(fn.body[0]) else fn.body
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def fingerprints_of(test_source: str) -> set[str]:
    """Fingerprints of the test functions already in a test file."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return set()
    return {
        _fingerprint(n)
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")
    }


def _import_bindings(tree: ast.Module, module_name: str, available: set[str]) -> dict[str, str]:
    """name -> the import statement (reduced to that name) binding it in the answer. Imports of
    names the module under test does not have are dropped (a made-up name would break the
    whole file at collection)."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.module == module_name and node.level == 0:
                aliases = [a for a in node.names if a.name in available]
            else:
                aliases = [a for a in node.names if a.name != "*"]
            for alias in aliases:
                out[alias.asname or alias.name] = ast.unparse(
                    ast.ImportFrom(module=node.module, names=[alias], level=node.level)
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = ast.unparse(ast.Import(names=[alias]))
    return out


def parse_tests(answer: str, module_name: str, available: set[str]) -> list[CandidateTest] | ParseError:
    """The ``def test_*`` functions of an answer, each with the imports it needs.

    Names a test uses that the module under test defines are imported from it even when the
    model forgot the import; ``pytest`` likewise. Tests that only differ by name are kept once.
    """
    parsed, first_error = parsed_snippets(answer)
    if not parsed and first_error is None:
        return ParseError("the answer contains no code")
    for source, tree in parsed:
        fns = [
            n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")
        ]
        if not fns:
            continue
        bindings = _import_bindings(tree, module_name, available)
        lines = source.splitlines()
        tests: list[CandidateTest] = []
        seen: set[str] = set()
        for fn in fns:
            fingerprint = _fingerprint(fn)
            if fn.name in {t.name for t in tests} or fingerprint in seen:
                continue
            seen.add(fingerprint)
            imports: list[str] = []
            for name in sorted(_used_names(fn) - {a.arg for a in fn.args.args}):
                if name in bindings:
                    imports.append(bindings[name])
                elif name in available:
                    imports.append(f"from {module_name} import {name}")
                elif name == "pytest":
                    imports.append("import pytest")
            tests.append(CandidateTest(fn.name, _segment(lines, fn), tuple(imports), has_assertion(fn), fingerprint))
        return tests
    return first_error or ParseError("the answer has no test functions (def test_...(): ... assert ...)")
