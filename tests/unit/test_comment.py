"""The comment pipeline with the fake backend: before/after, retries, cache, idempotence."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from codexcli.backends import BackendSlot
from codexcli.backends.fake import FakeBackend
from codexcli.cache import NullCache, ResultCache
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.splice.docstring import find_targets, strip_docstrings
from codexcli.tasks.comment.run import comment_source, intersects, resolve_style, select_targets

SETTINGS = Settings(backend="fake", retries=1)
MODEL = {"backend": "fake"}


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(source: str, answers: list, *, cache: ResultCache | None = None, **kw):
    # The model's docstrings alone: a function none reaches the threshold for would otherwise get
    # one of observed examples (tests/unit/test_comment_examples.py).
    kw.setdefault("examples", False)
    fake = FakeBackend(answers)
    lazy = BackendSlot(lambda: fake)
    result = comment_source(
        source,
        "mod.py",
        settings=SETTINGS,
        prompt=load_prompt("comment"),
        backend=lazy,
        cache=cache or NullCache(),
        model_id=MODEL,
        **kw,
    )
    return result, fake, lazy


def code_ast(text: str) -> str:
    return ast.dump(strip_docstrings(ast.parse(text)), include_attributes=False)


def rule(target: str, answer: str) -> dict:
    return {"match": target, "answer": answer + '"""'}


SRC = d('''
    """Shapes."""


    def area(w, h):
        return w * h


    class Square:
        """A square."""

        def grow(self, by):
            self.side += by
    ''')


def test_documents_what_is_missing_and_nothing_else() -> None:
    result, fake, _ = run(
        SRC,
        [
            rule(
                "function `area`", "Compute an area.\n\nArgs:\n    w: Width.\n    h: Height.\n\nReturns:\n    The area."
            ),
            rule("method `Square.grow`", "Grow the square.\n\nArgs:\n    by: How much."),
        ],
    )
    assert [(o.target.qualname, o.status) for o in result.outcomes] == [
        ("area", "documented"),
        ("Square.grow", "documented"),
    ]
    assert len(fake.requests) == 2
    assert result.after == d('''
        """Shapes."""


        def area(w, h):
            """Compute an area.

            Args:
                w: Width.
                h: Height.

            Returns:
                The area.
            """
            return w * h


        class Square:
            """A square."""

            def grow(self, by):
                """Grow the square.

                Args:
                    by: How much.
                """
                self.side += by
        ''')
    assert code_ast(result.after) == code_ast(SRC)


def test_rejected_answer_is_retried_with_the_reason_then_skipped() -> None:
    echo = "def area(w, h):"
    result, fake, _ = run(
        SRC,
        [echo, echo, rule("method `Square.grow`", "Grow the square.\n\nArgs:\n    by: How much.")],
        assemble=False,  # the whole-answer path alone (tests/unit/test_comment_parts.py: with parts)
    )
    outcome = result.outcomes[0]
    assert outcome.status == "skipped" and "signature" in outcome.reason and len(outcome.attempts) == 2
    feedback = fake.requests[1].messages[-1].content
    assert feedback.startswith("That docstring was rejected: the docstring repeats the signature")
    assert result.outcomes[1].status == "documented"
    assert "def area(w, h):\n    return w * h" in result.after  # area untouched


def test_retry_can_succeed() -> None:
    result, fake, _ = run(
        "def f(x):\n    return x\n",
        [
            "Echo it.\n\nArgs:\n    y: Invented.",  # no text for x: no repair can make it pass
            "Return the value of `x` back.\n\nArgs:\n    x: Value.\n\nReturns:\n    x.",
        ],
        only=["f"],
    )
    assert result.outcomes[0].status == "documented" and len(result.outcomes[0].attempts) == 2
    assert "does not have" in fake.requests[1].messages[-1].content


