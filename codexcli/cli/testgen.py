"""`codex testgen`: pytest tests for a module that run, pass, and kill mutants."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.index import shown, shown_line
from codexcli.cli.options import (
    Diff,
    DryRun,
    EvidenceLevel,
    MaxTokens,
    NoContext,
    Retries,
    Samples,
    Temperature,
    write_threshold,
)
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Table, edit_fields, evidence_cell, evidence_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import EXIT_TASK_FAILED, SourceError, TaskFailed, UsageError


@command("testgen")
def testgen_command(
    module: Annotated[
        Path,
        typer.Argument(
            help="The module to write tests for (Python, JavaScript or Java; never modified); MODULE::NAME for one function.",
            show_default=False,
            metavar="MODULE[::NAME]",
        ),
    ],
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Test file to add the tests to (default: tests/test_<module>.py in the module's project).",
            metavar="FILE",
        ),
    ] = None,
    function: Annotated[
        Optional[list[str]],
        typer.Option(
            "--only",
            "--function",
            "-f",
            help="Only this function, class or Class.method (as MODULE::NAME); repeatable.",
            metavar="NAME",
        ),
    ] = None,
    python: Annotated[
        Optional[str],
        typer.Option(
            "--python",
            help="The project's Python (with pytest) to run the tests with (default: the one running codex).",
            metavar="PATH",
        ),
    ] = None,
    dry_run: DryRun = False,
    diff: Diff = False,
    mutants: Annotated[
        int,
        typer.Option(
            "--mutants", help="Most mutants per function for the assertion-strength check (0: skip it).", min=0, max=50
        ),
    ] = 6,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds one pytest run of the candidates may take (and, up to 15, importing the module).",
            min=1.0,
        ),
    ] = 60.0,
    oracle: Annotated[
        str,
        typer.Option(
            "--oracle",
            help="Where expected values come from: 'observed' (a wrong literal in `assert f(x) == literal` is "
            "replaced by what the code returns, run in the sandbox: a characterization test) or 'model' (as written).",
        ),
    ] = "observed",
    synthesize: Annotated[
        bool,
        typer.Option(
            "--synthesize/--no-synthesize",
            help="Also write tests from inputs codex makes up (inferred types, Hypothesis) for lines still uncovered.",
        ),
    ] = True,
    samples: Samples = 1,
    temperature: Temperature = None,
    max_tokens: MaxTokens = None,
    retries: Retries = None,
    no_context: NoContext = False,
    evidence: EvidenceLevel = None,
    *,
    ui: Output,
) -> int:
    """Write tests for MODULE that run, pass, check something, and raise coverage.

    Python modules get pytest tests; JavaScript and TypeScript files node:test tests, Java
    classes JUnit 5 tests (calls whose results are observed in the sandbox; docs/testgen.md).

    Every candidate test runs in a sandbox (a temporary copy of the project, with --python); only tests that pass twice, assert something and kill mutants of the code are kept, and they are appended to the test file. The module itself is never changed.

    In a git work tree (or a folder indexed with `codex index`) each prompt also shows the
    repository's definitions related to the target and their existing tests; --no-context
    turns that off.

    Examples:

      codex testgen src/pkg/util.py

      codex testgen examples/textutils.py::clamp --out build/test_textutils.py --diff

    \f
    Long: the signature is the options (one annotated parameter each, with its help); the body is short.
    """
    from codexcli.cli.options import split_target
    from codexcli.tasks.testgen.request import find_targets, select_targets
    from codexcli.verify.sandbox.project import find_layout, project_root
    from codexcli.workspace import read_python

    module, names = split_target(module)
    function = names + list(function or []) or None
    dry_run = dry_run or diff
    if module.suffix != ".py":
        from codexcli.cli.testgen_native import run_native

        settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries)
        return run_native(
            ui, module, out, function or [], settings, timeout=timeout, dry_run=dry_run, synthesize=synthesize,
            no_context=no_context, report=_report,
        )  # fmt: skip
    if oracle not in ("observed", "model"):
        raise UsageError(f"--oracle {oracle}: choose observed or model")
    source = read_python(module)
    if python is not None and shutil.which(python) is None:
        raise UsageError(f"--python {python}: no such executable")
    if out is None:
        out = project_root(module) / "tests" / f"test_{module.stem}.py"
    if out.exists() and out.is_dir():
        raise UsageError(f"{out} is a directory; --out takes a file")
    existing = read_python(out) if out.exists() else None
    layout = find_layout(module, out)
    targets = select_targets(find_targets(source.text), function or [])
    if not targets:
        payload = {"command": "testgen", "ok": True, "module": str(module), "out": str(out)}
        payload.update(written=False, functions=[])
        print_report(Report(payload, status=(f"{module}: no public functions, methods or classes to test",)), ui)
        return 0
    settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries)
    extra = {"oracle": oracle, "synthesize": synthesize, "samples": samples}
    threshold = write_threshold("testgen", evidence, settings)
    return _run(
        ui,
        module,
        source.text,
        out,
        existing,
        layout,
        targets,
        python,
        settings,
        mutants,
        timeout,
        dry_run,
        extra,
        no_context,
        threshold,
    )


def _run(
    ui: Output,
    module: Path,
    module_text: str,
    out: Path,
    existing: Any,
    layout: Any,
    targets: list[Any],
    python: str | None,
    settings: Any,
    mutants: int,
    timeout: float,
    dry_run: bool,
    extra: dict[str, Any],
    no_context: bool = False,
    threshold: str | None = None,
) -> int:
    from codexcli.cli.apply import apply_edit
    from codexcli.prompts import load_prompt
    from codexcli.tasks.testgen.pytest_runner import PytestRunner, summarise_traceback
    from codexcli.tasks.testgen.run import TestgenJob, baseline_run, generate_tests, kept_tests

    prompt = load_prompt("testgen", settings.prompts_dir)
    with PytestRunner(layout, python, timeout_s=timeout, import_timeout_s=min(15.0, timeout)) as runner:
        problem = runner.check_import()
        if problem is not None:
            raise SourceError(f"{module}: {problem.message}", hint="no test file was written")
        job = TestgenJob(
            runner, module_text, str(module), existing.text if existing else "", max_mutants=mutants, **extra
        )
        baseline = baseline_run(job)
        if job.test_source and baseline.collect_error:
            raise SourceError(
                f"{out}: the existing tests cannot be collected: {summarise_traceback(baseline.collect_error)}"
            )
        started = time.perf_counter()
        # Only now: bad input never loads a model.
        with edit_session(ui, "testgen", settings, module, no_context=no_context, total=len(targets)) as session:
            bar, backend, repo = session.progress, session.backend, session.repo

            def stage(target: Any, number: int, total: int, text: str) -> None:
                bar.set(f"{target.qualname}: {text}", done=number - 1)

            if repo is not None:
                from codexcli.tasks.testgen.context import with_context

                bar.set("choosing related code from the repository")
                targets = with_context(
                    repo,
                    backend(),
                    prompt,
                    settings,
                    targets,
                    module=module,
                    module_name=job.module_name,
                    module_source=module_text,
                    test_file=out,
                    test_source=job.test_source,
                )
            result = generate_tests(
                backend(), prompt, job, targets, settings, on_stage=stage, on_token=bar.token, threshold=threshold
            )
        runs = runner.runs
        seconds = round(time.perf_counter() - started, 1)

    applied = apply_edit(out, result, dry_run=dry_run, bom=bool(existing and existing.bom), make_parents=True, ui=ui)
    result = applied.result  # --interactive: the targets declined are Skipped in it
    kept = kept_tests(result)
    code = 0 if kept else EXIT_TASK_FAILED
    print_report(_report(module, out, result, applied, runs, code, seconds, repo), ui)
    if not kept and not ui.json and not applied.declined:
        raise TaskFailed(
            f"no generated test passed every check; {out} was not changed",
            hint="try --retries 4, --temperature 0.7, or a bigger model (--model PATH)",
        )
    return code


def _cov(c: Any) -> dict[str, Any] | None:
    return c.as_dict() if c is not None else None


def _function_json(r: Any, context: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": r.target.qualname,
        "kind": r.target.kind,
        "line": r.target.first_line,
        "candidates": r.candidates,
        "kept": len(r.kept),
        "kept_candidates": r.kept_candidates,
        "kept_tests": [t.name for t in r.kept],
        "dropped": r.dropped_by_reason(),
        "dropped_tests": [{"name": d.name, "reason": d.reason, "detail": d.detail[:300]} for d in r.dropped],
        "mutants": {"total": r.mutants, "killed": r.mutants_killed, "kills_per_test": dict(r.kills)},
        "coverage": {"before": _cov(r.coverage_before), "after": _cov(r.coverage_after)},
        "attempts": len(r.attempts),
        "error": r.error,
        "completion_tokens": r.completion_tokens,
        "model_seconds": r.model_seconds,
        "synthesized": r.synthesized,
        "context": context,
        "observed_assertions": [
            {"test": test, "line": o.line, "written": o.written, "observed": o.observed, "how": o.how}
            for test, seen in r.observed.items()
            for o in seen
        ],
    }


def _totals(reports: list[Any]) -> dict[str, Any]:
    totals: dict[str, Any] = {"candidates": 0, "kept": 0, "dropped": {}, "mutants": 0, "mutants_killed": 0}
    totals.update(synthesized=0, observed_assertions=0)
    for r in reports:
        totals["synthesized"] += r.synthesized
        totals["observed_assertions"] += sum(len(seen) for seen in r.observed.values())
        totals["candidates"] += r.candidates
        totals["kept"] += len(r.kept)
        totals["mutants"] += r.mutants
        totals["mutants_killed"] += r.mutants_killed
        for reason, n in r.dropped_by_reason().items():
            totals["dropped"][reason] = totals["dropped"].get(reason, 0) + n
    return totals


_COLUMNS = (
    Column("target"),
    Column("cand.", "right"),
    Column("kept", "right"),
    Column("dropped"),
    Column("mutants killed"),
    Column("coverage before"),
    Column("after"),
    Column("evidence"),
)


def _report(
    module: Path, out: Path, result: Any, applied: Any, runs: int, code: int, seconds: float, repo: Any = None
) -> Report:
    """testgen's JSON object, or its diff (dry run), a table of the targets and the totals."""
    from codexcli.tasks.testgen.run import kept_tests

    before, after = result.facts.coverage_before, result.facts.coverage_after
    payload = {"command": "testgen", "ok": code == 0, "exit_code": code, "module": str(module), "out": str(out)}
    payload.update(edit_fields(result, applied), pytest_runs=runs)
    payload["functions"] = [
        {**_function_json(o.detail, shown(repo, (str(module), o.target.qualname))), **evidence_fields(o)}
        for o in result.outcomes
    ]
    payload["totals"] = _totals(result.details)
    payload["coverage"] = {"before": _cov(before), "after": _cov(after)}
    payload["seconds"] = seconds
    payload["timings"] = result.facts.timings
    rows = []
    for o in result.outcomes:
        r = o.detail
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(r.dropped_by_reason().items())) or "-"
        if r.error and not r.dropped:
            dropped = r.error[:80]
        kills = f"{r.mutants_killed}/{r.mutants}"
        rows.append(
            (
                r.target.qualname,
                str(r.candidates),
                str(len(r.kept)),
                dropped,
                kills,
                _fmt(r.coverage_before),
                _fmt(r.coverage_after),
                evidence_cell(o),
            )
        )
    table = Table(f"{module} -> {out}", _COLUMNS, tuple(rows))
    line = f"{kept_tests(result)} test(s) kept; total coverage {_fmt(before)} -> {_fmt(after)}; {out} {applied.action}"
    notes = [shown_line(repo, (str(module), r.target.qualname), r.target.qualname) for r in result.details]
    return Report(payload, applied.diff if applied.dry_run else "", (table, *filter(None, notes), line))


def _fmt(c: Any) -> str:
    if c is None:
        return "-"
    return f"{c.percent:.0f}% ({c.lines_covered}/{c.lines_total} lines, {c.branches_covered}/{c.branches_total} br)"
