"""The translate pipeline with the fake backend: retries on compiler errors, assembly, missing
toolchains, behaviour verdicts, --strict, context limits. Compilers are replaced by a fake one
here (the real ones are exercised in test_translate_behaviour and the CLI tests)."""

from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import judge as translate_run
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate import task as translate_task
from codexcli.verify.static.syntax import SyntaxCheck

SOURCE = dedent('''\
    def double(x: int) -> int:
        """
        >>> double(2)
        4
        """
        return x * 2


    def quad(x: int) -> int:
        return double(double(x))
    ''')


@pytest.fixture
def fake_compiler(monkeypatch):
    """A 'compiler' that rejects any file containing BROKEN, and records what it compiled."""
    seen: list[str] = []

    def check(code, language, filename, **_):
        seen.append(code)
        if "BROKEN" in code:
            return SyntaxCheck(False, "fakec", f"{filename}:3: error: BROKEN is not a statement")
        return SyntaxCheck(True, "fakec")

    monkeypatch.setattr(translate_task, "compile_check", check)
    monkeypatch.setattr(translate_run, "compile_check", check)
    return seen


@pytest.fixture
def whole_method(monkeypatch):
    """The model writes the whole method: codex prefills no Java signature (translate_sig.py)."""
    monkeypatch.setattr(translate_task, "observed_signature", lambda *a, **k: None)


@pytest.fixture
def no_behaviour(monkeypatch):
    monkeypatch.setattr(translate_task, "check_behaviour", lambda outcomes, *a, **k: outcomes)


def _run(answers, *, target="java", settings=None, source=SOURCE, path="calc.py", out="Calc.java", context=4096, **kw):
    """Translate with the fake backend. These tests look at asking, compiling and assembling, so
    the write threshold is "form" (every unit that compiles is written, the unverified marked)
    unless a test passes ``threshold``; the default threshold has tests of its own."""
    kw.setdefault("threshold", "form")
    backend = FakeBackend(answers, context=context)
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path(path), "python" if path.endswith(".py") else "java", target, Path(out)),
        settings or Settings(retries=2),
        task.TranslateOptions(**kw),
    )
    return result, backend


def test_compile_error_is_fed_back_and_the_retry_accepted(fake_compiler, no_behaviour):
    result, backend = _run(
        [
            "public static int double(int x) { BROKEN }\n```",
            "public static int double(int x) { return x * 2; }\n```",
            "public static int quad(int x) { return double(double(x)); }\n```",
        ]
    )
    assert [o.status for o in result.outcomes] == ["translated", "translated"]
    assert len(result.outcomes[0].attempts) == 2
    retry = backend.requests[1].messages[-1].content
    assert "does not compile (fakec)" in retry and "BROKEN is not a statement" in retry
    assert result.facts.check.ok is True
    assert "public class Calc {" in result.after and "quad(int x)" in result.after


def test_retries_are_capped_and_the_rest_still_translated(fake_compiler, no_behaviour):
    result, backend = _run(
        ["public static int double(int x) { BROKEN }\n```", "public static int quad(int x) { return 4 * x; }\n```"],
        settings=Settings(retries=0),
    )
    assert [o.status for o in result.outcomes] == ["failed", "translated"]
    assert "does not compile" in result.outcomes[0].reason
    assert len(backend.requests) == 2
    assert "Not written: double" in result.after
    assert task.problems(result) and task.problems(result)[0].target.name == "double"


def test_an_answer_that_defines_something_else_is_rejected_with_the_expected_name(
    fake_compiler, no_behaviour, whole_method
):
    two = "public static int twice(int x) { return x * 2; }\npublic static int half(int x) { return x / 2; }\n```"
    result, backend = _run(
        [two, two],
        settings=Settings(retries=1),
        source="def double(x: int) -> int:\n    return x * 2\n",
    )
    assert result.outcomes[0].status == "failed"
    assert "does not define `double`" in backend.requests[1].messages[-1].content


