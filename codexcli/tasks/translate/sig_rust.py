"""`codex translate` to Rust: what codex writes itself, as for Java, C++ and TypeScript
(tasks/translate/sig.py, sig_typed.py): the function's signature (``pub fn gcd(a: i64, b: i64)
-> i64``), the module's constants (``DAYS = [31, 28]`` -> ``const DAYS: [i64; 2] = [31, 28];``,
each value exactly the Python literal's), and the line syntax that assembles a function line
by line (tasks/translate/line_syntax.py). Named by Rust's entry in codexcli/languages.py
(``writes="codexcli.tasks.translate.sig_rust:RUST_WRITER"``).

Python's semantics in Rust: ``//`` and ``%`` on ints floor (Rust's ``/`` and ``%`` truncate) through
two one-line helpers codex adds to the file where a body uses them (``codex_floordiv``,
``codex_mod``); an integer division or modulo by zero panics in Rust as it raises in Python, and
a float division goes through ``codex_nonzero`` (Rust's would give ``inf``). A panic is Rust's
exception: the harness reports it as raised (verify/compare/harness_src.py), and raising matches
raising. Every integer is an ``i64``; the harness builds with ``-O``, where an ``i64`` overflow
wraps silently (a debug build panics), so a function whose traced values leave 64 bits is not
laid out, and an overflow no case reaches is not seen. ``len`` of a str counts its chars (code
points, as Python's); ``find``, ``strip``, ``lower`` and ``upper`` have no rule (Rust's count bytes
or use other definitions of whitespace and case).
"""

from __future__ import annotations

import ast
import re
from typing import Any, Sequence

from codexcli.tasks.translate.kinds import value_kind
from codexcli.tasks.translate.line_syntax import CHECK_METHOD, LineSyntax, cells_arms
from codexcli.tasks.translate.sig import Writer, evaluated_constants, typed_signature
from codexcli.verify.compare.harness_lits import c_string

# Python's floor division and modulo, exact on all of i64 (``r + b`` cannot overflow: the signs
# differ), and a float divisor that panics when zero, as Python raises.
HELPERS = {
    "codex_floordiv": "fn codex_floordiv(a: i64, b: i64) -> i64 { let q = a / b; "
    "if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q } }",
    "codex_mod": "fn codex_mod(a: i64, b: i64) -> i64 { let r = a % b; "
    "if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r } }",
    "codex_nonzero": 'fn codex_nonzero(b: f64) -> f64 { if b == 0.0 { panic!("float division by zero") } b }',
}

# The check returns every value as its cells: numbers and bools as f64s, strs as Strings.
_CELLS = """trait CodexCells { fn codex_cells(&self) -> (Vec<f64>, Vec<String>); }
impl CodexCells for i64 { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { (vec![*self as f64], Vec::new()) } }
impl CodexCells for f64 { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { (vec![*self], Vec::new()) } }
impl CodexCells for bool { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { (vec![if *self { 1.0 } else { 0.0 }], Vec::new()) } }
impl CodexCells for String { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { (Vec::new(), vec![self.clone()]) } }
impl CodexCells for &str { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { (Vec::new(), vec![self.to_string()]) } }
impl<T: CodexCells> CodexCells for [T] { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) {
    let mut o = (Vec::new(), Vec::new());
    for x in self { let (a, b) = x.codex_cells(); o.0.extend(a); o.1.extend(b); }
    o } }
impl<T: CodexCells> CodexCells for Vec<T> { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { self.as_slice().codex_cells() } }
impl<T: CodexCells, const N: usize> CodexCells for [T; N] { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) { self[..].codex_cells() } }
impl<T: CodexCells> CodexCells for Option<T> { fn codex_cells(&self) -> (Vec<f64>, Vec<String>) {
    match self { Some(x) => x.codex_cells(), None => (Vec::new(), Vec::new()) } } }
fn codex_cells<T: CodexCells + ?Sized>(x: &T) -> (Vec<f64>, Vec<String>) { x.codex_cells() }"""


def rust_cells(value: Any) -> Any:
    """A value as Rust's check returns it (``_CELLS``): ``[numbers as floats, strs]`` (a tuple
    or list's elements in order; an int local the original held in a float one compares equal)."""
    if isinstance(value, dict) and "__tuple__" in value:
        value = value["__tuple__"]
    items = value if isinstance(value, list) else [] if value is None else [value]  # None: no cells
    numbers = [float(v) if isinstance(v, (int, float)) else v for v in items if not isinstance(v, str)]
    return [numbers, [v for v in items if isinstance(v, str)]]


def rust_check(columns: Sequence[tuple[str, str]], cases: Sequence[tuple[int, str, str, str]]) -> str:
    """The Rust check: a ``match`` on the candidate, each arm returning its value's cells, so one
    function holds candidates of every type; every parameter ``mut`` (a candidate assigns it)."""
    params = ", ".join(["codex_which: i64", *(f"mut {n}: {t}" for t, n in columns)])
    lines = [_CELLS, f"pub fn {CHECK_METHOD}({params}) -> (Vec<f64>, Vec<String>) {{", "    match codex_which {"]
    lines += cells_arms(cases, "{k} => {{ {body} }}", "codex_cells(&({x}))", "{}")
    lines += ["        _ => { return (Vec::new(), Vec::new()); }", "    }", "}"]
    return "\n".join(lines)


def rust_string(value: str) -> str:
    """A Rust ``String`` holding ``value`` (``\\u{X}`` escapes)."""
    return f"String::from({c_string(value, 'rust')})"


