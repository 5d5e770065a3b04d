"""`codex translate` with the real embedded model (SmolLM2-135M) on examples/translate_me.py
(its first function).

The model is weak and usually wrong; what must hold whatever it says: the input file is
untouched, and whatever is written compiles with the target's toolchain (or nothing is written,
with a reason). Kept short: few tokens, no retries."""

import ast
import json
import shutil
from pathlib import Path

import pytest

from codexcli.verify.compare.toolchains import compile_check
from tests.conftest import YIQ, run_codex

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "translate_me.py"

pytestmark = pytest.mark.integration


def _first_function(source: str) -> str:
    """The example's header and its first function only: one model call keeps the test short
    on a busy 2-core machine (measured: the whole file took over 7 minutes there)."""
    tree = ast.parse(source)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    return "\n".join(source.splitlines()[: fn.end_lineno]) + "\n"


# One target keeps the suite short (each definition costs a model call); the CLI tests cover
# the other toolchains with scripted answers.
@pytest.mark.parametrize("language, out_name, tool", [("java", "TranslateMe.java", "javac")])
def test_real_model_translation_compiles_or_is_not_written(tmp_path, language, out_name, tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not on PATH")
    src = tmp_path / "translate_me.py"
    src.write_text(_first_function(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    before = src.read_bytes()
    proc = run_codex(
        "--json",
        "translate",
        "translate_me.py",
        "--to",
        language,
        "--max-tokens",
        "80",
        "--retries",
        "0",
        "--cases",
        "4",
        cwd=tmp_path,
        timeout=420,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert src.read_bytes() == before
    out = tmp_path / out_name
    assert report["written"] == out.exists()
    if out.exists():
        assert compile_check(out.read_text(encoding="utf-8"), language, out_name).ok is True
    else:
        assert report["not_written_because"]
    for fn in report["functions"]:
        assert fn["cases_passed"] <= fn["cases_total"]
        if fn["verified"]:
            assert fn["compiled"] is True and fn["cases_passed"] == fn["cases_total"] > 0


def test_real_model_line_by_line_assembly_is_checked_like_any_answer(tmp_path):
    """colorsys's rgb_to_yiq (no hints, no doctests): the whole answer, then, unless it matches
    the original, the method assembled line by line from the model's statements. Whatever the
    model says: the input stays as it was, an assembled function says so, and one reported
    verified matched the original on every case, in a file javac accepts."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("javac/java not on PATH")
    src = tmp_path / "colors.py"
    src.write_text(YIQ, encoding="utf-8")
    proc = run_codex("--json", "translate", "colors.py", "--to", "java", "--retries", "0", cwd=tmp_path, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert src.read_text(encoding="utf-8") == YIQ
    (fn,) = report["functions"]
    assert fn["origin"] in ("model", "lines", None)
    if fn["origin"] == "lines":
        assert fn["reason"].startswith("assembled line by line: codex laid out the method")
    if fn["verified"]:
        assert fn["cases_passed"] == fn["cases_total"] > 0
    out = tmp_path / "Colors.java"
    assert report["written"] == out.exists()
    if out.exists():
        assert compile_check(out.read_text(encoding="utf-8"), "java", "Colors.java").ok is True


LOOPS = '''\
def digit_sum(n):
    """
    >>> digit_sum(1234)
    10
    >>> digit_sum(-907)
    16
    """
    assert n > -10**9, "too small"
    if n < 0:
        n = -n
    s = 0
    while n > 0:
        n, d = divmod(n, 10)
        s += d
    return s


def floor_half(a, b):
    """
    >>> floor_half(-7, 2)
    -4
    >>> floor_half(1, 0)
    Traceback (most recent call last):
    ValueError: b is zero
    """
    if b == 0:
        raise ValueError("b is zero")
    q = a // b
    return q
'''


@pytest.mark.parametrize("language, out_name, tool", [("java", "Loops.java", "javac"), ("cpp", "loops.cpp", "g++")])
def test_real_model_functions_with_loops_asserts_and_raises(tmp_path, language, out_name, tool):
    """Loops, an assert, a raise, divmod and floor division: whatever the model answers, the
    input stays as it was, only verified definitions are written (the default threshold), the
    written file compiles, and a function assembled line by line says who wrote its lines."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not on PATH")
    src = tmp_path / "loops.py"
    src.write_text(LOOPS, encoding="utf-8")
    args = ("--json", "translate", "loops.py", "--to", language, "--max-tokens", "120", "--retries", "0")
    proc = run_codex(*args, cwd=tmp_path, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert src.read_text(encoding="utf-8") == LOOPS
    out = tmp_path / out_name
    assert report["written"] == out.exists()
    for fn in report["functions"]:
        if fn["origin"] == "lines":
            assert fn["reason"].startswith("assembled line by line: codex laid out the method")
        if fn["verified"]:
            assert fn["compiled"] is True and fn["cases_passed"] == fn["cases_total"] > 0
    if out.exists():
        text = out.read_text(encoding="utf-8")
        assert compile_check(text, language, out_name).ok is True
        for fn in report["functions"]:
            defined = fn.get("translated_as") or fn["name"]
            if not fn["verified"]:
                assert f" {defined}(" not in text  # only verified definitions are written
