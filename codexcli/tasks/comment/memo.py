"""The comment task's result cache: its key, and the outcomes looked up and stored by target.

A cached docstring is never taken on trust: it goes through the shape gates and the meaning
checks again (``judge``), so a docstring cached before a check existed, or one cached with only
``form`` evidence, is held back like a new one. ``MEANING_VERSION`` is in the key: answers
judged by older checks are asked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from codexcli import __version__
from codexcli.answers import ParseError
from codexcli.cache import ResultCache, make_key
from codexcli.config import Settings
from codexcli.evidence import Evidence
from codexcli.prompts import PromptTemplate
from codexcli.splice.docstring import DocTarget
from codexcli.tasks.pipeline import Done, Skipped

TASK = "comment"
# Bumped when the meaning checks (tasks/comment/facts.py) change what is accepted.
MEANING_VERSION = 4  # 2: the reviewer score; 3: anchored summaries, the calibrated threshold; 4: claims.py

Outcome = Done[DocTarget, str] | Skipped[DocTarget]


def cache_key(
    model_id: dict[str, Any],
    prompt: PromptTemplate,
    target: DocTarget,
    style: str,
    settings: Settings,
    context: bool = False,
    samples: int = 1,
    parts: PromptTemplate | None = None,
    back_translate: int = 0,
) -> str:
    """Key of a target's outcome: codex version, model, prompt, style and sampling settings, the
    meaning checks' version, and the target's code without docstrings (so re-runs, and moves
    within the file, hit the cache)."""
    params: dict[str, Any] = {
        "style": style,
        "kind": target.kind,
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": settings.max_tokens,
        "retries": settings.retries,
        "codex": __version__,
        "meaning": MEANING_VERSION,
    }
    if context:  # answers asked with repository context are cached apart from those without
        params["context"] = [settings.context_k, settings.context_tokens]
    if samples > 1:  # one sample keeps the keys of earlier versions
        params["samples"] = samples
    if parts is not None:  # a rejection cached without assembly is not one with it
        params["parts"] = [parts.digest, parts.version]
    if back_translate:  # the evidence stored depends on it
        params["back_translate"] = back_translate
    return make_key(TASK, model_id, prompt.digest, prompt.version, params, target.fingerprint)


@dataclass
class Remembered:
    """Targets' outcomes in the result cache: looked up before asking the model, stored after.
    ``key`` is everything the answer depends on (cache_key); ``judge`` gates a cached docstring
    again and gives its evidence (the shape gates only: the splice check runs once for the
    whole file, a libcst pass per cached target would be most of a cached re-run's time)."""

    cache: ResultCache
    key: Callable[[DocTarget], str]
    judge: Callable[[DocTarget, str], tuple[str | ParseError, Evidence]]
    done_status: str
    keys: dict[int, str] = field(default_factory=dict)
    examples: bool = True  # a cached docstring of observed examples counts (not with --no-examples)

    def known(self, target: DocTarget) -> Outcome | None:
        key = self.keys[target.index] = self.key(target)
        hit = self.cache.get(key)
        if isinstance(hit, dict) and isinstance(hit.get("docstring"), str):
            stored = hit.get("evidence")
            if isinstance(stored, dict) and stored.get("level") == "examples":
                if not self.examples:
                    return None
                # codex's own docstring of observed examples (the same code: the same calls and
                # values); the shape gates are for the model's docstrings.
                facts = str(stored.get("facts", ""))
                return Done(
                    target, hit["docstring"], cached=True, status=self.done_status, evidence=Evidence("examples", facts)
                )
            doc, evidence = self.judge(target, hit["docstring"])
            if (
                evidence.level == "meaning"
                and isinstance(stored, dict)
                and stored.get("level") in ("form", "reference")
            ):
                # Judged when stored by a check the cache does not run again (the reviewer score:
                # "form"; back-translation: "reference"): the stored verdict stands.
                evidence = Evidence(str(stored["level"]), str(stored.get("facts", "")))
            if not isinstance(doc, ParseError):
                return Done(target, doc, cached=True, status=self.done_status, evidence=evidence)
        if isinstance(hit, dict) and isinstance(hit.get("skipped"), str):
            # Same model, prompt, settings and code: asking again would give the same rejected
            # answers (sampling is seeded), so a re-run makes no model call. --no-cache retries.
            return Skipped(target, hit["skipped"] + " (cached result; --no-cache asks again)", cached=True)
        return None

    def remember(self, target: DocTarget, outcome: Outcome) -> None:
        if isinstance(outcome, Skipped):
            self.cache.put(self.keys[target.index], TASK, {"skipped": outcome.reason, "qualname": target.qualname})
        else:
            entry = {"docstring": outcome.value, "qualname": target.qualname, "evidence": outcome.evidence.to_json()}
            self.cache.put(self.keys[target.index], TASK, entry)
