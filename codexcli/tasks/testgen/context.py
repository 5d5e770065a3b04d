"""`codex testgen`, the repository context: for each target, the definitions of the repository
related to it (by its name, signature, docstring and the names it calls) and the existing tests
of the target and of those definitions (test functions elsewhere in the repository whose bodies
call them), as many as fit the token budget (index/context.py).

The context is attached to each Target before the pipeline runs, so the prompt it builds
(tasks/testgen/request.build_request) shows it after the module's imports, which every target shares.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from codexcli.backends.base import Backend
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError
from codexcli.index.related import NO_RELATED
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import fit_request
from codexcli.tasks.testgen.request import Target, build_request, existing_examples, module_imports

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext
    from codexcli.index.defs import Definition


def _docstring(target: Target) -> str:
    """The first line of the target's own docstring (the method's, for a method), or ""."""
    try:
        tree = ast.parse(target.source)
    except SyntaxError:
        return ""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == target.name:
            doc = ast.get_docstring(node) or ""
            return doc.strip().split("\n", 1)[0]
    return ""


def _signature(target: Target) -> str:
    """The target's def line (its class's first line when the class is all there is)."""
    for line in target.source.splitlines():
        stripped = line.strip()
        if stripped.startswith((f"def {target.name}(", f"async def {target.name}(", f"class {target.name}")):
            return stripped
    return target.qualname


def context_for(repo: RepoContext, backend: Backend, target: Target, module: Path, test_file: Path) -> list[Definition]:
    """What the prompt for ``target`` (in ``module``) may show, within the budget: its best
    existing test first (it shows how the project imports, calls and checks it), then the
    helpers it calls and the related definitions, then its other tests, then the tests of those
    definitions; rendered with the definitions before the tests. No test code is shown as a
    definition. The
    target itself (its class, for a method: the prompt shows the class) and ``test_file`` (the
    pipeline shows the tests in it that mention the target) are left out."""
    from codexcli.index.context import called_names, is_test, target_query, test_code, within

    own = within(repo.relative(module), target.import_name)

    def skip(d: Definition) -> bool:
        return own(d) or test_code(d)

    query = target_query(target.qualname, _signature(target), _docstring(target), code=target.source)
    callees = repo.named(called_names(target.source), language="python", skip=skip)
    found = callees + repo.definitions(query, language="python", skip=skip)
    own_tests = repo.tests_of([target.name], exclude=[test_file])[: repo.k]
    # The best own test first (how to import and call it), then what the code does, then more tests.
    groups = [own_tests[:1], found, own_tests[1:]]
    picked = [d for d in repo.fit(backend, groups) if not is_test(d)]
    their_tests = repo.tests_of([d.name for d in picked], exclude=[test_file])
    chosen = repo.fit(backend, [own_tests[:1], picked, own_tests[1:], their_tests])
    return sorted(chosen, key=is_test)  # stable: definitions, then tests, each best first


def with_context(
    repo: RepoContext,
    backend: Backend,
    prompt: PromptTemplate,
    settings: Settings,
    targets: list[Target],
    *,
    module: Path,
    module_name: str,
    module_source: str,
    test_file: Path,
    test_source: str,
) -> list[Target]:
    """``targets`` with their repository context attached, each recorded in ``repo.shown`` under
    (str(module), qualname). A context that would not let the prompt fit the model's context is
    dropped (recorded as none shown): the module's own code matters more."""
    out = []
    for target in targets:
        chosen = context_for(repo, backend, target, module, test_file)
        related, record = repo.shown_as(chosen, language="python", key=(str(module), target.qualname))
        with_related = dataclasses.replace(target, related=related)
        request = build_request(
            prompt,
            settings,
            module_name=module_name,
            path=str(module),
            imports=module_imports(module_source),
            target=with_related,
            examples=existing_examples(test_source, target),
        )
        try:
            fit_request(backend, request)
        except PromptTooLongError:
            record(0)
            out.append(dataclasses.replace(target, related=NO_RELATED))
            continue
        record(len(related.items))
        out.append(with_related)
    return out
