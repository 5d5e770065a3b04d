"""A docstring's claims checked against the code it documents: its meaning, not only its shape.

The shape gates (tasks/comment/docstyle.py) let through fluent docstrings of some other
function. These checks read what a docstring claims and hold it against the code:

* **grounded**: the summary's content words are found in the code (tasks/comment/grounding.py);
  a module's or a class's docstring too;
* **raises**: every exception a ``Raises`` section (or "raises X" in the prose) names can be
  raised by the body (tasks/comment/codefacts.py);
* **sentence**, **repetition**, **literals**, **raises complete** (tasks/comment/claims.py):
  the summary is a sentence; no words loop; quoted values are the code's; every exception the body raises itself is named;
* **returns**: a ``Returns`` claim of a boolean ("True if ...", ``bool``), a list, a dict or a
  string agrees with what the return statements give; a summary that says it returns something
  is not about a function that returns nothing.

(The parameters are the shape gates' business: a docstring reaching these checks names exactly
the real ones.) ``check_meaning`` runs them all: the first failure, or the list of checks that
passed, which becomes the docstring's evidence facts (codexcli/evidence.py, level "meaning").
Further checks (the reviewer score) plug in as ``MeaningCheck`` callables.
"""

from __future__ import annotations

import ast
import builtins
import re
import textwrap
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Callable, Sequence

from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.claims import (
    check_literals,
    check_raises_complete,
    check_repetition,
    check_sentence,
)
from codexcli.tasks.comment.codefacts import can_raise, function_node, raise_facts, return_kinds
from codexcli.tasks.comment.docstyle import _google_sections, _numpy_sections
from codexcli.tasks.comment.grounding import Grounding, anchored, ground, vocabulary

