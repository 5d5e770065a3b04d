"""`codex generate --fill`: bodies for stub functions (Codex-S).

Each stub gets a request with the file as context; an answer is accepted only when its body
splices into the original file, compiles there and uses no undefined names. With ``--samples N``
the best of N candidates is kept by verified selection (the evidence comes from
tasks/generate/selection.py, the ranking from tasks/select.py).

Every filled body carries its evidence level (codexcli/evidence.py): one answer is ``form``;
selection gives ``examples`` (tests or docstring examples pass) or ``consensus`` (the samples
agree) where it can (``selection_evidence``). With a write threshold (the CLI's ``--evidence``,
``consensus`` by default for fill) a weaker body is held back, not written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.index.related import NO_RELATED
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced, SpliceFailed, StubTarget, find_stubs, replace_bodies
from codexcli.tasks.bodies import body_parser
from codexcli.tasks.common import Attempt, request_with_context, whole_file
from codexcli.tasks.generate.selection import (
    find_tests,
    selection_evidence,
    splice_body,
    stub_evidence,
    test_runner,
)
from codexcli.tasks.pipeline import Done, EditResult, Skipped, TaskHooks, run_task
from codexcli.tasks.select import draw_candidates, rank

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

# A filled stub is the pipeline's Done (its body is the ``value``); FillResult its EditResult.
Filled = Done
FillOutcome = Done[StubTarget, str] | Skipped[StubTarget]
FillResult = EditResult


def select_stubs(stubs: Iterable[StubTarget], only: Iterable[str] = ()) -> list[StubTarget]:
    """Stubs named in ``only`` (qualified or bare names), or all of them."""
    wanted = set(only)
    stubs = list(stubs)
    if not wanted:
        return stubs
    chosen = [s for s in stubs if s.qualname in wanted or s.name in wanted]
    unknown = wanted - {s.qualname for s in chosen} - {s.name for s in chosen}
    if unknown:
        names = ", ".join(s.qualname for s in stubs) or "none"
        raise UsageError(f"no stub function named {', '.join(sorted(unknown))} (stubs in the file: {names})")
    return chosen


def fill_request(
    prompt: PromptTemplate,
    backend: Backend,
    source: str,
    path: str,
    target: StubTarget,
    settings: Settings,
    repo: RepoContext | None = None,
) -> CompletionRequest:
    """The request for one stub: with the whole file as context when it fits, else only the stub;
    with ``repo``, also the repository's definitions most related to the stub's name, signature
    and docstring (the file itself is already in the prompt, so none from it)."""
    contexts = (whole_file(source), target.header.rstrip("\n"))
    related, record = NO_RELATED, None
    if repo is not None:
        related, record = repo.related_in_file(backend, path, target.qualname, target.header)
    return request_with_context(
        backend,
        prompt,
        settings,
        contexts,
        where=path,
        label=f"the stub {target.qualname}",
        related=related,
        on_related=record,
        path=path,
        qualname=target.qualname,
        header=target.header,
    )


# The parse step of --fill for one stub (shared with comment's back-translation).
fill_parser = body_parser


def fill_one_by_selection(
    backend: Backend,
    request: CompletionRequest,
    source: str,
    path: str,
    target: StubTarget,
    samples: int,
    *,
    strategy: str = "verified",
    workers: int | None = None,
    on_token: TokenCallback | None = None,
    greedy_first: bool = True,
) -> FillOutcome:
    """Fill one stub with the best of ``samples`` candidates: a Filled carrying the Selection,
    or a Skipped when no candidate parsed."""
    candidates = draw_candidates(
        backend, request, fill_parser(source, target), samples, on_token=on_token, greedy_first=greedy_first
    )
    attempts = tuple(Attempt(c.output, c.error, c.completion_tokens, c.seconds) for c in candidates)

    def module_of(body: str) -> str:
        return splice_body(source, target.index, body)

    examples, inputs = stub_evidence(target)
    tests = find_tests(Path(path), target.name) if strategy == "verified" else []
    run_tests = test_runner(Path(path), tests) if tests else None
    selection = rank(
        candidates,
        module_of=module_of,
        name=target.name,
        examples=examples,
        inputs=inputs,
        tests=(lambda body: run_tests(module_of(body))) if run_tests else None,
        strategy=strategy,
        workers=workers,
        context=source,  # the user's file: the checker may load it, with the stub hollowed
    )
    chosen = selection.chosen
    if chosen is None:
        return Skipped(target, selection.reason, attempts)
    if strategy == "verified" and chosen.examples_total and chosen.examples_passed == 0:
        # The best evidence says every candidate is wrong on the docstring's own examples:
        # writing one would be writing a known-wrong body.
        why = chosen.probe_error or f"every candidate failed all {chosen.examples_total} docstring examples"
        return Skipped(target, f"{why} ({selection.reason})", attempts)
    if strategy == "verified" and chosen.tests_passed is False:
        return Skipped(target, f"every candidate failed the tests found for it ({selection.reason})", attempts)
    evidence = selection_evidence(selection, tests=len(tests))
    # The selection is the detail as well: a body held back below the threshold becomes a
    # Skipped that keeps only the detail, and its report still shows how it was chosen.
    value, done_status = chosen.candidate.value, FillTask.done_status
    return Done(target, value, attempts, selection=selection, status=done_status, detail=selection, evidence=evidence)


@dataclass(frozen=True)
class FillTask(TaskHooks):
    """--fill in the pipeline's shape (tasks/pipeline.py): one body per stub."""

    prompt: PromptTemplate
    source: str
    path: str
    settings: Settings
    repo: RepoContext | None = None

    done_status = "filled"

    def request(self, backend: Backend, target: StubTarget) -> CompletionRequest:
        return fill_request(self.prompt, backend, self.source, self.path, target, self.settings, self.repo)

    def check(self, target: StubTarget, answer: str) -> str | ParseError:
        return fill_parser(self.source, target)(answer)

    def feedback(self, target: StubTarget, reason: str) -> str:
        return self.prompt.retry(reason, name=target.name)

    def splice(self, source: str, values: Mapping[int, str]) -> Spliced | SpliceFailed:
        return replace_bodies(source, dict(values))

    def key(self, target: StubTarget) -> int:
        return target.index

    def together_failed(self, reason: str) -> str:
        return f"the bodies do not compile together: {reason}"


