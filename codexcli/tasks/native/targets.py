"""What codex calls in a JavaScript or Java file, read with the index's tree-sitter grammars.

JavaScript: the top-level functions the module exports (``module.exports = { f }``,
``exports.f =``, ``export function f``, ``export { f }``; ``module.exports = f`` and ``export
default`` as the default export). Java: the public methods of the file's public top-level class,
static ones, and instance ones when the class can be built with a public no-argument
constructor. Each is a ``CallTarget``: what `codex testgen` tests (it stands as a testgen
target, tasks/testgen/request.py) and `codex comment` documents by examples, with what codex
needs to write a call of it: the parameters, their Java types and the return type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexcli.index.treesitter import parser_for

DEFAULT = "default"  # import_name of a module's default export


@dataclass(frozen=True)
class CallTarget:
    """A function codex writes calls of: where it is (``first_line`` is its body's first line,
    ``source`` its text) and what the calls import (``import_name``), as in testgen's ``Target``;
    ``params`` (names), ``types`` (Java's declared types, else empty), ``returns`` (Java's
    return type), ``static`` (called on the class, else on ``new Owner()``), ``owner`` (the Java
    class; the package in ``package``), ``esm`` (a JavaScript module that is imported rather
    than required)."""

    qualname: str  # "name" or "Class.method"
    kind: str  # "function" | "method"
    import_name: str  # what a caller imports from the module (the function or the class)
    first_line: int
    last_line: int
    source: str
    params: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    returns: str = ""
    static: bool = True
    owner: str = ""
    package: str = ""
    esm: bool = False

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _lines(node: Any) -> tuple[int, int]:
    body = node.child_by_field_name("body")
    first = (body or node).start_point[0] + 1
    return first, node.end_point[0] + 1


def _source(data: bytes, node: Any) -> str:
    start = data.rfind(b"\n", 0, node.start_byte) + 1
    return data[start : node.end_byte].decode("utf-8", "replace") + "\n"


_ESM = re.compile(r"^\s*(export\s|import\s.*\sfrom\s|import\s+['\"])", re.M)


def js_exports(root: Any) -> dict[str, str]:
    """local function name -> the name it is exported under (DEFAULT for the default export)."""
    out: dict[str, str] = {}
    for node in root.named_children:
        if node.type == "export_statement":
            decl = node.child_by_field_name("declaration")
            default = any(c.type == "default" for c in node.children)
            if decl is not None:
                for name in _declared(decl):
                    out[name] = DEFAULT if default else name
            value = node.child_by_field_name("value")
            if default and value is not None and value.type == "identifier":
                out[_text(value)] = DEFAULT
            for clause in (c for c in node.named_children if c.type == "export_clause"):
                for spec in clause.named_children:
                    local, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    out[_text(local)] = _text(alias or local)
        elif node.type == "expression_statement" and node.named_children[0].type == "assignment_expression":
            _cjs_export(node.named_children[0], out)
    return out


def _cjs_export(assign: Any, out: dict[str, str]) -> None:
    left, right = _text(assign.child_by_field_name("left")), assign.child_by_field_name("right")
    if left == "module.exports":
        if right.type == "identifier":
            out[_text(right)] = DEFAULT
        elif right.type == "object":
            for pair in right.named_children:
                if pair.type == "shorthand_property_identifier":
                    out[_text(pair)] = _text(pair)
                elif pair.type == "pair" and pair.child_by_field_name("value").type == "identifier":
                    out[_text(pair.child_by_field_name("value"))] = _text(pair.child_by_field_name("key"))
    elif m := re.fullmatch(r"(?:module\.)?exports\.(\w+)", left):
        if right.type == "identifier":
            out[_text(right)] = m.group(1)
        elif right.type in ("function_expression", "function", "arrow_function"):
            out[m.group(1)] = m.group(1)


def _declared(decl: Any) -> list[str]:
    if decl.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        return [_text(decl.child_by_field_name("name"))]
    if decl.type in ("lexical_declaration", "variable_declaration"):
        return [_text(d.child_by_field_name("name")) for d in decl.named_children if d.type == "variable_declarator"]
    return []


def _js_functions(root: Any, stem: str) -> list[tuple[str, Any, Any]]:
    """(name, the node to show, the function node) of each top-level function definition; an
    anonymous ``module.exports = function (...)`` is named after the module (``stem``)."""
    found = []
    for node in root.named_children:
        inner = node.child_by_field_name("declaration") if node.type == "export_statement" else node
        if inner is None:
            continue
        if inner.type == "function_declaration":
            found.append((_text(inner.child_by_field_name("name")), node, inner))
        elif inner.type in ("lexical_declaration", "variable_declaration"):
            for d in inner.named_children:
                value = d.child_by_field_name("value") if d.type == "variable_declarator" else None
                if value is not None and value.type in ("arrow_function", "function_expression", "function"):
                    found.append((_text(d.child_by_field_name("name")), node, value))
        elif inner.type == "expression_statement" and inner.named_children[0].type == "assignment_expression":
            assign = inner.named_children[0]
            right = assign.child_by_field_name("right")
            left = _text(assign.child_by_field_name("left"))
            m = re.fullmatch(r"(?:module\.)?exports\.(\w+)", left)
            if m and right.type in ("function_expression", "function", "arrow_function"):
                found.append((m.group(1), node, right))
            elif left == "module.exports" and right.type in ("function_expression", "function", "arrow_function"):
                found.append((_text(right.child_by_field_name("name")) or stem, node, right))
    return found


def _params(fn: Any) -> tuple[str, ...]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return ()
    if params.type == "identifier":
        return (_text(params),)
    return tuple(
        _text(p.child_by_field_name("pattern") or p.child_by_field_name("left") or p)
        for p in params.named_children
        if p.type != "comment"
    )


def _ts_types(fn: Any) -> tuple[str, ...]:
    """A TypeScript function's declared parameter types ("" where none is written)."""
    params = fn.child_by_field_name("parameters")
    if params is None:
        return ()
    return tuple(
        _text(p.child_by_field_name("type")).lstrip(":").strip() for p in params.named_children if p.type != "comment"
    )


