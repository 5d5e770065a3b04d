"""Docstring styles and the quality gates every generated docstring must pass. Pure functions.

Small models often echo the function back instead of describing it, invent parameters, forget
one, or promise a return value that a procedure never gives. Each gate returns a ParseError
whose reason is short enough to feed back to the model on a retry.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections import Counter
from typing import Any

from codexcli.answers import ParseError
from codexcli.splice.docstring import DocTarget

STYLES = ("google", "numpy", "rest", "plain")
DEFAULT_STYLE = "google"

MAX_SUMMARY_CHARS = 120
MAX_LINES = 40
MAX_CHARS = 2000

_GOOGLE_PARAM_TITLES = ("Args", "Arguments", "Parameters", "Params", "Keyword Args", "Keyword Arguments")
_GOOGLE_RETURNS = re.compile(r"^(Returns?):\s*(.*)$")
_GOOGLE_ANY = re.compile(
    r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Returns?|Yields?|Raises|Examples?|Notes?|Attributes|See Also|Warnings?|Todo):\s*$"
)
_NUMPY_HEADER = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\s*$", re.MULTILINE)
_REST_PARAM = re.compile(r"^:param\s+(?:[^:]*\s)?\*{0,2}(\w+)\s*:", re.MULTILINE)
_REST_RETURNS = re.compile(r"^:(returns?|rtype)\s*:", re.MULTILINE)
_REST_ANY = re.compile(r"^:(param|type|returns?|rtype|raises?|yields?)\b", re.MULTILINE)


def detect_style(docstrings: list[str]) -> str | None:
    """The structured style most of ``docstrings`` use (None when none is structured)."""
    counts: Counter[str] = Counter()
    for doc in docstrings:
        if _NUMPY_HEADER.search(doc):
            counts["numpy"] += 1
        elif _REST_ANY.search(doc):
            counts["rest"] += 1
        elif any(_GOOGLE_ANY.match(line) for line in doc.splitlines()):
            counts["google"] += 1
    if not counts:
        return None
    # Ties go to the order of STYLES, so the result does not depend on file order.
    best = max(counts.values())
    return next(s for s in STYLES if counts.get(s) == best)


def template(style: str, target: DocTarget) -> str:
    """The shape the docstring must have, shown to the model (placeholders in angle brackets)."""
    summary = "<one line: what it does>"
    if target.kind not in ("function", "method") or style == "plain":
        return summary + "\n\n<optionally one or two more sentences>"
    params, returns = target.params, target.returns_value
    yields = target.is_generator
    out = [summary]
    if style == "google":
        if params:
            out += ["", "Args:", *[f"    {p}: <what {p} is>" for p in params]]
        if returns:
            out += ["", "Returns:", "    <what it returns>"]
        elif yields:
            out += ["", "Yields:", "    <what it yields>"]
    elif style == "numpy":
        if params:
            out += ["", "Parameters", "----------"]
            for p in params:
                out += [f"{p}", f"    <what {p} is>"]
        if returns:
            out += ["", "Returns", "-------", "    <what it returns>"]
        elif yields:
            out += ["", "Yields", "------", "    <what it yields>"]
    elif style == "rest":
        if params or returns:
            out.append("")
        out += [f":param {p}: <what {p} is>" for p in params]
        if returns:
            out.append(":returns: <what it returns>")
    return "\n".join(out)


# The worked example of prompts/comment.toml: `def area(width, height): return width * height`.
_EXAMPLE: dict[str, Any] = {
    "summary": "Compute the area of a rectangle.",
    "params": {"width": "The width of the rectangle.", "height": "The height of the rectangle."},
    "returns": "The width multiplied by the height.",
    "more": "It multiplies the two sides.",
}


def words_of(text: str) -> str:
    """``text`` as lower-case words and numbers joined by single spaces (for comparing prose)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# Words only the worked example has reason to use: in a docstring of code that never mentions
# them, they were copied from the example ("Compute the RGB of a rectangle.").
_EXAMPLE_WORDS = ("rectangle", "width", "height")


def copies_example(text: str, code: str = "") -> str | None:
    """The worked example's sentence that ``text`` repeats, or None. A small model copies the
    example's words (`The width of the rectangle.`) where it should describe its own target.
    With ``code`` (the target's), also the example's own words when ``code`` never uses them."""
    squashed = words_of(text)
    phrases = [_EXAMPLE["summary"], _EXAMPLE["returns"], _EXAMPLE["more"], *_EXAMPLE["params"].values()]
    if code:
        phrases += [w for w in _EXAMPLE_WORDS if w not in code.lower()]
    return next((p for p in phrases if f" {words_of(p)} " in f" {squashed} "), None)


