"""What the harnesses of other languages share (node.py, java.py): what one call did, the
project the calls run in (a sandboxed copy, with the module swapped for its probed copy), the
harness's records, and the lookup of a language's observer by the name its ``TestRules`` gives."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from codexcli import languages
from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.probes import Probed, instrument
from codexcli.tasks.native.targets import CallTarget
from codexcli.verify.compare.toolchains import toolchain_env
from codexcli.verify.sandbox.sandbox import Limits, SandboxResult, run

MARKER = "@@codex@@ "
OBSERVERS = "codexcli.tasks.native.observers"  # where a TestRules runner named without a module is
LIMITS = Limits(timeout_s=60.0, memory_mb=2048, processes=128)


@dataclass(frozen=True)
class Observed:
    """What one call did: ``kind`` "value" (``literal``: the value written in the language, or
    "" when it has none, then ``type`` says what it was), "raised" (``error``: its type, and
    ``message``), "timeout" or "missing"; the probed lines it ran; ``awaited``: it returned a
    promise (JavaScript)."""

    kind: str
    literal: str = ""
    type: str = ""
    error: str = ""
    message: str = ""
    lines: frozenset[int] = frozenset()
    awaited: bool = False


class Observer(Protocol):
    """A language's harness, as codex runs calls with it (node.py, java.py)."""

    probed: Probed
    runs: int

    def missing(self) -> str | None: ...

    def observe(self, target: CallTarget, calls: Sequence[Call]) -> list[Observed]: ...

    def call_text(self, target: CallTarget, call: Call, qualified: bool = False) -> str: ...


def runner_class(language: str, default: str) -> Any:
    """The class the language's ``TestRules`` runner names: ``"module:Name"``, or ``Name`` in
    the module ``default``; KeyError for a language without ``TestRules``."""
    rules = languages.get(language).tests
    if rules is None:
        raise KeyError(language)
    where, _, name = rules.runner.rpartition(":")
    return getattr(importlib.import_module(where or default), name)


def observer_for(language: str, module: Path, source: str, timeout_s: float) -> Observer:
    """The observer the language's ``TestRules`` names (a name of tasks/native/observers.py, or
    ``"module:Name"``), for ``module`` (its text ``source``)."""
    observer: Observer = runner_class(language, OBSERVERS)(language, module, source, timeout_s)
    return observer


@dataclass
class Project:
    """The module's project as the sandbox sees it: ``root`` (copied whole), the module
    relative to it, and the module's probed text."""

    language: str
    module: Path
    source: str
    timeout_s: float
    root: Path = field(init=False)
    probed: Probed = field(init=False)
    runs: int = 0
    last_stdout: str = ""  # what the last sandboxed run printed

    def __post_init__(self) -> None:
        self.module = self.module.resolve()
        self.root = project_folder(self.module, self.markers())
        rules = languages.get(self.language).tests
        assert rules is not None
        self.probed = instrument(self.source, self.language, rules, self.module.suffix)

    def markers(self) -> tuple[str, ...]:
        return (".git",)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.name

    def missing(self) -> str | None:
        rules = languages.get(self.language).tests
        assert rules is not None
        lost = [exe for exe in rules.needs if languages.resolve_tool(exe) is None]
        return f"{', '.join(lost)} not found; install {rules.install}" if lost else None

    def sandbox(self, argv: Sequence[str], files: Mapping[str, str], collect: Sequence[str] = ()) -> SandboxResult:
        """``argv`` in a copy of the project with the probed module and ``files`` on top."""
        self.runs += 1
        limits = Limits(timeout_s=self.timeout_s, memory_mb=LIMITS.memory_mb, processes=LIMITS.processes)
        files = {self.rel(self.module): self.probed.text, **files}
        result = run(argv, files=files, copy_from=self.root, limits=limits, env=toolchain_env(), collect=collect)
        self.last_stdout = result.stdout
        return result


def project_folder(module: Path, markers: Sequence[str]) -> Path:
    """The nearest folder above ``module`` holding one of ``markers``, else the module's own."""
    return next((f for f in module.parents if any((f / m).exists() for m in markers)), module.parent)


def records(stdout: str) -> dict[int, dict[str, Any]]:
    """The harness's ``@@codex@@ {json}`` lines by case index."""
    out: dict[int, dict[str, Any]] = {}
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            try:
                rec = json.loads(line[len(MARKER) :])
            except ValueError:
                continue
            out[int(rec.get("i", -1))] = rec
    return out


def observed(rec: dict[str, Any] | None) -> Observed:
    """One harness record as an Observed."""
    if rec is None:
        return Observed("missing")
    lines = frozenset(int(n) for n in rec.get("hits", []))
    if "raised" in rec:
        return Observed("raised", error=str(rec["raised"]), message=str(rec.get("message", ""))[:200], lines=lines)
    return Observed(
        "value", str(rec.get("lit") or ""), str(rec.get("type", "")), lines=lines, awaited=bool(rec.get("async"))
    )


def observe_all(project: Project, count: int, once: Any) -> list[Observed]:
    """Run cases ``0..count-1`` through ``once(start)`` (one sandboxed harness run from case
    ``start``, returning its result); a case that hangs or kills the process is recorded as a
    timeout and the harness starts again after it (three restarts at most)."""
    seen: dict[int, dict[str, Any]] = {}
    start, restarts = 0, 0
    while start < count and restarts <= 3:
        result = once(start)
        got = records(result.stdout)
        if not got and start == 0:  # the harness itself failed (the module does not load)
            why = (result.stderr.strip().splitlines() or ["the harness printed nothing"])[-1][:200]
            return [Observed("missing", message=why) for _ in range(count)]
        seen.update(got)
        done = [i for i in seen if i >= start]
        nxt = max(done) + 1 if done else start
        if nxt >= count:
            break
        seen[nxt] = {"timeout": True}
        start, restarts = nxt + 1, restarts + 1
    return [Observed("timeout") if seen.get(i, {}).get("timeout") else observed(seen.get(i)) for i in range(count)]