def javascript_targets(
    source: str, suffix: str = ".js", stem: str = "module", language: str = "javascript"
) -> list[CallTarget]:
    """The exported top-level functions of a JavaScript module, in file order (``stem``: the
    module's file name, which names an anonymous default export)."""
    data = source.encode("utf-8")
    root = parser_for(language, suffix).parse(data).root_node
    exports = js_exports(root)
    stem = re.sub(r"\W", "_", stem) if re.match(r"[A-Za-z_$]", stem) else "module"
    esm = suffix == ".mjs" or bool(_ESM.search(source))
    out = []
    for name, shown, fn in _js_functions(root, stem):
        if fn.parent is not None and fn.parent.type == "assignment_expression":
            if _text(fn.parent.child_by_field_name("left")) == "module.exports":
                exports[name] = DEFAULT
        if name not in exports or fn.child_by_field_name("body") is None:
            continue
        first, last = _lines(fn)
        types = _ts_types(fn) if language == "typescript" else ()
        out.append(
            CallTarget(
                name, "function", exports[name], first, last, _source(data, shown), params=_params(fn), types=types,
                esm=esm,
            )
        )  # fmt: skip
    return out


def _modifiers(node: Any) -> set[str]:
    mods = next((c for c in node.children if c.type == "modifiers"), None)
    return {_text(c) for c in mods.children} if mods is not None else set()


def java_targets(source: str) -> list[CallTarget]:
    """The public methods of the public top-level class (see the module docstring)."""
    data = source.encode("utf-8")
    root = parser_for("java").parse(data).root_node
    package = next((_text(c.named_children[0]) for c in root.named_children if c.type == "package_declaration"), "")
    out: list[CallTarget] = []
    for cls in (c for c in root.named_children if c.type == "class_declaration"):
        mods = _modifiers(cls)
        if "public" not in mods or cls.child_by_field_name("type_parameters") is not None:
            continue
        owner, body = _text(cls.child_by_field_name("name")), cls.child_by_field_name("body")
        ctors = [c for c in body.named_children if c.type == "constructor_declaration"]
        buildable = "abstract" not in mods and (
            not ctors
            or any("public" in _modifiers(c) and not c.child_by_field_name("parameters").named_children for c in ctors)
        )
        seen: set[str] = set()
        for m in (c for c in body.named_children if c.type == "method_declaration"):
            mm = _modifiers(m)
            name = _text(m.child_by_field_name("name"))
            if "public" not in mm or "abstract" in mm or name in seen or m.child_by_field_name("body") is None:
                continue
            if m.child_by_field_name("type_parameters") is not None or ("static" not in mm and not buildable):
                continue
            seen.add(name)
            params = [p for p in m.child_by_field_name("parameters").named_children if p.type == "formal_parameter"]
            if len(params) != len(m.child_by_field_name("parameters").named_children):
                continue  # varargs or receiver parameters: not written by codex
            first, last = _lines(m)
            out.append(
                CallTarget(
                    f"{owner}.{name}", "method", owner, first, last, _source(data, m),
                    params=tuple(_text(p.child_by_field_name("name")) for p in params),
                    types=tuple(_text(p.child_by_field_name("type")) for p in params),
                    returns=_text(m.child_by_field_name("type")), static="static" in mm, owner=owner, package=package,
                )
            )  # fmt: skip
        break  # only the file's top-level public class
    return out


def call_targets(language: str, source: str, module: Path) -> list[CallTarget]:
    """The targets of ``source`` (the file ``module`` of ``language``) codex can write calls of."""
    if language == "java":
        return java_targets(source)
    return javascript_targets(source, module.suffix.lower(), module.stem, language)
