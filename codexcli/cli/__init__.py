"""The `codex` command: one Typer app per subcommand, combined here.

The editing subcommands come from the task registry (codexcli/tasks/registry.py): one command
per registered task, in its order; the other commands (hook, cache, eval, models, learn,
doctor, index, search, data, lsp) are added after them by name.

Nothing heavy is imported at module level (no llama_cpp, no libcst): `codex --help` must be
instant. Subcommand modules import their task code inside the command functions.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from codexcli import __version__
from codexcli.cli import cache, common, doctor, hook, learn, models, showconfig, undo
from codexcli.cli import data as data_cli
from codexcli.cli import eval as eval_cli
from codexcli.cli import index as index_cli
from codexcli.cli import lsp as lsp_cli
from codexcli.cli.globalopts import GlobalsAnywhere
from codexcli.errors import EXIT_INTERNAL
from codexcli.tasks import registry


def _version(value: bool) -> None:
    if value:
        typer.echo(f"codex {__version__}")
        raise typer.Exit(0)


def main_options(
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object summarising the run on stdout.")
    ] = False,
    model: Annotated[
        Optional[str],
        typer.Option(
            "--model",
            "-m",
            help="GGUF model file (default: CODEX_MODEL, config, then the embedded SmolLM2-135M); with --backend openai, the server's model id.",
            metavar="PATH|NAME",
        ),
    ] = None,
    adapter: Annotated[
        Optional[str],
        typer.Option(
            "--adapter", help="GGUF LoRA adapter from `codex learn` (default: CODEX_ADAPTER, config).", metavar="PATH"
        ),
    ] = None,
    convert: Annotated[
        Optional[str],
        typer.Option(
            "--convert",
            help="Batches (--samples) on a converted copy of the model: auto (the embedded model, where the CPU gains), off, bf16, f16, q8_0, q4_0 (default: CODEX_CONVERT, config).",
            metavar="TYPE",
        ),
    ] = None,
    backend: Annotated[
        Optional[str],
        typer.Option(
            "--backend",
            help="Inference backend: llamacpp (default), openai (an OpenAI-compatible server) or fake (scripted, for tests).",
        ),
    ] = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url", help="openai backend: the server's URL, e.g. http://localhost:8080/v1.", metavar="URL"
        ),
    ] = None,
    concurrency: Annotated[
        Optional[int],
        typer.Option("--concurrency", help="openai backend: most requests in flight at once (default 4).", min=1),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress or summaries on stderr (errors are still shown).")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Log every prompt and answer (JSON lines under the cache folder's logs/)."
        ),
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Show each target's change (its diff and evidence) and ask before writing it."
        ),
    ] = False,
    unsafe_exec: Annotated[
        bool,
        typer.Option(
            "--unsafe-exec",
            help="Run generated code even where no OS isolation (bubblewrap) works. Unsafe: the code can read and change your files.",
        ),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Global options; before the subcommand or after it (cli/globalopts.py).

    Long: one Typer parameter per global option; the body only stores them."""
    common.reset_state(
        json=json_output,
        model=model,
        adapter=adapter,
        convert=convert,
        backend=backend,
        base_url=base_url,
        concurrency=concurrency,
        debug=debug,
        quiet=quiet,
        unsafe_exec=unsafe_exec,
        interactive=interactive,
        verbose=verbose,
    )


def build_app() -> typer.Typer:
    """The `codex` app as the registries stand now: the global options, one subcommand per
    registered task (``short_help``: the registry's line; ``--help`` of the command: its
    docstring), then the commands that are not tasks."""
    app = typer.Typer(
        name="codex",
        help=(
            "Verified code edits from a local code model. Generates, documents, tests, translates and "
            "optimizes code with a quantized GGUF model on your machine, and writes only what it has "
            "checked."
        ),
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
        pretty_exceptions_enable=False,
        cls=GlobalsAnywhere,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main_options)
    for spec in registry.tasks():
        app.command(spec.command, short_help=spec.help)(spec.command_function())
    app.add_typer(hook.hook_app, name="hook")
    app.add_typer(cache.cache_app, name="cache")
    app.command("eval")(eval_cli.eval_command)
    app.command("models")(models.models_command)
    app.command("learn")(learn.learn_command)
    app.command("doctor")(doctor.doctor_command)
    app.command("index")(index_cli.index_command)
    app.command("search")(index_cli.search_command)
    app.add_typer(data_cli.data_app, name="data")
    app.command("lsp")(lsp_cli.lsp_command)
    app.command("undo")(undo.undo_command)
    app.command("config")(showconfig.config_command)
    return app


app = build_app()


def main() -> None:
    """Console-script entry point. Output written outside a subcommand's error boundary (help,
    --version) to a stdout that cannot take it ends the same way: one line, exit 3."""
    common.guard_stdout()
    try:
        app()
    except (OSError, ValueError) as exc:
        if (why := common.stdout_failure(exc)) is None:
            raise
        common.err_console().print(f"codex: error: cannot write the output: {why}", markup=False)
        common.silence_stdout()
        raise SystemExit(EXIT_INTERNAL) from None
