"""Statement coverage of a JavaScript, TypeScript or Java module: a probe before each statement.

The module under test is copied into the sandbox with ``probe`` (from its language's
``TestRules``: ``globalThis.__codexHits?.add(12);``, ``codexprobe.CodexProbe.hit(12);``) put in
front of every statement of every block, on the statement's own line, so line numbers stay as
written. The lines that hold a probe are the lines coverage counts; the probes that ran say
which were covered. The file the user has is never touched: only the sandbox sees the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexcli.index.treesitter import parser_for
from codexcli.languages import TestRules


@dataclass(frozen=True)
class Probed:
    """The instrumented text and the (1-based) lines that hold a probed statement."""

    text: str
    lines: frozenset[int]  # probe keys: line * 1000 + the probe's place on its line

    @staticmethod
    def span(first: int, last: int) -> tuple[int, int]:
        """The probe keys of lines ``first``..``last``."""
        return first * KEY, last * KEY + KEY - 1


KEY = 1000
_ARM_FIELDS = ("consequence", "alternative", "body")


def statements(tree: Any, rules: TestRules) -> list[Any]:
    """The statement nodes of every block (``rules.blocks``), in file order; a block's leading
    string statements (a JavaScript ``'use strict'`` directive) are left alone."""
    found: list[Any] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in rules.blocks:
            leading = True
            value = node.child_by_field_name("value")  # a JavaScript `case` label's value
            for child in node.named_children:
                if value is not None and child.id == value.id:
                    continue
                directive = child.type == "expression_statement" and child.named_child_count == 1
                directive = directive and child.named_children[0].type == "string"
                if leading and directive:
                    continue
                leading = False
                if child.type not in rules.unprobed:
                    found.append(child)
        stack.extend(reversed(node.children))
    return sorted(found, key=lambda n: n.start_byte)


def arms(tree: Any, rules: TestRules) -> list[Any]:
    """The single statements (not blocks) that an if, else or loop runs: each gets braces and a
    probe of its own, so that ``if (x < lo) return lo;`` counts its return apart from its test."""
    found: list[Any] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.children))
        if node.type == "else_clause":  # JavaScript: the statement after `else`
            arm = node.named_children[-1] if node.named_children else None
            if arm is not None and arm.type not in rules.blocks and arm.type != "if_statement":
                found.append(arm)
            continue
        for name in _ARM_FIELDS:
            arm = node.child_by_field_name(name) if node.type.endswith("_statement") else None
            if arm is not None and arm.type.endswith("statement") and arm.type not in rules.blocks:
                if arm.type not in ("if_statement", "else_clause"):
                    found.append(arm)
    return found


def instrument(source: str, language: str, rules: TestRules, suffix: str = "") -> Probed:
    """``source`` with a probe before each statement (by byte range: nothing else changes)."""
    data = source.encode("utf-8")
    tree = parser_for(language, suffix).parse(data)
    edits: list[tuple[int, int, bytes]] = []  # (byte, order, text): probes and braces
    keys: set[int] = set()
    per_line: dict[int, int] = {}
    wrapped = arms(tree, rules)
    for node in sorted([*statements(tree, rules), *wrapped], key=lambda n: (n.start_byte, n.end_byte)):
        line = node.start_point[0] + 1
        key = line * KEY + per_line.get(line, 0)
        per_line[line] = per_line.get(line, 0) + 1
        keys.add(key)
        probe = rules.probe.replace("{line}", str(key)).encode() + b" "
        if any(node.id == w.id for w in wrapped):
            edits += [(node.start_byte, 0, b"{ " + probe), (node.end_byte, -1, b" }")]
        else:
            edits.append((node.start_byte, 1, probe))
    out: list[bytes] = []
    last = 0
    for at, _, text in sorted(edits, key=lambda e: (e[0], e[1])):
        out += [data[last:at], text]
        last = at
    out.append(data[last:])
    return Probed(b"".join(out).decode("utf-8"), frozenset(keys))