def test_one_function_under_another_name_is_renamed_and_reported(fake_compiler, no_behaviour, whole_method):
    result, backend = _run(
        ["Here it is:\npublic static int twice(int x) {\n    return x < 0 ? twice(-x) : x * 2;\n}\nDone!\n```"],
        settings=Settings(retries=0),
        source="def double(x: int) -> int:\n    return x * 2\n",
    )
    (outcome,) = result.outcomes
    assert outcome.status == "translated" and len(backend.requests) == 1
    assert outcome.reason == "repaired: dropped the prose around the code; renamed `twice` to `double`"
    assert "double(-x)" in result.after and "twice" not in result.after and "Done!" not in result.after


def test_an_answer_without_code_is_a_clear_reason(fake_compiler, no_behaviour):
    result, _ = _run(["\n```"], settings=Settings(retries=0), source="def f(x: int) -> int:\n    return x\n")
    assert result.outcomes[0].status == "failed" and "no code" in result.outcomes[0].reason
    assert result.facts.check.ok is False  # nothing to write


def test_pieces_are_assembled_with_each_answer_compiled_together_with_the_accepted_ones(
    fake_compiler, no_behaviour, whole_method
):
    result, _ = _run(
        [
            "import java.util.*;\npublic static int double(int x) { return x * 2; }\n```",
            "import java.util.*;\npublic class Main {\n    public static int quad(int x) { return double(double(x)); }\n    public static void main(String[] a) {}\n}\n```",
        ]
    )
    # The second compile saw both definitions in one class; the wrapper class and main are gone.
    assert "double(int x)" in fake_compiler[1] and "quad(int x)" in fake_compiler[1]
    assert result.after.count("import java.util.*;") == 1
    assert "class Main" not in result.after and "main(" not in result.after


def test_missing_toolchain_is_not_verified(monkeypatch, no_behaviour, tmp_path):
    monkeypatch.setenv("CODEX_JAVAC", str(tmp_path / "no-javac"))
    result, _ = _run(
        [
            "public static int double(int x) { return x * 2; }\n```",
            "public static int quad(int x) { return double(double(x)); }\n```",
        ]
    )
    assert result.facts.check.ok is None and "javac is not on PATH" in result.facts.check.detail
    assert all(task.compiled(o) is None and not task.verified(o) for o in result.outcomes)


def _fake_behaviour(monkeypatch, verdicts):
    """Replace the harness run: ``verdicts`` maps a translated name to (records, error)."""
    monkeypatch.setattr(
        translate_run, "run_translation", lambda lang, fn, code, name, cases, **k: verdicts[name](cases)
    )


_DOUBLE_RIGHT_QUAD_WRONG = {
    "double": lambda cases: ([{"value": 2 * c.values()[0][0]} for c in cases], None),
    "quad": lambda cases: ([{"value": 0} for c in cases], None),
}
_ANSWERS = [
    "public static int double(int x) { return x * 2; }\n```",
    "public static int quad(int x) { return 0; }\n```",
]


def test_by_default_a_function_failing_the_behaviour_check_is_left_out_with_its_candidate(monkeypatch, fake_compiler):
    _fake_behaviour(monkeypatch, _DOUBLE_RIGHT_QUAD_WRONG)
    result, _ = _run(_ANSWERS, threshold="reference")
    double, quad = result.outcomes
    assert double.status == "translated" and double.evidence.level == "reference" and double.evidence.verified
    assert double.evidence.facts == f"behaves like the original on {double.detail.behaviour.total} cases"
    assert quad.status == "below threshold" and quad.evidence.level == "form" and not quad.evidence.verified
    assert "differs from the original on" in quad.evidence.facts and "below the threshold 'reference'" in quad.reason
    assert quad.candidate == "public static int quad(int x) { return 0; }"
    assert "quad(int x)" not in result.after and "Not written: quad." in result.after
    assert "unverified" not in result.after and "double(int x)" in result.after
    assert [o.target.name for o in task.problems(result)] == ["quad"]


def test_a_verified_function_calling_one_left_out_is_left_out_too(monkeypatch, fake_compiler):
    _fake_behaviour(
        monkeypatch,
        {
            "double": lambda cases: ([{"value": 0} for c in cases], None),
            "quad": lambda cases: ([{"value": 4 * c.values()[0][0]} for c in cases], None),
        },
    )
    answers = [
        "public static int double(int x) { return 0; }\n```",
        "public static int quad(int x) { return double(double(x)) + 4 * x; }\n```",
    ]
    result, _ = _run(answers, threshold="reference")
    double, quad = result.outcomes
    assert double.status == "below threshold"
    assert quad.status == "left out" and quad.evidence.verified  # right alone, but it calls `double`
    assert "`double`" in quad.reason and "would not compile alone" in quad.reason
    assert "double(double(x))" in quad.candidate
    assert not result.done and "Not written: double, quad." in result.after


