"""Pull code out of what a model said. Pure functions, no I/O.

Small models wrap code in prose, open fences they never close (generation hit max_tokens), echo
the whole function when asked for a body, or emit garbage. Each function here returns a value or
a ParseError carrying a reason short enough to feed back to the model on a retry.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from codexcli import languages

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block: its tag ('' when untagged), its code, and whether the fence was closed."""

    lang: str
    code: str
    closed: bool


@dataclass(frozen=True)
class ParseError:
    """Why an answer could not be used; ``reason`` is fed back to the model on retry."""

    reason: str


def code_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block in ``text``, in order; an unclosed last fence runs to the end."""
    blocks: list[CodeBlock] = []
    pos = 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            return blocks
        fence, tag = opening.group(1), opening.group(2).lower()
        body_start = opening.end() + 1
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        close = closing.search(text, body_start) if body_start <= len(text) else None
        if close is None:
            blocks.append(CodeBlock(tag, text[body_start:].rstrip("\n"), False))
            return blocks
        blocks.append(CodeBlock(tag, text[body_start : close.start()].rstrip("\n"), True))
        pos = close.end()


def candidate_snippets(text: str, language: str = "python") -> list[str]:
    """Code the answer may hold, best first: blocks tagged with ``language``, untagged blocks,
    then the whole answer (models sometimes skip the fences)."""
    known = languages.lookup(language)
    tags = known.tags if known is not None else (language,)
    blocks = code_blocks(text)
    tagged = [b.code for b in blocks if b.lang in tags]
    untagged = [b.code for b in blocks if not b.lang]
    out = [c for c in tagged + untagged if c.strip()]
    if not blocks and text.strip():
        out.append(text)
    return out


def parse_python(code: str) -> ast.Module | ParseError:
    """Parse ``code``, repairing what small models commonly break.

    Tries, in order: as is; dedented; without trailing lines (an answer cut off by max_tokens);
    without leading prose lines. Returns the first tree that parses, else the original error.
    """
    attempts = [code, textwrap.dedent(code)]
    first_error: SyntaxError | None = None
    for attempt in attempts:
        try:
            return ast.parse(attempt)
        except SyntaxError as exc:
            first_error = first_error or exc
    lines = textwrap.dedent(code).splitlines()
    for cut in range(1, min(len(lines), 8)):
        try:
            return ast.parse("\n".join(lines[:-cut]))
        except SyntaxError:
            continue
    for start in range(1, min(len(lines), 6)):
        try:
            return ast.parse("\n".join(lines[start:]))
        except SyntaxError:
            continue
    assert first_error is not None
    return ParseError(f"the code does not parse: {first_error.msg} (line {first_error.lineno})")


def repaired_source(code: str) -> str | ParseError:
    """Like parse_python but returns source text that parses (unparsed from the tree if repaired)."""
    for attempt in (code, textwrap.dedent(code)):
        try:
            ast.parse(attempt)
            return attempt
        except SyntaxError:
            continue
    tree = parse_python(code)
    if isinstance(tree, ParseError):
        return tree
    # Re-derive the kept lines rather than ast.unparse, to keep the model's comments.
    lines = textwrap.dedent(code).splitlines()
    for lo in range(0, min(len(lines), 6)):
        for hi in range(len(lines), max(lo, len(lines) - 8), -1):
            chunk = "\n".join(lines[lo:hi])
            try:
                ast.parse(chunk)
                return chunk
            except SyntaxError:
                continue
    return ast.unparse(tree)


def parsed_snippets(text: str) -> tuple[list[tuple[str, ast.Module]], ParseError | None]:
    """Every Python snippet of an answer that parses (after repairs), best first, with its tree;
    and the first parse error met, for the message when nothing parses."""
    parsed: list[tuple[str, ast.Module]] = []
    first_error: ParseError | None = None
    for snippet in candidate_snippets(text, "python"):
        source = repaired_source(snippet)
        if isinstance(source, ParseError):
            first_error = first_error or source
            continue
        parsed.append((source, ast.parse(source)))
    return parsed, first_error


def extract_code(text: str, language: str = "python") -> str | ParseError:
    """The code of an answer to "write code for X".

    For Python, the first snippet that parses and defines something wins, else the first that
    parses. Other languages are returned as found (their compilers judge them later).
    """
    if language != "python":
        snippets = candidate_snippets(text, language)
        return snippets[0].strip("\n") + "\n" if snippets else ParseError("the answer contains no code")
    parsed, first_error = parsed_snippets(text)
    parsed = [(source, tree) for source, tree in parsed if tree.body]
    for source, tree in parsed:
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body):
            return source.strip("\n") + "\n"
    if parsed:
        return parsed[0][0].strip("\n") + "\n"
    return first_error or ParseError("the answer contains no code")


@dataclass(frozen=True)
class FunctionBody:
    """The body a model wrote for a function: dedented statements, ending with a newline."""

    code: str


def signature_of(args: ast.arguments) -> tuple[str, ...]:
    """Parameter names and kinds, e.g. ('a', '/', 'b', '*args', 'c', '**kw')."""
    out = [a.arg for a in args.posonlyargs]
    if args.posonlyargs:
        out.append("/")
    out += [a.arg for a in args.args]
    if args.vararg:
        out.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        out.append("*")
    out += [a.arg for a in args.kwonlyargs]
    if args.kwarg:
        out.append("**" + args.kwarg.arg)
    return tuple(out)


def is_stub_statement(node: ast.stmt) -> bool:
    """``pass``, ``...`` or ``raise NotImplementedError[(...)]``: a placeholder, not code."""
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis:
        return True
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def is_docstring(node: ast.stmt) -> bool:
    """A statement that is only a string: the docstring when it comes first in a body (elsewhere
    a bare string, which a body check ignores the same way)."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _find_defs(tree: ast.Module, name: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found.append(node)
        elif isinstance(node, ast.ClassDef):
            found += [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name]
    return found


