"""A doc comment (JSDoc, Javadoc) of the model's, read, gated and checked against the code. Pure.

The model answers with the comment's lines (the prompt begins it with ``/**``). They are read
into a summary, more prose, and the ``@param``, ``@returns``/``@return`` and ``@throws`` tags
(types in braces are dropped: codex cannot check them). The same gates as a Python docstring's
then apply (tasks/comment/docstyle.py, on the comment as a Google-style docstring: prose, not
code; the real parameters, each once; a returned value only where the function returns one), and
the same meaning checks where they do not depend on Python (tasks/comment/facts.py, claims.py):
the summary is a sentence, grounded in the code's words and naming something of the function's;
no loops of words; quoted values are the code's; ``@throws`` names only what the body throws or
declares, and every type it throws itself; a summary saying it returns something is not about a
function that returns nothing, and the ``@returns`` text's words are the code's. What passes is
written back in one canonical shape (``comment_lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codexcli.answers import ParseError
from codexcli.langspec import DocComment
from codexcli.tasks.comment.claims import check_literals, check_repetition, check_sentence
from codexcli.tasks.comment.docstyle import check_docstring
from codexcli.tasks.comment.doctargets import CommentTarget
from codexcli.tasks.comment.facts import Meaning, run_checks, summary_of
from codexcli.tasks.comment.grounding import anchored, ground, vocabulary

_TAG = re.compile(r"^@(\w+)\s*(?:\{([^}]*)\}\s*)?(.*)$")
_RETURNS = {"returns", "return"}
_THROWS = {"throws", "exception", "throw"}
_SUMMARY_RETURNS = re.compile(r"^(returns?|gets?|computes?|calculates?)\b", re.I)


@dataclass(frozen=True)
class Comment:
    """A doc comment's parts: prose lines (the summary first), each parameter's description in
    order, the returned value's, and each thrown type's."""

    prose: tuple[str, ...]
    params: tuple[tuple[str, str], ...] = ()
    returns: str | None = None
    throws: tuple[tuple[str, str], ...] = ()


def _lines(answer: str) -> list[str]:
    """The comment's text lines: without ``/**``, ``*/`` and each line's leading ``*``."""
    text = answer.split("*/", 1)[0]
    text = re.sub(r"^\s*/\*\*", "", text)
    return [re.sub(r"^\s*\*(?!/) ?", "", line).rstrip() for line in text.split("\n")]


def read_comment(answer: str) -> Comment | ParseError:
    """The parts of a doc comment as the model wrote it, or why it cannot be read.

    Long: a small state machine over the lines (prose, then tags, a tag's text going on over
    the lines that follow it).
    """
    prose: list[str] = []
    tags: list[list[str]] = []  # [tag, {type}, text]
    for line in _lines(answer):
        stripped = line.strip()
        found = _TAG.match(stripped)
        if found:
            tags.append([found.group(1).lower(), (found.group(2) or "").strip(), found.group(3).strip()])
        elif tags and stripped:
            tags[-1][2] = f"{tags[-1][2]} {stripped}".strip()
        elif not tags:
            prose.append(stripped)
    while prose and not prose[-1]:
        prose.pop()
    while prose and not prose[0]:
        prose.pop(0)
    params: list[tuple[str, str]] = []
    throws: list[tuple[str, str]] = []
    returns: str | None = None
    for tag, kind, body in tags:
        head, _, rest = body.partition(" ")
        if tag == "param":
            params.append((head.strip("[]").split("=")[0], rest.lstrip("- ").strip()))
        elif tag in _RETURNS:
            returns = body
        elif tag in _THROWS:  # JSDoc: @throws {TypeError} when ...; Javadoc: @throws TypeError when ...
            name, text = (kind, body) if kind else (head, rest)
            throws.append((name.split(".")[-1], text.lstrip("- ").strip()))
        else:
            return ParseError(f"the comment has a @{tag} tag; write only @param, @returns and @throws")
    if not prose:
        return ParseError("the comment has no summary line; begin with one sentence saying what it does")
    return Comment(tuple(prose), tuple(params), returns, tuple(throws))


def as_docstring(comment: Comment) -> str:
    """The comment as a Google-style docstring, for the shared gates (docstyle.check_docstring)."""
    out = list(comment.prose)
    if comment.params:
        out += ["", "Args:", *[f"    {name}: {text}" for name, text in comment.params]]
    if comment.returns is not None:
        out += ["", "Returns:", f"    {comment.returns}"]
    if comment.throws:
        out += ["", "Raises:", *[f"    {name}: {text}" for name, text in comment.throws]]
    return "\n".join(out)


def comment_lines(comment: Comment, spec: DocComment) -> list[str]:
    """The comment's lines as codex writes them (the tags after a blank line)."""
    tags = [f"@param {name} {text}".rstrip() for name, text in comment.params]
    if comment.returns is not None:
        tags.append(f"{spec.returns_tag} {comment.returns}".rstrip())
    tags += [f"@throws {_thrown(name, spec)} {text}".rstrip() for name, text in comment.throws]
    return [*comment.prose, *([""] if tags else []), *tags]


