"""`codex data`: the Codex data pipeline (build a filtered, deduplicated corpus and its function
pairs), the pairs of one source, and a finished build's stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli import common
from codexcli.cli.common import command
from codexcli.cli.output import Output, Progress
from codexcli.errors import UsageError

data_app = typer.Typer(
    help="The Codex data pipeline: filters, exact and near dedup, decontamination, function pairs.",
    no_args_is_help=True,
)


@data_app.command("build")
@command("data build")
def build_command(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Folders, git repositories (REPO or REPO@REV: committed files), .tar/.zip archives, "
            ".jsonl(.gz)/.parquet files with a content column.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (new or empty; see --resume).")],
    engine: Annotated[
        Optional[str], typer.Option("--engine", help="local (processes on this machine, default) or ray.")
    ] = None,
    workers: Annotated[
        Optional[int], typer.Option("--workers", "-j", help="Worker processes (default: CPU count).", min=1)
    ] = None,
    address: Annotated[
        Optional[str], typer.Option("--address", help="Ray cluster to join: auto or ray://HOST:PORT (--engine ray).")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run in --out.")] = False,
    lang: Annotated[
        list[str], typer.Option("--lang", help="Languages to keep (repeatable; names from the language registry).")
    ] = ["python"],  # noqa: B006 (Typer reads the default, nothing mutates it)
    threshold: Annotated[
        Optional[float],
        typer.Option("--threshold", help="Near-dedup Jaccard threshold (default 0.85).", min=0.05, max=1.0),
    ] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest file kept.", min=1)] = 1_000_000,
    min_alnum: Annotated[
        float, typer.Option("--min-alnum", help="Smallest alphanumeric fraction kept.", min=0.0, max=1.0)
    ] = 0.25,
    eval_set: Annotated[
        list[Path],
        typer.Option("--eval-set", help="JSONL evaluation set to decontaminate against (repeatable)."),
    ] = [],  # noqa: B006
    no_humaneval: Annotated[
        bool, typer.Option("--no-humaneval", help="Do not decontaminate against HumanEval.")
    ] = False,
    ngram: Annotated[int, typer.Option("--ngram", help="Word n-gram length for decontamination.", min=3)] = 13,
    content_field: Annotated[
        str, typer.Option("--content-field", help="JSONL/Parquet column with the code.")
    ] = "content",
    path_field: Annotated[
        Optional[str], typer.Option("--path-field", help="JSONL/Parquet column with the path (default: guessed).")
    ] = None,
    batch_files: Annotated[int, typer.Option("--batch-files", help="Files per batch (and output shard).", min=1)] = 256,
    partition_lines: Annotated[
        int,
        typer.Option(
            "--partition-lines", help="Dedup key lines per partition: what one dedup task holds in memory.", min=1000
        ),
    ] = 1_000_000,
    keep_work: Annotated[bool, typer.Option("--keep-work", help="Keep the intermediate files in --out/.work.")] = False,
    *,
    ui: Output,
) -> int:
    """Filter, deduplicate and decontaminate a corpus and extract Codex-S/Codex-D pairs into
    sharded JSONL (files-*.jsonl, pairs-*.jsonl) with stats.json.
    \f
    Long: the signature is the options (one annotated parameter each, with its help); the body is short.
    """
    from codexcli import languages
    from codexcli.config import default_workers
    from codexcli.data.build import BuildOptions, build
    from codexcli.data.engines import make_engine
    from codexcli.data.filters import FilterConfig

    settings = common.load_settings_for(data_engine=engine, data_workers=workers, data_threshold=threshold)
    langs = tuple(languages.resolve(name).name for name in lang)
    opts = BuildOptions(
        sources=tuple(sources),
        langs=langs,
        filters=FilterConfig(max_bytes=max_bytes, min_alnum=min_alnum),
        threshold=settings.data_threshold,
        humaneval=not no_humaneval,
        eval_sets=tuple(str(p) for p in eval_set),
        ngram=ngram,
        content_field=content_field,
        path_field=path_field,
        batch_files=batch_files,
        partition_lines=partition_lines,
    )
    console = ui.err()
    eng = make_engine(settings.data_engine, settings.data_workers or default_workers(), address)
    try:
        with Progress(console, enabled=True) as progress:  # a long build shows progress even with --json
            report = build(opts, out, eng, resume=resume, keep_work=keep_work, note=progress.set)
    except KeyboardInterrupt:
        if (out / ".work").exists():
            console.print(
                f"codex data build: finished stages are kept in {out}/.work; rerun with --resume", markup=False
            )
        raise
    finally:
        eng.close()
    if ui.json:
        ui.emit_json({"command": "data build", "ok": True, "out": str(out), "stats": report.stats, "run": report.run})
    else:
        ui.write(summary_table(report.stats))
        console.print(
            f"{report.run['engine']} engine, {report.run['workers']} worker(s): {report.run['seconds']} s "
            f"({report.run['files_per_second']} files/s); output in {out}",
            markup=False,
        )
    return 0


def summary_table(stats: dict[str, Any]) -> str:
    """The stages as a plain table: files dropped at each, then what was kept."""
    rows = [("files seen", stats["files_seen"])]
    rows += [(f"  dropped: {stage}", n) for stage, n in stats["dropped"].items() if n]
    rows += [("kept", stats["kept"]), ("Codex-S pairs", stats["pairs"]["S"]), ("Codex-D pairs", stats["pairs"]["D"])]
    width = max(len(name) for name, _ in rows)
    return "".join(f"{name:<{width}}  {n:>9}\n" for name, n in rows)


@data_app.command("pairs")
@command("data pairs")
def pairs_command(
    source: Annotated[Path, typer.Argument(help="A Python file, or a folder of them.", show_default=False)],
    kind: Annotated[Optional[str], typer.Option("--kind", help="Only S or D pairs.")] = None,
    *,
    ui: Output,
) -> int:
    """Print the Codex-S and Codex-D pairs of a source as JSONL (one pair per line)."""
    from codexcli.cli.common import iter_paths
    from codexcli.data.pairs import extract_pairs

    if kind not in (None, "S", "D"):
        raise UsageError("--kind is S or D")
    if not source.exists():
        raise UsageError(f"{source}: no such file or directory")
    lines, count = [], 0
    for path in iter_paths([source]):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            ui.say(f"codex data pairs: skipped {path}: {exc}")
            continue
        rel = path.relative_to(source).as_posix() if source.is_dir() else path.name
        for pair in extract_pairs(text, rel):
            if kind is None or pair.kind == kind:
                lines.append(pair.to_json())
                count += 1
    if ui.json:
        ui.emit_json({"command": "data pairs", "ok": True, "pairs": [json.loads(line) for line in lines]})
    else:
        ui.write("".join(line + "\n" for line in lines))
        ui.say(f"{count} pair(s)")
    return 0


@data_app.command("stats")
@command("data stats")
def stats_command(
    out_dir: Annotated[Path, typer.Argument(help="The --out folder of a finished build.", show_default=False)],
    *,
    ui: Output,
) -> int:
    """Print a finished build's stats (its stats.json)."""
    path = out_dir / "stats.json"
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UsageError(f"{out_dir}: no readable stats.json (is it the --out of a finished build?)") from None
    if ui.json:
        ui.emit_json({"command": "data stats", "ok": True, "stats": stats})
    else:
        ui.write(summary_table(stats))
    return 0