def _check_body(code: str, params: tuple[str, ...], is_async: bool) -> FunctionBody | ParseError:
    """Reject bodies that are empty or placeholders, or that are invalid inside this function."""
    tree = ast.parse(code)
    statements = [s for s in tree.body if not is_docstring(s)]
    if not statements:
        return ParseError("the function body is empty")
    if all(is_stub_statement(s) for s in statements):
        return ParseError("the answer is still a stub (pass / ... / raise NotImplementedError)")
    header = f"{'async ' if is_async else ''}def __codex_check__():\n"
    try:
        # compile() only compiles: catches 'await' outside async, 'return' with value in a
        # generator and the like, without running anything.
        compile(header + textwrap.indent(code, "    "), "<answer>", "exec")
    except SyntaxError as exc:
        return ParseError(f"the body is not valid inside the function: {exc.msg}")
    return FunctionBody(code if code.endswith("\n") else code + "\n")


def _body_from_snippet(snippet: str, name: str, params: tuple[str, ...], is_async: bool) -> FunctionBody | ParseError:
    source = repaired_source(snippet)
    if isinstance(source, ParseError):
        # A bare body ("return a + b") does not parse as a module; try it as a function body.
        bare = textwrap.dedent(snippet).strip("\n")
        try:
            ast.parse(f"{'async ' if is_async else ''}def f():\n" + textwrap.indent(bare, "    "))
        except SyntaxError:
            return source
        return _check_body(bare + "\n", params, is_async)
    tree = ast.parse(source)
    lines = source.splitlines()
    defs = _find_defs(tree, name)
    if defs:
        fn = defs[0]
        got = signature_of(fn.args)
        if got != params:
            return ParseError(
                f"the answer changes the signature of {name}: ({', '.join(params)}) became ({', '.join(got)})"
            )
        body_nodes = [s for s in fn.body if not is_docstring(s)] if fn.body and is_docstring(fn.body[0]) else fn.body
        if not body_nodes:
            return ParseError("the function body is empty")
        start = body_nodes[0].lineno - 1
        floor = (fn.body[0].end_lineno or fn.lineno) if body_nodes is not fn.body else fn.lineno
        while start - 1 >= floor and lines[start - 1].strip().startswith("#"):
            start -= 1  # keep the model's comments just above its first statement
        body = textwrap.dedent("\n".join(lines[start : body_nodes[-1].end_lineno]))
        # Imports the model put above the function travel into the body, so the result runs.
        imports = [
            ast.get_source_segment(source, n) or ""
            for n in tree.body
            if isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno < fn.lineno
        ]
        code = "\n".join([*imports, body]) + "\n"
        return _check_body(code, params, is_async)
    defined = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    if defined and all(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))
        for n in tree.body
    ):
        return ParseError(f"the answer defines {', '.join(defined)} but not {name}")
    return _check_body(source.strip("\n") + "\n", params, is_async)


def extract_function_body(
    text: str, name: str, params: tuple[str, ...], *, is_async: bool = False
) -> FunctionBody | ParseError:
    """The body of function ``name`` from a model's answer.

    Accepts a full function (reduced to its body; its signature must match ``params``) or bare
    body statements. Rejects empty answers, placeholders, code that does not parse, and answers
    that define other things instead.
    """
    snippets = candidate_snippets(text, "python")
    if not snippets:
        return ParseError("the answer is empty")
    first: ParseError | None = None
    for snippet in snippets:
        result = _body_from_snippet(snippet, name, params, is_async)
        if isinstance(result, FunctionBody):
            return result
        first = first or result
    assert first is not None
    return first
