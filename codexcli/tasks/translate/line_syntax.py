"""`codex translate`, line by line: how one target language writes the pieces codex lays out
itself (declarations, braces, loops, throws) and the check method that runs every candidate
statement on its states (tasks/translate/lines.py). One ``LineSyntax`` per target; a target's
``Writer`` (tasks/translate/sig.py), named by its entry in codexcli/languages.py, holds it.

Types are named by kind: ``int``, ``float``, ``bool``, ``str`` and lists of them (``int[]``).
Python's ints are unbounded; every integer local is a 64-bit integer (Java ``long``, C++
``long long``), the widest the targets hold without a library, and a local holding a value
beyond it is not laid out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from codexcli.tasks.translate.dict_syntax import CPP_DICTS, JAVA_DICTS, DictSyntax
from codexcli.tasks.translate.kinds import dict_parts
from codexcli.tasks.translate.line_cells import CPP_NESTED_CELLS
from codexcli.tasks.translate.tuples import kind_of_type, record_name, tuple_parts

KINDS = ("int", "float", "bool", "str")
CHECK_METHOD = "codexLineCheck"


@dataclass(frozen=True)
class LineSyntax:
    """One target's spelling of what codex writes around the model's statements.

    ``types``/``defaults``: each kind's type and initial value. Templates take ``{cond}``,
    ``{type}``, ``{name}``, ``{msg}``. ``check`` builds the method that runs candidate ``k`` on
    a state (``columns``: type and name of every parameter and local; ``cases``: k, what it
    returns (a kind), its text and the name returned). ``declared`` matches a declaration a
    model put in front of an assignment (dropped: codex declares every local)."""

    types: dict[str, str]
    defaults: dict[str, str]
    declared: str
    check: Callable[[Sequence[tuple[str, str]], Sequence[tuple[int, str, str, str]]], str]
    throw: str
    assert_throw: str
    fallthrough_value: str
    fallthrough_primitive: str
    for_range: str
    for_each: str
    long_literal: str = "{}L"
    index: str = "{seq}[(int) ({idx})]"
    length: str = "{seq}.length"
    str_length: str = "{seq}.length()"
    floordiv: str = "Math.floorDiv({a}, {b})"
    floormod: str = "Math.floorMod({a}, {b})"
    float_mod: str = "(({a} % {g} + {b}) % {b})"
    # A divisor that raises when it is zero, as Python's does ({b}), and whether integer
    # divisions need it too (C++: a crash, not an exception).
    nonzero: str = "({b} != 0 ? {b} : Math.floorDiv(0, 0))"
    guard_ints: bool = False
    math: str = "Math.{fn}"
    str_equals: str = "{a}.equals({b})"
    to_int: str = "(long) ({x})"
    to_float: str = "(double) ({x})"
    min_max: str = "Math.{fn}({a}, {b})"
    tuple_return: str = "new {type}{{{items}}}"
    repairs: tuple[str, ...] = field(default=())  # line_text repairs to try: "math", "int_cast", "mod", "index"
    list_literal: str = "new {type}{{{items}}}"
    list_new: str = "new {elem}[(int) ({n})]"  # [fill] * n
    list_new_zero_only: bool = True  # list_new cannot fill with other values
    append: str = ""  # xs.append(v) ("" where a list cannot grow: Java's arrays)
    cells: bool = False  # the check returns values as a list of floats (lines.cells)
    one_number: bool = False  # ints and floats are one type (TypeScript's number): every int is a float
    param: str = "{type} {name}"
    signature: str = "{returns} {name}({params})"  # a function's, as codex writes it (sig.py)
    param_types: dict[str, str] = field(default_factory=dict)  # a parameter's type where not type_of's
    declare: str = "{type} {name} = {value};"
    error_line: str = r"{file}:(\d+):"  # where a compiler error names the line of the file
    check_imports: tuple[str, ...] = ()  # what the check method needs besides the method's own
    # str methods codex writes (``{s}`` the string, ``{0}``, ``{1}`` the str arguments): Python
    # method -> (template, the result's kind); ``contains``: ``{x} in {s}``; ``char``: ``{s}[{i}]``.
    str_methods: dict[str, tuple[str, str]] = field(default_factory=dict)
    contains: str = ""
    char: str = ""
    # Targets without implicit conversions (Rust): how an int becomes a float where it meets one
    # ("" where the target converts by itself), a bool an int, ``a if c else b``, ``s + t`` on
    # strings ("" for ``a + b``), a str literal (None: JSON's), a copy of a list or str passed
    # on or assigned whole (``owned``: kind "list"/"str" -> template), the math functions'
    # names where they differ, the ``assert`` line, a rebinding of each parameter at the start
    # of the method, a ``range`` with a negative step, whether the method always gets a closing
    # statement (a compiler that cannot tell ``while True`` never ends) and how the check's
    # expected values are flattened (``cells_of``: None for ``cells``' or as they are).
    int_to_float: str = ""
    bool_to_int: str = "({x} ? 1 : 0)"
    conditional: str = "{test} ? {body} : {other}"
    str_concat: str = ""
    str_literal: Callable[[str], str] | None = None
    owned: dict[str, str] = field(default_factory=dict)
    math_names: dict[str, str] = field(default_factory=dict)
    assert_line: str = "if (!{cond}) {throw}"
    rebind: str = ""
    for_range_down: str = ""
    fallthrough_always: bool = False
    cells_of: Callable[[Any], Any] | None = None
    # Lists that change and None (tasks/translate/line_lists.py): a nullable kind's type (``int?``
    # -> Java ``Long``), ``x is None``, a nullable's value, ``xs.insert(0, v)`` and ``xs.pop()``.
    nullable: dict[str, str] = field(default_factory=dict)
    is_none: str = ""
    unwrap: str = "{x}"
    none: str = ""  # ``None`` returned or assigned to a nullable (line_none.py); "" where it has no rule
    some: str = "{x}"  # a value stored in a nullable (Rust ``Some({x})``)
    list_insert0: str = ""
    list_pop: str = ""
    strs: str = ""  # the target's str rules and helpers (line_str.py, str_helpers.py): "java", "cpp", "ts"
    # Functions that return nothing and change a list argument (tasks/translate/mutation.py): the
    # return type ("" where codex writes none), a changed list parameter's type (``{type}``: the
    # list's) and whether such a parameter may change its length (Java's arrays cannot).
    void: str = ""
    index_wrapped: str = ""  # ``index`` with a negative index counted from the end ("" for none)
    mut_param: str = "{type}"
    mut_grows: bool = True
    dicts: DictSyntax | None = None  # dicts (tasks/translate/dict_syntax.py); None: no dict rules
    # Tuples of mixed kinds (tasks/translate/tuples.py): the type (``{name}``: Java's record,
    # ``{types}``: the items'), a new one (``{type}``, ``{items}``), item ``{i}`` of ``{t}``.
    tuple_type: str = ""
    tuple_new: str = ""
    tuple_item: str = ""

    def type_of(self, kind: str) -> str:
        """The target type of a kind (``int[]`` -> ``long[]`` in Java, ``int[][]`` ->
        ``long[][]``, ``int?`` -> ``Long``, ``dict[str,int]`` -> ``java.util.Map<String, Long>``)."""
        if kind == "void" and self.void:
            return self.void
        if kind.endswith("?"):
            return self.nullable[kind[:-1]]
        if kind.endswith("[]"):
            return self.types["list"].format(self.type_of(kind[:-2]))
        if (parts := dict_parts(kind)) is not None:
            if self.dicts is None:
                raise KeyError(kind)
            key, value = (self.nullable[p] if self.dicts.boxed else self.type_of(p) for p in parts)
            return self.dicts.type.format(key=key, value=value)
        if (items := tuple_parts(kind)) is not None and self.tuple_type:
            types = ", ".join(self.type_of(p) for p in items)
            return self.tuple_type.format(name=record_name(items), types=types)
        return self.types[kind]

    def kind_of(self, type_: str) -> str | None:
        """The kind a target type spells, or None (a TypeScript ``number`` is a float)."""
        if self.void and type_ == self.void:
            return "void"
        if self.tuple_type and (mixed := kind_of_type(type_, self.kind_of)) is not None:
            return mixed  # a tuple of mixed kinds (tuples.py)
        nested = (k + "[][]" for k in KINDS)
        dicts = (f"dict[{k},{v}]" for k in ("int", "str") for v in KINDS) if self.dicts else ()
        for kind in (*KINDS, *(k + "[]" for k in KINDS), *nested, *dicts):
            if self.type_of(self.widen(kind)) == type_:
                return self.widen(kind)
        if nullable := next((k + "?" for k, t in self.nullable.items() if t == type_), None):
            return nullable
        if type_ in ("int", "short"):
            return "int"
        if type_ == "int[]":
            return "int[]"
        return None

    def widen(self, kind: str) -> str:
        """The kind a value of ``kind`` has in this target (an int is a float where they are one type)."""
        return "float" + kind[3:] if self.one_number and kind.startswith("int") else kind

    def integral(self, kind: str) -> bool:
        """Whether a value of ``kind`` may index a list or bound a range here."""
        return kind == "int" or (self.one_number and kind == "float")

    def default(self, kind: str) -> str:
        """A local's initial value (a nullable's: none)."""
        if kind.endswith("?"):
            return self.none
        if self.dicts and dict_parts(kind):
            return self.dicts.new.format(dict_type=self.type_of(kind))
        if tuple_parts(kind) is not None:
            return self.defaults["tuple"]
        return self.defaults["list"].format(self.type_of(kind)) if kind.endswith("[]") else self.defaults[kind]


def _case_body(kind: str, text: str, target: str) -> str:
    if kind in ("assign", "store"):
        return f"{text} return {target};"
    if kind == "return":
        return text
    return f"return {text};"


def _switch_check(head: str, cases: Sequence[tuple[int, str, str, str]], default: str = "null") -> str:
    """``head``, then a ``switch`` running candidate k in ``case k``, each line marked
    ``// codex-line k`` (a compile error names its candidate)."""
    lines = [head, "    switch (codexWhich) {"]
    for k, kind, text, target in cases:
        lines.append(f"        case {k}: {{ {_case_body(kind, text, target)} }} // codex-line {k}")
    lines += [f"        default: return {default};", "    }", "}"]
    return "\n".join(lines)


