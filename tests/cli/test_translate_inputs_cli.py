"""`codex translate` gets input cases for functions without hints, doctests or tests: the types
come from what the body does and from the module's other functions (issue 28, item 3)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

REPO = Path(__file__).resolve().parents[2]
# As CPython's datetime/bisect write them: `year` is only passed on to `_is_leap`, `month` and
# `mid` index a list, `lo=0, hi=None` defaults.
DATES = dedent("""\
    _DAYS_IN_MONTH = [-1, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


    def _is_leap(year):
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


    def days_in_month(year, month):
        assert 1 <= month <= 12, month
        if month == 2 and _is_leap(year):
            return 29
        return _DAYS_IN_MONTH[month]


    def bisect_left(a, x, lo=0, hi=None):
        if lo < 0:
            raise ValueError("lo must be non-negative")
        if hi is None:
            hi = len(a)
        while lo < hi:
            mid = (lo + hi) // 2
            if a[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return lo
    """)
# Method bodies: codex prefills each signature from the inferred types.
JAVA_BODIES = [
    "    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);\n}\n```",
    "    if (!(1 <= month && month <= 12)) {\n        throw new AssertionError(month);\n    }\n"
    "    if (month == 2 && isLeap(year)) {\n        return 29;\n    }\n    return _DAYS_IN_MONTH[month];\n}\n```",
    '    if (lo < 0) {\n        throw new IllegalArgumentException("lo must be non-negative");\n    }\n'
    "    if (hi == null) {\n        hi = (long) a.length;\n    }\n"
    "    while (lo < hi) {\n        long mid = (lo + hi) / 2;\n        if (a[(int) mid] < x) {\n"
    "            lo = (int) mid + 1;\n        } else {\n            hi = mid;\n        }\n    }\n    return lo;\n}\n```",
]


@pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None, reason="javac/java not on PATH")
def test_functions_without_hints_get_cases_from_body_and_module(tmp_path):
    (tmp_path / "dates.py").write_text(DATES, encoding="utf-8")
    script = tmp_path / "answers.json"
    script.write_text(json.dumps({"answers": JAVA_BODIES}), encoding="utf-8")
    log = tmp_path / "requests.jsonl"
    env = dict(
        os.environ,
        CODEX_BACKEND="fake",
        CODEX_FAKE_ANSWERS=str(script),
        CODEX_FAKE_LOG=str(log),
        PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "codexcli",
            "--json",
            "translate",
            "dates.py",
            "--to",
            "java",
            "--dry-run",
            "--no-lines",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    by_name = {f["name"]: f for f in json.loads(proc.stdout)["functions"]}
    for name in ("_is_leap", "days_in_month", "bisect_left"):
        fn = by_name[name]
        assert fn["cases_total"] > 0 and "no input cases" not in json.dumps(fn), fn
        assert fn["verified"] is True and fn["cases_passed"] == fn["cases_total"]
    prefills = [json.loads(line)["prefill"] for line in log.read_text().splitlines()]
    # year's type came from _is_leap(year): the signature is codex's, not the model's guess.
    assert any("daysInMonth(int year, int month)" in p for p in prefills)
    # hi=None: a nullable Long, and the cases pass null too (a body without the null test fails them)
    assert any("bisectLeft(int[] a, int x, int lo, Long hi)" in p for p in prefills)
