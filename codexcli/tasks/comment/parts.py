"""Docstrings assembled from parts, for targets where no whole answer passed the gates.

A small model asked for a whole docstring loops, copies the worked example's parameters, leaves
``<what x is>`` placeholders or stops after the summary. Asked for one short piece at a time, with
everything around it already written, it has far less to get wrong: the docstring so far (the
summary, the ``Args:`` header, the entries done, the next parameter's real name) is the start of
its answer (the prefill), and it writes one line, cut at the newline. Each piece passes a small
gate (words, not code, no placeholder, not the worked example's text), the pieces are put
together in the configured style, and the whole goes through the same gates and splice check as
any answer. The summary is taken from a rejected whole answer when its first line passes, so
that it costs no extra request.

The requests are the task's own (same prompt, file and target), only the prefill grows, so
llama.cpp reuses the evaluated prompt and each piece costs a few generated tokens.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.docstyle import MAX_SUMMARY_CHARS, copies_example, looks_like_code, words_of
from codexcli.tasks.common import Attempt, fit_request
from codexcli.tasks.pipeline import Done, Skipped

SUMMARY_TOKENS = 48
PART_TOKENS = 40
# How each piece is asked, try after try: (words the answer starts with, temperature). Greedy
# first; a greedy answer that fails would repeat itself, so then greedy behind "The" (which
# steers SmolLM2 from copying the example's "width"/"height" to the target's own words), then
# sampled hot enough to leave the example behind (at 0.7 it still copied it).
PART_TRIES = (("", 0.0), (" The", 0.0), ("", 1.0), ("", 1.0))
SUMMARY_TRIES = (("", 0.0), ("", 1.0), ("", 1.0), ("", 1.0))
_PLACEHOLDER = re.compile(r"<[^>]*>")
# Why a summary line is not about the target (its words are not in the code), or None.
SummaryGate = Callable[[str], "str | None"]
_QUOTES = ('"""', "'''")


@dataclass(frozen=True)
class Assembled:
    """A docstring put together from parts, or why not (``text`` None); the requests it took."""

    text: str | None
    note: str
    attempts: tuple[Attempt, ...]


def part_error(text: str, name: str = "") -> str | None:
    """Why one piece (a summary line, a parameter's description) cannot be used, or None."""
    if not text:
        return "no text"
    if _PLACEHOLDER.search(text):
        return "a <...> placeholder"
    if any(q in text for q in _QUOTES) or "```" in text:
        return "quotes or a code fence"
    if copies_example(text):
        return "the worked example's text"
    if looks_like_code(text):
        return "code, not words"
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) < 2 or name and [w.lower() for w in words] == [name.lower()]:
        return "fewer than two words"
    if len(text) > MAX_SUMMARY_CHARS:
        return f"longer than {MAX_SUMMARY_CHARS} characters"
    return None


def _clean(text: str) -> str:
    """A piece without the spaces and stray quotes around it."""
    text = text.strip()
    for quote in _QUOTES:
        text = text.split(quote, 1)[0].strip()
    return text.strip("`'\"").strip()


def _sentence(text: str) -> str:
    """A piece that passed ``part_error`` as a sentence: a capital and a full stop."""
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return text


def repeats(text: str, others: Sequence[str]) -> bool:
    """True when ``text`` is (nearly) one of ``others``: a summary copied from the module's."""
    mine = words_of(text)
    return any(difflib.SequenceMatcher(None, mine, words_of(o)).ratio() >= 0.8 for o in others if o.strip())


def salvage_summary(
    answers: Sequence[str], avoid: Sequence[str] = (), code: str = "", gate: SummaryGate | None = None
) -> str | None:
    """The first line of the first rejected answer that is a usable summary (does not repeat
    one of ``avoid``, nor use the worked example's words that ``code`` does not, and passes
    ``gate``: its words are in the code), or None."""
    for answer in answers:
        body = answer.strip()
        for quote in _QUOTES:
            body = body.removeprefix(quote)
        line = _clean(body.strip().split("\n", 1)[0]) if body.strip() else ""
        if part_error(line) is None and not repeats(line, avoid) and not copies_example(line, code):
            if gate is None or gate(line) is None:
                return _sentence(line)
    return None