def test_with_threshold_form_the_failing_function_is_written_marked(monkeypatch, fake_compiler):
    _fake_behaviour(monkeypatch, _DOUBLE_RIGHT_QUAD_WRONG)
    result, _ = _run(_ANSWERS, threshold="form")
    double, quad = result.outcomes
    assert task.verified(double) and double.detail.behaviour.passed == double.detail.behaviour.total > 0
    assert not task.verified(quad) and quad.status == "translated" and quad.evidence.level == "form"
    assert quad.detail.behaviour.failed and quad.detail.behaviour.passed < quad.detail.behaviour.total
    assert "// codex: unverified: differs from the original on" in result.after
    assert result.after.index("unverified") < result.after.index("quad(int x)")
    assert result.after.count("codex: unverified") == 1  # the verified `double` carries no marker
    assert [o.target.name for o in task.problems(result)] == ["quad"]


def test_strict_drops_the_function_that_failed(monkeypatch, fake_compiler):
    _fake_behaviour(
        monkeypatch,
        {
            "double": lambda cases: ([{"value": 2 * c.values()[0][0]} for c in cases], None),
            "quad": lambda cases: ([{"raised": "Boom"} for c in cases], None),
        },
    )
    result, _ = _run(_ANSWERS, strict=True)
    assert [o.status for o in result.outcomes] == ["translated", "dropped"]
    assert "quad" not in result.after.split("Not written")[1].split("\n", 1)[1]
    assert "Not written: quad." in result.after


def test_a_harness_that_cannot_run_leaves_the_function_unverified_not_failed(monkeypatch, fake_compiler):
    _fake_behaviour(
        monkeypatch,
        {
            "double": lambda cases: ([], "no behaviour harness for go yet"),
            "quad": lambda cases: ([], "no behaviour harness for go yet"),
        },
    )
    result, _ = _run(
        ["func double(x int) int { return x * 2 }\n```", "func quad(x int) int { return double(double(x)) }\n```"],
        target="go",
        out="calc.go",
    )
    assert not task.problems(result)
    assert all(o.detail.behaviour.error and not o.detail.behaviour.failed for o in result.outcomes)
    assert result.after.count("// codex: unverified: behaviour not checked: no behaviour harness for go yet") == 2
    assert all(o.evidence.level == "form" for o in result.outcomes)


def test_a_definition_too_long_for_the_context_fails_alone(fake_compiler, no_behaviour):
    source = (
        SOURCE
        + "\n\ndef big(x: int) -> int:\n"
        + "".join(f"    x += {i}  # padding padding padding\n" for i in range(200))
        + "    return x\n"
    )
    result, _ = _run(
        [
            "public static int double(int x) { return x * 2; }\n```",
            "public static int quad(int x) { return double(double(x)); }\n```",
        ],
        source=source,
        context=1200,
        settings=Settings(retries=0, max_tokens=64),
    )
    statuses = {o.target.name: o.status for o in result.outcomes}
    assert statuses == {"double": "translated", "quad": "translated", "big": "failed"}
    assert "context" in [o for o in result.outcomes if o.target.name == "big"][0].reason


def test_long_non_python_files_are_translated_in_chunks(fake_compiler):
    java = (
        "public class Big {\n" + "".join(f"  static int f{i}() {{\n    return {i};\n  }}\n" for i in range(40)) + "}\n"
    )
    backend = FakeBackend([], default="def f():\n    return 1\n```", context=700)
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(java, Path("Big.java"), "java", "python", Path("big.py")),
        Settings(retries=0, max_tokens=64),
    )
    assert len(result.outcomes) > 1 and all(o.target.kind == "chunk" for o in result.outcomes)
    # Only compiled: nothing ran it next to the original, so by default nothing is written.
    assert all(o.status == "below threshold" and o.evidence.level == "form" for o in result.outcomes)
    assert all(o.candidate.startswith("def f():") for o in result.outcomes)


