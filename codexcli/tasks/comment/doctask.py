"""`codex comment` for JavaScript, TypeScript and Java: doc comments (JSDoc, Javadoc) in the
pipeline's shape (tasks/pipeline.py), next to run.py's Python docstrings.

Per file: targets found with tree-sitter (doctargets.py) -> keep those without a ``/** ... */``
(or all with overwrite; only named ones; only those the staged change touches: run.py's
``select_targets``) -> ask the model (prompts/comment_doc.toml: the file as a shared prefix, the
target last, the comment begun as ``/**``) -> read, gate and check the comment against the code
(doccomment.py: evidence "meaning", else "form") -> when none reaches the threshold, a comment of
examples observed by running the function (docexamples.py: evidence "examples"; at a threshold
above "meaning" the model is not asked first) -> hold back what is below the threshold ->
insert each comment alone, then all together, by line (splice/doccomment.py: the file re-parses,
its syntax tree minus comments is the original's, and every other byte stays).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.evidence import Evidence, strength, threshold_for
from codexcli.langspec import DocComment
from codexcli.languages import Language
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.splice.doccomment import insert_comments, render_comment
from codexcli.tasks.comment.doccomment import (
    Comment,
    check_comment,
    check_grounded,
    comment_lines,
    gate,
    read_comment,
    template,
)
from codexcli.tasks.comment.docexamples import Example, examples_comment, observed_examples
from codexcli.tasks.comment.docexamples import facts as facts_of_examples
from codexcli.tasks.comment.docparts import assemble_comment
from codexcli.tasks.comment.doctargets import CommentTarget, find_comment_targets, parse_function
from codexcli.tasks.comment.examples import examples_done
from codexcli.tasks.comment.run import (
    CommentFacts,
    form_only_outcome,
    run_comments,
    select_targets,
    short_answers,
)
from codexcli.tasks.common import request_with_context, whole_file
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped, TaskHooks, ask_target
from codexcli.verify.sandbox.isolation import SandboxUnavailable

DOC_TASK = "comment-doc"  # its own default threshold (evidence.DEFAULT_THRESHOLDS says why)

RETRY_TEMPERATURE = 0.8  # of the retries after a greedy answer was rejected


def _fence_example(spec: DocComment) -> str:
    return "\n".join(["/**", *[f" * {line}".rstrip() for line in spec.example_answer], " */"])


@dataclass(frozen=True)
class DocCommentTask(TaskHooks):
    """One doc comment per target; values are the comment's rendered lines."""

    prompt: PromptTemplate
    source: str
    path: str
    language: Language
    settings: Settings
    parse: Callable[[bytes], Any]
    targets: dict[int, CommentTarget]
    threshold: str = "meaning"
    # target index -> (comment lines, why not "meaning"): the first answer through the gates
    form_only: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False)
    # comment text -> the meaning checks' facts (the evidence of a Done)
    facts: dict[tuple[int, str], str] = field(default_factory=dict, compare=False)
    # No model comment reaches the threshold: write one of observed examples instead.
    examples: bool = True
    observed: dict[int, list[Example]] = field(default_factory=dict, compare=False)

    done_status = "documented"

    @property
    def spec(self) -> DocComment:
        assert self.language.doc_comment is not None
        return self.language.doc_comment

    def request(self, backend: Backend, target: CommentTarget) -> CompletionRequest:
        spec, fence = self.spec, self.language.fence
        return request_with_context(
            backend,
            self.prompt,
            self.settings,
            (whole_file(self.source), target.code),
            where=self.path,
            label=target.qualname,
            language=self.language.display,
            fence=fence,
            doc=spec.name,
            path=self.path,
            kind=target.kind,
            qualname=target.qualname,
            code=_dedented(target.code),
            template=template(target, spec),
            example_code=spec.example,
            example_template=template(_example_target(spec), spec),
            example_answer=_fence_example(spec),
        )

    def check(self, target: CommentTarget, answer: str) -> str | ParseError:
        """The comment's text when it reads, passes the gates, fits alone and its meaning
        checks pass; else the first rejection (fed back). One that passes all but the meaning
        checks is kept as the target's form-only candidate."""
        comment = read_comment(answer)
        if isinstance(comment, ParseError):
            return comment
        return self.accept(target, comment)

    def accept(self, target: CommentTarget, comment: Comment) -> str | ParseError:
        """``check`` once the answer is read: the gates, the splice alone, the meaning checks."""
        gated = gate(comment, target)
        if isinstance(gated, ParseError):
            return gated
        text = "\n".join(comment_lines(comment, self.spec))
        spliced = self.splice(self.source, {target.index: text})
        if isinstance(spliced, SpliceFailed):
            return ParseError(spliced.reason)
        meaning = check_comment(comment, target)
        if not meaning.ok:
            self.form_only.setdefault(target.index, (text, str(meaning.failure)))
            return ParseError(str(meaning.failure))
        self.facts[(target.index, text)] = meaning.facts or "the meaning checks found nothing to contradict"
        return text

    def ask(
        self, backend: Backend, request: CompletionRequest, target: CommentTarget, on_token: TokenCallback | None
    ) -> Outcome:
        """The model's comment with retries; its evidence "meaning", or the form-only candidate
        (evidence "form": held back unless the threshold is "form")."""
        outcome: Outcome = ask_target(self, backend, request, target, 0, on_token)
        attempts = outcome.attempts
        for retry in range(1, self.settings.retries + 1):
            if isinstance(outcome, Done):
                break
            # A rejection fed back to the greedy model got the same answer again (measured on the
            # dev set); a sample (another seed each time) leaves the copied example or file text.
            hot = dataclasses.replace(
                request, temperature=max(request.temperature, RETRY_TEMPERATURE), seed=(request.seed or 0) + retry
            )
            outcome = ask_target(self, backend, hot, target, 0, on_token)
            attempts += outcome.attempts
        if not isinstance(outcome, Done):
            comment, how, more = assemble_comment(
                backend, request, target, self.spec, lambda summary: check_grounded(summary, target)[0], on_token
            )
            attempts += more
            accepted = self.accept(target, comment) if comment is not None else ParseError(how)
            if isinstance(accepted, str):
                outcome = Done(target, accepted, status=self.done_status, note=how)
        outcome = dataclasses.replace(outcome, attempts=attempts)
        if isinstance(outcome, Done):
            facts = self.facts[(target.index, outcome.value)]
            return dataclasses.replace(outcome, evidence=Evidence("meaning", facts))
        return form_only_outcome(outcome, self.form_only, self.done_status)

    def first(self, target: CommentTarget) -> Outcome | None:
        """Before the model: at a threshold above "meaning" (which its comments reach at most),
        the comment of observed examples, if there is one; else None (the model is asked)."""
        if strength(self.threshold) <= strength("meaning"):
            return None
        outcome = self.or_examples(target, Skipped(target, "the model was not asked"))
        return outcome if isinstance(outcome, Done) else None

    def or_examples(self, target: CommentTarget, outcome: Outcome) -> Outcome:
        """``outcome`` when it reaches the threshold; else, if asked for and the threshold admits
        "examples", a comment of calls observed by running the function (docexamples.py)."""
        if isinstance(outcome, Done) and outcome.evidence.at_least(self.threshold):
            return outcome
        if not self.examples or strength(self.threshold) > strength("examples"):
            return outcome
        if target.index not in self.observed:
            try:
                found = observed_examples(self.source, self.path, self.language, target)
            except SandboxUnavailable:
                found = []
            self.observed[target.index] = found
        found = self.observed[target.index]
        if not found:
            return outcome
        text = "\n".join(examples_comment(target.name, found, self.spec))
        if isinstance(self.splice(self.source, {target.index: text}), SpliceFailed):
            return outcome
        return examples_done(outcome, text, facts_of_examples(found), "comment")

    def feedback(self, target: CommentTarget, reason: str) -> str:
        return self.prompt.retry(reason, qualname=target.qualname, doc=self.spec.name)

    def splice(self, source: str, values: Mapping[int, str]) -> Spliced | SpliceFailed:
        comments = {}
        for index, text in values.items():
            target = self.targets[index]
            comments[target.row] = render_comment(text.split("\n"), target.indent, _newline(source))
        return insert_comments(source, comments, self.parse)

    def key(self, target: CommentTarget) -> int:
        return target.index

    def together_failed(self, reason: str) -> str:
        return f"the comments do not fit together: {reason}"


