"""Calls of a JavaScript, TypeScript or Java function, and the ones codex makes up itself.

A call is its arguments' source text (all literals, so that a test or an example states its
input in full). Codex's own calls come from the parameters: their Java types, or, in
JavaScript, a pool of values of the common kinds (TypeScript: of the declared type, when it is a
plain one). The calls in the model's answer are testgen's (tasks/testgen/native/answers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codexcli.tasks.native.targets import CallTarget


@dataclass(frozen=True)
class Call:
    """One call of a target: the arguments' source text, and who proposed it ("model"/"codex")."""

    args: tuple[str, ...]
    origin: str = "model"


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