def test_samples_prefer_an_answer_that_needed_no_repair(fake_compiler, no_behaviour, whole_method):
    result, backend = _run(
        [
            "public static int twice(int x) { return x * 2; }\n```",
            "public static int BROKEN(int x) { BROKEN }\n```",
            "public static int dbl(int x) { return x + x; }\n```",
        ],
        settings=Settings(retries=0),
        source="def dbl(x: int) -> int:\n    return x * 2\n",
        samples=3,
    )
    (outcome,) = result.outcomes
    assert outcome.status == "translated" and len(backend.requests) == 3 and len(outcome.attempts) == 3
    assert outcome.reason == "sample 3 of 3 (2 verified): needed no repair"
    assert "return x + x;" in result.after


DAYS = dedent('''\
    DAYS_IN_MONTH = [31, 28, 31]


    def days_in(month: int) -> int:
        """
        >>> days_in(1)
        28
        """
        return DAYS_IN_MONTH[month % 3]
    ''')
_DAYS_RIGHT = {"daysIn": lambda cases: ([{"value": [31, 28, 31][c.values()[0][0] % 3]} for c in cases], None)}
_DAYS_ANSWERS = [
    "const DAYS_IN_MONTH = -1;\n```",  # a list as a scalar: rejected, the reason fed back
    "const DAYS_IN_MONTH = [31, 28, 31];\n```",
    "function daysIn(month) { return DAYS_IN_MONTH[month % 3]; }\n```",
]


def test_a_list_constant_written_as_a_scalar_is_rejected(monkeypatch, fake_compiler):
    _fake_behaviour(monkeypatch, _DAYS_RIGHT)
    result, backend = _run(_DAYS_ANSWERS, source=DAYS, path="days.py", target="javascript", out="days.js")
    constants = result.outcomes[0]
    assert len(constants.attempts) == 2 and "`DAYS_IN_MONTH` is a list in the original" in constants.attempts[0].error
    assert "-1" not in result.after and "const DAYS_IN_MONTH = [31, 28, 31];" in result.after


def test_model_written_constants_are_unverified_and_their_users_left_out_by_default(monkeypatch, fake_compiler):
    _fake_behaviour(monkeypatch, _DAYS_RIGHT)
    result, _ = _run(
        _DAYS_ANSWERS, source=DAYS, path="days.py", target="javascript", out="days.js", threshold="reference"
    )
    constants, days_in = result.outcomes
    assert constants.status == "below threshold" and constants.evidence.level == "form"
    assert "constants written by the model" in constants.evidence.facts
    assert constants.candidate == "const DAYS_IN_MONTH = [31, 28, 31];"
    assert days_in.status == "left out" and days_in.evidence.verified and "`module constants`" in days_in.reason
    assert "DAYS_IN_MONTH" not in result.after.split("\n", 2)[2] and not result.done


def test_keeping_unverified_marks_every_unverified_definition_constants_included(monkeypatch, fake_compiler):
    _fake_behaviour(monkeypatch, _DAYS_RIGHT)
    result, _ = _run(_DAYS_ANSWERS, source=DAYS, path="days.py", target="javascript", out="days.js", threshold="form")
    assert [o.status for o in result.outcomes] == ["translated", "translated"]
    assert [o.evidence.level for o in result.outcomes] == ["form", "reference"]
    marked = "// codex: unverified: behaviour not checked: constants written by the model, values not compared\n"
    assert marked + "const DAYS_IN_MONTH = [31, 28, 31];" in result.after
    assert result.after.count("codex: unverified") == 1  # daysIn behaves like the original: no marker


def test_java_list_constants_are_written_by_codex_as_arrays_with_reference_evidence(fake_compiler):
    result, backend = _run([], source="DAYS_IN_MONTH = [31, 28, 31]\nRATE = 0.5\n", threshold="reference")
    (constants,) = result.outcomes
    assert not backend.requests and constants.detail.origin == "codex"
    assert constants.status == "translated" and constants.evidence.level == "reference"
    assert "static final long[] DAYS_IN_MONTH = {31L, 28L, 31L};" in result.after
    assert "static final double RATE = 0.5;" in result.after and "unverified" not in result.after