def _thrown(name: str, spec: DocComment) -> str:
    return f"{{{name}}}" if spec.typed_throws else name


def gate(comment: Comment, target: CommentTarget) -> str | ParseError:
    """The shape gates: the Google-style docstring of ``comment`` when it passes, else why not."""
    empty = [name for name, text in comment.params if not text]
    if empty:
        return ParseError(f"@param {empty[0]} needs a description in words")
    if comment.returns is not None and not comment.returns:
        return ParseError("@returns needs a description in words")
    checked = check_docstring(as_docstring(comment), target, "google")
    if isinstance(checked, ParseError):
        return ParseError(_in_tags(checked.reason))
    return checked


def _in_tags(message: str) -> str:
    """A docstring gate's words in doc-comment terms."""
    for old, new in (
        ("Args section names", "@param tags name"),
        ("Args section", "@param tags"),
        ("Returns section", "@returns tag"),
        ("docstring", "comment"),
    ):
        message = message.replace(old, new)
    return message


def _words(target: CommentTarget) -> frozenset[str]:
    return vocabulary(target.code, tuple(target.qualname.split(".")), python=False)


def check_grounded(summary: str, target: CommentTarget) -> tuple[str | None, str]:
    """(why the summary is not about this code, or None; the fact checked)."""
    found = ground(summary, _words(target))
    if not found.ok:
        unfound = ", ".join(repr(w) for w in found.unfound)
        return f"the summary's words {unfound} are not in the code of `{target.name}`", ""
    if found.words and not anchored(summary, (*target.qualname.split("."), *target.params)):
        return f"the summary names nothing of `{target.name}` itself (its name or parameters)", ""
    known = len(found.words) - len(found.unfound)
    return None, f"summary grounded in the code ({known}/{len(found.words)} words), naming `{target.name}`"


def check_throws(comment: Comment, target: CommentTarget) -> tuple[str | None, str]:
    """(why the @throws tags are wrong, or None; the fact checked): each names a type the body
    throws or declares (or, where it throws a value of unwritten type, one its code names), and
    every type it throws itself is named."""
    named = [name for name, _ in comment.throws]
    wrong = [n for n in named if n not in target.thrown and not (target.throws_other and n in target.code)]
    if wrong:
        return f"the comment says `{target.name}` throws {', '.join(wrong)}, which its code does not throw", ""
    left_out = [t for t in target.thrown if t not in named]
    if left_out:
        return f"the comment does not say that `{target.name}` throws {', '.join(left_out)}", ""
    return None, f"throws {', '.join(named)}: found in the code" if named else ""


def check_returns(comment: Comment, target: CommentTarget) -> tuple[str | None, str]:
    """(why what the comment says is returned is wrong, or None; the fact checked)."""
    if _SUMMARY_RETURNS.match(comment.prose[0]) and not target.returns_value:
        return f"the summary says `{target.name}` returns something, but it returns nothing", ""
    if comment.returns:
        described = ground(comment.returns, _words(target))
        if described.unfound:
            unfound = ", ".join(repr(w) for w in described.unfound)
            return f"the @returns description's words {unfound} are not in the code of `{target.name}`", ""
        return None, "the returned value's description grounded in the code"
    return None, ""


def check_comment(comment: Comment, target: CommentTarget) -> Meaning:
    """Every meaning check on ``comment`` (through the gates): the first failure, else the facts
    of the checks that passed (the evidence "meaning")."""
    doc = as_docstring(comment)
    checks = (
        ("sentence", lambda: check_sentence(summary_of(doc))),
        ("repetition", lambda: check_repetition(doc)),
        ("grounded", lambda: check_grounded(summary_of(doc), target)),
        ("raises", lambda: check_throws(comment, target)),
        ("returns", lambda: check_returns(comment, target)),
        ("literals", lambda: check_literals(doc, target)),
    )
    return run_checks(checks)


def template(target: CommentTarget, spec: DocComment) -> str:
    """The shape the comment must have, with the target's real parameters and thrown types."""
    lines = ["<one line: what it does>"]
    tags = [f"@param {p} <what {p} is>" for p in target.params]
    if target.returns_value:
        tags.append(f"{spec.returns_tag} <what it returns>")
    tags += [f"@throws {_thrown(t, spec)} <when>" for t in target.thrown]
    lines += [""] + tags if tags else []
    return "\n".join(["/**", *[f" * {line}".rstrip() for line in lines], " */"])
