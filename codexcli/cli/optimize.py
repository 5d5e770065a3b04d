"""`codex optimize`: faster (or simpler) functions, proven equivalent, or no change at all."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.options import Diff, DryRun, EvidenceLevel, MaxTokens, Retries, Samples, write_threshold
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Table, edit_fields, evidence_cell, evidence_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import UsageError

# Where tests that call the function may live, relative to the file and to the working folder.
_TEST_DIRS = (".", "tests", "test", "../tests", "../test")
_MAX_TEST_FILES = 60
_MAX_COPY_FILES = 300


@command("optimize")
def optimize_command(
    target: Annotated[
        str,
        typer.Argument(
            help="FILE.py, or FILE.py::NAME for one function (NAME may be Class.method).", metavar="FILE.py[::NAME]"
        ),
    ],
    only: Annotated[
        Optional[str],
        typer.Option("--only", help="Only this function (as FILE.py::NAME; NAME may be Class.method).", metavar="NAME"),
    ] = None,
    samples: Samples = 3,
    min_speedup: Annotated[
        float,
        typer.Option("--min-speedup", help="Accept a rewrite only if it is at least this many times faster.", min=1.0),
    ] = 1.1,
    objective: Annotated[
        str,
        typer.Option("--objective", help="speed: fastest rewrite; readability: lower complexity, at most 10% slower."),
    ] = "speed",
    dry_run: DryRun = False,
    diff: Diff = False,
    allow_side_effects: Annotated[
        bool,
        typer.Option(
            "--allow-side-effects", help="Also try functions that print, use files, globals, time or randomness."
        ),
    ] = False,
    sizes: Annotated[str, typer.Option("--sizes", help="Input sizes to time at, comma-separated.")] = "10,100,1000",
    repeats: Annotated[
        int,
        typer.Option(
            "--repeats",
            help="Timing rounds per size (per-round ratios: their median is reported, their lower quartile decides).",
            min=1,
            max=100,
        ),
    ] = 7,
    temperature: Annotated[
        Optional[float],
        typer.Option(
            "--temperature",
            "-t",
            help="Sampling temperature of the first sample (0 = greedy; later samples use 0.8 then).",
            min=0.0,
            max=2.0,
        ),
    ] = None,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules/--no-rules",
            help="Also try the rewrite rules (set membership, append, join, hoisting, sum/any/all...) as candidates.",
        ),
    ] = True,
    rule: Annotated[
        Optional[str],
        typer.Option(
            "--rule", help="Only this rewrite rule's candidate, and ask the model to apply it too.", metavar="NAME"
        ),
    ] = None,
    max_tokens: MaxTokens = None,
    retries: Retries = None,
    evidence: EvidenceLevel = None,
    *,
    ui: Output,
) -> int:
    """Rewrite functions to run faster, keeping them only when they behave the same and are faster.

    Each rewrite is run against the original in the sandbox on the same inputs (doctests, your
    tests' calls, values from type hints); any difference in return value, exception or argument
    mutation rejects it. Besides the model's answers, rewrite rules for the naive patterns that
    performance linters name give candidates of their own, judged the same way. Survivors are timed against the original on growing inputs; the fastest
    is spliced in only if it is at least --min-speedup times faster. Otherwise the file is left
    byte-for-byte as it was.

    Examples:

      codex optimize examples/slow.py --diff

      codex optimize examples/slow.py::has_duplicates --samples 5 --min-speedup 1.5

      codex optimize src/report.py --objective readability

    \f
    Long: the signature is the options (one annotated parameter each, with its help); the body is short.
    """
    from codexcli.tasks.optimize.run import GOALS, OptimizeOptions

    path_text, _, name = target.partition("::")
    if only and name and only != name:
        raise UsageError(f"{target} and --only {only} name different functions")
    name = name or only or ""
    path = Path(path_text)
    if path.suffix != ".py":
        raise UsageError(f"{path}: not a Python file; codex optimize works on Python files (.py)")
    if objective not in GOALS:
        raise UsageError(f"unknown objective {objective!r}; use one of: {', '.join(GOALS)}")
    try:
        size_list = tuple(int(s) for s in sizes.split(",") if s.strip())
    except ValueError:
        raise UsageError(f"--sizes must be comma-separated whole numbers, got {sizes!r}") from None
    if not size_list or any(s < 1 for s in size_list):
        raise UsageError("--sizes needs at least one positive size")
    settings = load_settings_for(temperature=temperature, max_tokens=max_tokens, retries=retries)
    options = OptimizeOptions(
        samples=samples,
        min_speedup=min_speedup,
        objective=objective,
        allow_side_effects=allow_side_effects,
        sizes=tuple(sorted(set(size_list))),
        repeats=repeats,
        rules=rules,
        rule=rule,
    )
    threshold = write_threshold("optimize", evidence, settings)
    return _run(ui, path, name or None, options, settings, dry_run or diff, threshold)


def find_test_sources(path: Path) -> tuple[str, ...]:
    """Text of test files near ``path`` (test_*.py, *_test.py), whose calls give inputs."""
    seen: set[Path] = set()
    texts: list[str] = []
    for rel in _TEST_DIRS:
        for base in (path.parent / rel, Path.cwd() / rel.lstrip("./")):
            if not base.is_dir():
                continue
            for file in sorted([*base.glob("test_*.py"), *base.glob("*_test.py")]):
                resolved = file.resolve()
                if resolved in seen or len(texts) >= _MAX_TEST_FILES or file.stat().st_size > 500_000:
                    continue
                seen.add(resolved)
                try:
                    texts.append(file.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
    return tuple(texts)


def sibling_folder(path: Path, source: str) -> Path | None:
    """The file's folder, to copy into the sandbox, when the file imports modules from it."""
    folder = path.resolve().parent
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    if not any((folder / f"{n}.py").is_file() or (folder / n).is_dir() for n in names):
        return None
    count = sum(1 for _ in zip(range(_MAX_COPY_FILES + 1), folder.rglob("*")))
    if count > _MAX_COPY_FILES:
        raise UsageError(
            f"{path} imports modules from {folder}, which is too big to copy into the sandbox ({_MAX_COPY_FILES}+ files)"
        )
    return folder


def _run(
    ui: Output, path: Path, name: str | None, options: Any, settings: Any, dry_run: bool, threshold: str = "reference"
) -> int:
    import dataclasses

    from codexcli.cli.apply import apply_edit
    from codexcli.prompts import load_prompt
    from codexcli.tasks.optimize.run import find_targets, optimize_source
    from codexcli.workspace import read_python

    source = read_python(path)
    find_targets(source.text, name)  # a wrong NAME is a usage error before any model loads
    options = dataclasses.replace(
        options, test_sources=find_test_sources(path), copy_from=sibling_folder(path, source.text)
    )
    prompt = load_prompt("optimize", settings.prompts_dir)
    # anchor None: optimize's prompt shows no repository context.
    with edit_session(ui, "optimize", settings, None) as session:
        result = optimize_source(
            session.backend(),
            prompt,
            source.text,
            str(path),
            settings,
            options,
            only=name,
            on_progress=session.progress.set,
            threshold=threshold,
        )
    applied = apply_edit(path, result, dry_run=dry_run, bom=source.bom, ui=ui)  # only verified text reaches the disk
    result = applied.result  # --interactive: the targets declined are Skipped in it
    print_report(_report(path, result, applied, options, threshold), ui)
    return 0


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}x"


