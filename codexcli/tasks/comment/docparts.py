"""A doc comment (JSDoc, Javadoc) assembled from parts, when no whole answer passed the gates:
tasks/comment/parts.py's way for docstrings, with the comment's own syntax.

The comment so far is the start of the model's answer (``/**``, `` * `` and the summary, then
`` * @param NAME`` for each real parameter, the returns tag, `` * @throws TYPE`` for each thrown
type) and the model writes one line each time, cut at the newline. Each piece passes parts.py's
gate (words, not code, no placeholder, not the worked example's text; a summary also the
grounding check); tried greedy, then behind "The", then sampled (``PART_TRIES``). The result is a
``Comment`` that goes through the same gates and meaning checks as a whole answer.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Sequence

from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.langspec import DocComment
from codexcli.tasks.comment.doccomment import Comment
from codexcli.tasks.comment.docstyle import copies_example, words_of
from codexcli.tasks.comment.doctargets import CommentTarget
from codexcli.tasks.comment.grounding import split_identifier
from codexcli.tasks.comment.parts import (
    PART_TOKENS,
    PART_TRIES,
    SUMMARY_TOKENS,
    SUMMARY_TRIES,
    _clean,
    _sentence,
    part_error,
)
from codexcli.tasks.common import Attempt, fit_request


def summary_tries(name: str) -> tuple[tuple[str, float], ...]:
    """How the summary is asked, try after try: parts.py's, then behind the function name's first
    word ("escapeHtml" -> " Escape"; "isDate" -> " Checks whether"), greedy and sampled: measured
    on the dev set, SmolLM2 copied the worked example's summary even sampled at 1.0 for
    JavaScript, and a summary begun with the name's own verb leaves it."""
    words = split_identifier(name)
    if not words:
        return SUMMARY_TRIES
    start = " Checks whether" if words[0] in ("is", "has", "can", "should") else " " + words[0].capitalize()
    return (SUMMARY_TRIES[0], (start, 0.0), SUMMARY_TRIES[1], (start, 1.0))


def _so_far(summary: str, tags: Sequence[str]) -> str:
    lines = ["/**", f" * {summary}"] + ([" *"] + [f" * {t}" for t in tags] if tags else [])
    return "\n".join(lines) + "\n"


def assemble_comment(
    backend: Backend,
    request: CompletionRequest,
    target: CommentTarget,
    spec: DocComment,
    summary_gate: Callable[[str], str | None],
    on_token: TokenCallback | None = None,
) -> tuple[Comment | None, str, tuple[Attempt, ...]]:
    """(the comment put together from parts, or None; how, or why not; the requests it took).

    Long: one small asking loop, then the summary, each parameter, the returned value and
    each thrown type in turn, each behind the comment so far.
    """
    attempts: list[Attempt] = []

    def piece(
        prefill: str, name: str, tokens: int, tries: Sequence[tuple[str, float]], taken: Sequence[str] = ()
    ) -> str | None:
        for number, (start, temperature) in enumerate(tries):
            asked = dataclasses.replace(
                request,
                prefill=prefill + start,
                stop=("\n", "*/"),
                max_tokens=tokens,
                temperature=temperature,
                seed=(request.seed or 0) + number,
            )
            completion = backend.complete(fit_request(backend, asked), on_token)
            text = _clean(start + completion.text.split("\n", 1)[0]).lstrip("-: ").strip()
            text = re.sub(r"^\{[^}]*\}\s*", "", text)  # a JSDoc type: codex writes none
            text = re.sub(r"^The\s+the\b", "The", text)
            error = part_error(text, name) or (copies_example(text, target.code) and "the worked example's text")
            if not error and not name:
                error = summary_gate(text)
            if not error and any(words_of(text) == words_of(t) for t in taken):
                error = "the same words as another part's"
            attempts.append(Attempt(asked.prefill + completion.text, error or None, completion.completion_tokens))
            if not error:
                return _sentence(text)
        return None

    summary = piece("/**\n *", "", SUMMARY_TOKENS, summary_tries(target.name))
    if summary is None:
        return None, "no usable summary line", tuple(attempts)
    tags: list[str] = []
    params: list[tuple[str, str]] = []
    for name in target.params:
        described = piece(
            _so_far(summary, [*tags, f"@param {name}"])[:-1], name, PART_TOKENS, PART_TRIES, [d for _, d in params]
        )
        if described is None:
            return None, f"no usable description of {name}", tuple(attempts)
        params.append((name, described))
        tags.append(f"@param {name} {described}")
    returns = None
    if target.returns_value:
        returns = piece(_so_far(summary, [*tags, spec.returns_tag])[:-1], "", PART_TOKENS, PART_TRIES)
        tags += [f"{spec.returns_tag} {returns}"] if returns else []
    throws: list[tuple[str, str]] = []
    for kind in target.thrown:
        head = f"@throws {{{kind}}}" if spec.typed_throws else f"@throws {kind}"
        when = piece(_so_far(summary, [*tags, head])[:-1], "", PART_TOKENS, PART_TRIES)
        throws.append((kind, when or ""))  # the type alone when no description passed: no invented one
        tags.append(f"{head} {when or ''}".rstrip())
    comment = Comment((summary,), tuple(params), returns, tuple(throws))
    asked = [n for n, _ in params]
    how = "assembled: one request for the summary" + (f", one per parameter ({', '.join(asked)})" if asked else "")
    return comment, how, tuple(attempts)
