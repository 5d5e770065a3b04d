"""testgen's observed oracle: wrong expected values replaced by what the code does (run in the
sandbox), right ones left as the model wrote them, repeats collapsed."""

from __future__ import annotations

import textwrap

from codexcli.tasks.testgen.observe import (
    CallResult,
    Check,
    Probe,
    collapse_repeats,
    find_checks,
    import_bindings,
    observe_calls,
    observe_test,
    rewrite,
)

MODULE = textwrap.dedent(
    """
    class BadRange(ValueError):
        pass

    def clamp(x, lo, hi):
        if lo > hi:
            raise BadRange("lo > hi")
        return max(lo, min(x, hi))

    def halves(xs):
        return [x / 2 for x in xs]

    def words(s):
        return s.split()

    def is_even(n):
        return n % 2 == 0

    def loop():
        while True:
            pass
    """
)
FILES = {"shapes.py": MODULE}
NAMES = {"BadRange", "clamp", "halves", "words", "is_even", "loop"}
IMPORTS = ("from shapes import clamp, halves, words, is_even, BadRange",)


def test_find_checks_takes_only_calls_on_imported_names():
    code = textwrap.dedent(
        """
        def test_x():
            n = 3
            assert clamp(15, 0, 10) == 15
            assert 4 == clamp(4, 0, 10)
            assert is_even(n) == True
            assert words("a b") == pytest.approx(1.0)
            assert is_even(3)
            assert not is_even(2)
            assert halves([1]) is None
            assert clamp(1, 0, 2) == n
        """
    ).lstrip()
    checks = find_checks(code, import_bindings(IMPORTS))
    assert [(c.call, c.form, c.expected) for c in checks] == [
        ("clamp(15, 0, 10)", "eq", "15"),
        ("clamp(4, 0, 10)", "eq", "4"),
        ('words("a b")', "eq", "pytest.approx(1.0)"),
        ("is_even(3)", "truthy", None),
        ("is_even(2)", "falsy", None),
        ("halves([1])", "is", "None"),
    ]


def test_rewrite_is_pure_and_keeps_right_literals():
    code = "def test_c():\n    assert clamp(15, 0, 10) == 15\n    assert clamp(4, 0, 10) == 4\n"
    checks = find_checks(code, {"clamp"})
    results = [CallResult("value", "10", True), CallResult("value", "4", True)]
    out = rewrite(code, checks, results, "shapes", NAMES)
    assert out.code == "def test_c():\n    assert clamp(15, 0, 10) == 10\n    assert clamp(4, 0, 10) == 4\n"
    assert [(o.line, o.written, o.observed, o.how) for o in out.observed] == [
        (2, "assert clamp(15, 0, 10) == 15", "assert clamp(15, 0, 10) == 10", "value")
    ]
    assert out.imports == ()


def test_unobservable_values_leave_the_assertion():
    check = Check(2, 2, "    ", "f()", "eq", "1")
    code = "def test_f():\n    assert f() == 1\n"
    for result in (CallResult("value", None, True), CallResult("timeout"), CallResult("lost")):
        assert rewrite(code, [check], [result], "m", set()).code == code
    foreign = CallResult("raised", exception="Oops", exception_module="elsewhere")
    assert rewrite(code, [check], [foreign], "m", set()).code == code


