"""The calls testgen's other languages test: from the model's answer, or made up by codex.

The model is asked for example calls of the function (prompts/testgen_calls.toml), not for
whole tests: codex writes the tests itself, with the values the calls are observed to return
(the runners). From the answer, read with the language's tree-sitter grammar, codex takes each
call of the function whose arguments are all literals (numbers, strings, booleans, null, arrays
and objects of them; Java's ``new int[]{...}``, ``List.of(...)``), so that the test states its
input in full. Codex's own calls come from the parameters: their Java types, or, in JavaScript,
a pool of values of the common kinds (TypeScript: of the declared type, when it is a plain one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codexcli.answers import code_blocks
from codexcli.index.treesitter import parser_for
from codexcli.tasks.testgen.native.targets import CallTarget


@dataclass(frozen=True)
class Call:
    """One call of a target: the arguments' source text, and who proposed it ("model"/"codex")."""

    args: tuple[str, ...]
    origin: str = "model"


_JS_LITERALS = {"number", "string", "true", "false", "null", "undefined"}
_JAVA_LITERALS = {
    "decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal",
    "decimal_floating_point_literal", "string_literal", "character_literal", "true", "false", "null_literal",
}  # fmt: skip
_JAVA_FACTORIES = re.compile(r"(?:java\.util\.)?(?:List|Set|Map|Arrays)\.(?:of|asList)")


def _literal(node: Any, language: str) -> bool:
    """Whether ``node`` is a literal value (or a container of literals) in ``language``."""
    kind = node.type
    if node.has_error:
        return False
    if language == "java":
        if kind in _JAVA_LITERALS:
            return True
        if kind == "unary_expression":
            return node.child_count == 2 and node.children[0].type in "-+" and _literal(node.children[1], language)
        if kind == "array_creation_expression":
            init = node.child_by_field_name("value")
            return init is not None and all(_literal(c, language) for c in init.named_children)
        if kind == "method_invocation":
            head = node.text.decode().split("(", 1)[0].replace(" ", "")
            args = node.child_by_field_name("arguments")
            return bool(_JAVA_FACTORIES.fullmatch(head)) and all(_literal(c, language) for c in args.named_children)
        return False
    if kind in _JS_LITERALS:
        return True
    if kind == "template_string":
        return not any(c.type == "template_substitution" for c in node.named_children)
    if kind == "unary_expression":
        return node.child_count == 2 and node.children[0].type in "-+" and _literal(node.children[1], language)
    if kind == "array":
        return all(_literal(c, language) for c in node.named_children)
    if kind == "object":
        return all(
            c.type == "pair"
            and c.child_by_field_name("key").type in ("property_identifier", "string", "number")
            and _literal(c.child_by_field_name("value"), language)
            for c in node.named_children
        )
    return False


def _calls_in(code: str, target: CallTarget, language: str) -> list[Call]:
    """The literal-argument calls of ``target`` in ``code``."""
    kind = "method_invocation" if language == "java" else "call_expression"
    tree = parser_for(language).parse(code.encode("utf-8"))
    names = {target.name, target.import_name} if language != "java" else {target.name}
    found: list[Call] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.children))
        if node.type != kind:
            continue
        if language == "java":
            name, args = node.child_by_field_name("name"), node.child_by_field_name("arguments")
        else:
            func, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            name = (
                func.child_by_field_name("property") if func is not None and func.type == "member_expression" else func
            )
        if name is None or args is None or name.text.decode() not in names:
            continue
        values = [c for c in args.named_children if c.type not in ("comment", "line_comment", "block_comment")]
        if len(values) == len(target.params) and all(_literal(v, language) for v in values):
            found.append(Call(tuple(v.text.decode("utf-8") for v in values)))
    return found


