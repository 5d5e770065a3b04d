"""The calls of the function in the model's answer, for testgen's other languages.

The model is asked for example calls of the function (prompts/testgen_calls.toml), not for
whole tests: codex writes the tests itself, with the values the calls are observed to return
(the runners). From the answer, read with the language's tree-sitter grammar, codex takes each
call of the function whose arguments are all literals (numbers, strings, booleans, null, arrays
and objects of them; Java's ``new int[]{...}``, ``List.of(...)``), so that the test states its
input in full.
"""

from __future__ import annotations

import re
from typing import Any

from codexcli.answers import code_blocks
from codexcli.index.treesitter import parser_for
from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.targets import CallTarget

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