def java_check(columns: Sequence[tuple[str, str]], cases: Sequence[tuple[int, str, str, str]]) -> str:
    """A static method taking which candidate to run and every parameter and local: ``case k``
    runs candidate k and returns what it computed, as an Object the harness prints."""
    params = ", ".join(["int codexWhich", *(f"{t} {n}" for t, n in columns)])
    return _switch_check(f"public static Object {CHECK_METHOD}({params}) {{", cases)


# C++ has no Object: the check returns every value as its cells (a number, or a vector's numbers,
# as doubles; a str's bytes), and the expected values are flattened the same way (lines.py ``cells``).
_CPP_CELLS = """inline std::vector<double> codex_cells(double x) { return {x}; }
template <class T> std::vector<double> codex_cells(const std::vector<T>& v) {
  std::vector<double> o; for (const auto& x : v) o.push_back((double) x); return o; }
inline std::vector<double> codex_cells(const std::string& s) {
  std::vector<double> o; for (unsigned char c : s) o.push_back((double) c); return o; }
inline std::vector<double> codex_cells(const std::vector<std::string>& v) {
  std::vector<double> o; for (const auto& s : v) { for (unsigned char c : s) o.push_back((double) c); o.push_back(-1); }
  return o; }
template <class T> std::vector<double> codex_cells(const std::optional<T>& v) {
  return v ? codex_cells(*v) : std::vector<double>{}; }"""
