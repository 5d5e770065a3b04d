"""`codex generate`, `codex models` and the error boundary, through the
real CLI and the backend registry (fake backend selected by environment)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import PYTHON, dedent, read_log, subprocess_env
from tests.unit.test_gguf_models import make_gguf

runner = CliRunner()

STUBS = dedent('''
    """Module docstring."""
    import math  # used by area

    def area(r: float) -> float:
        """Area of a circle."""
        ...

    class Box:
        def size(self) -> int:
            raise NotImplementedError

    def done():
        return 42
''')


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_help_lists_every_subcommand():
    result = invoke("--help")
    assert result.exit_code == 0
    for name in (
        "generate",
        "translate",
        "optimize",
        "comment",
        "testgen",
        "eval",
        "models",
        "index",
        "search",
        "data",
    ):
        assert name in result.stdout


def test_help_imports_no_heavy_or_optional_module():
    heavy = ("llama_cpp", "libcst", "httpx", "ray", "pyarrow", "numpy", "torch", "transformers", "peft", "gguf")
    heavy += ("pygls", "lsprotocol")  # `codex lsp` only
    code = (
        "import sys\nfrom codexcli.cli import main\nsys.argv=['codex','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('MODULES', *[m in sys.modules for m in {heavy!r}], any(m.startswith('tree_sitter') for m in sys.modules))"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=subprocess_env(), check=True).stdout
    assert "MODULES" + " False" * (len(heavy) + 1) in out


def test_generate_prints_checked_code_with_its_evidence(fake_answers):
    log = fake_answers("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n```\nThis is recursive.")
    result = invoke("generate", "the n-th Fibonacci number")
    assert result.exit_code == 0, result.output
    assert result.stdout == "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    # One answer is only checked for form: "verified" is said of examples/reference alone.
    assert "checked: python ast; evidence form, not verified" in result.stderr
    [request] = read_log(log)
    assert "the n-th Fibonacci number" in request["messages"][-1]["content"]


def test_generate_json(fake_answers):
    fake_answers("x = 1\n")
    result = invoke("--json", "generate", "a constant")
    payload = json.loads(result.stdout)
    assert payload["ok"] and payload["code"] == "x = 1\n" and payload["checked"] and payload["attempts"] == 1
    assert payload["verified"] is False and payload["evidence"]["level"] == "form"
    # --json also works after the subcommand
    fake_answers("x = 2\n")
    assert json.loads(invoke("generate", "a constant", "--json").stdout)["code"] == "x = 2\n"


def test_generate_rejected_exits_1_with_reason(fake_answers):
    fake_answers(default="I cannot help with that ((( ")
    result = invoke("generate", "something")
    assert result.exit_code == 1
    assert "no usable code after 3 attempt(s)" in result.stderr
    result = invoke("--json", "generate", "something")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1 and payload["ok"] is False and len(payload["attempts"]) == 3


def test_generate_out_writes_and_refuses_overwrite(fake_answers, tmp_path: Path):
    fake_answers(default="y = 2\n")
    out = tmp_path / "new.py"
    assert invoke("generate", "a constant", "--out", str(out)).exit_code == 0
    assert out.read_text() == "y = 2\n"
    result = invoke("generate", "a constant", "--out", str(out))
    assert result.exit_code == 2 and "already exists" in result.stderr
    out.write_text("mine\n")
    assert invoke("generate", "a constant", "--out", str(out), "--force").exit_code == 0
    assert out.read_text() == "y = 2\n"


def test_generate_javascript_checked_with_node(fake_answers, tmp_path: Path):
    import shutil

    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    fake_answers("function f() {\n", "function f() { return 1; }\n")
    result = invoke("--json", "generate", "f", "--lang", "js")
    payload = json.loads(result.stdout)
    assert payload["ok"] and payload["attempts"] == 2 and payload["check"].startswith("node")


def test_usage_errors_exit_2(tmp_path: Path):
    assert invoke("generate").exit_code == 2
    assert invoke("generate", "x", "--fill", str(tmp_path / "a.py")).exit_code == 2
    assert invoke("generate", "x", "--diff").exit_code == 2
    result = invoke("generate", "x", "--lang", "cobol")
    assert result.exit_code == 2 and "supported:" in result.stderr


@pytest.fixture
def stub_file(tmp_path: Path) -> Path:
    path = tmp_path / "stubs.py"
    path.write_text(STUBS)
    return path


def test_fill_evidence_form_writes_one_checked_answer_per_stub(fake_answers, stub_file: Path):
    log = fake_answers(
        "def area(r: float) -> float:\n    return math.pi * r * r\n",
        "class Box:\n    def size(self) -> int:\n        return 0\n",
    )
    result = invoke("generate", "--fill", str(stub_file), "--evidence", "form")
    assert result.exit_code == 0, result.output
    assert stub_file.read_text() == STUBS.replace("    ...\n", "    return math.pi * r * r\n").replace(
        "        raise NotImplementedError\n", "        return 0\n"
    )
    assert "2 filled, 0 below threshold, 0 skipped (threshold form)" in result.stderr
    assert len(read_log(log)) == 2


def test_fill_dry_run_prints_diff_and_writes_nothing(fake_answers, stub_file: Path):
    fake_answers("    return 1.0\n", "    return 0\n")
    result = invoke("generate", "--fill", str(stub_file), "--dry-run", "--evidence", "form")
    assert result.exit_code == 0
    assert stub_file.read_text() == STUBS
    assert "-    ...\n+    return 1.0\n" in result.stdout and result.stdout.startswith("--- a/")


def test_fill_partial_success_exit_1_and_json(fake_answers, stub_file: Path):
    fake_answers("    return 1.0\n", default="((( not code")
    result = invoke("--json", "generate", "--fill", str(stub_file), "--evidence", "form")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["written"] and payload["changed"]
    statuses = {f["name"]: (f["status"], f["attempts"]) for f in payload["functions"]}
    assert statuses == {"area": ("filled", 1), "Box.size": ("skipped", 3)}
    assert "return 1.0" in stub_file.read_text() and "raise NotImplementedError" in stub_file.read_text()


def test_fill_nothing_to_do_never_loads_a_model(stub_file: Path, tmp_path: Path):
    path = tmp_path / "plain.py"
    path.write_text("def f():\n    return 1\n")
    # No backend configured at all, and a model path that does not exist: still fine.
    result = invoke("--model", str(tmp_path / "missing.gguf"), "generate", "--fill", str(path))
    assert result.exit_code == 0 and "no stub functions" in result.stderr


def test_fill_bad_inputs_exit_2_and_leave_file(tmp_path: Path, fake_answers):
    fake_answers(default="    return 1\n")
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n    ...\n")
    result = invoke("generate", "--fill", str(bad))
    assert result.exit_code == 2 and f"{bad}:1:" in result.stderr and "syntax error" in result.stderr
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"def f():\n    '\xe9'\n    ...\n")
    result = invoke("generate", "--fill", str(latin))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert latin.read_bytes() == b"def f():\n    '\xe9'\n    ...\n"
    assert invoke("generate", "--fill", str(tmp_path / "nope.py")).exit_code == 2


def test_ctrl_c_midway_exits_130_and_file_unchanged(fake_answers, stub_file: Path, monkeypatch):
    from codexcli.backends.fake import FakeBackend

    fake_answers("    return 1.0\n", "    return 0\n")
    calls = {"n": 0}
    real = FakeBackend.complete

    def interrupt_second(self, request, on_token=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, request, on_token)

    monkeypatch.setattr(FakeBackend, "complete", interrupt_second)
    result = invoke("generate", "--fill", str(stub_file))
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert stub_file.read_text() == STUBS


def test_prompt_too_long_exit_2(fake_answers, stub_file: Path):
    fake_answers(default="x = 1\n", context=20)
    result = invoke("generate", "a" * 500)
    assert result.exit_code == 2 and "context holds 20" in result.stderr


def test_internal_error_is_one_line_unless_debug(fake_answers, stub_file: Path, monkeypatch):
    import codexcli.tasks.generate.fill as task

    fake_answers(default="x")
    monkeypatch.setattr(task, "fill_stubs", lambda *a, **k: 1 / 0)
    result = invoke("generate", "--fill", str(stub_file))
    assert result.exit_code == 3  # a bug in codex, distinct from 1 (a task did not verify)
    assert "internal error: ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr
    result = invoke("--debug", "generate", "--fill", str(stub_file))
    assert "Traceback" in result.stderr
    assert stub_file.read_text() == STUBS


def test_models_reports_the_embedded_default():
    result = invoke("--json", "models")
    assert result.exit_code == 0
    model = json.loads(result.stdout)["model"]
    assert model["architecture"] == "llama" and model["quantization"] == "Q4_1"
    assert model["context_length"] == 8192 and model["chat_template"] is True
    assert model["source"].startswith("embedded default")
    text = invoke("models").stdout
    assert "Q4_1" in text and "8,192 tokens" in text and "batches run on" in text
    assert model["batches"]["made"] is False  # made on the first batch, never by `codex models`
    off = json.loads(invoke("--json", "--convert", "off", "models").stdout)["model"]["batches"]
    assert off == {"type": None, "reason": "off by setting", "path": None, "made": False}


@pytest.mark.parametrize("kind", ["missing", "not-gguf", "truncated"])
def test_bad_models_one_line_exit_2(kind, tmp_path: Path, monkeypatch):
    path = tmp_path / "m.gguf"
    if kind == "not-gguf":
        path.write_text("just text")
    elif kind == "truncated":
        make_gguf(path, truncate=8)
    monkeypatch.setenv("CODEX_MODEL", str(path))
    result = invoke("models")
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("codex models: error:") and "Traceback" not in result.output
    # the same model error stops generate before anything else happens
    assert invoke("generate", "x").exit_code == 2


def test_config_error_exit_2(tmp_path: Path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.codex]\nthreads = 'lots'\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("models")
    assert result.exit_code == 2 and "threads must be int" in result.stderr


def test_version():
    from codexcli import __version__

    assert invoke("--version").stdout.strip() == f"codex {__version__}"