def _newline(source: str) -> str:
    return "\r\n" if "\r\n" in source else "\n"


def _dedented(code: str) -> str:
    lines = code.split("\n")
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines)


def _example_target(spec: DocComment) -> CommentTarget:
    code = spec.example
    params = ("width", "height")
    return CommentTarget(
        0, "function", "area", "area", 1, 1, 3, params, False, True, False, None, False, code, code, 0, "", (), False
    )


def comment_other_source(
    source: str,
    path: str,
    language: Language,
    suffix: str,
    *,
    settings: Settings,
    prompt: PromptTemplate,
    backend: Callable[[], Backend],
    overwrite: bool = False,
    only: Iterable[str] = (),
    ranges: list[tuple[int, int]] | None = None,
    evidence: str | None = None,
    examples: bool = True,
    on_start: Callable[[Any, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
) -> EditResult[CommentFacts]:
    """Document the selected functions of ``source`` (a file of ``language``, which has a
    ``doc_comment`` entry): the new text (the original when nothing passed), each target's
    outcome, and the comment style (``facts.style``: "JSDoc", "Javadoc"). A comment is written
    only when its evidence reaches ``evidence`` (else ``settings.evidence``, else "examples":
    evidence.DEFAULT_THRESHOLDS says why). With ``examples``, a function codex can call whose
    comment does not reach the threshold gets one of examples observed by running it
    (docexamples.py), when the threshold admits "examples"."""
    settings = short_answers(settings)
    targets = find_comment_targets(source, language, suffix)
    chosen, pre_skipped = select_targets(list(targets), only=only, ranges=ranges)
    if overwrite:  # a second comment above the first would not replace it
        reason = "has a doc comment already; --overwrite replaces Python docstrings only"
        pre_skipped += [
            Skipped(t, reason)
            for t in select_targets(list(targets), overwrite=True, only=only, ranges=ranges)[0]
            if t.docstring is not None
        ]
    task = DocCommentTask(
        prompt,
        source,
        path,
        language,
        settings,
        parse_function(language, suffix),
        {t.index: t for t in targets},
        threshold=threshold_for(DOC_TASK, evidence or settings.evidence),
        examples=examples,
    )
    spec = language.doc_comment
    assert spec is not None
    return run_comments(
        task,
        source,
        chosen,
        backend,
        pre_skipped,
        known=task.first,
        draw=lambda live, request, target: task.or_examples(target, task.ask(live, request, target, on_token)),
        on_start=on_start,
        on_token=on_token,
        facts=CommentFacts(spec.name),
    )


__all__ = ["Comment", "DocCommentTask", "comment_other_source"]
