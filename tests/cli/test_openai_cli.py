"""`codex --backend openai`: settings, the CLI's one-line errors, `codex models`, the cache key,
(`codex --help` not importing httpx: tests/cli/test_cli_generate.py). The server is a local pytest-httpserver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from codexcli.cache import make_key, model_identity
from codexcli.cli import app
from codexcli.config import load_settings
from tests.unit.test_openai_backend import chat_answer, models

runner = CliRunner()


def test_settings_from_project_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.codex]\nbackend = "openai"\nmodel = "qwen2.5-coder:7b"\nconcurrency = 8\n'
    )
    monkeypatch.setenv("CODEX_BASE_URL", "http://gpu-box:8000/v1")
    settings = load_settings(tmp_path)
    # A server model id is kept as written, not resolved as a file next to pyproject.toml.
    assert (settings.backend, settings.model, settings.concurrency) == ("openai", "qwen2.5-coder:7b", 8)
    assert settings.base_url == "http://gpu-box:8000/v1"
    (tmp_path / "pyproject.toml").write_text('[tool.codex]\nmodel = "models/m.gguf"\n')
    assert load_settings(tmp_path).model == str(tmp_path / "models" / "m.gguf")


def test_cache_identity_has_url_and_model_never_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_API_KEY", "sk-secret")
    monkeypatch.setenv("CODEX_BACKEND", "openai")
    monkeypatch.setenv("CODEX_BASE_URL", "http://a:1/v1")
    one = model_identity(load_settings(flags={"model": "m1"}))
    assert one == {"backend": "openai", "base_url": "http://a:1/v1", "model": "m1"}
    other = model_identity(load_settings(flags={"model": "m2"}))
    assert make_key("t", one, "d", 1, {}, "s") != make_key("t", other, "d", 1, {}, "s")
    assert "sk-secret" not in json.dumps(one)


def test_generate_through_a_server(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_API_KEY", "sk-secret")
    models(httpserver, "coder")
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        # The usage a server reports for the whole prompt (codex checks it for silent truncation).
        chat_answer("```python\ndef double(x):\n    return 2 * x\n", prompt_tokens=600)
    )
    url = httpserver.url_for("/v1")
    result = runner.invoke(app, ["--json", "--backend", "openai", "--base-url", url, "generate", "double a number"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert payload["code"] == "def double(x):\n    return 2 * x\n"
    assert "sk-secret" not in result.output
    # Only this command's request: a unit test's timed-out request can reach the shared server late.
    [req] = [r for r, _ in httpserver.log if r.path == "/v1/chat/completions" and b"double a number" in r.data]
    assert req.headers["Authorization"] == "Bearer sk-secret"


def test_connection_refused_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_API_KEY", "sk-secret")
    result = runner.invoke(app, ["--json", "--backend", "openai", "--base-url", "http://127.0.0.1:9/v1", "models"])
    assert result.exit_code == 2
    assert "cannot connect to http://127.0.0.1:9/v1" in result.stderr
    assert "is the server running?" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "server"
    assert "sk-secret" not in result.output


def test_missing_base_url_is_a_config_error() -> None:
    result = runner.invoke(app, ["--backend", "openai", "models"])
    assert result.exit_code == 2 and "needs the server's URL" in result.stderr


def test_models_lists_the_servers_models(httpserver: HTTPServer) -> None:
    models(httpserver, "a", "b")
    url = httpserver.url_for("/v1")
    result = runner.invoke(app, ["--backend", "openai", "--base-url", url, "-m", "b", "models"])
    assert result.exit_code == 0, result.output
    assert "  a\n* b\n" in result.stdout and "codex uses: b" in result.stdout
    result = runner.invoke(app, ["--json", "--backend", "openai", "--base-url", url, "models"])
    server = json.loads(result.stdout)["server"]
    assert (server["models"], server["model"]) == (["a", "b"], "a")


def test_doctor_checks_the_server(httpserver: HTTPServer) -> None:
    models(httpserver, "coder")
    url = httpserver.url_for("/v1")
    result = runner.invoke(app, ["--json", "--backend", "openai", "--base-url", url, "doctor", "--no-decode"])
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["server"]["status"] == "ok" and checks["server"]["data"]["model"] == "coder"
    down = runner.invoke(app, ["--json", "--backend", "openai", "--base-url", "http://127.0.0.1:9/v1", "doctor"])
    checks = {c["name"]: c for c in json.loads(down.stdout)["checks"]}
    assert down.exit_code == 1 and checks["server"]["status"] == "fail"
    assert "is the server running?" in checks["server"]["hint"]
