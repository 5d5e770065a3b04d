"""`codex translate` to Java, line by line (tasks/translate/lines.py): one statement of the
plan (``Step``), and the statement (or ``if`` test) of each answer with its repaired variants:
Python's ``max``/``min``/``abs`` written with ``Math.``, a returned tuple as an array, an integer
cast the Python line does not have removed, an assignment the model ran on past its end cut at
a top-level ``+``/``-``, Python's floor ``%`` where Java's truncates. Text only: nothing runs."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Sequence

from codexcli.tasks.repair import closing_bracket, top_level_parts, tuple_return_as_array


@dataclass(frozen=True)
class Step:
    """One line of the method: a statement the model translates (``assign``, ``return``, the
    test of an ``if``/``elif``), or layout codex writes (``else``, ``end``, and ``fallthrough``
    where the Python function ends without a ``return``). ``python`` is what the model is
    shown; ``line`` the source line the trace knows it by; ``branch`` the lines of an ``if``'s
    body (the test held when the next line ran was one of them); ``mod`` whether it uses ``%``
    on numbers. Loops and exceptions (tasks/translate/line_plan.py): ``while`` (its test
    checked like an ``if``'s), ``assert`` (its test held when no exception followed), ``store``
    (``a[i] = v``, checked by the container after it), and layout codex writes whole (``for``,
    ``break``, ``continue``, ``raise``, ``unpack``: their ``text``). ``node`` is the Python
    statement; ``rule`` codex's own candidate for a checked statement ("" for none), and
    ``wrapped`` its second, where it indexes a list: a negative index counted from the end, as
    Python's (line_plan.lay_out_wrapped)."""

    kind: str
    python: str = ""
    line: int = 0
    depth: int = 0
    target: str = ""
    branch: tuple[int, int] = (0, 0)
    mod: bool = False
    node: ast.AST | None = field(default=None, compare=False, repr=False)
    text: str = ""
    rule: str = ""
    wrapped: str = ""


# Candidates: an answer, and its repaired variants ------------------------------------------------

_DECLARED = re.compile(r"^(?:final\s+)?(?:int|long|double|float|boolean|String|var|char|short)\s+(?=\w+\s*[-+*/%]?=)")
_INT_CAST = re.compile(r"\((?:int|long)\)\s*")
_BUILTIN = re.compile(r"(?<![\w.])(max|min|abs)\s*\(")
_MATH_MAX_MIN = re.compile(r"Math\.(max|min)\(")


def math_builtins(line: str) -> str:
    """Python's ``max``/``min``/``abs`` as Java's ``Math.`` methods, ``max(a, b, c)`` nested
    (``Math.max(a, Math.max(b, c))``: Java's take two)."""
    line = _BUILTIN.sub(lambda m: f"Math.{m.group(1)}(", line)
    out, i = "", 0
    while (m := _MATH_MAX_MIN.search(line, i)) is not None:
        end = closing_bracket(line, m.end() - 1)
        if end < 0:
            break
        parts = [math_builtins(p) for p in top_level_parts(line[m.end() : end])]
        nested = parts[-1]
        for part in reversed(parts[:-1]):
            nested = f"Math.{m.group(1)}({part}, {nested})"
        out += line[i : m.start()] + nested
        i = end + 1
    return out + line[i:]


_TOKEN = re.compile(r"\d+\.?\d*(?:[eE][-+]?\d+)?[dDfFlL]?|\w+(?:\.\w+)*|&&|\|\||[=!<>]=|\S")
_KEYWORDS = {"return", "new", "if", "while", "case", "else"}
# Tokens a unary sign can follow (so ``-`` after one is a sign, not a subtraction).
_LOW = set("+ - = ( [ , ? : < > <= >= == != && || return += -= *= /= %=".split())


def floor_mod(line: str) -> str:
    """Every ``a % b`` in a Java line written ``((a % b + b) % b)``: Python's ``%`` takes the sign
    of the divisor (``-0.5 % 1.0 == 0.5``), Java's that of the dividend (``-0.5``)."""
    tokens = _TOKEN.findall(line)
    k = 0
    while k < len(tokens):
        if tokens[k] != "%":
            k += 1
            continue
        left = _operand_before(tokens, k)
        right = _operand_after(tokens, k + 1)
        if left < 0 or right < 0:
            return line
        a, b = " ".join(tokens[left:k]), " ".join(tokens[k + 1 : right])
        rewritten = ["(", "(", a, "%%", b, "+", b, ")", "%%", b, ")"]
        tokens[left:right] = rewritten
        k = left + len(rewritten)
    return _join(tokens).replace("%%", "%")


def _group_start(tokens: list[str], end: int) -> int:
    """The index of the bracket opening the one closed at ``end``."""
    depth = 0
    for i in range(end, -1, -1):
        depth += 1 if tokens[i] in ")]" else -1 if tokens[i] in "([" else 0
        if depth == 0:
            return i
    return -1


def _operand_before(tokens: list[str], k: int) -> int:
    """Where the left operand of the ``%`` at ``k`` starts: a chain of ``*``, ``/``, ``%`` over
    postfix expressions, with a leading unary sign (Java binds ``-a % b`` as ``(-a) % b``)."""
    i = k - 1
    while True:
        start = _postfix_start(tokens, i)
        if start < 0:
            return -1
        if start > 1 and tokens[start - 1] in ("*", "/", "%"):
            i = start - 2
            continue
        if start > 0 and tokens[start - 1] in ("-", "+", "!") and (start == 1 or tokens[start - 2] in _LOW):
            start -= 1
        return start


def _postfix_start(tokens: list[str], i: int) -> int:
    """Where the postfix expression (a name, literal or bracket group, with its calls and
    indexes) that ends at ``i`` starts."""
    if i < 0:
        return -1
    if tokens[i] in (")", "]"):
        j = _group_start(tokens, i)
        if j < 0:
            return -1
        before = tokens[j - 1] if j > 0 else ""
        if before in (")", "]") or (re.fullmatch(r"[\w.]+", before) and before not in _KEYWORDS):
            return _postfix_start(tokens, j - 1)
        return j
    return i if re.fullmatch(r"[\w.]+", tokens[i]) else -1


def _operand_after(tokens: list[str], k: int) -> int:
    """Where the right operand of a ``%`` that starts at ``k`` ends (exclusive)."""
    i = k
    while i < len(tokens) and tokens[i] in ("-", "+", "!"):
        i += 1
    if i >= len(tokens):
        return -1
    if tokens[i] == "(":
        depth = 0
        for j in range(i, len(tokens)):
            depth += 1 if tokens[j] in "([" else -1 if tokens[j] in ")]" else 0
            if depth == 0:
                return j + 1
        return -1
    if re.fullmatch(r"[\w.]+", tokens[i]):
        if i + 1 < len(tokens) and tokens[i + 1] in ("(", "["):
            return _operand_after(tokens, i + 1)
        return i + 1
    return -1


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" \)", ")", text)
    text = re.sub(r"\b(\w+) \(", lambda m: m.group(0) if m.group(1) in _KEYWORDS else f"{m.group(1)}(", text)
    text = re.sub(r"([\w)\]]) \[", r"\1[", text)
    text = re.sub(r" ([,;\]])", r"\1", text)
    return re.sub(r"\[ ", "[", text)


