"""Big Python modules a top-level piece at a time: parsed, searched and edited without ever
holding the whole file's syntax tree.

CPython's parser keeps the tree of all it parses at once: ``ast.parse`` of a 5 MB module takes
about 690 MB and 4.4 s, ``compile`` 480 MB, ``symtable`` as much (and libcst several GB), so
`codex generate --fill` on such a file with one stub took 303 s and 2.7 GB (issue 25). A module
is a sequence of top-level statements, so it splits into *segments* at the lines that begin a
top-level ``def``, ``class`` or decorator, and each segment parses alone exactly as it does inside
the module. ``layout(text)`` splits and parses once per text (cached): where each segment is,
how many functions it holds (splice/body.py addresses functions by pre-order index), whether one
of them may be a stub, and the module's ``__future__`` flags. An edit inside one segment
re-parses and compiles that segment only (``Layout.replaced``), and the edited text's layout is
cached too, so checking a candidate body costs its segment, not the file.

The split is a guess the parser checks: a boundary line inside a multi-line string leaves the
segment before it unparsable, so it is merged with the segments after it (twice as many each
time) until it parses. When the segments never all parse, the whole text is parsed once to raise
the module's own first syntax error (or, should it parse after all, it becomes one segment).
"""

from __future__ import annotations
import __future__ as future_statements

import ast
import bisect
import re
import symtable
import threading
from collections import OrderedDict
from dataclasses import dataclass

from codexcli.answers import is_docstring, is_stub_statement

# The statement that starts a top-level definition (a decorator's ``@`` comes first).
_BOUNDARY = re.compile(r"^(?:@|(?:async[ \t]+)?def[ \t]|class[ \t])", re.MULTILINE)
_CACHED = 8  # layouts kept: a file, and the candidates spliced into it lately
_CACHE: OrderedDict[str, "Layout"] = OrderedDict()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Segment:
    """Whole top-level statements: ``text[start:end]``, beginning at line ``line``."""

    start: int
    end: int
    line: int  # 1-based line number of its first line in the module
    first_function: int  # pre-order index (among all defs in the module) of its first def
    functions: int  # defs in it, nested ones included
    may_have_stubs: bool  # a def whose body is only placeholders (pass, ..., raise NotImplementedError)


def _summary(tree: ast.Module) -> tuple[int, bool]:
    """How many defs ``tree`` holds, and whether one has only placeholders (after a docstring).
    Defs are statements, so only statement lists are walked (not every expression node)."""
    functions, stubs = 0, False
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                stack.extend(block)
        for clause in getattr(node, "handlers", None) or getattr(node, "cases", None) or ():
            stack.extend(clause.body)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions += 1
            body = node.body[1:] if node.body and is_docstring(node.body[0]) else node.body
            stubs = stubs or bool(body and all(is_stub_statement(s) for s in body))
    return functions, stubs


def _future_flags(tree: ast.Module) -> int:
    """The compiler flags of the module's ``from __future__ import ...`` statements."""
    flags = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(future_statements, alias.name, None)
                flags |= getattr(feature, "compiler_flag", 0)
    return flags


