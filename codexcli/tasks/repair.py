"""Repair before reject: deterministic fixes of near-miss answers. Pure functions.

A small model's answer is often right in substance and wrong in a way a rule can fix: the
translation defines the function under another name, the docstring runs past the length limit
with an example section, the Args section names a parameter the function does not have, a
``<what x is>`` placeholder line was left in, or the code is wrapped in chat. Each repair here
returns the repaired text and a ``repaired: ...`` note, or None when it does not apply. Nothing
here judges the result: the caller runs the repaired text through the same gate as any answer,
and reports the note only when the gate passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from codexcli import languages
from codexcli.answers import code_blocks, repaired_source
from codexcli.langspec import TYPED_DEFINITIONS
from codexcli.splice.docstring import DocTarget
from codexcli.tasks.docstyle import MAX_CHARS, MAX_LINES, MAX_SUMMARY_CHARS

_PLACEHOLDER = re.compile(r"<(what|one line|optionally)\b[^>]*>")
_GOOGLE_PARAMS = ("Args", "Arguments", "Parameters", "Params", "Keyword Args", "Keyword Arguments")
_GOOGLE_TITLE = re.compile(r"^([A-Z][A-Za-z ]+):\s*$")
_GOOGLE_KEEP = {*_GOOGLE_PARAMS, "Returns", "Return", "Yields", "Yield", "Raises"}
_AFTER_ARGS = {"Returns", "Return", "Yields", "Yield", "Raises", "Examples", "Example", "Notes", "Note"}
_NUMPY_KEEP = {"Parameters", "Other Parameters", "Returns", "Yields", "Raises"}
# Words that can stand before "name(" in a brace language without declaring a function (a
# definitions pattern with a ``type`` group: langspec.TranslateRules.definitions).
_NOT_TYPES = {"return", "new", "else", "throw", "case", "await", "yield", "delete", "typeof", "in", "of", "do", "goto"}
_CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "synchronized", "foreach", "using"}


@dataclass(frozen=True)
class Repaired:
    """A repaired answer and what was done to it (``note`` starts with "repaired:")."""

    text: str
    note: str


def _repaired(text: str, what: str) -> Repaired:
    return Repaired(text, f"repaired: {what}")


def chain(text: str, repairs: Sequence[Callable[[str], Repaired | None]]) -> Repaired | None:
    """Apply each repair that applies, in order; one Repaired with all the notes, or None."""
    notes: list[str] = []
    for repair in repairs:
        fixed = repair(text)
        if fixed is not None and fixed.text != text:
            text = fixed.text
            notes.append(fixed.note.removeprefix("repaired: "))
    return _repaired(text, "; ".join(notes)) if notes else None


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
        return _repaired(code, "took the code out of its fences") if code.strip() != answer.strip() else None
    lines = answer.strip("\n").split("\n")
    if language == "python":
        source = repaired_source(answer)
        if isinstance(source, str) and source.strip() != answer.strip():
            return _repaired(source.strip("\n") + "\n", "dropped the prose around the code")
        return None
    start = next((i for i, line in enumerate(lines) if _CODE_START.match(line)), None)
    if start is None:
        return None
    end = max((i for i, line in enumerate(lines) if line.strip() in ("}", "};")), default=len(lines) - 1)
    if end < start:
        return None
    code = "\n".join(lines[start : end + 1]).strip("\n") + "\n"
    return _repaired(code, "dropped the prose around the code") if code.strip() != answer.strip() else None


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
    return _repaired(renamed, f"renamed `{old}` to `{expected}`") if renamed != code else None


# Docstrings ------------------------------------------------------------------------------------


def drop_placeholders(doc: str) -> Repaired | None:
    """``doc`` without the lines that still hold a template placeholder (``<what x is>``)."""
    lines = doc.split("\n")
    kept = [line for line in lines if not _PLACEHOLDER.search(line)]
    if len(kept) == len(lines):
        return None
    text = _tidy("\n".join(kept))
    return _repaired(text, f"dropped {len(lines) - len(kept)} placeholder line(s)") if text.strip() else None


def _tidy(text: str) -> str:
    """Blank lines collapsed to one, none at the ends, no empty section left behind."""
    text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip("\n")
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if _GOOGLE_TITLE.match(line) and line.rstrip(":").strip() in _GOOGLE_KEEP:
            body = next((l for l in lines[i + 1 :] if l.strip()), None)
            if body is None or not body.startswith((" ", "\t")):
                continue  # a title with nothing under it
        out.append(line)
    spaced: list[str] = []
    for line in out:  # a section title gets a blank line before it
        if spaced and spaced[-1].strip() and _GOOGLE_TITLE.match(line) and line.rstrip(":").strip() in _GOOGLE_KEEP:
            spaced.append("")
        spaced.append(line)
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", "\n".join(spaced)).strip("\n")


def _google_blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """The docstring as (section title or None for prose, lines) blocks, in order."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        match = _GOOGLE_TITLE.match(line)
        if match and not line.startswith((" ", "\t")):
            blocks.append((match.group(1).strip(), [line]))
        elif blocks[-1][0] is not None and line.strip() and not line.startswith((" ", "\t")):
            blocks.append((None, [line]))  # prose after a section ends it
        else:
            blocks[-1][1].append(line)
    return [b for b in blocks if b[1]]


