"""What `codex translate` is given and reports: the job, its options, each unit's checks (the
``detail`` of a pipeline outcome) and the run's facts. Kept apart from tasks/translate/task.py,
which asks, checks and assembles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexcli.evidence import Evidence
from codexcli.prompts import PromptTemplate
from codexcli.tasks.pipeline import Outcome
from codexcli.tasks.translate.lang import Piece
from codexcli.verify.compare.harness import BehaviourReport
from codexcli.verify.static.syntax import SyntaxCheck


@dataclass(frozen=True)
class TranslateJob:
    """What to translate: the source text, its path and language, and the output's language
    and path (which names the class of a Java file)."""

    source: str
    source_path: Path
    source_language: str
    target: str
    out_path: Path


@dataclass(frozen=True)
class TranslateOptions:
    """How hard to try and what to keep."""

    strict: bool = False  # drop functions that fail the behaviour check
    # The write threshold (codexcli/evidence.py): a unit with weaker evidence is left out of the
    # output ("below threshold", its code kept as the candidate); "form" writes every unit that
    # compiles, the unverified ones marked (tasks/translate/proof.py).
    threshold: str = "reference"
    cases_limit: int = 12  # most input cases per function
    test_sources: tuple[str, ...] = ()  # test files whose calls give input cases
    per_case_timeout_s: float = 2.0
    samples: int = 1  # answers per definition (the best verified one is kept)
    # prompts/translate_line.toml: Java, C++, TypeScript from Python, a function assembled line by line when
    # no whole answer verifies (tasks/translate/lines.py); None: never
    line_prompt: PromptTemplate | None = None


@dataclass(frozen=True)
class UnitCheck:
    """What codex holds and checked of one unit (the ``detail`` of its pipeline outcome, and a
    translated unit's ``value``): the accepted piece, the name it defines, the compile check,
    and the behaviour report."""

    piece: Piece | None = None
    defined_as: str = ""
    check: SyntaxCheck | None = None
    behaviour: BehaviourReport | None = None
    origin: str = "model"  # "model" (an answer), "lines" (assembled line by line), "codex" (constants)
    evidence: Evidence | None = None  # set once the whole output is judged (tasks/translate/proof.py)


@dataclass(frozen=True)
class TranslateFacts:
    """What a translation reports besides its units (``EditResult.facts``)."""

    source_language: str
    target_language: str
    path: Path  # where the translation goes
    check: SyntaxCheck  # the final compile check of the whole output
    skipped: tuple[str, ...]  # top-level statements not translated, e.g. ``if __name__ == ...``


# A unit's outcome: Done (status "translated", its UnitCheck the value) or Skipped (status
# "failed": no answer compiled; "dropped": --strict removed it after a failed behaviour check;
# "below threshold": its evidence is weaker than the write threshold; "left out": it uses a unit
# that is not written).
UnitOutcome = Outcome
