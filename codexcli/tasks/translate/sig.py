"""`codex translate` to Java: the method's signature, written by codex, and its java.util imports.

SmolLM2-135M left to itself declares ``int`` parameters and a ``void`` return for colorsys's
float functions and writes ``return (y, i, q);``; told to put its imports first, it repeats
``import java.util...`` lines until the token limit. So codex starts the answer itself: the
signature comes from the parameter types the body implies (verify/cases/infer_types.py) and the
types of the values the original returned on its input cases (run in the sandbox, the same
cases the behaviour check uses), and the model writes only the body. Imports of java.util
classes the body uses are added here, deterministically. Nothing here is trusted: the answer
still has to compile and match the original.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from codexcli.tasks.translate.kinds import dict_parts, observed_kind
from codexcli.tasks.translate.line_syntax import JAVA_LINES, LineSyntax
from codexcli.tasks.translate.mutation import VOID, module_of, mutated_params, returns_nothing
from codexcli.tasks.translate.str_helpers import needed
from codexcli.tasks.translate.tuples import tuple_parts

_JAVA_UTIL = (
    "List ArrayList LinkedList Map HashMap TreeMap LinkedHashMap Set HashSet TreeSet LinkedHashSet "
    "Arrays Collections Deque ArrayDeque Iterator Objects Optional Stack Queue PriorityQueue"
).split()
_HINT_KINDS = {"int": "int", "float": "float", "str": "str", "bool": "bool"}


# A signature writer: (the Python function, the target's name for it, the values it returned,
# the module's source and its tests: what callers and callees say of the parameters' types).
Signer = Callable[[ast.FunctionDef | ast.AsyncFunctionDef, str, Sequence[Any], Sequence[str]], "str | None"]


def return_kind(values: Sequence[Any]) -> str | None:
    """The kind of the values a function returned (a tuple of floats -> ``float[]``, ints
    beyond 64 bits -> None, ints and ``None`` -> ``int?``), or None (none, or of no one kind)."""
    return observed_kind(values) if values else None


def hint_kind(hint: str, syntax: LineSyntax) -> str | None:
    """The kind of a parameter hint (verify/cases/infer_types.py): ``int``, ``list[int]`` ->
    ``int[]``, ``list[list[int]]`` -> ``int[][]``, ``dict[str,int]`` (where the target has
    dicts: line_syntax.LineSyntax.dicts); None for any other."""
    if hint in _HINT_KINDS:
        return hint
    if hint.startswith("list[") and hint.endswith("]"):
        inner = hint_kind(hint[5:-1], syntax)
        return inner + "[]" if inner and not inner.endswith("[][]") and not inner.startswith("dict") else None
    parts = dict_parts(hint)
    if parts is None or syntax.dicts is None or parts[0] not in ("int", "str") or parts[1] not in _HINT_KINDS:
        return None
    return f"dict[{parts[0]},{parts[1]}]"


def typed_signature(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    name: str,
    values: Sequence[Any],
    syntax: LineSyntax,
    sources: Sequence[str] = (),
) -> str | None:
    """``syntax``'s signature for a Python function (Java ``public static RET name(T a, ...)``,
    C++ ``RET name(T a, ...)``, TypeScript ``function name(a: T, ...): RET``): the parameter
    kinds the body implies, with ``sources`` (the module and its tests: callees and callers,
    verify/cases/module_facts.py) in view, and the kind of the returned ``values``; a numeric
    parameter of a function returning floats is a float (Python mixes them, integer division
    would not). A function that returned only ``None`` returns ``void`` where the target has it;
    a list parameter the body changes is passed so the caller sees the change (mutation.py).
    None when a kind is unknown (the model then writes it all)."""
    from codexcli.verify.cases.infer_types import infer_params

    returns = VOID if syntax.void and returns_nothing(fn, values) else return_kind(values)
    changed = mutated_params(fn, module_of(sources))
    params = infer_params(fn, sources)
    if returns is None or params is None or fn.args.vararg or fn.args.kwarg:
        return None
    if returns.endswith("?") and returns[:-1] not in syntax.nullable:
        return None  # a target without a nullable type of that kind
    if dict_parts(returns) and syntax.dicts is None:
        return None  # a target without dict rules
    if tuple_parts(returns) and not syntax.tuple_type:
        return None  # a target without tuples of mixed kinds (tuples.py)
    floating = returns.startswith("float")
    declared = []
    for param in params:
        hint = param.hint or ""
        optional = hint.startswith("optional[")  # a None default: a nullable type (line_lists.py)
        hint = hint[9:-1] if optional else hint
        kind = hint_kind(hint, syntax)
        if kind is None or (optional and kind not in _HINT_KINDS):
            return None
        if floating and kind.startswith("int"):
            kind = "float" + kind[3:]
        if optional and kind not in syntax.nullable:
            return None
        kind += "?" if optional else ""
        type_ = _changed_type(syntax, kind, changed.get(param.name))
        if type_ is None:
            return None
        declared.append(syntax.param.format(type=type_, name=param.name))
    return syntax.signature.format(returns=syntax.type_of(returns), name=name, params=", ".join(declared))


def _changed_type(syntax: LineSyntax, kind: str, grows: bool | None) -> str | None:
    """A parameter's type: ``syntax``'s for ``kind``, passed so the caller sees the change where
    the body changes the list (``grows``: its length too; None: not changed); None where the
    target cannot pass that change back (a Java array that grows)."""
    plain = syntax.param_types.get(kind) or syntax.type_of(kind)
    if grows is None or not kind.endswith("[]"):
        return plain
    return syntax.mut_param.format(type=plain) if syntax.mut_grows or not grows else None


def java_signature(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, values: Sequence[Any], sources: Sequence[str] = ()
) -> str | None:
    """The Java signature (``public static long gcd(int a, int b)``)."""
    return typed_signature(fn, name, values, JAVA_LINES, sources)


def close_braces(code: str) -> str:
    """``code`` with the closing braces it lacks appended (the stop at a column-0 ``}`` that
    ends a prefilled method leaves that brace out)."""
    missing = code.count("{") - code.count("}")
    return code.rstrip("\n") + "\n" + "}\n" * missing if missing > 0 else code


def java_util_imports(body: str, imports: Sequence[str]) -> list[str]:
    """Imports for the java.util classes ``body`` uses and neither imports nor declares."""
    if any(i.startswith("import java.util.*") for i in imports):
        return []
    declared = set(re.findall(r"\b(?:class|interface|enum|record)\s+(\w+)", body))
    out = []
    for name in _JAVA_UTIL:
        line = f"import java.util.{name};"
        if (
            name not in declared
            and line not in imports
            and re.search(rf"(?<![\w.]){name}\s*[<.(\[]|new\s+{name}\b", body)
        ):
            out.append(line)
    return out


def observed_signature(
    source: str,
    fn_name: str,
    java_name: str,
    test_sources: Sequence[str],
    limit: int,
    per_case_timeout_s: float,
    memo: dict[str, Any] | None = None,
    sign: Signer | None = None,
) -> str | None:
    """The signature for function ``fn_name`` of ``source`` (``sign``, by default
    java_signature), from the values it returns on its input cases (verify/cases/cases.py, run in the
    sandbox)."""
    sign = sign or java_signature
    from codexcli.tasks.translate.units import original_behaviour
    from codexcli.verify.cases.probe_types import probed_function
    from codexcli.verify.static.lookup import find_function

    fn = find_function(ast.parse(source), fn_name)
    found = original_behaviour(source, fn_name, test_sources, limit, per_case_timeout_s, memo) if fn else None
    if fn is None or found is None:
        return None
    cases, behaviour = found
    values = [o.value for o in behaviour.observations if o.kind == "value"]
    # Types found by running the original (verify/cases/probe_types.py) stand for the static guess.
    typed = probed_function(fn, cases)
    return sign(typed, java_name, values, [source, *test_sources]) if behaviour.ok else None


def own_signature(answer: str, head: str, signature: str, name: str) -> str:
    """``answer`` (codex's prefill ``head`` + ``signature {`` + what the model wrote) without
    codex's signature when the model wrote the whole method again itself (its own declaration
    of ``name`` first): the model's types then stand, and the compiler and harness judge them."""
    start = head + signature + " {\n"
    if not answer.startswith(start):
        return answer
    rest = answer[len(start) :]
    first = rest.lstrip().split("\n", 1)[0]
    if re.search(rf"\b{re.escape(name)}\s*\(", first) and re.match(
        r"(public|private|static|protected|pub|fn)\b", first
    ):
        return head + rest.lstrip()
    return answer