def fill_stubs(
    backend: Callable[[], Backend],
    prompt: PromptTemplate,
    source: str,
    path: str,
    settings: Settings,
    *,
    only: Iterable[str] = (),
    on_start: Callable[[StubTarget, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
    samples: int = 1,
    strategy: str = "verified",
    workers: int | None = None,
    repo: RepoContext | None = None,
    threshold: str | None = None,
) -> EditResult[None]:
    """Fill every selected stub of ``source``; each body is checked by splicing it into the
    original file and compiling the result. Returns the new text (unchanged when nothing passed).
    ``backend`` is called when the first stub goes to the model.

    With ``samples`` > 1 each stub gets that many candidates and the best one by verified
    selection (tasks/select.py; ``strategy`` "verified" or "logprob") is kept.

    With ``repo`` each prompt also shows the repository's most related definitions (after the
    file). Prompts all use the original file as context, so they share a prefix (llama.cpp reuses its
    KV cache) and function indexes stay valid however many bodies are accepted.

    With ``threshold`` (an evidence level) a body with weaker evidence is not written: its stub
    is reported "below threshold" with the body as the candidate (pipeline.hold_back).
    """
    stubs = select_stubs(find_stubs(source), only)
    task = FillTask(prompt, source, path, settings, repo)

    def draw(live: Backend, request: CompletionRequest, target: StubTarget) -> FillOutcome:
        return fill_one_by_selection(
            live, request, source, path, target, samples, strategy=strategy, workers=workers, on_token=on_token
        )

    return run_task(
        task,
        source,
        stubs,
        backend,
        retries=settings.retries,
        draw=draw if samples > 1 else None,
        on_start=on_start,
        on_token=on_token,
        threshold=threshold,
    )


def with_candidates(result: EditResult[None]) -> str:
    """The filled text with every body held back below the threshold spliced in as well (what
    `--evidence form` would have written), for the user to look at; ``result.after`` when there
    are none or they do not splice together."""
    held = {o.target.index: o.candidate for o in result.skipped if o.candidate is not None}
    done = {o.target.index: o.value for o in result.done}
    spliced = replace_bodies(result.before, {**done, **held}) if held else None
    return spliced.text if isinstance(spliced, Spliced) else result.after