def answer_calls(answer: str, target: CallTarget, language: str) -> list[Call]:
    """The calls of ``target`` in the model's answer (its fenced code, else all of it), in
    order, each once. Java is read as written and as statements inside a method, so that bare
    calls and whole test classes both parse."""
    blocks = [b.code for b in code_blocks(answer)] or [answer]
    calls: list[Call] = []
    for code in blocks:
        found = _calls_in(code, target, language)
        if language == "java":
            found += _calls_in("class CodexAnswer { void codexCalls() {\n" + code + "\n} }", target, language)
        for call in found:
            if call not in calls:
                calls.append(call)
    return calls


# Calls codex makes up ----------------------------------------------------------------------------

_JS_POOL = ("0", "1", "-1", "7", "2.5", "'abc'", "''", "'Hello World'", "'<p class=\"x\">Tom & Jerry\\'s</p>'", "[1, 2, 3]", "[]", "true", "false", "null",
            "undefined", "{ a: 1 }")  # fmt: skip
_TS_POOLS = {
    "number": ("0", "1", "-1", "7", "2.5"),
    "string": ("'abc'", "''", "'Hello World'", "'a,b,c'"),
    "boolean": ("true", "false"),
    "number[]": ("[1, 2, 3]", "[]", "[5]"),
    "string[]": ("['a', 'b']", "[]"),
}
_JAVA_POOLS = {
    "int": ("0", "1", "-1", "7", "100"),
    "long": ("0L", "1L", "-1L", "7L", "100L"),
    "short": ("(short) 0", "(short) 1", "(short) -1"),
    "byte": ("(byte) 0", "(byte) 1", "(byte) -1"),
    "double": ("0.0", "1.5", "-2.5", "100.0"),
    "float": ("0.0f", "1.5f", "-2.5f"),
    "boolean": ("true", "false"),
    "char": ("'a'", "' '", "'Z'", "'0'"),
    "String": ('""', '"abc"', '"Hello World"', '"a,b,c"', "null"),
    "CharSequence": ('""', '"abc"', '"Hello World"', "null"),
    "int[]": ("new int[]{}", "new int[]{3, 1, 2}", "new int[]{5}", "null"),
    "long[]": ("new long[]{}", "new long[]{3L, 1L, 2L}", "null"),
    "double[]": ("new double[]{}", "new double[]{1.5, -2.0}", "null"),
    "char[]": ("new char[]{}", "new char[]{'a', 'b'}", "null"),
    "byte[]": ("new byte[]{}", "new byte[]{1, 2, 3}", "null"),
    "String[]": ("new String[]{}", 'new String[]{"a", "b"}', "null"),
    "Object": ("null", '"abc"', "1"),
}
_JAVA_BOXED = {"Integer": "int", "Long": "long", "Double": "double", "Boolean": "boolean", "Character": "char",
               "Short": "short", "Byte": "byte", "Float": "float"}  # fmt: skip


def _pool(java_type: str) -> tuple[str, ...] | None:
    t = re.sub(r"\s+", "", java_type).removeprefix("final")
    t = t.replace("java.lang.", "")
    if t in _JAVA_BOXED:
        return (*_JAVA_POOLS[_JAVA_BOXED[t]], "null")
    return _JAVA_POOLS.get(t)


def codex_calls(target: CallTarget, language: str, limit: int = 24) -> list[Call]:
    """Calls made from the parameters: each parameter walks its pool of values (Java: by its
    type; a parameter of another type gets ``null``; JavaScript: values of every common kind),
    at a different pace per parameter, so that combinations vary."""
    if language == "java":
        pools = [_pool(t) or ("null",) for t in target.types]
    elif target.types and len(target.types) == len(target.params):  # TypeScript: by the declared type
        pools = [_TS_POOLS.get(re.sub(r"\s+", "", t), _JS_POOL) for t in target.types]
    else:
        pools = [_JS_POOL for _ in target.params]
    if not pools:
        return [Call((), "codex")]
    longest = max(len(p) for p in pools)
    calls: list[Call] = []
    for i in range(min(limit, longest * 2)):
        args = tuple(pool[(i + k * (i // len(pool) + 1)) % len(pool)] for k, pool in enumerate(pools))
        if (call := Call(args, "codex")) not in calls:
            calls.append(call)
    return calls[:limit]
