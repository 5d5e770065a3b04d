"""Repair before reject, for docstrings: the repairs of a near-miss docstring. Pure functions.

A placeholder line left in (``<what x is>``), a paragraph said twice, an Args section naming a
parameter the function does not have (or missing one the text describes), a docstring past the
length limit: each repair returns the repaired text and a ``repaired: ...`` note, or None when it
does not apply; ``repair_docstring`` chains them. The caller runs the result through the same
gates as any answer. What a repair is, and the repairs of a code answer: tasks/repair.py.
"""

from __future__ import annotations

import re

from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.docstyle import MAX_CHARS, MAX_LINES, MAX_SUMMARY_CHARS
from codexcli.tasks.repair import Repaired, chain, repaired

_PLACEHOLDER = re.compile(r"<(what|one line|optionally)\b[^>]*>")
_GOOGLE_PARAMS = ("Args", "Arguments", "Parameters", "Params", "Keyword Args", "Keyword Arguments")
_GOOGLE_TITLE = re.compile(r"^([A-Z][A-Za-z ]+):\s*$")
_GOOGLE_KEEP = {*_GOOGLE_PARAMS, "Returns", "Return", "Yields", "Yield", "Raises"}
_AFTER_ARGS = {"Returns", "Return", "Yields", "Yield", "Raises", "Examples", "Example", "Notes", "Note"}
_NUMPY_KEEP = {"Parameters", "Other Parameters", "Returns", "Yields", "Raises"}


def drop_placeholders(doc: str) -> Repaired | None:
    """``doc`` without the lines that still hold a template placeholder (``<what x is>``)."""
    lines = doc.split("\n")
    kept = [line for line in lines if not _PLACEHOLDER.search(line)]
    if len(kept) == len(lines):
        return None
    text = _tidy("\n".join(kept))
    return repaired(text, f"dropped {len(lines) - len(kept)} placeholder line(s)") if text.strip() else None


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
    return repaired(_tidy(text), "cut the docstring to its summary and sections")


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
    return repaired(fixed, "; ".join(dict.fromkeys(notes)))


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
    return repaired("\n\n".join(kept), f"dropped {len(blocks) - len(kept)} repeated paragraph(s)")


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
    return repaired(_tidy(text), f"Args built from the text given for {', '.join(names)}")


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
