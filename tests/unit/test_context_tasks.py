"""The repository context testgen and translate put in their prompts (index/context.py,
tasks/testgen/context.py): what is chosen, in which order, within which budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.index.context import RepoContext
from codexcli.index.store import open_index
from codexcli.tasks.testgen.context import context_for
from codexcli.tasks.testgen.request import find_targets
from tests.conftest import dedent

MODULE = dedent('''
    from ranges import bounded


    def clamp(value, low, high):
        """Return value limited to low..high."""
        if bounded(value, low, high):
            return value
        return low if value < low else high
''')
FILES = {
    "clampmod.py": MODULE,
    "ranges.py": 'def bounded(value, low, high):\n    """Return whether value lies in low..high."""\n    return low <= value <= high\n',
    "tests/test_ranges.py": "from ranges import bounded\n\n\ndef test_bounded():\n    assert bounded(5, 0, 10)\n",
    "tests/test_old.py": "from clampmod import clamp\n\n\ndef test_clamp_old():\n    assert clamp(3, 0, 1) == 1\n",
    "tests/test_clampmod.py": "from clampmod import clamp\n\n\ndef test_clamp_out():\n    assert clamp(0, 0, 1) == 0\n",
}


@pytest.fixture
def repo(tmp_path: Path):
    root = tmp_path / "repo"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    index = open_index(root, db=tmp_path / "index.sqlite3", use_git=False)
    index.refresh()

    def make(tokens: int = 512, k: int = 3) -> RepoContext:
        return RepoContext(index, Settings(context_tokens=tokens, context_k=k))

    yield root, make
    index.close()


def names(chosen) -> list[str]:
    return [f"{d.path}:{d.qualname}" for d in chosen]


def test_testgen_context_shows_related_code_then_the_tests_of_target_and_relatives(repo):
    root, make = repo
    [clamp] = find_targets(MODULE)
    chosen = context_for(make(), FakeBackend(), clamp, root / "clampmod.py", root / "tests" / "test_clampmod.py")
    # the target itself is the code to test, and the --out file's tests are shown as $examples
    assert names(chosen) == [
        "ranges.py:bounded",
        "tests/test_old.py:test_clamp_old",
        "tests/test_ranges.py:test_bounded",
    ]


def test_a_small_budget_goes_to_the_targets_own_tests_first(repo):
    root, make = repo
    [clamp] = find_targets(MODULE)
    bounded = FILES["ranges.py"].rstrip("\n")
    budget = len(bounded) // 4 + 2  # room for bounded alone, or for two short tests (~4 characters a token)
    chosen = context_for(make(budget), FakeBackend(), clamp, root / "clampmod.py", root / "tests" / "test_x.py")
    assert sorted(names(chosen)) == ["tests/test_clampmod.py:test_clamp_out", "tests/test_old.py:test_clamp_old"]


def test_tests_of_finds_only_tests_that_call_the_name(repo):
    root, make = repo
    context = make()
    assert sorted(names(context.tests_of(["clamp"]))) == [
        "tests/test_clampmod.py:test_clamp_out",
        "tests/test_old.py:test_clamp_old",
    ]
    assert names(context.tests_of(["clamp"], exclude=[root / "tests" / "test_old.py"])) == [
        "tests/test_clampmod.py:test_clamp_out"
    ]
    assert context.tests_of(["bounded_not_there"]) == []


HLS = dedent("""
    def hls_to_rgb(h, l, s):
        m2 = l * (1.0 + s)
        m1 = 2.0 * l - m2
        return (_v(m1, m2, h + 0.3), _v(m1, m2, h), _v(m1, m2, h - 0.3))


    def _v(m1, m2, hue):
        return m1 + (m2 - m1) * hue


    def test_v_here():
        assert _v(0, 1, 0.5) == 0.5
""")


def test_translate_context_is_the_helper_a_unit_calls_never_the_unit_or_a_test(tmp_path: Path):
    from codexcli.tasks.translate.run import TranslateJob
    from codexcli.tasks.translate.task import _related
    from codexcli.tasks.translate.units import python_units

    root = tmp_path / "repo"
    root.mkdir()
    (root / "hls.py").write_text(HLS, encoding="utf-8")
    with open_index(root, db=tmp_path / "index.sqlite3", use_git=False) as index:
        index.refresh()
        context = RepoContext(index, Settings())
        units = {u.name: u for u in python_units(HLS, "java")[0]}
        related, record = _related(
            context,
            FakeBackend(),
            units["hls_to_rgb"],
            TranslateJob(HLS, root / "hls.py", "python", "java", root / "Hls.java"),
        )
        assert [label for label, _ in related.items] == ["hls.py:7 _v"]  # by its exact name: "_v" has no word
        assert record is not None
        record(1)
        assert [d.qualname for d in context.shown[(str(root / "hls.py"), "hls_to_rgb")]] == ["_v"]
        related, _ = _related(
            context, FakeBackend(), units["_v"], TranslateJob(HLS, root / "hls.py", "python", "java", root / "Hls.java")
        )
        assert [label for label, _ in related.items] == ["hls.py:1 hls_to_rgb"]  # not _v itself, not its test
