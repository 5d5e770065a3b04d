"""`codex translate FILE --to LANG`: translate a file, checked by compiling and by running both versions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli import languages
from codexcli.cli.common import command, load_settings_for
from codexcli.cli.index import shown, shown_line
from codexcli.cli.options import EvidenceLevel, MaxTokens, NoContext, Retries, Samples, Temperature, write_threshold
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Table, evidence_cell, evidence_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import EXIT_TASK_FAILED, UsageError

_TARGETS = ", ".join(language.name for language in languages.translatable())


@command("translate")
def translate_command(
    file: Annotated[
        Path, typer.Argument(help="The source file to translate (never modified).", show_default=False, metavar="FILE")
    ],
    to: Annotated[str, typer.Option("--to", help=f"Target language: {_TARGETS}.", metavar="LANG")],
    from_: Annotated[
        Optional[str],
        typer.Option("--from", help="Source language, when the file's extension does not tell.", metavar="LANG"),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Write here (default: next to FILE, named by the target's conventions, e.g. Stubs.java).",
            metavar="PATH",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the translation on stdout; write nothing.")] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the unified diff of the output file on stdout; write nothing.")
    ] = False,
    keep_unverified: Annotated[
        bool,
        typer.Option(
            "--keep-unverified",
            help="Also write definitions that are not verified (each marked `codex: unverified: <why>`), "
            "and the file even when the target's compiler is not installed; same as --evidence form.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="With --keep-unverified: still drop functions that fail the behaviour check (by default only "
            "verified definitions are written).",
        ),
    ] = False,
    cases: Annotated[
        int, typer.Option("--cases", help="Most input cases per function for the behaviour check.", min=1, max=100)
    ] = 12,
    temperature: Temperature = None,
    max_tokens: MaxTokens = None,
    retries: Retries = None,
    samples: Samples = 1,
    no_context: NoContext = False,
    evidence: EvidenceLevel = None,
    lines: Annotated[
        bool,
        typer.Option(
            "--lines/--no-lines",
            help="Java, C++, TypeScript and Rust from Python: when no whole answer for a function matches the "
            "original, assemble it line by line (codex lays out the method and writes what is deterministic, "
            "the model the other statements, each checked on the original's states).",
        ),
    ] = True,
    *,
    ui: Output,
) -> int:
    """Translate FILE to another language; write only the definitions verified to behave the same.

    Python files are translated one top-level definition at a time, compiled with the target's
    toolchain, and each function is run on the original's input cases (doctests, tests, type
    hints) to compare results. By default only definitions that behave like the original (and
    constants codex writes itself) are written; the rest are reported with their code in --json,
    and written marked `codex: unverified` with --keep-unverified (or --evidence form). Files in Java, JavaScript, TypeScript, C++, Go, Rust or C# are
    translated to Python and checked by compiling. In a git work tree (or a folder indexed with
    `codex index`) each prompt also shows the repository's definitions related to the code (the
    helpers it calls, similar code); --no-context turns that off.

    Examples:

      codex translate examples/translate_me.py --to java

      codex translate examples/translate_me.py --to javascript --dry-run

      codex translate examples/translate_me.py --to java --diff

      codex --json translate Utils.java --to python --out utils.py

    \f
    Long: the signature is the options (one annotated parameter each, with its help); the body is short.
    """
    from codexcli.tasks.translate.lang import detect_source, output_path, resolve_target
    from codexcli.workspace import read_text

    target = resolve_target(to)
    shown_diff, dry_run = diff, dry_run or diff
    source_language = detect_source(file, from_)
    if source_language == target:
        raise UsageError(f"{file} is already {target}; choose another --to language")
    if source_language != "python" and target != "python":
        raise UsageError(
            f"codex translates Python to other languages and other languages to Python, not {source_language} to {target}"
        )
    dest = output_path(file, target, out)
    if dest.resolve() == file.resolve():
        raise UsageError("the output would overwrite the input file; choose another --out")
    if not dry_run and not dest.parent.is_dir():
        raise UsageError(f"{dest.parent}: no such directory")
    if not dry_run and dest.exists() and not force:
        raise UsageError(f"{dest} already exists; pass --force to overwrite it (or --dry-run)")
    source = read_text(file)
    if source_language == "python":
        from codexcli.workspace import check_python_syntax

        check_python_syntax(source.text, str(file))
    settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries)
    threshold = _threshold(keep_unverified, evidence, settings)
    return _run(
        ui,
        file,
        source.text,
        source_language,
        target,
        dest,
        settings,
        strict,
        cases,
        dry_run,
        threshold,
        force,
        samples,
        no_context,
        lines,
        shown_diff,
    )


def _reviewed(ui: Output, dest: Path, result: Any, *, asked: bool) -> tuple[bool, Any]:
    """--interactive: each translated definition asked about alone (cli/apply.review); (whether
    some were declined, the result with only the accepted ones)."""
    from codexcli.tasks.translate.run import translated

    if not asked or not translated(result):
        return False, result
    from codexcli.cli.apply import review

    reviewed = review(dest, result, ui)
    return reviewed is not result, reviewed


def _threshold(keep_unverified: bool, asked: str | None, settings: Any) -> str:
    """The write threshold: "form" with --keep-unverified, else --evidence, the config's
    ``evidence``, or translate's own ("reference": only verified definitions)."""
    return "form" if keep_unverified else write_threshold("translate", asked, settings)