_ARITH = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _constant_value(node: ast.expr, known: dict[str, Any]) -> Any:
    """The value of a literal, an earlier constant, + - * / of them, or a list or tuple of
    such values (as a Python list); KeyError otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_constant_value(element, known) for element in node.elts]
    if isinstance(node, ast.Name):
        return known[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _constant_value(node.operand, known)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        left, right = _constant_value(node.left, known), _constant_value(node.right, known)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            return _ARITH[type(node.op)](left, right)
    raise KeyError("not a constant expression")


def _java_literal(value: Any) -> tuple[str, str] | None:
    """The Java type and literal that hold exactly ``value``; a list or tuple of one scalar
    type is an array of it (``[31, 28]`` -> ``long[]``, ``{31L, 28L}``); None for anything
    else (an empty or mixed list, a nested one, a dict: the model then translates them)."""
    if isinstance(value, list):
        elements = [_java_literal(v) if not isinstance(v, list) else None for v in value]
        kinds = {e[0] for e in elements if e is not None}
        if not elements or None in elements or len(kinds) != 1:
            return None
        return f"{kinds.pop()}[]", "{" + ", ".join(e[1] for e in elements if e is not None) + "}"
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return ("long", f"{value}L") if -(2**63) <= value < 2**63 else None
    if isinstance(value, float):
        return ("double", repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        return "String", json.dumps(value)  # ASCII with \\uXXXX escapes: a valid Java literal
    return None


def evaluated_constants(code: str) -> list[tuple[str, Any]] | None:
    """The module's constants and their values, evaluated (literals, earlier constants,
    + - * /, lists and tuples of them), dunder names (``__all__``: Python module metadata) left
    out; None when any other statement or value is there (the model then translates them)."""
    known: dict[str, Any] = {}
    found = []
    for node in ast.parse(code).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value_node = node.target, node.value
        elif isinstance(node, ast.Assign):
            value_node = node.value
        else:
            return None
        if not isinstance(target, ast.Name):
            return None
        if target.id.startswith("__") and target.id.endswith("__"):
            continue
        try:
            known[target.id] = _constant_value(value_node, known)
        except (KeyError, ZeroDivisionError, OverflowError):
            return None
        found.append((target.id, known[target.id]))
    return found


def java_constants(code: str) -> str | None:
    """Java ``static final`` fields for a module's constants, written by codex: their values
    evaluated (``evaluated_constants``), so ``ONE_THIRD = 1.0/3.0`` becomes
    ``static final double ONE_THIRD = 0.3333333333333333;``; a list of one scalar type is an
    array (``DAYS = [31, 28]`` -> ``static final long[] DAYS = {31L, 28L};``), never a scalar.
    Each value written is exactly the Python literal's. None when a constant is not such an
    expression (the model then translates them)."""
    fields = []
    for name, value in evaluated_constants(code) or [("", None)]:
        literal = _java_literal(value)
        if literal is None:
            return None
        fields.append(f"static final {literal[0]} {name} = {literal[1]};")
    return "\n".join(fields) if fields else None


@dataclass(frozen=True)
class Writer:
    """What codex writes itself when translating Python to one target (named by the target's
    ``TranslateRules.writes``): the method's signature, the module's literal constants, the
    library imports a body uses; and, where a function whose whole answers do not verify is
    assembled line by line, the target's line syntax (tasks/translate/line_syntax.py)."""

    signature: Signer
    constants: Callable[[str], str | None]
    imports: Callable[[str, Sequence[str]], list[str]]
    lines: LineSyntax | None = None


# Java's writer: codexcli/languages.py's Java entry names it (``writes="JAVA_WRITER"``).
def java_imports(body: str, imports: Sequence[str]) -> list[str]:
    """java_util_imports, and the helpers of codex's str rules the body calls (str_helpers.py:
    package-private interfaces, which sort after the imports)."""
    return java_util_imports(body, imports) + [h for h in needed(body, "java") if h not in imports]


JAVA_WRITER = Writer(java_signature, java_constants, java_imports, lines=JAVA_LINES)


def writer(writes: str) -> Writer | None:
    """The writer a language's ``TranslateRules.writes`` names: one of this module
    (``JAVA_WRITER``) or ``"module:name"``, imported here, in the layer that uses it
    (codexcli.languages imports no writer); None for ""."""
    if not writes:
        return None
    module, _, name = writes.rpartition(":")
    found: Writer = getattr(importlib.import_module(module or __name__), name)
    return found
