"""Optimize candidates that do not come from the model: semantics-preserving rewrites of the
naive patterns that performance linters name (Perflint, Ruff's PERF rules, Refurb), as libcst
codemods on one function. Each rule is only a candidate: tasks/optimize/run.py judges it like a
model answer (the same behaviour check on the same inputs, the same timing), and the report
says which rule or which model answer won. One registry, RULES: a rule is one entry.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Callable, Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.accumulate import concat_append, dedupe_set, str_join
from codexcli.tasks.optimize.rules.charmap import char_map
from codexcli.tasks.optimize.rules.chars import char_set, count_chars
from codexcli.tasks.optimize.rules.cstutil import code_of
from codexcli.tasks.optimize.rules.front import deque_queue, prepend_reverse
from codexcli.tasks.optimize.rules.hoist import count_dict, hoist_function, hoist_invariant, index_dict, membership_set
from codexcli.tasks.optimize.rules.mapping import list_copy, remove_all, translate
from codexcli.tasks.optimize.rules.pick import find_index, fold_min_max, sorted_first
from codexcli.tasks.optimize.rules.reduce import (
    fold_any_all,
    fold_comprehension,
    fold_contains,
    fold_function,
    fold_sum,
)
from codexcli.tasks.optimize.rules.reverse import reverse_build, reverse_swap

Apply = Callable[[cst.FunctionDef, frozenset[str]], cst.FunctionDef]


@dataclass(frozen=True)
class Rule:
    """One rewrite: its name, what the linters call the pattern, the rewrite in words (for the
    model, when asked to apply it by name), and the codemod (function, str-typed names) -> function."""

    name: str
    flags: str
    instruction: str
    apply: Apply


def _hoisting(hoister: Callable[..., object]) -> Apply:
    return lambda fn, str_names: hoist_function(fn, hoister, str_names)  # type: ignore[arg-type]


def _folding(fold: Callable[..., object]) -> Apply:
    return lambda fn, str_names: fold_function(fn, fold)  # type: ignore[arg-type]


# In the order they are applied together: the folds first (they make comprehensions the
# hoisting rules then see), the hoisting last.
RULES: tuple[Rule, ...] = (
    Rule("reverse-swap", "Refurb / Ruff: a loop swapping items from both ends (list.reverse() or a slice does it)",
         "replace a two-pointer swap loop on a list with a slice assignment xs[i:j + 1] = xs[i:j + 1][::-1] or xs.reverse()",
         reverse_swap),
    Rule("reverse-build", "Refurb / Ruff: a str or list built reversed one item at a time",
         "replace a loop adding s[i] for i from len(s) - 1 down to 0 (or prepending each c) with s[::-1]",
         reverse_build),
    Rule("translate", "Refurb / Ruff: a str mapped one character at a time through a dict",
         "replace ''.join(table.get(c, c) for c in s) (or table[c], or the += loop) with s.translate of the table",
         translate),
    Rule("char-map", "Refurb / Ruff: a str built by a per-character computation (ord/chr arithmetic)",
         "compute each distinct character's piece once into a table and build the str with s.translate(table)",
         char_map),
    Rule("list-copy", "Ruff C416 / PERF402: a comprehension or loop that only copies",
         "replace [x for x in xs] or a loop appending each x to a new list with list(xs)", list_copy),
    Rule("remove-all", "quadratic search: list.remove in a while-in loop",
         "replace `while x in xs: xs.remove(x)` with one filtering pass, xs[:] = [y for y in xs if y != x]",
         remove_all),
    Rule("dedupe-set", "Perflint W8201 (list membership in a loop)",
         "keep a set beside a list that is only appended to, and test membership in the set", dedupe_set),
    Rule("concat-append", "Refurb FURB113 / list concatenation in a loop",
         "replace `xs = xs + [x]` in a loop with `xs.append(x)`", concat_append),
    Rule("str-join", "Perflint / Ruff PERF: string concatenation in a loop",
         "collect the pieces of a string built with += in a list and join them once", str_join),
    Rule("prepend-reverse", "Perflint W8401-style: insertion at the front of a list or str in a loop",
         "append in the loop and reverse once after it, instead of `out.insert(0, x)` or `s = piece + s`",
         prepend_reverse),
    Rule("deque", "Refurb / Perflint: a list used as a queue (`pop(0)`, `insert(0, x)`)",
         "use a collections.deque for a list used as a queue: popleft() and appendleft()", deque_queue),
    Rule("contains", "Ruff SIM110 / Refurb: a loop that `in` or `list.count` does",
         "replace a loop that looks for an item equal to t with `t in xs`, one that counts them with xs.count(t)",
         _folding(fold_contains)),
    Rule("min-max", "Refurb / Ruff PLR1730-style: a loop keeping the running maximum or minimum",
         "replace a loop that keeps the biggest (smallest) item seen with max() (min()) from the same start",
         _folding(fold_min_max)),
    Rule("find-index", "Ruff SIM110-style search loop returning the position (list.index does it)",
         "replace a loop that returns the first position i with xs[i] == t by xs.index(t) in try/except ValueError",
         find_index),
    Rule("sorted-first", "Refurb FURB / Ruff: sorted() only to take the first, last or first k items",
         "replace sorted(xs)[0], sorted(xs)[-1], sorted(xs)[:k] with heapq.nsmallest/nlargest (min/max underneath)",
         sorted_first),
    Rule("comprehension", "Ruff PERF401 (manual list comprehension)",
         "replace a loop that appends to a new list with a list comprehension", _folding(fold_comprehension)),
    Rule("sum", "Refurb / Ruff PERF: manual sum", "replace a loop that adds to a total with sum()", _folding(fold_sum)),
    Rule("any-all", "Ruff SIM110/SIM111 (loop that any()/all() does)",
         "replace a loop that returns True/False on the first match with any()/all()", _folding(fold_any_all)),
    Rule("count-chars", "Ruff PERF / Refurb: a per-character counting loop over a str",
         "count the characters of s that are in a literal set of letters with sum(map(s.count, letters))",
         count_chars),
    Rule("char-set", "Ruff SIM110/SIM111: any()/all() of membership tests over a str's characters",
         "replace any(c in letters for c in s) by not set(letters).isdisjoint(s), all(...) by set(letters).issuperset(s)",
         char_set),
    Rule("count-dict", "quadratic search: list.count in a loop",
         "count the list's items once into a dict before the loop and look counts up", _hoisting(count_dict)),
    Rule("index-dict", "quadratic search: list.index in a loop",
         "map each item to its first position once before the loop and look positions up", _hoisting(index_dict)),
    Rule("membership-set", "Perflint W8201 / Ruff PERF: `in` on a list in a loop",
         "build a set from a list that a loop tests membership in, once before the loop", _hoisting(membership_set)),
    Rule("hoist-invariant", "Perflint W8202 (loop-invariant statement)",
         "compute values that do not change in a loop (len(xs), max(xs), s.lower()) once before it",
         _hoisting(hoist_invariant)),
)  # fmt: skip
RULE_NAMES = tuple(r.name for r in RULES)


def rule_named(name: str) -> Rule | None:
    return next((r for r in RULES if r.name == name), None)


@dataclass(frozen=True)
class RuleRewrite:
    """A rewritten function: the rule (or rules, joined with ``+``) that made it, and its code."""

    rule: str
    code: str


# What a rule that trips over code it does not expect raises: it is skipped, never fatal.
_RULE_ERRORS = (cst.ParserSyntaxError, cst.CSTValidationError, ValueError, TypeError, AssertionError, AttributeError)


def apply_rules(code: str, str_names: frozenset[str] = frozenset(), only: Sequence[str] = ()) -> list[RuleRewrite]:
    """The function ``code`` (one ``def``) as each rule that changes it writes it, then, when
    several do, as all of them applied in turn; [] when none applies. ``str_names``: parameters
    and constants known to be str (``in`` on a str is a substring test, not membership)."""
    try:
        module = cst.parse_module(textwrap.dedent(code))
    except cst.ParserSyntaxError:
        return []
    fn = next((s for s in module.body if isinstance(s, cst.FunctionDef)), None)
    if fn is None:
        return []
    before = code_of(fn)
    rules = [r for r in RULES if not only or r.name in only]
    out: list[RuleRewrite] = []
    together, used = fn, list[str]()
    for rule in rules:
        single = _apply(rule, fn, str_names)
        if single is not None and code_of(single) != before:
            out.append(RuleRewrite(rule.name, _unindented(single, fn, module)))
        stacked = _apply(rule, together, str_names)
        if stacked is not None and code_of(stacked) != code_of(together):
            together, used = stacked, [*used, rule.name]
    combined = _unindented(together, fn, module)
    if len(used) > 1 and all(r.code != combined for r in out):
        out.append(RuleRewrite("+".join(used), combined))
    return out


def _apply(rule: Rule, fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef | None:
    try:
        return rule.apply(fn, str_names)
    except _RULE_ERRORS:
        return None


def _unindented(new: cst.FunctionDef, old: cst.FunctionDef, module: cst.Module) -> str:
    return module.with_changes(body=[new if s is old else s for s in module.body]).code