def _numpy_blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and re.match(r"^\s*-{3,}\s*$", lines[i + 1]):
            blocks.append((lines[i].strip(), [lines[i], lines[i + 1]]))
            i += 2
            continue
        blocks[-1][1].append(lines[i])
        i += 1
    return [b for b in blocks if b[1]]


def _first_sentence(summary: str) -> str:
    match = re.match(r"^(.+?[.!?])(\s|$)", summary)
    return match.group(1) if match else summary


def cut_to_sections(doc: str, style: str) -> Repaired | None:
    """A docstring over the limits cut to its summary and its parameter/return sections: extra
    prose paragraphs, examples and notes go; a long summary is cut to its first sentence; if
    still too long, each entry keeps its first line."""
    lines = doc.split("\n")
    if len(lines) <= MAX_LINES and len(doc) <= MAX_CHARS and len(lines[0].strip()) <= MAX_SUMMARY_CHARS:
        return None
    summary = _first_sentence(lines[0].strip())
    if style == "rest":
        kept = [l for l in lines[1:] if re.match(r"^:(param|type|returns?|rtype|raises?)\b", l)]
        sections = [("", kept)] if kept else []
    else:
        blocks = _numpy_blocks(lines[1:]) if style == "numpy" else _google_blocks(lines[1:])
        keep = _NUMPY_KEEP if style == "numpy" else _GOOGLE_KEEP
        sections = [(title, body) for title, body in blocks if title in keep]
    text = "\n\n".join([summary] + ["\n".join(body).strip("\n") for _, body in sections])
    if len(text.split("\n")) > MAX_LINES or len(text) > MAX_CHARS:
        entry_level = [l for l in text.split("\n") if not l.startswith((" ", "\t")) or len(l) - len(l.lstrip()) <= 4]
        text = "\n".join(entry_level)
    if len(summary) > MAX_SUMMARY_CHARS or text == doc:
        return None
    return _repaired(_tidy(text), "cut the docstring to its summary and sections")


def _norm(name: str) -> str:
    return re.sub(r"[`*\s]", "", name).lower()


def reconcile_params(doc: str, target: DocTarget, style: str) -> Repaired | None:
    """The parameter section made to name exactly the real parameters where the model wrote
    text for them: entries for parameters the function does not have are dropped, an entry
    spelt differently (``X``, ```x```, ``*x``) is renamed, and a Returns section of a function
    that returns nothing is dropped. A parameter with no entry at all stays missing (the gate
    then rejects: there is no text to keep)."""
    if target.kind not in ("function", "method") or style == "plain":
        return None
    real = {_norm(p): p for p in target.params}
    notes: list[str] = []
    lines = doc.split("\n")
    if style == "rest":
        out = []
        skip = False
        for line in lines:
            m = re.match(r"^:(param|type)\s+(?:[^:]*\s)?([`*]*\w+[`]*)\s*:", line)
            if m:
                name = _norm(m.group(2))
                skip = name not in real and name not in ("self", "cls")
                if skip:
                    notes.append(f"dropped `{m.group(2)}`")
                    continue
                line = line.replace(m.group(2), real.get(name, m.group(2)), 1)
            elif re.match(r"^:(returns?|rtype)\s*:", line):
                skip = not target.returns_value
                if skip:
                    notes.append("dropped Returns")
                    continue
            elif line.startswith(":"):
                skip = False
            elif skip and line.startswith((" ", "\t")):
                continue
            else:
                skip = False
            out.append(line)
        fixed = _tidy("\n".join(out))
    else:
        blocks = _numpy_blocks(lines) if style == "numpy" else _google_blocks(lines)
        params_titles = ("Parameters", "Other Parameters") if style == "numpy" else _GOOGLE_PARAMS
        out_blocks: list[str] = []
        for title, body in blocks:
            if title in ("Returns", "Return") and not target.returns_value:
                notes.append("dropped the Returns section (the function returns nothing)")
                continue
            if title in params_titles:
                head = 2 if style == "numpy" else 1
                body = body[:head] + _reconcile_entries(body[head:], real, notes)
            out_blocks.append("\n".join(body))
        fixed = _tidy("\n".join(out_blocks))
    if not notes or fixed == doc or not fixed.strip():
        return None
    return _repaired(fixed, "; ".join(dict.fromkeys(notes)))