def test_module_docstring_is_written_when_missing() -> None:
    # A module's summary never reaches "meaning" (no reviewer score): held back by default,
    # written with --evidence form.
    held, _, _ = run("import os\n\nX = 1\n", ["Import os and set X."] * 3, assemble=False)
    assert held.outcomes[0].status == "below threshold" and held.after == "import os\n\nX = 1\n"
    assert held.outcomes[0].candidate == "Import os and set X."
    result, _, _ = run("import os\n\nX = 1\n", ["Import os and set X."] * 3, evidence="form", assemble=False)
    assert result.after == '"""Import os and set X."""\nimport os\n\nX = 1\n'


def test_second_run_changes_nothing_and_calls_no_model() -> None:
    first, _, _ = run(
        SRC,
        [
            rule("`area`", "Compute an area.\n\nArgs:\n    w: Width.\n    h: Height."),
            rule("`Square.grow`", "Grow the square.\n\nArgs:\n    by: How much."),
        ],
    )
    second, fake, lazy = run(first.after, [])
    assert second.after == first.after and second.outcomes == ()
    assert fake.requests == [] and not lazy.created


def test_cache_hit_makes_no_model_call(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite3")
    answers = [
        rule("`area`", "Compute an area.\n\nArgs:\n    w: Width.\n    h: Height."),
        rule("`Square.grow`", "Grow the square.\n\nArgs:\n    by: How much."),
    ]
    first, fake1, _ = run(SRC, answers, cache=cache)
    assert len(fake1.requests) == 2
    again, fake2, lazy = run(SRC, [], cache=cache)
    assert again.after == first.after and all(o.cached for o in again.outcomes)
    assert fake2.requests == [] and not lazy.created and again.model_calls == 0


def test_cache_key_depends_on_code(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite3")
    run(
        "def f(x):\n    return x\n",
        [rule("`f`", "Return the value of `x`.\n\nArgs:\n    x: Value.")],
        cache=cache,
        only=["f"],
    )
    _, fake, _ = run(
        "def f(x):\n    return x + 1\n",
        [rule("`f`", "Add one to `x`.\n\nArgs:\n    x: Value.")],
        cache=cache,
        only=["f"],
    )
    assert len(fake.requests) == 1


def test_style_is_detected_from_the_file() -> None:
    src = d('''
        def a(x):
            """Do a.

            Parameters
            ----------
            x : int
                The x.
            """

        def b(y):
            return y
        ''')
    result, fake, _ = run(src, [rule("`b`", "Give y back.\n\nParameters\n----------\ny : int\n    The y.")], only=["b"])
    assert result.facts.style == "numpy" and result.outcomes[0].status == "documented"
    assert "numpy style" in fake.requests[0].messages[-1].content


@pytest.mark.parametrize(
    "style,answer",
    [
        ("google", "Give y back.\n\nArgs:\n    y: The y.\n\nReturns:\n    The y."),
        ("numpy", "Give y back.\n\nParameters\n----------\ny : int\n    The y.\n\nReturns\n-------\nint\n    The y."),
        ("rest", "Give y back.\n\n:param y: The y.\n:returns: The y."),
        ("plain", "Give `y` back."),
    ],
)
def test_every_style_end_to_end(style: str, answer: str) -> None:
    src = "def b(y):\n    return y\n"
    result, _, _ = run(src, [rule("`b`", answer)], style=style, only=["b"])
    assert result.outcomes[0].status == "documented"
    assert ast.get_docstring(ast.parse(result.after).body[0]) == answer


def test_unknown_style_is_a_usage_error() -> None:
    from codexcli.errors import UsageError

    with pytest.raises(UsageError):
        resolve_style("javadoc", [])


def test_overwrite_regenerates_existing_docstrings() -> None:
    src = 'def f(x):\n    """Old text here."""\n    return x\n'
    result, _, _ = run(
        src, [rule("`f`", "Return the value of `x`.\n\nArgs:\n    x: Value.")], overwrite=True, only=["f"]
    )
    assert (
        result.after
        == 'def f(x):\n    """Return the value of `x`.\n\n    Args:\n        x: Value.\n    """\n    return x\n'
    )


def test_one_line_and_overload_targets_are_skipped_with_reason() -> None:
    src = d("""
        from typing import overload

        class E(Exception): pass

        @overload
        def g(x: int) -> int:
            ...
        """)
    result, fake, lazy = run(src, [], only=["E", "g"])
    reasons = {o.target.qualname: o.reason for o in result.outcomes}
    assert "one-line body" in reasons["E"] and "overload" in reasons["g"]
    assert fake.requests == [] and not lazy.created and not result.changed


def test_crlf_and_tabs_file() -> None:
    src = "class A:\r\n\tdef m(self, v):\r\n\t\treturn v\r\n"
    result, _, _ = run(
        src,
        [
            rule("module `mod.py`", "One class `A`."),
            rule("`A`", "Class `A` with the method `m`."),
            rule("`A.m`", "Return v.\n\nArgs:\n    v: Value."),
        ],
    )
    # (the module's docstring reaches "form" at most: held back)
    assert result.after == (
        'class A:\r\n\t"""Class `A` with the method `m`."""\r\n\tdef m(self, v):\r\n\t\t"""Return v.\r\n\r\n'
        '\t\tArgs:\r\n\t\t    v: Value.\r\n\t\t"""\r\n\t\treturn v\r\n'
    )


def test_async_decorated_nested() -> None:
    src = d("""
        import functools

        @functools.cache
        async def outer(n):
            def inner():
                pass
            return n
        """)
    result, _, _ = run(
        src,
        [
            rule("`outer`", "Return `n`.\n\nArgs:\n    n: A number.\n\nReturns:\n    n."),
            rule("`outer.inner`", "Do nothing at all."),
        ],
        only=["outer", "outer.inner"],
    )
    # inner says "nothing", which its code (`pass`) does not name: not "meaning"
    assert [o.status for o in result.outcomes] == ["documented", "below threshold"]
    assert "not the meaning checks" in result.outcomes[1].reason
    assert code_ast(result.after) == code_ast(src)


def test_prompt_puts_file_first_and_target_last_for_a_shared_prefix() -> None:
    _, fake, _ = run(
        SRC,
        [
            rule("`area`", "Compute an area.\n\nArgs:\n    w: Width.\n    h: Height."),
            rule("`Square.grow`", "Grow the square.\n\nArgs:\n    by: How much."),
        ],
    )
    first, second = (r.messages[-1].content for r in fake.requests)
    cut = first.index("Write the docstring for")
    assert first[:cut] == second[:cut] and "def area(w, h)" in first[:cut]
    assert fake.requests[0].messages[:-1] == fake.requests[1].messages[:-1]


def test_staged_ranges_select_only_touched_targets() -> None:
    targets = find_targets(SRC)
    chosen, _ = select_targets(targets, ranges=[(12, 12)])
    assert [t.qualname for t in chosen] == ["Square.grow"]
    module = targets[0]
    assert intersects(module, [(1, 3)]) and not intersects(module, [(5, 6)])


def test_skipped_outcome_is_cached_so_a_rerun_makes_no_model_call(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite3")
    src = "def f(x):\n    return x\n"
    first, fake1, _ = run(src, ["def f(x):", "def f(x):"], cache=cache, only=["f"], assemble=False)
    assert first.outcomes[0].status == "skipped" and len(fake1.requests) == 2
    again, fake2, lazy = run(src, [], cache=cache, only=["f"], assemble=False)
    assert again.outcomes[0].status == "skipped" and again.outcomes[0].cached
    assert "signature" in again.outcomes[0].reason and "--no-cache" in again.outcomes[0].reason
    assert fake2.requests == [] and not lazy.created


def test_file_context_falls_back_to_the_target_when_the_file_does_not_fit() -> None:
    big = "X = 1\n" * 3000 + "\n\ndef f(x):\n    return x\n"
    fake = FakeBackend([rule("`f`", "Return the value of `x`.\n\nArgs:\n    x: Value.")], context=2048)
    result = comment_source(
        big,
        "big.py",
        settings=SETTINGS,
        prompt=load_prompt("comment"),
        backend=BackendSlot(lambda: fake),
        cache=NullCache(),
        model_id=MODEL,
        only=["f"],
    )
    assert result.outcomes[0].status == "documented"
    assert "X = 1" not in fake.requests[0].messages[-1].content
