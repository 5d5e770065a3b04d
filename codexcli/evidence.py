"""How strongly codex knows a result is right: one level, with the facts behind it.

Every outcome a task produces carries an ``Evidence``; a write threshold (``--evidence LEVEL``,
``evidence = "..."`` in ``[tool.codex]``, else the task's default) keeps what is below it out of
the file, reported with the best candidate so a user can still take it by hand.

The levels, weakest first (README "What codex promises" says the same in a user's words):

* ``form``: it parses, compiles, its names resolve; nothing says it is right.
* ``meaning``: prose whose claims were checked against the code (parameters, raised exceptions,
  returned values observed on inputs) and that the model's reviewer score ties to this code.
* ``consensus``: k of n independently drawn candidates behave the same on generated inputs.
* ``examples``: the docstring's examples, or the project's tests, pass.
* ``reference``: behaves like the original (or a reference) on N input cases.

Only the last two are called "verified".
"""

from __future__ import annotations

from dataclasses import dataclass

# Weakest first: a level's index is its strength.
LEVELS = ("form", "meaning", "consensus", "examples", "reference")
VERIFIED = frozenset({"examples", "reference"})

# The write threshold a careful user would pick, per task (the CLI command's name). A docstring
# needs its meaning checked; a filled body needs independent samples to agree at least; a
# translation, an optimization and a generated test must behave like the original.
DEFAULT_THRESHOLDS = {
    "comment": "meaning",
    # JSDoc/Javadoc prose: the meaning checks without Python's reviewer score and examples let
    # wrong comments through (issue 32's test set: 7 of 22 written were true), so only what was
    # observed by running the code is written unless --evidence meaning asks for the prose.
    "comment-doc": "examples",
    "fill": "consensus",
    "translate": "reference",
    "optimize": "reference",
    "testgen": "reference",
}


@dataclass(frozen=True)
class Evidence:
    """The strongest evidence codex has for one result: a level (``LEVELS``) and the facts
    behind it in words ("behaves like the original on 12 cases", "3 of 5 samples agree")."""

    level: str
    facts: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown evidence level {self.level!r}; one of {', '.join(LEVELS)}")

    @property
    def verified(self) -> bool:
        """True only for behaviour checked against examples, tests or a reference."""
        return self.level in VERIFIED

    def at_least(self, level: str) -> bool:
        """True when this evidence is as strong as ``level`` or stronger."""
        return strength(self.level) >= strength(level)

    def describe(self) -> str:
        """``level: facts`` as reports print it."""
        return f"{self.level}: {self.facts}" if self.facts else self.level

    def to_json(self) -> dict[str, object]:
        return {"level": self.level, "facts": self.facts, "verified": self.verified}


FORM_ONLY = Evidence("form", "parses and fits the file; nothing checked its behaviour or meaning")


def strength(level: str) -> int:
    """The index of ``level`` in ``LEVELS`` (ValueError for an unknown name)."""
    try:
        return LEVELS.index(level)
    except ValueError:
        raise ValueError(f"unknown evidence level {level!r}; one of {', '.join(LEVELS)}") from None


def threshold_for(task: str, asked: str | None) -> str:
    """The write threshold of ``task``: what the user asked for, else the task's default."""
    if asked is not None:
        strength(asked)
        return asked
    return DEFAULT_THRESHOLDS.get(task, "form")


def below_threshold_reason(evidence: Evidence, threshold: str) -> str:
    """Why a result is not written: its evidence, and the threshold it missed."""
    return (
        f"not written: evidence {evidence.describe()} is below the threshold {threshold!r} "
        f"(--evidence {evidence.level} writes it)"
    )