def _reconcile_entries(entries: list[str], real: dict[str, str], notes: list[str]) -> list[str]:
    """The entries of one parameter section, invented ones dropped and misspelt ones renamed."""
    filled = [e for e in entries if e.strip()]
    if not filled:
        return entries
    level = min(len(e) - len(e.lstrip()) for e in filled)
    out: list[str] = []
    keep = True
    for entry in entries:
        indent = len(entry) - len(entry.lstrip())
        if entry.strip() and indent == level:
            head = re.split(r"[:(]", entry.strip(), maxsplit=1)[0]
            names = [n.strip() for n in head.split(",") if n.strip()]
            known = [real[_norm(n)] for n in names if _norm(n) in real]
            keep = bool(known) or any(_norm(n) in ("self", "cls") for n in names)
            if not keep:
                notes.append(f"dropped `{head.strip()}` (not a parameter)")
                continue
            if known != names:
                fixed_head = ", ".join(known)
                notes.append(f"renamed `{head.strip()}` to `{fixed_head}`")
                entry = entry[:indent] + fixed_head + entry.strip()[len(head.rstrip()) :]
        elif not keep:
            continue
        out.append(entry)
    return out


def drop_repeats(doc: str) -> Repaired | None:
    """``doc`` with paragraphs that repeat an earlier one removed (a looping model writes the
    same paragraph or section again and again), and a last paragraph cut off in the middle of
    such a repeat."""
    blocks = re.split(r"\n\s*\n", doc.strip("\n"))
    kept: list[str] = []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        key = block.strip()
        last = i == len(blocks) - 1
        if key in seen or last and kept and any(k.startswith(key) for k in seen if k != key):
            continue
        seen.add(key)
        kept.append(block)
    if len(kept) == len(blocks):
        return None
    return _repaired("\n\n".join(kept), f"dropped {len(blocks) - len(kept)} repeated paragraph(s)")


def params_from_prose(doc: str, target: DocTarget, style: str) -> Repaired | None:
    """A parameter section built from what the model wrote about each parameter elsewhere: a
    parameter missing from the section, but described on a line of its own (``H: position in
    the spectrum``, ``- s: the saturation``), gets that text as its entry. Parameters with no
    such line stay missing."""
    if target.kind not in ("function", "method") or style not in ("google", "rest") or not target.params:
        return None
    lines = doc.split("\n")
    section = _google_blocks(lines[1:])
    documented = {
        _norm(re.split(r"[:(]", l.strip(), maxsplit=1)[0])
        for title, body in section
        if title in _GOOGLE_PARAMS
        for l in body[1:]
        if l.strip()
    } | {_norm(n) for n in re.findall(r"^:param\s+(?:[^:]*\s)?(\w+)\s*:", doc, re.MULTILINE)}
    missing = {_norm(p): p for p in target.params if _norm(p) not in documented}
    found: dict[str, str] = {}
    drop: set[int] = set()
    in_params = False
    for i, line in enumerate(lines[1:], start=1):
        title = _GOOGLE_TITLE.match(line)
        if title and not line.startswith((" ", "\t")):
            in_params = title.group(1).strip() in _GOOGLE_PARAMS
            continue
        m = re.match(r"^\s*[-*]?\s*`?(\w+)`?\s*(\([^)]*\))?\s*[:\-\u2013]\s+(\S.*)$", line)
        if in_params or not m or _norm(m.group(1)) not in missing or _norm(m.group(1)) in found:
            continue
        found[_norm(m.group(1))] = m.group(3).strip()
        drop.add(i)
    if not found:
        return None
    kept = [l for i, l in enumerate(lines) if i not in drop]
    names = [missing[k] for k in missing if k in found]
    if style == "rest":
        entries = [f":param {n}: {found[_norm(n)]}" for n in names]
        text = _tidy("\n".join(kept)) + "\n\n" + "\n".join(entries)
    else:
        entries = [f"    {n}: {found[_norm(n)]}" for n in names]
        text = _insert_args(_tidy("\n".join(kept)), entries)
    return _repaired(_tidy(text), f"Args built from the text given for {', '.join(names)}")


def _insert_args(doc: str, entries: list[str]) -> str:
    """``doc`` with ``entries`` added to its Args section (made before Returns/Raises if none)."""
    lines = doc.split("\n")
    for i, line in enumerate(lines):
        if line.rstrip(":").strip() in _GOOGLE_PARAMS and line.rstrip().endswith(":") and not line.startswith(" "):
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) and lines[end].strip()):
                end += 1
            return "\n".join(lines[:end] + entries + lines[end:])
    at = next((i for i, l in enumerate(lines) if i > 0 and l.rstrip(":").strip() in _AFTER_ARGS), len(lines))
    before = "\n".join(lines[:at]).rstrip("\n")
    after = "\n".join(lines[at:]).strip("\n")
    return before + "\n\nArgs:\n" + "\n".join(entries) + ("\n\n" + after if after else "")


def repair_docstring(doc: str, target: DocTarget, style: str) -> Repaired | None:
    """Every docstring repair that applies, in order: placeholders, repeats, parameters
    (invented dropped, missing ones from the model's own text), then length."""
    return chain(
        doc,
        [
            drop_placeholders,
            drop_repeats,
            lambda d: reconcile_params(d, target, style),
            lambda d: params_from_prose(d, target, style),
            lambda d: cut_to_sections(d, style),
        ],
    )


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
    return _repaired(fixed, f"wrote the returned tuple as `new {array_type}{{...}}`") if fixed != code else None


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
