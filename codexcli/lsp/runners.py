"""One function per action: run the task on the buffer's text as its CLI command does (the same
task function, prompt, cache, repository context and write threshold) and say what to change.

A runner returns a ``Proposal``: the files to change (the buffer itself; a test file; a new
translation) and one line for the user. It never writes: the server turns the proposal into a
``workspace/applyEdit`` carrying the buffer version it was computed on.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from codexcli.backends import Backend
from codexcli.config import Settings, default_workers
from codexcli.errors import SourceError, TaskFailed, UsageError
from codexcli.evidence import threshold_for
from codexcli.lsp.jobs import Job
from codexcli.lsp.settings import ServerOptions
from codexcli.prompts import load_prompt


@dataclass(frozen=True)
class FileChange:
    """A file's new text: ``buffer`` True for the document the action was asked on (its edit is
    checked against the version); ``before`` None for a new file."""

    path: Path
    after: str
    before: str | None
    buffer: bool = False


@dataclass(frozen=True)
class Proposal:
    """What an action would change, and the line that tells the user (each target's result and
    its evidence, or why nothing is written)."""

    changes: tuple[FileChange, ...]
    message: str
    candidates: tuple[tuple[str, str, str], ...] = ()  # (name, value, evidence) for inline completion
    version: int | None = None  # the buffer version it was computed on (set by the server)


@dataclass
class RunContext:
    """One action's inputs: the task, its target's name, the buffer, the settings and options."""

    task: str
    name: str
    text: str
    path: Path
    settings: Settings
    options: ServerOptions
    backend: Callable[[], Backend]
    job: Job


def _name(target: Any) -> str:
    return str(getattr(target, "qualname", None) or getattr(target, "name", target))


def summary(result: Any, threshold: str) -> str:
    """One line over the outcomes: what was done with its evidence, what was held back or
    skipped and why."""
    parts = []
    for o in result.outcomes:
        if o.status == "below threshold":
            parts.append(f"{_name(o.target)}: held back, evidence {o.evidence.level} is below {threshold!r}")
        elif o in result.done:
            parts.append(f"{_name(o.target)}: {o.status} (evidence {o.evidence.describe()})")
        else:
            parts.append(f"{_name(o.target)}: {o.status}: {o.reason}")
    return "; ".join(parts) or "nothing to do"


def _buffer_proposal(ctx: RunContext, result: Any, threshold: str) -> Proposal:
    changes = (FileChange(ctx.path, result.after, result.before, buffer=True),) if result.changed else ()
    candidates = tuple(
        (_name(o.target), str(o.value), o.evidence.describe()) for o in result.done if isinstance(o.value, str)
    )
    return Proposal(changes, summary(result, threshold), candidates)


@contextmanager
def repo_context(ctx: RunContext) -> Iterator[Any]:
    """The repository context the CLI's prompts show (index/context.py), or None; warnings go
    to the job's progress."""
    from codexcli.index.context import open_repo_context

    repo = open_repo_context(ctx.path, ctx.settings, warn=lambda m: ctx.job.set_stage(f"warning: {m}"))
    try:
        yield repo
    finally:
        if repo is not None:
            repo.close()


def run_fill(ctx: RunContext) -> Proposal:
    """`codex generate --fill FILE --only NAME` on the buffer."""
    from codexcli.tasks.generate.fill import fill_stubs
    from codexcli.tasks.generate.selection import samples_for

    threshold = threshold_for("fill", ctx.settings.evidence)
    with repo_context(ctx) as repo:
        result = fill_stubs(
            ctx.backend,
            load_prompt("fill", ctx.settings.prompts_dir),
            ctx.text,
            str(ctx.path),
            ctx.settings,
            only=[ctx.name],
            on_start=lambda t, i, n: ctx.job.set_stage(f"filling {t.qualname}"),
            samples=samples_for(ctx.options.samples, threshold),
            workers=default_workers(),
            repo=repo,
            threshold=threshold,
        )
    return _buffer_proposal(ctx, result, threshold)


def run_comment(ctx: RunContext) -> Proposal:
    """`codex comment FILE --only NAME` on the buffer."""
    from codexcli.cache import model_identity, open_cache
    from codexcli.tasks.comment.run import comment_source

    threshold = threshold_for("comment", ctx.settings.evidence)
    cache = open_cache(True, warn=lambda m: ctx.job.set_stage(f"warning: {m}"))
    try:
        with repo_context(ctx) as repo:
            result = comment_source(
                ctx.text,
                str(ctx.path),
                settings=ctx.settings,
                prompt=load_prompt("comment", ctx.settings.prompts_dir),
                backend=ctx.backend,
                cache=cache,
                model_id=model_identity(ctx.settings),
                only=[ctx.name],
                on_start=lambda t, i, n: ctx.job.set_stage(f"documenting {t.qualname}"),
                repo=repo,
                samples=ctx.options.samples or 1,
            )
    finally:
        cache.close()
    return _buffer_proposal(ctx, result, threshold)


