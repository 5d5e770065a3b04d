"""Find stub functions and replace their bodies, touching nothing else.

Functions are addressed by their pre-order index among all function definitions in the module
(qualified names can repeat: property setters, conditional definitions), and shown to people by
qualified name (``Class.method``, ``outer.inner``).

Work on a file costs what its stubs and edited functions cost, not the file: the module is split
once into top-level segments (codexcli/pysegments.py, with ``ast``), and libcst parses, edits and
renders only the segments that hold a stub or an edited function (issue 25: a 5 MB file with one
stub took 303 s and 2.7 GB when every step parsed the whole module).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Sequence, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from codexcli import pysegments
from codexcli.splice.nodes import is_docstring_line

_SKIP_DECORATORS = {"abstractmethod", "overload", "abc.abstractmethod", "typing.overload"}


@dataclass(frozen=True)
class StubTarget:
    """A function whose body is a placeholder."""

    index: int  # pre-order position among all FunctionDefs in the module
    qualname: str
    name: str
    lineno: int
    params: tuple[str, ...]
    is_async: bool
    header: str  # decorators + signature + docstring, dedented: what the model continues
    has_docstring: bool


@dataclass(frozen=True)
class Spliced:
    """The new module text."""

    text: str


@dataclass(frozen=True)
class SpliceFailed:
    """Why the edit could not be applied (the original text is untouched)."""

    reason: str


def _decorator_name(dec: cst.Decorator) -> str:
    node = dec.decorator
    if isinstance(node, cst.Call):
        node = node.func
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


def _is_stub_small(node: cst.BaseSmallStatement) -> bool:
    if isinstance(node, cst.Pass):
        return True
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Ellipsis):
        return True
    if isinstance(node, cst.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        return isinstance(exc, cst.Name) and exc.value == "NotImplementedError"
    return False


def is_stub(fn: cst.FunctionDef) -> bool:
    """True when the body is only placeholders (pass, ..., raise NotImplementedError), optionally
    after a docstring."""
    if isinstance(fn.body, cst.SimpleStatementSuite):
        return bool(fn.body.body) and all(_is_stub_small(s) for s in fn.body.body)
    stmts = list(fn.body.body)
    if stmts and is_docstring_line(stmts[0]):
        stmts = stmts[1:]
    if not stmts:
        return False  # docstring only: could be deliberate (protocols, abstract APIs)
    return all(isinstance(s, cst.SimpleStatementLine) and all(_is_stub_small(x) for x in s.body) for s in stmts)


def _param_names(params: cst.Parameters) -> tuple[str, ...]:
    out = [p.name.value for p in params.posonly_params]
    if params.posonly_params:
        out.append("/")
    out += [p.name.value for p in params.params]
    if isinstance(params.star_arg, cst.Param):
        out.append("*" + params.star_arg.name.value)
    elif params.kwonly_params:
        out.append("*")
    out += [p.name.value for p in params.kwonly_params]
    if params.star_kwarg is not None:
        out.append("**" + params.star_kwarg.name.value)
    return tuple(out)


def _header(fn: cst.FunctionDef, module: cst.Module) -> tuple[str, bool]:
    """The stub's decorators, signature and docstring, at column 0, ending with a newline."""
    # Not a SimpleStatementSuite: an IndentedBlock (the only other BaseSuite).
    stmts = [] if isinstance(fn.body, cst.SimpleStatementSuite) else list(cast(cst.IndentedBlock, fn.body).body)
    has_doc = bool(stmts) and is_docstring_line(stmts[0])
    placeholder = cst.parse_statement("pass\n")
    body_stmts = [stmts[0], placeholder] if has_doc else [placeholder]
    bare = fn.with_changes(leading_lines=[], body=cst.IndentedBlock(body=body_stmts))
    code = cst.Module(body=[bare], default_indent=module.default_indent, default_newline="\n").code
    lines = code.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\n".join(lines[:-1]) + "\n", has_doc  # drop the placeholder line


class _StubFinder(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, first_index: int = 0, first_line: int = 1) -> None:
        self.module = module
        self.scope: list[tuple[str, cst.CSTNode]] = []
        self.index = first_index - 1
        self.line_offset = first_line - 1  # the module is one segment of a file, starting there
        self.stubs: list[StubTarget] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.append((node.name.value, node))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.index += 1
        qualname = ".".join([name for name, _ in self.scope] + [node.name.value])
        self.scope.append((node.name.value, node))
        if not is_stub(node) or self._deliberately_empty(node):
            return
        header, has_doc = _header(node, self.module)
        self.stubs.append(
            StubTarget(
                index=self.index,
                qualname=qualname,
                name=node.name.value,
                lineno=self.get_metadata(PositionProvider, node.name).start.line + self.line_offset,
                params=_param_names(node.params),
                is_async=node.asynchronous is not None,
                header=header,
                has_docstring=has_doc,
            )
        )

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope.pop()

    def _deliberately_empty(self, node: cst.FunctionDef) -> bool:
        """Abstract methods, overloads and Protocol members are meant to have no body."""
        if any(_decorator_name(d) in _SKIP_DECORATORS for d in node.decorators):
            return True
        if self.scope[:-1] and isinstance(self.scope[-2][1], cst.ClassDef):
            cls = self.scope[-2][1]
            assert isinstance(cls, cst.ClassDef)
            bases = {cst.Module(body=[]).code_for_node(b.value) for b in cls.bases}
            if bases & {"Protocol", "typing.Protocol", "ABC", "abc.ABC"}:
                return True
        return False


_PLACEHOLDER_TEXT = re.compile(r"(?:^|:)[ \t]*(?:pass\b|\.\.\.|raise[ \t]+NotImplementedError\b)", re.MULTILINE)


