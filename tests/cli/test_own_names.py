"""Issue 31: codex's own files have names no other tool uses. OpenAI's Codex CLI keeps its config
and credentials in ``$CODEX_HOME`` (``~/.codex``) and a project's ``.codex/``: codex reads
``CODEXCLI_HOME``, keeps its cache in ``~/.cache/codexcli`` and writes adapters into
``.codexcli/``; it installs a ``codexcli`` command beside ``codex``."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cache import cache_path
from codexcli.cli import app
from codexcli.cli.learn import DEFAULT_OUT
from codexcli.config import user_config_path

REPO = Path(__file__).resolve().parents[2]


def test_codex_home_is_not_read_and_codexcli_home_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, ours = tmp_path / "openai-codex", tmp_path / "ours"
    monkeypatch.setenv("CODEX_HOME", str(theirs))
    monkeypatch.setenv("CODEXCLI_HOME", str(ours))
    result = CliRunner().invoke(app, ["--json", "cache", "info"])
    assert json.loads(result.stdout)["path"] == str(ours / "cache.sqlite3")
    assert not theirs.exists()


def test_default_folders_are_codexcli() -> None:
    env = {"XDG_CACHE_HOME": "/c", "XDG_CONFIG_HOME": "/k", "CODEX_HOME": "/openai"}
    assert cache_path(env) == Path("/c/codexcli/cache.sqlite3")
    assert user_config_path(env) == Path("/k/codexcli/config.toml")
    assert DEFAULT_OUT.parts[0] == ".codexcli"


def test_both_commands_are_installed() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["codex"] == scripts["codexcli"] == "codexcli.cli:main"