def _parse(piece: str, flags: int, filename: str = "<segment>") -> ast.Module:
    tree = compile(piece, filename, "exec", ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _boundaries(text: str) -> list[int]:
    """Offsets where a top-level definition may begin (a def under a decorator line is not one:
    its decorator is), with 0 and len(text) at the ends."""
    out = [0]
    for match in _BOUNDARY.finditer(text):
        at = match.start()
        if at == 0:
            continue
        previous = text.rfind("\n", 0, at - 1) + 1
        if text[at] != "@" and text.startswith("@", previous):
            continue
        out.append(at)
    out.append(len(text))
    return out


class _Unsplittable(Exception):
    """The segments did not all parse: parse the whole text instead."""


class Layout:
    """A module's segments (see the module docstring), kept as columns (a 5 MB module has some
    20 000) so that an edited copy is a few list copies. Immutable, but for a lazily filled
    cache of each segment's module-level names."""

    def __init__(
        self,
        text: str,
        starts: list[int],
        lines: list[int],
        firsts: list[int],
        functions: list[int],
        stubs: list[bool],
        future_flags: int,
    ) -> None:
        self.text = text
        self.future_flags = future_flags
        self._starts = starts  # segment n is text[starts[n]:starts[n + 1]] (the last: to the end)
        self._lines = lines
        self._firsts = firsts
        self._functions = functions
        self._stubs = stubs
        self._names: list[frozenset[str] | None] = [None] * len(starts)

    def __len__(self) -> int:
        return len(self._starts)

    def _end(self, number: int) -> int:
        return self._starts[number + 1] if number + 1 < len(self._starts) else len(self.text)

    def segment(self, number: int) -> Segment:
        """Segment ``number``."""
        return Segment(
            self._starts[number],
            self._end(number),
            self._lines[number],
            self._firsts[number],
            self._functions[number],
            self._stubs[number],
        )

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Every segment, in order."""
        return tuple(self.segment(n) for n in range(len(self)))

    def with_stubs(self) -> list[int]:
        """The segments that may hold a stub."""
        return [n for n, stub in enumerate(self._stubs) if stub]

    def piece(self, number: int) -> str:
        """The text of segment ``number``."""
        return self.text[self._starts[number] : self._end(number)]

    def segment_of_function(self, index: int) -> int | None:
        """The segment holding the def with pre-order ``index``, or None when there is none."""
        number = bisect.bisect_right(self._firsts, index) - 1
        if number < 0 or index < 0:
            return None
        return number if index < self._firsts[number] + self._functions[number] else None

    def segment_at_line(self, lineno: int) -> int:
        """The segment that holds line ``lineno``."""
        return max(0, bisect.bisect_right(self._lines, lineno) - 1)

    def module_names(self) -> frozenset[str] | None:
        """The names the module defines at its top level (assigned, imported, def or class, as
        symtable sees them), or None when it star-imports (anything may be defined)."""
        if "import *" in self.text:
            return None
        names: set[str] = set()
        for number in range(len(self)):
            known = self._names[number]
            if known is None:
                known = self._names[number] = defined_at_top(self.piece(number))
            names |= known
        return frozenset(names)

    def replaced(self, pieces: dict[int, str], filename: str = "<spliced>") -> "Layout":
        """The layout of this text with segment ``number``'s text replaced by ``pieces[number]``
        (whole top-level statements again). Each new piece is compiled with the module's future
        flags (raising SyntaxError or ValueError, line numbers as in the new module); nothing else
        is parsed. The new layout is cached, so checks on the new text find it."""
        parts: list[str] = []
        starts: list[int] = []
        lines: list[int] = []
        firsts: list[int] = []
        functions, stubs, names = list(self._functions), list(self._stubs), list(self._names)
        moved_chars = moved_lines = moved_functions = 0  # how far the segments after an edit move
        done = at = 0

        def keep(upto: int) -> None:  # segments done..upto-1, unchanged but moved
            starts.extend(x + moved_chars for x in self._starts[done:upto])
            lines.extend(x + moved_lines for x in self._lines[done:upto])
            firsts.extend(x + moved_functions for x in self._firsts[done:upto])

        for number in sorted(pieces):
            keep(number)
            new, begin, end = pieces[number], self._starts[number], self._end(number)
            line = self._lines[number] + moved_lines
            try:
                tree = _parse(new, self.future_flags, filename)
                compile(tree, filename, "exec", self.future_flags, dont_inherit=True)
            except SyntaxError as exc:
                if exc.lineno is not None:
                    exc.lineno += line - 1
                    if exc.end_lineno is not None:
                        exc.end_lineno += line - 1
                raise
            starts.append(begin + moved_chars)
            lines.append(line)
            firsts.append(self._firsts[number] + moved_functions)
            functions[number], stubs[number] = _summary(tree)
            names[number] = None
            parts += [self.text[at:begin], new]
            at, done = end, number + 1
            moved_chars += len(new) - (end - begin)
            moved_lines += new.count("\n") - self.text.count("\n", begin, end)
            moved_functions += functions[number] - self._functions[number]
        keep(len(self))
        parts.append(self.text[at:])
        layout = Layout("".join(parts), starts, lines, firsts, functions, stubs, self.future_flags)
        layout._names = names
        _remember(layout)
        return layout


def top_names(table: symtable.SymbolTable) -> frozenset[str]:
    """The names a module's symbol table defines at top level (assigned, imported, def or class)."""
    return frozenset(
        s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()
    )


def defined_at_top(source: str) -> frozenset[str]:
    """The names ``source`` defines at module level (none when it does not parse)."""
    try:
        return top_names(symtable.symtable(source, "<module>", "exec"))
    except (SyntaxError, ValueError):
        return frozenset()


def _split(text: str) -> Layout:
    bounds = _boundaries(text)
    last = len(bounds) - 1
    starts: list[int] = []
    lines: list[int] = []
    firsts: list[int] = []
    functions: list[int] = []
    stubs: list[bool] = []
    flags, line, index, i = 0, 1, 0, 0
    while i < last:
        step = 1
        while True:
            j = min(i + step, last)
            piece = text[bounds[i] : bounds[j]]
            try:
                tree = _parse(piece, flags)
                break
            except (SyntaxError, ValueError):
                if j == last:
                    raise _Unsplittable() from None
                step *= 2
        if not starts:
            flags = _future_flags(tree)
        count, stub = _summary(tree)
        starts.append(bounds[i])
        lines.append(line)
        firsts.append(index)
        functions.append(count)
        stubs.append(stub)
        line += piece.count("\n")
        index += count
        i = j
    return Layout(text, starts, lines, firsts, functions, stubs, flags)


def _remember(layout: Layout) -> None:
    with _LOCK:
        _CACHE[layout.text] = layout
        _CACHE.move_to_end(layout.text)
        while len(_CACHE) > _CACHED:
            _CACHE.popitem(last=False)


def layout(text: str) -> Layout:
    """The segments of ``text`` (cached); raises SyntaxError (or ValueError, for null bytes)
    exactly as ``ast.parse(text)`` would when it does not parse."""
    with _LOCK:
        found = _CACHE.get(text)
        if found is not None:
            _CACHE.move_to_end(text)
            return found
    try:
        made = _split(text)
    except _Unsplittable:
        tree = ast.parse(text)  # the module's own first error; or it parses after all:
        functions, stub = _summary(tree)
        made = Layout(text, [0], [1], [0], [functions], [stub], _future_flags(tree))
    _remember(made)
    return made


def piece_at(text: str, offset: int) -> tuple[int, int]:
    """The offsets (start, end) of the top-level piece of ``text`` that holds ``offset``: from
    the definition boundary at or before it to the next one (a guess, as the split is: the
    caller parses the piece and falls back to the whole text when it does not parse)."""
    cuts = _boundaries(text)
    at = bisect.bisect_right(cuts, offset) - 1
    return cuts[max(0, min(at, len(cuts) - 2))], cuts[max(1, min(at + 1, len(cuts) - 1))]