def example_target() -> DocTarget:
    """The target of the prompt's worked example."""
    code = "def area(width, height):\n    return width * height\n"
    return DocTarget(
        1, "function", "area", "area", 1, 1, 2, ("width", "height"), False, True, False, None, False, code, ""
    )


def example_answer(style: str) -> str:
    """The worked example's docstring, in ``style``: it must pass ``check_docstring`` itself."""
    lines = template(style, example_target()).split("\n")
    out = []
    for line in lines:
        if line.startswith("<one line"):
            out.append(_EXAMPLE["summary"])
        elif "<optionally" in line:
            out.append(_EXAMPLE["more"])
        elif "<what it returns>" in line:
            out.append(line.replace("<what it returns>", _EXAMPLE["returns"]))
        else:
            for name, text in _EXAMPLE["params"].items():
                line = line.replace(f"<what {name} is>", text)
            out.append(line)
    return "\n".join(out)


def clean_answer(answer: str) -> str:
    """The docstring text of a model's answer: between the quotes, code fences dropped,
    dedented like Python does (inspect.cleandoc)."""
    text = answer.strip()
    text = re.sub(r"^[rRuU]?(\"\"\"|''')", "", text)
    for quote in ('"""', "'''"):
        cut = text.find(quote)
        if cut != -1:
            text = text[:cut]
    text = text.replace("\r\n", "\n").expandtabs(4)
    return inspect.cleandoc(text).strip()


def _google_sections(lines: list[str]) -> dict[str, list[str]]:
    """Section title -> its indented lines (Google style: ``Args:`` then indented entries)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        match = _GOOGLE_ANY.match(line) or _GOOGLE_RETURNS.match(line)
        if match and not line.startswith((" ", "\t")):
            current = sections.setdefault(match.group(1), [])
            if match.lastindex and match.lastindex > 1 and match.group(2).strip():
                current.append("    " + match.group(2))  # "Returns: the sum" on one line
            continue
        if current is not None and line.strip() and not line.startswith((" ", "\t")):
            current = None  # prose after a section ends it
        if current is not None:
            current.append(line)
    return sections


def _numpy_sections(lines: list[str]) -> dict[str, list[str]]:
    """Section title -> its lines (NumPy style: a title underlined with dashes)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and re.match(r"^\s*-{3,}\s*$", lines[i + 1]):
            current = sections.setdefault(lines[i].strip(), [])
            i += 2
            continue
        if current is not None:
            current.append(lines[i])
        i += 1
    return sections


def _entry_names(entries: list[str], split: str) -> list[str]:
    """Names of the least-indented entries of a section (``x (int): ...`` / ``x, y : int``)."""
    filled = [e for e in entries if e.strip()]
    if not filled:
        return []
    level = min(_indent(e) for e in filled)
    names = []
    for entry in filled:
        if _indent(entry) != level:
            continue
        head = entry.strip().split(split, 1)[0] if split in entry else entry.strip()
        for part in head.split(","):
            part = re.sub(r"\(.*\)", "", part).strip().lstrip("*")
            if part:
                names.append(part.split()[0])
    return names


def _section_lines(doc: str, style: str) -> tuple[list[str] | None, bool]:
    """(the names a parameters section documents, or None when there is none; whether a
    Returns section is present), read in ``style``."""
    lines = doc.splitlines()
    if style == "google":
        sections = _google_sections(lines)
        params = [n for t in _GOOGLE_PARAM_TITLES if t in sections for n in _entry_names(sections[t], ":")]
        has_params = any(t in sections for t in _GOOGLE_PARAM_TITLES)
        return (params if has_params else None), ("Returns" in sections or "Return" in sections)
    if style == "numpy":
        sections = _numpy_sections(lines)
        has_params = "Parameters" in sections or "Other Parameters" in sections
        params = [
            n for t in ("Parameters", "Other Parameters") if t in sections for n in _entry_names(sections[t], ":")
        ]
        return (params if has_params else None), "Returns" in sections
    if style == "rest":
        found = _REST_PARAM.findall(doc)
        return (found if found else None), bool(_REST_RETURNS.search(doc))
    return None, False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_CODE_NODES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Return,
    ast.Assign,
    ast.AugAssign,
    ast.Import,
    ast.ImportFrom,
    ast.If,
    ast.For,
    ast.While,
    ast.With,
    ast.Raise,
    ast.Try,
)


