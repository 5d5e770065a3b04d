"""Codex-S and Codex-D training pairs from Python source.

Codex-S (the paper's supervised fine-tuning set) teaches "signature + docstring -> body"; Codex-D
the reverse, "signature + body -> docstring". A pair is extracted from every function or method
that has a docstring and a real body. Both parts are exact slices of the file's lines, so
``prompt + completion`` of an S pair is the function as written (dedented to column 0): nothing is
reformatted, and a trainer sees code the way the repository writes it.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
from dataclasses import dataclass
from typing import Iterator, Literal

PairKind = Literal["S", "D"]
_QUOTE_START = ('"', "'", 'r"', "r'", 'u"', "u'", 'R"', "R'", 'U"', "U'")


@dataclass(frozen=True)
class Pair:
    """One training example. ``id`` is stable: the same function in the same file always gets it."""

    kind: PairKind  # "S": signature + docstring -> body; "D": signature + body -> docstring
    id: str
    path: str
    qualname: str
    line: int  # 1-based line of the def (or its first decorator)
    prompt: str
    completion: str
    license: str | None = None

    def to_json(self) -> str:
        """One JSONL line (keys sorted, so output is byte-stable)."""
        # vars(), not asdict(): every field is flat, and asdict's deep copy tripled the cost of a
        # build's pair stage.
        return json.dumps(vars(self), sort_keys=True, ensure_ascii=False)


def pair_id(kind: str, path: str, qualname: str, prompt: str, completion: str) -> str:
    """A content-derived id: equal inputs give equal ids on every machine and engine."""
    digest = hashlib.sha256("\0".join((kind, path, qualname, prompt, completion)).encode("utf-8"))
    return digest.hexdigest()[:20]


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Functions and methods (nested ones included) with their qualified names, in file order."""

    def walk(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + node.name
                yield name, node
                yield from walk(node.body, name + ".<locals>.")
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, prefix + node.name + ".")

    yield from walk(tree.body, "")


def _strip_indent(lines: list[str], indent: int) -> list[str]:
    # Remove exactly the def's own indentation; lines that have less (the inside of a string
    # literal written at column 0) are kept as they are, so no string changes.
    out = []
    for text in lines:
        head = text[:indent]
        out.append(text[indent:] if head.strip() == "" and len(head) == indent else text)
    return out


def function_pairs(
    node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, lines: list[str], path: str, license: str | None
) -> list[Pair]:
    """The S and D pairs of one function, or none when it has no docstring, no body after it,
    or a layout whose parts do not fall on separate lines (``def f(): "doc"; return 1``)."""
    first = node.body[0]
    if not (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    ):
        return []
    rest = node.body[1:]
    if not rest or all(isinstance(s, ast.Pass) for s in rest):
        return []
    if all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is ... for s in rest):
        return []
    start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    doc_start, doc_end = first.lineno, first.end_lineno or first.lineno
    body_start, end = rest[0].lineno, node.end_lineno or rest[-1].lineno
    if doc_start <= node.lineno or body_start <= doc_end:
        return []
    if not lines[doc_start - 1].lstrip().startswith(_QUOTE_START):
        return []  # the docstring shares its first line with the signature
    text = _strip_indent(lines[start - 1 : end], node.col_offset)
    offset = start
    header = "".join(text[: doc_start - offset])
    docstring_lines = "".join(text[doc_start - offset : doc_end - offset + 1])
    body = "".join(text[doc_end - offset + 1 :])
    docstring = inspect.cleandoc(first.value.value)
    if not body.strip() or not docstring.strip():
        return []
    s_prompt = header + docstring_lines
    d_prompt = header + body
    return [
        Pair("S", pair_id("S", path, qualname, s_prompt, body), path, qualname, start, s_prompt, body, license),
        Pair(
            "D",
            pair_id("D", path, qualname, d_prompt, docstring),
            path,
            qualname,
            start,
            d_prompt,
            docstring,
            license,
        ),
    ]


def extract_pairs(source: str, path: str, license: str | None = None) -> list[Pair]:
    """Every S and D pair of a Python source, in file order (S before D for each function).
    Source that does not parse gives no pairs (the pipeline counts it as such)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    lines = source.splitlines(keepends=True)
    out: list[Pair] = []
    for qualname, node in _functions(tree):
        out.extend(function_pairs(node, qualname, lines, path, license))
    return out