def salvage_params(answers: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """Parameter descriptions the rejected answers already gave on a line of their own
    (``r: the red channel``, ``:param r: ...``, ``- r (float): ...``) that pass the piece gate."""
    found: dict[str, str] = {}
    for answer in answers:
        for line in answer.split("\n"):
            m = re.match(r"^\s*(?::param\s+)?[-*]?\s*`?(\w+)`?\s*(?:\([^)]*\))?\s*:\s*(\S.*)$", line)
            if m and m.group(1) in names and m.group(1) not in found:
                text = _clean(m.group(2))
                if part_error(text, m.group(1)) is None:
                    found[m.group(1)] = _sentence(text)
    return found


def entry_head(style: str, name: str, first: bool) -> str:
    """What goes before a parameter's description in ``style`` (the prefill's last part)."""
    if style == "numpy":
        return ("\n\nParameters\n----------\n" if first else "\n") + f"{name}\n   "
    if style == "rest":
        return ("\n\n" if first else "\n") + f":param {name}:"
    return ("\n\nArgs:\n" if first else "\n") + f"    {name}:"


def returns_head(style: str, has_params: bool) -> str:
    """What goes before the returned value's description in ``style``."""
    if style == "numpy":
        return "\n\nReturns\n-------\n   "
    if style == "rest":
        return ("\n" if has_params else "\n\n") + ":returns:"
    return "\n\nReturns:\n   "


def assemble(style: str, summary: str, params: Sequence[tuple[str, str]], returns: str | None) -> str:
    """The docstring of ``summary``, parameter descriptions and a returned value, in ``style``."""
    text = summary
    if style == "plain":
        return text
    for number, (name, description) in enumerate(params):
        text += entry_head(style, name, number == 0) + " " + description
    if returns:
        text += returns_head(style, bool(params)) + " " + returns
    return "\n".join(line.rstrip() for line in text.split("\n"))


def assemble_docstring(
    backend: Backend,
    request: CompletionRequest,
    target: DocTarget,
    style: str,
    rejected: Sequence[str],
    verify: Callable[[str], str | ParseError],
    on_token: TokenCallback | None = None,
    avoid: Sequence[str] = (),
    gate: SummaryGate | None = None,
) -> Assembled:
    """Ask for the docstring of ``target`` piece by piece (see the module docstring) and check
    the result with ``verify`` (the task's gates and splice check). ``rejected`` are the whole
    answers the gates turned down; the summary comes from the first of them when it passes.
    ``avoid``: summaries that would only repeat another docstring (the module's first line);
    ``gate``: why a summary is not about the target (tasks/comment/facts.py), or None."""
    attempts: list[Attempt] = []

    def piece(
        prefill: str, name: str, tokens: int, tries: Sequence[tuple[str, float]] = PART_TRIES, taken: Sequence[str] = ()
    ) -> str | None:
        # The summary may start after a newline (`"""` then the text): it stops at a blank line.
        stop = ("\n", '"""') if prefill else ("\n\n", '"""')
        for number, (start, temperature) in enumerate(tries):
            asked = dataclasses.replace(
                request,
                prefill='"""' + prefill + start,
                stop=stop,
                max_tokens=tokens,
                temperature=temperature,
                seed=(request.seed or 0) + number,
            )
            completion = backend.complete(fit_request(backend, asked), on_token)
            text = _clean(start + next((l for l in completion.text.split("\n") if l.strip()), ""))
            text = re.sub(r"^The\s+the\b", "The", text)  # behind "The", a model that says "the" too
            error = part_error(text, name) or (copies_example(text, target.code) and "the worked example's text")
            if not prefill and not error and repeats(text, avoid):
                error = "another docstring's words, not this target's"
            if not prefill and not error and gate is not None:
                error = gate(text)
            if not error and any(words_of(text) == words_of(t) for t in taken):
                error = "the same words as another parameter's"  # a looping model, not a description
            attempts.append(Attempt(asked.prefill + completion.text, error, completion.completion_tokens))
            if error is None:
                return _sentence(text)
        return None

    summary = salvage_summary(rejected, avoid, target.code, gate)
    where = "the rejected answer" if summary else "its own request"
    summary = summary or piece("", "", SUMMARY_TOKENS, SUMMARY_TRIES)
    if summary is None:
        return Assembled(None, "no usable summary line", tuple(attempts))
    params: list[tuple[str, str]] = []
    returns = None
    names = [p for p in target.params if p not in ("self", "cls")]
    given = salvage_params(rejected, names)
    if target.kind in ("function", "method") and style != "plain":
        for name in names:
            so_far = assemble(style, summary, params, None) + entry_head(style, name, not params)
            taken = [d for _, d in params]
            described = given.get(name) or piece(so_far, name, PART_TOKENS, taken=taken)
            if described is None:
                return Assembled(None, f"no usable description of {name}", tuple(attempts))
            params.append((name, described))
        if target.returns_value:
            so_far = assemble(style, summary, params, None) + returns_head(style, bool(params))
            returns = piece(so_far, "", PART_TOKENS)  # optional: the gates do not ask for Returns
    text = assemble(style, summary, params, returns)
    checked = verify(text)
    if isinstance(checked, ParseError):
        return Assembled(None, f"the assembled docstring: {checked.reason}", tuple(attempts))
    parts = [f"summary from {where}"]
    if given:
        parts.append(f"{', '.join(given)} from the rejected answer")
    if asked := [n for n, _ in params if n not in given]:
        parts.append(f"one request per parameter ({', '.join(asked)})")
    if returns:
        parts.append("one for the returned value")
    return Assembled(checked, "assembled: " + ", ".join(parts), tuple(attempts))


def assemble_outcome(
    outcome: Skipped[DocTarget],
    backend: Backend,
    request: CompletionRequest,
    style: str,
    verify: Callable[[str], str | ParseError],
    on_token: TokenCallback | None = None,
    avoid: Sequence[str] = (),
    gate: SummaryGate | None = None,
) -> Done[DocTarget, str] | Skipped[DocTarget]:
    """A target whose whole answers were all rejected (``outcome``) documented with a docstring
    assembled from parts, or still skipped with the assembly's reason added to the first."""
    target = outcome.target
    rejected = [a.output for a in outcome.attempts]
    built = assemble_docstring(backend, request, target, style, rejected, verify, on_token, avoid, gate)
    attempts = outcome.attempts + built.attempts
    if built.text is None:
        return Skipped(target, f"{outcome.reason}; assembled from parts: {built.note}", attempts)
    return Done(target, built.text, attempts, status="documented", note=built.note)
