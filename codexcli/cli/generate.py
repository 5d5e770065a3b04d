"""`codex generate`: code from a description, or bodies for the stub functions of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.index import shown, shown_line
from codexcli.cli.options import Diff, DryRun, EvidenceLevel, MaxTokens, NoContext, Retries, Temperature
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Table, edit_fields, evidence_cell, evidence_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import EXIT_TASK_FAILED, TaskFailed, UsageError
from codexcli.evidence import threshold_for

# --samples as the other commands have it, but None when not given: generate then draws as many
# as its evidence threshold needs (tasks/generate/selection.samples_for).
SamplesOrDefault = Annotated[
    Optional[int],
    typer.Option(
        "--samples",
        "-n",
        help="Candidates to draw per target (different seeds); the best verified one is kept "
        "(default: 5 when the --evidence threshold is above form, so samples can agree; else 1).",
        min=1,
        max=100,
    ),
]


@command("generate")
def generate_command(
    description: Annotated[
        Optional[str], typer.Argument(help="What the code should do, in words.", show_default=False)
    ] = None,
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language of the code to write.")] = "python",
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Write the code to this new file instead of stdout.", metavar="FILE"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --out overwrite an existing file.")] = False,
    fill: Annotated[
        Optional[Path],
        typer.Option(
            "--fill",
            help="Fill the stub functions (pass / ... / raise NotImplementedError) of this Python file in place "
            "(FILE::NAME: only that one).",
            metavar="FILE[::NAME]",
        ),
    ] = None,
    only: Annotated[
        Optional[list[str]],
        typer.Option(
            "--only",
            help="With --fill: only this function (as --fill FILE::NAME; e.g. Class.method); repeatable.",
            metavar="NAME",
        ),
    ] = None,
    dry_run: DryRun = False,
    diff: Diff = False,
    temperature: Temperature = None,
    max_tokens: MaxTokens = None,
    retries: Retries = None,
    samples: SamplesOrDefault = None,
    evidence: EvidenceLevel = None,
    no_context: NoContext = False,
    *,
    ui: Output,
) -> int:
    """Write code from a DESCRIPTION, or fill the stub functions of a file with --fill.

    Inside a git repository (or a folder indexed with `codex index`) the prompt also shows the
    repository's definitions most related to the task; --no-context turns that off.

    Examples:

      codex generate "parse an ISO 8601 date into a datetime"

      codex generate "debounce a function" --lang javascript --out debounce.js

      codex generate --fill examples/stubs.py --diff

      codex generate --fill examples/stubs.py --samples 10

    --fill writes a body only with evidence of at least `consensus` (5 samples, most behaving the
    same), or the stub's tests or docstring examples passing; `--evidence form` writes one
    answer that merely parses and compiles, as before.
    """
    if fill is not None:  # --fill FILE::NAME is --fill FILE --only NAME
        from codexcli.cli.options import split_target

        fill, names = split_target(fill)
        only = names + list(only or []) or None
    if (description is None) == (fill is None):
        raise UsageError("give either a DESCRIPTION or --fill FILE (not both)")
    if fill is not None and (out is not None or lang.lower() not in ("python", "py")):
        raise UsageError("--fill edits a Python file in place; --out and --lang do not apply")
    if fill is None and (only or dry_run or diff):
        raise UsageError("--only, --dry-run and --diff go with --fill")
    settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries, evidence=evidence)
    threshold = _threshold("fill" if fill is not None else "generate", settings.evidence)
    if fill is not None:
        return _fill(ui, fill, settings, only or [], dry_run or diff, samples, no_context, threshold)
    assert description is not None
    return _describe(ui, description, lang, out, force, settings, samples, no_context, threshold)


def _threshold(task: str, asked: str | None) -> str:
    """The write threshold (codexcli/evidence.py): --evidence or the config's, else the task's."""
    try:
        return threshold_for(task, asked)
    except ValueError as exc:
        raise UsageError(f"--evidence: {exc}") from None


def _selection_json(selection: Any) -> dict[str, Any] | None:
    """The evidence behind a --samples choice, for --json."""
    if selection is None:
        return None
    return {
        "strategy": selection.strategy,
        "reason": selection.reason,
        "inputs": selection.inputs,
        "dropped": len(selection.dropped),
        "ranking": [
            {
                "candidate": r.candidate.number,
                "seed": r.candidate.seed,
                "examples_passed": r.examples_passed,
                "examples_total": r.examples_total,
                "agreement": r.agreement,
                "tests_passed": r.tests_passed,
                "mean_logprob": r.candidate.mean_logprob,
            }
            for r in selection.ranking
        ],
    }


def _describe(
    ui: Output,
    description: str,
    lang: str,
    out: Path | None,
    force: bool,
    settings: Any,
    samples: int | None = None,
    no_context: bool = False,
    threshold: str = "form",
) -> int:
    from codexcli.config import default_workers
    from codexcli.prompts import load_prompt
    from codexcli.tasks.common import GaveUp
    from codexcli.tasks.generate.run import generate_code, resolve_language
    from codexcli.tasks.generate.selection import samples_for
    from codexcli.workspace import write_new_file

    language = resolve_language(lang)
    if out is not None and out.exists() and not force:
        raise UsageError(f"{out} already exists; pass --force to overwrite it")
    prompt = load_prompt("generate", settings.prompts_dir)
    drawn = samples_for(samples, threshold)
    with edit_session(ui, "generate", settings, Path.cwd(), no_context=no_context) as session:
        session.progress.set(f"writing {language} code" + (f" ({drawn} candidates)" if drawn > 1 else ""))
        result = generate_code(
            session.backend(),
            prompt,
            description,
            language,
            settings,
            on_token=session.progress.token,
            samples=drawn,
            workers=default_workers(),
            repo=session.repo,
        )
    if isinstance(result, GaveUp):
        if ui.json:
            ui.emit_json(
                {
                    "command": "generate",
                    "ok": False,
                    "exit_code": EXIT_TASK_FAILED,
                    "language": language,
                    "error": {"kind": "rejected", "message": result.reason},
                    "attempts": [{"error": a.error, "output": a.output} for a in result.attempts],
                    "context": shown(session.repo, ("", "description")),
                }
            )
            return EXIT_TASK_FAILED
        raise TaskFailed(
            f"no usable code after {len(result.attempts)} attempt(s): {result.reason}",
            hint="try a more specific description, --temperature 0.7, or a bigger model (--model PATH)",
        )
    if not result.evidence.at_least(threshold):
        return _held_back(ui, result, language, threshold, session.repo)
    if out is not None and not result.check.verified:
        raise TaskFailed(f"not writing {out}: the code could not be checked ({result.check.detail})")
    if out is not None:
        write_new_file(out, result.code, force=force)
    return _show_code(ui, result, language, out, session.repo)


def _code_json(result: Any, language: str, repo: Any) -> dict[str, Any]:
    """The JSON keys of generated code: "verified" only for examples/reference evidence
    (codexcli/evidence.py); "checked" says whether its syntax checker ran."""
    return {
        "command": "generate",
        "language": language,
        "verified": result.evidence.verified,
        "checked": result.check.verified,
        "check": result.check.checker,
        "evidence": result.evidence.to_json(),
        "attempts": len(result.attempts),
        "completion_tokens": result.completion_tokens,
        "seconds": round(result.seconds, 3),
        "selection": _selection_json(result.selection),
        "context": shown(repo, ("", "description")),
    }


def _held_back(ui: Output, result: Any, language: str, threshold: str, repo: Any) -> int:
    """Code whose evidence is below the --evidence threshold: not printed as the result, not
    written; --json carries it as the candidate. Exits as a skipped target does."""
    from codexcli.evidence import below_threshold_reason

    reason = below_threshold_reason(result.evidence, threshold)
    if ui.json:
        payload = {**_code_json(result, language, repo), "ok": False, "exit_code": EXIT_TASK_FAILED}
        payload.update(status="below threshold", reason=reason, candidate=result.code, out=None)
        ui.emit_json(payload)
        return EXIT_TASK_FAILED
    raise TaskFailed(reason, hint="--json shows the candidate code")


def _show_code(ui: Output, result: Any, language: str, out: Path | None, repo: Any) -> int:
    """generate's JSON object, or the code on stdout (highlighted on a terminal) or the line
    saying which file it went to, with its evidence and cost on stderr. "verified" is said only
    of examples/reference evidence; otherwise the line says what was checked and its level."""
    evidence = result.evidence
    if evidence.verified:
        said = f"verified: {evidence.facts}"
    else:
        checked = f"checked: {result.check.checker}" if result.check.verified else f"unchecked: {result.check.detail}"
        said = f"{checked}; evidence {evidence.level}, not verified"
    if ui.json:
        ui.emit_json(
            {**_code_json(result, language, repo), "ok": True, "code": result.code, "out": str(out) if out else None}
        )
        return 0
    if (line := shown_line(repo, ("", "description"), "the description")) is not None:
        ui.say(line)
    if result.selection is not None:
        ui.say(f"selected: {result.selection.reason}")
        ui.say(f"evidence: {evidence.describe()}")
    if out is not None:
        ui.say(f"wrote {out} ({said}, {len(result.attempts)} attempt(s))")
        return 0
    if ui.colour:
        from rich.syntax import Syntax

        ui.out().print(Syntax(result.code, language, theme="ansi_dark", background_color="default"))
    else:
        ui.write(result.code)
    ui.err().print(
        f"[dim]{said}; {len(result.attempts)} attempt(s), {result.completion_tokens} tokens in {result.seconds:.1f}s[/dim]"
    )
    return 0


def _fill(
    ui: Output,
    path: Path,
    settings: Any,
    only: list[str],
    dry_run: bool,
    samples: int | None = None,
    no_context: bool = False,
    threshold: str = "form",
) -> int:
    from codexcli.cli.apply import apply_edit
    from codexcli.config import default_workers
    from codexcli.prompts import load_prompt
    from codexcli.splice.body import find_stubs
    from codexcli.tasks.generate.fill import fill_stubs, select_stubs
    from codexcli.tasks.generate.selection import samples_for
    from codexcli.workspace import read_python

    source = read_python(path)
    stubs = select_stubs(find_stubs(source.text), only)
    if not stubs:
        payload = {"command": "generate", "mode": "fill", "ok": True, "file": str(path)}
        payload.update(changed=False, written=False, functions=[])
        print_report(Report(payload, status=(f"{path}: no stub functions to fill",)), ui)
        return 0
    prompt = load_prompt("fill", settings.prompts_dir)
    # The model loads when the first stub needs it: a file with nothing to do never loads one.
    with edit_session(ui, "generate", settings, path, no_context=no_context) as session:
        progress = session.progress
        result = fill_stubs(
            session.backend,
            prompt,
            source.text,
            str(path),
            settings,
            only=only,
            on_start=lambda t, i, n: progress.set(f"filling {t.qualname} ({i}/{n})"),
            on_token=progress.token,
            samples=samples_for(samples, threshold),
            workers=default_workers(),
            repo=session.repo,
            threshold=threshold,
        )
    applied = apply_edit(path, result, dry_run=dry_run, bom=source.bom, ui=ui)
    result = applied.result  # --interactive: the targets declined are Skipped in it
    # A body held back below the threshold is a Skipped: it exits as a skipped stub does.
    exit_code = EXIT_TASK_FAILED if result.skipped else 0
    print_report(_fill_report(path, result, applied, exit_code, session.repo, threshold), ui)
    return exit_code


_FILL_COLUMNS = (
    Column("function", overflow="ellipsis"),
    Column("line", "right", "ellipsis"),
    Column("result", overflow="ellipsis"),
    Column("tries", "right", "ellipsis"),
    Column("evidence", overflow="ellipsis"),
    Column("detail"),
)


def _fill_report(
    path: Path, result: Any, applied: Any, exit_code: int, repo: Any = None, threshold: str = "form"
) -> Report:
    """--fill's JSON object, or its diff (dry run) and a table of the stubs with each one's
    evidence. A body held back below the threshold is in the JSON as its candidate, and printed
    after the table on a dry run, so the user can take it by hand."""
    functions = [
        {
            "name": o.target.qualname,
            "line": o.target.lineno,
            "status": o.status,
            "reason": o.reason,
            "attempts": len(o.attempts),
            "selection": _selection_json(getattr(o, "selection", None) or o.detail),
            "context": shown(repo, (str(path), o.target.qualname)),
            **evidence_fields(o),
        }
        for o in result.outcomes
    ]
    payload = {"command": "generate", "mode": "fill", "ok": exit_code == 0, "file": str(path), "threshold": threshold}
    payload.update(edit_fields(result, applied), functions=functions)
    rows = []
    for o in result.outcomes:
        style = "green" if o.status == "filled" else "yellow"
        status = f"[{style}]{o.status}[/{style}]"
        # A filled body's detail says what its evidence is, then how it was chosen.
        detail = "; ".join(p for p in (o.evidence.facts, o.reason) if p) if o.status == "filled" else o.reason
        rows.append((o.target.qualname, str(o.target.lineno), status, str(len(o.attempts)), evidence_cell(o), detail))
    held = [o for o in result.skipped if o.candidate is not None]
    line = f"{len(result.done)} filled, {len(held)} below threshold, {len(result.skipped) - len(held)} skipped"
    line += f" (threshold {threshold}); {path} {applied.action}"
    table = Table(f"{path}", _FILL_COLUMNS, tuple(rows))
    notes: list[str | Table] = [table, line]
    if held and not applied.dry_run:
        notes.append("--diff shows the bodies held back; --evidence form writes them")
    if held and applied.dry_run:
        from codexcli.tasks.generate.fill import with_candidates
        from codexcli.workspace import unified_diff

        names = ", ".join(o.target.qualname for o in held)
        notes.append(f"held back, not written ({names}); to take by hand:")
        notes.append(unified_diff(path, result.after, with_candidates(result)).rstrip("\n"))
    for o in result.outcomes:
        if (shown_note := shown_line(repo, (str(path), o.target.qualname), o.target.qualname)) is not None:
            notes.append(shown_note)
    return Report(payload, applied.diff if applied.dry_run else "", tuple(notes))
