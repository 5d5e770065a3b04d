"""Line and branch coverage figures from coverage.py's JSON report, per line range and in total.

coverage.py itself runs inside the sandbox (see pytest_runner); this module only reads its JSON
report, so it is pure and needs no coverage import in the codex process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Coverage:
    """Covered/total statements and branches over some lines of the module."""

    lines_covered: int
    lines_total: int
    branches_covered: int
    branches_total: int

    @property
    def percent(self) -> float:
        """coverage.py's figure: (covered lines + covered branches) / (lines + branches)."""
        total = self.lines_total + self.branches_total
        if total == 0:
            return 100.0
        return round(100.0 * (self.lines_covered + self.branches_covered) / total, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": [self.lines_covered, self.lines_total],
            "branches": [self.branches_covered, self.branches_total],
            "percent": self.percent,
        }


@dataclass(frozen=True)
class FileCoverage:
    """What one coverage run saw of the module: executed/missing lines and branch arcs."""

    executed: frozenset[int]
    missing: frozenset[int]
    executed_branches: frozenset[tuple[int, int]]
    missing_branches: frozenset[tuple[int, int]]

    def within(self, first: int, last: int) -> Coverage:
        """Figures for lines ``first``..``last`` (a branch belongs to the line it leaves)."""
        ex = {n for n in self.executed if first <= n <= last}
        mi = {n for n in self.missing if first <= n <= last}
        bex = {b for b in self.executed_branches if first <= b[0] <= last}
        bmi = {b for b in self.missing_branches if first <= b[0] <= last}
        return Coverage(len(ex), len(ex) + len(mi), len(bex), len(bex) + len(bmi))

    def total(self) -> Coverage:
        """Figures for the whole module."""
        return Coverage(
            len(self.executed),
            len(self.executed) + len(self.missing),
            len(self.executed_branches),
            len(self.executed_branches) + len(self.missing_branches),
        )


def from_json_report(report: Mapping[str, Any]) -> FileCoverage | None:
    """The module's figures from a coverage.py JSON report that measured only that module."""
    files = report.get("files") or {}
    if len(files) != 1:
        return None
    data = next(iter(files.values()))
    return FileCoverage(
        executed=frozenset(data.get("executed_lines", [])),
        missing=frozenset(data.get("missing_lines", [])),
        executed_branches=frozenset(tuple(b) for b in data.get("executed_branches", [])),
        missing_branches=frozenset(tuple(b) for b in data.get("missing_branches", [])),
    )
