"""Repair before reject: deterministic fixes of near-miss answers. Pure functions.

A small model's answer is often right in substance and wrong in a way a rule can fix: the
translation defines the function under another name, the docstring runs past the length limit
with an example section, the Args section names a parameter the function does not have, a
``<what x is>`` placeholder line was left in, or the code is wrapped in chat. Each repair
returns the repaired text and a ``repaired: ...`` note, or None when it does not apply. Nothing
judges the result: the caller runs the repaired text through the same gate as any answer,
and reports the note only when the gate passes.

Here: what every repair is (``Repaired``, ``chain``) and the repairs of a code answer; the
docstring repairs are tasks/comment/repair.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from codexcli import languages
from codexcli.answers import code_blocks, repaired_source
from codexcli.langspec import TYPED_DEFINITIONS

# Words that can stand before "name(" in a brace language without declaring a function (a
# definitions pattern with a ``type`` group: langspec.TranslateRules.definitions).
_NOT_TYPES = {"return", "new", "else", "throw", "case", "await", "yield", "delete", "typeof", "in", "of", "do", "goto"}
_CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "synchronized", "foreach", "using"}


@dataclass(frozen=True)
class Repaired:
    """A repaired answer and what was done to it (``note`` starts with "repaired:")."""

    text: str
    note: str


def repaired(text: str, what: str) -> Repaired:
    """``text`` as a repair, ``what`` its note (after "repaired: ")."""
    return Repaired(text, f"repaired: {what}")


def chain(text: str, repairs: Sequence[Callable[[str], Repaired | None]]) -> Repaired | None:
    """Apply each repair that applies, in order; one Repaired with all the notes, or None."""
    notes: list[str] = []
    for repair in repairs:
        fixed = repair(text)
        if fixed is not None and fixed.text != text:
            text = fixed.text
            notes.append(fixed.note.removeprefix("repaired: "))
    return repaired(text, "; ".join(notes)) if notes else None


# Code answers ----------------------------------------------------------------------------------


_CODE_START = re.compile(
    r"^\s*(#include|#!|package\s|import\s|from\s+\w+\s+import|using\s|use\s|public\s|private\s|protected\s|"
    r"static\s|final\s|class\s|struct\s|interface\s|enum\s|template\s*<|export\s|function\b|const\s|let\s|var\s|"
    r"async\s|def\s|fn\s|pub\s|impl\s|func\s|@\w|(unsigned\s+|signed\s+)?(int|long|double|float|bool|boolean|"
    r"char|void|auto|String|std::)\b)"
)


def code_of_chatty(answer: str, language: str) -> Repaired | None:
    """The code of an answer that wraps it in prose: the fenced block when there is one (the
    one tagged with the language first), else the lines from the first that starts code to the
    last closing brace (brace languages) or the longest stretch that parses (Python)."""
    blocks = [b for b in code_blocks(answer) if b.code.strip()]
    if blocks:
        tagged = [b for b in blocks if b.lang and language.startswith(b.lang[:2])]
        code = (tagged or blocks)[0].code.strip("\n") + "\n"
        return repaired(code, "took the code out of its fences") if code.strip() != answer.strip() else None
    lines = answer.strip("\n").split("\n")
    if language == "python":
        source = repaired_source(answer)
        if isinstance(source, str) and source.strip() != answer.strip():
            return repaired(source.strip("\n") + "\n", "dropped the prose around the code")
        return None
    start = next((i for i, line in enumerate(lines) if _CODE_START.match(line)), None)
    if start is None:
        return None
    end = max((i for i, line in enumerate(lines) if line.strip() in ("}", "};")), default=len(lines) - 1)
    if end < start:
        return None
    code = "\n".join(lines[start : end + 1]).strip("\n") + "\n"
    return repaired(code, "dropped the prose around the code") if code.strip() != answer.strip() else None


def defined_functions(code: str, language: str) -> list[str]:
    """Names of the functions (methods) that ``code`` defines, in order, without repeats: the
    ``definitions`` pattern of the language's translate rules (a typed definition, as in Java,
    for a language without rules)."""
    entry = languages.lookup(language)
    pattern = entry.translate.definitions if entry and entry.translate else TYPED_DEFINITIONS
    found = []
    for m in re.finditer(pattern, code, re.MULTILINE):
        name, head = m.group("name"), (m.groupdict().get("type") or "").rsplit(":", 1)[-1]
        if "type" not in m.re.groupindex or (
            name not in _CONTROL and name not in _NOT_TYPES and head not in _NOT_TYPES
        ):
            found.append(name)
    return list(dict.fromkeys(n for n in found if n != "main"))


def rename_function(code: str, expected: str, language: str) -> Repaired | None:
    """``code`` with its one function renamed to ``expected`` (calls to it too, e.g. recursion),
    when it defines exactly one function and that under another name."""
    names = defined_functions(code, language)
    if len(names) != 1 or names[0] == expected:
        return None
    old = names[0]
    if re.search(rf"\b{re.escape(expected)}\b", code):
        return None  # the expected name means something else in this answer: renaming would clash
    renamed = re.sub(rf"(?<![\w.$]){re.escape(old)}\b(?=\s*[<(])", expected, code)
    renamed = re.sub(rf"(?<=\.){re.escape(old)}\b(?=\s*\()", expected, renamed)  # this.old(...), Self::old
    renamed = re.sub(rf"(?<=::){re.escape(old)}\b", expected, renamed)
    return repaired(renamed, f"renamed `{old}` to `{expected}`") if renamed != code else None


def top_level_parts(text: str) -> list[str]:
    """``text`` split at its commas outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return parts + [text[start:].strip()]


def closing_bracket(text: str, start: int) -> int:
    """The index of the bracket closing the one at ``start``; -1 when it is not closed."""
    depth = 0
    for i in range(start, len(text)):
        depth += 1 if text[i] in "([{" else -1 if text[i] in ")]}" else 0
        if depth == 0:
            return i
    return -1


_RETURN = re.compile(r"\breturn\s+([^;]*);")


def tuple_return_as_array(code: str, array_type: str) -> Repaired | None:
    """Python's ``return (a, b, c);`` (or ``return a, b, c;``) in a method declared to return
    ``array_type`` (e.g. ``double[]``), written as ``return new double[]{a, b, c};``."""

    def fix(m: re.Match[str]) -> str:
        value = m.group(1).strip()
        wrapped = value.startswith("(") and value.endswith(")") and closing_bracket(value, 0) == len(value) - 1
        parts = top_level_parts(value[1:-1] if wrapped else value)
        if len(parts) < 2 or not all(parts):
            return m.group(0)
        return f"return new {array_type}{{{', '.join(parts)}}};"

    fixed = _RETURN.sub(fix, code)
    return repaired(fixed, f"wrote the returned tuple as `new {array_type}{{...}}`") if fixed != code else None


def repair_translation(code: str, expected: str, language: str, returns: str = "") -> Repaired | None:
    """A translated function's code with the code repairs that apply: prose around it dropped,
    its one function renamed to ``expected``, and a returned tuple written as an array when the
    method (signature written by codex) returns ``returns``, an array type."""
    repairs: list[Callable[[str], Repaired | None]] = [
        lambda c: code_of_chatty(c, language),
        lambda c: rename_function(c, expected, language),
    ]
    if returns.endswith("[]"):
        repairs.append(lambda c: tuple_return_as_array(c, returns))
    return chain(code, repairs)
