"""The reviewer score of a docstring (issue 27): does it describe *this* code?

As in Coder-Reviewer reranking (Zhang et al. 2022), the model judges a docstring by how much it
raises the likelihood of the function's actual code: the mean per-token log P(body | header and
this docstring) minus the same with a neutral docstring. A docstring of another function
(a leap-year test documented as "Compute the number of days in a month") makes the real body
less likely than a docstring that says nothing; a true one makes it more likely.

* The code is the target's own source, dedented, its docstring removed; the header (``def`` line
  or lines, decorators left out) is in the prompt under both docstrings, so the score measures
  what the docstring adds beyond the name and parameters. The scored part is the body, cut at
  MAX_BODY_LINES lines (the first lines carry most of what a summary predicts; the cost stays
  bounded).
* Only the docstring's first paragraph (its summary) is used: the sections are checked by the
  comment gates, and parameter names would raise any docstring's score alike.
* The prompt is the code itself, the docstring in its place, as the assistant's answer to a
  bare request (PROMPT, the prefill): the model reads a docstring where it is used to reading
  one. benchmarks/reviewer_calibration.py compares the prompts and chose this one
  (docs/reviewer.md has the figures).
* None when the backend cannot score (``backends.base.score``), the code has no function or
  class to split, or there is no body left to score: callers fall back to their other checks.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from typing import Callable

from codexcli.backends.base import Backend, CompletionRequest, Message, score

MAX_BODY_LINES = 40
NEUTRAL_DOCSTRING = ""  # the neutral docstring: none at all (the calibration compared a phrase)
# Calibrated by benchmarks/reviewer_calibration.py (docs/reviewer.md): the score at or above
# which a docstring passes, chosen for precision >= 0.9 on real documented functions.
REVIEWER_THRESHOLD = 0.0


@dataclass(frozen=True)
class SplitCode:
    """A function or class as the reviewer reads it: its header lines and its body lines, both
    dedented to the header's level, the docstring gone; ``indent`` is the body's indentation."""

    header: str
    body: str
    indent: str


def split_code(code: str, max_body_lines: int = MAX_BODY_LINES) -> SplitCode | None:
    """The first function or class of ``code`` split into header and body (its docstring left
    out, the body cut at ``max_body_lines``), or None when there is none or nothing to score."""
    source = textwrap.dedent(code)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))), None)
    if node is None or node.end_lineno is None:
        return None
    lines = source.splitlines(keepends=True)
    first = node.body[0]
    has_doc = ast.get_docstring(node, clean=False) is not None
    if first.lineno == node.lineno:  # `def f(): return 1`: no line of its own for a body
        return None
    header_end = first.lineno - 1  # lines before the first statement (comments there go with the header)
    body_start = (first.end_lineno or first.lineno) if has_doc else header_end
    body_lines = [line for line in lines[body_start : node.end_lineno] if line.strip()][:max_body_lines]
    if not body_lines:
        return None
    header = "".join(lines[node.lineno - 1 : header_end])
    body = "".join(body_lines)
    if not body.endswith("\n"):
        body += "\n"
    indent = body_lines[0][: len(body_lines[0]) - len(body_lines[0].lstrip())]
    return SplitCode(header if header.endswith("\n") else header + "\n", body, indent)


def summary(docstring: str) -> str:
    """The first paragraph of a docstring, cleaned, on one line."""
    text = textwrap.dedent(docstring).strip()
    paragraph = text.split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def docstring_lines(text: str, indent: str) -> str:
    """``text`` as a docstring statement at ``indent`` (empty text: no docstring at all)."""
    if not text:
        return ""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"""')
    if escaped.endswith('"'):
        escaped += " "
    return indent + '"""' + escaped + '"""\n'


PromptBuilder = Callable[[SplitCode, str], CompletionRequest]


def inline_prompt(code: SplitCode, docstring: str) -> CompletionRequest:
    """The code as the assistant's answer, the docstring in its place under the header."""
    prefill = "```python\n" + code.header + docstring_lines(docstring, code.indent)
    return CompletionRequest((Message("user", "Write the Python code."),), prefill=prefill)


def instruction_prompt(code: SplitCode, docstring: str) -> CompletionRequest:
    """The docstring as the user's request, the header as the start of the answer."""
    ask = f"Write a Python function that does this: {docstring}" if docstring else "Write a Python function."
    return CompletionRequest((Message("user", ask),), prefill="```python\n" + code.header)


PROMPTS: dict[str, PromptBuilder] = {"inline": inline_prompt, "instruction": instruction_prompt}
PROMPT = "inline"


def body_logprob(
    backend: Backend, code: SplitCode, docstring: str, prompt: PromptBuilder | None = None
) -> float | None:
    """Mean per-token log P(body | prompt with ``docstring``), None when the backend cannot say."""
    scored = score(backend, (prompt or PROMPTS[PROMPT])(code, docstring), code.body)
    return None if scored is None else scored.mean_logprob


def baseline(
    backend: Backend,
    target_code: str,
    *,
    neutral: str = NEUTRAL_DOCSTRING,
    prompt: PromptBuilder | None = None,
    max_body_lines: int | None = None,
) -> float | None:
    """``body_logprob`` of the target under the neutral docstring: ``reviewer_score``'s
    ``baseline``, computed once for all the candidates of one target."""
    code = split_code(target_code, max_body_lines or MAX_BODY_LINES)
    return None if code is None else body_logprob(backend, code, neutral, prompt)


def reviewer_score(
    backend: Backend,
    target_code: str,
    docstring: str,
    *,
    baseline: float | None = None,
    neutral: str = NEUTRAL_DOCSTRING,
    prompt: PromptBuilder | None = None,
    max_body_lines: int | None = None,
) -> float | None:
    """How much ``docstring`` (its summary) raises the mean per-token log-likelihood of the
    target's body over ``neutral``: > 0 when it helps predict the code, < 0 when it misleads.
    ``baseline`` is ``body_logprob`` under the neutral docstring when the caller already has it
    (several candidates of one target share it). None when the score cannot be computed."""
    code = split_code(target_code, max_body_lines or MAX_BODY_LINES)
    if code is None:
        return None
    with_doc = body_logprob(backend, code, summary(docstring), prompt)
    if with_doc is None:
        return None
    if baseline is None:
        baseline = body_logprob(backend, code, neutral, prompt)
        if baseline is None:
            return None
    return with_doc - baseline


def passes(score: float | None, threshold: float = REVIEWER_THRESHOLD) -> bool | None:
    """Whether a reviewer score clears the calibrated threshold; None when there is no score."""
    return None if score is None else score >= threshold