def may_have_stubs(source: str) -> bool:
    """A fast over-approximation with ``ast`` (about 20x cheaper than libcst in time and memory),
    a top-level segment at a time (pysegments.layout, cached for the steps after it): False when
    no function body is only placeholders, so files without stubs never build a concrete syntax
    tree. A text scan first: no placeholder statement anywhere means no stub, decided in
    milliseconds without parsing at all."""
    if not _PLACEHOLDER_TEXT.search(source):
        return False
    try:
        layout = pysegments.layout(source)
    except (SyntaxError, ValueError):
        return True  # let libcst report it
    return bool(layout.with_stubs())


def find_stubs(source: str) -> list[StubTarget]:
    """Every stub function in ``source`` (which must parse), in file order. libcst parses only
    the top-level segments that may hold one."""
    if not _PLACEHOLDER_TEXT.search(source):
        return []
    try:
        layout = pysegments.layout(source)
    except (SyntaxError, ValueError):  # libcst raises its own error for what ast refused
        return _stubs_in(source, 0, 1)
    stubs: list[StubTarget] = []
    for number in layout.with_stubs():
        segment = layout.segment(number)
        stubs += _stubs_in(layout.piece(number), segment.first_function, segment.line)
    return stubs


def _stubs_in(piece: str, first_index: int, first_line: int) -> list[StubTarget]:
    """The stubs of ``piece``, a module or a segment of one whose first def has pre-order index
    ``first_index`` and whose first line is ``first_line`` in the module."""
    module = cst.parse_module(piece)
    finder = _StubFinder(module, first_index, first_line)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(finder)
    return finder.stubs


def _new_block(old: cst.BaseSuite, body_code: str, keep_comments: bool = True) -> cst.IndentedBlock:
    """An IndentedBlock with ``body_code``'s statements, keeping the old docstring, the comments
    written inside the stub (unless ``keep_comments`` is False: they describe the code being
    replaced), and the block's own header/footer comments."""
    parsed = cst.parse_module(textwrap.dedent(body_code))
    new_stmts = list(parsed.body)
    if not new_stmts:
        raise ValueError("empty body")
    leading = list(parsed.header)
    if isinstance(old, cst.SimpleStatementSuite):
        header = old.trailing_whitespace
        kept: list[cst.BaseStatement] = []
        indent = None
        footer: Sequence[cst.EmptyLine] = ()
    else:
        assert isinstance(old, cst.IndentedBlock)  # for mypy: the only other BaseSuite
        header, indent, footer = old.header, old.indent, old.footer
        # Every BaseStatement is one of these two (the type checker needs it spelled out).
        stmts = cast(list[cst.SimpleStatementLine | cst.BaseCompoundStatement], list(old.body))
        kept = [stmts[0]] if stmts and is_docstring_line(stmts[0]) else []
        for stub in stmts[len(kept) :] if keep_comments else ():
            leading = [*stub.leading_lines, *leading]  # comments the author wrote in the stub
    first = new_stmts[0]
    new_stmts[0] = first.with_changes(leading_lines=[*leading, *first.leading_lines])
    return cst.IndentedBlock(body=[*kept, *new_stmts], header=header, indent=indent, footer=footer)


class _BodyReplacer(cst.CSTTransformer):
    def __init__(self, bodies: dict[int, str], keep_comments: bool = True, first_index: int = 0) -> None:
        self.bodies = bodies
        self.keep_comments = keep_comments
        self.index = first_index - 1
        self.stack: list[int] = []
        self.applied: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.index += 1
        self.stack.append(self.index)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        index = self.stack.pop()
        if index not in self.bodies:
            return updated_node
        self.applied.add(index)
        return updated_node.with_changes(body=_new_block(updated_node.body, self.bodies[index], self.keep_comments))


def replace_bodies(source: str, bodies: dict[int, str], *, keep_comments: bool = True) -> Spliced | SpliceFailed:
    """Replace the bodies of the functions at the given pre-order indexes. Never raises.
    ``keep_comments=False`` drops the comment lines of the replaced statements (right when a
    whole working body is rewritten; stubs' comments are kept by default).

    Only the top-level segments holding those functions are parsed, edited and compiled (with
    the module's __future__ flags); the result's segments are cached for the checks that follow
    (verify/static/names.py reads the edited function's segment only)."""
    try:
        layout = pysegments.layout(source)
    except (SyntaxError, ValueError) as exc:
        return SpliceFailed(f"cannot splice: {exc}")
    by_segment: dict[int, dict[int, str]] = {}
    missing = set()
    for index, body_code in bodies.items():
        number = layout.segment_of_function(index)
        if number is None:
            missing.add(index)
        else:
            by_segment.setdefault(number, {})[index] = body_code
    if missing:
        return SpliceFailed(f"no function at index {sorted(missing)}")
    pieces: dict[int, str] = {}
    for number, wanted in by_segment.items():
        try:
            module = cst.parse_module(layout.piece(number))
            replacer = _BodyReplacer(wanted, keep_comments, layout.segment(number).first_function)
            pieces[number] = module.visit(replacer).code
        except (cst.ParserSyntaxError, ValueError) as exc:
            return SpliceFailed(f"cannot splice: {exc}")
        if set(wanted) - replacer.applied:
            return SpliceFailed(f"no function at index {sorted(set(wanted) - replacer.applied)}")
    try:
        edited = layout.replaced(pieces)
    except SyntaxError as exc:
        return SpliceFailed(f"the edited file does not compile: {exc.msg} (line {exc.lineno})")
    except ValueError as exc:
        return SpliceFailed(f"the edited file does not compile: {exc}")
    return Spliced(edited.text)
