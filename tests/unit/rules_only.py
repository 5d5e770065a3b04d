"""Translate a module with a fake model that answers junk, so that only codex's line rules can
verify a function: shared by the translate rule tests (lists, nested, tuples, void)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.lines import LINE_TOKENS


def translate_by_rules(source: str, file: str, target: str, out: str) -> tuple[Any, FakeBackend]:
    """The translation of ``source`` (named ``file``) to ``target`` (written as ``out``) with a
    model that answers junk to every prompt, and that model."""
    backend = FakeBackend([], default="junk")
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path(file), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    return result, backend


def assert_rules_wrote(result: Any, backend: FakeBackend, names: Sequence[str], every_line: bool = True) -> None:
    """Each of ``names`` is verified and laid out line by line; with ``every_line``, no line was
    asked of the model (codex's rules wrote every statement)."""
    by_name = {o.target.name: o for o in result.outcomes}
    for name in names:
        assert task.verified(by_name[name]), (name, by_name[name].reason)
        assert by_name[name].detail.origin == "lines"
    if every_line:
        assert not [r for r, _ in backend.batches if r.max_tokens == LINE_TOKENS]
