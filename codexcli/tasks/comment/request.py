"""The comment task's model request for one target: the code shown (a function as written, a
class as its header and method signatures, the module as its top-level names), with the whole
file as shared context and, with a repository, its related definitions."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from codexcli.backends.base import Backend, CompletionRequest
from codexcli.config import Settings
from codexcli.index.related import NO_RELATED
from codexcli.prompts import PromptTemplate
from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.docstyle import example_answer, example_target, template
from codexcli.tasks.common import request_with_context, whole_file

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

MAX_CODE_LINES = 80  # of a target shown to the model; the file context carries the rest


def _shown_code(target: DocTarget, source: str) -> str:
    """The code shown for a target: a function as written, a class as its header and method
    signatures, the module as its top-level names."""
    if target.kind == "module":
        tree = ast.parse(source)
        lines = source.replace("\r\n", "\n").split("\n")
        heads = [
            lines[n.lineno - 1].strip()
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        return "\n".join(f"{h} ..." for h in heads) or "# (no functions or classes)"
    lines = target.code.replace("\r\n", "\n").rstrip("\n").split("\n")
    if target.kind == "class":
        indent = len(lines[0]) - len(lines[0].lstrip())
        lines = [
            l
            for l in lines
            if l.strip().startswith(("class ", "def ", "async def ", "@")) and len(l) - len(l.lstrip()) <= indent + 8
        ]
    if len(lines) > MAX_CODE_LINES:
        lines = lines[:MAX_CODE_LINES] + ["    ..."]
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines)


def comment_request(
    prompt: PromptTemplate,
    backend: Backend,
    source: str,
    path: str,
    target: DocTarget,
    style: str,
    settings: Settings,
    repo: RepoContext | None = None,
) -> CompletionRequest:
    """The request for one target, with the whole file as shared context when it fits; with
    ``repo``, also the repository's definitions most related to the target (by its name and the
    names it calls; none from the file itself, which the prompt already shows)."""
    code = _shown_code(target, source)
    contexts = (whole_file(source), code)
    related, record = NO_RELATED, None
    if repo is not None and target.kind != "module":
        related, record = repo.related_in_file(backend, path, target.qualname, code.split("\n", 1)[0], code=target.code)
    return request_with_context(
        backend,
        prompt,
        settings,
        contexts,
        where=path,
        label=target.qualname,
        related=related,
        on_related=record,
        path=path,
        kind=target.kind,
        qualname=target.qualname if target.kind != "module" else path,
        code=code,
        style=style,
        template=template(style, target),
        example_template=template(style, example_target()),
        example_answer=example_answer(style),
    )
