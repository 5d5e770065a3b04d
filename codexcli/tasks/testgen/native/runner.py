"""What testgen's runners for other languages add to the harnesses they run calls with
(tasks/native/): the test runs they return, and the lookup of a language's runner by the name its
``TestRules`` gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Protocol, Sequence

from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.runner import Observed, Observer, runner_class
from codexcli.tasks.native.targets import CallTarget
from codexcli.tasks.testgen.types import KeptTest

RUNNERS = "codexcli.tasks.testgen.native.runners"  # where a TestRules runner named without a module is


@dataclass(frozen=True)
class TestRun:
    """One run of a test file by the language's real runner: each test's verdict (title ->
    passed) with failure messages, the probed lines of the module it ran, and why nothing ran."""

    __test__ = False

    passed: Mapping[str, bool] = field(default_factory=dict)
    messages: Mapping[str, str] = field(default_factory=dict)
    lines: frozenset[int] = frozenset()
    error: str | None = None
    flaky: frozenset[str] = frozenset()  # passed, then failed when run again (run twice)

    def ok(self, title: str) -> bool:
        """Whether the test passed (every time it ran)."""
        return self.passed.get(title, False) and title not in self.flaky


class Runner(Observer, Protocol):
    """A language's test framework, as testgen uses it (node.py, junit.py): a harness that runs
    calls, and writes and runs the test file ``test_path``."""

    test_path: Path

    def test(self, target: CallTarget, call: Call, seen: Observed, taken: set[str]) -> KeptTest | None: ...

    def file_text(self, existing: str, tests: Sequence[KeptTest]) -> str: ...

    def run(self, test_text: str, twice: bool = False) -> TestRun: ...


def runner_for(language: str, module: Path, test_path: Path, source: str, timeout_s: float) -> Runner:
    """The runner the language's ``TestRules`` names (a name of tasks/testgen/native/runners.py,
    or ``"module:Name"``), for ``module`` (its text ``source``) and ``test_path``."""
    runner: Runner = runner_class(language, RUNNERS)(language, module, source, timeout_s, test_path=test_path.resolve())
    return runner


def test_location(language: str, module: Path) -> Path:
    """Where the language's runner writes the tests of ``module`` (its ``location``)."""
    location: Callable[[Path], Path] = runner_class(language, RUNNERS).location
    return location(module)


def title(text: str, limit: int = 90) -> str:
    """A test title: one line, no characters TAP or XML reports escape, at most ``limit``."""
    text = re.sub(r"[\s#\\]+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
