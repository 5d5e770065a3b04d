"""`codex comment`: write missing docstrings (Python) and doc comments (JSDoc for JavaScript and
TypeScript, Javadoc for Java: cli/comment_files.py), changing nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional, Sequence

import typer

from codexcli.cli.comment_files import comment_files, read_sources, supported_names, target_names
from codexcli.cli.common import command, load_settings_for
from codexcli.cli.index import shown, shown_line
from codexcli.cli.options import Diff, DryRun, EvidenceLevel, MaxTokens, NoContext, Retries, Samples, Temperature
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Status, Table, edit_fields, evidence_cell, evidence_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import EXIT_TASK_FAILED, UsageError
from codexcli.evidence import LEVELS

STYLE_HELP = "Docstring style: google, numpy, rest or plain (default: what the file already uses, else google)."


@command("comment")
def comment_command(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            help="Python, JavaScript, TypeScript or Java files or folders, FILE::NAME for one target "
            "(with --staged: limit to these).",
            show_default=False,
            metavar="PATH[::NAME]...",
        ),
    ] = None,
    style: Annotated[Optional[str], typer.Option("--style", help=STYLE_HELP)] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Regenerate existing docstrings too.")] = False,
    only: Annotated[
        Optional[list[str]],
        typer.Option(
            "--only",
            help="Only this target in every file (as FILE::NAME; e.g. Class.method); repeatable.",
            metavar="NAME",
        ),
    ] = None,
    dry_run: DryRun = False,
    diff: Diff = False,
    staged: Annotated[
        bool, typer.Option("--staged", help="Only what the staged git changes touch, in the staged files.")
    ] = False,
    restage: Annotated[
        bool, typer.Option("--restage", help="With --staged: `git add` the files codex changed.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 when docstrings were added (or, with --dry-run, would be); 0 when none was missing."
        ),
    ] = False,
    allow_skipped: Annotated[
        bool,
        typer.Option("--allow-skipped", help="Exit 0 even when some targets were skipped (still reported); for hooks."),
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")] = False,
    temperature: Temperature = None,
    max_tokens: MaxTokens = None,
    retries: Retries = None,
    no_context: NoContext = False,
    samples: Samples = 1,
    back_translate: Annotated[
        int,
        typer.Option(
            "--back-translate",
            help="Draw N bodies from each checked docstring alone and run them against the original: "
            "a match raises its evidence to 'reference' (slow: N answers per docstring; 0: off).",
            min=0,
            max=20,
            metavar="N",
        ),
    ] = 0,
    examples: Annotated[
        bool,
        typer.Option(
            "--examples/--no-examples",
            help="A function whose docstring does not reach the threshold gets one of examples codex "
            "observed by running it (true by construction; evidence 'examples').",
        ),
    ] = True,
    assemble: Annotated[
        bool,
        typer.Option(
            "--assemble/--no-assemble",
            help="When no whole answer passes the gates, ask for the summary and each parameter's "
            "description one at a time and assemble the docstring (it passes the same gates).",
        ),
    ] = True,
    evidence: EvidenceLevel = None,
    *,
    ui: Output,
) -> int:
    """Write the missing docstrings of modules, classes and functions, changing nothing else.

    In JavaScript and TypeScript files the JSDoc comments of functions, in Java files the
    Javadoc comments of methods (the same gates; the file must re-parse with the same syntax
    tree, comments aside; model prose is written there only with --evidence meaning).

    Every docstring passes quality gates (prose, the real parameters, Returns only when
    something is returned) and every file is checked before it is written: its code (the AST
    without docstrings) and every other line stay exactly as they were. By default a docstring
    is written only when its meaning was checked against the code (its summary's words are in
    the code, its Raises and Returns agree with it: evidence "meaning"); one that passes only
    the gates is reported "below threshold" with its text (--evidence form writes it).

    Examples:

      codex comment src/ --diff

      codex comment utils.py::Parser.feed --style numpy

      codex comment colorsys.py --samples 4   (four answers each; a verified one is kept)

      codex comment --staged --restage        (what the git hook runs)

    \f
    Long: the signature is the options (one annotated parameter each, with its help); the body is short.
    """
    dry = dry_run or diff
    if not paths and not staged:
        raise UsageError("give PATH... or --staged")
    if restage and not staged:
        raise UsageError("--restage goes with --staged")
    from codexcli.cli.options import split_targets

    paths, named = split_targets(paths or [])
    if any(path.is_dir() for path in named):
        raise UsageError("FILE::NAME names a target in a file, not in a folder")
    files, file_skips = comment_files(paths, staged)
    if not files and not file_skips:
        return _report(
            ui,
            [],
            file_skips,
            dry,
            check,
            allow_skipped,
            note=f"no Python files to document (nor {supported_names(python=False)} files)",
        )

    from codexcli.tasks.comment.run import resolve_style

    # Every file is read before any work; a bad one is reported in one line and the rest go on.
    sources, grammar_skips, errors = read_sources(ui, files)
    file_skips += grammar_skips
    if not sources:
        return _report(ui, [], file_skips, dry, check, allow_skipped, errors=errors)
    if style is not None:
        resolve_style(style, [])  # (a Python docstring style; doc comments have one shape each)
    if evidence is not None and evidence not in LEVELS:
        raise UsageError(f"unknown evidence level {evidence!r}; one of {', '.join(LEVELS)}")
    _check_only(sources, named, only or [])
    only_for = {path: named.get(path, []) + list(only or []) for path, _, _, _ in sources}
    settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries)
    reports = _document(
        ui,
        sources,
        settings,
        style=style,
        overwrite=overwrite,
        only_for=only_for,
        samples=samples,
        back_translate=back_translate,
        examples=examples,
        assemble=assemble,
        dry=dry,
        use_cache=not no_cache,
        no_context=no_context,
        evidence=evidence,
    )
    if staged and restage:
        from codexcli.gitio import open_repo
        from codexcli.gitio import restage as git_add

        git_add(open_repo(Path.cwd()), [r["path"] for r in reports if r["applied"].written])
    return _report(ui, reports, file_skips, dry, check, allow_skipped, errors=errors)


def _check_only(sources: list[tuple[Path, Any, Any, Any]], named: dict[Path, list[str]], only: list[str]) -> None:
    """UsageError when a name given as FILE::NAME names nothing in FILE, or one given to --only
    nothing in any of the files."""
    known = {path: target_names(src.text, path, language) for path, src, _, language in sources}
    unknown = [f"{path}::{n}" for path, names in named.items() for n in names if n not in known.get(path, ())]
    everywhere = set().union(*known.values()) if known else set()
    unknown += sorted(set(only) - everywhere)
    if unknown:
        raise UsageError(f"no module, class or function named {', '.join(unknown)} in the given files")


def _document(
    ui: Output,
    sources: list[tuple[Path, Any, list[tuple[int, int]] | None, Any]],
    settings: Any,
    *,
    style: str | None,
    overwrite: bool,
    only_for: dict[Path, list[str]],
    samples: int,
    back_translate: int,
    examples: bool,
    assemble: bool,
    dry: bool,
    use_cache: bool,
    no_context: bool,
    evidence: str | None = None,
) -> list[dict[str, Any]]:
    """Document each file in one edit session and apply (or, with ``dry``, only show) the result:
    one report a file (its path, result, what was applied, the session's repository context).
    A JavaScript, TypeScript or Java file (``language`` not None) gets doc comments
    (tasks/comment/doctask.py; no result cache)."""
    from codexcli.cache import model_identity, open_cache
    from codexcli.cli.apply import apply_edit
    from codexcli.prompts import load_prompt
    from codexcli.splice.docstring import DocTarget
    from codexcli.tasks.comment.doctask import comment_other_source
    from codexcli.tasks.comment.run import comment_source

    prompt = load_prompt("comment", settings.prompts_dir)
    doc_prompt = load_prompt("comment_doc", settings.prompts_dir) if any(s[3] for s in sources) else None
    cache = open_cache(use_cache, warn=lambda m: ui.say(f"codex comment: warning: {m}"))
    reports: list[dict[str, Any]] = []
    anchor = sources[0][0] if sources else None
    try:
        with edit_session(ui, "comment", settings, anchor, no_context=no_context) as session:
            for path, source, ranges, language in sources:

                def on_start(t: DocTarget, i: int, n: int, p: Path = path) -> None:
                    session.progress.set(f"{p}: documenting {t.qualname} ({i}/{n})")

                shared: dict[str, Any] = {
                    "settings": settings,
                    "backend": session.backend,
                    "overwrite": overwrite,
                    "only": only_for.get(path, ()),
                    "ranges": ranges,
                    "on_start": on_start,
                    "on_token": session.progress.token,
                    "evidence": evidence,
                }
                if language is not None and doc_prompt is not None:
                    result = comment_other_source(
                        source.text,
                        str(path),
                        language,
                        path.suffix.lower(),
                        prompt=doc_prompt,
                        examples=examples,
                        **shared,
                    )
                else:
                    result = comment_source(
                        source.text,
                        str(path),
                        prompt=prompt,
                        cache=cache,
                        model_id=model_identity(settings),
                        style=style,
                        repo=session.repo,
                        samples=samples,
                        back_translate=back_translate,
                        examples=examples,
                        assemble=assemble,
                        **shared,
                    )
                applied = apply_edit(path, result, dry_run=dry, bom=source.bom, ui=ui)
                reports.append({"path": path, "result": applied.result, "applied": applied, "repo": session.repo})
    finally:
        cache.close()
    return reports


def _report(
    ui: Output,
    reports: list[dict[str, Any]],
    file_skips: list[dict[str, str]],
    dry: bool,
    check: bool,
    allow_skipped: bool,
    note: str = "",
    errors: Sequence[Any] = (),
) -> int:
    changed = any(r["result"].changed for r in reports)
    skipped = any(r["result"].skipped for r in reports) or bool(file_skips)
    if check:
        exit_code = EXIT_TASK_FAILED if changed else 0
    else:
        exit_code = EXIT_TASK_FAILED if skipped and not allow_skipped else 0
    exit_code = max([exit_code, *(e.exit_code for e in errors)])  # the worst ending of any file
    payload = {
        "command": "comment",
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "dry_run": dry,
        "changed": changed,
        "files": [_file_json(r) for r in reports],
        "skipped_files": file_skips,
        "errors": [{"kind": e.kind, "message": e.message} for e in errors],
    }
    status: list[Status] = [note] if note else []
    status += [f"{skip['path']}: skipped: {skip['reason']}" for skip in file_skips]
    for r in reports:
        status += _summary(r, dry)
    stdout = "".join(r["applied"].diff for r in reports) if dry else ""
    print_report(Report(payload, stdout, tuple(status)), ui)
    return exit_code


def _file_json(report: dict[str, Any]) -> dict[str, Any]:
    result = report["result"]
    targets = [
        {
            "name": o.target.qualname,
            "kind": o.target.kind,
            "line": o.target.lineno,
            "status": o.status,
            "cached": o.cached,
            "reason": o.reason,
            "origin": _origin(o),
            "docstring": getattr(o, "value", None),
            "attempts": len(o.attempts),
            "context": shown(report["repo"], (str(report["path"]), o.target.qualname)),
            **evidence_fields(o),
        }
        for o in result.outcomes
    ]
    fields = edit_fields(result, report["applied"])
    del fields["dry_run"]  # said once for the whole run
    return {
        "path": str(report["path"]),
        "style": result.facts.style,
        **fields,
        "model_calls": result.model_calls,
        "targets": targets,
    }


def _origin(outcome: Any) -> str | None:
    """How a docstring was made: "cache", "model" (a whole answer as written), "repaired" (a
    whole answer fixed by tasks/repair.py), "assembled" (from parts) or "examples" (observed by
    running the function, tasks/comment/examples.py: no model text); None when skipped."""
    if outcome.status != "documented":
        return None
    if outcome.cached:
        return "cache"
    if getattr(getattr(outcome, "evidence", None), "level", None) == "examples":
        return "examples"
    note = getattr(outcome, "note", "")
    return "assembled" if note.startswith("assembled:") else "repaired" if note.startswith("repaired:") else "model"


_COLUMNS = (Column("target"), Column("status"), Column("evidence"), Column("how"))


def _summary(report: dict[str, Any], dry: bool = False) -> list[Status]:
    """One line per skipped target, per one held back below the evidence threshold (with its
    candidate when ``dry``: --diff and --dry-run show what was not written) and per repaired
    one; a table of every target with its evidence; then the file's totals."""
    result, path = report["result"], report["path"]
    lines: list[Status] = []
    for o in result.outcomes:
        if o.status in ("skipped", "below threshold"):
            lines.append(f"{path}:{o.target.lineno}: {o.target.qualname}: {o.status}: {o.reason}")
            if dry and getattr(o, "candidate", None):
                lines += [f"    | {line}" for line in str(o.candidate).split("\n")]
        elif getattr(o, "note", ""):
            lines.append(f"{path}:{o.target.lineno}: {o.target.qualname}: documented, {o.note}")
        if (
            line := shown_line(report["repo"], (str(path), o.target.qualname), f"{path}:{o.target.qualname}")
        ) is not None:
            lines.append(line)
    if result.outcomes:
        rows = tuple((o.target.qualname, o.status, evidence_cell(o), _origin(o) or "-") for o in result.outcomes)
        lines.append(Table(f"{path}", _COLUMNS, rows))
    origins = [_origin(o) for o in result.done]
    counts = [
        f"{origins.count(k)} {w}"
        for k, w in (
            ("cache", "from cache"),
            ("repaired", "repaired"),
            ("assembled", "assembled"),
            ("examples", "of examples"),
        )
        if k in origins
    ]
    detail = f" ({', '.join(counts)})" if counts else ""
    held = sum(o.status == "below threshold" for o in result.skipped)
    skipped = len(result.skipped) - held
    below = f"{held} below threshold, " if held else ""
    style, action = result.facts.style, report["applied"].action
    lines.append(f"{path}: {len(result.done)} documented{detail}, {below}{skipped} skipped, {style} style; {action}")
    return lines
