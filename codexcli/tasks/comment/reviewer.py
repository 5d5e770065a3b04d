"""The reviewer score of a docstring (issue 27): does it describe *this* code?

Two scores, both the model's log-likelihood with and without the link between docstring and code
(Coder-Reviewer reranking, Zhang et al. 2022), per token so that lengths compare:

* ``reviewer_score`` (the one to use): mean log P(summary | the code) minus mean log P(summary |
  no code): how much more the docstring's summary reads as a description of this function than
  of a function in general. A summary of another function of the same module gains less.
* ``code_score``: mean log P(body | header and the docstring) minus the same under a neutral
  docstring (none): how much the docstring helps predict the actual body.

benchmarks/reviewer_calibration.py measured both on real documented stdlib functions, the true
summary against summaries of other functions of the same module; ``reviewer_score`` separated
them better (docs/reviewer.md has the figures, REVIEWER_THRESHOLD comes from there). With the
135M model both are weak signals: use ``passes`` as one piece of evidence, not as a verdict.

* The code is the target's own source, dedented, its docstring removed and its body cut at
  MAX_BODY_LINES non-blank lines (the first lines carry most of what a summary says; the cost of
  a score is the code's tokens, evaluated once per call).
* Only the docstring's first paragraph (``summary``) is scored: the sections are the comment
  gates' business, and parameter names would raise every docstring's score alike.
* None when the backend cannot score (``backends.base.score``: the openai backend), the code has
  no function or class with a body of its own lines, or the summary is empty.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from typing import Callable

from codexcli.backends.base import Backend, CompletionRequest, Message, score
from codexcli.splice.docstring import DocTarget

MAX_BODY_LINES = 12
NEUTRAL_DOCSTRING = ""  # code_score's neutral docstring: none at all
# Calibrated by benchmarks/reviewer_calibration.py on 48 real documented stdlib functions, each
# against 1-2 summaries of other functions of its module (docs/reviewer.md). At or above
# REVIEWER_THRESHOLD a summary passes: precision 0.89 (0.94 with as many wrong summaries as
# true ones), recall 0.17. Below REJECT_BELOW (the code makes the summary no likelier than no
# code does) it misleads: 94% of the summaries rejected there were wrong, and 19% of the wrong
# ones were caught, for 1 true summary in 48 lost.
REVIEWER_THRESHOLD = 2.1
REJECT_BELOW = 0.0


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
    """``body_logprob`` of the target under the neutral docstring: ``code_score``'s
    ``baseline``, computed once for all the candidates of one target."""
    code = split_code(target_code, max_body_lines or MAX_BODY_LINES)
    return None if code is None else body_logprob(backend, code, neutral, prompt)


def code_score(
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


def describe_request(code: SplitCode | None) -> CompletionRequest:
    """Ask for a one-sentence description of ``code`` (None: of no code in particular)."""
    if code is None:
        return CompletionRequest((Message("user", "Describe in one sentence what a Python function does."),))
    shown = "```python\n" + code.header + code.body + "```\n"
    return CompletionRequest((Message("user", shown + "Describe in one sentence what this function does."),))


def reviewer_score(
    backend: Backend, target_code: str, docstring: str, *, max_body_lines: int | None = None
) -> float | None:
    """The reviewer score: mean per-token log P(summary | the code) minus log P(summary | no
    code), how much more likely the docstring's summary is as a description of *this* code than
    of a function in general (its pointwise mutual information with the code, per token). None
    when it cannot be computed (no backend score, no body, an empty summary)."""
    code = split_code(target_code, max_body_lines or MAX_BODY_LINES)
    text = summary(docstring)
    if code is None or not text:
        return None
    with_code = score(backend, describe_request(code), text)
    without = score(backend, describe_request(None), text)
    if with_code is None or without is None or with_code.mean_logprob is None or without.mean_logprob is None:
        return None
    return with_code.mean_logprob - without.mean_logprob


def passes(score: float | None, threshold: float = REVIEWER_THRESHOLD) -> bool | None:
    """Whether a ``reviewer_score`` clears the calibrated threshold (the model reads the summary
    as a description of this code, with high precision and low recall); None without a score."""
    return None if score is None else score >= threshold


def misleads(score: float | None, below: float = REJECT_BELOW) -> bool | None:
    """Whether a ``reviewer_score`` is low enough to reject the docstring as describing other
    code (rarely wrong, catches a fifth of such docstrings); None without a score."""
    return None if score is None else score < below


def reviewer_check(
    backend: Callable[[], Backend], require: float | None = REVIEWER_THRESHOLD
) -> Callable[[str, DocTarget], tuple[str | None, str]]:
    """The reviewer score as a comment meaning check (tasks/comment/facts.py ``MeaningCheck``):
    a function's summary passes only when the code makes it at least ``require`` nats per token
    likelier than no code does (the calibrated threshold: precision 0.89 against summaries of
    other functions of the same module, docs/reviewer.md); with ``require`` None, only one the
    code makes no likelier (``misleads``) is rejected. A module's summary has no score, so it
    does not pass (the 135M model's module summaries that pass grounding are vague or false); a
    class's is left to the other checks. ``backend`` is the task's provider: the model is loaded only when
    a docstring reaches this check. A backend that cannot score (the openai backend) fails it,
    saying so: such a docstring is "form" unless the threshold is lowered."""

    def reviewer(doc: str, target: DocTarget) -> tuple[str | None, str]:
        if target.kind == "module":
            return "a module's summary has no reviewer score, and grounding alone passes vague ones", ""
        if target.kind == "class":
            return None, ""
        value = reviewer_score(backend(), target.code, doc)
        if value is None:
            return "no reviewer score (the backend cannot score, or the code has no body to read)", ""
        if misleads(value) or (require is not None and value < require):
            floor = REJECT_BELOW if require is None else require
            return (
                f"the reviewer score {value:.2f} is below {floor}: the model does not read the summary "
                f"as a description of `{target.name}`",
                "",
            )
        return None, f"reviewer score {value:.2f}"

    return reviewer
