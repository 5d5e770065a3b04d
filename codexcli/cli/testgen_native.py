"""`codex testgen` on a JavaScript or Java file (a language whose registry entry has ``tests``):
the checks of the input, the run (tasks/testgen/native/), the report. The Python path is
cli/testgen.py's own; the report (table, --json) is the same."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from codexcli.cli.output import Output
from codexcli.errors import EXIT_TASK_FAILED, SourceError, TaskFailed, UsageError


def supported() -> list[str]:
    """The suffixes testgen takes besides .py."""
    from codexcli import languages

    return [s for lang in languages.LANGUAGES if lang.tests is not None for s in lang.suffixes if s != ".cjs"]


def run_native(
    ui: Output,
    module: Path,
    out: Path | None,
    names: list[str],
    settings: Any,
    *,
    timeout: float,
    dry_run: bool,
    synthesize: bool,
    no_context: bool,
    report: Callable[..., Any],
) -> int:
    """testgen for ``module`` in its own language's framework; the exit code. ``report``: the
    report builder of cli/testgen.py (the table and --json are Python's)."""
    from codexcli import languages
    from codexcli.cli.apply import apply_edit
    from codexcli.cli.session import edit_session
    from codexcli.index.treesitter import GrammarMissing
    from codexcli.prompts import load_prompt
    from codexcli.tasks.native.targets import call_targets
    from codexcli.tasks.testgen.native.runner import runner_for, test_location
    from codexcli.tasks.testgen.native.task import generate_native_tests
    from codexcli.tasks.testgen.request import select_targets
    from codexcli.workspace import read_text

    language = languages.by_suffix(module.suffix)
    if language is None or language.tests is None:
        raise UsageError(f"{module}: testgen takes Python (.py) and {', '.join(supported())} files")
    source = read_text(module)
    out = out or test_location(language.name, module)
    if out.exists() and out.is_dir():
        raise UsageError(f"{out} is a directory; --out takes a file")
    existing = read_text(out) if out.exists() else None
    try:
        targets = select_targets(list(call_targets(language.name, source.text, module)), names)
    except GrammarMissing as exc:
        raise SourceError(f"{module}: {exc}") from None
    runner = runner_for(language.name, module, out, source.text, timeout)
    payload = {"command": "testgen", "ok": True, "module": str(module), "out": str(out), "language": language.name}
    missing = runner.missing()
    if missing is not None:
        from codexcli.cli.report import Report, print_report

        payload.update(ok=True, written=False, skipped=missing, functions=[])
        print_report(Report(payload, status=(f"{module}: skipped: {missing}",)), ui)
        return 0
    if not targets:
        from codexcli.cli.report import Report, print_report

        payload.update(written=False, functions=[])
        print_report(Report(payload, status=(f"{module}: no exported functions or public methods to test",)), ui)
        return 0
    prompt = load_prompt("testgen_calls", settings.prompts_dir)
    started = time.perf_counter()
    with edit_session(ui, "testgen", settings, None, no_context=no_context, total=len(targets)) as session:
        bar, backend = session.progress, session.backend

        def stage(target: Any, text: str) -> None:
            bar.set(f"{target.qualname}: {text}", done=targets.index(target))

        result = generate_native_tests(
            backend, prompt, runner, language.name, targets, settings,
            existing.text if existing else "", synthesize=synthesize, on_stage=stage, on_token=bar.token,
        )  # fmt: skip
    seconds = round(time.perf_counter() - started, 1)
    applied = apply_edit(out, result, dry_run=dry_run, bom=bool(existing and existing.bom), make_parents=True, ui=ui)
    kept = sum(len(o.detail.kept) for o in result.outcomes)
    code = 0 if kept else EXIT_TASK_FAILED
    from codexcli.cli.report import print_report

    shown = report(module, out, result, applied, runner.runs, code, seconds)
    shown.payload.update(language=language.name, coverage_counts="statements")
    print_report(shown, ui)
    if not kept and not ui.json:
        raise TaskFailed(f"no generated test passed every check; {out} was not changed")
    return code