_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*$")
_PROSE_RAISES = re.compile(r"\braises?\s+(?:an?\s+)?`*([A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration))")
_REST_RAISES = re.compile(r"^:raises?\s+([^:]+):", re.MULTILINE)
_REST_RETURNS = re.compile(r"^:(?:returns?|rtype):\s*(.*)$", re.MULTILINE)
# What a returned-value description claims, by its first words.
_CLAIMS = (
    ("bool", re.compile(r"^\(?(bool|boolean)\b|^(true|false)\b|^whether\b|^`?true`? (if|when|iff)\b")),
    ("list", re.compile(r"^\(?(list|list\[)|^(a|the|new|sorted)( new| sorted)* list\b")),
    ("dict", re.compile(r"^\(?(dict|dict\[)|^(a|the|new)( new)* dict(ionary)?\b")),
    ("str", re.compile(r"^\(?(str|string)\b|^(a|the|new)( new)* string\b")),
)
_ACCEPTS = {"bool": {"bool"}, "list": {"list"}, "dict": {"dict"}, "str": {"str", "bytes"}}
_SUMMARY_CLAIMS = re.compile(r"^returns?\s+(true|whether)\b", re.IGNORECASE)
_SUMMARY_RETURNS = re.compile(r"^(returns?|gets?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Meaning:
    """The verdict of the meaning checks: ``failure`` (why not, fed back to the model) or None,
    and the checks that ran and passed, in words."""

    failure: str | None
    passed: tuple[str, ...] = ()
    failed: str = ""  # which check failed: "grounded", "raises", "returns", or an extra check's

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def facts(self) -> str:
        """The passed checks as the evidence's facts."""
        return "; ".join(self.passed)


# A further meaning check (the hook where the reviewer score, tasks/comment/reviewer.py, plugs
# in: comment_source(meaning_checks=[...])): (docstring, target) -> (why it fails, or None; the
# fact to report when it passed). Its ``__name__`` names it in ``Meaning.failed``.
MeaningCheck = Callable[[str, DocTarget], "tuple[str | None, str]"]


def summary_of(doc: str) -> str:
    """The summary line of a docstring."""
    return doc.strip().split("\n", 1)[0].strip()


def summary_grounding(summary: str, target: DocTarget, source: str, path: str = "") -> Grounding:
    """The grounding of ``summary`` in ``target``'s code (the whole ``source`` for the module)."""
    if target.kind == "module":
        names: tuple[str, ...] = (PurePath(path).stem,) if path else ()
        return ground(summary, vocabulary(source, names))
    return ground(summary, vocabulary(target.code, tuple(target.qualname.split("."))))


def raised_names(doc: str, style: str) -> list[str]:
    """The exception names a docstring says are raised (its Raises section and "raises X")."""
    names: list[str] = []
    lines = doc.split("\n")
    if style == "google":
        entries = _google_sections(lines).get("Raises", [])
        names += _entry_heads(entries)
    elif style == "numpy":
        names += _entry_heads(_numpy_sections(lines).get("Raises", []))
    elif style == "rest":
        names += [n.strip() for m in _REST_RAISES.findall(doc) for n in m.split(",")]
    names += _PROSE_RAISES.findall(doc)
    out = []
    for name in names:
        name = name.strip("`* ").split(".")[-1]
        if _EXCEPTION.match(name) and name[:1].isupper() and name not in out and _looks_like_exception(name):
            out.append(name)
    return out


def _entry_heads(entries: list[str]) -> list[str]:
    filled = [e for e in entries if e.strip()]
    if not filled:
        return []
    level = min(len(e) - len(e.lstrip()) for e in filled)
    heads = []
    for entry in filled:
        if len(entry) - len(entry.lstrip()) == level:
            head = re.split(r"[:\s(]", entry.strip(), maxsplit=1)[0]
            heads += [h for h in head.split(",") if h]
    return heads


def _looks_like_exception(name: str) -> bool:
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        return True
    return name.endswith(("Error", "Exception", "Warning", "Exit", "Interrupt")) or name[0].isupper() and len(name) > 2


def returns_text(doc: str, style: str) -> str:
    """The text of a docstring's Returns section ('' when it has none)."""
    lines = doc.split("\n")
    if style == "google":
        sections = _google_sections(lines)
        body = sections.get("Returns", []) + sections.get("Return", [])
    elif style == "numpy":
        body = _numpy_sections(lines).get("Returns", [])
    elif style == "rest":
        body = _REST_RETURNS.findall(doc)
    else:
        body = []
    return " ".join(l.strip() for l in body if l.strip())


def claimed_kind(text: str) -> str | None:
    """The kind of value a Returns text claims ("bool", "list", "dict", "str"), or None."""
    lowered = text.strip().lower().lstrip("`*")
    return next((kind for kind, pattern in _CLAIMS if pattern.match(lowered)), None)


def check_raises(doc: str, target: DocTarget, source: str, style: str) -> tuple[str | None, str]:
    """(why the raised exceptions are wrong, or None; the fact checked)."""
    names = raised_names(doc, style)
    if not names:
        return None, ""
    fn = function_node(target.code)
    if fn is None:
        return None, ""
    facts = raise_facts(fn, source)
    wrong = [n for n in names if not can_raise(n, facts, source)]
    if wrong:
        return (
            f"the docstring says {target.name} raises {', '.join(wrong)}, which its code cannot raise",
            "",
        )
    return None, f"raises {', '.join(names)}: found in the code"


def check_returns(doc: str, target: DocTarget, style: str) -> tuple[str | None, str]:
    """(why the returned value's description is wrong, or None; the fact checked)."""
    fn = function_node(target.code)
    if fn is None or target.is_generator:
        return None, ""
    summary = summary_of(doc)
    kinds = return_kinds(fn)
    if _SUMMARY_RETURNS.match(summary) and not target.returns_value and not _abstract(fn):
        return f"the summary says {target.name} returns something, but it returns nothing", ""
    text = returns_text(doc, style)
    if text and target.kind in ("function", "method"):
        # The description of what it returns is a claim too: every content word must be found in
        # the code ("The escaped value multiplied by the quoted value." for html.escape is not).
        described = ground(text, vocabulary(target.code, tuple(target.qualname.split("."))))
        if described.unfound:
            unfound = ", ".join(repr(w) for w in described.unfound)
            return f"the Returns description's words {unfound} are not in the code of `{target.name}`", ""
    claim = claimed_kind(text) or ("bool" if _SUMMARY_CLAIMS.match(summary) else None)
    if claim is None or not kinds:
        return None, "returns: no claim to check" if not text else ""
    if "unknown" in kinds or kinds & _ACCEPTS[claim]:
        return None, f"returns a {claim}: consistent with its return statements"
    said = ", ".join(sorted(k for k in kinds if k != "none")) or "None"
    return f"the docstring says {target.name} returns a {claim}, but its return statements give {said}", ""


def _abstract(fn: object) -> bool:
    """A body that only raises NotImplementedError, or is ``pass``/``...``: an interface."""
    body = [s for s in getattr(fn, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not body or all(isinstance(s, (ast.Pass, ast.Raise)) for s in body)


def check_grounded(doc: str, target: DocTarget, source: str, path: str = "") -> tuple[str | None, str]:
    """(why the summary is not about this code, or None; the fact checked)."""
    summary = summary_of(doc)
    found = summary_grounding(summary, target, source, path)
    what = "module" if target.kind == "module" else f"`{target.name}`"
    if not found.ok:
        unfound = ", ".join(repr(w) for w in found.unfound)
        return f"the summary's words {unfound} are not in the code of {what}", ""
    names = anchor_names(target, source, path)
    if found.words and not anchored(summary, names):
        return f"the summary names nothing of {what} itself (its name, parameters{_MODULE_NAMES[target.kind]})", ""
    return (
        None,
        f"summary grounded in the code ({len(found.words) - len(found.unfound)}/{len(found.words)} words), naming {what}",
    )


_MODULE_NAMES = {"module": " or top-level names", "class": " or methods", "function": "", "method": ""}


def anchor_names(target: DocTarget, source: str, path: str = "") -> tuple[str, ...]:
    """The names that set ``target`` apart: a function's qualified name and parameters; a
    class's name and its methods'; a module's file name and top-level definitions."""
    if target.kind == "module":
        tree = ast.parse(source)
        tops = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        return ((PurePath(path).stem,) if path else ()) + tuple(tops)
    names = tuple(target.qualname.split(".")) + tuple(target.params)
    if target.kind == "class":
        tree = ast.parse(textwrap.dedent(target.code))
        names += tuple(n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return names


def check_meaning(
    doc: str, target: DocTarget, source: str, style: str, path: str = "", extra: Sequence[MeaningCheck] = ()
) -> Meaning:
    """Every meaning check on ``doc`` (already through the shape gates) for ``target`` of the
    module ``source``: the first failure, else the facts of the checks that passed."""
    checks: list[tuple[str, Callable[[], tuple[str | None, str]]]] = [
        ("sentence", lambda: check_sentence(summary_of(doc))),
        ("repetition", lambda: check_repetition(doc)),
        ("grounded", lambda: check_grounded(doc, target, source, path)),
    ]
    if target.kind in ("function", "method"):
        checks += [
            ("raises", lambda: check_raises(doc, target, source, style)),
            ("raises-complete", lambda: check_raises_complete(raised_names(doc, style), target, source)),
            ("returns", lambda: check_returns(doc, target, style)),
            ("literals", lambda: check_literals(doc, target)),
        ]
    checks += [(getattr(check, "__name__", "extra"), partial(check, doc, target)) for check in extra]
    return run_checks(checks)


def run_checks(checks: Sequence[tuple[str, Callable[[], tuple[str | None, str]]]]) -> Meaning:
    """The named checks in order: the first failure (and which check), else the facts of all."""
    passed: list[str] = []
    for name, check in checks:
        failure, fact = check()
        if failure is not None:
            return Meaning(failure, tuple(passed), name)
        if fact:
            passed.append(fact)
    return Meaning(None, tuple(passed))


def drop_raises(doc: str, style: str) -> str | None:
    """``doc`` without its Raises section (Google, NumPy) or ``:raises:`` lines (reST); None when
    it has none to drop."""
    lines = doc.split("\n")
    if style == "rest":
        kept = [l for l in lines if not re.match(r"^:raises?\b", l)]
    elif style == "google":
        kept, inside = [], False
        for line in lines:
            if re.match(r"^Raises:\s*$", line):
                inside = True
                continue
            if inside and line.strip() and not line.startswith((" ", "\t")):
                inside = False
            if not inside:
                kept.append(line)
    elif style == "numpy":
        kept, inside = [], False
        for i, line in enumerate(lines):
            if line.strip() == "Raises" and i + 1 < len(lines) and re.match(r"^\s*-{3,}\s*$", lines[i + 1]):
                inside = True
            elif inside and i + 1 < len(lines) and line.strip() and re.match(r"^\s*-{3,}\s*$", lines[i + 1]):
                inside = False
            if not inside:
                kept.append(line)
    else:
        return None
    if len(kept) == len(lines):
        return None
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", "\n".join(kept)).strip()