def _report_json(r: Any) -> dict[str, Any]:
    return {
        "name": r.target.qualname,
        "line": r.target.lineno,
        "status": r.status,
        "reason": r.reason,
        "cases": r.cases,
        "inputs": dict(r.inputs),
        "speedup": r.accepted.speedup if r.accepted else None,
        "won_by": r.accepted.origin if r.accepted else None,
        "candidates": [
            {
                "number": c.number,
                "origin": c.origin,
                "status": c.status,
                "kind": c.kind,
                "reason": c.reason,
                "speedup": c.speedup,
                "speedup_lower_quartile": c.speedup_low,
                "scaling": [{"size": label, "speedup": ratio} for label, ratio in c.scaling],
                "complexity": c.readability.complexity if c.readability else None,
            }
            for c in r.candidates
        ],
        "complexity_before": r.readability.complexity if r.readability else None,
    }


_COLUMNS = (
    Column("function"),
    Column("line", "right"),
    Column("inputs"),
    Column("candidates", "right"),
    Column("rejected (why)"),
    Column("result"),
    Column("evidence"),
)


def _report(path: Path, result: Any, applied: Any, options: Any, threshold: str = "reference") -> Report:
    """optimize's JSON object, or its diff (dry run), a table of the functions and the total."""
    payload = {
        "command": "optimize",
        "ok": True,
        "file": str(path),
        "objective": options.objective,
        "min_speedup": options.min_speedup,
        **edit_fields(result, applied),
        "evidence_threshold": threshold,
        "functions": [
            {
                **_report_json(o.detail),
                **evidence_fields(o),
                **({"status": "declined"} if o.status == "declined" else {}),
            }
            for o in result.outcomes
        ],
    }
    rows = []
    for o in result.outcomes:
        r = o.detail
        rejected = "\n".join(
            f"#{c.number}{'' if c.origin == 'model' else ' (' + c.origin.replace(':', ' ') + ')'} {c.kind}: {c.reason}"
            for c in r.candidates
            if c.status == "rejected"
        )
        accepted = r.accepted
        if accepted is not None:
            growth = ", ".join(f"{label} {_fmt(ratio)}" for label, ratio in accepted.scaling)
            by = "model" if accepted.origin == "model" else accepted.origin.replace(":", " ")
            outcome = f"[green]{_fmt(accepted.speedup)} faster[/green] (#{accepted.number} {by}; {growth})"
            if accepted.readability is not None and r.readability is not None:
                outcome += f"; complexity {r.readability.complexity} -> {accepted.readability.complexity}"
        elif r.status == "skipped":
            outcome = f"[yellow]skipped[/yellow]: {r.reason}"
        else:
            outcome = "kept original"
        inputs = ", ".join(f"{n} {origin}" for origin, n in r.inputs) or "-"
        if o.status == "below threshold":
            outcome = f"[yellow]below threshold[/yellow]: {o.reason}"
        elif o.status == "declined":  # --interactive: found, verified, and not written
            outcome = f"[yellow]declined[/yellow], not written: {outcome}"
        cells = (r.target.qualname, str(r.target.lineno), inputs, str(len(r.candidates)), rejected or "-", outcome)
        rows.append((*cells, evidence_cell(o)))
    n_opt = len(result.done)
    line = f"{n_opt} of {len(result.outcomes)} function(s) optimized; {path} {applied.action}"
    return Report(payload, applied.diff if applied.dry_run else "", (Table(f"{path}", _COLUMNS, tuple(rows)), line))
