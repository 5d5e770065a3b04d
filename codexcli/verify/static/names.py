"""Static check that a function only uses names that exist: parameters, its own locals, the
module's globals and imports, and builtins.

Small models love calling helpers they never wrote (``is_palindrome_case_insensitive(text)``);
such a body parses and compiles but fails on first call. symtable resolves scopes exactly as
the compiler does, without running anything.
"""

from __future__ import annotations

import builtins
import symtable

from codexcli import pysegments

_BUILTINS = set(dir(builtins)) | {
    "__file__",
    "__name__",
    "__doc__",
    "__spec__",
    "__loader__",
    "__package__",
    "__builtins__",
    "__path__",
    "__class__",
    "__annotations__",
    "__dict__",
}


def _free_globals(table: symtable.SymbolTable) -> set[str]:
    """Names a function (and its nested scopes) reads from the global scope."""
    used = set()
    if isinstance(table, symtable.Function):
        used |= set(table.get_globals())
    for child in table.get_children():
        if isinstance(child, symtable.Class):
            # Class bodies read globals through their own table.
            used |= {
                s.get_name()
                for s in child.get_symbols()
                if s.is_global() or (s.is_referenced() and not s.is_local() and not s.is_free())
            }
            for grandchild in child.get_children():
                used |= _free_globals(grandchild)
        else:
            used |= _free_globals(child)
    return used


def _find_function(table: symtable.SymbolTable, name: str, lineno: int) -> symtable.SymbolTable | None:
    for child in table.get_children():
        if child.get_type() == "function" and child.get_name() == name and child.get_lineno() == lineno:
            return child
        found = _find_function(child, name, lineno)
        if found is not None:
            return found
    return None


def undefined_names(source: str, name: str, lineno: int) -> list[str]:
    """Global names that function ``name`` (defined at ``lineno``) uses but nothing defines.

    Returns [] when the module star-imports (anything could be defined) or the function is not
    found (nothing to say). Only the function's top-level segment is analysed
    (pysegments.layout, cached after a splice), and the rest of the module only when that
    segment leaves a name undefined: a big file costs what its function costs.
    """
    if "import *" in source:
        return []
    try:
        layout = pysegments.layout(source)
    except (SyntaxError, ValueError):
        return []
    number = layout.segment_at_line(lineno)
    first_line = layout.segment(number).line
    piece = layout.piece(number)
    try:
        top = symtable.symtable(piece, "<module>", "exec")
    except (SyntaxError, ValueError):
        return []
    fn = _find_function(top, name, lineno - first_line + 1)
    if fn is None:
        return []
    defined = pysegments.top_names(top)
    missing = sorted(n for n in _free_globals(fn) if n not in defined and n not in _BUILTINS)
    if missing:
        elsewhere = layout.module_names() or frozenset()
        missing = [n for n in missing if n not in elsewhere]
    return missing


def undefined_in_module(source: str) -> list[str]:
    """Global names used anywhere in ``source`` that nothing in it (or builtins) defines."""
    if "import *" in source:
        return []
    try:
        top = symtable.symtable(source, "<module>", "exec")
    except SyntaxError:
        return []
    defined = pysegments.top_names(top)
    used = _free_globals(top) | {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    return sorted(n for n in used if n not in defined and n not in _BUILTINS)


def undefined_names_reason(source: str) -> str | None:
    """The rejection reason for code that uses undefined global names, or None when it uses none."""
    missing = undefined_in_module(source)
    if not missing:
        return None
    return f"the code uses names that are not defined or imported: {', '.join(missing)}"