RUST_LINES = LineSyntax(
    types={"int": "i64", "float": "f64", "bool": "bool", "str": "String", "list": "Vec<{}>"},
    defaults={"int": "0", "float": "0.0", "bool": "false", "str": "String::new()", "list": "Vec::new()"},
    # ``let mut x: i64 = ...`` in front of an assignment: the ``let mut`` and the type dropped
    declared=r"^let\s+(?:mut\s+)?|(?<=\w)\s*:\s*[\w<>\[\]]+\s*(?==(?!=))",
    check=rust_check,
    throw='panic!("{{}}", {msg});',
    assert_throw='panic!("{{}}", {msg});',
    fallthrough_value='panic!("no value");',
    fallthrough_primitive='panic!("no value");',
    for_range="for {hidden} in (({start})..({stop})).step_by(({step}) as usize) {{",
    for_range_down="for {hidden} in (({stop}) + 1..=({start})).rev().step_by((0i64 - ({step})) as usize) {{",
    for_each="for {hidden} in {seq}.clone() {{",
    long_literal="{}i64",
    index="{seq}[({idx}) as usize]",
    length="({seq}.len() as i64)",
    str_length="({seq}.chars().count() as i64)",
    floordiv="codex_floordiv({a}, {g})",
    floormod="codex_mod({a}, {g})",
    float_mod="(({a} % {g} + {b}) % {b})",
    nonzero="codex_nonzero({b})",
    math="{type}::{fn}",
    math_names={"pow": "powf", "log": "ln"},
    str_equals="({a} == {b})",
    to_int="(({x}) as i64)",
    to_float="(({x}) as f64)",
    int_to_float="(({x}) as f64)",
    bool_to_int="(({x}) as i64)",
    conditional="if {test} {{ {body} }} else {{ {other} }}",
    str_concat='format!("{{}}{{}}", {a}, {b})',
    str_literal=rust_string,
    owned={"list": "{x}.to_vec()", "str": "{x}.to_string()"},
    min_max="{type}::{fn}({a}, {b})",
    tuple_return="vec![{items}]",
    list_literal="vec![{items}]",
    list_new="vec![{fill}; ({n}).max(0) as usize]",
    list_new_zero_only=False,
    append="{seq}.push({item});",
    cells_of=rust_cells,
    param="{name}: {type}",
    signature="pub fn {name}({params}) -> {returns}",
    declare="let mut {name}: {type} = {value};",
    rebind="let mut {name} = {name};",
    assert_line="if !{cond} {{ {throw} }}",
    fallthrough_always=True,
    check_imports=tuple(HELPERS.values()),
    str_methods={
        "startswith": ("{s}.starts_with(&*({0}))", "bool"),
        "endswith": ("{s}.ends_with(&*({0}))", "bool"),
        "replace": ("{s}.replace(&*({0}), &*({1}))", "str"),
    },
    contains="{s}.contains(&*({x}))",
    # None (line_lists.py, line_none.py): unwrap panics on None, as Python's None in arithmetic raises
    nullable={"int": "Option<i64>", "float": "Option<f64>", "bool": "Option<bool>", "str": "Option<String>"},
    is_none="{x}.is_none()",
    unwrap="{x}.clone().unwrap()",
    none="None",
    some="Some({x})",
    char="{s}.chars().nth(({i}) as usize).unwrap().to_string()",
    void="()",
    mut_param="&mut {type}",
)


def rust_signature(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, values: Sequence[Any], sources: Sequence[str] = ()
) -> str | None:
    """The Rust signature (``pub fn gcd(a: i64, b: i64) -> i64``)."""
    return typed_signature(fn, name, values, RUST_LINES, sources)


def _literal(value: Any, kind: str) -> str:
    if kind.endswith("[]"):
        return "[" + ", ".join(_literal(v, kind[:-2]) for v in value) + "]"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(value)
    if kind == "float":
        return repr(float(value))
    return c_string(value, "rust")


def _const_type(value: Any, kind: str) -> str:
    """A constant's type: a list is an array (``[i64; 2]``: a ``Vec`` cannot be ``const``), a str a ``&str``."""
    if kind.endswith("[]"):
        return f"[{_const_type(None, kind[:-2])}; {len(value)}]"
    return "&str" if kind == "str" else RUST_LINES.type_of(kind)


def rust_constants(code: str) -> str | None:
    """``const`` items for a module's constants, their values evaluated (literals, earlier
    constants, + - * /; a list of one scalar kind is an array); dunder names are left out; None
    when any other constant is not such an expression (the model then writes them)."""
    items = []
    for name, value in evaluated_constants(code) or [("", None)]:
        kind = value_kind(value)
        if kind is None or kind == "[]" or (isinstance(value, float) and not abs(value) < float("inf")):
            return None
        if isinstance(value, list) and any(isinstance(v, float) and not abs(v) < float("inf") for v in value):
            return None
        items.append(f"const {name}: {_const_type(value, kind)} = {_literal(value, kind)};")
    return "\n".join(items) if items else None


def rust_helpers(body: str, imports: Sequence[str]) -> list[str]:
    """The helpers (``HELPERS``) ``body`` calls and the piece does not hold yet, one line each,
    placed where imports go (assembly merges them: one copy per file)."""
    return [line for name, line in HELPERS.items() if re.search(rf"\b{name}\(", body) and line not in imports]


RUST_WRITER = Writer(rust_signature, rust_constants, rust_helpers, lines=RUST_LINES)