def run_optimize(ctx: RunContext) -> Proposal:
    """`codex optimize FILE::NAME` on the buffer."""
    from codexcli.tasks.optimize.run import OptimizeOptions, optimize_source

    threshold = threshold_for("optimize", ctx.settings.evidence)
    options = OptimizeOptions() if ctx.options.samples is None else OptimizeOptions(samples=ctx.options.samples)
    result = optimize_source(
        ctx.backend(),
        load_prompt("optimize", ctx.settings.prompts_dir),
        ctx.text,
        str(ctx.path),
        ctx.settings,
        options,
        only=ctx.name,
        on_progress=ctx.job.set_stage,
        threshold=threshold,
    )
    return _buffer_proposal(ctx, result, threshold)


def _saved(ctx: RunContext, what: str) -> None:
    """Tasks that run the module from disk need the buffer saved."""
    try:
        on_disk = ctx.path.read_text(encoding="utf-8")
    except OSError:
        on_disk = None
    if on_disk != ctx.text:
        raise UsageError(f"save {ctx.path.name} first: {what} runs the module from disk")


def run_testgen(ctx: RunContext) -> Proposal:
    """`codex testgen FILE --function NAME`: tests into the project's test file."""
    from codexcli.tasks.testgen.pytest_runner import PytestRunner
    from codexcli.tasks.testgen.request import find_targets, select_targets
    from codexcli.tasks.testgen.run import TestgenJob, baseline_run, generate_tests, kept_tests
    from codexcli.verify.sandbox.project import find_layout, project_root

    _saved(ctx, "writing tests")
    threshold = threshold_for("testgen", ctx.settings.evidence)
    out = project_root(ctx.path) / "tests" / f"test_{ctx.path.stem}.py"
    existing = out.read_text(encoding="utf-8") if out.is_file() else None
    targets = select_targets(find_targets(ctx.text), [ctx.name])
    with PytestRunner(find_layout(ctx.path, out), None) as runner:
        if (problem := runner.check_import()) is not None:
            raise SourceError(f"{ctx.path.name}: {problem.message}")
        job = TestgenJob(runner, ctx.text, str(ctx.path), existing or "", samples=ctx.options.samples or 1)
        baseline_run(job)

        def stage(target: Any, number: int, total: int, text: str) -> None:
            ctx.job.set_stage(f"{target.qualname}: {text}")

        result = generate_tests(ctx.backend(), load_prompt("testgen", ctx.settings.prompts_dir), job, targets,
                                ctx.settings, on_stage=stage, threshold=threshold)  # fmt: skip
    if not kept_tests(result):
        raise TaskFailed(f"no generated test for {ctx.name} passed every check; {out.name} was not changed")
    return Proposal((FileChange(out, result.after, existing),), f"{out.name}: " + summary(result, threshold))


def run_translate(ctx: RunContext) -> Proposal:
    """`codex translate FILE --to LANGUAGE`: a new file, written only when it compiles and holds
    a definition that reaches the threshold."""
    from codexcli.tasks.translate.lang import output_path, resolve_target
    from codexcli.tasks.translate.run import TranslateJob, TranslateOptions, translate_source, translated

    target = resolve_target(ctx.name)
    threshold = threshold_for("translate", ctx.settings.evidence)
    dest = output_path(ctx.path, target, None)
    with repo_context(ctx) as repo:
        result = translate_source(
            ctx.backend(),
            load_prompt("translate", ctx.settings.prompts_dir),
            TranslateJob(ctx.text, ctx.path, "python", target, dest),
            ctx.settings,
            TranslateOptions(threshold=threshold, samples=ctx.options.samples or 1),
            repo=repo,
            on_start=lambda unit, i, n: ctx.job.set_stage(f"translating {unit.name} ({i}/{n})"),
        )
    check = result.facts.check
    if check.ok is not True or not translated(result):
        why = "it does not compile" if check.ok is False else "nothing reached the threshold or it could not be checked"
        raise TaskFailed(f"{dest.name} not written: {why} ({summary(result, threshold)})")
    before = dest.read_text(encoding="utf-8") if dest.is_file() else None
    return Proposal((FileChange(dest, result.after, before),), f"{dest.name}: " + summary(result, threshold))


RUNNERS: dict[str, Callable[[RunContext], Proposal]] = {
    "fill": run_fill,
    "comment": run_comment,
    "testgen": run_testgen,
    "optimize": run_optimize,
    "translate": run_translate,
}