def test_observed_in_the_sandbox_end_to_end():
    code = textwrap.dedent(
        """
        def test_all():
            assert clamp(15, 0, 10) == 15
            assert clamp(15, 0, 10) == 15
            assert clamp(5, 0, 10) == 5
            assert halves([1, 3]) == [0.5, 1.5]
            assert halves([1, 2]) == [1, 2]
            assert words("a b") == ["a b"]
            assert clamp(1, 5, 0) == 1
            assert is_even(3)
        """
    ).lstrip()
    out = observe_test(code, IMPORTS, "shapes", NAMES, files=FILES)
    assert out.collapsed == 1
    assert (
        out.code
        == textwrap.dedent(
            """
        def test_all():
            assert clamp(15, 0, 10) == 10
            assert clamp(5, 0, 10) == 5
            assert halves([1, 3]) == [0.5, 1.5]
            assert halves([1, 2]) == pytest.approx([0.5, 1.0])
            assert words("a b") == ['a', 'b']
            with pytest.raises(BadRange):
                clamp(1, 5, 0)
            assert is_even(3) is False
        """
        ).lstrip()
    )
    assert [o.how for o in out.observed] == ["value", "approx", "value", "raises", "value"]
    assert set(out.imports) == {"import pytest", "from shapes import BadRange"}
    # The rewritten test passes when run for real.
    namespace: dict = {}
    exec(MODULE, namespace)
    exec("import pytest\n" + out.code, namespace)
    namespace["test_all"]()


def test_observe_calls_reports_builtin_exceptions_timeouts_and_inexact_values():
    probes = [
        Probe(IMPORTS, "clamp('a', 0, 1)"),
        Probe(("from shapes import loop",), "loop()"),
        Probe((), "object()"),
        Probe((), "float('nan')"),
        Probe((), "(1, 'x', None, {2: b'y'})"),
    ]
    results = observe_calls(probes, files=FILES, per_call_s=0.5)
    assert (results[0].kind, results[0].exception, results[0].exception_module) == ("raised", "TypeError", "builtins")
    assert results[1].kind == "timeout"
    assert (results[2].kind, results[2].repr, results[2].truthy) == ("value", None, True)
    assert results[3].repr is None
    assert results[4].repr == "(1, 'x', None, {2: b'y'})"


def test_collapse_keeps_repeats_that_use_local_state():
    code = "def test_s():\n    s = [1, 1]\n    assert s.pop() == 1\n    assert s.pop() == 1\n    assert f(1) == 2\n    assert f(1) == 2\n"
    collapsed, n = collapse_repeats(code, {"f"})
    assert n == 1
    assert (
        collapsed
        == "def test_s():\n    s = [1, 1]\n    assert s.pop() == 1\n    assert s.pop() == 1\n    assert f(1) == 2\n"
    )


def test_observe_calls_traces_the_lines_each_call_runs():
    probes = [Probe(IMPORTS, "clamp(5, 0, 10)"), Probe(IMPORTS, "clamp(1, 5, 0)")]
    ok, raised = observe_calls(probes, files=FILES, trace="shapes.py")
    body = {i + 1 for i, line in enumerate(MODULE.split("\n")) if "raise BadRange" in line}
    assert ok.lines and not body & set(ok.lines)
    assert body <= set(raised.lines)


def test_observe_candidates_against_a_staged_package(tmp_path):
    from codexcli.tasks.testgen.observe import observe_candidates
    from codexcli.tasks.testgen.pytest_runner import PytestRunner
    from codexcli.tasks.testgen.request import parse_tests
    from codexcli.verify.sandbox.project import find_layout

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    package = tmp_path / "src" / "shapes_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "shapes.py"
    module.write_text(MODULE)
    answer = "```python\nfrom shapes_pkg.shapes import clamp\n\ndef test_c():\n    assert clamp(15, 0, 10) == 15\n\ndef test_ok():\n    assert clamp(1, 0, 2) == 1\n```"
    tests = parse_tests(answer, "shapes_pkg.shapes", NAMES)
    assert not hasattr(tests, "reason")
    with PytestRunner(find_layout(module, tmp_path / "tests" / "test_shapes.py")) as runner:
        updated, notes = observe_candidates(tests, runner, MODULE)
    assert updated[0].code == "def test_c():\n    assert clamp(15, 0, 10) == 10\n"
    assert updated[1] == tests[1]
    assert list(notes) == ["test_c"] and notes["test_c"][0].written == "assert clamp(15, 0, 10) == 15"
