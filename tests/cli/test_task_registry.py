"""The task registry (codexcli/tasks/registry.py): a task added there is a `codex` subcommand.

A toy task, "shout" (upper-case a file's docstrings, asked of the fake backend), is registered
by a fixture the way a real task is, then runs through the real CLI: its command opens an
edit_session, ``run_task`` drives it (retries with the rejection fed back, one splice), and
apply_edit and print_report finish. The fixture leaves the registry as it found it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Iterator, Mapping

import pytest
import typer
from typer.testing import CliRunner

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest
from codexcli.cli import app, build_app
from codexcli.cli.common import command, load_settings_for
from codexcli.cli.options import DryRun
from codexcli.cli.output import Output
from codexcli.cli.report import Report, edit_fields, print_report
from codexcli.cli.session import edit_session
from codexcli.errors import EXIT_TASK_FAILED
from codexcli.prompts import PromptTemplate
from codexcli.tasks import registry
from codexcli.tasks.pipeline import TaskHooks
from tests.conftest import dedent, read_log

runner = CliRunner()

SHOUT = registry.TaskSpec(
    name="shout",
    command="shout",
    prompt="shout",
    task="tests.cli.test_task_registry:ShoutTask",
    cli="tests.cli.test_task_registry:shout_command",
    help="Upper-case the docstrings of a Python file (a toy task).",
)

SHOUT_TOML = """\
system = "You repeat text in capital letters."
user = "Repeat in capital letters: $docstring"
feedback = "Rejected: $reason. Again, in capital letters only."
"""


@dataclass(frozen=True)
class ShoutTask(TaskHooks):
    """Targets: the definitions that have a docstring; value: that docstring in capitals."""

    prompt: PromptTemplate
    done_status = "shouted"

    def request(self, backend: Backend, target: Any) -> CompletionRequest:
        messages, prefill = self.prompt.render(docstring=target.docstring)
        return CompletionRequest(messages, max_tokens=64, prefill=prefill)

    def check(self, target: Any, answer: str) -> str | ParseError:
        wanted = target.docstring.upper()
        return answer.strip() if answer.strip() == wanted else ParseError(f"expected {wanted!r}")

    def feedback(self, target: Any, reason: str) -> str:
        return self.prompt.retry(reason)

    def splice(self, source: str, values: Mapping[Any, Any]) -> Any:
        from codexcli.splice.docstring import insert_docstrings

        return insert_docstrings(source, dict(values))

    def key(self, target: Any) -> int:
        return target.index


@command("shout")
def shout_command(
    file: Annotated[Path, typer.Argument(help="A Python file.", show_default=False)],
    dry_run: DryRun = False,
    *,
    ui: Output,
) -> int:
    """Upper-case the docstrings of FILE (a toy task)."""
    from codexcli.cli.apply import apply_edit
    from codexcli.prompts import load_prompt
    from codexcli.splice.docstring import find_targets
    from codexcli.tasks.pipeline import run_task
    from codexcli.workspace import read_python

    spec = registry.get("shout")
    source = read_python(file)
    targets = [t for t in find_targets(source.text) if t.docstring]
    settings = load_settings_for()
    task = spec.task_class()(load_prompt(spec.prompt, settings.prompts_dir))
    with edit_session(ui, spec.command, settings, file, no_context=True) as session:
        result = run_task(
            task,
            source.text,
            targets,
            session.backend,
            retries=settings.retries,
            on_start=lambda t, i, n: session.progress.set(f"shouting {t.qualname} ({i}/{n})"),
            on_token=session.progress.token,
        )
    applied = apply_edit(file, result, dry_run=dry_run, bom=source.bom)
    code = EXIT_TASK_FAILED if result.skipped else 0
    payload = {"command": "shout", "ok": code == 0, **edit_fields(result, applied)}
    payload["targets"] = [{"name": o.target.qualname, "status": o.status} for o in result.outcomes]
    line = f"{len(result.done)} shouted, {len(result.skipped)} skipped; {file} {applied.action}"
    print_report(Report(payload, applied.diff if dry_run else "", (line,)), ui)
    return code


@pytest.fixture
def shout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """The `codex` app with the toy task registered (and its prompt file in a prompts folder);
    the registry is restored afterwards."""
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "shout.toml").write_text(SHOUT_TOML, encoding="utf-8")
    monkeypatch.setenv("CODEX_PROMPTS_DIR", str(prompts))
    before = registry.tasks()
    registry.register(SHOUT)
    try:
        yield build_app()
    finally:
        registry.unregister(SHOUT.name)
    assert registry.tasks() == before


SOURCE = dedent('''
    def greet(name):
        """Say hello."""
        return "hello " + name


    def part(x):
        return x


    class Box:
        """A box."""
''')


def test_a_registered_task_is_a_subcommand_and_runs_through_run_task(shout, fake_answers, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    log = fake_answers("SAY HELLO.", "a box", "A BOX.")  # Box: rejected once, then right

    listing = runner.invoke(shout, ["--help"])
    assert "shout" in listing.stdout and "Upper-case the docstrings" in listing.stdout

    result = runner.invoke(shout, ["shout", "m.py"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "m.py").read_text(encoding="utf-8")
    assert '"""SAY HELLO."""' in text and '"""A BOX."""' in text and "def part(x):\n    return x" in text
    assert "2 shouted, 0 skipped; m.py written" in result.stderr
    requests = read_log(log)
    assert len(requests) == 3 and "Repeat in capital letters: A box." in requests[1]["messages"][-1]["content"]
    assert "Rejected: expected 'A BOX.'" in requests[2]["messages"][-1]["content"]  # the feedback turn


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_toy_task_gets_json_from_either_place(shout, fake_answers, tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    fake_answers("SAY HELLO.", default="no")  # Box never right: skipped, exit 1
    args = ["--json", "shout", "m.py", "--dry-run"] if where == "before" else ["shout", "m.py", "--dry-run", "--json"]
    result = runner.invoke(shout, args)
    assert result.exit_code == EXIT_TASK_FAILED, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["dry_run"] is True and payload["written"] is False
    assert payload["targets"] == [{"name": "greet", "status": "shouted"}, {"name": "Box", "status": "skipped"}]
    assert '+    """SAY HELLO."""' in payload["diff"]
    assert (tmp_path / "m.py").read_text(encoding="utf-8") == SOURCE


def test_the_app_is_built_from_the_registry_as_it_stands(shout):
    assert "shout" in [s.name for s in registry.tasks()]
    assert "shout" in typer.main.get_command(shout).commands
    assert "shout" not in typer.main.get_command(app).commands  # built before


def test_every_registered_task_has_its_prompt_class_and_command():
    from codexcli.prompts import load_prompt

    commands = typer.main.get_command(build_app()).commands
    names = [spec.name for spec in registry.tasks()]
    assert names == ["fill", "translate", "optimize", "testgen", "comment"]
    for spec in registry.tasks():
        load_prompt(spec.prompt)
        task = spec.task_class()
        assert isinstance(task.done_status, str)
        assert all(callable(getattr(task, hook)) for hook in ("request", "check", "feedback", "splice", "key"))
        function = spec.command_function()
        assert (function.__doc__ or "").split("\n\n")[0] == spec.help  # the listing says what --help says
        assert spec.command in commands