# a str as its UTF-8 bytes, a list of them each ended by -1 (lines.cells); an empty optional as
# no cells. The str overloads come first: the optional template finds them by ordinary lookup.


def cells_arms(cases: Sequence[tuple[int, str, str, str]], arm: str, cells: str, test: str) -> list[str]:
    """The arms of a check returning every value as its cells (C++, Rust): each candidate's
    ``arm`` (``{k}``, ``{body}``) returning ``cells`` of what it computed (``{x}``; a test's
    value as ``test`` spells it), marked ``// codex-line k``."""
    lines = []
    for k, kind, text, target in cases:
        if kind in ("assign", "store"):
            body = f"{text} return {cells.format(x=target)};"
        elif kind == "return":
            body = "return " + cells.format(x=re.sub(r"^return\s*|;$", "", text.strip())) + ";"
        else:
            body = "return " + cells.format(x=test.format(text)) + ";"
        lines.append("        " + arm.format(k=k, body=body) + f" // codex-line {k}")
    return lines


def cpp_check(columns: Sequence[tuple[str, str]], cases: Sequence[tuple[int, str, str, str]]) -> str:
    """The C++ check: ``switch`` on the candidate, each returning its value's cells (every
    assignment, return and test as doubles), so one function holds candidates of every type."""
    params = ", ".join(["long long codexWhich", *(f"{t} {n}" for t, n in columns)])
    lines = [_CPP_CELLS, CPP_NESTED_CELLS, f"std::vector<double> {CHECK_METHOD}({params}) {{"]
    lines.append("    switch ((int) codexWhich) {")
    lines += cells_arms(cases, "case {k}: {{ {body} }}", "codex_cells({x})", "(bool) {}")
    lines += ["        default: return {};", "    }", "}"]
    return "\n".join(lines)


