"""Definitions: what the index holds for each function, method and class, and how Python files
are read (``ast``; the other languages are in index/treesitter.py).

A class is stored as its header, docstring and the signatures of its methods (each method is
its own definition), so a hit on a class shows its shape, not a thousand lines.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# Longest definition text stored (and shown in a prompt); longer bodies are cut with a marker.
MAX_TEXT = 4000


@dataclass(frozen=True)
class Definition:
    """One function, method or class of a file. ``path`` is relative to the indexed root
    (POSIX slashes); lines are 1-based and inclusive."""

    path: str
    language: str
    kind: str  # "function" | "method" | "class"
    name: str
    qualname: str
    line: int
    end_line: int
    signature: str
    docstring: str
    text: str


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut at a line boundary to at most ``limit`` characters, marked when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit] + "\n    ...  # (cut)"


def python_definitions(path: str, source: str, *, docstrings: bool = True) -> list[Definition]:
    """The top-level functions and classes of a Python file and the methods of its classes
    (nested functions are part of their parent's body). ``docstrings=False`` leaves docstrings
    out of both ``docstring`` and ``text`` (the retrieval benchmark asks with them).
    SyntaxError propagates: the caller records the file as skipped."""
    tree = ast.parse(source)
    lines = source.splitlines()
    out: list[Definition] = []

    def header_end(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
        """The last line of the def/class header (before the first body statement)."""
        first = node.body[0].lineno
        return max(node.lineno, first - 1) if first > node.lineno else node.lineno

    def doc_span(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[int, int] | None:
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            return first.lineno, first.end_lineno or first.lineno
        return None

    def text_of(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, start: int, end: int) -> str:
        span = doc_span(node)
        chosen = [
            line
            for number, line in enumerate(lines[start - 1 : end], start)
            if docstrings or span is None or not (span[0] <= number <= span[1])
        ]
        return "\n".join(chosen)

    def visit(body: list[ast.stmt], prefix: str, in_class: bool) -> None:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            qualname = f"{prefix}{node.name}"
            signature = " ".join(l.strip() for l in lines[node.lineno - 1 : header_end(node)])
            doc = (ast.get_docstring(node) or "") if docstrings else ""
            if isinstance(node, ast.ClassDef):
                kind = "class"
                methods = [
                    "    " + " ".join(l.strip() for l in lines[m.lineno - 1 : header_end(m)])
                    for m in node.body
                    if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                ]
                head = text_of(node, start, header_end(node))
                span = doc_span(node)
                if docstrings and span is not None:
                    head = "\n".join(lines[start - 1 : span[1]])
                text = "\n".join([head, *methods])
            else:
                kind = "method" if in_class else "function"
                text = text_of(node, start, end)
            out.append(Definition(path, "python", kind, node.name, qualname, start, end, signature, doc, clip(text)))
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{qualname}.", True)

    visit(tree.body, "", False)
    return out
