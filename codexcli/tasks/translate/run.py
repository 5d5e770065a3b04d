"""`codex translate`: a file in one language, rewritten in another, checked twice.

A Python file is translated one top-level definition at a time (callees first, so every piece
compiles against what it uses), each prompt small enough for the context window. Every answer
is assembled with the pieces already accepted and compiled with the target's toolchain; the
compiler's errors go back to the model (capped retries). Then each translated function is run
on the original's input cases through a harness in the target language, and compared with what
the Python function returns (TransCoder's "computational accuracy"). Files in other languages
are translated to Python whole (or in brace-balanced chunks when too long) and checked by
compiling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from codexcli import languages
from codexcli.backends.base import Backend, TokenCallback
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.tasks.pipeline import EditResult, run_task
from codexcli.tasks.translate.judge import TranslateRun
from codexcli.tasks.translate.task import LINE_SAMPLES, TranslateTask, clean_piece
from codexcli.tasks.translate.types import TranslateFacts, TranslateJob, TranslateOptions, UnitCheck, UnitOutcome
from codexcli.tasks.translate.units import Unit, context_block, other_units, python_units

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext

__all__ = [
    "LINE_SAMPLES",
    "TranslateFacts",
    "TranslateJob",
    "TranslateOptions",
    "UnitCheck",
    "clean_piece",
    "compiled",
    "problems",
    "translate_source",
    "translated",
    "verified",
]


def compiled(outcome: UnitOutcome) -> bool | None:
    """Whether the unit's piece compiled (None: no compiler to tell)."""
    check = outcome.detail.check
    return None if check is None else check.ok


def verified(outcome: UnitOutcome) -> bool:
    """Compiled, and matched the original on every case (needs at least one case)."""
    behaviour = outcome.detail.behaviour
    return outcome.status == "translated" and compiled(outcome) is True and behaviour is not None and behaviour.verified


def translated(result: EditResult) -> list[UnitOutcome]:
    """The units of a translation that were translated."""
    return [o for o in result.outcomes if o.status == "translated"]


def problems(result: EditResult) -> list[UnitOutcome]:
    """Units that failed to translate, were dropped, or compute something else."""
    return [
        o
        for o in result.outcomes
        if o.status != "translated" or (o.detail.behaviour is not None and o.detail.behaviour.failed)
    ]


def translate_source(
    backend: Backend,
    prompt: PromptTemplate,
    job: TranslateJob,
    settings: Settings,
    options: TranslateOptions = TranslateOptions(),
    *,
    repo: RepoContext | None = None,
    on_start: Callable[[Unit, int, int], None] | None = None,
    on_token: TokenCallback | None = None,
) -> EditResult[TranslateFacts]:
    """Translate ``job.source`` and check it (tasks/translate/task.py, through the pipeline's
    ``run_task``). With ``options.samples`` > 1 each definition gets that many answers; among
    those that compile, the one matching the original on the most input cases (Python sources
    with a behaviour harness), then one that needed no repair, is kept (tasks/samples.py). With
    ``options.line_prompt`` (Java, C++, TypeScript from Python), a function whose whole answers do not verify is
    also assembled line by line (tasks/translate/lines.py) and kept when it matches the original
    on more cases. With ``repo``, each prompt also shows the repository's definitions related to
    the unit (the helpers it calls, similar code; in the source language), recorded in
    ``repo.shown`` under (str(job.source_path), unit name). Returns the pipeline's EditResult:
    ``before`` is empty (the translation is a new file), ``after`` the assembled text, one
    outcome per unit, and TranslateFacts (the final compile check among them). Writes nothing:
    the caller decides from the check and the outcomes."""
    python = job.source_language == "python"
    if python:
        units, skipped = python_units(job.source, job.target)
    else:
        budget_chars = max(400, (backend.context_length() - settings.max_tokens - 400) * 3)
        units, skipped = other_units(job.source, budget_chars), []
    names = {u.name: u.target_name for u in units if u.target_name}
    run = TranslateRun(
        backend,
        options.line_prompt,
        settings,
        job.source,
        names,
        job.target,
        job.out_path,
        {},  # the original's runs on its cases, by function
        options.test_sources,
        options.cases_limit,
        options.per_case_timeout_s,
    )
    context = context_block(job.source, languages.get(job.source_language).fence) if python else ""
    task = TranslateTask(prompt, job, settings, options, tuple(units), tuple(skipped), run, context, repo, on_token)
    return run_task(
        task, "", units, lambda: backend, retries=settings.retries, draw=task.draw, on_start=on_start, on_token=on_token
    )