# Python's str predicates, through the helpers codex emits (str_helpers.py): Java's CodexIs,
# C++'s codex_is (ASCII; it throws on a character it cannot classify).
_PREDICATES = ("isupper", "islower", "isdigit", "isalpha", "isspace", "isalnum")
_CPP_CLASS = {"isupper": "u", "islower": "l", "isdigit": "d", "isalpha": "a", "isspace": "s", "isalnum": "n"}

# The str methods Java and TypeScript spell alike.
_JAVA_TS_STR = {
    "startswith": ("{s}.startsWith({0})", "bool"),
    "endswith": ("{s}.endsWith({0})", "bool"),
    "lower": ("{s}.toLowerCase()", "str"),
    "upper": ("{s}.toUpperCase()", "str"),
}

JAVA_LINES = LineSyntax(
    types={"int": "long", "float": "double", "bool": "boolean", "str": "String", "list": "{}[]"},
    defaults={"int": "0", "float": "0.0", "bool": "false", "str": '""', "list": "null", "tuple": "null"},
    declared=r"^(?:final\s+)?(?:int|long|double|float|boolean|String|var|char|short)\s+(?=\w+\s*[-+*/%]?=)",
    check=java_check,
    throw="throw new IllegalArgumentException({msg});",
    assert_throw="throw new IllegalStateException({msg});",
    fallthrough_value="return null;",
    fallthrough_primitive='throw new IllegalStateException("no value");',
    for_range="for (long {hidden} = {start}; {hidden} {op} {stop}; {hidden} += {step}) {{",
    for_each="for ({type} {hidden} : {seq}) {{",
    repairs=("math", "int_cast", "mod", "index"),
    append="{seq} = java.util.Arrays.copyOf({seq}, {seq}.length + 1); {seq}[{seq}.length - 1] = {item};",
    list_insert0=(
        "{{ {type} codexGrown = java.util.Arrays.copyOf({seq}, {seq}.length + 1); codexGrown[0] = {item};"
        " System.arraycopy({seq}, 0, codexGrown, 1, {seq}.length); {seq} = codexGrown; }}"
    ),
    list_pop="{seq} = java.util.Arrays.copyOf({seq}, {seq}.length - 1);",
    nullable={"int": "Long", "float": "Double", "bool": "Boolean", "str": "String"},
    is_none="{x} == null",
    none="null",
    signature="public static {returns} {name}({params})",
    # int parameters (what a Java caller passes and indexes with); locals and returns are long
    param_types={"int": "int", "int[]": "int[]"},
    str_methods={
        **_JAVA_TS_STR,
        "replace": ("{s}.replace({0}, {1})", "str"),
        "find": ("(long) {s}.indexOf({0})", "int"),
        # str methods of issue 28's second round: Python's whitespace, the root locale
        "rfind": ("(long) {s}.lastIndexOf({0})", "int"),
        "strip": ("CodexStrip.of({s}, null, true, true)", "str"),
        "lstrip": ("CodexStrip.of({s}, null, true, false)", "str"),
        "rstrip": ("CodexStrip.of({s}, null, false, true)", "str"),
        "lower": ("{s}.toLowerCase(java.util.Locale.ROOT)", "str"),
        "upper": ("{s}.toUpperCase(java.util.Locale.ROOT)", "str"),
        **{p: (f"CodexIs.{p}({{s}})", "bool") for p in _PREDICATES},
    },
    contains="{s}.contains({x})",
    char="CodexAt.of({s}, {i})",
    strs="java",
    void="void",
    index_wrapped="{seq}[(int) (({idx}) < 0 ? ({idx}) + {seq}.length : ({idx}))]",
    mut_grows=False,
    dicts=JAVA_DICTS,
    tuple_type="{name}",
    tuple_new="new {type}({items})",
    tuple_item="{t}.f{i}()",
)