def _test_sources(path: Path) -> list[str]:
    """Existing tests of the file (test_<stem>.py / <stem>_test.py next to it or in tests/):
    calls in them are input cases."""
    names = [f"test_{path.stem}.py", f"{path.stem}_test.py"]
    found = []
    for folder in (path.parent, path.parent / "tests", Path.cwd() / "tests"):
        for name in names:
            candidate = folder / name
            if candidate.is_file():
                try:
                    found.append(candidate.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
    return found


def _run(
    ui: Output,
    file: Path,
    text: str,
    source_language: str,
    target: str,
    dest: Path,
    settings: Any,
    strict: bool,
    cases: int,
    dry_run: bool,
    threshold: str,
    force: bool,
    samples: int = 1,
    no_context: bool = False,
    lines: bool = True,
    diff: bool = False,
) -> int:
    from codexcli.prompts import load_prompt
    from codexcli.tasks.translate.run import TranslateJob, TranslateOptions, translate_source
    from codexcli.workspace import write_new_file

    prompt = load_prompt("translate", settings.prompts_dir)
    with edit_session(ui, "translate", settings, file, no_context=no_context) as session:
        progress, repo = session.progress, session.repo

        def on_start(unit: Any, number: int, total: int) -> None:
            progress.set(f"translating {unit.name} ({number}/{total})")
            if not ui.json and not progress.enabled:
                ui.say(f"translating {unit.name} ({number}/{total})")

        result = translate_source(
            session.backend(),
            prompt,
            TranslateJob(text, file, source_language, target, dest),
            settings,
            TranslateOptions(
                strict=strict,
                threshold=threshold,
                cases_limit=cases,
                test_sources=tuple(_test_sources(file)) if source_language == "python" else (),
                samples=samples,
                line_prompt=load_prompt("translate_line", settings.prompts_dir) if lines else None,
            ),
            repo=repo,
            on_start=on_start,
            on_token=progress.token,
        )

    from codexcli.tasks.translate.run import problems, translated

    declined, result = _reviewed(ui, dest, result, asked=ui.interactive and not dry_run and not diff)
    check = result.facts.check
    compiled = check.ok
    held = any(getattr(o, "candidate", None) is not None for o in result.outcomes)
    if compiled is True:
        written_ok, why = True, ""
        if declined and not translated(result):
            why = "every definition was declined at the --interactive prompt"
        elif held and not translated(result):
            why = f"no definition reaches the evidence threshold {threshold!r}; --keep-unverified writes them marked"
    elif compiled is None:
        written_ok = threshold == "form"
        why = f"not verified: {check.detail}" + ("" if written_ok else "; pass --keep-unverified to write it anyway")
    else:
        written_ok, why = False, f"it does not compile ({check.checker}): {check.detail}"
    written = False
    if written_ok and not dry_run and translated(result):
        write_new_file(dest, result.after, force=force)
        written = True
    # Written unverified (--keep-unverified) is still not success: exit 1 says so to scripts.
    unverified = any(o.evidence is None or not o.evidence.verified for o in translated(result))
    failed = not translated(result) or compiled is not True or bool(problems(result)) or unverified
    exit_code = EXIT_TASK_FAILED if failed else 0
    report = _report(file, result, dest, written, dry_run, why, exit_code, repo, threshold)
    print_report(_with_diff(report, dest, result.after) if diff else report, ui)
    return exit_code


def _with_diff(report: Report, dest: Path, after: str) -> Report:
    """--diff: the output file's unified diff on stdout instead of the code."""
    from dataclasses import replace

    from codexcli.workspace import unified_diff

    before = dest.read_text(encoding="utf-8", errors="replace") if dest.is_file() else ""
    return replace(report, stdout=unified_diff(dest, before, after))


def _report(
    file: Path,
    result: Any,
    dest: Path,
    written: bool,
    dry_run: bool,
    why: str,
    exit_code: int,
    repo: Any = None,
    threshold: str = "reference",
) -> Report:
    """translate's JSON object, or the code (dry run), a table of the definitions and what was
    written."""
    facts = result.facts
    check = facts.check
    payload = {
        "command": "translate",
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "file": str(file),
        "from": facts.source_language,
        "to": facts.target_language,
        "out": str(dest),
        "written": written,
        "dry_run": dry_run,
        "compiled": check.ok,
        "checker": check.checker,
        "detail": check.detail or None,
        "evidence_threshold": threshold,
        "not_written_because": None if written or dry_run else (why or "nothing was translated"),
        "functions": [
            {**_function_json(o, check.ok), "context": shown(repo, (str(file), o.target.name))} for o in result.outcomes
        ],
        "skipped_statements": list(facts.skipped),
        "code": result.after if dry_run else None,
    }
    status: list[Any] = [_table(result, dest)]
    status += filter(None, (shown_line(repo, (str(file), o.target.name), o.target.name) for o in result.outcomes))
    status += [f"left out (not a definition): {note}" for note in facts.skipped]
    held = [o.target.name for o in result.outcomes if getattr(o, "candidate", None) is not None]
    if held:
        status.append(
            f"not written (evidence below {threshold!r}, or uses what is): {', '.join(held)}; their code is "
            "'candidate' in --json; --keep-unverified writes them marked"
        )
    if written:
        status.append(f"wrote {dest} (compiled with {check.checker})")
    elif dry_run:
        status.append(f"dry run: nothing written{'; ' + why if why else ''}")
    else:
        status.append(f"{dest} not written: {why or 'nothing was translated'}")
    return Report(payload, result.after if dry_run else "", tuple(status))


def _function_json(o: Any, compiled: bool | None) -> dict[str, Any]:
    report = o.detail.behaviour
    return {
        "name": o.target.name,
        "kind": o.target.kind,
        "line": o.target.lineno,
        "translated_as": o.detail.defined_as or None,
        "status": o.status,
        "compiled": (compiled if o.status == "translated" or getattr(o, "candidate", None) is not None else False),
        "cases_passed": report.passed if report else 0,
        "cases_total": report.total if report else 0,
        "cases_left_out": list(report.left_out) if report else [],  # arguments its types cannot hold
        "behaviour": None
        if report is None
        else ("passed" if report.verified else "failed" if report.failed else "not checked"),
        "behaviour_detail": None if report is None else (report.error or report.first_failure()),
        # Written and verified: its evidence is examples or reference (codexcli/evidence.py).
        "verified": o.status == "translated" and o.evidence.verified and compiled is True,
        **evidence_fields(o),
        "attempts": len(o.attempts),
        "origin": o.detail.origin if o.detail.piece is not None else None,
        "reason": o.reason or None,
        # What the model last said, when nothing it said was usable (to see why).
        "last_output": o.attempts[-1].output[:800] if o.status == "failed" and o.attempts else None,
    }


def _table(result: Any, dest: Path) -> Table:
    """One row per definition. "verified" only for a written definition whose evidence is
    examples or reference; a written one below that is "unverified"."""
    ok = result.facts.check.ok
    rows = []
    for o in result.outcomes:
        r = o.detail.behaviour
        cases = f"{r.passed}/{r.total}" if r is not None and r.error is None else "-"
        compiled = {True: "yes", False: "no", None: "not verified"}[
            ok if o.status == "translated" or getattr(o, "candidate", None) is not None else False
        ]
        if o.status == "translated":
            status = "verified" if o.evidence.verified and ok else "unverified"
        else:
            status = o.status
        detail = o.reason or (o.evidence.facts if o.status == "translated" else "")
        rows.append((o.target.name, status, evidence_cell(o), compiled, cases, detail or ""))
    title = f"{result.facts.source_language} -> {result.facts.target_language}: {dest}"
    names = ("definition", "result", "evidence", "compiled", "cases", "detail")
    return Table(title, tuple(Column(name) for name in names), tuple(rows))
