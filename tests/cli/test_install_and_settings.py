"""Issue 31's install and settings items: LICENSE, project URLs, a version range for
llama-cpp-python with the tested version as its floor, the `testgen` extra that the hint names,
shell completion, `codex config`, the --verbose prompt-and-answer log, and `codex cache`
covering every file codex keeps, within a size cap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cache import enforce_cap
from codexcli.cli import app

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
TESTED_LLAMA = "0.3.36"  # the version the tests and benchmarks ran with


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def test_license_file_and_project_urls() -> None:
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    assert PROJECT["license"] == {"text": "Apache-2.0"}
    assert {"Homepage", "Documentation", "Issues"} <= set(PROJECT["urls"])


def test_llama_cpp_python_is_a_range_from_the_tested_version() -> None:
    specs = [d for d in PROJECT["dependencies"] if d.startswith("llama-cpp-python")]
    assert specs == [f"llama-cpp-python>={TESTED_LLAMA},<0.4"]
    server = [d for d in PROJECT["optional-dependencies"]["test"] if d.startswith("llama-cpp-python")]
    assert server == [f"llama-cpp-python[server]>={TESTED_LLAMA},<0.4"]


def test_testgen_extra_is_the_one_the_hint_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert any(d.startswith("pytest") for d in PROJECT["optional-dependencies"]["testgen"])
    bare = "/usr/bin/python3"
    if not Path(bare).exists() or subprocess.run([bare, "-c", "import pytest"], capture_output=True).returncode == 0:
        pytest.skip("no Python without pytest on this machine")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mod.py").write_text("def f(x):\n    return x\n")
    result = run("--backend", "fake", "testgen", "mod.py", "--python", bare)
    assert result.exit_code == 2 and "pip install 'codexcli[testgen]'" in result.stderr


def test_shell_completion_is_on() -> None:
    assert "--install-completion" in run("--help").stdout
    # In a process of its own: the completion script is printed by Typer's callback, which an
    # in-process runner does not always capture once other tests have run.
    shown = subprocess.run(
        [sys.executable, "-m", "codexcli", "--show-completion", "bash"], capture_output=True, text=True, check=False
    )
    script = shown.stdout
    assert "complete" in script and "COMP_WORDS" in script, shown.stderr[-800:]


def test_config_shows_every_setting_and_where_it_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.codex]\nmax-tokens = 300\n")
    monkeypatch.setenv("CODEX_TEMPERATURE", "0.5")
    payload = json.loads(run("--json", "config", "--model", "m.gguf").stdout)["settings"]
    assert payload["max_tokens"] == {"value": 300, "source": f"{tmp_path / 'pyproject.toml'} [tool.codex]"}
    assert payload["temperature"] == {"value": 0.5, "source": "environment (CODEX_TEMPERATURE)"}
    assert payload["model"] == {"value": "m.gguf", "source": "command line"}
    assert payload["seed"]["source"] == "default" and "cache_max_mb" in payload
    lines = run("config").stdout.splitlines()
    assert "max_tokens" in lines[4] and lines[4].endswith(f"# {tmp_path / 'pyproject.toml'} [tool.codex]")


def test_verbose_logs_prompts_and_answers_under_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    home = Path(os.environ["CODEXCLI_HOME"])
    (tmp_path / "a.json").write_text(json.dumps({"answers": [], "default": 'Add `a` and `b`."""'}))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "a.json"))
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    result = run("--backend", "fake", "comment", "m.py", "--dry-run", "--no-context", "--verbose")
    logs = list((home / "logs").glob("*-comment-*.jsonl"))
    assert len(logs) == 1 and f"logged to {logs[0]}" in result.stderr
    records = [json.loads(line) for line in logs[0].read_text().splitlines()]
    assert records and all(r["answers"][0]["text"].startswith("Add `a` and `b`.") for r in records)
    assert any("def add(a, b)" in m["content"] for r in records for m in r["request"]["messages"])


def test_cache_info_and_clear_cover_every_file_codex_keeps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    home = Path(os.environ["CODEXCLI_HOME"])
    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    assert run("index", ".").exit_code == 0
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "old.jsonl").write_text("{}\n")
    kept = json.loads(run("--json", "cache", "info").stdout)["kept"]
    assert kept["index"]["files"] >= 1 and kept["logs"]["files"] == 1
    cleared = json.loads(run("--json", "cache", "clear").stdout)["removed_files"]
    assert cleared["index"] >= 1 and cleared["logs"] == 1
    assert not list((home / "index").glob("*.sqlite3")) and not (home / "logs" / "old.jsonl").exists()


def test_size_cap_removes_the_oldest_files_first(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "journal").mkdir()
    (tmp_path / "journal" / "last-run.json").write_bytes(b"j" * 400_000)
    for age, name in ((300, "oldest"), (200, "older"), (100, "newest")):
        path = tmp_path / "logs" / f"{name}.jsonl"
        path.write_bytes(b"x" * 400_000)
        os.utime(path, (time.time() - age, time.time() - age))
    removed = enforce_cap(1, tmp_path)  # 1 MB: 1.6 MB kept, so two logs go
    assert [p.name for p in removed] == ["oldest.jsonl", "older.jsonl"]
    assert (tmp_path / "logs" / "newest.jsonl").exists() and (tmp_path / "journal" / "last-run.json").exists()


def test_size_cap_applies_after_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(os.environ["CODEXCLI_HOME"])
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "big.jsonl").write_bytes(b"x" * 2_000_000)
    monkeypatch.setenv("CODEX_CACHE_MAX_MB", "1")
    run("config")
    assert not (home / "logs" / "big.jsonl").exists()