CPP_LINES = LineSyntax(
    types={"int": "long long", "float": "double", "bool": "bool", "str": "std::string", "list": "std::vector<{}>"},
    defaults={"int": "0", "float": "0.0", "bool": "false", "str": '""', "list": "{{}}", "tuple": "{}"},
    declared=r"^(?:const\s+)?(?:int|long long|long|double|float|bool|auto|std::string|int64_t)\s+(?=\w+\s*[-+*/%]?=)",
    check=cpp_check,
    throw="throw std::invalid_argument({msg});",
    assert_throw="throw std::logic_error({msg});",
    fallthrough_value="return {};",
    fallthrough_primitive='throw std::logic_error("no value");',
    for_range="for (long long {hidden} = {start}; {hidden} {op} {stop}; {hidden} += {step}) {{",
    for_each="for ({type} {hidden} : {seq}) {{",
    long_literal="{}LL",
    index="{seq}.at({idx})",  # out of range raises, as Python's does ([] would read past the end)
    length="(long long) {seq}.size()",
    str_length="codex_len({seq})",  # in code points, as Python counts (str_helpers.py)
    floordiv="(({a}) / {g} - ((({a}) % ({b}) != 0) && ((({a}) < 0) != (({b}) < 0))))",
    floormod="((({a}) % {g} + ({b})) % ({b}))",
    float_mod="std::fmod(std::fmod({a}, {g}) + {b}, {b})",
    nonzero='({b} != 0 ? {b} : throw std::domain_error("division by zero"))',
    guard_ints=True,
    math="std::{fn}",
    str_equals="({a} == {b})",
    to_int="(long long) ({x})",
    to_float="(double) ({x})",
    min_max="std::{fn}<{type}>({a}, {b})",
    tuple_return="{type}{{{items}}}",
    repairs=("mod",),
    list_literal="{type}{{{items}}}",
    list_new="std::vector<{elem}>({n}, {fill})",
    list_new_zero_only=False,
    append="{seq}.push_back({item});",
    list_insert0="{seq}.insert({seq}.begin(), {item});",
    list_pop="(void) {seq}.at({seq}.size() - 1); {seq}.pop_back();",  # at(): an empty list raises
    nullable={
        k: f"std::optional<{t}>"
        for k, t in (("int", "long long"), ("float", "double"), ("bool", "bool"), ("str", "std::string"))
    },
    is_none="!{x}.has_value()",
    unwrap="{x}.value()",  # an empty one raises, as Python's None in arithmetic does
    none="std::nullopt",
    cells=True,
    check_imports=(
        "#include <vector>",
        "#include <cmath>",
        "#include <stdexcept>",
        "#include <string>",
        "#include <algorithm>",
        "#include <optional>",
        "#include <map>",
        "#include <tuple>",
    ),
    str_methods={
        "startswith": ("({s}.rfind({0}, 0) == 0)", "bool"),
        # the helpers count in code points and give -1 for "not found" (str_helpers.py)
        "find": ("codex_find({s}, {0})", "int"),
        "rfind": ("codex_rfind({s}, {0})", "int"),
        "endswith": ("codex_endswith({s}, {0})", "bool"),
        "replace": ("codex_replace({s}, {0}, {1})", "str"),
        "upper": ("codex_case({s}, true)", "str"),
        "lower": ("codex_case({s}, false)", "str"),
        "strip": ('codex_strip({s}, "", false, true, true)', "str"),
        "lstrip": ('codex_strip({s}, "", false, true, false)', "str"),
        "rstrip": ('codex_strip({s}, "", false, false, true)', "str"),
        **{p: (f"codex_is({{s}}, '{c}')", "bool") for p, c in _CPP_CLASS.items()},
    },
    contains="({s}.find({x}) != std::string::npos)",
    char="codex_at({s}, {i})",
    strs="cpp",
    void="void",
    index_wrapped="{seq}.at(({idx}) < 0 ? ({idx}) + (long long) {seq}.size() : ({idx}))",
    mut_param="{type}&",
    dicts=CPP_DICTS,
    tuple_type="std::tuple<{types}>",
    tuple_new="{type}{{{items}}}",
    tuple_item="std::get<{i}>({t})",
)