def _balanced(text: str) -> bool:
    """Brackets closed in order and no string literal left open."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    if text.count('"') % 2:
        return False
    depth: list[str] = []
    for ch in text:
        if ch in "([{":
            depth.append(")]}"["([{".index(ch)])
        elif ch in ")]}" and (not depth or depth.pop() != ch):
            return False
    return not depth


def _additive_prefixes(statement: str) -> list[str]:
    """An assignment cut before each top-level binary ``+``/``-`` of its value: SmolLM2 often
    writes the statement right and runs on (``p = v * (1.0 - s) - s;``)."""
    m = re.match(r"\s*[\w.\[\]]+\s*=(?!=)", statement)
    if m is None:
        return []
    value = statement[m.end() :].rstrip().removesuffix(";")
    cuts, depth, previous = [], 0, ""
    for i, ch in enumerate(value):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif (
            ch in "+-"
            and depth == 0
            and (previous.isalnum() or previous in ")]._")
            and not re.search(r"(?<![\w.])\d[\d.]*[eE]$", value[:i])  # 1e-5: an exponent
        ):
            if value[:i].strip():
                cuts.append(f"{statement[: m.end()]}{value[:i].rstrip()};")
        if not ch.isspace():
            previous = ch
    return cuts


def condition(text: str) -> str | None:
    """The condition of an ``if`` line as a parenthesized Java expression: ``} else if (x > 0) {``
    and ``if x > 0:`` both give ``(x > 0)``."""
    text = re.sub(r"^\}?\s*(else\s+)?(?:(el)?if|while|assert)\b\s*", "", text.strip())
    if text.startswith("("):
        end = closing_bracket(text, 0)
        return text[: end + 1] if end > 0 else None
    text = re.sub(r"\s*[:{]\s*$", "", text)
    return f"({text})" if text else None


CONDITIONS = ("if", "elif", "while", "assert")  # steps whose candidates are tests


def _index_casts(line: str) -> str:
    """Java indexes are ints: ``a[i + 1]`` -> ``a[(int) (i + 1)]`` (every local integer is a long)."""
    out, i = "", 0
    while (k := line.find("[", i)) >= 0:
        end = closing_bracket(line, k)
        if end < 0 or not line[k + 1 : end].strip() or line[k + 1 : end].startswith("(int)"):
            out += line[i : k + 1]
            i = k + 1
            continue
        out += line[i:k] + "[(int) (" + _index_casts(line[k + 1 : end]) + ")]"
        i = end + 1
    return out + line[i:]


def candidates(
    step: Step,
    answers: Sequence[str],
    returns: str,
    declared: str = "",
    repairs: Sequence[str] = ("math", "int_cast", "mod"),
) -> list[str]:
    """The statement (or the test, parenthesized) of each answer, and its repaired variants, in
    answer order, without repeats; codex's own (``step.rule``) first. ``declared`` matches a
    declaration in front of an assignment (Java's by default); ``repairs`` are the target's
    (line_syntax.LineSyntax.repairs)."""
    pattern = re.compile(declared) if declared else _DECLARED
    out: list[str] = [r for r in (step.rule, step.wrapped) if r]
    for answer in answers:
        line = answer.strip().strip("`").strip().split("\n", 1)[0].strip()
        if not line:
            continue
        if step.kind in CONDITIONS:
            base = condition(line)
        else:
            base = pattern.sub("", line).rstrip(";").rstrip() + ";"
            if step.kind == "return" and not base.startswith("return"):
                continue
            if step.kind == "assign" and not re.match(rf"{re.escape(step.target)}\s*[-+*/%]?=", base):
                continue
            if step.kind == "store" and not re.match(rf"{re.escape(step.target)}\s*\[", base):
                continue
        if base is None or not _balanced(base):
            continue  # a cut-off answer: javac's errors after it would name the next candidates
        variants = [base]
        if step.kind == "return" and returns.endswith("[]"):
            fixed = tuple_return_as_array(base, returns)
            variants = [fixed.text.strip() if fixed else base]
        if "math" in repairs and (math := math_builtins(variants[0])) != variants[0]:
            variants.append(math)
        if step.kind == "assign":
            variants += [cut for v in variants for cut in _additive_prefixes(v)]
        if "int_cast" in repairs and "int(" not in step.python:
            # An integer cast where Python converts nothing: the model's habit, not the code's.
            variants += [v2 for v in variants if (v2 := _INT_CAST.sub("", v)) != v]
        if "mod" in repairs and step.mod:
            variants += [floor_mod(v) for v in variants if "%" in v]
        if "index" in repairs and "[" in step.python:
            variants += [v2 for v in variants if (v2 := _index_casts(v)) != v]
        out += variants
    return list(dict.fromkeys(out))