def looks_like_code(line: str) -> bool:
    """True when ``line`` reads as a Python statement (a def, return, import, assignment...)."""
    stripped = line.strip()
    if not stripped or stripped.startswith((">>>", "...")):
        return False
    if re.match(
        r"^(async\s+)?def\s+\w+\s*\(|^class\s+\w+|^return\b|^import\s+\w|^from\s+\w+\s+import\b|^@\w", stripped
    ):
        return True
    candidate = stripped[:-1] + ": pass" if stripped.endswith(":") else stripped
    try:
        tree = ast.parse(candidate)
    except SyntaxError:
        return False
    return bool(tree.body) and isinstance(tree.body[0], _CODE_NODES)


def check_docstring(doc: str, target: DocTarget, style: str) -> str | ParseError:
    """``doc`` when it passes every gate for ``target`` in ``style``; else why not."""
    if not doc.strip():
        return ParseError("the docstring is empty")
    lines = doc.splitlines()
    summary = lines[0].strip()
    if re.search(r"<(what|one line|optionally)\b[^>]*>", doc):
        return ParseError("the docstring still has <...> placeholders; replace each with English words")
    if "Answer with only" in doc or "Write the docstring for" in doc:
        return ParseError("the docstring repeats the instructions; write only the docstring")
    if "```" in doc:
        return ParseError("the docstring contains a code block; write prose")
    if target.code != example_target().code and (copied := copies_example(doc)):
        return ParseError(f"the docstring copies the worked example ({copied!r}); describe `{target.name}` itself")
    signature = re.sub(r"\s+", "", target.code.split("\n", 1)[0].lstrip("@").rstrip(":"))
    squashed = re.sub(r"\s+", "", summary).rstrip(".:")
    if target.kind in ("function", "method", "class") and (
        squashed.startswith(("def", "asyncdef", "class"))
        and target.name in squashed
        or squashed == signature
        or re.fullmatch(rf"{re.escape(target.name)}\(.*\)(->.*)?", squashed)
    ):
        return ParseError("the docstring repeats the signature; describe what it does in words")
    prose_lines = [l for l in lines if l.strip() and not re.match(r"^\s*(:\w|[-=]{3,})", l)]
    code_lines = [l for l in prose_lines if looks_like_code(l)]
    if looks_like_code(summary) or len(code_lines) * 3 > len(prose_lines):
        return ParseError("the docstring is code, not prose; describe the code in words")
    words = re.findall(r"[A-Za-z_]\w*", summary)
    if len(words) < 2:
        return ParseError("the summary line needs a sentence of at least two words")
    if len(summary) > MAX_SUMMARY_CHARS:
        return ParseError(f"the summary line is {len(summary)} characters; keep it under {MAX_SUMMARY_CHARS}")
    if len(lines) > MAX_LINES or len(doc) > MAX_CHARS:
        return ParseError(f"the docstring is too long (limit {MAX_LINES} lines, {MAX_CHARS} characters)")
    return _check_sections(doc, target, style)


def _check_sections(doc: str, target: DocTarget, style: str) -> str | ParseError:
    if style == "plain":
        if any(_GOOGLE_ANY.match(l) for l in doc.splitlines()) or _NUMPY_HEADER.search(doc) or _REST_ANY.search(doc):
            return ParseError("plain style: write prose only, without Args/Returns sections")
        return doc
    names, returns = _section_lines(doc, style)
    is_function = target.kind in ("function", "method")
    if not is_function:
        if names is not None or returns:
            return ParseError(f"a {target.kind} docstring has no parameters or returns section")
        return doc
    real = list(target.params)
    if names is None:
        names = []
        other = [s for s in STYLES if s not in (style, "plain") and _section_lines(doc, s)[0]]
        if other:
            return ParseError(f"write the parameters in {style} style, not {other[0]} style")
    documented = [n for n in names if n not in ("self", "cls")]
    invented = [n for n in documented if n not in real]
    missing = [p for p in real if p not in documented]
    section = {"google": "Args", "numpy": "Parameters", "rest": ":param"}[style]
    if invented:
        return ParseError(
            f"the {section} section names {', '.join(invented)}, which {target.name} does not have "
            f"(its parameters: {', '.join(real) or 'none'})"
        )
    if missing:
        return ParseError(f"the {section} section must name every parameter; missing: {', '.join(missing)}")
    if returns and not target.returns_value:
        return ParseError(f"{target.name} returns no value, so the docstring must not have a Returns section")
    return doc