def ts_check(columns: Sequence[tuple[str, str]], cases: Sequence[tuple[int, str, str, str]]) -> str:
    """The TypeScript check: an exported function (the harness calls it by name)."""
    params = ", ".join(["codexWhich: number", *(f"{n}: {t}" for t, n in columns)])
    return _switch_check(f"export function {CHECK_METHOD}({params}): any {{", cases)


TS_LINES = LineSyntax(
    types={"int": "number", "float": "number", "bool": "boolean", "str": "string", "list": "{}[]"},
    defaults={"int": "0", "float": "0", "bool": "false", "str": '""', "list": "[]"},
    declared=r"^(?:let|const|var)\s+(?=\w+\s*(?::\s*[\w\[\]]+\s*)?[-+*/%]?=)",
    check=ts_check,
    throw="throw new Error({msg});",
    assert_throw="throw new Error({msg});",
    fallthrough_value='throw new Error("no value");',
    fallthrough_primitive='throw new Error("no value");',
    for_range="for (let {hidden} = {start}; {hidden} {op} {stop}; {hidden} += {step}) {{",
    for_each="for (const {hidden} of {seq}) {{",
    long_literal="{}",
    index="{seq}[{idx}]",
    str_length="{seq}.length",
    floordiv="Math.floor({a} / {g})",
    floormod="(({a} % {g}) + {b}) % {b}",
    float_mod="((({a} % {g}) + {b}) % {b})",
    str_equals="{a} === {b}",
    to_int="Math.trunc({x})",
    to_float="{x}",
    tuple_return="[{items}]",
    list_literal="[{items}]",
    list_new="new Array({n}).fill({fill})",
    list_new_zero_only=False,
    append="{seq}.push({item});",
    nonzero='({b} !== 0 ? {b} : (() => {{ throw new Error("division by zero"); }})())',
    one_number=True,
    param="{name}: {type}",
    signature="function {name}({params}): {returns}",
    declare="let {name}: {type} = {value};",
    error_line=r"{file}\((\d+),",
    str_methods={
        **_JAVA_TS_STR,
        "replace": ("{s}.split({0}).join({1})", "str"),
        "find": ("{s}.indexOf({0})", "int"),
        "rfind": ("{s}.lastIndexOf({0})", "int"),
        "strip": ("{s}.trim()", "str"),
    },
    contains="{s}.includes({x})",
    char="{s}.charAt({i})",
    strs="ts",
)
