"""Related code: definitions from elsewhere in the repository, as a task prompt shows them.

The record the index's search fills (index/context.py) and every task's prompt renders (the
``$related`` placeholder); it lives here, below the tasks, so the index need not import them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedCode:
    """Definitions from elsewhere in the repository, shown to the model as examples of how the
    repository does things (the ``$related`` placeholder; empty text when there are none).
    ``items`` are (label, code) pairs, most relevant first; ``comment`` starts a label line."""

    fence: str
    comment: str
    items: tuple[tuple[str, str], ...] = ()

    def render(self, count: int | None = None) -> str:
        """The block showing the first ``count`` items (all by default), or "" for none."""
        chosen = self.items[:count]
        if not chosen:
            return ""
        body = "\n\n".join(f"{self.comment} {label}\n{code}" for label, code in chosen)
        return f"Related code from this repository:\n```{self.fence}\n{body}\n```\n"


NO_RELATED = RelatedCode("", "")
